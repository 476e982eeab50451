"""Model objects to RDF triples, driven by the LinkML schema's class and slot URIs.

Every record becomes a named node: its relative id resolved against the service base IRI, so
the same input always gives the same graph and no blank nodes make records hard to compare.
The predicate of each slot, and whether its value is an IRI or a typed literal, comes from the
schema (ontology/kg_model.yaml), so adding a slot there needs no code here.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Any

from linkml_runtime.utils.schemaview import SchemaView
from rdflib import RDF, XSD, Graph, Literal, URIRef

from kg_service import model
from kg_service.findings import Finding, Location, Severity
from kg_service.normalize import is_plausible_iri
from kg_service.paths import schema_path

VOCAB = "https://w3id.org/bioimage-kg/vocab/"
_IRI_TYPES = {"uri", "uriorcurie"}
_LITERAL_TYPES = {
    "integer": XSD.integer,
    "decimal": XSD.decimal,
    "float": XSD.double,
    "double": XSD.double,
    "date": XSD.date,
    "datetime": XSD.dateTime,
    "boolean": XSD.boolean,
}


@dataclass(frozen=True)
class SlotRule:
    """How one slot of one class is written: predicate, and what kind of value it holds."""

    predicate: URIRef
    value_kind: str  # "record" (nested or referenced record), "iri", "enum", or a literal type
    range_name: str
    enum_meanings: tuple[tuple[str, str], ...] = ()


@cache
def schema_view() -> SchemaView:
    return SchemaView(str(schema_path()))


@cache
def class_uri(class_name: str) -> URIRef:
    view = schema_view()
    return URIRef(view.get_uri(view.get_class(class_name), expand=True))


@cache
def slot_rules(class_name: str) -> dict[str, SlotRule]:
    """Slot name -> SlotRule for every slot a class has (own, inherited, attributes)."""
    view = schema_view()
    rules: dict[str, SlotRule] = {}
    for slot in view.class_induced_slots(class_name):
        if slot.identifier:
            continue
        predicate = URIRef(view.get_uri(slot, expand=True))
        range_name = str(slot.range or view.schema.default_range or "string")
        if range_name in view.all_classes():
            kind = "record"
        elif range_name in _IRI_TYPES:
            kind = "iri"
        elif range_name in view.all_enums():
            kind = "enum"
        else:
            kind = range_name
        rules[slot.name] = SlotRule(predicate, kind, range_name, _enum_meanings(range_name))
    return rules


@cache
def required_slot_names(class_name: str) -> list[str]:
    """Slots the schema marks required for a class (the identifier aside)."""
    view = schema_view()
    return [
        str(slot.name)
        for slot in view.class_induced_slots(class_name)
        if slot.required and not slot.identifier
    ]


def _enum_meanings(range_name: str) -> tuple[tuple[str, str], ...]:
    """Permissible value -> IRI of its meaning, for enums whose values have one."""
    view = schema_view()
    enum = view.all_enums().get(range_name)
    if enum is None:
        return ()
    return tuple(
        (name, view.expand_curie(value.meaning))
        for name, value in enum.permissible_values.items()
        if value.meaning
    )


def record_iri(record_id: str, base_iri: str) -> URIRef:
    """Absolute IRI of a record: ids that are already IRIs (licences) are kept as they are."""
    if "://" in record_id:
        return URIRef(record_id)
    return URIRef(base_iri + record_id)


def _literal(value: Any, kind: str) -> Literal:
    if isinstance(value, Enum):
        value = value.value
    if kind in _LITERAL_TYPES:
        if isinstance(value, bool) or kind == "boolean":
            return Literal(bool(value), datatype=XSD.boolean)
        if kind == "integer":
            return Literal(int(value), datatype=XSD.integer)
        if kind == "decimal":
            return Literal(Decimal(str(value)), datatype=XSD.decimal)
        if kind == "date" and isinstance(value, datetime.date | str):
            return Literal(str(value), datatype=XSD.date)
        return Literal(value, datatype=_LITERAL_TYPES[kind])
    return Literal(str(value.code.text if hasattr(value, "code") else value))


def _values(raw: Any) -> Iterator[Any]:
    if raw is None:
        return
    if isinstance(raw, dict):
        yield from raw.values()
    elif isinstance(raw, list | tuple):
        yield from raw
    else:
        yield raw


# Records whose every value the reader has already checked (image-level annotations: IRIs
# from identifier parsers, counts from Python). They can be 10^5 per file; SHACL's cost
# grows with every node (about 2 ms each here), so they are kept apart from the graph the
# shapes see (`project_graph_parts`) and only this module's IRI check applies to them.
PRECHECKED = frozenset({"ImageGroup"})


class GraphBuilder:
    """Collects the triples of one submission and the findings raised while writing them."""

    def __init__(self, base_iri: str) -> None:
        self.base_iri = base_iri
        # rdflib's plain in-memory store: no per-context indexes, a third cheaper to fill and
        # to serialise than the default one (bench_ingest); a project is one graph anyway
        self.graph = Graph(store="SimpleMemory")
        self.prechecked = Graph(store="SimpleMemory")
        self.findings: list[Finding] = []

    def add_record(self, record: model.Record, into: Graph | None = None) -> URIRef:
        class_name = type(record).__name__
        target = into if into is not None else self.graph
        subject = record_iri(str(record.id), self.base_iri)
        target.add((subject, RDF.type, class_uri(class_name)))
        rules = slot_rules(class_name)
        for field in dataclasses.fields(record):
            rule = rules.get(field.name)
            if rule is None:
                continue
            for value in _values(getattr(record, field.name)):
                bulk = rule.range_name in PRECHECKED and isinstance(value, model.Record)
                home = self.prechecked if bulk else target
                obj = self._object(value, rule, str(record.id), field.name, home)
                if obj is not None:
                    home.add((subject, rule.predicate, obj))
        return subject

    def _object(
        self, value: Any, rule: SlotRule, record_id: str, slot: str, into: Graph | None = None
    ) -> Any:
        if value is None or value == "":
            return None
        if rule.value_kind == "record":
            if isinstance(value, model.Record):
                return self.add_record(value, into)
            # a reference such as a licence IRI: typed here so shapes can check its class
            target = record_iri(str(value), self.base_iri)
            self.graph.add((target, RDF.type, class_uri(rule.range_name)))
            return target
        if rule.value_kind == "enum":
            text = str(value.code.text if hasattr(value, "code") else value)
            meaning = dict(rule.enum_meanings).get(text)
            return URIRef(meaning) if meaning else Literal(text)
        if rule.value_kind == "iri":
            text = str(value)
            if not is_plausible_iri(text):
                self.findings.append(
                    Finding(
                        Severity.VIOLATION,
                        "value is not a valid absolute IRI",
                        Location(record=record_id, field=slot),
                        value=text,
                        source="rdf",
                    )
                )
                return None
            return URIRef(text)
        return _literal(value, rule.value_kind)


def project_graph(project: model.Project, base_iri: str) -> tuple[Graph, list[Finding]]:
    """All triples of one project (the unit stored as one named graph)."""
    graph, prechecked, findings = project_graph_parts(project, base_iri)
    graph += prechecked
    return graph, findings


def project_graph_parts(
    project: model.Project, base_iri: str
) -> tuple[Graph, Graph, list[Finding]]:
    """A project's triples for SHACL, and those of its pre-checked records (see PRECHECKED);
    the stored graph is both."""
    builder = GraphBuilder(base_iri)
    builder.add_record(project)
    return builder.graph, builder.prechecked, builder.findings


def graph_iri(project_id: str, base_iri: str) -> str:
    """The named graph that holds a project: `{base}graph/{key}`."""
    key = project_id.split("/", 1)[1] if "/" in project_id else project_id
    return f"{base_iri}graph/{key}"
