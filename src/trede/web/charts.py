"""Charts drawn on the server as inline SVG (no JavaScript, no library, nothing from a CDN). Every chart has a text
alternative and sits above a table with the same figures (and a CSV download), so nobody depends on seeing it.
Rendered by the template web/_chart.html."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

WIDTH, HEIGHT = 720, 280
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 14, 40
# colour-blind safe, enough contrast on white (WCAG 1.4.11: 3:1 for graphics)
COLOURS = ["#00546e", "#b3501b", "#5b3a8c", "#2f6b1f", "#8c1c3a", "#4d4d4d", "#006d6d"]


@dataclass
class Line:
    label: str
    colour: str
    points: list[str]  # polyline point strings, one per run of shown values
    bands: list[str] = field(default_factory=list)  # polygon points of the interval, one per run
    dash: str = ""


@dataclass
class Chart:
    title: str
    summary: str  # the text alternative
    width: int
    height: int
    left: int
    right: int
    lines: list[Line]
    grid: list[dict]
    ticks: list[dict]
    unit: str


def _nice_top(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _runs(values: Sequence[float | None]) -> list[list[int]]:
    runs: list[list[int]] = []
    for i, v in enumerate(values):
        if v is None:
            continue
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def line_chart(
    title: str,
    summary: str,
    x_labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None], Sequence[float | None] | None, Sequence[float | None] | None]],
    *,
    unit: str = "",
    top: float | None = None,
    step: bool = False,
    tick_every: int = 3,
) -> Chart:
    """Lines over x positions 0..n-1; each series is (label, values, low, high) with None where hidden. `step`
    draws a step function (survival curves)."""
    n = max(len(x_labels), 1)
    highest = max(
        [v for _l, vals, _lo, hi in series for v in (hi if hi is not None else vals) if v is not None] or [0.0]
    )
    top = top or _nice_top(highest)
    span = max(n - 1, 1)

    def x(i: float) -> float:
        return round(LEFT + i * (WIDTH - LEFT - RIGHT) / span, 1)

    def y(v: float) -> float:
        return round(TOP + (1 - min(v, top) / top) * (HEIGHT - TOP - BOTTOM), 1)

    def path(run: list[int], vals) -> list[tuple[float, float]]:
        pts = []
        for j, i in enumerate(run):
            if step and j:
                pts.append((x(i), y(vals[run[j - 1]])))
            pts.append((x(i), y(vals[i])))
        return pts

    lines = []
    for k, (label, vals, low, high) in enumerate(series):
        runs = _runs(vals)
        points = [" ".join(f"{a},{b}" for a, b in path(run, vals)) for run in runs]
        bands = []
        if low is not None and high is not None:
            for run in _runs(
                [v if (lo is not None and hi is not None) else None for v, lo, hi in zip(vals, low, high, strict=True)]
            ):
                upper = path(run, high)
                lower = path(run, low)
                bands.append(" ".join(f"{a},{b}" for a, b in upper + lower[::-1]))
        lines.append(Line(label, COLOURS[k % len(COLOURS)], points, bands, "" if k < len(COLOURS) else "6 3"))
    grid = [{"y": y(top * g / 4), "label": _fmt(top * g / 4) + unit} for g in range(5)]
    ticks = [
        {"x": x(i), "label": x_labels[i]} for i in range(len(x_labels)) if (len(x_labels) - 1 - i) % tick_every == 0
    ]
    return Chart(title, summary, WIDTH, HEIGHT, LEFT, WIDTH - RIGHT, lines, grid, ticks, unit)


def _fmt(v: float) -> str:
    return f"{v:.0f}" if v == int(v) else f"{v:.1f}"


def heat(value: int | None, highest: int) -> str:
    """A background colour for a heat-map cell: darker for more people; white for hidden or zero. The text colour
    follows (white on the two darkest shades) so that the contrast stays above 4.5:1."""
    if not value or highest <= 0:
        return "background:#ffffff;color:#1b1b1b"
    shades = ["#e6f0f3", "#c5dce4", "#93bfcd", "#3f8aa3", "#00546e"]
    k = min(len(shades) - 1, int(len(shades) * value / (highest + 1)))
    return f"background:{shades[k]};color:{'#ffffff' if k >= 3 else '#1b1b1b'}"
