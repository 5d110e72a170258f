"""Accounts, roles, sessions and API tokens: who is calling, and as what."""
