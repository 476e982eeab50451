"""Project history: one PROV record per accepted version, with a snapshot of its triples.

Where it lives: each version is its own named graph `urn:kg-service:history:{key}:v{n}`,
written in the *same* store transaction as the project graph, so a version exists if and only
if the data it describes was stored. The snapshot is the version's N-Triples, gzipped and
base64-encoded in one literal: old record triples must not show up again in the SPARQL union
graph (that would duplicate every record), while the PROV metadata should be queryable.

    <{base}projects/{key}/versions/{n}> a prov:Entity ;
        prov:specializationOf <project> ; kgh:versionNumber n ; prov:generatedAtTime t ;
        prov:wasRevisionOf <previous version> ; prov:wasAttributedTo <urn:kg-service:token:ID> ;
        kgh:tier "database" ; kgh:validator "pyshacl 0.40.1" ; kgh:shapesVersion "1" ;
        kgh:sourceFile [ schema:name "x.xlsx" ; kg:sha256 "…" ] ; kgh:tripleCount 684 ;
        kgh:withdrawn false ; kgh:snapshot "…"^^kgh:NTriplesGzipBase64 .
"""

from __future__ import annotations

import base64
import gzip
from dataclasses import dataclass, field
from datetime import UTC, datetime

from rdflib import RDF, XSD, Graph, Literal, Namespace, URIRef
from rdflib.term import BNode, Node

from kg_service.store.base import Store, Triple

PROV = Namespace("http://www.w3.org/ns/prov#")
KGH = Namespace("https://w3id.org/bioimage-kg/vocab/history/")
KG = Namespace("https://w3id.org/bioimage-kg/vocab/")
SCHEMA = Namespace("http://schema.org/")
HISTORY_PREFIX = "urn:kg-service:history:"


@dataclass(frozen=True)
class SourceFile:
    name: str
    sha256: str


@dataclass
class VersionInfo:
    """Who stored a version, how it was checked, and from which files."""

    agent: str  # token id, or "cli"
    tier: str
    validator: str
    shapes_version: str
    files: list[SourceFile] = field(default_factory=list)
    withdrawn: bool = False
    reason: str | None = None


@dataclass(frozen=True)
class Version:
    number: int
    iri: str
    created: str
    agent: str
    tier: str
    withdrawn: bool
    triples: int
    files: list[SourceFile]

    def to_dict(self) -> dict[str, object]:
        return {
            "version": self.number,
            "iri": self.iri,
            "created": self.created,
            "agent": self.agent,
            "tier": self.tier,
            "withdrawn": self.withdrawn,
            "triples": self.triples,
            "files": [{"name": f.name, "sha256": f.sha256} for f in self.files],
        }


def history_graph(key: str, number: int) -> str:
    return f"{HISTORY_PREFIX}{key}:v{number}"


def version_iri(base_iri: str, key: str, number: int) -> URIRef:
    return URIRef(f"{base_iri}projects/{key}/versions/{number}")


def version_numbers(store: Store, key: str) -> list[int]:
    """Stored version numbers of a project, ascending."""
    prefix = f"{HISTORY_PREFIX}{key}:v"
    numbers = [g[len(prefix) :] for g in store.graph_names() if g.startswith(prefix)]
    return sorted(int(n) for n in numbers if n.isdigit())


def latest_version(store: Store, key: str) -> int:
    numbers = version_numbers(store, key)
    return numbers[-1] if numbers else 0


def encode_snapshot(triples: list[Triple]) -> str:
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    lines = sorted(graph.serialize(format="nt").splitlines())
    return base64.b64encode(gzip.compress("\n".join(lines).encode("utf-8"), mtime=0)).decode()


def decode_snapshot(text: str) -> Graph:
    graph = Graph()
    data = gzip.decompress(base64.b64decode(text)).decode("utf-8")
    if data.strip():
        graph.parse(data=data, format="nt")
    return graph


def version_triples(
    base_iri: str, key: str, number: int, triples: list[Triple], info: VersionInfo
) -> list[Triple]:
    """The PROV description of one version, snapshot included."""
    node = version_iri(base_iri, key, number)
    agent = URIRef(f"urn:kg-service:token:{info.agent}")
    out: list[Triple] = [
        (node, RDF.type, PROV.Entity),
        (node, PROV.specializationOf, URIRef(f"{base_iri}projects/{key}")),
        (node, KGH.versionNumber, Literal(number)),
        (node, PROV.generatedAtTime, Literal(datetime.now(UTC).isoformat(), datatype=XSD.dateTime)),
        (node, PROV.wasAttributedTo, agent),
        (agent, RDF.type, PROV.Agent),
        (node, KGH.tier, Literal(info.tier)),
        (node, KGH.validator, Literal(info.validator)),
        (node, KGH.shapesVersion, Literal(info.shapes_version)),
        (node, KGH.tripleCount, Literal(len(triples))),
        (node, KGH.withdrawn, Literal(info.withdrawn)),
        (node, KGH.snapshot, Literal(encode_snapshot(triples), datatype=KGH.NTriplesGzipBase64)),
    ]
    if number > 1:
        out.append((node, PROV.wasRevisionOf, version_iri(base_iri, key, number - 1)))
    if info.reason:
        out.append((node, KGH.reason, Literal(info.reason)))
    for index, source in enumerate(info.files, start=1):
        file_node = URIRef(f"{node}/source/{index}")
        out += [
            (node, KGH.sourceFile, file_node),
            (file_node, SCHEMA.name, Literal(source.name)),
            (file_node, KG.sha256, Literal(source.sha256)),
        ]
    return out


def _value(triples: list[Triple], subject: Node, predicate: URIRef) -> Node | None:
    for s, p, o in triples:
        if s == subject and p == predicate:
            return o
    return None


def read_version(
    store: Store, base_iri: str, key: str, number: int
) -> tuple[Version, Graph] | None:
    """One version's metadata and snapshot, or None when it does not exist."""
    triples = store.triples(history_graph(key, number))
    if not triples:
        return None
    node = version_iri(base_iri, key, number)
    files = []
    for s, p, o in triples:
        if s == node and p == KGH.sourceFile and not isinstance(o, BNode):
            files.append(
                SourceFile(str(_value(triples, o, SCHEMA.name)), str(_value(triples, o, KG.sha256)))
            )
    agent = str(_value(triples, node, PROV.wasAttributedTo) or "")
    version = Version(
        number=number,
        iri=str(node),
        created=str(_value(triples, node, PROV.generatedAtTime)),
        agent=agent.removeprefix("urn:kg-service:token:"),
        tier=str(_value(triples, node, KGH.tier)),
        withdrawn=str(_value(triples, node, KGH.withdrawn)).lower() == "true",
        triples=int(str(_value(triples, node, KGH.tripleCount) or 0)),
        files=sorted(files, key=lambda f: f.name),
    )
    return version, decode_snapshot(str(_value(triples, node, KGH.snapshot) or ""))


def list_versions(store: Store, base_iri: str, key: str) -> list[Version]:
    found = (read_version(store, base_iri, key, n) for n in version_numbers(store, key))
    return [item[0] for item in found if item is not None]


@dataclass(frozen=True)
class Diff:
    added: list[str]
    removed: list[str]

    def to_dict(self) -> dict[str, object]:
        return {"added": self.added, "removed": self.removed}


def _lines(graph: Graph) -> set[str]:
    return {line for line in graph.serialize(format="nt").splitlines() if line.strip()}


def diff(older: Graph, newer: Graph) -> Diff:
    """Triples added and removed between two snapshots, as sorted N-Triples lines."""
    before, after = _lines(older), _lines(newer)
    return Diff(added=sorted(after - before), removed=sorted(before - after))
