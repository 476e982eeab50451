"""The schema.org / Bioschemas Dataset view of a record, for search engines and harvesters.

The view is computed by one CONSTRUCT (queries/service/bioschemas.rq) over the stored graph,
never written by hand per page, so whatever a page claims is true in the store. This module
only nests those triples into compact JSON-LD with schema.org's context and escapes the text
for embedding in HTML. Values are written in explicit form (`{"@id": ...}` for IRIs, value
objects for typed literals), so the document expands to the same triples whether a reader
uses the full schema.org context (which coerces some terms) or a plain `@vocab` stand-in.

Every node typed Dataset or DataCatalog in a page must meet its Bioschemas profile on its own
(harvesters validate each node). So the parent project (`isPartOf`) and the parts
(`hasPart`) are plain references, `{"@id": ...}` without a type: each has its own landing
page with its complete description, and Google's Dataset guide takes a URL there as well as
a full Dataset. The catalogue (`includedInDataCatalog`) is small and constant, so it is
embedded complete (DataCatalog 0.3-RELEASE minimum), from the same triples as the `/` page.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from rdflib import RDF, XSD, Literal, URIRef
from rdflib.term import Node

from kg_service.queries import service_query
from kg_service.store.base import Store, Triple

SCHEMA = "http://schema.org/"
CONFORMS_TO = "http://purl.org/dc/terms/conformsTo"
PROFILE = "https://bioschemas.org/profiles/Dataset/1.0-RELEASE"
CATALOG_PROFILE = "https://bioschemas.org/profiles/DataCatalog/0.3-RELEASE-2019_07_01"
CATALOG_NAME = "Bioimage knowledge graph"
CATALOG_DESCRIPTION = (
    "Bioimage metadata from SSBD, IDR and BioImage Archive style sources as linked data: "
    "projects and datasets with organisms, ontology terms, imaging methods and data files."
)
CATALOG_KEYWORDS = ("bioimaging", "microscopy", "linked data", "FAIR")
REFERENCES = (URIRef(f"{SCHEMA}isPartOf"), URIRef(f"{SCHEMA}hasPart"))
CONTEXT = "https://schema.org/"
MINIMUM = ("@id", "@type", CONFORMS_TO, "name", "description", "identifier", "keywords")
MINIMUM_PROPERTIES = (*MINIMUM, "license", "url")


def bioschemas_triples(store: Store, record_iri: str, catalog_iri: str) -> list[Triple]:
    """The schema.org triples the service asserts about one record (and its catalogue)."""
    bindings = {"record": URIRef(record_iri), "catalog": URIRef(catalog_iri)}
    return store.construct(service_query("bioschemas"), bindings) + catalog_triples(catalog_iri)


def catalog_triples(catalog_iri: str) -> list[Triple]:
    """The catalogue as a Bioschemas DataCatalog (0.3-RELEASE minimum: description,
    keywords, name, provider, url, conformsTo)."""
    catalog, schema = URIRef(catalog_iri), SCHEMA
    provider = URIRef(f"{catalog_iri}#maintainers")
    triples: list[Triple] = [
        (catalog, RDF.type, URIRef(f"{schema}DataCatalog")),
        (catalog, URIRef(CONFORMS_TO), URIRef(CATALOG_PROFILE)),
        (catalog, URIRef(f"{schema}name"), Literal(CATALOG_NAME)),
        (catalog, URIRef(f"{schema}description"), Literal(CATALOG_DESCRIPTION)),
        (catalog, URIRef(f"{schema}url"), catalog),
        (catalog, URIRef(f"{schema}provider"), provider),
        (provider, RDF.type, URIRef(f"{schema}Organization")),
        (provider, URIRef(f"{schema}name"), Literal(f"{CATALOG_NAME} maintainers")),
    ]
    triples += [(catalog, URIRef(f"{schema}keywords"), Literal(k)) for k in CATALOG_KEYWORDS]
    return triples


def split_parts(record_iri: str, triples: list[Triple]) -> tuple[list[Triple], dict[str, str]]:
    """(the triples to publish, names of the parent and the parts for the HTML page).

    Parts are published as references only, so statements about them stay out.
    """
    record = URIRef(record_iri)
    parts = {o for s, p, o in triples if s == record and p in REFERENCES}
    names = {str(s): str(o) for s, p, o in triples if s in parts and p == URIRef(f"{SCHEMA}name")}
    return [t for t in triples if t[0] not in parts or t[0] == record], names


def _key(predicate: Node) -> str:
    text = str(predicate)
    return text[len(SCHEMA) :] if text.startswith(SCHEMA) else text


def _literal(obj: Literal) -> Any:
    if obj.datatype == XSD.boolean:
        return bool(obj.toPython())
    if obj.language:
        return {"@value": str(obj), "@language": obj.language}
    if obj.datatype is None or obj.datatype == XSD.string:
        return str(obj)
    return {"@value": str(obj), "@type": str(obj.datatype)}


def bioschemas_document(record_iri: str, triples: list[Triple]) -> dict[str, Any]:
    """Nest the CONSTRUCT output under the record; each described node is embedded once,
    except the parent and parts, which stay references (see `split_parts`)."""
    by_subject: dict[str, list[tuple[Node, Node]]] = defaultdict(list)
    for s, p, o in split_parts(record_iri, triples)[0]:
        by_subject[str(s)].append((p, o))
    embedded: set[str] = set()

    def node(iri: str) -> dict[str, Any]:
        embedded.add(iri)
        out: dict[str, Any] = {"@id": iri}
        types: list[str] = []
        grouped: dict[str, list[Any]] = defaultdict(list)
        for predicate, obj in sorted(by_subject[iri], key=lambda po: (str(po[0]), str(po[1]))):
            if predicate == RDF.type:
                types.append(_key(obj))
            elif isinstance(obj, Literal):
                grouped[_key(predicate)].append(_literal(obj))
            elif isinstance(obj, URIRef) and str(obj) in by_subject and str(obj) not in embedded:
                grouped[_key(predicate)].append(node(str(obj)))
            else:
                grouped[_key(predicate)].append({"@id": str(obj)})
        if types:
            out["@type"] = types[0] if len(types) == 1 else types
        for key, values in grouped.items():
            out[key] = values[0] if len(values) == 1 else values
        return out

    return {"@context": CONTEXT, **node(record_iri)}


def script_text(document: dict[str, Any]) -> str:
    """JSON for a `<script type="application/ld+json">` element that no value can escape.

    `<`, `>` and `&` become JSON unicode escapes, so `</script>` or `<!--` inside a title
    stays data; the JSON still parses to exactly the same values.

    >>> script_text({"name": "</script><b>"})
    '{"name": "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e"}'
    """
    text = json.dumps(document, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def missing_minimum(document: dict[str, Any]) -> list[str]:
    """Bioschemas Dataset 1.0-RELEASE minimum properties absent from a document."""
    return [name for name in MINIMUM_PROPERTIES if not document.get(name)]
