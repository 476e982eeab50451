"""Build the shipped term files (ontology/terms/*.jsonl.gz) from upstream ontology releases.

Why a build step: the upstream releases are large and slow to parse (full GO takes seconds in
pronto/obonet), while the service only needs ids, labels, synonyms, branch, obsolescence and
parent edges. One JSON object per term, gzipped, loads in a fraction of the time and keeps the
repository small. The OBO reader here is deliberately minimal (only the tags we keep) and
lenient (it accepts the unfixed `xref: EC 2.7.1.190` line that trips strict parsers).

Output record: {"id", "iri", "label", "synonyms", "ns", "parents", "part_of", "obsolete",
"replaced_by", "tree"} with empty fields left out.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import lzma
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

OBO_BASE = "http://purl.obolibrary.org/obo/"
# Ontologies whose releases use their own namespace instead of OBO PURLs
OWN_BASES = {"CMPO": "http://www.ebi.ac.uk/cmpo/"}
MESH_BASE = "http://id.nlm.nih.gov/mesh/"
TermRecord = dict[str, Any]


def open_text(path: Path) -> io.TextIOBase:
    """Open a plain, .gz or .xz text file (upstream files come in all three)."""
    if path.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(path), encoding="utf-8")
    if path.suffix == ".xz":
        return io.TextIOWrapper(lzma.open(path), encoding="utf-8")
    return io.TextIOWrapper(path.open("rb"), encoding="utf-8")


def obo_iri(curie: str) -> str:
    """OBO CURIE -> PURL, e.g. GO:0000278 -> http://purl.obolibrary.org/obo/GO_0000278."""
    prefix, _, local = curie.partition(":")
    return f"{OWN_BASES.get(prefix, OBO_BASE)}{prefix}_{local}"


def _stanzas(lines: Iterable[str]) -> Iterator[tuple[str, list[tuple[str, str]]]]:
    kind = ""
    tags: list[tuple[str, str]] = []
    for raw in lines:
        line = raw.rstrip("\n")
        if line.startswith("["):
            if kind:
                yield kind, tags
            kind, tags = line.strip("[]"), []
        elif kind and ": " in line:
            tag, _, value = line.partition(": ")
            tags.append((tag, value))
    if kind:
        yield kind, tags


def _target(value: str) -> str:
    """`GO:0007049 ! cell cycle` -> `GO:0007049` (drops the trailing comment and qualifiers)."""
    return value.split("!", 1)[0].split("{", 1)[0].strip()


def _synonym(value: str) -> tuple[str, str] | None:
    """`"mitosis" RELATED []` -> ("mitosis", "RELATED")."""
    if not value.startswith('"'):
        return None
    end = value.find('"', 1)
    while end > 0 and value[end - 1] == "\\":
        end = value.find('"', end + 1)
    if end < 0:
        return None
    rest = value[end + 1 :].split()
    return value[1:end].replace('\\"', '"'), (rest[0] if rest else "RELATED")


def _obo_record(kind: str, tags: list[tuple[str, str]]) -> TermRecord | None:
    record: TermRecord = {"synonyms": [], "parents": [], "part_of": []}
    for tag, value in tags:
        if tag == "id":
            record["id"] = value.strip()
        elif tag == "name":
            record["label"] = value.strip()
        elif tag == "namespace":
            record["ns"] = value.strip()
        elif tag == "synonym":
            syn = _synonym(value)
            if syn and syn[1] in {"EXACT", "RELATED", "NARROW"}:
                record["synonyms"].append(syn[0])
        elif tag == "is_a":
            record["parents"].append(_target(value))
        elif tag == "relationship" and value.startswith("part_of "):
            record["part_of"].append(_target(value[len("part_of ") :]))
        elif tag == "is_obsolete" and value.strip() == "true":
            record["obsolete"] = True
        elif tag == "replaced_by":
            record["replaced_by"] = value.strip()
    curie = record.get("id", "")
    if ":" not in curie or "label" not in record or curie.startswith("http"):
        return None
    if kind == "Typedef" and curie[:3] not in {"RO:", "BFO"}:
        return None
    record["iri"] = obo_iri(curie)
    return _compact(record)


def _compact(record: TermRecord) -> TermRecord:
    return {k: v for k, v in record.items() if v not in ([], None, "", False)}


def read_obo(path: Path, prefixes: tuple[str, ...]) -> list[TermRecord]:
    """Terms of an OBO file whose id starts with one of `prefixes` (numeric local ids only)."""
    records: list[TermRecord] = []
    with open_text(path) as handle:
        for kind, tags in _stanzas(handle):
            if kind not in {"Term", "Typedef"}:
                continue
            record = _obo_record(kind, tags)
            if record is None or not record["id"].startswith(prefixes):
                continue
            if not record["id"].split(":", 1)[1][:1].isdigit():
                continue  # rank terms such as NCBITaxon:species are not taxa
            records.append(record)
    return records


def read_mesh(trees: Path, entry_terms: Path | None) -> list[TermRecord]:
    """MeSH descriptors with tree numbers; parents come from the tree-number prefixes."""
    by_ui: dict[str, TermRecord] = {}
    tree_owner: dict[str, str] = {}
    with open_text(trees) as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            ui, tree = row["DescriptorUI"], row["TreeNumber"]
            record = by_ui.setdefault(
                ui, {"id": f"MESH:{ui}", "iri": MESH_BASE + ui, "label": row["DescriptorName"]}
            )
            record.setdefault("tree", []).append(tree)
            tree_owner[tree] = ui
    for record in by_ui.values():
        parents = {
            f"MESH:{tree_owner[t.rsplit('.', 1)[0]]}"
            for t in record["tree"]
            if "." in t and t.rsplit(".", 1)[0] in tree_owner
        }
        record["parents"] = sorted(parents)
        record["ns"] = "mesh"
    if entry_terms is not None:
        _add_mesh_synonyms(by_ui, entry_terms)
    return [_compact(r) for r in by_ui.values()]


def _add_mesh_synonyms(by_ui: dict[str, TermRecord], entry_terms: Path) -> None:
    with open_text(entry_terms) as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            record = by_ui.get(row["DescriptorUI"])
            name = row["TermName"]
            if record is None or name == record["label"] or len(name) > 60:
                continue
            record.setdefault("synonyms", []).append(name)


def read_licenses(path: Path) -> list[TermRecord]:
    """SPDX licences; the Creative Commons deed IRI (what our records use) is the main IRI."""
    records: list[TermRecord] = []
    with open_text(path) as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            iri = row["canonical_iri"] or row["spdx_iri"]
            synonyms = [row["spdx_id"], row["spdx_iri"]]
            if row["canonical_iri"]:
                synonyms.append(row["canonical_iri"])
            records.append(
                _compact(
                    {
                        "id": f"SPDX:{row['spdx_id']}",
                        "iri": iri,
                        "label": row["name"],
                        "synonyms": synonyms,
                        "ns": "license",
                    }
                )
            )
    return records


def write_terms(records: list[TermRecord], path: Path) -> int:
    """Write records sorted by id, gzipped with a fixed mtime so rebuilds are byte-identical."""
    path.parent.mkdir(parents=True, exist_ok=True)
    records = sorted(records, key=lambda r: str(r["id"]))
    with (
        path.open("wb") as raw,
        gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, compresslevel=9) as handle,
    ):
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False, sort_keys=True).encode() + b"\n")
    return len(records)


SOURCES: dict[str, tuple[str, ...]] = {
    # output name -> upstream files, relative to the ontology data folder
    "go": ("go/go-basic-2021-12-15.obo.xz",),
    "ncbitaxon": ("ncbitaxon/taxslim-2022-10-05.obo.gz",),
    "fbbi": ("fbbi/fbbi.obo",),
    "ro": ("ro/ro_import-go-2025-07-23.obo",),
    "mesh": ("mesh/mesh2024-treenumbers.tsv.gz", "mesh/mesh2024-entry-terms.tsv.gz"),
    "licenses": ("licenses/licenses.tsv",),
}
# term files built from sources kept in this repository (ontology/terms/sources/), because
# the shared ontology folder does not have them
REPO_SOURCES: dict[str, tuple[str, ...]] = {
    "cmpo": ("cmpo-reduced.obo",),
}
_PREFIXES = {
    "go": ("GO:",),
    "ncbitaxon": ("NCBITaxon:",),
    "fbbi": ("FBbi:",),
    "ro": ("RO:", "BFO:"),
    "cmpo": ("CMPO:",),
}


def build_one(name: str, files: list[Path], out_dir: Path) -> int:
    """Convert one ontology's upstream file(s) to `out_dir/{name}.jsonl.gz`."""
    if name == "mesh":
        records = read_mesh(files[0], files[1] if len(files) > 1 else None)
    elif name == "licenses":
        records = read_licenses(files[0])
    else:
        records = read_obo(files[0], _PREFIXES[name])
    return write_terms(records, out_dir / f"{name}.jsonl.gz")


def build_all(source_dir: Path, out_dir: Path) -> dict[str, int]:
    """Rebuild every shipped term file from the upstream folder layout of SOURCES."""
    counts: dict[str, int] = {}
    for name, rel_paths in SOURCES.items():
        counts[name] = build_one(name, [source_dir / p for p in rel_paths], out_dir)
    from kg_service.paths import knowledge_dir

    own = knowledge_dir("ontology") / "terms" / "sources"
    for name, rel_paths in REPO_SOURCES.items():
        counts[name] = build_one(name, [own / p for p in rel_paths], out_dir)
    return counts


if __name__ == "__main__":
    import sys

    from kg_service.paths import knowledge_dir

    src = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/data/ontologies")
    print(build_all(src, knowledge_dir("ontology") / "terms"))
