"""The map of opinion groups as SVG: Pol.is's picture, drawn on the server.

Each circle is a base cluster of participants who voted alike (never one person), its area
in proportion to how many it holds, its colour and letter its group's. Near each other
means voting alike. The page's lists of what each group thinks are the text alternative.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from xml.sax.saxutils import escape

from platsa.core.render.charts import FONT, PALETTE

# Marker shapes differ by group as well as colour (WCAG 1.4.1): circle, square, diamond...
_SHAPES = ("circle", "square", "diamond", "triangle", "circle", "square", "diamond", "triangle")


def _marker(shape: str, x: float, y: float, r: float, colour: str) -> str:
    style = f'fill="{colour}" fill-opacity="0.55" stroke="{colour}" stroke-width="1.5"'
    if shape == "square":
        s = r * 0.886 * 2  # same area as the circle
        return f'<rect x="{x - s / 2:.1f}" y="{y - s / 2:.1f}" width="{s:.1f}" height="{s:.1f}" {style}/>'
    if shape == "diamond":
        d = r * 1.25
        return f'<path d="M{x:.1f} {y - d:.1f}L{x + d:.1f} {y:.1f}L{x:.1f} {y + d:.1f}L{x - d:.1f} {y:.1f}Z" {style}/>'
    if shape == "triangle":
        d = r * 1.35
        return (
            f'<path d="M{x:.1f} {y - d:.1f}L{x + d * 0.866:.1f} {y + d / 2:.1f}'
            f'L{x - d * 0.866:.1f} {y + d / 2:.1f}Z" {style}/>'
        )
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" {style}/>'


def group_map(
    points: Sequence[Sequence[float]],
    letters: Mapping[int, str],
    *,
    title: str,
    desc: str,
    width: int = 480,
    height: int = 320,
) -> str:
    """``points``: [x, y, size, group id] per base cluster; ``letters``: group id -> label."""
    pad = 28
    if not points:
        return ""
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    span_x = (max(xs) - min(xs)) or 1.0
    span_y = (max(ys) - min(ys)) or 1.0
    scale = min((width - 2 * pad) / span_x, (height - 2 * pad) / span_y)
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    biggest = max(p[2] for p in points) or 1

    def at(x: float, y: float) -> tuple[float, float]:
        return width / 2 + (x - cx) * scale, height / 2 - (y - cy) * scale

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="gm-t gm-d" class="chart group-map">',
        f'<title id="gm-t">{escape(title)}</title><desc id="gm-d">{escape(desc)}</desc>',
        f'<rect x="0.5" y="0.5" width="{width - 1}" height="{height - 1}" fill="#fff" stroke="#d0d5dd"/>',
    ]
    sums: dict[int, list[float]] = {}
    for x, y, size, group in points:
        g = int(group)
        px, py = at(x, y)
        r = 4 + 14 * math.sqrt(size / biggest)
        colour = PALETTE[g % len(PALETTE)] if g >= 0 else "#8a8a8a"
        out.append(_marker(_SHAPES[g % len(_SHAPES)] if g >= 0 else "circle", px, py, r, colour))
        acc = sums.setdefault(g, [0.0, 0.0, 0.0])
        acc[0] += px * size
        acc[1] += py * size
        acc[2] += size
    for g, (sx, sy, n) in sorted(sums.items()):
        if g < 0 or not n or g not in letters:
            continue
        lx, ly = sx / n, sy / n
        out.append(
            f'<text x="{lx:.1f}" y="{ly + 7:.1f}" text-anchor="middle" font-family="{FONT}" '
            f'font-size="22" font-weight="700" fill="#111" stroke="#fff" stroke-width="4" '
            f'paint-order="stroke">{escape(letters[g])}</text>'
        )
    out.append("</svg>")
    return "".join(out)
