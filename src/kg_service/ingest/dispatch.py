"""Which reader reads a file: by name first, by a peek at the content where names are ambiguous.

Kept apart from `ingest/__init__.py` so each reader module is imported only when needed
(h5py, openpyxl and lxml are not free to import).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kg_service.ingest import ReadResult

Reader = Callable[[Path], ReadResult]

_RDF = (".ttl", ".nt", ".owl", ".rdf", ".nq", ".trig")
_PEEK = 4096


def _peek(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            return handle.read(_PEEK).decode("utf-8", errors="replace")
    except OSError:
        return ""


def _json_kind(path: Path) -> str:
    """ "pagetab", "rocrate" or "jsonld" from the document's top-level keys."""
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return "pagetab" if not path.name.endswith(".jsonld") else "jsonld"
    if isinstance(data, dict) and "section" in data:
        return "pagetab"
    graph = data.get("@graph") if isinstance(data, dict) else None
    context = json.dumps(data.get("@context", "")) if isinstance(data, dict) else ""
    if isinstance(graph, list) and (
        "w3id.org/ro/crate" in context or "ro-crate-metadata" in path.name
    ):
        return "rocrate"
    if isinstance(data, dict) and ("@context" in data or "@graph" in data):
        return "jsonld"
    return "unknown"


def _xml_reader(path: Path) -> Reader:
    head = _peek(path)
    if re.search(r"<(\w+:)?OME[\s>]", head):
        from kg_service.ingest.omexml import read_ome_xml

        return read_ome_xml
    from kg_service.ingest.bdml import read_bdml

    return read_bdml


def _json_reader(path: Path) -> Reader | None:
    kind = _json_kind(path)
    if kind == "unknown":
        special = _other_json_reader(path)
        if special is not None:
            return special
    if kind == "unknown" and path.name.lower().endswith(".jsonld"):
        kind = "jsonld"  # e.g. expanded JSON-LD: a top-level array
    if kind == "unknown" or (kind == "jsonld" and not path.name.lower().endswith(".jsonld")):
        return None
    if kind == "rocrate":
        from kg_service.ingest.rocrate import read_rocrate

        return read_rocrate
    if kind == "pagetab":
        from kg_service.ingest.pagetab import read_pagetab

        return read_pagetab
    from kg_service.ingest.rdf_input import read_rdf

    return read_rdf


def _other_json_reader(path: Path) -> Reader | None:
    """BIA semantic-model objects and exports, files of a BIA export folder, GIDE entries."""
    from kg_service.ingest.bia_model import is_bia_model, read_bia_model

    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    if is_bia_model(data) or (path.parent / "study.json").is_file():
        return read_bia_model
    if isinstance(data, dict) and "id" in data and "Dataset" in json.dumps(data.get("type")):
        from kg_service.ingest.gide_entry import read_gide_entry

        return read_gide_entry
    return None


def _csv_reader(path: Path) -> Reader:
    if re.search(r"annotation", path.name, re.IGNORECASE) or "Characteristics [" in _peek(path):
        from kg_service.ingest.idr import read_idr_annotations

        return read_idr_annotations
    from kg_service.ingest.ssbd_template import read_ssbd_template_csv

    return read_ssbd_template_csv


def reader_for(path: Path) -> Reader | None:
    """The reader function for `path`, or None when no reader handles it."""
    name = path.name.lower()
    if name.endswith(_RDF):
        from kg_service.ingest.rocrate_rdf import is_merged_crates, read_merged_crates

        if is_merged_crates(_peek(path)):
            return read_merged_crates
        from kg_service.ingest.rdf_input import read_rdf

        return read_rdf
    if name.endswith((".xlsx", ".xlsm")):
        from kg_service.ingest.ssbd_template import read_ssbd_template

        return read_ssbd_template
    if name.endswith((".h5", ".hdf5", ".bd5")):
        from kg_service.ingest.bd5 import read_bd5_result

        return read_bd5_result
    if name.endswith((".xml", ".ome")):
        return _xml_reader(path)
    if name.endswith((".json", ".jsonld")):
        return _json_reader(path)
    if name.endswith((".csv", ".tsv")):
        return _csv_reader(path)
    if name.endswith(("-bulkmap-config.yml", "-bulkmap-config.yaml")):
        from kg_service.ingest.idr import read_bulkmap_config

        return read_bulkmap_config
    if name.endswith(".txt"):
        from kg_service.ingest.idr import read_idr_study

        return read_idr_study
    return None
