"""Benchmark the BD5 reader: real 081505 file, then ~5 MB and ~20 MB synthetic files.

Run with `python bench/bench_bd5.py` (not part of the test suite; about half a minute).

Why these figures: the reader must summarise the real embryo file in under 1 s (median) and
200 MB peak, and its cost must grow linearly with file size. So the script prints, for each file,
the median wall time, throughput, and the peak memory of a fresh process reading that one file
(tracemalloc peak of the read itself, plus the process's max RSS, which includes the interpreter,
numpy and h5py). A naive h5py read of every dataset (`[()]`, no checks) is timed in the same run
as the floor the reader is compared with. The two synthetic files share the 081505 layout
(padding gaps in the compound type, featureDef, trackInfo with divisions) and differ only in the
number of time points, so seconds-per-MB should be about equal if scaling is linear.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import h5py
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from kg_service.ingest.bd5 import read_bd5  # noqa: E402

REAL = ROOT / "tests" / "data" / "bd5" / "081505_L1_bd5.h5"
RUNS_REAL = 9
RUNS_SYNTHETIC = 5
OBJECTS_PER_TIME = 300  # close to the 081505 late stage (362 nuclei)
MB = 1024 * 1024

# Same layout as 081505: ('', V4) padding after entity, 64-byte rows.
OBJECT_DTYPE = np.dtype(
    {
        "names": ["ID", "t", "entity", "x", "y", "z", "radius", "label"],
        "formats": ["S16", "<f4", "S8", "<f4", "<f4", "<f4", "<f4", "S16"],
        "offsets": [0, 16, 20, 32, 36, 40, 44, 48],
        "itemsize": 64,
    }
)
SCALE_DTYPE = np.dtype(
    [
        ("dimension", "S8"),
        ("xScale", "<f8"),
        ("yScale", "<f8"),
        ("zScale", "<f8"),
        ("sUnit", "S16"),
        ("tScale", "<f8"),
        ("tUnit", "S16"),
    ]
)
FEATURE_DTYPE = np.dtype([("ID", "S16"), ("fID", "<i4"), ("value", "<f4")])
TRACK_DTYPE = np.dtype([("from", "S16"), ("to", "S16")])


# --- synthetic files -----------------------------------------------------------------------


def _ids(t: int, n: int) -> np.ndarray:
    return np.array([f"{t + 1:04d}{i:05d}".encode() for i in range(n)], dtype="S16")


def _time_point(t: int, n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    objects = np.zeros(n, dtype=OBJECT_DTYPE)
    objects["ID"] = _ids(t, n)
    objects["t"] = t + 1
    objects["entity"] = b"sphere"
    objects["x"], objects["y"] = rng.uniform(100, 600, n), rng.uniform(90, 440, n)
    objects["z"], objects["radius"] = rng.uniform(6, 28, n), rng.uniform(1.5, 4.5, n)
    objects["label"] = np.array([f"cell{i}".encode() for i in range(n)], dtype="S16")
    features = np.zeros(n, dtype=FEATURE_DTYPE)
    features["ID"] = objects["ID"]
    features["value"] = rng.uniform(1e5, 3e6, n)
    return objects, features


def _tracks(times: int, n: int) -> np.ndarray:
    """Each object links to the same index next time; every 50th divides into two."""
    links: list[tuple[bytes, bytes]] = []
    for t in range(times - 1):
        here, there = _ids(t, n), _ids(t + 1, n)
        for i in range(n):
            if i % 50 == 1:
                continue  # its place is taken by the sibling of a division
            links.append((here[i], there[i]))
            if i % 50 == 0 and i + 1 < n:
                links.append((here[i], there[i + 1]))
    return np.array(links, dtype=TRACK_DTYPE)


def write_synthetic(path: Path, times: int, n: int = OBJECTS_PER_TIME) -> Path:
    rng = np.random.default_rng(81505)
    with h5py.File(path, "w") as handle:
        data = handle.create_group("data")
        data["scaleUnit"] = np.array(
            [(b"3D+T", 0.09, 0.09, 1.0, b"micrometer", 1.0, b"minute")], dtype=SCALE_DTYPE
        )
        data["objectDef"] = np.array([(0, b"nucleus")], dtype=[("oID", "<i4"), ("name", "S128")])
        data["featureDef"] = np.array(
            [(0, b"totalGFPsignal", b"intensity")],
            dtype=[("fID", "<i4"), ("name", "S128"), ("fUnit", "S16")],
        )
        data["trackInfo"] = _tracks(times, n)
        for t in range(times):
            objects, features = _time_point(t, n, rng)
            data.create_dataset(f"{t}/object/0", data=objects)
            data.create_dataset(f"{t}/feature/0", data=features)
    return path


def write_sized(path: Path, target_bytes: int, probe_dir: Path) -> Path:
    """Write a synthetic file of about `target_bytes`, by scaling the number of time points."""
    probe = write_synthetic(probe_dir / "probe.h5", times=20)
    per_time = probe.stat().st_size / 20
    probe.unlink()
    return write_synthetic(path, times=max(2, round(target_bytes / per_time)))


# --- measuring -----------------------------------------------------------------------------


def naive_read(path: Path) -> None:
    """Baseline: read every dataset whole, no checks, no summary."""
    with h5py.File(path, "r") as handle:

        def visit(_: str, obj: Any) -> None:
            if isinstance(obj, h5py.Dataset):
                obj[()]

        handle.visititems(visit)


def median_seconds(action: Callable[[], object], runs: int) -> float:
    action()  # warm the page cache and imports, so runs compare like with like
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def peak_memory(path: Path) -> dict[str, float]:
    """Peak memory of reading `path` once, measured in a fresh process."""
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(path)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return result


def _max_rss_mb() -> float:
    """Peak resident memory of this process so far.

    /proc's VmHWM restarts at exec; ru_maxrss would still carry the forking parent's peak.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(path: Path) -> None:
    import tracemalloc

    rss_before = _max_rss_mb()
    tracemalloc.start()
    result = read_bd5(path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = _max_rss_mb()
    assert result.summary is not None
    print(
        json.dumps(
            {"traced_peak_mb": peak / MB, "max_rss_mb": rss, "rss_after_imports_mb": rss_before}
        )
    )


def report(label: str, path: Path, runs: int) -> float:
    size_mb = path.stat().st_size / MB
    summary = read_bd5(path).summary
    assert summary is not None
    reader = median_seconds(lambda: read_bd5(path), runs)
    naive = median_seconds(lambda: naive_read(path), runs)
    memory = peak_memory(path)
    print(
        f"{label:<22} {size_mb:7.2f} MB  {summary.time_points:5d} tp  "
        f"{summary.object_count:8,d} obj  read_bd5 {reader:7.3f} s ({size_mb / reader:6.1f} MB/s)  "
        f"naive h5py {naive:7.3f} s (x{reader / naive:4.2f})  "
        f"peak traced {memory['traced_peak_mb']:6.1f} MB, max RSS {memory['max_rss_mb']:6.1f} MB "
        f"(after imports {memory['rss_after_imports_mb']:5.1f} MB)"
    )
    return reader / size_mb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    print(f"median of {RUNS_REAL} runs (real) / {RUNS_SYNTHETIC} runs (synthetic), after 1 warm-up")
    report("081505_L1 (real)", REAL, RUNS_REAL)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        small = write_sized(folder / "synthetic_5mb.h5", 5 * MB, folder)
        large = write_sized(folder / "synthetic_20mb.h5", 20 * MB, folder)
        per_mb_small = report("synthetic ~5 MB", small, RUNS_SYNTHETIC)
        per_mb_large = report("synthetic ~20 MB", large, RUNS_SYNTHETIC)
    print(
        f"seconds per MB: 5 MB {per_mb_small:.4f}, 20 MB {per_mb_large:.4f}; "
        f"ratio 20MB/5MB = {per_mb_large / per_mb_small:.2f} (1.00 = linear)"
    )


if __name__ == "__main__":
    main()
