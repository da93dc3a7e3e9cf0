"""Charts as SVG text, drawn on the server so they print and go into PDFs unchanged.

Every chart carries a ``<title>`` and ``<desc>`` and is meant to sit next to a table with
the same numbers (WCAG 1.1.1): the picture helps, the table is the truth. Series differ by
colour *and* line pattern so they can be told apart without colour vision.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import numpy as np
import numpy.typing as npt

# Colour-blind-safe palette after Okabe & Ito (bluish green, vermilion, blue, reddish purple…),
# darkened for 3:1 contrast or more on white; the first is Platsa's accent green. The same
# colours are --platsa-compass-1…8 in platsa.css.
PALETTE = ("#17694a", "#b4460b", "#0b5fa5", "#8e3b8a", "#7f6000", "#a61c3c", "#3d4fb0", "#5b5b5b")
ACCENT = PALETTE[0]
MARK = "#b4460b"  # a single highlighted figure: the map point, a dated marker
FONT = "Inter, system-ui, sans-serif"
DASHES = ("", "6 3", "2 3", "8 3 2 3", "1 2", "10 4", "4 2 1 2", "3 3")


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]  # one per axis, on the chart's scale; None = no data
    reference: bool = False  # drawn thin, grey and dashed: a backdrop to compare against


def series_style(index: int) -> tuple[str, str]:
    """Colour and dash pattern of the ``index``-th drawn (non-reference) series, so that a
    legend drawn outside the chart matches it."""
    return PALETTE[index % len(PALETTE)], DASHES[index % len(DASHES)]


def _num(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _thousands(value: float) -> str:
    """Whole numbers with a thin space between thousands, as both Swedes and the SI write them."""
    return f"{int(value):,}".replace(",", "\u202f")


def wrap_words(text: str, width: int = 16, most: int = 3) -> list[str]:
    """The text in lines of at most ``width`` letters, broken between words (a longer word
    stays whole), the first ``most`` lines."""
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        lines.append(line)
    return lines[:most]


def radar(
    axes: Sequence[str],
    series: Sequence[Series],
    *,
    scale: tuple[int, int],
    title: str,
    description: str = "",
    size: int = 520,
    show_labels: bool = True,
    numbered: bool = False,
    chart_id: str = "radar",
) -> str:
    """A compass: the centre is the scale's low end ("needs much improvement"), the rim its
    high end ("works very well"), one spoke per theme.

    ``numbered`` labels the spokes 1, 2, 3 … in large type instead of with names: on a phone
    the names would be too small to read, and a numbered list beside the chart names them.
    The numbers grow with ``size`` (30 units at 520, 22 at 300) so that a small compass in a
    grid card of about 210-300 px still shows them at 15 px or more."""
    lo, hi = scale
    n = len(axes)
    number_font = max(22, round(size * 0.058))
    # Small compasses and the numbered one are shown smaller than their drawing size.
    ring_font = 16 if numbered or size < 400 else 11
    # Numbers sit a little further out than names so that "1" clears the ring labels.
    label_gap = 12 + (number_font // 3 if numbered else 0)
    side = (number_font + label_gap + 4 if numbered else 150) if show_labels else 14
    top = (number_font + label_gap + 4 if numbered else 50) if show_labels else 14
    width = size + 2 * (side - top)
    cx, cy = width / 2, size / 2
    radius = size / 2 - top
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {size}" role="img" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" class="chart chart-radar" font-family="{FONT}">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(description)}</desc>',
    ]

    def point(i: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * i / n
        r = radius * (value - lo) / (hi - lo)
        return cx + r * math.cos(angle), cy + r * math.sin(angle)

    for level in range(lo, hi + 1):
        ring = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, level) for i in range(n)))
        stroke = "#9a9a9a" if level in (lo, hi) else "#d0d0d0"
        parts.append(f'<polygon points="{ring}" fill="none" stroke="{stroke}" stroke-width="1"/>')
    for i in range(n):
        x, y = point(i, hi)
        parts.append(
            f'<line x1="{cx:.1f}" y1="{cy:.1f}" x2="{x:.1f}" y2="{y:.1f}" stroke="#d0d0d0"/>'
        )
    for level in (lo, (lo + hi) // 2, hi):
        x, y = point(0, level)
        parts.append(
            f'<text x="{x + 4:.1f}" y="{y - 3:.1f}" font-size="{ring_font}" fill="#555">{level}</text>'
        )
    drawn = 0
    for s in series:
        pts = [point(i, v) for i, v in enumerate(s.values) if v is not None]
        if s.reference:
            if len(pts) >= 2:
                path = " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)
                parts.append(
                    f'<polygon points="{path}" fill="none" stroke="#767676" stroke-width="1.5" '
                    f'stroke-dasharray="4 3"><title>{escape(s.name)}</title></polygon>'
                )
            continue
        colour, dash = series_style(drawn)
        if len(pts) >= 2:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            fill = colour if drawn == 0 else "none"
            parts.append(
                f'<polygon points="{path}" fill="{fill}" fill-opacity="0.12" stroke="{colour}" '
                f'stroke-width="2.5"{dash_attr}><title>{escape(s.name)}</title></polygon>'
            )
        for x, y in pts:
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>')
        drawn += 1
    if show_labels:
        for i, label in enumerate(axes):
            angle = -math.pi / 2 + 2 * math.pi * i / n
            lx = cx + (radius + label_gap) * math.cos(angle)
            ly = cy + (radius + label_gap) * math.sin(angle)
            cos = math.cos(angle)
            anchor = "middle" if abs(cos) < 0.3 else ("start" if cos > 0 else "end")
            if numbered:
                ny = ly + number_font / 3 + 0.4 * number_font * math.sin(angle)
                parts.append(
                    f'<text x="{lx:.1f}" y="{ny:.1f}" font-size="{number_font}" font-weight="bold" '
                    f'fill="#222" text-anchor="{anchor}">{i + 1}</text>'
                )
                continue
            lines = wrap_words(label)
            dy0 = -8 * (len(lines) - 1) + (4 if math.sin(angle) > 0.3 else 0)
            if math.sin(angle) < -0.9:
                dy0 -= 6
            tspans = "".join(
                f'<tspan x="{lx:.1f}" dy="{dy0 if j == 0 else 16}">{escape(line)}</tspan>'
                for j, line in enumerate(lines)
            )
            parts.append(
                f'<text x="{lx:.1f}" y="{ly:.1f}" font-size="15" fill="#222" text-anchor="{anchor}">{tspans}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def legend_swatch(colour: str, dash: str) -> str:
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="28" height="10" viewBox="0 0 28 10" aria-hidden="true">'
        f'<line x1="0" y1="5" x2="28" y2="5" stroke={quoteattr(colour)} stroke-width="3"{dash_attr}/></svg>'
    )


def interval_bars(
    rows: Sequence[tuple[str, float | None, float | None, float | None]],
    *,
    scale: tuple[int, int],
    title: str,
    width: int = 640,
    chart_id: str = "bars",
    narrow: bool = False,
    value_format: Callable[[float], str] = _num,
) -> str:
    """Horizontal dots with 95 % interval whiskers, one row per theme: (label, score, low, high).

    The wide layout puts each label left of its row. ``narrow`` stacks the label (with the
    score, written by ``value_format`` in the reader's notation) above its row in a drawing
    about as wide as a phone, so the text stays at 15 px on a 375 px screen instead of being
    scaled down to 4 px with the wide drawing."""
    if narrow:
        return _interval_bars_narrow(
            rows, scale=scale, title=title, chart_id=chart_id, value_format=value_format
        )
    lo, hi = scale
    row_h, label_w, pad = 26, 230, 16
    height = row_h * len(rows) + 40
    plot_w = width - label_w - pad * 2

    def x(v: float) -> float:
        return label_w + pad + plot_w * (v - lo) / (hi - lo)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{chart_id}-t" class="chart chart-bars" font-family="{FONT}">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
    ]
    for v in range(lo, hi + 1):
        parts.append(
            f'<line x1="{x(v):.1f}" y1="8" x2="{x(v):.1f}" y2="{height - 26}" stroke="#e0e0e0"/>'
            f'<text x="{x(v):.1f}" y="{height - 8}" font-size="12" text-anchor="middle" fill="#444">{v}</text>'
        )
    for i, (label, score, low, high) in enumerate(rows):
        y = 20 + i * row_h
        parts.append(
            f'<text x="{label_w}" y="{y + 4}" font-size="13" text-anchor="end" fill="#222">{escape(label)}</text>'
        )
        if score is None:
            continue
        if low is not None and high is not None:
            parts.append(
                f'<line x1="{x(low):.1f}" y1="{y}" x2="{x(high):.1f}" y2="{y}" stroke="{ACCENT}" stroke-width="2"/>'
            )
        parts.append(
            f'<circle cx="{x(score):.1f}" cy="{y}" r="5" fill="{ACCENT}"><title>{_num(score)}</title></circle>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _interval_bars_narrow(
    rows: Sequence[tuple[str, float | None, float | None, float | None]],
    *,
    scale: tuple[int, int],
    title: str,
    chart_id: str,
    value_format: Callable[[float], str],
) -> str:
    """The phone layout of :func:`interval_bars`: 340 units wide, meant to be shown at about
    its own size; label and score on one line (a long label wraps), the interval below."""
    lo, hi = scale
    width, pad, axis_h = 340, 10, 26
    font, line_h, bar_h = 15, 19, 26
    # About 0.55 em per character in a sans-serif; leave room for the score at the right.
    chars = int((width - 2 * pad - 44) / (0.55 * font))
    wrapped = [wrap_words(label, chars) or [""] for label, *_ in rows]
    height = axis_h * 2 + sum(len(lines) * line_h + bar_h + 6 for lines in wrapped)
    plot_w = width - 2 * pad

    def x(v: float) -> float:
        return pad + plot_w * (v - lo) / (hi - lo)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{chart_id}-t" class="chart chart-bars chart-bars-narrow" '
        f'font-family="{FONT}">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
    ]
    for v in range(lo, hi + 1):
        anchor = "start" if v == lo else ("end" if v == hi else "middle")
        parts.append(
            f'<line x1="{x(v):.1f}" y1="{axis_h - 6}" x2="{x(v):.1f}" y2="{height - axis_h + 6}" '
            f'stroke="#e0e0e0"/>'
            f'<text x="{x(v):.1f}" y="{axis_h - 10}" font-size="13" text-anchor="{anchor}" '
            f'fill="#444">{v}</text>'
            f'<text x="{x(v):.1f}" y="{height - 6}" font-size="13" text-anchor="{anchor}" '
            f'fill="#444">{v}</text>'
        )
    top = axis_h
    for (_label, score, low, high), lines in zip(rows, wrapped, strict=True):
        label_h = len(lines) * line_h
        # A white band behind the label keeps it readable over the grid lines.
        parts.append(f'<rect x="0" y="{top + 2}" width="{width}" height="{label_h}" fill="#fff"/>')
        tspans = "".join(
            f'<tspan x="{pad}" y="{top + (j + 1) * line_h - 3}">{escape(line)}</tspan>'
            for j, line in enumerate(lines)
        )
        parts.append(f'<text font-size="{font}" fill="#222">{tspans}</text>')
        value = "–" if score is None else value_format(score)
        parts.append(
            f'<text x="{width - pad}" y="{top + line_h - 3}" font-size="{font}" font-weight="bold" '
            f'fill="#222" text-anchor="end">{escape(value)}</text>'
        )
        bar_y = top + label_h + bar_h / 2
        if score is not None:
            if low is not None and high is not None:
                parts.append(
                    f'<line x1="{x(low):.1f}" y1="{bar_y:.1f}" x2="{x(high):.1f}" y2="{bar_y:.1f}" '
                    f'stroke="{ACCENT}" stroke-width="3"/>'
                )
            parts.append(f'<circle cx="{x(score):.1f}" cy="{bar_y:.1f}" r="6" fill="{ACCENT}"/>')
        top += label_h + bar_h + 6
    parts.append("</svg>")
    return "".join(parts)


@dataclass(frozen=True)
class Marker:
    """One figure drawn apart from a line: a hollow circle, not joined to it, with its own
    label. For a value of another kind than the line's, such as a population on 1 November
    after a series of 31 December values, which must not look like one more year."""

    x: float  # on the line's axis (years, as a fraction: 2024-11-01 is about 2024.83)
    value: float
    label: str  # names the date and the value, e.g. "1 nov. 2024: 51 384"


def line_chart(
    points: Sequence[tuple[float, float]],
    *,
    title: str,
    width: int = 560,
    height: int = 180,
    chart_id: str = "line",
    marker: Marker | None = None,
    description: str = "",
    narrow: bool = False,
) -> str:
    """A simple line over years (e.g. population 1950-2022), axis labels at the ends, and an
    optional :class:`Marker` after (or among) the years.

    ``narrow`` draws it about as wide as a phone (340 units, shown at about its own size),
    so that its text stays at 14 px instead of being scaled down to 5-6 px with the wide
    drawing; the page shows one or the other (``compass-wide``/``compass-narrow``)."""
    if len(points) < 2:
        return ""
    fs = 14 if narrow else 12
    if narrow:
        width, height = 340, 220
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    if marker is not None:
        xs.append(marker.x)
        ys.append(marker.value)
    x0, x1 = min(xs), max(xs)
    y0, y1 = min(ys), max(ys)
    if y1 == y0:
        y1 = y0 + 1
    left, right, top, bottom = (62 if narrow else 70), 12, 12 + (22 if marker else 0), 28

    def px(v: float) -> float:
        return left + (width - left - right) * (v - x0) / (x1 - x0)

    def py(v: float) -> float:
        return top + (height - top - bottom) * (1 - (v - y0) / (y1 - y0))

    path = " ".join(f"{px(a):.1f},{py(b):.1f}" for a, b in points)
    first, last = points[0][0], points[-1][0]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{chart_id}-t{f" {chart_id}-d" if description else ""}" '
        f'class="chart chart-line{" chart-line-narrow" if narrow else ""}" font-family="{FONT}">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
    ]
    if description:
        parts.append(f'<desc id="{chart_id}-d">{escape(description)}</desc>')
    parts += [
        f'<polyline points="{path}" fill="none" stroke="{ACCENT}" stroke-width="2.5"/>',
        f'<text x="{left - 6}" y="{py(y1) + 4:.1f}" font-size="{fs}" text-anchor="end" fill="#444">{_thousands(y1)}</text>',
        f'<text x="{left - 6}" y="{py(y0) + 4:.1f}" font-size="{fs}" text-anchor="end" fill="#444">{_thousands(y0)}</text>',
        f'<text x="{px(first):.1f}" y="{height - 8}" font-size="{fs}" fill="#444">{_year(first)}</text>',
        f'<text x="{px(last):.1f}" y="{height - 8}" font-size="{fs}" text-anchor="end" fill="#444">{_year(last)}</text>',
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - right}" y2="{height - bottom}" stroke="#bbb"/>',
    ]
    if marker is not None:
        mx, my = px(marker.x), py(marker.value)
        anchor = "end" if mx > width / 2 else "start"
        # Above both the marker and the line's last point, so neither hides the label.
        label_y = max(min(my, py(points[-1][1])) - 12, 14)
        parts.append(
            f'<circle cx="{mx:.1f}" cy="{my:.1f}" r="5" fill="#fff" stroke="{MARK}" '
            f'stroke-width="2.5" class="chart-marker"><title>{escape(marker.label)}</title></circle>'
            f'<text x="{mx + 5:.1f}" y="{label_y:.1f}" font-size="{fs}" text-anchor="{anchor}" '
            f'fill="{MARK}">{escape(marker.label)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _year(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else _num(x)


def column_chart(
    bars: Sequence[tuple[str, float]],
    *,
    title: str,
    width: int = 560,
    height: int = 180,
    chart_id: str = "columns",
    narrow: bool = False,
) -> str:
    """Vertical bars (e.g. people per 5-year age band); labels under every other bar.

    ``narrow`` is the phone's drawing (340 units wide, 14 px labels under every third or fourth bar
    or so, as many as fit), shown instead of the wide one on a small screen."""
    if not bars:
        return ""
    fs = 14 if narrow else 10
    if narrow:
        width, height = 340, 200
    top_value = max(v for _, v in bars) or 1
    left, bottom, top = 8, (32 if narrow else 30), 10
    slot = (width - left * 2) / len(bars)
    longest = max(len(label) for label, _ in bars)
    every = max(2, math.ceil((longest * 0.6 * fs + 6) / slot)) if narrow else 2
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{chart_id}-t" class="chart chart-columns{" chart-columns-narrow" if narrow else ""}" '
        f'font-family="{FONT}">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
    ]
    for i, (label, value) in enumerate(bars):
        h = (height - top - bottom) * value / top_value
        x = left + i * slot
        parts.append(
            f'<rect x="{x + 1:.1f}" y="{height - bottom - h:.1f}" width="{slot - 2:.1f}" height="{h:.1f}" '
            f'fill="{ACCENT}"><title>{escape(label)}: {_num(value)}</title></rect>'
        )
        if i % every == 0:
            parts.append(
                f'<text x="{x + slot / 2:.1f}" y="{height - 12}" font-size="{fs}" text-anchor="middle" '
                f'fill="#444">{escape(label)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def _rings(geometry: dict[str, Any]) -> list[list[list[float]]]:
    if geometry.get("type") == "Polygon":
        return list(geometry["coordinates"])
    if geometry.get("type") == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    return []


def area_map(
    geometry: dict[str, Any],
    *,
    title: str,
    point: tuple[float, float] | None = None,
    width: int = 360,
    chart_id: str = "map",
) -> str:
    """A municipality's outline (GeoJSON, WGS84) with an optional point (lat, lon).

    Equirectangular with longitude scaled by cos(latitude): true enough at municipal scale
    and needs no map tiles from anywhere. ``data-bbox`` lets a click be turned back into
    coordinates in the browser."""
    rings = _rings(geometry)
    if not rings:
        return ""
    lons = [p[0] for ring in rings for p in ring]
    lats = [p[1] for ring in rings for p in ring]
    west, east, south, north = min(lons), max(lons), min(lats), max(lats)
    k = math.cos(math.radians((north + south) / 2))
    span_x = max((east - west) * k, 1e-6)
    span_y = max(north - south, 1e-6)
    pad = 8
    height = int(width * span_y / span_x) if span_x else width
    height = max(120, min(height, int(width * 1.6)))
    scale = min((width - 2 * pad) / span_x, (height - 2 * pad) / span_y)

    def xy(lon: float, lat: float) -> tuple[float, float]:
        return pad + (lon - west) * k * scale, pad + (north - lat) * scale

    d = []
    for ring in rings:
        pts = [xy(p[0], p[1]) for p in ring]
        d.append("M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in pts) + " Z")
    marker = ""
    if point is not None:
        x, y = xy(point[1], point[0])
        marker = (
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="7" fill="{MARK}" stroke="#fff" stroke-width="2" '
            f'class="map-point"/>'
        )
    bbox = f"{west:.6f},{south:.6f},{east:.6f},{north:.6f},{k:.6f},{scale:.6f},{pad}"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{chart_id}-t" class="map-box" data-bbox="{bbox}">'
        f'<title id="{chart_id}-t">{escape(title)}</title>'
        f'<path d="{" ".join(d)}" fill="#e0ebe7" stroke="{ACCENT}" stroke-width="1.2" fill-rule="evenodd"/>'
        f"{marker}</svg>"
    )


# Five classes, light to dark, from ColorBrewer's YlGnBu: ordered in lightness, so they read
# in grey and for every common kind of colour blindness; text is dark on the light three,
# white on the dark two (contrast at least 4.5:1 either way: the fourth is YlGnBu's #2c7fb8
# darkened 4 %, which has 4.3:1 with white). The table's .heat-0…4 in platsa.css match.
HEAT = ("#ffffcc", "#a1dab4", "#41b6c4", "#2a7ab1", "#253494")
HEAT_TEXT = ("#1a1a1a", "#1a1a1a", "#1a1a1a", "#ffffff", "#ffffff")
NO_VALUE = "#d9d9d9"
# Boundaries are snapped to a grid of a tenth of a pixel of the drawing (0.4 px on screen at
# 4x zoom, where map-zoom.js lets a reader look closer) and points that fall on the one
# before are dropped. A grid, not a distance to the previous point, so that two neighbours'
# shared border, the same points in the files, stays the same points in both paths: no
# slivers or gaps. The paths are written relative ("l" and differences in tenths), about
# half the bytes of absolute coordinates.
GRID_PER_PX = 10


def escape_attr(text: str) -> str:
    """``text`` for a double-quoted attribute."""
    return escape(text, {'"': "&quot;"})


def shorten(text: str, chars: int) -> str:
    """``text`` in at most ``chars`` letters, ending in "…" when cut (a drawing has no room to
    wrap; the page or the report beside it has the whole text)."""
    return text if len(text) <= chars else text[: max(chars - 1, 1)] + "…"


def heat_class(value: float | None, low: float, high: float) -> int | None:
    """The class 0-4 of ``value`` on the scale ``low``..``high`` (None without a value)."""
    if value is None or math.isnan(value):
        return None
    share = (value - low) / (high - low) if high > low else 0.0
    return max(0, min(len(HEAT) - 1, int(share * len(HEAT))))


@dataclass(frozen=True)
class MapArea:
    key: str
    label: str  # e.g. "Sundsvall: 3.4" (the hover text and the accessible name)
    geometry: dict[str, Any]
    value: float | None
    href: str = ""


def _tenths(t: int) -> str:
    """A number of tenths as SVG path text, as short as it goes: 12 -> "1.2", -5 -> "-.5"."""
    if t % GRID_PER_PX == 0:
        return str(t // GRID_PER_PX)
    whole, tenth = divmod(abs(t), GRID_PER_PX)
    return f"{'-' if t < 0 else ''}{whole or ''}.{tenth}"


@lru_cache(maxsize=4)
def _number_texts(span: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The text of every number of tenths from -span to span (at index t + span): as an x,
    and as the y after it, with the comma that a minus sign makes unnecessary. Looked up, not
    formatted, for the tens of thousands of points of a big map."""
    plain = tuple(_tenths(t) for t in range(-span, span + 1))
    return plain, tuple(s if s[0] == "-" else "," + s for s in plain)


def _ring_array(ring: Any) -> npt.NDArray[np.float64] | None:
    """A GeoJSON ring as an n x 2 array of lon, lat (a third coordinate ignored), or None
    when it is not one."""
    try:
        points = np.asarray(ring, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    if points.ndim != 2 or points.shape[1] < 2 or len(points) == 0:
        return None
    points = points[:, :2]
    return points if bool(np.isfinite(points).all()) else None


def _area_rings(geometry: dict[str, Any]) -> list[npt.NDArray[np.float64]]:
    """The rings of an area that are rings: all at once when every point is a plain
    lon, lat pair (the boundary files), ring by ring otherwise."""
    rings = _rings(geometry)
    try:
        flat = np.fromiter(chain.from_iterable(chain.from_iterable(rings)), dtype=np.float64)
        lengths = [len(r) for r in rings]
    except (TypeError, ValueError):
        flat, lengths = None, []
    if flat is None or len(flat) != 2 * sum(lengths) or not bool(np.isfinite(flat).all()):
        return [a for a in (_ring_array(r) for r in rings) if a is not None]
    points = flat.reshape(-1, 2)
    return [r for r in np.split(points, np.cumsum(lengths)[:-1]) if len(r)]


def _area_paths(
    rings_by_area: list[list[npt.NDArray[np.float64]]],
    project: Callable[[npt.NDArray[np.float64]], npt.NDArray[np.float64]],
) -> list[str]:
    """The path data of each area: its rings projected, snapped to the grid, without a point
    that falls on the one before or the closing one ("z" closes), written relative.

    A ring that shrank below three points (an islet a tenth of a pixel wide) is left out,
    unless it was the area's biggest and every other one shrank too: every area keeps a
    path, its label and its place in the keyboard order."""
    rings = [r for area in rings_by_area for r in area]
    ring_of = np.repeat(np.arange(len(rings)), [len(r) for r in rings])
    grid = np.rint(project(np.concatenate(rings)) * GRID_PER_PX).astype(np.int64)
    keep = np.ones(len(grid), dtype=bool)
    keep[1:] = np.any(grid[1:] != grid[:-1], axis=1) | (ring_of[1:] != ring_of[:-1])
    grid, ring_of = grid[keep], ring_of[keep]
    counts = np.bincount(ring_of, minlength=len(rings))
    ends = np.cumsum(counts)
    starts = ends - counts
    closing = (counts > 1) & np.all(grid[ends - 1] == grid[starts], axis=1)
    keep = np.ones(len(grid), dtype=bool)
    keep[(ends - 1)[closing]] = False
    grid = grid[keep]
    counts = counts - closing
    ends = np.cumsum(counts)
    starts = ends - counts
    steps = grid.copy()
    steps[1:] -= grid[:-1]
    steps[starts] = grid[starts]  # each ring starts from an absolute point
    span = 1 << max(10, int(np.abs(steps).max()).bit_length())
    as_x, as_y = _number_texts(span)
    steps += span
    pairs = [as_x[x] + as_y[y] for x, y in steps.tolist()]
    texts = []
    for s, e in zip(starts.tolist(), ends.tolist(), strict=True):
        texts.append(f"M{pairs[s]}l{' '.join(pairs[s + 1 : e])}z" if e - s > 1 else f"M{pairs[s]}z")
    out, first = [], 0
    for area in rings_by_area:
        own = list(range(first, first + len(area)))
        first += len(area)
        kept = [i for i in own if counts[i] >= 3] or [max(own, key=lambda i: counts[i])]
        out.append("".join(texts[i] for i in kept))
    return out


def choropleth(
    areas: list[MapArea],
    *,
    title: str,
    low: float,
    high: float,
    legend: list[str],
    width: int = 520,
    chart_id: str = "choropleth",
    points: Sequence[tuple[float, float]] = (),
) -> str:
    """Areas coloured by value in five classes, drawn on the server (no tiles, no script):
    each area has its label as a hover title, areas with a link are links, and ``legend``
    names the five classes (none: no legend). The page puts a table with the same numbers
    beside it. ``points`` (lat, lon) are drawn as pins on top: where people dropped theirs.

    The areas are drawn in a nested ``<svg class="choropleth-map">`` whose viewBox
    map-zoom.js changes to zoom and pan, so that the legend below stays where it is. Its
    ``data-bbox`` (west, south, east, north, cos-latitude factor, scale, padding) lets a tap
    be turned back into coordinates in the browser (pin-drop.js)."""
    shaped = [(a, rings) for a in areas if (rings := _area_rings(a.geometry))]
    if not shaped:
        return ""
    every = np.concatenate([r for _, rings in shaped for r in rings])
    west, south = (float(v) for v in every.min(axis=0))
    east, north = (float(v) for v in every.max(axis=0))
    k = math.cos(math.radians((north + south) / 2))
    span_x = max((east - west) * k, 1e-6)
    span_y = max(north - south, 1e-6)
    pad = 8
    map_h = max(160, min(int(width * span_y / span_x), int(width * 1.8)))
    # A tall map (a whole country) is shrunk to fit a screen's height, and its legend with
    # it: the legend's type grows with the map's height so that it stays as readable as the
    # map, up to what a class's box holds.
    box = (width - 2 * pad) / len(HEAT)
    font = round(min(max(11.0, map_h / 40), box / 4.5))
    legend_h = font + 19 if any(legend) else 0
    scale = min((width - 2 * pad) / span_x, (map_h - 2 * pad) / span_y)
    height = map_h + legend_h
    origin = np.array([west, north])
    factor = np.array([k * scale, -scale])

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{chart_id}-t" class="choropleth">'
        f'<title id="{chart_id}-t">{escape(title)}</title>'
        f'<svg class="choropleth-map" x="0" y="0" width="{width}" height="{map_h}" '
        f'viewBox="0 0 {width} {map_h}" '
        f'data-bbox="{west:.6f},{south:.6f},{east:.6f},{north:.6f},{k:.6f},{scale:.6f},{pad}">'
    ]
    paths = _area_paths([rings for _, rings in shaped], lambda p: pad + (p - origin) * factor)
    for (area, _), d in zip(shaped, paths, strict=True):
        cls = heat_class(area.value, low, high)
        fill = NO_VALUE if cls is None else HEAT[cls]
        path = (
            f'<path d="{d}" fill="{fill}" stroke="#555" stroke-width="0.6" '
            f'fill-rule="evenodd" data-key="{escape_attr(area.key)}">'
            f"<title>{escape(area.label)}</title></path>"
        )
        if area.href:
            path = f'<a href="{escape_attr(area.href)}" aria-label="{escape_attr(area.label)}">{path}</a>'
        parts.append(path)
    for lat, lon in points:
        if not (math.isfinite(lat) and math.isfinite(lon)):
            continue
        x, y = pad + (np.array([lon, lat]) - origin) * factor
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{MARK}" stroke="#fff" '
            f'stroke-width="1" class="map-pin"/>'
        )
    parts.append("</svg>")
    # A class no value falls in (an empty label) is left out: a box without a number
    # would be read as a class of its own.
    named = [(i, text) for i, text in enumerate(legend[: len(HEAT)]) if text]
    for slot, (i, text) in enumerate(named):
        x = pad + slot * box
        parts.append(
            f'<rect x="{x:.1f}" y="{map_h + 4}" width="{box:.1f}" height="{font + 11}" '
            f'fill="{HEAT[i]}" stroke="#555" stroke-width="0.5"/>'
            f'<text x="{x + box / 2:.1f}" y="{map_h + 4 + (font + 11) / 2 + font * 0.35:.1f}" '
            f'font-size="{font}" text-anchor="middle" fill="{HEAT_TEXT[i]}">{escape(text)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def sparkline(
    values: Sequence[tuple[float, float]], *, title: str, width: int = 120, height: int = 32
) -> str:
    """A small line of (year, value) pairs for a table cell: the trend at a glance, the
    exact figures beside it in the table."""
    points = [(x, y) for x, y in values if y is not None and not math.isnan(y)]
    if len(points) < 2:
        return ""
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    x0, x1 = min(xs), max(xs)
    y0, y1 = min(ys), max(ys)
    span_x = (x1 - x0) or 1
    span_y = (y1 - y0) or 1
    pad = 3

    def xy(x: float, y: float) -> str:
        px = pad + (x - x0) / span_x * (width - 2 * pad)
        py = height - pad - (y - y0) / span_y * (height - 2 * pad)
        return f"{px:.1f},{py:.1f}"

    line = " ".join(xy(x, y) for x, y in points)
    last = xy(*points[-1])
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" class="sparkline"><title>{escape(title)}</title>'
        f'<polyline points="{line}" fill="none" stroke="{ACCENT}" stroke-width="1.6"/>'
        f'<circle cx="{last.split(",")[0]}" cy="{last.split(",")[1]}" r="2.5" fill="{ACCENT}"/></svg>'
    )
