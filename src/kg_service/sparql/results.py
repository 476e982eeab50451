"""SELECT results written from a list of solutions, in the four SPARQL result formats.

pyoxigraph can only serialise a whole `QuerySolutions` iterator, so a row cap (stop reading
after N+1 rows) needs its own writers. The worker uses them only for answers too big to be
surely under the cap (see `worker._select`; the native writer is 3x cheaper). They
follow the W3C result format specs and run in the query worker process.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
Value = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None
Rows = Sequence[Sequence[Value]]


def _json_term(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> dict[str, object]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, object] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {
        "type": "triple",
        "value": {
            "subject": _json_term(term.subject),
            "predicate": _json_term(term.predicate),
            "object": _json_term(term.object),
        },
    }


def to_json(variables: Sequence[str], rows: Rows) -> bytes:
    bindings = [
        {name: _json_term(value) for name, value in zip(variables, row, strict=True) if value}
        for row in rows
    ]
    document = {"head": {"vars": list(variables)}, "results": {"bindings": bindings}}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _xml_term(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            datatype = quoteattr(term.datatype.value)
            return f"<literal datatype={datatype}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    return f"<literal>{escape(str(term))}</literal>"


def to_xml(variables: Sequence[str], rows: Rows) -> bytes:
    parts = [
        '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>',
        *(f"<variable name={quoteattr(name)}/>" for name in variables),
        "</head><results>",
    ]
    for row in rows:
        parts.append("<result>")
        for name, value in zip(variables, row, strict=True):
            if value is not None:
                parts.append(f"<binding name={quoteattr(name)}>{_xml_term(value)}</binding>")
        parts.append("</result>")
    parts.append("</results></sparql>\n")
    return "".join(parts).encode("utf-8")


def _csv_value(term: Value) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    return str(term)


def to_csv(variables: Sequence[str], rows: Rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(variables)
    for row in rows:
        writer.writerow([_csv_value(value) for value in row])
    return buffer.getvalue().encode("utf-8")


def to_tsv(variables: Sequence[str], rows: Rows) -> bytes:
    lines = ["\t".join(f"?{name}" for name in variables)]
    for row in rows:
        lines.append("\t".join("" if value is None else str(value) for value in row))
    return ("\n".join(lines) + "\n").encode("utf-8")


WRITERS = {
    "application/sparql-results+json": to_json,
    "application/sparql-results+xml": to_xml,
    "text/csv": to_csv,
    "text/tab-separated-values": to_tsv,
}


def write_solutions(variables: Sequence[str], rows: Rows, media_type: str) -> bytes:
    """Serialise SELECT rows (values in `variables` order, None when unbound)."""
    return WRITERS[media_type](variables, rows)
