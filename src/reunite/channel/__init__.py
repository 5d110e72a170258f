"""The channel between a child and their family: moderated messages and calls (issue 10)."""
