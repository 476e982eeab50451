"""Small helpers shared by the peer-format readers (IDR, PageTab, RO-Crate, OME-XML, BDML).

Each reader collects findings with a `Collector` bound to its file, so every finding names the
file and the reader only adds the format-specific part of the location (line, JSON pointer,
XML path). Values are normalised through `kg_service.normalize` only, never locally.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from kg_service.findings import Finding, Location, Severity
from kg_service.ingest import ReadResult, SourceMap, build_record
from kg_service.model import Quantity
from kg_service.normalize import ParsedQuantity, is_plausible_iri, license_iri

# Texts submitters write when they have nothing to say; reported, never stored as facts.
PLACEHOLDERS = frozenset(
    {"tbd", "tba", "todo", "n/a", "na", "none", "null", "unknown", "-", "?", "xxx", "to be added"}
)


def is_placeholder(text: str) -> bool:
    """True for "TBD", "N/A", "-" and friends (case and surrounding space ignored).

    >>> is_placeholder(" TBD ")
    True
    >>> is_placeholder("Homo sapiens")
    False
    """
    return text.strip().casefold().rstrip(".") in PLACEHOLDERS


@dataclass
class Collector:
    """Findings and source locations of one source file."""

    file: str
    findings: list[Finding] = field(default_factory=list)
    source_map: SourceMap = field(default_factory=dict)

    def at(self, **where: object) -> Location:
        return replace(Location(file=self.file), **where)  # type: ignore[arg-type]

    def add(
        self,
        severity: Severity,
        message: str,
        where: Location,
        value: str | None = None,
        fix: str | None = None,
    ) -> None:
        self.findings.append(Finding(severity, message, where, value=value, fix=fix))

    def stored(self, record_id: str, slot: str, where: Location) -> None:
        """Remember where a stored value came from, so SHACL findings can point back."""
        self.source_map.setdefault((record_id, slot), where)

    def unmapped(self, key: str, value: str, where: Location) -> None:
        """A source value with no place in the model: say so instead of dropping it."""
        self.add(
            Severity.INFO,
            f"{key!r} has no place in the model yet; the value is not stored",
            where,
            value=value,
        )

    def placeholder(self, key: str, value: str, where: Location) -> None:
        self.add(
            Severity.WARNING,
            f"{key!r} holds a placeholder, not a value; it is not stored",
            where,
            value=value,
            fix="give the real value or leave the field empty",
        )

    def iri(self, key: str, text: str, where: Location) -> str | None:
        """`text` when it is a storable IRI; otherwise a finding and None (never half-stored)."""
        if is_plausible_iri(text.strip()):
            return text.strip()
        self.add(
            Severity.WARNING,
            f"{key!r} is not a valid IRI (spaces, commas or no scheme); it is not stored",
            where,
            value=text,
            fix="give one absolute IRI per value",
        )
        return None

    def license(self, key: str, text: str, where: Location) -> str | None:
        """Canonical licence IRI for a licence name or URL; a finding when unknown."""
        found = license_iri(text)
        if found is None:
            if is_plausible_iri(text.strip()):
                return text.strip()
            self.add(Severity.WARNING, f"{key!r}: licence not recognised", where, value=text)
            return None
        iri, assumed = found
        if assumed:
            self.add(
                Severity.INFO,
                f"{key!r}: licence gives no version; {iri} assumed",
                where,
                value=text,
            )
        return iri


@dataclass(frozen=True)
class RepairedTerms:
    """What `repair_terms` made of one source value: the IRIs, and how (None: as written)."""

    iris: list[str]
    repair: str | None = None  # "split" (comma-joined) | "joined" (space-broken) | "invalid"


def repair_terms(text: str, normalise: Callable[[str], str | None]) -> RepairedTerms:
    """Term IRIs from one value, repairing the two breakages real files show.

    Two IRIs joined by a comma are split when every part is a valid term; an IRI broken by
    a space (`FBbi_ 00000245`) is joined when the joined text is one. Anything else is
    "invalid": the caller reports it and stores nothing for the value.

    >>> from kg_service.normalize import term_iri
    >>> repair_terms("obo:GO_0005739,obo:GO_0005743", lambda t: term_iri(t.removeprefix("obo:")))
    RepairedTerms(iris=['http://purl.obolibrary.org/obo/GO_0005739', \
'http://purl.obolibrary.org/obo/GO_0005743'], repair='split')
    """
    direct = normalise(text)
    if direct and not re.search(r"\s", text.strip()):
        return RepairedTerms([direct])
    parts = [p.strip() for p in re.split(r"\s*,\s*", text) if p.strip()]
    if len(parts) > 1:
        split = [normalise(p) for p in parts]
        if all(split):
            return RepairedTerms([s for s in split if s], "split")
    joined = normalise(re.sub(r"\s+", "", text))
    if joined:
        return RepairedTerms([joined], "joined")
    if direct:
        return RepairedTerms([direct])
    return RepairedTerms([], "invalid")


def quantity(record_id: str, parsed: ParsedQuantity) -> Quantity:
    """A model Quantity from a parsed number+unit."""
    return build_record(
        Quantity,
        id=record_id,
        value=parsed.value,
        unit=parsed.unit_iri,
        unit_label=parsed.unit_label,
        source_text=parsed.source_text,
    )


def split_values(text: str) -> list[str]:
    """Split a "a, b; c" list into trimmed non-empty items."""
    return [part.strip() for part in re.split(r"\s*[,;]\s*", text) if part.strip()]


def read_json(path: Path) -> tuple[Any, ReadResult | None]:
    """The parsed document, or a result holding the one located finding saying why not."""
    try:
        return json.loads(path.read_text(encoding="utf-8")), None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        out = Collector(str(path))
        out.add(Severity.VIOLATION, f"file cannot be read as JSON: {exc}", out.at(json_pointer=""))
        return None, ReadResult(findings=out.findings)


def safe_xml_parser() -> Any:
    """An lxml parser that never resolves entities, loads DTDs or touches the network.

    XML uploads are untrusted: entity expansion ("billion laughs") and external entities
    (file or network reads) are both switched off.
    """
    from lxml import etree

    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
    )


def parse_xml(path: Path, out: Collector) -> Any | None:
    """Parse `path` safely; a finding (with line) and None when it is not well-formed XML."""
    from lxml import etree

    try:
        tree = etree.parse(str(path), safe_xml_parser())
    except etree.XMLSyntaxError as exc:
        out.add(
            Severity.VIOLATION, f"not well-formed XML: {exc.msg}", out.at(line=exc.lineno or None)
        )
        return None
    except OSError as exc:
        out.add(Severity.VIOLATION, f"file cannot be read: {exc}", out.at())
        return None
    if tree.docinfo.internalDTD is not None and list(tree.docinfo.internalDTD.iterentities()):
        out.add(
            Severity.VIOLATION,
            "the document declares XML entities; they are refused, not expanded",
            out.at(line=1),
        )
        return None
    return tree


def xml_path(element: Any) -> str:
    """An XPath-like location with local names (`/bdml/extfile/bd5File`), for findings."""
    chain = [element, *element.iterancestors()]
    return "/" + "/".join(str(e.tag).rsplit("}", 1)[-1] for e in reversed(chain))
