"""What the HTML pages show beyond the search index: result cards and recent projects.

The search index answers "which datasets" (ids and titles); a result card also shows the
organism, imaging method, thumbnail and file count, read from the store with one bound
query per result (an index lookup, well under a millisecond each), so the index stays lean.
Thumbnails are shown inline only when this service serves them: an image from another host
would be a request to that host on every page view.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rdflib import URIRef

from kg_service.queries import service_query
from kg_service.store import Store
from kg_service.terms.index import TermIndex

DESCRIPTION_CHARS = 240


@dataclass
class Card:
    """One search result."""

    iri: str
    title: str
    organisms: list[str] = field(default_factory=list)
    methods: list[str] = field(default_factory=list)
    files: int = 0
    description: str = ""
    thumbnail: str | None = None
    thumbnail_inline: bool = False


def _labels(terms: TermIndex, iris: str) -> list[str]:
    return sorted(terms.label(iri) for iri in iris.split() if iri)


def _short(text: str) -> str:
    if len(text) <= DESCRIPTION_CHARS:
        return text
    return text[:DESCRIPTION_CHARS].rsplit(" ", 1)[0] + " …"


def card(store: Store, terms: TermIndex, result: dict[str, Any], base_iri: str) -> Card:
    """A result of SearchIndex.search ({id, title, url}) with what the card shows."""
    iri = str(result["url"])
    found = Card(iri=iri, title=str(result.get("title") or result.get("id") or iri))
    rows = store.select(service_query("dataset_card"), {"dataset": URIRef(iri)})
    if not rows:
        return found
    row = rows[0]
    found.organisms = _labels(terms, str(row.get("organisms", "")))
    found.methods = _labels(terms, str(row.get("methods", "")))
    found.files = int(str(row.get("files", 0)))
    found.description = _short(str(row.get("description", "")))
    if "thumbnail" in row:
        found.thumbnail = str(row["thumbnail"])
        found.thumbnail_inline = found.thumbnail.startswith(base_iri)
    return found


@dataclass
class ProjectRow:
    iri: str
    title: str
    date: str
    datasets: int


def recent_projects(store: Store, base_iri: str, limit: int = 20) -> list[ProjectRow]:
    """This service's projects, newest first (release or submission date), undated last."""
    prefix = f"{base_iri}projects/"
    dated = [(str(r["record"]), str(r.get("date", ""))[:10])
             for r in store.select(service_query("recent_projects"))]  # fmt: skip
    chosen = [(iri, date) for iri, date in dated if iri.startswith(prefix)][:limit]
    if len(chosen) < limit:
        undated = (str(r["record"]) for r in store.select(service_query("undated_projects")))
        chosen += [(iri, "") for iri in undated if iri.startswith(prefix)][: limit - len(chosen)]
    rows = []
    for iri, date in chosen:
        found = store.select(service_query("project_card"), {"record": URIRef(iri)})
        row = found[0] if found else {}
        title = str(row.get("title", iri))
        rows.append(ProjectRow(iri, title, date, int(str(row.get("datasets", 0)))))
    return rows
