"""Where the search index lives and who keeps it current.

One machine (embedded store): the folder `KG_SEARCH_INDEX_PATH`, by default beside the store
(`data/store` -> `data/store.search`). The server process opens it at start and is its one
writer; `kg-service load` (run while the server is stopped, as the embedded store requires)
updates it through the store's change listener; `kg-service index rebuild` rebuilds it.

Several API instances over one SPARQL server: every instance keeps its own folder (set
`KG_SEARCH_INDEX_PATH` per instance, on its own disk), follows the server's per-graph write
stamps (`ops.change_watch`) and records the stamps it has read, so that after a restart it
re-reads only the graphs written while it was down. A folder is never shared: tantivy allows
one writer, and the second instance pointed at the same folder keeps its index in memory
(rebuilt at start, as before this index was persistent) and says so in its log and /health.
"""

from __future__ import annotations

import logging
from pathlib import Path

from kg_service.config import Settings
from kg_service.search.engine import META, IndexBusy
from kg_service.search.index import SearchIndex
from kg_service.store import Store
from kg_service.terms.index import TermIndex, shipped_term_index

log = logging.getLogger("kg_service.search")


def index_path(settings: Settings) -> Path | None:
    """The index folder the settings name (None: keep it in memory)."""
    if settings.search_index_path is not None:
        return settings.search_index_path
    if settings.store_path is None:
        return None
    return settings.store_path.with_name(f"{settings.store_path.name}.search")


def store_identity(settings: Settings) -> str:
    """Which store an index folder was made from (an index of another store is rebuilt)."""
    if settings.store != "oxigraph":
        return settings.store_query_url or settings.store
    return str(settings.store_path.resolve()) if settings.store_path else ""


def open_index(settings: Settings, terms: TermIndex, path: Path | None) -> SearchIndex:
    """The index at `path` with its writer claimed; in memory when another process has it."""
    source = store_identity(settings)
    index = SearchIndex(terms, settings.base_iri, path, source)
    if path is None:
        return index
    try:
        index.engine.writer()
    except IndexBusy as error:
        log.warning("%s; this process keeps its search index in memory", error)
        index = SearchIndex(terms, settings.base_iri, None, source)
    return index


def follow_writes(store: Store, settings: Settings) -> SearchIndex | None:
    """Keep an existing on-disk index current while a command writes the embedded store.

    Returns the index (close it when done), or None when there is nothing to follow: no
    index yet (the server builds one), a remote store (instances follow it themselves), or
    an index made by other code or tables (the server rebuilds it).
    """
    path = index_path(settings)
    listen = getattr(store, "add_change_listener", None)
    if path is None or not (path / META).is_file() or settings.store != "oxigraph" or not listen:
        return None
    try:
        index = SearchIndex(shipped_term_index(), settings.base_iri, path, store_identity(settings))
        index.engine.writer()
    except IndexBusy as error:
        log.warning("search index not updated: %s", error)
        return None
    if not index.usable:
        index.close()
        return None

    def refresh(graphs: frozenset[str]) -> None:
        try:
            index.refresh(store, graphs)
        except Exception:  # the store has the write: let the server rebuild the index
            log.exception("updating the search index failed; it will be rebuilt")
            index.engine.save_meta(fingerprint="stale")

    listen(refresh)
    return index
