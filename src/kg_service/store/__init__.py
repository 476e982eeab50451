"""Storage behind one small interface (`base.Store`): embedded Oxigraph or a remote SPARQL
server, plus whole-store backups.

May import: config, ops, rdf_convert. The store knows no HTTP serving and no records: it
never imports api, web, sparql, publish, submissions, pipeline or the readers.
"""

from kg_service.store.base import GraphResult, QueryKind, Store, StoreError, UserQueryError
from kg_service.store.oxigraph_store import OxigraphStore

__all__ = ["GraphResult", "OxigraphStore", "QueryKind", "Store", "StoreError", "UserQueryError"]
