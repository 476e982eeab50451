"""The background refresher behind the VoID statistics: a request never waits for a run,
requests made during a run are folded into exactly one more run, and a failing run is
logged without stopping later ones."""

from __future__ import annotations

import threading

from kg_service.ops.refresher import Refresher


def test_requests_during_a_run_fold_into_one_more_run() -> None:
    started, release = threading.Event(), threading.Event()
    runs: list[int] = []

    def work() -> None:
        runs.append(len(runs))
        started.set()
        release.wait(30)

    refresher = Refresher(work, "test")
    try:
        refresher.request()
        assert started.wait(10)
        for _ in range(5):  # each returns at once, though the first run is still going
            refresher.request()
        assert not refresher.wait_idle(0.2)
        release.set()
        assert refresher.wait_idle(30)
        assert runs == [0, 1]
    finally:
        refresher.close()


def test_a_failed_run_does_not_stop_the_next() -> None:
    outcomes: list[str] = []

    def work() -> None:
        outcomes.append("run")
        if len(outcomes) == 1:
            raise RuntimeError("the store went away")

    refresher = Refresher(work, "test")
    try:
        refresher.request()
        assert refresher.wait_idle(30)
        refresher.request()
        assert refresher.wait_idle(30)
        assert outcomes == ["run", "run"]
    finally:
        refresher.close()


def test_the_next_run_waits_as_long_as_the_last_one_took() -> None:
    """At most half of a core: at 1 M datasets a run takes 15 minutes."""
    import time

    marks: list[tuple[float, float]] = []

    def work() -> None:
        began = time.monotonic()
        time.sleep(0.3)
        marks.append((began, time.monotonic()))

    refresher = Refresher(work, "test")
    try:
        refresher.request()
        assert refresher.wait_idle(30)
        refresher.request()
        assert refresher.wait_idle(30)
        (_, first_end), (second_start, _) = marks
        assert second_start - first_end >= 0.3
    finally:
        refresher.close()
