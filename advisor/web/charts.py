"""Charts: small server-rendered SVG bar charts for the insights page (no script, no third-party code).

Colours come from the page's CSS through class names, so the charts follow its light and dark
themes. Every bar carries a <title> (the browser shows it on hover) and the chart a title and a
description for screen readers; the page shows the same numbers in tables as well.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 26, 34  # room for the axis labels and the legend
MAX_LABELS = 12


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float]
    css: str  # class of its bars, e.g. "bar-answered"


def bar_chart(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    description: str,
    fmt: Callable[[float], str] = lambda v: f"{v:g}",
    top: float | None = None,
) -> Markup:
    """Bars per label, the series stacked bottom to top; `top` fixes the scale (e.g. 1.0 for rates)."""
    ident = "chart-" + re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    totals = [sum(s.values[i] for s in series) for i in range(len(labels))]
    scale = top if top is not None else max([*totals, 0.0]) or 1.0
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(1, len(labels))
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{ident}-t {ident}-d" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{ident}-t">{escape(title)}</title><desc id="{ident}-d">{escape(description)}</desc>',
        *_axis(scale, fmt, plot_w, plot_h),
        *_legend(series),
    ]
    every = math.ceil(len(labels) / MAX_LABELS) if labels else 1
    bar = min(slot * 0.8, 48.0)
    for i, label in enumerate(labels):
        x, base = LEFT + (i + 0.5) * slot - bar / 2, 0.0
        for s in series:
            h = plot_h * s.values[i] / scale
            y = TOP + plot_h - base - h
            tip = f"{label} · {s.name}: {fmt(s.values[i])}"
            parts.append(
                f'<rect class="{escape(s.css)}" x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" '
                f'height="{h:.1f}"><title>{escape(tip)}</title></rect>'
            )
            base += h
        if i % every == 0:
            cx = LEFT + (i + 0.5) * slot
            parts.append(
                f'<text class="axis" x="{cx:.1f}" y="{HEIGHT - BOTTOM + 16}" '
                f'text-anchor="middle">{escape(label)}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))


def _axis(scale: float, fmt: Callable[[float], str], plot_w: float, plot_h: float) -> list[str]:
    """Grid lines and labels at 0, half and the top of the scale."""
    lines = []
    for share in (0.0, 0.5, 1.0):
        y = TOP + plot_h * (1 - share)
        lines.append(f'<line class="grid" x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y:.1f}" y2="{y:.1f}"/>')
        label = escape(fmt(scale * share))
        lines.append(f'<text class="axis" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{label}</text>')
    return lines


def _legend(series: Sequence[Series]) -> list[str]:
    if len(series) < 2:
        return []
    items, x = [], float(LEFT)
    for s in series:
        items.append(f'<rect class="{escape(s.css)}" x="{x:.0f}" y="6" width="12" height="12"/>')
        items.append(f'<text class="axis" x="{x + 16:.0f}" y="16">{escape(s.name)}</text>')
        x += 24 + 8 * len(s.name)
    return items
