"""A word cloud as SVG, drawn on the server: words in rows, the most used first and
largest, sized by how many answers used them. Readable from the back of a room (large, dark
on white), and the list next to it on the page is its text alternative."""

from __future__ import annotations

import math
from collections.abc import Sequence
from xml.sax.saxutils import escape

from platsa.core.analysis.word_cloud import Word
from platsa.core.render.charts import FONT, PALETTE

# A word's width, as a share of its font size per letter: estimated (Inter semibold on the
# web, DejaVu Sans Bold in a PDF are 0.55-0.72), then drawn to exactly that width
# (textLength), so that no font's wider letters make two words run into each other.
CHAR_WIDTH = 0.62


def word_cloud(
    found: Sequence[Word], *, title: str, desc: str, width: int = 960, max_size: int = 72
) -> str:
    if not found:
        return ""
    top = found[0].count
    min_size = 18
    rows: list[list[tuple[Word, float, float]]] = [[]]
    used = 0.0
    gap = 18.0
    for word in found:
        size = min_size + (max_size - min_size) * math.sqrt(word.count / top)
        # A long word is drawn smaller rather than cut off at the edges.
        size = max(min(size, (width - 40) / (max(len(word.text), 1) * CHAR_WIDTH)), 8.0)
        w = len(word.text) * size * CHAR_WIDTH
        if rows[-1] and used + gap + w > width - 40:
            rows.append([])
            used = 0.0
        rows[-1].append((word, size, w))
        used += (gap if used else 0.0) + w
    out = []
    y = 20.0
    for i, row in enumerate(rows):
        height = max(size for _w, size, _x in row)
        total = sum(w for _w, _s, w in row) + gap * (len(row) - 1)
        x = (width - total) / 2
        y += height
        for j, (word, size, w) in enumerate(row):
            colour = PALETTE[(i + j) % 4]  # the four darkest: 4.5:1 or more on white
            out.append(
                f'<text x="{x + w / 2:.1f}" y="{y:.1f}" font-size="{size:.0f}" '
                f'text-anchor="middle" fill="{colour}" font-weight="600" '
                f'textLength="{w:.1f}" lengthAdjust="spacingAndGlyphs">'
                f"<title>{escape(word.text)}: {word.count}</title>{escape(word.text)}</text>"
            )
            x += w + gap
        y += 12
    height_total = int(y + 16)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height_total}" '
        f'role="img" aria-labelledby="wc-t wc-d" class="chart word-cloud" font-family="{FONT}">'
        f'<title id="wc-t">{escape(title)}</title><desc id="wc-d">{escape(desc)}</desc>'
        + "".join(out)
        + "</svg>"
    )
