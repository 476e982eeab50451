"""Benchmark loading a large IDR annotation file: image groups against one record per image.

Run with `python bench/bench_annotations.py [ROWS]` (default 100,000; not part of the tests).

Why: an IDR screen has one annotation row per well or image, 10^5 and more for genome-wide
screens, and the issue asks for such a file to load in under 60 s with bounded triples. The
service stores the rows as `ImageGroup`s (images sharing every annotation value, with their
count); the alternative is one record per image. Both go through the real `submit` path
(read -> RDF -> SHACL -> Oxigraph on disk) with the study file idr0025 beside the synthetic
annotation file, and the script prints, per design, the median wall time of the whole load,
the time of each stage, the triples stored and triples per annotation row.

The synthetic file follows idr0025/idr0013's columns (plate, well, organism and cell line with
term sources, siRNA, gene id and symbol, up to three CMPO phenotypes, control type): a
genome-wide siRNA screen with ROWS/5 genes, three siRNAs per gene, wells spread over
replicate plates, and 15 % of wells with phenotypes. Every run writes a new file with a new
seed, so nothing is answered from a cache; the first (warm-up) run is not counted.
"""

from __future__ import annotations

import csv
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from kg_service.ingest import idr_annotations  # noqa: E402
from kg_service.pipeline import prepare, submit  # noqa: E402
from kg_service.store import OxigraphStore  # noqa: E402

STUDY = ROOT.parent / "shared" / "data" / "peers" / "idr" / "study" / "idr0025-study.txt"
BASE = "http://kg.bench/"
RUNS = 3
PHENOTYPES = [f"CMPO_{n:07d}" for n in range(390, 450) if n not in (409, 418)][:40]
HEADER = [
    "Plate", "Well", "Characteristics [Organism]", "Term Source 1 REF", "Term Source 1 Accession",
    "Characteristics [Cell Line]", "Term Source 2 REF", "Term Source 2 Accession",
    "siRNA Identifier", "Gene Identifier", "Gene Symbol", "Control Type",
    "Phenotype 1", "Phenotype 1 Term Name", "Phenotype 1 Term Accession",
    "Phenotype 2", "Phenotype 2 Term Name", "Phenotype 2 Term Accession",
    "Phenotype 3", "Phenotype 3 Term Name", "Phenotype 3 Term Accession",
]  # fmt: skip


def write_file(folder: Path, rows: int, seed: int) -> Path:
    """A synthetic screen annotation file beside a copy of the real idr0025 study file."""
    rng = random.Random(seed)
    shutil.copy(STUDY, folder / "idr0025-study.txt")
    path = folder / "idr0025-screenA-annotation.csv"
    genes = max(rows // 5, 1)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for row in range(rows):
            gene = rng.randrange(genes)
            sirna = f"s{gene * 3 + rng.randrange(3)}"
            phenotypes = (
                rng.sample(PHENOTYPES, rng.choice((1, 1, 2, 3))) if rng.random() < 0.15 else []
            )
            cells = [
                f"plate {row // 384 + 1}", f"{chr(65 + row % 384 // 24)}{row % 24 + 1}",
                "Homo sapiens", "NCBITaxon", "NCBITaxon_9606", "HeLa", "EFO", "EFO_0001185",
                sirna, f"ENSG{gene:011d}", f"GENE{gene}",
                "negative" if rng.random() < 0.02 else "",
            ]  # fmt: skip
            for index in range(3):
                term = phenotypes[index] if index < len(phenotypes) else ""
                cells += [f"phenotype {term}" if term else "", "", term]
            writer.writerow(cells)
    return path


def load_once(rows: int, seed: int, per_image: bool) -> dict[str, float]:
    """One full load into a fresh on-disk store; stage times and sizes."""
    original = idr_annotations.read_annotation_file

    def reader(path: Path, out: idr_annotations.Collector) -> object:
        return original(path, out, per_image=per_image)

    idr_annotations.read_annotation_file = reader  # type: ignore[assignment]
    import kg_service.ingest.idr as idr

    idr.read_annotation_file = reader  # type: ignore[assignment]
    try:
        with tempfile.TemporaryDirectory(dir=ROOT / ".cache") as tmp:
            folder = Path(tmp)
            path = write_file(folder, rows, seed)
            start = time.perf_counter()
            report = prepare([path], BASE)
            prepared = time.perf_counter() - start
            store = OxigraphStore(folder / "store")
            start = time.perf_counter()
            stored = submit([path], store, BASE)
            total = time.perf_counter() - start
            store.close()
            assert stored.stored, [
                str(f) for f in stored.findings if f.severity.name == "VIOLATION"
            ]
            triples = sum(len(p.graph) for p in report.projects)
            return {"load_s": total, "prepare_s": prepared, "triples": float(triples)}
    finally:
        idr_annotations.read_annotation_file = original
        idr.read_annotation_file = original


def measure(rows: int, per_image: bool) -> None:
    name = "one record per image" if per_image else "image groups (stored design)"
    load_once(min(rows, 2000), 0, per_image)  # warm-up: shapes, term index, schema
    results = [load_once(rows, seed, per_image) for seed in range(1, RUNS + 1)]
    load = statistics.median(r["load_s"] for r in results)
    prep = statistics.median(r["prepare_s"] for r in results)
    triples = statistics.median(r["triples"] for r in results)
    runs = ", ".join(f"{r['load_s']:.1f}" for r in results)
    print(
        f"{name:30} rows {rows:>7,}  load median {load:6.1f} s (runs {runs})"
        f"  read+map+SHACL {prep:6.1f} s  triples {triples:>9,.0f}"
        f"  triples/row {triples / rows:5.2f}",
        flush=True,
    )


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    (ROOT / ".cache").mkdir(exist_ok=True)
    print(f"IDR annotation load, {RUNS} runs each after a warm-up, new file per run")
    measure(rows, per_image=False)
    measure(rows // 10, per_image=False)
    measure(rows // 10, per_image=True)
    if "--per-image-full" in sys.argv:
        measure(rows, per_image=True)


if __name__ == "__main__":
    main()
