"""Settings from `KG_`-prefixed environment variables, built at start-up, never at import."""

from __future__ import annotations

from pathlib import Path

from pydantic import SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Everything a deployment may change. Paths are relative to the working directory."""

    model_config = SettingsConfigDict(env_prefix="KG_", extra="ignore")

    store: str = "oxigraph"
    store_path: Path | None = Path("data/store")
    store_query_url: str | None = None
    store_update_url: str | None = None
    store_graph_store_url: str | None = None
    store_username: str | None = None
    store_password: SecretStr | None = None
    store_atomic_requests: bool = True
    # seconds between checks for writes by other API instances (remote store only)
    change_poll_seconds: float = 1.0
    base_iri: str = "http://localhost:8000/"
    host: str = "127.0.0.1"
    port: int = 8000
    max_query_rows: int = 10_000
    max_request_bytes: int = 1_000_000
    # SPARQL endpoint (issue 5): time limit, worker processes, federation allowlist, updates
    query_timeout_s: float = 30.0
    query_workers: int = 2
    query_cache_entries: int = 1024
    # `serve`: processes answering SPARQL lookups from the newest checkpoint in front of the
    # one that owns the store (api/front.py); 0: that one process serves everything
    lookup_workers: int = 2
    # where the SPARQL service keeps its checkpoints (default: beside the store, per process)
    snapshot_folder: Path | None = None
    sparql_service_allowlist: list[str] = [
        "https://sparql.uniprot.org/sparql",
        "https://query.wikidata.org/sparql",
        "https://ssbd.riken.jp/sparql",
        "https://www.bgee.org/sparql",
        "https://sparql.rhea-db.org/sparql",
    ]
    admin_token: SecretStr | None = None
    # start-up waits this long for the search index and the VoID statistics, then serves
    # while they finish in the background (minutes at 100k datasets)
    startup_wait_s: float = 10.0
    # the search index folder (issue 14); default: beside the store ("data/store.search");
    # several API instances over one SPARQL server need one folder each
    search_index_path: Path | None = None
    # submissions (issue 7): token file (default: tokens.json beside the store folder), limits
    tokens_path: Path | None = None
    max_upload_bytes: int = 200_000_000
    max_zip_members: int = 200
    max_unpacked_bytes: int = 1_000_000_000

    @field_validator("base_iri")
    @classmethod
    def _base_iri_ends_with_slash(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("KG_BASE_IRI must be an http(s) IRI")
        return value if value.endswith("/") else value + "/"
