"""Full ingest from source files: `kg-service load` (default and database tier) beside raw
`bulk_load` of the same quads, the ceiling, in one run.

    .venv/bin/python bench/bench_ingest.py [N] [--workers W] [--tiers default,database]
                                            [--skip-raw]   (default N = 100000, both tiers)

Source files are SSBD instance Turtle, one 10-dataset project per file, from
`kg_service.synthetic_sources` (kept in .cache/bench/sources-curated-N and reused), curated
as for the database tier (release date, file format, e-mails added; wrong-branch GO terms and
OME-Zarr links without size and checksum removed), so that both tiers store the same projects
and only the seeded 1 % of defective projects is refused. Each load runs
in a fresh process on a new store; its peak RSS is the sum over the loader and its worker
processes (sampled from /proc every 0.2 s). The raw baseline bulk-loads the N-Quads dump of
the first store loaded (the same quads) without IRI checks, as `load` does with text the
shapes parsed, and optimizes, as `load` does above 1 M quads.
The machine is shared: compare the ratios, which come from the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
CACHE = REPO / ".cache" / "bench"
CLI = [sys.executable, "-m", "kg_service.cli"]
RAW = """
import sys, time, pyoxigraph as ox
store = ox.Store(sys.argv[1])
started = time.perf_counter()
store.bulk_load(path=sys.argv[2], format=ox.RdfFormat.N_QUADS, lenient=True)  # as `load`
store.optimize()
print(time.perf_counter() - started)
"""


def sources(n: int) -> Path:
    from kg_service.synthetic_sources import write_source_files

    folder = CACHE / f"sources-curated-{n}"
    done = folder / ".complete"
    if not done.exists():
        shutil.rmtree(folder, ignore_errors=True)
        started = time.perf_counter()
        files = sum(1 for _ in write_source_files(folder, n, curated=True))
        done.write_text(str(files))
        print(f"wrote {files:,} source files in {time.perf_counter() - started:.0f} s")
    size = sum(p.stat().st_size for p in folder.rglob("*.ttl"))
    print(f"sources: {n:,} datasets in {done.read_text()} files, {size / 2**20:.0f} MiB")
    return folder


def _tree(pid: int) -> list[int]:
    """`pid` and all its descendants."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    out, stack = [], [pid]
    while stack:
        current = stack.pop()
        out.append(current)
        stack.extend(children.get(current, []))
    return out


def _sample(pid: int, cpu: dict[int, float]) -> int:
    """Resident bytes of the tree now; records each process's CPU seconds so far."""
    total = 0
    tick = os.sysconf("SC_CLK_TCK")
    for each in _tree(pid):
        try:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
            cpu[each] = (int(fields[11]) + int(fields[12])) / tick
            for line in Path(f"/proc/{each}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            pass
    return total


def timed(command: list[str]) -> tuple[float, int, float, str]:
    """Wall seconds, peak tree RSS, CPU seconds of the tree and stdout of a command.

    CPU seconds are what the machine's other users cannot inflate much: on a loaded shared
    box, datasets per CPU-second x 2 cores is the rate two idle cores would reach.
    """
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = [0]
    cpu: dict[int, float] = {}

    def sample() -> None:
        while process.poll() is None:
            peak[0] = max(peak[0], _sample(process.pid, cpu))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = process.communicate()
    elapsed = time.perf_counter() - started
    sampler.join()
    if process.returncode not in (0, 1):
        raise SystemExit(f"{command} failed: {err[-2000:]}")
    return elapsed, peak[0], sum(cpu.values()), out


def load(folder: Path, store: Path, tier: str | None, workers: int | None) -> dict[str, Any]:
    shutil.rmtree(store, ignore_errors=True)
    report = store.with_suffix(".report.json")
    command = [*CLI, "load", "--store", str(store), "--report", str(report), str(folder)]
    command += ["--tier", tier] if tier else []
    command += ["--workers", str(workers)] if workers else []
    elapsed, rss, cpu, _out = timed(command)
    with report.open(encoding="utf-8") as handle:
        summary = json.load(handle)["summary"]
    return {"s": elapsed, "rss": rss, "cpu": cpu, **summary}


def main() -> None:
    parser = argparse.ArgumentParser(description="ingest from source files vs raw bulk_load")
    parser.add_argument("n", nargs="?", type=int, default=100_000, help="datasets")
    parser.add_argument("--workers", type=int, help="worker processes (default: one per core)")
    parser.add_argument(
        "--tiers",
        type=lambda text: text.split(","),
        default=["default", "database"],
        help="comma-separated: default, database",
    )
    parser.add_argument("--skip-raw", action="store_true", help="no raw bulk_load baseline")
    args = parser.parse_args()
    unknown = set(args.tiers) - {"default", "database"}
    if unknown or not args.tiers:
        parser.error(f"--tiers takes default and/or database, not {', '.join(unknown)}")
    n, workers, tiers = args.n, args.workers, args.tiers
    print(f"load average at start: {os.getloadavg()[0]:.1f} (2 cores, shared machine)")
    folder = sources(n)
    work = CACHE / f"ingest-{n}"
    work.mkdir(parents=True, exist_ok=True)
    rows = {}
    for name, tier in (("default tier", None), ("database tier", "database")):
        if name.split()[0] in tiers:
            rows[name] = load(folder, work / name.replace(" ", "-"), tier, workers)
    raw_s = raw_cpu = 0.0
    if not args.skip_raw:
        first = next(iter(rows))
        raw_s, raw_cpu = raw_baseline(work, first, rows[first]["quads_stored"])
    print(f"load average at end: {os.getloadavg()[0]:.1f}")
    for name, row in rows.items():
        found = sum(row["finding_counts"].values())
        print(
            f"{name:14s}: {row['s']:.1f} s, {n / row['s']:,.0f} datasets/s from source files "
            f"(stored {row['datasets_stored']:,} datasets, {row['files_refused']:,} files "
            f"refused, {found:,} findings), peak RSS {row['rss'] / 2**30:.2f} GiB"
            + (f", time x{row['s'] / raw_s:.1f} of raw bulk_load" if raw_s else "")
            + "; target >= 500 datasets/s"
        )
        print(
            f"{'':14s}  {row['cpu']:.0f} CPU s in all processes = "
            f"{row['cpu'] / n * 1000:.2f} ms per dataset -> {2 * n / row['cpu']:,.0f} datasets/s "
            f"on 2 idle cores"
            + (f"; CPU x{row['cpu'] / raw_cpu:.1f} of raw bulk_load" if raw_cpu else "")
        )
    shutil.rmtree(work, ignore_errors=True)


def raw_baseline(work: Path, tier_name: str, quads: int) -> tuple[float, float]:
    """Wall and CPU seconds of bulk_load + optimize of the quads the first load stored."""
    dump = work / "stored.nq"
    store = work / tier_name.replace(" ", "-")
    subprocess.run([*CLI, "dump", "--store", str(store), "-o", str(dump)], check=True)
    raw_store = work / "raw"
    shutil.rmtree(raw_store, ignore_errors=True)
    raw_s, raw_rss, raw_cpu, out = timed([sys.executable, "-c", RAW, str(raw_store), str(dump)])
    raw_load_s = float(out.strip().splitlines()[-1])
    print(f"raw bulk_load + optimize of the same {quads:,} quads: {raw_load_s:.1f} s "
          f"({quads / raw_load_s:,.0f} quads/s; {raw_s:.1f} s with start-up), "
          f"peak RSS {raw_rss / 2**30:.2f} GiB, {raw_cpu:.0f} CPU s")  # fmt: skip
    return raw_s, raw_cpu


if __name__ == "__main__":
    main()
