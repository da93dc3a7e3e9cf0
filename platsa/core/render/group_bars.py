"""Themed groups compared on a projector: one row per option (or theme), one column per
group, each cell a bar and its number. Three bar charts side by side each repeated every
label and shrank to a third of the screen, so their text ended near 10 px; here the labels
are written once and each group's column is narrow, so the drawing stays large enough to
be read from the back of a room. The numbers are the text: colour carries nothing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from platsa.core.render.charts import ACCENT, FONT, escape_attr, shorten, wrap_words

CHAR = 14.5  # of the 26 px labels, roughly
ROW = 44
BAR_H = 22


@dataclass(frozen=True)
class GroupColumn:
    """One group: its name, a value per row (None: nobody answered it) and the text beside
    each bar ("4,6", "3 (25 %)")."""

    name: str
    values: Sequence[float | None]
    texts: Sequence[str]


def _head_lines(name: str, chars: int, most: int = 3) -> list[str]:
    """A group's name (and its count) on at most three lines of its column, the last cut
    with … if the name is longer still."""
    lines = wrap_words(name, chars, most=99) or [""]
    if len(lines) > most:
        lines = [*lines[: most - 1], " ".join(lines[most - 1 :])]
    return [shorten(t, chars) for t in lines]


def group_bars(
    labels: Sequence[str],
    columns: Sequence[GroupColumn],
    *,
    title: str,
    top: float | None = None,
) -> str:
    """``top``: the value of a full bar (the largest value of any group when not given), the
    same for every column so that the bars compare across groups."""
    if not labels or not columns:
        return ""
    values = [v for c in columns for v in c.values if v is not None]
    full = top if top else (max(values, default=0) or 1)
    label_chars = min(max(len(label) for label in labels), 26)
    label_w = label_chars * CHAR + 20
    text_w = max(len(t) for c in columns for t in c.texts) * CHAR + 16
    # Four groups or more: shorter bars, so that the drawing is less wide and its text
    # larger on the screen (the numbers carry the values; the bars are for the eye).
    bar_room = 130 if len(columns) <= 3 else 70
    col_w = max(text_w + bar_room, 200)
    head_chars = int((col_w - 16) / CHAR)
    heads = [_head_lines(c.name, head_chars) for c in columns]
    head_h = 34 * max(len(h) for h in heads) + 16
    width = label_w + col_w * len(columns)
    height = head_h + ROW * len(labels) + 8
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height}" role="img" '
        f'aria-label="{escape_attr(title)}" class="chart group-bars" font-family="{FONT}">'
    ]
    for j, head in enumerate(heads):
        x = label_w + j * col_w
        out.append(
            f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height}" stroke="#bbb" stroke-width="2"/>'
        )
        for k, line in enumerate(head):
            out.append(
                f'<text x="{x + 12:.1f}" y="{30 + 34 * k}" font-size="26" font-weight="700" '
                f'fill="#111">{escape(line)}</text>'
            )
    for i, label in enumerate(labels):
        y = head_h + i * ROW
        if i % 2 == 0:  # banded rows guide the eye across the columns
            out.append(f'<rect x="0" y="{y}" width="{width:.0f}" height="{ROW}" fill="#f2f2f2"/>')
        out.append(
            f'<text x="8" y="{y + ROW - 14}" font-size="26" fill="#111">'
            f"{escape(shorten(label, label_chars))}</text>"
        )
        for j, column in enumerate(columns):
            x = label_w + j * col_w + 12
            value = column.values[i]
            room = col_w - text_w - 24
            bar = max(room * min(value, full) / full, 2) if value is not None else 0
            if bar:
                out.append(
                    f'<rect x="{x:.1f}" y="{y + (ROW - BAR_H) / 2:.1f}" width="{bar:.1f}" '
                    f'height="{BAR_H}" fill="{ACCENT}" rx="3"/>'
                )
            out.append(
                f'<text x="{x + bar + 8:.1f}" y="{y + ROW - 14}" font-size="26" '
                f'font-weight="700" fill="#111">{escape(column.texts[i])}</text>'
            )
    out.append("</svg>")
    return "".join(out)
