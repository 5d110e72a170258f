"""Notifications: a person learns that something waits for them, in the app and by e-mail."""
