"""Answers counted per option as horizontal bars in SVG, for a projector: large labels, the
count and share at the end of each bar, dark on white (the numbers are also the text).
The same bars carry a mean per option (a ranking's points, a scale's mean per theme) when
given the texts to write and the value a full bar stands for."""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

from platsa.core.render.charts import ACCENT, FONT, escape_attr, shorten

COMPACT_FROM = 7  # more rows than this: each label beside its bar


def count_bars(
    labels: Sequence[str],
    counts: Sequence[float],
    *,
    title: str,
    width: int = 960,
    texts: Sequence[str] | None = None,
    top: float | None = None,
) -> str:
    """``texts`` replace "n (share %)" at the bars' ends; ``top`` is the value of a full bar
    (the largest count when not given)."""
    if not labels:
        return ""
    total = sum(counts) or 1
    full = top if top else (max(counts) or 1)
    ends = (
        list(texts) if texts is not None else [f"{n} ({round(100 * n / total)} %)" for n in counts]
    )
    reserve = min(max(200, max(len(t) for t in ends) * 16 + 24), width // 2)
    # Many rows (a framework's fifteen themes): each label beside its bar, in half the
    # height, so that the whole chart still fits a projector.
    compact = len(labels) > COMPACT_FROM
    label_w = min(max(len(label) for label in labels) * 15.5 + 24, width * 0.45) if compact else 0
    row, label_h, bar_h = (46, 0, 30) if compact else (86, 34, 30)
    height = row * len(labels) + 10
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape_attr(title)}" class="chart count-bars" '
        f'font-family="{FONT}">'
    ]
    for i, (label, n) in enumerate(zip(labels, counts, strict=True)):
        y = 10 + i * row
        bar = max((width - reserve - label_w) * min(n, full) / full, 2)
        label_y = y + bar_h - 6 if compact else y + label_h - 8
        fits = int((label_w - 24) / 15.5) if compact else len(label)
        label = shorten(label, fits)
        out.append(
            f'<text x="0" y="{label_y}" font-size="{24 if compact else 28}" fill="#111">'
            f"{escape(label)}</text>"
            f'<rect x="{label_w}" y="{y + label_h}" width="{bar:.1f}" height="{bar_h}" '
            f'fill="{ACCENT}" rx="4"/>'
            f'<text x="{label_w + bar + 12:.1f}" y="{y + label_h + bar_h - 6}" font-size="26" '
            f'font-weight="700" fill="#111">{escape(ends[i])}</text>'
        )
    out.append("</svg>")
    return "".join(out)


def scale_columns(
    counts: Sequence[int],
    *,
    title: str,
    low_label: str = "",
    high_label: str = "",
    width: int = 960,
) -> str:
    """A 1-7 scale's answers as seven columns side by side, for a projector: a wide, low
    drawing (seven stacked bars were a tall one, shrunk to fit under the question until its
    text was too small to read from the back). Each column has its count and share above it
    and its point under it; the ends' words sit under 1 and 7."""
    if not counts:
        return ""
    total = sum(counts) or 1
    full = max(counts) or 1
    ends = bool(low_label or high_label)
    top, bar_area, number_h = 58, 210, 44
    height = top + bar_area + number_h + (44 if ends else 8)
    slot = width / len(counts)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape_attr(title)}" class="chart count-bars scale-columns" '
        f'font-family="{FONT}">'
    ]
    base = top + bar_area
    for i, n in enumerate(counts):
        h = max(bar_area * n / full, 2)
        x = i * slot
        middle = x + slot / 2
        out.append(
            f'<rect x="{x + slot * 0.14:.1f}" y="{base - h:.1f}" width="{slot * 0.72:.1f}" '
            f'height="{h:.1f}" fill="{ACCENT}" rx="4"/>'
            f'<text x="{middle:.1f}" y="{base - h - 12:.1f}" font-size="26" font-weight="700" '
            f'text-anchor="middle" fill="#111">{n} ({round(100 * n / total)} %)</text>'
            f'<text x="{middle:.1f}" y="{base + 36}" font-size="32" font-weight="700" '
            f'text-anchor="middle" fill="#111">{i + 1}</text>'
        )
    if ends:
        y = base + number_h + 30
        # Each end's words in its half of the width (long ones cut with …, the phone and the
        # report have them whole), so that the two never run into one line.
        fits = int((width / 2 - 24) / 14)
        low, high = shorten(low_label, fits), shorten(high_label, fits)
        out.append(
            f'<text x="4" y="{y}" font-size="26" fill="#111">{escape(low)}</text>'
            f'<text x="{width - 4}" y="{y}" font-size="26" text-anchor="end" fill="#111">'
            f"{escape(high)}</text>"
        )
    out.append("</svg>")
    return "".join(out)
