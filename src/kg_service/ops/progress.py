"""Progress for long operations: shown on a terminal, silent in pipes, CI logs and tests."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """Counts units of work and redraws one status line at most a few times a second."""

    def __init__(
        self,
        label: str,
        total: int | None = None,
        unit: str = "items",
        stream: TextIO | None = None,
    ) -> None:
        self.label = label
        self.total = total
        self.unit = unit
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty()
        self.done = 0
        self.detail = ""  # more counters after the rate, e.g. "12,000 datasets (480/s)"
        self.started = time.monotonic()
        self._last_draw = 0.0

    def rate_of(self, count: int) -> float:
        """`count` per second since the start (for counters shown in `detail`)."""
        return count / max(time.monotonic() - self.started, 1e-9)

    def advance(self, amount: int = 1, detail: str | None = None) -> None:
        self.done += amount
        if detail is not None:
            self.detail = detail
        now = time.monotonic()
        if self.enabled and now - self._last_draw > 0.25:
            self._last_draw = now
            self._draw(now)

    def _draw(self, now: float) -> None:
        elapsed = max(now - self.started, 1e-9)
        rate = self.done / elapsed
        text = f"\r{self.label}: {self.done:,} {self.unit} ({rate:,.0f}/s"
        if self.total:
            left = (self.total - self.done) / rate if rate > 0 else 0.0
            text += f", {100 * self.done / self.total:.0f}%, {left:.0f} s left"
        if self.detail:
            text += f"; {self.detail}"
        self.stream.write(text + ")   ")
        self.stream.flush()

    def finish(self) -> None:
        if self.enabled:
            self._draw(time.monotonic())
            self.stream.write("\n")
            self.stream.flush()
