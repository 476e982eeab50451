"""Compact, nested JSON-LD for one record, built directly from its stored triples.

Measured on this kind of machine (../shared/notes/perf.md) a fixed term map is about 20x
cheaper than rdflib's or pyld's compaction. Values are written explicitly (`@id` objects for
IRIs, `@value`/`@type` for typed literals) so the document expands back to exactly the
stored triples, whichever JSON-LD processor reads it.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache
from typing import Any

from rdflib import RDF, XSD, Literal, URIRef
from rdflib.term import Node

from kg_service.rdf import class_uri, schema_view, slot_rules
from kg_service.store.base import Triple

PREFIXES = {
    "kg": "https://w3id.org/bioimage-kg/vocab/",
    "dcterms": "http://purl.org/dc/terms/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "schema": "http://schema.org/",
    "obo": "http://purl.obolibrary.org/obo/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def as_list(value: Any) -> list[Any]:
    """A JSON-LD value that may be one item or several, as a list."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


@cache
def term_names() -> dict[str, str]:
    """Predicate IRI -> JSON key: the schema slot name, or a CURIE when names would clash."""
    names: dict[str, str] = {}
    taken: dict[str, str] = {}
    view = schema_view()
    for class_name in sorted(view.all_classes()):
        if view.get_class(class_name).abstract:
            continue
        for slot_name, rule in sorted(slot_rules(class_name).items()):
            predicate = str(rule.predicate)
            if predicate in names:
                continue
            if taken.get(slot_name, predicate) != predicate:
                names[predicate] = compact(predicate)
            else:
                names[predicate] = slot_name
                taken[slot_name] = predicate
    return names


@cache
def type_names() -> dict[str, str]:
    """Class IRI -> short type name (Dataset, Biosample, ...)."""
    view = schema_view()
    return {str(class_uri(name)): name for name in view.all_classes()}


def compact(iri: str) -> str:
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def _value(obj: Node) -> Any:
    if isinstance(obj, URIRef):
        return {"@id": str(obj)}
    if isinstance(obj, Literal):
        if obj.language:
            return {"@value": str(obj), "@language": obj.language}
        if obj.datatype is None or obj.datatype == XSD.string:
            return str(obj)
        return {"@value": str(obj), "@type": str(obj.datatype)}
    return {"@id": f"_:{obj}"}


def record_document(record_iri: str, triples: list[Triple]) -> dict[str, Any]:
    """Nest the record's triples under its own node; owned nodes are embedded once."""
    by_subject: dict[str, list[tuple[Node, Node]]] = defaultdict(list)
    for s, p, o in triples:
        by_subject[str(s)].append((p, o))
    names = term_names()
    types = type_names()
    used_terms: dict[str, str] = {}
    embedded: set[str] = set()

    def node(iri: str) -> dict[str, Any]:
        embedded.add(iri)
        out: dict[str, Any] = {"@id": iri}
        grouped: dict[str, list[Any]] = defaultdict(list)
        type_values: list[str] = []
        for predicate, obj in sorted(
            by_subject.get(iri, []), key=lambda po: (str(po[0]), str(po[1]))
        ):
            if predicate == RDF.type:
                type_values.append(types.get(str(obj), str(obj)))
                continue
            key = names.get(str(predicate), str(predicate))
            if key != str(predicate) and ":" not in key:
                used_terms[key] = str(predicate)
            if isinstance(obj, URIRef) and str(obj) in by_subject and str(obj) not in embedded:
                grouped[key].append(node(str(obj)))
            else:
                grouped[key].append(_value(obj))
        if type_values:
            out["@type"] = type_values[0] if len(type_values) == 1 else type_values
        for key, values in grouped.items():
            out[key] = values[0] if len(values) == 1 else values
        return out

    body = node(record_iri)
    context: dict[str, Any] = dict(PREFIXES)
    context.update({name: {"@id": iri} for name, iri in sorted(used_terms.items())})
    context.update({name: {"@id": str(class_uri(name))} for name in _used_types(body)})
    return {"@context": context, **body}


def _used_types(document: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(document, dict):
        kind = document.get("@type")
        if isinstance(kind, str) and ":" not in kind:
            found.add(kind)
        elif isinstance(kind, list):
            found.update(k for k in kind if ":" not in k)
        for value in document.values():
            found |= _used_types(value)
    elif isinstance(document, list):
        for item in document:
            found |= _used_types(item)
    return found
