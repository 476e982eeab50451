"""HTML pages for people: Jinja2 templates and one stylesheet, shipped inside the package.

Pages make no request to any other host (no CDN fonts, scripts or images), so they load
offline and leak no visitor data. Autoescaping is on; JSON-LD goes in pre-escaped.

May import: publish, search, terms, store, queries. Renders; never routes (only `api` does).
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape


@cache
def environment() -> Environment:
    """The template environment (built once, on first use, not at import)."""
    return Environment(
        loader=PackageLoader("kg_service.web", "templates"),
        autoescape=select_autoescape(["html", "xml"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)


@cache
def stylesheet() -> str:
    return (files("kg_service.web") / "static" / "kg.css").read_text(encoding="utf-8")


@cache
def page_script() -> str:
    return (files("kg_service.web") / "static" / "kg.js").read_text(encoding="utf-8")


VENDOR_FILES = {"yasgui.min.js": "text/javascript", "yasgui.min.css": "text/css"}


@cache
def vendor_file(name: str) -> bytes | None:
    """A file of the SPARQL editor bundled by `make install` (None when it was not bundled).

    Read once: the files do not change while the service runs."""
    if name not in VENDOR_FILES:
        return None
    path = files("kg_service.web") / "static" / "vendor" / name
    return path.read_bytes() if path.is_file() else None


def editor_available() -> bool:
    return all(vendor_file(name) is not None for name in VENDOR_FILES)


@cache
def query_script() -> str:
    return (files("kg_service.web") / "static" / "query.js").read_text(encoding="utf-8")
