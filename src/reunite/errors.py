"""Errors that carry the HTTP status and the exit code they deserve."""

from __future__ import annotations

from reunite.vocabulary import Message


class ReuniteError(Exception):
    """A failure meant to be shown to a person: a clear message, never a traceback."""

    status: int = 400
    exit_code: int = 1
    # A stable name of the refusal for programs (the API's `code`); the class name if unset.
    code: str = ""

    def __init__(self, detail: str | Message, *, status: int | None = None, code: str = "") -> None:
        super().__init__(str(detail))
        # The English sentence (commands, the API), and the message a page translates.
        self.detail = str(detail)
        self.message = detail if isinstance(detail, Message) else Message(detail)
        if status is not None:
            self.status = status
        if code:
            self.code = code

    @property
    def error_code(self) -> str:
        """Return the refusal's name for programs: its own code, or its class name."""
        return self.code or type(self).__name__


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
    """A whole file was refused; `problems` lists every reason, one per line.

    `lines` are the same problems as messages a page translates. `some_valid` says that some
    rows were valid: the caller may offer to store those alone, in its own words (a flag on
    the command line, a tick box on a page, a field in the API).
    """

    def __init__(
        self,
        detail: str | Message,
        *,
        problems: list[str] | None = None,
        lines: list[Message] | None = None,
        some_valid: bool = False,
    ) -> None:
        super().__init__(detail)
        self.problems = problems or []
        self.lines = lines if lines is not None else [Message(p) for p in self.problems]
        self.some_valid = some_valid


class Unauthorized(ReuniteError):
    """No valid credentials: log in, or send a valid API token."""

    status = 401


class TooManyAttempts(ReuniteError):
    """Too many failed logins lately; try again later."""

    status = 429
