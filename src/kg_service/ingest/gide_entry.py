"""GIDE search-index entries (`example_search_entry.json`): one study as nested JSON.

The entry is the GIDE RO-Crate profile's root Dataset with every linked node written in
place and `id`/`type` instead of `@id`/`@type`. It is flattened back into a crate (nodes with
an `id` become entities, referenced from where they stood) and read by the RO-Crate reader;
compact IRIs such as `obo:FBbi_00000251` are expanded with the GIDE profile's `obo` prefix.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kg_service.ingest import ReadResult
from kg_service.ingest.peer_common import read_json
from kg_service.ingest.rocrate import read_rocrate_data

GIDE_CONTEXT = {"obo": "http://purl.obolibrary.org/obo/"}


def _flatten(node: Any, entities: dict[str, dict[str, Any]]) -> Any:
    """Nodes with an id become entities; where they stood, a reference remains."""
    if isinstance(node, list):
        return [_flatten(item, entities) for item in node]
    if not isinstance(node, dict):
        return node
    entity = {
        ("@id" if k == "id" else "@type" if k == "type" else k): _flatten(v, entities)
        for k, v in node.items()
        if v is not None
    }
    if "@id" not in entity:
        return entity
    entities.setdefault(str(entity["@id"]), entity)
    return {"@id": entity["@id"]}


def read_gide_entry(path: Path) -> ReadResult:
    data, failed = read_json(path)
    if failed is not None:
        return failed
    entities: dict[str, dict[str, Any]] = {}
    root = _flatten(data, entities)
    graph = [{"@id": "ro-crate-metadata.json", "about": root}, *entities.values()]
    return read_rocrate_data({"@context": [GIDE_CONTEXT], "@graph": graph}, path)
