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
