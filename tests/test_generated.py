"""Generated artifacts (OWL, SHACL, JSON-LD context, Python classes) match the schema."""

from __future__ import annotations

import json

from rdflib import OWL, RDF, Graph, URIRef

from kg_service import generate
from kg_service.paths import knowledge_dir


def test_generated_files_are_up_to_date() -> None:
    stale = generate.stale_files()
    assert stale == [], f"run `make generate`: {stale}"


def test_generated_owl_and_shapes_parse() -> None:
    owl = Graph().parse(knowledge_dir("ontology") / "kg_model.owl.ttl")
    kg = "https://w3id.org/bioimage-kg/vocab/"
    assert (URIRef(kg + "Dataset"), RDF.type, OWL.Class) in owl
    shapes = Graph().parse(knowledge_dir("shapes") / "kg_model.shacl.ttl")
    assert len(shapes) > 100


def test_context_maps_slots_to_standard_terms() -> None:
    context = json.loads((knowledge_dir("ontology") / "kg_model.context.jsonld").read_text())
    assert context["@context"]["title"]["@id"] == "dcterms:title"
    assert context["@context"]["organisms"]["@id"] == "obo:RO_0002162"
