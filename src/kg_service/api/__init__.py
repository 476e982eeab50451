"""The HTTP API: `create_app(settings)` wires routers built by factories; nothing at import."""

from kg_service.api.app import create_app

__all__ = ["create_app"]
