"""Charts drawn on the server as SVG: line charts over time and horizontal bar charts, readable without JavaScript.

Each chart is an `<svg role="img">` with a `<title>` and a `<desc>` that say what it shows (screen readers read
them), axis labels in text, and a `<title>` on every point and bar so a pointer shows its value. Colours come from
classes (`series-0`, `series-1`, ...) that the stylesheet fills in. Everything written is escaped; the functions only
take numbers and labels and return markup.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from itertools import count

_ids = count(1)

WIDTH = 720
HEIGHT = 260
LEFT, RIGHT, TOP, BOTTOM = 56, 36, 16, 44


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]


def nice_ceiling(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 times a power of ten at or above `value` (1 for nothing to show)."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def format_value(value: float, unit: str = "") -> str:
    """A value as an axis or a tooltip shows it: thousands separated, at most two decimals, then the unit."""
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
    return f"{text}{unit}"


def _open(kind: str, title: str, description: str, width: int, height: int) -> tuple[list[str], str]:
    ident = f"chart-{next(_ids)}"
    parts = [
        f'<svg class="chart chart-{kind}" role="img" viewBox="0 0 {width} {height}" width="100%" '
        f'preserveAspectRatio="xMidYMid meet" aria-labelledby="{ident}-title {ident}-desc" '
        f'xmlns="http://www.w3.org/2000/svg" data-chart="{kind}">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(description)}</desc>',
    ]
    return parts, ident


def line_chart(*, title: str, description: str, labels: Sequence[str], series: Sequence[Series], unit: str = "") -> str:
    """Lines of one or more series over `labels` (oldest first); a None value breaks the line."""
    parts, _ = _open("line", title, description, WIDTH, HEIGHT)
    values = [v for s in series for v in s.values if v is not None]
    top = nice_ceiling(max(values, default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    steps = max(len(labels) - 1, 1)

    def x(index: int) -> float:
        return LEFT + (plot_w * index / steps if len(labels) > 1 else plot_w / 2)

    def y(value: float) -> float:
        return TOP + plot_h - plot_h * value / top

    parts.append('<g class="grid">')
    for tick in range(5):
        value = top * tick / 4
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(value):.1f}" y2="{y(value):.1f}" />')
        parts.append(
            f'<text class="axis" x="{LEFT - 6}" y="{y(value) + 4:.1f}" text-anchor="end">'
            f"{escape(format_value(value, unit))}</text>"
        )
    parts.append("</g>")
    every = max(1, math.ceil(len(labels) / 8))
    for index, label in enumerate(labels):
        if index % every == 0 or index == len(labels) - 1:
            parts.append(
                f'<text class="axis" x="{x(index):.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle">'
                f"{escape(label)}</text>"
            )
    for number, line in enumerate(series):
        parts.append(f'<g class="series series-{number}" data-series="{escape(line.name)}">')
        runs: list[list[str]] = [[]]
        for index, value in enumerate(line.values):
            if value is None:
                runs.append([])
                continue
            runs[-1].append(f"{x(index):.1f},{y(value):.1f}")
        for run in runs:
            if len(run) > 1:
                parts.append(f'<polyline fill="none" points="{" ".join(run)}" />')
        for index, value in enumerate(line.values):
            if value is not None and index < len(labels):
                tip = f"{line.name}, {labels[index]}: {format_value(value, unit)}"
                parts.append(
                    f'<circle cx="{x(index):.1f}" cy="{y(value):.1f}" r="3"><title>{escape(tip)}</title></circle>'
                )
        parts.append("</g>")
    parts.append(_legend([s.name for s in series]))
    parts.append("</svg>")
    return "".join(parts)


def _legend(names: Sequence[str]) -> str:
    items = []
    for number, name in enumerate(names):
        left = LEFT + number * 160
        items.append(
            f'<g class="series series-{number}"><rect x="{left}" y="{HEIGHT - 16}" width="12" height="4" />'
            f'<text class="legend" x="{left + 18}" y="{HEIGHT - 11}">{escape(name)}</text></g>'
        )
    return "".join(items)


def bar_chart(*, title: str, description: str, rows: Sequence[tuple[str, float]], unit: str = "") -> str:
    """Horizontal bars, one per (label, value), in the order given."""
    bar, gap, label_w = 18, 8, 150
    height = TOP + len(rows) * (bar + gap) + 24
    parts, _ = _open("bar", title, description, WIDTH, max(height, 60))
    top = nice_ceiling(max((value for _, value in rows), default=0))
    plot_w = WIDTH - label_w - RIGHT - 60
    if not rows:
        parts.append(f'<text class="axis" x="{LEFT}" y="{TOP + 20}">Nothing in this range</text>')
    for index, (label, value) in enumerate(rows):
        top_y = TOP + index * (bar + gap)
        width = plot_w * value / top
        text = format_value(value, unit)
        parts.append(
            f'<g class="series series-0"><text class="axis" x="{label_w - 8}" y="{top_y + bar - 5}" '
            f'text-anchor="end">{escape(label)}</text>'
            f'<rect x="{label_w}" y="{top_y}" width="{width:.1f}" height="{bar}">'
            f"<title>{escape(f'{label}: {text}')}</title></rect>"
            f'<text class="value" x="{label_w + width + 6:.1f}" y="{top_y + bar - 5}">{escape(text)}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)
