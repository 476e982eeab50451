"""Identifier, unit and licence normalisation (the doctests run here too)."""

from __future__ import annotations

import doctest
from decimal import Decimal

import pytest

from kg_service import normalize
from kg_service.ingest import ids
from kg_service.store import sparql_store

OBO = "http://purl.obolibrary.org/obo/"


@pytest.mark.parametrize("module", [normalize, ids, sparql_store])
def test_doctests(module: object) -> None:
    result = doctest.testmod(module)  # type: ignore[arg-type]
    assert result.attempted > 0
    assert result.failed == 0


@pytest.mark.parametrize(
    "text",
    [
        "NCBITaxon_9606",
        "NCBITaxon:9606",
        "9606",
        "NCBI:txid9606",
        "https://www.ncbi.nlm.nih.gov/datasets/taxonomy/9606/",
        "NCBITaxon_09606",
        "http://purl.obolibrary.org/obo/NCBITaxon_9606",
    ],
)
def test_taxon_variants_normalise_to_one_iri(text: str) -> None:
    assert normalize.taxon_iri(text) == f"{OBO}NCBITaxon_9606"


@pytest.mark.parametrize("text", ["FBbi:00000246", "FBbi_00000246", "Fbbi_246", "FBbi_ 00000246"])
def test_fbbi_variants(text: str) -> None:
    assert normalize.term_iri(text) == f"{OBO}FBbi_00000246"


@pytest.mark.parametrize("text", ["worm", "C. elegans", "", "GO", "http://example.org/x"])
def test_free_text_is_not_an_iri(text: str) -> None:
    assert normalize.taxon_iri(text) is None


@pytest.mark.parametrize(
    ("text", "value", "label"),
    [
        ("0.105 micrometer", "0.105", "micrometer"),
        ("1.1 micrometre", "1.1", "micrometer"),
        ("5.58 nanometer", "5.58", "nanometer"),
        ("40 seconds", "40", "second"),
        ("30 minutes", "30", "minute"),
        ("10 micrometer/pixel", "10", "micrometer"),
        ("10 second for each time interval", "10", "second"),
        ("0.5 µm", "0.5", "micrometer"),
    ],
)
def test_quantities(text: str, value: str, label: str) -> None:
    parsed = normalize.parse_quantity(text)
    assert parsed is not None
    assert parsed.value == Decimal(value)
    assert parsed.unit_label == label
    assert parsed.unit_iri.startswith(f"{OBO}UO_")


@pytest.mark.parametrize("text", ["XX micrometer/pixel", "fast", "12", "3 parsecs"])
def test_unparsable_quantities(text: str) -> None:
    assert normalize.parse_quantity(text) is None


def test_licences() -> None:
    assert normalize.license_iri("https://creativecommons.org/licenses/by/4.0/") == (
        "https://creativecommons.org/licenses/by/4.0/",
        False,
    )
    assert normalize.license_iri("CC BY 4.0") == (
        "https://creativecommons.org/licenses/by/4.0/",
        False,
    )
    assert normalize.license_iri("CC0") == (
        "https://creativecommons.org/publicdomain/zero/1.0/",
        True,
    )
    assert normalize.license_iri("all rights reserved") is None


def test_iri_plausibility() -> None:
    assert normalize.is_plausible_iri("https://knowledge.brc.riken.jp/card?x=1&y=2")
    assert not normalize.is_plausible_iri("http://purl.obolibrary.org/obo/FBbi_ 00000245")
    assert not normalize.is_plausible_iri("http://a.org/x,http://b.org/y")
    assert not normalize.is_plausible_iri("worm")
