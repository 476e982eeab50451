"""The SPARQL the service runs, read from queries/service/*.rq (plain files curators can read)."""

from __future__ import annotations

from functools import cache

from kg_service.paths import knowledge_dir


@cache
def service_query(name: str) -> str:
    """Text of queries/service/{name}.rq."""
    return (knowledge_dir("queries") / "service" / f"{name}.rq").read_text(encoding="utf-8")
