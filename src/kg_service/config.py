"""Settings from `KG_`-prefixed environment variables, built at start-up, never at import."""

from __future__ import annotations

from pathlib import Path

from pydantic import field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Everything a deployment may change. Paths are relative to the working directory."""

    model_config = SettingsConfigDict(env_prefix="KG_", extra="ignore")

    store_path: Path | None = Path("data/store")
    base_iri: str = "http://localhost:8000/"
    host: str = "127.0.0.1"
    port: int = 8000
    max_query_rows: int = 10_000
    max_request_bytes: int = 1_000_000

    @field_validator("base_iri")
    @classmethod
    def _base_iri_ends_with_slash(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("KG_BASE_IRI must be an http(s) IRI")
        return value if value.endswith("/") else value + "/"
