"""Errors that carry the HTTP status and the exit code they deserve."""

from __future__ import annotations


class ReuniteError(Exception):
    """A failure meant to be shown to a person: a clear message, never a traceback."""

    status: int = 400
    exit_code: int = 1

    def __init__(self, detail: str, *, status: int | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        if status is not None:
            self.status = status


class NotFound(ReuniteError):
    """The thing does not exist, or the caller may not know it exists."""

    status = 404


class Conflict(ReuniteError):
    """The request clashes with what is already stored."""

    status = 409


class InvalidInput(ReuniteError):
    """Input that cannot be accepted as it is."""

    status = 422
    exit_code = 2


class FileRejected(InvalidInput):
    """A whole file was refused; `problems` lists every reason, one per line."""

    def __init__(self, detail: str, *, problems: list[str] | None = None) -> None:
        super().__init__(detail)
        self.problems = problems or []


class Unauthorized(ReuniteError):
    """No valid credentials: log in, or send a valid API token."""

    status = 401


class TooManyAttempts(ReuniteError):
    """Too many failed logins lately; try again later."""

    status = 429
