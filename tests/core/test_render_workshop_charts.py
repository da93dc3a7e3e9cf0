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
        if t.get("font-size") == "26"
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


def _boxes_of_labels(root):
    """Each drawn option name's rough box (x0, y0, x1, y1) at 15 px a letter."""
    out = []
    for t in root.iter(f"{NS}text"):
        if t.get("font-size") != "26" or not t.text or t.text in {"1", "7"}:
            continue
        x, y, w = float(t.get("x")), float(t.get("y")), len(t.text) * 15
        anchor = t.get("text-anchor")
        x0 = x - w if anchor == "end" else x - w / 2 if anchor == "middle" else x
        out.append((t.text, (x0, y - 20, x0 + w, y + 4)))
    return out


def test_a_matrix_name_never_covers_another_options_marker():
    # Bybutik's name to its right would run over Sommarjobb's marker just beside it.
    svg = matrix_2x2(
        ["Byahus", "Samåkning", "Bybutik", "Sommarjobb"],
        [(4.1, 4.0), (5.2, 3.5), (5.3, 2.8), (6.4, 2.8)],
        title="Nytta och enkelhet",
        x_label="Nytta",
        y_label="Enkelt",
    )
    root = ET.fromstring(svg)
    markers = []
    for g in root.iter(f"{NS}g"):
        number = g.find(f"{NS}text")
        markers.append((float(number.get("x")), float(number.get("y")) - 9))
    for name, (x0, y0, x1, y1) in _boxes_of_labels(root):
        for mx, my in markers:
            inside = x0 < mx + 17 and mx - 17 < x1 and y0 < my + 17 and my - 17 < y1
            assert not inside, (name, (mx, my))


def test_groups_compared_write_each_label_once_and_every_groups_number():
    from platsa.core.render.group_bars import GroupColumn, group_bars

    svg = group_bars(
        ["Bostäder", "Skola <b>"],
        [
            GroupColumn("Kunskap & kompetens (5)", [3.5, None], ["3,5 (4)", "–"]),
            GroupColumn("Teknik (2)", [7.0, 1.0], ["7,0 (2)", "1,0 (1)"]),
        ],
        title="Hur bra är orten?",
        top=7,
    )
    root = ET.fromstring(svg)  # well-formed: names and labels are escaped
    texts = [t.text for t in root.iter(f"{NS}text")]
    assert texts.count("Bostäder") == 1
    assert texts.count("Skola <b>") == 1
    assert {"3,5 (4)", "–", "7,0 (2)", "1,0 (1)"} <= set(texts)
    assert "Kunskap & kompetens (5)" in " ".join(t for t in texts if t)  # on one line or two
    bars = [r for r in root.iter(f"{NS}rect") if r.get("height") == "22"]
    widths = sorted(float(r.get("width")) for r in bars)
    # Three bars (no bar where nobody answered), all to one scale: 7 is twice 3.5.
    assert len(widths) == 3
    assert abs(widths[2] - 2 * widths[1]) < 0.5
    assert abs(widths[2] - 7 * widths[0]) < 0.5
    assert group_bars([], [], title="x") == ""
