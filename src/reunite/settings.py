"""Settings read from the environment (prefix REUNITE_) or a `.env` file beside the command."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Everything configurable about one Reunite installation; each field is used."""

    model_config = SettingsConfigDict(env_prefix="REUNITE_", env_file=".env", extra="ignore")

    # sqlite:///./reunite.db (the default) or postgresql://user@host/db.
    database_url: str = "sqlite:///./reunite.db"
    # Where `reunite serve` listens unless told otherwise (--host, --port).
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    # Show a traceback instead of the one-line message when a command fails unexpectedly.
    debug: bool = False
    # Where the matching library keeps the tables it builds once (the given-name index);
    # unset: the user's cache folder ($XDG_CACHE_HOME/reunite or ~/.cache/reunite).
    cache_dir: Path | None = None
    # The largest list a party may upload (pages and API), and the largest other request
    # (a form, a family's photo); larger ones are refused before they are read.
    max_upload_mb: int = Field(default=300, ge=1)
    # A list larger than this (in KiB) sent through the pages or the API is stored by the job
    # worker in short transactions, so that it stalls nobody; the upload answers at once
    # with the batch to poll. 0: every list. (exchange.background)
    background_list_kb: int = Field(default=2048, ge=0)
    max_request_mb: int = Field(default=8, ge=1)
    # Days after a child's handover when follow-up visits fall due (2 weeks, 3 and 6 months);
    # in the environment as JSON: REUNITE_FOLLOW_UP_DAYS='[14, 91, 182]'.
    follow_up_days: list[Annotated[int, Field(ge=1, le=3650)]] = Field(
        default_factory=lambda: [14, 91, 182], max_length=20
    )
    # Family news messages: at most this many words (Geneva Convention IV art. 25 allows 25),
    # at most this many a week from each end of a case's channel, and flagged to the
    # mediator when waiting (for moderation, delivery or reading) longer than this.
    message_word_limit: int = Field(default=25, ge=1, le=500)
    messages_per_week: int = Field(default=3, ge=1, le=100)
    message_stale_days: int = Field(default=3, ge=1, le=365)
    # E-mail notifications: off unless an SMTP host is set. `smtp_tls` is "starttls", "ssl"
    # or "none" (a relay on the same machine). The e-mail links to `public_url`.
    smtp_host: str = ""
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_tls: Literal["starttls", "ssl", "none"] = "starttls"
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_sender: str = "reunite@localhost"
    public_url: str = "http://127.0.0.1:8000"
    # Public statistics hide every count from 1 to k-1 (with complementary cells).
    small_cell_k: int = Field(default=5, ge=2, le=1000)
    # Where attachments (photos, documents, reports) are kept, by the SHA-256 of their bytes;
    # unset: the folder "attachments" beside the SQLite file (or in the current folder when
    # the database is PostgreSQL).
    attachments_dir: Path | None = None
    # The key `reunite backup` encrypts with and `reunite restore` decrypts with (URL-safe
    # base64 of 32 bytes; `reunite backup-key` makes one). Keep a copy apart from the backups.
    backup_key: str = ""
    # Days a finished case (closed, or ended otherwise) keeps its personal data; then the
    # daily work erases it, keeping events and counts (flows.retention). 0: never.
    retention_days: int = Field(default=730, ge=0, le=36500)
    # The largest attachment accepted (a scanned report, a photo), one by one or in a ZIP.
    max_attachment_mb: int = Field(default=20, ge=1, le=1024)

    def incoming_path(self) -> Path:
        """Return the folder that holds lists waiting to be stored (beside the attachments)."""
        return self.attachments_path().parent / "incoming"

    def attachments_path(self) -> Path:
        """Return the folder of the attachment store (explicit, or beside the SQLite file)."""
        if self.attachments_dir is not None:
            return self.attachments_dir
        prefix = "sqlite:///"
        if self.database_url.startswith(prefix):
            database = self.database_url[len(prefix) :].split("?", 1)[0]
            if database and database != ":memory:":
                return Path(database).parent / "attachments"
        return Path("attachments")

    # The mediator's Ed25519 signing key (PKCS#8 PEM, mode 0600), kept outside the database:
    # it signs receipts and packages. `reunite keys init` creates it; it is never printed.
    mediator_key_file: Path = Path("reunite-mediator-key.pem")
    # The secret that keys the hashes the audit log keeps of names typed into searches
    # (reunite.audit.terms); unset, the log keeps only how many words were typed. Keep it
    # out of the database and its backups: with it, a name can be tested against the log.
    audit_search_key: str = ""


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Return the process-wide settings, read once."""
    return Settings()
