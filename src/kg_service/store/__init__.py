"""Storage behind one small interface; see `base.Store`."""

from kg_service.store.base import GraphResult, QueryKind, Store, StoreError, UserQueryError
from kg_service.store.oxigraph_store import OxigraphStore

__all__ = ["GraphResult", "OxigraphStore", "QueryKind", "Store", "StoreError", "UserQueryError"]
