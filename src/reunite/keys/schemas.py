"""Shapes of the mediator's public key as the API gives it."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class MediatorKeyRead(BaseModel):
    """The mediator's Ed25519 public key: receipts and packages are checked with it."""

    key_id: str
    pem: str

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "key_id": "a1b2c3d4e5f60718",
                    "pem": "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA…\n"
                    "-----END PUBLIC KEY-----\n",
                }
            ]
        }
    )
