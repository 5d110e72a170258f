"""Reunite: a neutral channel to trace and reunite children separated by war."""

__version__ = "0.1.0"
