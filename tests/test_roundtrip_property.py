"""Property: every non-empty value of an IDR study file ends up in the graph or in a finding.

Hypothesis writes study files from known and unknown keys with several value columns, mixed
line endings and placeholder values; nothing may be dropped silently.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import XSD, Graph, Literal, URIRef
from rdflib.term import Node

from kg_service.ingest.idr import read_idr_text
from kg_service.rdf import project_graph
from kg_service.rdf_convert import ntriples, to_ox

TEXT_KEYS = [
    "Study Title",
    "Study Description",
    "Study Person Last Name",
    "Study Person First Name",
    "Study Person Email",
    "Study Person Roles",
    "Study Author List",
    "Study Publication Title",
    "Study PMC ID",
    "Study Mystery Field",
    "Study Copyright",
]
words = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789 .-", min_size=1, max_size=20
)
values = words.map(str.strip).filter(lambda v: len(v) > 0 and not v.startswith("#"))
cells = st.one_of(values, st.sampled_from(["TBD", "N/A"]))
rows = st.lists(
    st.tuples(st.sampled_from(TEXT_KEYS), st.lists(cells, min_size=1, max_size=3)),
    min_size=1,
    max_size=8,
    unique_by=lambda r: r[0],
)
newline = st.sampled_from(["\n", "\r\n", "\r"])


@settings(max_examples=60, deadline=None)
@given(rows=rows, eol=newline)
def test_every_idr_value_is_stored_or_reported(rows: list[tuple[str, list[str]]], eol: str) -> None:
    text = "Comment[IDR Study Accession]\tidr0001" + eol
    text += eol.join("\t".join([key, *cells]) for key, cells in rows) + eol
    result = read_idr_text(text, Path("idr0001-study.txt"))
    graph, _ = project_graph(result.projects[0], "http://kg.test/")
    literals = {str(o) for o in graph.objects()}
    reported = {f.value for f in result.findings if f.value is not None}
    for key, cells in rows:
        for cell in cells:
            stored = cell in literals or any(cell in literal for literal in literals)
            assert stored or cell in reported, (key, cell)


texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
objects = st.one_of(
    texts.map(Literal),
    st.tuples(texts, st.sampled_from(["en", "ja", "en-GB", "en-gb", "EN-GB"])).map(
        lambda t: Literal(t[0], lang=t[1])
    ),
    st.tuples(texts, st.sampled_from([XSD.anyURI, URIRef("http://example.org/unit")])).map(
        lambda t: Literal(t[0], datatype=t[1])
    ),
    st.sampled_from(
        [URIRef("http://example.org/a"), URIRef("http://purl.obolibrary.org/obo/GO_1")]
    ),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(objects, max_size=12))
def test_ntriples_text_is_rdflibs_and_parses_back(values: list[Node]) -> None:
    """Our N-Triples writer (a cache over rdflib's formatting) writes what rdflib writes, and
    pyoxigraph reads back the same terms: quotes, backslashes, line breaks, languages, types."""
    graph = Graph()
    for number, value in enumerate(values):
        graph.add(
            (URIRef(f"http://example.org/s{number % 3}"), URIRef("http://example.org/p"), value)
        )
    text = ntriples(graph)
    assert sorted(text.splitlines()) == sorted(graph.serialize(format="nt").splitlines())
    parsed = {
        (t.subject.value, t.object) for t in ox.parse(text.encode(), format=ox.RdfFormat.N_TRIPLES)
    }
    assert parsed == {(str(s), to_ox(o)) for s, _p, o in graph}


def test_ntriples_refuses_a_literal_with_a_language_and_a_datatype() -> None:
    """rdflib lets such a literal be built; its writer and ours refuse it rather than drop one."""
    odd = Literal(Literal("x", lang="en"), datatype=XSD.string)
    graph = Graph()
    graph.add((URIRef("http://example.org/s"), URIRef("http://example.org/p"), odd))
    assert odd.language and odd.datatype
    with pytest.raises(ValueError, match="both a language and a datatype"):
        ntriples(graph)
