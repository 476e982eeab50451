"""FAIR Signposting (profile 20231002) for a landing page, from its Bioschemas view.

Level 1 puts typed links in the landing page's HTTP `Link` header (capped lists);
level 2 lists every link, with explicit anchors, in an RFC 9264 linkset document.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SCHEMA_TYPES = ("https://schema.org/Dataset", "https://schema.org/AboutPage")
RDF_FORMATS = {
    "jsonld": "application/ld+json",
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "rdf": "application/rdf+xml",
}
LINKSET_TYPE = "application/linkset+json"
HEADER_CAP = 10


@dataclass(frozen=True)
class Link:
    href: str
    rel: str
    type: str | None = None
    anchor: str | None = None

    def header(self) -> str:
        """One link-value for the HTTP Link header (RFC 8288), no line breaks."""
        params = [f'rel="{self.rel}"']
        if self.type:
            params.append(f'type="{self.type}"')
        return f"<{self.href}>; " + "; ".join(params)


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _iri(value: Any) -> str | None:
    if isinstance(value, dict):
        found = value.get("@id")
        return str(found) if found else None
    return str(value) if value else None


def cite_as(iri: str, document: dict[str, Any]) -> str:
    """The record's persistent identifier: its own DOI when it has one, else its stable IRI."""
    for same in _list(document.get("sameAs")):
        target = _iri(same)
        if target and target.startswith("https://doi.org/"):
            return target
    return iri


def authors(document: dict[str, Any]) -> list[str]:
    found = []
    for creator in _list(document.get("creator")):
        for candidate in [_iri(creator), *(_iri(s) for s in _list(creator.get("sameAs")))]:
            if candidate and candidate.startswith("https://orcid.org/") and candidate not in found:
                found.append(candidate)
    return found


def items(document: dict[str, Any]) -> list[Link]:
    found = []
    for download in _list(document.get("distribution")):
        url = _iri(download.get("contentUrl"))
        if url:
            media = download.get("encodingFormat")
            found.append(Link(url, "item", media if isinstance(media, str) else None))
    return found


def signposts(iri: str, document: dict[str, Any], extra_described_by: list[Link]) -> list[Link]:
    """Every signpost of the landing page `iri` (anchor left implicit)."""
    links = [Link(cite_as(iri, document), "cite-as")]
    links += [
        Link(f"{iri}?format={name}", "describedby", media) for name, media in RDF_FORMATS.items()
    ]
    links += extra_described_by
    links += [Link(kind, "type") for kind in SCHEMA_TYPES]
    links += [Link(orcid, "author") for orcid in authors(document)]
    license_iri = _iri(document.get("license"))
    if license_iri:
        links.append(Link(license_iri, "license"))
    links += items(document)
    return links


def link_header(iri: str, links: list[Link]) -> str:
    """The level-1 header: authors and items capped, plus the pointer to the full linkset."""
    counts: dict[str, int] = {}
    kept = []
    for link in links:
        counts[link.rel] = counts.get(link.rel, 0) + 1
        if link.rel in ("author", "item") and counts[link.rel] > HEADER_CAP:
            continue
        kept.append(link)
    kept.append(Link(f"{iri}/linkset", "linkset", LINKSET_TYPE))
    return ", ".join(link.header() for link in kept)


def metadata_link_header(iri: str) -> str:
    """Links on a metadata representation (RDF formats): what it describes, and the linkset."""
    links = [Link(iri, "describes", "text/html"), Link(f"{iri}/linkset", "linkset", LINKSET_TYPE)]
    return ", ".join(link.header() for link in links)


def linkset(iri: str, links: list[Link]) -> dict[str, Any]:
    """Level 2: the landing page's links plus `collection` links from each item back to it."""
    context: dict[str, Any] = {"anchor": iri}
    for link in links:
        target: dict[str, str] = {"href": link.href}
        if link.type:
            target["type"] = link.type
        context.setdefault(link.rel, []).append(target)
    entries = [context]
    for link in links:
        if link.rel == "item":
            entries.append(
                {"anchor": link.href, "collection": [{"href": iri, "type": "text/html"}]}
            )
        elif link.rel == "describedby":
            entries.append({"anchor": link.href, "describes": [{"href": iri, "type": "text/html"}]})
    return {"linkset": entries}
