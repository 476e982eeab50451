"""The HTTP API: `create_app(settings)` wires routers built by factories; nothing at import.

May import anything below it (pipeline, sparql, publish, search, submissions, web, store ...).
Only the CLI imports it; no other layer knows HTTP.
"""

from kg_service.api.app import create_app

__all__ = ["create_app"]
