"""The workshop's charts drawn on the server: the 2×2 matrix and bars with given texts."""

from __future__ import annotations

from defusedxml import ElementTree as ET  # noqa: N817

from platsa.core.render.count_bars import count_bars
from platsa.core.render.matrix_2x2 import matrix_2x2

NS = "{http://www.w3.org/2000/svg}"


def test_the_matrix_puts_each_option_at_its_means_and_leaves_out_the_unplaced():
    svg = matrix_2x2(
        ["Byahus", "Samåkning", "<script>"],
        [(7.0, 7.0), None, (1.0, 1.0)],
        title="Nytta & enkelhet",
        x_label="Nytta",
        y_label="Enkelt",
    )
    root = ET.fromstring(svg)  # well-formed: the label's markup is escaped
    groups = [g for g in root.iter(f"{NS}g") if g.get("role") == "img"]
    assert [g.get("aria-label") for g in groups] == ["1. Byahus: 7.0, 7.0", "3. <script>: 1.0, 1.0"]
    top_right = groups[0].find(f"{NS}circle")
    bottom_left = groups[1].find(f"{NS}path")  # the third option's own shape
    assert float(top_right.get("cx")) > 600
    assert float(top_right.get("cy")) < 60
    assert bottom_left is not None
    assert root.get("aria-label") == "Nytta & enkelhet"


def test_bars_write_the_given_texts_and_scale_to_the_given_top():
    svg = count_bars(["A", "B"], [3.5, 7.0], title="Medel", texts=["3,5 (2)", "7,0 (1)"], top=7)
    root = ET.fromstring(svg)
    widths = [float(r.get("width")) for r in root.iter(f"{NS}rect")]
    assert abs(widths[1] - 2 * widths[0]) < 0.5
    texts = [t.text for t in root.iter(f"{NS}text")]
    assert "3,5 (2)" in texts
    assert "7,0 (1)" in texts
    assert "%" not in "".join(texts)


def test_names_of_points_close_together_do_not_cover_each_other():
    svg = matrix_2x2(
        ["Bybutik", "Sommarjobb", "Byahus"],
        [(5.3, 2.8), (5.4, 2.8), (5.35, 2.85)],
        title="T",
        x_label="X",
        y_label="Y",
    )
    root = ET.fromstring(svg)
    placed = [
        (float(t.get("x")), float(t.get("y")), t.get("text-anchor"), t.text)
        for g in root.iter(f"{NS}g")
        for t in g.iter(f"{NS}text")
        if t.get("font-size") == "22"
    ]
    assert len({(x, y, anchor) for x, y, anchor, _t in placed}) == len(placed)
    assert len(placed) >= 2  # right, left, above or below: at least two find room


def test_a_scale_is_seven_columns_in_a_wide_low_drawing_with_its_ends_named():
    """Wide and low, so that under the question on a 1280 x 720 projector its text stays
    large: each point's count and share above its column, the ends' words under 1 and 7."""
    from platsa.core.render.count_bars import scale_columns

    svg = scale_columns(
        [0, 1, 4, 2, 4, 3, 0], title="Trygg?", low_label="inte <alls>", high_label="helt"
    )
    root = ET.fromstring(svg)
    _x, _y, width, height = (float(v) for v in root.get("viewBox").split())
    assert width / height > 2.5
    bars = list(root.iter(f"{NS}rect"))
    assert len(bars) == 7
    heights = [float(b.get("height")) for b in bars]
    assert heights[2] == heights[4] == max(heights)
    assert abs(heights[3] - heights[2] / 2) < 0.5
    texts = [t.text for t in root.iter(f"{NS}text")]
    assert "4 (29 %)" in texts
    assert [t for t in texts if t in {str(i) for i in range(1, 8)}] == [str(i) for i in range(1, 8)]
    assert "inte <alls>" in texts  # escaped in the file, read back as written
    assert min(float(t.get("font-size")) for t in root.iter(f"{NS}text")) >= 26
