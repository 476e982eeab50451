"""Dataset search: keyword relevance on tantivy, ontology-aware facets on numpy, on disk.

Modules: `table` (what is read from each dataset: the facet table), `reading` (the store
scans), `text` (engine fields, analyzers, keyword queries), `engine` (the tantivy folder and
its writer), `facets` (numpy counts and trees), `query` (requests, and terms in `q` becoming
filters), `index` (the SearchIndex), `lifecycle` (where the index lives, who updates it).
"""

from kg_service.search.engine import IndexBusy
from kg_service.search.facets import FACET_LIMIT
from kg_service.search.index import SearchIndex
from kg_service.search.query import SORTS, Query, SearchError
from kg_service.search.table import FACETS, FLAT, HIERARCHICAL, ONTOLOGY_FACETS

__all__ = [
    "FACETS",
    "FACET_LIMIT",
    "FLAT",
    "HIERARCHICAL",
    "ONTOLOGY_FACETS",
    "SORTS",
    "IndexBusy",
    "Query",
    "SearchError",
    "SearchIndex",
]
