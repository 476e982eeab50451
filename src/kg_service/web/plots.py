"""Small SVG charts drawn on the server from stored metadata (no JavaScript, no plotting library).

Why server-side SVG: a landing page must show the proliferation curve of BD5 data with
JavaScript off, offline, and to screen readers. Each chart is one inline <svg role="img">
with a <title> and a <desc> that says in words what the picture shows; the page also
offers the numbers as a table. Everything drawn is escaped, so a label can never inject
markup.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

WIDTH, HEIGHT = 560, 260
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 56, 16, 16, 44
INK, GRID, LINE, BAR = "#1d2733", "#d9e0e7", "#1f4e79", "#2f6f9f"


@dataclass(frozen=True)
class Frame:
    """The plotting area inside the margins, with the data ranges it maps."""

    x_max: float
    y_max: float
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def inner_width(self) -> float:
        return float(self.width - MARGIN_LEFT - MARGIN_RIGHT)

    @property
    def inner_height(self) -> float:
        return float(self.height - MARGIN_TOP - MARGIN_BOTTOM)

    def x(self, value: float) -> float:
        return MARGIN_LEFT + (value / self.x_max if self.x_max else 0.0) * self.inner_width

    def y(self, value: float) -> float:
        share = value / self.y_max if self.y_max else 0.0
        return MARGIN_TOP + (1.0 - share) * self.inner_height


def nice_ticks(maximum: float, count: int = 5) -> list[float]:
    """Round tick values from 0 to at least `maximum` (steps of 1, 2 or 5 times a power of 10).

    >>> nice_ticks(362)
    [0.0, 100.0, 200.0, 300.0, 400.0]
    >>> nice_ticks(0)
    [0.0, 1.0]
    """
    if maximum <= 0:
        return [0.0, 1.0]
    raw = maximum / count
    power = 10.0 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    top = math.ceil(maximum / step) * step
    return [i * step for i in range(round(top / step) + 1)]


def _number(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.2f}"


def _open(title: str, description: str, chart_id: str, frame: Frame) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {frame.width} {frame.height}" aria-labelledby="{chart_id}-t {chart_id}-d">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(description)}</desc>',
    ]


def _y_axis(frame: Frame, ticks: list[float], label: str) -> list[str]:
    parts = []
    for tick in ticks:
        y = frame.y(tick)
        parts.append(
            f'<line x1="{MARGIN_LEFT}" x2="{frame.width - MARGIN_RIGHT}" y1="{y:.1f}" '
            f'y2="{y:.1f}" stroke="{GRID}"/>'
            f'<text x="{MARGIN_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="{INK}">{_number(tick)}</text>'
        )
    middle = MARGIN_TOP + frame.inner_height / 2
    parts.append(
        f'<text x="14" y="{middle:.1f}" font-size="12" fill="{INK}" text-anchor="middle" '
        f'transform="rotate(-90 14 {middle:.1f})">{escape(label)}</text>'
    )
    return parts


def line_chart(
    values: Sequence[int | float],
    *,
    title: str,
    x_label: str,
    y_label: str,
    chart_id: str = "chart",
    start: int = 0,
) -> str:
    """A line through `values` at x = start, start+1, ...; e.g. objects per time point."""
    if not values:
        return ""
    last = start + len(values) - 1
    y_ticks = nice_ticks(max(values))
    x_ticks = nice_ticks(last, 6) if last > 0 else [0.0]
    frame = Frame(x_max=x_ticks[-1] or 1.0, y_max=y_ticks[-1])
    peak = max(values)
    description = (
        f"{y_label} from {_number(values[0])} at {x_label.lower()} {start} to "
        f"{_number(values[-1])} at {last}; highest {_number(peak)} "
        f"at {start + list(values).index(peak)}."
    )
    parts = _open(title, description, chart_id, frame)
    parts += _y_axis(frame, y_ticks, y_label)
    base_y = frame.y(0)
    for tick in x_ticks:
        x = frame.x(tick)
        parts.append(
            f'<text x="{x:.1f}" y="{base_y + 16:.1f}" text-anchor="middle" font-size="11" '
            f'fill="{INK}">{_number(tick)}</text>'
        )
    parts.append(
        f'<text x="{MARGIN_LEFT + frame.inner_width / 2:.1f}" y="{frame.height - 8}" '
        f'font-size="12" fill="{INK}" text-anchor="middle">{escape(x_label)}</text>'
    )
    points = " ".join(f"{frame.x(start + i):.1f},{frame.y(v):.1f}" for i, v in enumerate(values))
    parts.append(
        f'<polyline class="series" fill="none" stroke="{LINE}" stroke-width="2" points="{points}"/>'
    )
    parts.append("</svg>")
    return "".join(parts)


def bar_chart(bars: Sequence[tuple[str, int]], *, title: str, chart_id: str = "bars") -> str:
    """Horizontal bars with their values written out, e.g. objects / track links / divisions."""
    if not bars:
        return ""
    row, label_width = 30, 150
    height = MARGIN_TOP + row * len(bars) + 8
    frame = Frame(x_max=float(max(v for _, v in bars) or 1), y_max=1.0, height=height)
    description = "; ".join(f"{label}: {_number(value)}" for label, value in bars) + "."
    parts = _open(title, description, chart_id, frame)
    usable = frame.width - label_width - 90
    for i, (label, value) in enumerate(bars):
        y = MARGIN_TOP + i * row
        length = usable * value / frame.x_max
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 17}" text-anchor="end" font-size="12" '
            f'fill="{INK}">{escape(label)}</text>'
            f'<rect class="bar" x="{label_width}" y="{y + 4}" width="{length:.1f}" height="18" '
            f'fill="{BAR}"/>'
            f'<text x="{label_width + length + 6:.1f}" y="{y + 17}" font-size="12" '
            f'fill="{INK}">{_number(value)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
