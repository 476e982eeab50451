"""Per-project exports for other catalogues: a GIDE-profile RO-Crate and DataCite kernel 4.

Both are rewritings of the project's Bioschemas view (kg_service.publish.bioschemas), which is
itself derived from the stored graph, so the three never disagree. The RO-Crate lets the
service join the GIDE cross-repository bioimage search; the DataCite JSON/XML is what a DOI
registration needs (the DOI itself is minted by DataCite, so `identifier` appears only when
the project already has one).
"""

from __future__ import annotations

from typing import Any

from kg_service.publish.bioschemas import PROFILE
from kg_service.publish.jsonld import as_list

RO_CRATE_CONTEXT = "https://w3id.org/ro/crate/1.2/context"
RO_CRATE_SPEC = "https://w3id.org/ro/crate/1.2"
# Terms the GIDE search profile adds on top of RO-Crate's context.
GIDE_TERMS: dict[str, Any] = {
    "obo": "http://purl.obolibrary.org/obo/",
    "dwc": "http://rs.tdwg.org/dwc/terms/",
    "dwciri": "http://rs.tdwg.org/dwc/iri/",
    "bao": "http://www.bioassayontology.org/bao#",
    "vernacularName": {"@id": "dwc:vernacularName"},
    "scientificName": {"@id": "dwc:scientificName"},
    "hasCellLine": {"@id": "bao:BAO_0002004"},
    "measurementMethod": {"@id": "dwciri:measurementMethod"},
    "seeAlso": {"@id": "rdf:seeAlso"},
    "BioSample": {"@id": "http://schema.org/BioSample"},
}
TAXON_PREFIX = "http://purl.obolibrary.org/obo/NCBITaxon_"
DATACITE_NS = "http://datacite.org/schema/kernel-4"
DATACITE_REQUIRED = ("identifier", "creators", "titles", "publisher", "publicationYear",
                     "resourceType")  # fmt: skip


def _id(value: Any) -> str:
    return str(value["@id"]) if isinstance(value, dict) else str(value)


def _date(value: Any) -> str | None:
    if isinstance(value, dict):
        return str(value.get("@value")) if value.get("@value") else None
    return str(value) if value else None


def first_date(doc: dict[str, Any]) -> str | None:
    """Publication date, else last change, else submission: registries need some year."""
    for key in ("datePublished", "dateModified", "dateCreated"):
        found = _date(doc.get(key))
        if found:
            return found
    return None


def _entity(node: dict[str, Any], kind: str, **extra: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"@id": _id(node), "@type": kind}
    if node.get("name"):
        out["name"] = str(node["name"])
    out.update({k: v for k, v in extra.items() if v is not None})
    return out


def _people(doc: dict[str, Any]) -> list[dict[str, Any]]:
    entities = []
    for person in as_list(doc.get("creator")):
        affiliation = person.get("affiliation")
        entity = _entity(person, "Person")
        if isinstance(affiliation, dict):
            entity["affiliation"] = [{"@id": _id(affiliation)}]
            entities.append(_entity(affiliation, "Organization"))
        entities.append(entity)
    return entities


def _terms(doc: dict[str, Any]) -> list[dict[str, Any]]:
    entities = []
    for term in as_list(doc.get("about")):
        name = str(term.get("name") or _id(term))
        if _id(term).startswith(TAXON_PREFIX):
            entities.append({"@id": _id(term), "@type": "Taxon", "scientificName": name})
        else:
            entities.append({"@id": _id(term), "@type": "DefinedTerm", "name": name})
    for method in as_list(doc.get("measurementTechnique")):
        entities.append(_entity(method, "DefinedTerm", termCode=method.get("termCode")))
    return entities


def ro_crate(doc: dict[str, Any]) -> dict[str, Any]:
    """A detached RO-Crate (GIDE search profile) for one project's Bioschemas document."""
    iri = _id(doc)
    catalog = doc.get("includedInDataCatalog") or {"@id": iri, "name": "Bioimage knowledge graph"}
    publisher = _entity(catalog, "Organization", url=_id(catalog))
    people = _people(doc)
    authors = [{"@id": e["@id"]} for e in people if e["@type"] == "Person"]
    articles = [_entity(c, "ScholarlyArticle") for c in as_list(doc.get("citation"))]
    root: dict[str, Any] = {
        "@id": iri,
        "@type": "Dataset",
        # the root meets the Bioschemas Dataset profile too (RO-Crate maps conformsTo to
        # dct:conformsTo, the property the profile asks for)
        "conformsTo": {"@id": PROFILE},
        "identifier": str(doc.get("identifier") or iri),
        "name": str(doc.get("name", iri)),
        "description": str(doc.get("description", "")),
        "datePublished": first_date(doc),
        "license": _id(doc["license"]) if doc.get("license") else None,
        "keywords": [str(k) for k in as_list(doc.get("keywords"))],
        "url": iri,
        "publisher": {"@id": publisher["@id"]},
        "author": authors or [{"@id": publisher["@id"]}],
        "about": [{"@id": _id(t)} for t in as_list(doc.get("about"))],
        "measurementMethod": [{"@id": _id(m)} for m in as_list(doc.get("measurementTechnique"))],
        "seeAlso": [{"@id": a["@id"]} for a in articles] or None,
        "thumbnailUrl": [_id(t) for t in as_list(doc.get("thumbnailUrl"))] or None,
        "hasPart": [{"@id": _id(d)} for d in as_list(doc.get("hasPart"))] or None,
    }
    descriptor = {
        "@id": "ro-crate-metadata.json",
        "@type": "CreativeWork",
        "conformsTo": {"@id": RO_CRATE_SPEC},
        "about": {"@id": iri},
    }
    graph = [descriptor, {k: v for k, v in root.items() if v is not None}, publisher]
    graph += people + _terms(doc) + articles
    unique: dict[str, dict[str, Any]] = {}
    for entity in graph:
        unique.setdefault(entity["@id"], entity)
    return {"@context": [RO_CRATE_CONTEXT, GIDE_TERMS], "@graph": list(unique.values())}


def _creator(person: dict[str, Any]) -> dict[str, Any]:
    given, family = person.get("givenName"), person.get("familyName")
    name = f"{family}, {given}" if given and family else str(person.get("name", "unknown"))
    out: dict[str, Any] = {"name": name, "nameType": "Personal"}
    if given and family:
        out.update(givenName=str(given), familyName=str(family))
    if _id(person).startswith("https://orcid.org/"):
        out["nameIdentifiers"] = [
            {
                "nameIdentifier": _id(person),
                "nameIdentifierScheme": "ORCID",
                "schemeUri": "https://orcid.org",
            }
        ]
    affiliation = person.get("affiliation")
    if isinstance(affiliation, dict) and affiliation.get("name"):
        out["affiliation"] = [{"name": str(affiliation["name"])}]
    return out


def datacite(doc: dict[str, Any], doi: str | None = None) -> dict[str, Any]:
    """DataCite metadata (kernel 4.5, the JSON shape DataCite's libraries read and write)."""
    iri = _id(doc)
    catalog = doc.get("includedInDataCatalog") or {}
    published = first_date(doc) or ""
    data: dict[str, Any] = {
        "types": {"resourceTypeGeneral": "Dataset", "resourceType": "Bioimage study"},
        "creators": [_creator(p) for p in as_list(doc.get("creator"))]
        or [{"name": str(catalog.get("name", "unknown")), "nameType": "Organizational"}],
        "titles": [{"title": str(doc.get("name", iri))}],
        "publisher": {"name": str(catalog.get("name", "Bioimage knowledge graph"))},
        "publicationYear": published[:4],
        "subjects": [
            {"subject": str(t.get("name") or _id(t)), "valueUri": _id(t)}
            for t in [*as_list(doc.get("about")), *as_list(doc.get("measurementTechnique"))]
        ],
        "dates": [
            {"date": d, "dateType": kind}
            for kind, d in (("Issued", published), ("Updated", _date(doc.get("dateModified"))))
            if d
        ],
        "alternateIdentifiers": [{"alternateIdentifier": iri, "alternateIdentifierType": "URL"}],
        "relatedIdentifiers": _related(doc),
        "rightsList": [{"rightsUri": _id(doc["license"])}] if doc.get("license") else [],
        "descriptions": [
            {"description": str(doc.get("description", "")), "descriptionType": "Abstract"}
        ],
        "url": iri,
        "schemaVersion": DATACITE_NS,
    }
    if doc.get("version"):
        data["version"] = str(doc["version"])
    if doi:
        data["doi"] = doi
        data["identifiers"] = [{"identifier": doi, "identifierType": "DOI"}]
    return data


def _related(doc: dict[str, Any]) -> list[dict[str, str]]:
    related = []
    for article in as_list(doc.get("citation")):
        target = _id(article)
        if target.startswith("https://doi.org/"):
            related.append(
                {
                    "relatedIdentifier": target[len("https://doi.org/") :],
                    "relatedIdentifierType": "DOI",
                    "relationType": "IsDocumentedBy",
                }
            )
    for part in as_list(doc.get("hasPart")):
        related.append(
            {
                "relatedIdentifier": _id(part),
                "relatedIdentifierType": "URL",
                "relationType": "HasPart",
            }
        )
    return related


def datacite_xml(data: dict[str, Any]) -> str:
    """The kernel-4 XML form of `datacite()` output, written by DataCite's own library."""
    from datacite import schema45

    text: str = schema45.tostring(data)
    return text
