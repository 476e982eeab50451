"""Suggested fixes for the hand-written shapes' findings, keyed by the shape that failed.

Why in Python: a fix needs the term index (labels, branches, replacements) or arithmetic
(the ORCID check digit) that SHACL cannot express; the shape says *what* is wrong, this
module says *what to write instead*.
"""

from __future__ import annotations

from collections.abc import Callable

from kg_service.terms.index import TermIndex
from kg_service.validation.slice import orcid_check_digit

SHAPES = "https://w3id.org/bioimage-kg/shapes/"
_GO_FIELD = {
    "molecular_function": "goMolecularFunction (molecular function)",
    "biological_process": "goBiologicalProcess (biological process)",
    "cellular_component": "goCellularComponent (cellular component)",
}
Fixer = Callable[[str, TermIndex], str | None]


def _named(index: TermIndex, iri: str) -> str:
    return f"{index.curie(iri)} {index.label(iri)}"


def _replacement(value: str, index: TermIndex) -> str | None:
    term = index.terms.get(value)
    if term is not None and term.replaced_by:
        return f"did you mean {_named(index, term.replaced_by)}?"
    return None


def _go_branch(value: str, index: TermIndex) -> str | None:
    term = index.terms.get(value)
    if term is None:
        return "use a GO term IRI such as http://purl.obolibrary.org/obo/GO_0000278"
    if term.obsolete:
        return _replacement(value, index) or f"{_named(index, value)} is obsolete in GO"
    field = _GO_FIELD.get(term.namespace)
    if field:
        kind = term.namespace.replace("_", " ")
        return f"{_named(index, value)} is a {kind} term: move it to {field}"
    return None


def _organism(value: str, index: TermIndex) -> str | None:
    del index
    if "NCBITaxon_" not in value:
        return "write the organism as an NCBITaxon term, e.g. NCBITaxon:9606 for human"
    return "check the taxon id, or install the full taxonomy with `kg-service terms update`"


def _imaging(value: str, index: TermIndex) -> str | None:
    term = index.terms.get(value)
    if term is None:
        return "pick an FBbi term, e.g. FBbi:00000251 confocal microscopy"
    if term.obsolete:
        obsolete = f"{_named(index, value)} is obsolete: pick a current FBbi term"
        return _replacement(value, index) or obsolete
    return f"{_named(index, value)} is a {term.ontology} term, not an FBbi imaging method"


def _orcid(value: str, index: TermIndex) -> str | None:
    del index
    bare = value.rsplit("/", 1)[-1].replace("-", "")
    if len(bare) == 16 and bare[:15].isdigit():
        return f"ORCID check digit should be {orcid_check_digit(bare[:15])}"
    return None


def _doi(value: str, index: TermIndex) -> str | None:
    del index
    text = value
    while text.startswith(("https://doi.org/", "http://doi.org/", "http://dx.doi.org/", "doi:")):
        text = text.split("doi.org/", 1)[-1] if "doi.org/" in text else text[4:]
    if text.startswith("10."):
        return f"write it as https://doi.org/{text}"
    return None


def _licence(value: str, index: TermIndex) -> str | None:
    for variant in (value.replace("http://", "https://", 1), value.rstrip("/") + "/"):
        if variant in index.terms:
            return f"write it as {variant}"
    hits = index.search(value.rsplit("/", 2)[-2] if value.endswith("/") else value, "licenses", 1)
    if hits:
        return f"did you mean {hits[0].term.iri} ({hits[0].term.label})?"
    return "use e.g. https://creativecommons.org/licenses/by/4.0/ (CC BY 4.0)"


_FIXERS: dict[str, Fixer] = {
    "GoMolecularFunction": _go_branch,
    "GoBiologicalProcess": _go_branch,
    "GoCellularComponent": _go_branch,
    "OrganismIsTaxon": _organism,
    "OrganismKnown": _organism,
    "ImagingMethodIsFbbi": _imaging,
    "ImagingMethodNotObsolete": _imaging,
    "OrcidCheckDigit": _orcid,
    "OrcidSyntax": _orcid,
    "DoiSyntax": _doi,
    "LicenceKnown": _licence,
}


def fix_for(shape_iri: str, value: str | None, index: TermIndex) -> str | None:
    """A suggested fix for a result of a hand-written shape, or None if we know none."""
    if value is None or not shape_iri.startswith(SHAPES):
        return None
    fixer = _FIXERS.get(shape_iri[len(SHAPES) :])
    return fixer(value, index) if fixer else None
