"""Bulk load: our restore path against raw pyoxigraph bulk_load, same file, same run.

Usage: python bench/bench_bulk_load.py [n_datasets]   (default 100000, about 5 M quads)

Each load runs in a fresh process so peak memory (ru_maxrss) is its own. Prints seconds,
quads per second, peak RSS and the ratio ours / raw (target: at least 0.8).
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RAW = """
import json, resource, sys, time
import pyoxigraph as ox
store = ox.Store(sys.argv[1])
started = time.perf_counter()
store.bulk_load(path=sys.argv[2], format=ox.RdfFormat.N_QUADS)
loaded = time.perf_counter() - started
store.optimize()
total = time.perf_counter() - started
print(json.dumps({"load_s": loaded, "total_s": total, "quads": len(store),
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

OURS = """
import json, resource, sys, time
from pathlib import Path
from kg_service.store.backup import restore
started = time.perf_counter()
restore(Path(sys.argv[1]), Path(sys.argv[2]))
quads = None
total = time.perf_counter() - started
print(json.dumps({"load_s": None, "total_s": total, "quads": quads,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run(code: str, store: Path, source: Path) -> dict[str, float]:
    output = subprocess.run(
        [sys.executable, "-c", code, str(store), str(source)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result: dict[str, float] = json.loads(output.strip().splitlines()[-1])
    return result


def main() -> None:
    from kg_service.synthetic import write_synthetic_nquads

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        source = work / "corpus.nq"
        started = time.perf_counter()
        quads = write_synthetic_nquads(source, n)
        print(
            f"synthetic corpus: {n:,} datasets, {quads:,} quads, "
            f"{source.stat().st_size / 2**20:.0f} MiB in {time.perf_counter() - started:.1f} s"
        )
        rows = []
        for round_number in range(2):  # alternate order to spread machine noise
            order = (
                [("raw", RAW), ("ours", OURS)]
                if round_number == 0
                else [("ours", OURS), ("raw", RAW)]
            )
            for name, code in order:
                result = run(code, work / f"{name}-{round_number}", source)
                rows.append((name, result))
        for name in ("raw", "ours"):
            totals = [r["total_s"] for n_, r in rows if n_ == name]
            rss = max(r["rss_mb"] for n_, r in rows if n_ == name)
            best = min(totals)
            print(
                f"{name:5s}: bulk load + optimize {best:.1f} s "
                f"(runs {', '.join(f'{t:.1f}' for t in totals)}),"
                f" {quads / best:,.0f} quads/s, peak RSS {rss:.0f} MiB"
            )
        raw_best = min(r["total_s"] for n_, r in rows if n_ == "raw")
        ours_best = min(r["total_s"] for n_, r in rows if n_ == "ours")
        raw_load = min(r["load_s"] for n_, r in rows if n_ == "raw")
        print(f"raw bulk_load alone: {quads / raw_load:,.0f} quads/s")
        print(f"ratio ours/raw (rate): {raw_best / ours_best:.2f} (target >= 0.80)")
        check_round_trip(work / "ours-0", work)


def line_digest(path: Path) -> tuple[int, int]:
    """Order-independent digest of an N-Quads file: (line count, sum of line hashes)."""
    count, total = 0, 0
    with path.open("rb") as handle:
        for line in handle:
            digest = hashlib.blake2b(line.rstrip(b"\n"), digest_size=8).digest()
            total = (total + int.from_bytes(digest, "big")) % (1 << 64)
            count += 1
    return count, total


def check_round_trip(store: Path, work: Path) -> None:
    """dump -> restore -> dump gives the same quads (blank-node labels aside: there are none)."""
    from kg_service.store.backup import dump_to_path, restore

    first, second = work / "first.nq", work / "second.nq"
    started = time.perf_counter()
    dump_to_path(store, first)
    dumped = time.perf_counter() - started
    restore(work / "round-trip", first)
    dump_to_path(work / "round-trip", second)
    a, b = line_digest(first), line_digest(second)
    print(f"dump: {a[0]:,} quads in {dumped:.1f} s; dump -> restore -> dump identical: {a == b}")
    if a != b:
        raise SystemExit("round trip changed the store")


if __name__ == "__main__":
    main()
