"""Answers counted per option as horizontal bars in SVG, for a projector: large labels, the
count and share at the end of each bar, dark on white (the numbers are also the text)."""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

from platsa.core.render.charts import ACCENT, FONT


def count_bars(
    labels: Sequence[str], counts: Sequence[int], *, title: str, width: int = 960
) -> str:
    if not labels:
        return ""
    total = sum(counts) or 1
    top = max(counts) or 1
    row, label_h, bar_h = 86, 34, 30
    height = row * len(labels) + 10
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title, {chr(34): "&quot;"})}" class="chart count-bars" '
        f'font-family="{FONT}">'
    ]
    for i, (label, n) in enumerate(zip(labels, counts, strict=True)):
        y = 10 + i * row
        bar = (width - 200) * n / top
        out.append(
            f'<text x="0" y="{y + label_h - 8}" font-size="28" fill="#111">{escape(label)}</text>'
            f'<rect x="0" y="{y + label_h}" width="{max(bar, 2):.1f}" height="{bar_h}" '
            f'fill="{ACCENT}" rx="4"/>'
            f'<text x="{max(bar, 2) + 12:.1f}" y="{y + label_h + bar_h - 6}" font-size="26" '
            f'font-weight="700" fill="#111">{n} ({round(100 * n / total)} %)</text>'
        )
    out.append("</svg>")
    return "".join(out)
