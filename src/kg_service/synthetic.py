"""A seeded synthetic corpus shaped like the records our pipeline stores, for benchmarks.

Why: performance has to be measured at 100,000 datasets, far beyond the real corpus. The
records copy the classes, predicates and IRI layout of `rdf.py` output for SSBD data (one
named graph per project, owned sub-nodes under the record IRI, the base-IRI meta graph), and
their terms are drawn from the shipped term files with skewed (Zipf-like) frequencies, so
facet counts and hierarchy expansion behave as on real data. Lines are streamed to disk as
N-Quads; nothing is built in memory, and one seed always gives the same bytes.
"""

from __future__ import annotations

import gzip
import json
import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path
from typing import IO, Any

from kg_service.paths import knowledge_dir

KG = "https://w3id.org/bioimage-kg/vocab/"
DCT = "http://purl.org/dc/terms/"
DCAT = "http://www.w3.org/ns/dcat#"
SDO = "http://schema.org/"
OBO = "http://purl.obolibrary.org/obo/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD = "http://www.w3.org/2001/XMLSchema#"
META_GRAPH = "urn:kg-service:meta"

# organisms with the weight they get (real repositories are dominated by a few model organisms)
_ORGANISMS = {
    "NCBITaxon:10090": 40,
    "NCBITaxon:9606": 25,
    "NCBITaxon:7955": 8,
    "NCBITaxon:6239": 6,
    "NCBITaxon:7227": 6,
    "NCBITaxon:4932": 4,
    "NCBITaxon:3702": 3,
    "NCBITaxon:10116": 3,
    "NCBITaxon:9615": 1,
    "NCBITaxon:9483": 1,
    "NCBITaxon:44689": 1,
    "NCBITaxon:8355": 1,
}
_LICENSES = {
    "https://creativecommons.org/licenses/by/4.0/": 70,
    "https://creativecommons.org/publicdomain/zero/1.0/": 15,
    "https://creativecommons.org/licenses/by-sa/4.0/": 10,
    "https://creativecommons.org/licenses/by-nc/4.0/": 5,
}
_FORMATS = {
    "tif": ("image/tiff", 40),
    "ome.tif": ("image/tiff", 15),
    "ome.zarr": ("application/vnd.ome.zarr", 15),
    "czi": ("application/octet-stream", 10),
    "h5": ("application/x-hdf5", 10),
    "csv": ("text/csv", 10),
}
_WORDS = [
    "time-lapse",
    "imaging",
    "of",
    "dynamics",
    "in",
    "live",
    "embryos",
    "cells",
    "tissue",
    "nuclei",
    "membrane",
    "division",
    "migration",
    "development",
    "morphology",
    "segmentation",
    "tracking",
    "quantitative",
    "analysis",
    "mutant",
    "wild-type",
    "knockdown",
    "expression",
    "reporter",
    "fluorescent",
    "protein",
    "high-resolution",
    "3D",
    "volume",
]
_SOURCES = {"SSBD": 50, "IDR": 30, "BioImage Archive": 20}


def _terms_file(name: str) -> Iterator[dict[str, Any]]:
    path = knowledge_dir("ontology") / "terms" / f"{name}.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            yield json.loads(line)


@dataclass(frozen=True)
class Pool:
    """Values with cumulative weights, for fast seeded weighted choice."""

    values: tuple[str, ...]
    cum_weights: tuple[float, ...]
    labels: tuple[str, ...]

    def pick(self, rng: random.Random) -> int:
        return rng.choices(range(len(self.values)), cum_weights=self.cum_weights)[0]


def _zipf_pool(items: Sequence[tuple[str, str]], head: dict[str, float] | None = None) -> Pool:
    """Weight 1/rank over `items` (id, label); `head` fixes the weights of chosen ids."""
    head = head or {}
    weights = [head.get(iri, 1.0 / (rank + 1)) for rank, (iri, _) in enumerate(items)]
    return Pool(
        tuple(iri for iri, _ in items),
        tuple(accumulate(weights)),
        tuple(label for _, label in items),
    )


def _obo_iri(curie: str) -> str:
    prefix, _, local = curie.partition(":")
    return f"{OBO}{prefix}_{local}"


@dataclass(frozen=True)
class TermPools:
    organisms: Pool
    go: dict[str, Pool]
    methods: Pool
    mesh: Pool


def _below(records: dict[str, dict[str, Any]], root: str) -> list[str]:
    """Ids of live terms with `root` among their is_a ancestors (or the root itself)."""
    children: dict[str, list[str]] = {}
    for curie, record in records.items():
        for parent in record.get("parents", []):
            children.setdefault(parent, []).append(curie)
    found, stack = [], [root]
    while stack:
        node = stack.pop()
        if node in records and not records[node].get("obsolete"):
            found.append(node)
        stack.extend(children.get(node, []))
    return sorted(set(found))


def build_pools(rng: random.Random) -> TermPools:
    """Draw realistic term pools from the shipped term files (deterministic for `rng`)."""
    taxa = {r["id"]: r for r in _terms_file("ncbitaxon")}
    head = [(c, taxa[c]["label"]) for c in _ORGANISMS if c in taxa]
    tail_ids = rng.sample(
        sorted(c for c in _below(taxa, "NCBITaxon:2759") if c not in _ORGANISMS), 150
    )
    tail = [(c, taxa[c]["label"]) for c in tail_ids]
    weights = {_obo_iri(c): float(w) for c, w in _ORGANISMS.items()}
    organisms = _zipf_pool([(_obo_iri(c), lbl) for c, lbl in head + tail], weights)
    # the tail shares about 5 % of the weight
    go_records = [r for r in _terms_file("go") if not r.get("obsolete")]
    go: dict[str, Pool] = {}
    for ns in ("biological_process", "molecular_function", "cellular_component"):
        in_ns = sorted((r["id"], r["label"]) for r in go_records if r.get("ns") == ns)
        chosen = rng.sample(in_ns, 400)
        go[ns] = _zipf_pool([(_obo_iri(c), lbl) for c, lbl in chosen])
    fbbi = {r["id"]: r for r in _terms_file("fbbi")}
    methods_ids = _below(fbbi, "FBbi:00000222")
    rng.shuffle(methods_ids)
    first = ["FBbi:00000251", "FBbi:00000246", "FBbi:00000369", "FBbi:00050000"]
    ordered = first + [m for m in methods_ids if m not in first]
    methods = _zipf_pool([(_obo_iri(c), fbbi[c]["label"]) for c in ordered if c in fbbi])
    mesh_records = [r for r in _terms_file("mesh") if str(r.get("tree", [""])[0])[:1] in "EG"]
    mesh_pick = rng.sample(sorted((r["iri"], r["label"]) for r in mesh_records), 300)
    return TermPools(organisms, go, methods, _zipf_pool(mesh_pick))


def _iri(value: str) -> str:
    return f"<{value}>"


def _lit(value: str, datatype: str | None = None) -> str:
    escaped = (
        value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    )
    return f'"{escaped}"^^<{XSD}{datatype}>' if datatype else f'"{escaped}"'


class QuadWriter:
    """Writes N-Quads lines to a text stream and counts them."""

    def __init__(self, out: IO[str]) -> None:
        self.out = out
        self.count = 0
        self.graph = ""

    def add(self, s: str, p: str, o: str) -> None:
        self.out.write(f"{s} <{p}> {o} {self.graph} .\n")
        self.count += 1


def _weighted(rng: random.Random, table: dict[str, Any]) -> str:
    keys = list(table)
    weights = [v[1] if isinstance(v, tuple) else v for v in table.values()]
    return rng.choices(keys, weights=weights)[0]


def _dataset(w: QuadWriter, rng: random.Random, pools: TermPools, iri: str, n: int) -> None:
    """About 50 triples: dataset, biosample, acquisition, image data, scales, files."""
    org = pools.organisms.pick(rng)
    method = pools.methods.pick(rng)
    ds = _iri(iri)
    org_label = pools.organisms.labels[org]
    title = f"{pools.methods.labels[method].capitalize()} of {org_label} {rng.choice(_WORDS)}"
    w.add(ds, RDF_TYPE, _iri(KG + "Dataset"))
    w.add(ds, DCT + "identifier", _lit(f"D{n:06d}"))
    w.add(ds, DCT + "title", _lit(title))
    words = " ".join(rng.choices(_WORDS, k=12))
    w.add(ds, DCT + "description", _lit(f"{title}: {words}."))
    for keyword in rng.sample(_WORDS, 2):
        w.add(ds, SDO + "keywords", _lit(keyword))
    kind = "QuantitativeDataKind" if rng.random() < 0.15 else "ImageDataKind"
    w.add(ds, KG + "dataKind", _iri(KG + kind))
    fmt = _weighted(rng, _FORMATS)
    w.add(ds, KG + "fileFormat", _lit(fmt))
    w.add(ds, KG + "folderName", _lit(f"folder_{n:06d}"))
    _biosample(w, rng, pools, iri, org)
    _acquisition(w, rng, pools, iri, method)
    _image_data(w, rng, iri)
    for k in range(1, rng.choice((2, 2, 3)) + 1):
        _file(w, rng, iri, k, fmt)


def _biosample(w: QuadWriter, rng: random.Random, pools: TermPools, iri: str, org: int) -> None:
    bs = _iri(f"{iri}/biosample/1")
    w.add(_iri(iri), KG + "biosample", bs)
    w.add(bs, RDF_TYPE, _iri(KG + "Biosample"))
    w.add(bs, OBO + "RO_0002162", _iri(pools.organisms.values[org]))
    slots = {
        "biological_process": "goBiologicalProcess",
        "molecular_function": "goMolecularFunction",
        "cellular_component": "goCellularComponent",
    }
    for ns in rng.sample(sorted(slots), rng.choice((1, 2, 2, 3))):
        pool = pools.go[ns]
        w.add(bs, KG + slots[ns], _iri(pool.values[pool.pick(rng)]))
    if rng.random() < 0.4:
        w.add(bs, KG + "meshTerm", _iri(pools.mesh.values[pools.mesh.pick(rng)]))


def _acquisition(
    w: QuadWriter, rng: random.Random, pools: TermPools, iri: str, method: int
) -> None:
    acq = _iri(f"{iri}/acquisition/1")
    w.add(_iri(iri), KG + "imageAcquisition", acq)
    w.add(acq, RDF_TYPE, _iri(KG + "ImageAcquisition"))
    w.add(acq, KG + "imagingMethod", _iri(pools.methods.values[method]))


def _image_data(w: QuadWriter, rng: random.Random, iri: str) -> None:
    img = f"{iri}/image-data"
    w.add(_iri(iri), KG + "imageData", _iri(img))
    w.add(_iri(img), RDF_TYPE, _iri(KG + "ImageData"))
    for axis, choices in (("X", (512, 1024, 2048)), ("Y", (512, 1024, 2048)), ("Z", (1, 30, 100))):
        w.add(_iri(img), KG + f"size{axis}", _lit(str(rng.choice(choices)), "integer"))
    w.add(_iri(img), KG + "sizeC", _lit(str(rng.randint(1, 4)), "integer"))
    w.add(_iri(img), KG + "sizeT", _lit(str(rng.choice((1, 100, 500))), "integer"))
    for axis in ("x", "y"):
        q = _iri(f"{img}/physical-size-{axis}")
        w.add(_iri(img), KG + f"physicalSize{axis.upper()}", q)
        w.add(q, RDF_TYPE, _iri(KG + "Quantity"))
        w.add(q, SDO + "value", _lit(f"{rng.uniform(0.05, 2):.3f}", "decimal"))
        w.add(q, SDO + "unitCode", _iri(OBO + "UO_0000017"))
        w.add(q, SDO + "unitText", _lit("micrometer"))


def _file(w: QuadWriter, rng: random.Random, iri: str, k: int, fmt: str) -> None:
    f = _iri(f"{iri}/file/{k}")
    name = f"image_{k}.{fmt}"
    w.add(_iri(iri), DCAT + "distribution", f)
    w.add(f, RDF_TYPE, _iri(KG + "DataFile"))
    w.add(f, DCAT + "downloadURL", _iri(f"https://data.example.org/{iri.rsplit('/', 1)[1]}/{name}"))
    w.add(f, DCAT + "mediaType", _lit(_FORMATS[fmt][0]))
    w.add(f, DCAT + "byteSize", _lit(str(rng.randint(10**5, 10**10)), "integer"))
    w.add(f, SDO + "name", _lit(name))


def _project(
    w: QuadWriter,
    rng: random.Random,
    pools: TermPools,
    base: str,
    p: int,
    dataset_numbers: range,
) -> None:
    key = f"syn-{p:05d}"
    w.graph = _iri(f"{base}graph/{key}")
    proj = _iri(f"{base}projects/{key}")
    licence = _weighted(rng, _LICENSES)
    year = rng.randint(2010, 2025)
    w.add(proj, RDF_TYPE, _iri(KG + "Project"))
    w.add(proj, DCT + "identifier", _lit(key))
    w.add(proj, DCT + "title", _lit(f"Synthetic study {p} of {rng.choice(_WORDS)}"))
    w.add(proj, DCT + "description", _lit(" ".join(rng.choices(_WORDS, k=20))))
    w.add(proj, DCT + "license", _iri(licence))
    w.add(_iri(licence), RDF_TYPE, _iri(DCT + "LicenseDocument"))
    w.add(proj, KG + "sourceRepository", _lit(_weighted(rng, _SOURCES)))
    w.add(proj, DCT + "dateSubmitted", _lit(f"{year}-{rng.randint(1, 12):02d}-15", "date"))
    w.add(proj, DCT + "issued", _lit(f"{year}-{rng.randint(1, 12):02d}-28", "date"))
    w.add(proj, KG + "tier", _lit("database"))
    for n in dataset_numbers:
        iri = f"{base}datasets/{key}-{n:06d}"
        w.add(proj, DCT + "hasPart", _iri(iri))
        _dataset(w, rng, pools, iri, n)


def write_synthetic_nquads(
    path: Path,
    n_datasets: int,
    base_iri: str = "http://localhost:8000/",
    seed: int = 0,
    datasets_per_project: int = 10,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write `n_datasets` synthetic datasets (in projects of `datasets_per_project`) as N-Quads.

    :returns: the number of quads written.

    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "s.nq"
    >>> write_synthetic_nquads(out, 3, "http://kg.test/") > 100
    True
    """
    rng = random.Random(seed)
    pools = build_pools(rng)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "wt", encoding="utf-8") as out:
        writer = QuadWriter(out)
        start, project = 0, 0
        while start < n_datasets:
            stop = min(start + datasets_per_project, n_datasets)
            _project(writer, rng, pools, base_iri, project, range(start, stop))
            if progress is not None:
                progress(stop)
            start, project = stop, project + 1
        writer.graph = _iri(META_GRAPH)
        writer.add(_iri("urn:kg-service:store"), KG + "baseIri", _lit(base_iri))
    return writer.count
