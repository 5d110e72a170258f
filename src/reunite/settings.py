"""Settings read from the environment (prefix REUNITE_)."""

from __future__ import annotations

from functools import lru_cache

from pydantic import model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PLACEHOLDER_SECRET = "change-me-in-production"


class Settings(BaseSettings):
    """Everything configurable about one Reunite installation."""

    model_config = SettingsConfigDict(env_prefix="REUNITE_", env_file=".env", extra="ignore")

    database_url: str = "sqlite:///./reunite.db"
    environment: str = "development"
    secret_key: str = PLACEHOLDER_SECRET
    import_chunk_size: int = 2000

    @model_validator(mode="after")
    def _refuse_placeholder_secret(self) -> Settings:
        # A forgotten default secret in production would let anyone forge sessions.
        if self.environment != "development" and self.secret_key == PLACEHOLDER_SECRET:
            raise ValueError("REUNITE_SECRET_KEY must be set to a real secret outside development")
        return self


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Return the process-wide settings, read once."""
    return Settings()
