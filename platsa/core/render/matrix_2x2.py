"""A 2×2 matrix as SVG: each option at the room's mean on two 1–7 scales (e.g. benefit
across, ease up), the four quadrants split at the middle (4). Each point is numbered and
has its own colour and shape; the list beside it on the page names the numbers, so the
chart needs neither colour nor hover to be read."""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

from platsa.core.render.charts import FONT, PALETTE, escape_attr

LOW, HIGH = 1.0, 7.0


def _marker(shape: int, x: float, y: float, r: float, colour: str) -> str:
    if shape == 0:
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r}" fill="{colour}"/>'
    if shape == 1:
        return f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r}" height="{2 * r}" fill="{colour}"/>'
    if shape == 2:
        return (
            f'<path d="M{x:.1f} {y - r * 1.2:.1f}L{x + r * 1.1:.1f} {y + r * 0.8:.1f}'
            f'H{x - r * 1.1:.1f}Z" fill="{colour}"/>'
        )
    return (
        f'<path d="M{x:.1f} {y - r * 1.2:.1f}L{x + r * 1.2:.1f} {y:.1f}L{x:.1f} {y + r * 1.2:.1f}'
        f'L{x - r * 1.2:.1f} {y:.1f}Z" fill="{colour}"/>'
    )


LABEL_CHAR = 15  # of the 26 px labels, roughly (the number on the point is always there)


def _overlaps(
    box: tuple[float, float, float, float], boxes: list[tuple[float, float, float, float]]
) -> bool:
    x0, y0, x1, y1 = box
    return any(x0 < b[2] and b[0] < x1 and y0 < b[3] and b[1] < y1 for b in boxes)


def _label(
    text: str,
    x: float,
    y: float,
    taken: list[tuple[float, float, float, float]],
    left: float,
    right: float,
) -> str:
    """The option's name beside its point: right of it, else left, above or below, the
    first place that covers no earlier name; none where all would (the number on the
    point and the list under the chart still name it)."""
    width = len(text) * LABEL_CHAR
    tries = [
        (x + 22, y + 9, "start", (x + 20, y - 14, x + 22 + width, y + 14)),
        (x - 22, y + 9, "end", (x - 22 - width, y - 14, x - 20, y + 14)),
        (x, y - 24, "middle", (x - width / 2, y - 46, x + width / 2, y - 18)),
        (x, y + 44, "middle", (x - width / 2, y + 22, x + width / 2, y + 50)),
    ]
    for tx, ty, anchor, box in tries:
        if box[0] >= left - 60 and box[2] <= right + 20 and not _overlaps(box, taken):
            taken.append(box)
            return (
                f'<text x="{tx:.1f}" y="{ty:.1f}" font-size="26" fill="#111" '
                f'text-anchor="{anchor}">{escape(text)}</text>'
            )
    return ""


def matrix_2x2(
    labels: Sequence[str],
    points: Sequence[tuple[float, float] | None],
    *,
    title: str,
    x_label: str,
    y_label: str,
    size: int = 720,
) -> str:
    """``points``: each option's (across, up) mean on 1..7, None for an option nobody
    placed (left out of the drawing, not put at a corner)."""
    if not labels:
        return ""
    pad_left, pad_bottom, pad = 76, 80, 24
    inner = size - pad_left - pad

    def px(v: float) -> float:
        return pad_left + (v - LOW) / (HIGH - LOW) * inner

    def py(v: float) -> float:
        return pad + (HIGH - v) / (HIGH - LOW) * inner

    mid_x, mid_y = px(4), py(4)
    height = pad + inner + pad_bottom
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {height}" role="img" '
        f'aria-label="{escape_attr(title)}" class="chart matrix-2x2" font-family="{FONT}">',
        f'<rect x="{pad_left}" y="{pad}" width="{inner}" height="{inner}" fill="#fafafa" '
        f'stroke="#555" stroke-width="2"/>',
        f'<line x1="{mid_x:.1f}" y1="{pad}" x2="{mid_x:.1f}" y2="{pad + inner}" stroke="#555" '
        f'stroke-dasharray="8 6" stroke-width="2"/>',
        f'<line x1="{pad_left}" y1="{mid_y:.1f}" x2="{pad_left + inner}" y2="{mid_y:.1f}" '
        f'stroke="#555" stroke-dasharray="8 6" stroke-width="2"/>',
        f'<text x="{pad_left + inner / 2:.1f}" y="{height - 16}" font-size="30" fill="#111" '
        f'text-anchor="middle">{escape(x_label)} →</text>',
        f'<text x="{pad_left}" y="{height - 50}" font-size="26" fill="#333">1</text>'
        f'<text x="{pad_left + inner}" y="{height - 50}" font-size="26" fill="#333" '
        f'text-anchor="end">7</text>',
        f'<text transform="translate(38 {pad + inner / 2:.1f}) rotate(-90)" font-size="30" '
        f'fill="#111" text-anchor="middle">{escape(y_label)} →</text>',
    ]
    # The markers' boxes, then the labels' boxes so far: a name covers neither.
    taken: list[tuple[float, float, float, float]] = [
        (px(p[0]) - 19, py(p[1]) - 20, px(p[0]) + 19, py(p[1]) + 20) for p in points if p
    ]
    for i, (label, point) in enumerate(zip(labels, points, strict=True)):
        if point is None:
            continue
        x, y = px(point[0]), py(point[1])
        colour = PALETTE[i % len(PALETTE)]
        text = label[:28]
        out.append(
            f'<g role="img" aria-label="{escape_attr(f"{i + 1}. {label}: {point[0]:.1f}, {point[1]:.1f}")}">'
            + _marker(i % 4, x, y, 17, colour)
            + f'<text x="{x:.1f}" y="{y + 9:.1f}" font-size="25" font-weight="700" fill="#fff" '
            f'text-anchor="middle">{i + 1}</text>'
            + _label(text, x, y, taken, pad_left, pad_left + inner)
            + "</g>"
        )
    out.append("</svg>")
    return "".join(out)
