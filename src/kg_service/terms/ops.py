"""Term maintenance: put terms into the store as named graphs, download current releases.

Why term graphs in the store: SPARQL users join records to labels and hierarchy themselves
(`?d kg:imagingMethod/rdfs:subClassOf* obo:FBbi_00000246`). Each ontology gets one graph
(`https://w3id.org/bioimage-kg/terms/{name}`) holding rdfs:label and rdfs:subClassOf only
(part_of as obo:BFO_0000050), which keeps it small and replaceable on its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import requests
from rdflib import RDFS, Literal, URIRef

from kg_service.store import Store
from kg_service.store.base import Triple
from kg_service.terms.build import build_one
from kg_service.terms.index import TermIndex

TERM_GRAPH_BASE = "https://w3id.org/bioimage-kg/terms/"
PART_OF = URIRef("http://purl.obolibrary.org/obo/BFO_0000050")
# official addresses of the current OBO releases (MeSH and SPDX have no OBO file: rebuild
# those with `terms build` from NLM's and SPDX's downloads)
RELEASES = {
    "go": "http://purl.obolibrary.org/obo/go/go-basic.obo",
    "ncbitaxon": "http://purl.obolibrary.org/obo/ncbitaxon/subsets/taxslim.obo",
    "fbbi": "http://purl.obolibrary.org/obo/fbbi.obo",
    "ro": "http://purl.obolibrary.org/obo/ro.obo",
}


def term_graph_iri(ontology: str) -> str:
    return TERM_GRAPH_BASE + ontology


def term_triples(index: TermIndex, ontology: str) -> Iterator[Triple]:
    """Labels and hierarchy of one ontology's terms."""
    for term in index.terms.values():
        if term.ontology != ontology:
            continue
        subject = URIRef(term.iri)
        yield subject, RDFS.label, Literal(term.label)
        for parent in term.parents:
            yield subject, RDFS.subClassOf, URIRef(parent)
        for whole in term.part_of:
            yield subject, PART_OF, URIRef(whole)


def load_term_graphs(store: Store, index: TermIndex, ontologies: Iterable[str]) -> dict[str, int]:
    """Replace each ontology's term graph in the store; returns triples per graph."""
    counts: dict[str, int] = {}
    for name in ontologies:
        triples = list(term_triples(index, name))
        store.replace_graph(term_graph_iri(name), triples)
        counts[name] = len(triples)
    return counts


def download(url: str, target: Path, timeout: float = 60.0) -> Path:
    """Stream one release file to disk (never whole in memory: GO is ~30 MB)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with requests.get(url, stream=True, timeout=timeout) as response:
        response.raise_for_status()
        with target.open("wb") as handle:
            for chunk in response.iter_content(chunk_size=1 << 20):
                handle.write(chunk)
    return target


def update_terms(
    out_dir: Path, names: Iterable[str], urls: dict[str, str] | None = None
) -> dict[str, int]:
    """Download current releases and rebuild their shipped term files in `out_dir`."""
    urls = urls or RELEASES
    counts: dict[str, int] = {}
    for name in names:
        url = urls[name]
        raw = download(url, out_dir / "downloads" / url.rsplit("/", 1)[1])
        counts[name] = build_one(name, [raw], out_dir)
    return counts
