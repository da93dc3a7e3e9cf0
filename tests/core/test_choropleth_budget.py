"""The choropleth's boundaries: snapped to a tenth of a pixel and without repeated points, yet
every area drawn, every ring closed, shared borders the same points on both sides, the SVG
well-formed with its labels escaped; all 956 municipalities of Sweden, Norway and Finland
well under issue 8's 1 MB; and the five classes' colours readable and in lightness order."""

from __future__ import annotations

import gzip
import math
import re
import time
from pathlib import Path

import pytest
from defusedxml import ElementTree  # xml.etree's parser, without entity expansion

from platsa.core.render import charts

SVG = "{http://www.w3.org/2000/svg}"
NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)")


def _square(x0: float, y0: float, size: float, per_side: int = 1) -> dict:
    """A square (lon, lat) with ``per_side`` points on each side, closed as GeoJSON is."""
    corners = [(x0, y0), (x0 + size, y0), (x0 + size, y0 + size), (x0, y0 + size)]
    ring = []
    for (ax, ay), (bx, by) in zip(corners, corners[1:] + corners[:1], strict=True):
        ring += [
            (ax + (bx - ax) * i / per_side, ay + (by - ay) * i / per_side) for i in range(per_side)
        ]
    ring.append(ring[0])
    return {"type": "Polygon", "coordinates": [[list(p) for p in ring]]}


def _draw(areas: list[charts.MapArea], width: int = 520) -> str:
    return charts.choropleth(areas, title="Karta", low=1, high=5, legend=["a"] * 5, width=width)


def _paths(svg: str) -> list:
    root = ElementTree.fromstring(svg)  # well-formed, or this raises
    return list(root.iter(f"{SVG}path"))


def _rings(d: str) -> list[list[tuple[float, float]]]:
    """Absolute points of each ring of a path written as "M x,y l dx,dy ... z"."""
    rings = []
    for sub in re.findall(r"M([^Mz]*)z", d):
        start, _, rest = sub.partition("l")
        x, y = (float(v) for v in NUMBER.findall(start))
        points = [(x, y)]
        steps = [float(v) for v in NUMBER.findall(rest)]
        for dx, dy in zip(steps[::2], steps[1::2], strict=True):
            x, y = round(x + dx, 1), round(y + dy, 1)
            points.append((x, y))
        rings.append(points)
    return rings


def test_every_area_is_drawn_even_one_smaller_than_the_grid():
    areas = [
        charts.MapArea("a", "Stor", _square(14.0, 60.0, 1.0), 2.0),
        charts.MapArea("b", "Ö", _square(15.5, 60.5, 1e-7), 4.0),  # an islet: one point drawn
        charts.MapArea("c", "Utan värde", _square(13.0, 61.0, 0.5), None),
    ]
    paths = _paths(_draw(areas))
    assert [p.get("data-key") for p in paths] == ["a", "b", "c"]
    # Valid path data, even for the islet: "M x,y l dx,dy … z" per ring, or "M x,y z".
    assert all(re.fullmatch(r"(M[^Mlz]+(l[^Mlz]+)?z)+", p.get("d")) for p in paths)
    assert [p.find(f"{SVG}title").text for p in paths] == ["Stor", "Ö", "Utan värde"]
    assert paths[2].get("fill") == charts.NO_VALUE


def test_rings_stay_closed_and_dense_points_are_dropped():
    # 4 x 2000 points on a square 0.1° wide: far closer together than a tenth of a pixel.
    dense = charts.MapArea("d", "Tät", _square(14.0, 60.0, 0.1, per_side=2000), 3.0)
    holed = {
        "type": "Polygon",
        "coordinates": _square(10.0, 58.0, 2.0)["coordinates"]
        + _square(10.5, 58.5, 1.0)["coordinates"],
    }
    other = charts.MapArea("h", "Med hål", holed, 1.0)
    paths = _paths(_draw([dense, other]))
    d_dense, d_holed = (p.get("d") for p in paths)
    assert d_dense.count("M") == d_dense.count("z") == 1
    assert d_holed.count("M") == d_holed.count("z") == 2  # the hole is still a ring
    (ring,) = _rings(d_dense)
    assert 4 <= len(ring) < 8001 / 4  # the square's corners at least, far fewer than given
    assert len(set(ring)) == len(ring)  # no point twice, not even the closing one (z closes)
    assert all(len(r) >= 3 for r in _rings(d_holed))


def test_drawn_points_are_the_projected_points_to_a_tenth_of_a_pixel():
    """The relative path adds up: the last point is where the projection puts it."""
    area = charts.MapArea("s", "S", _square(14.0, 60.0, 1.0, per_side=7), 3.0)
    (path,) = _paths(_draw([area]))
    (ring,) = _rings(path.get("d"))
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    # A square degree at 60° N is twice as tall as wide: the drawing is as tall as it may be
    # (1.8 x 520 px), the margins 8 px, the width scaled by cos(latitude).
    height, k = int(520 * 1.8), math.cos(math.radians(60.5))
    assert min(xs) == pytest.approx(8, abs=0.05)
    assert min(ys) == pytest.approx(8, abs=0.05)
    assert max(ys) == pytest.approx(height - 8, abs=0.05)
    assert max(xs) == pytest.approx(8 + k * (height - 16), abs=0.05)
    assert len(ring) == 4 * 7


def test_shared_borders_are_the_same_points_on_both_sides():
    """Two neighbours with the same dense border (as the boundary files have it): snapped to
    a grid, not thinned by distance from a ring's start, so no sliver opens between them."""
    left = _square(14.0, 60.0, 0.5, per_side=300)
    right = _square(14.5, 60.0, 0.5, per_side=300)
    areas = [charts.MapArea("l", "L", left, 1.0), charts.MapArea("r", "R", right, 5.0)]
    (pl, pr) = _paths(_draw(areas))
    (ring_l,), (ring_r,) = _rings(pl.get("d")), _rings(pr.get("d"))
    # The shared border is x = the left square's east side.
    east = max(p[0] for p in ring_l)
    assert min(p[0] for p in ring_r) == east
    border_l = {p for p in ring_l if p[0] == east}
    border_r = {p for p in ring_r if p[0] == east}
    assert len(border_l) > 2
    assert border_l == border_r


def test_labels_keys_and_links_are_escaped():
    label = "Å <script>alert(\"x\")</script> & 'Ö'"
    areas = [
        charts.MapArea('k"1', label, _square(14.0, 60.0, 1.0), 2.0, href='/p/?a=1&b="2"'),
        charts.MapArea("k2", "Två", _square(15.0, 60.0, 1.0), 2.0),
    ]
    svg = charts.choropleth(
        areas, title="<Karta> & mer", low=1, high=5, legend=["<1", "1–2", "2–3", "3–4", ">4"]
    )
    root = ElementTree.fromstring(svg)
    assert "<script>" not in svg
    assert root.find(f"{SVG}title").text == "<Karta> & mer"
    link = root.find(f".//{SVG}a")
    assert link.get("href") == '/p/?a=1&b="2"'
    assert link.get("aria-label") == label
    first = root.find(f".//{SVG}path")
    assert first.get("data-key") == 'k"1'
    assert first.find(f"{SVG}title").text == label
    assert [t.text for t in root.iter(f"{SVG}text")] == ["<1", "1–2", "2–3", "3–4", ">4"]


def test_the_map_is_nested_so_that_zooming_leaves_the_legend():
    root = ElementTree.fromstring(_draw([charts.MapArea("a", "A", _square(14.0, 60.0, 1.0), 2.0)]))
    (inner,) = root.findall(f"{SVG}svg")
    assert inner.get("class") == "choropleth-map"
    assert inner.get("viewBox") == f"0 0 {inner.get('width')} {inner.get('height')}"
    assert not inner.findall(f"{SVG}rect")  # the legend is outside it
    assert len(root.findall(f"{SVG}rect")) == 5


def test_a_third_coordinate_is_ignored():
    flat = _square(14.0, 60.0, 1.0)
    tall = {"type": "Polygon", "coordinates": [[[*p, 312.0] for p in flat["coordinates"][0]]]}
    drawn = [p.get("d") for p in _paths(_draw([charts.MapArea("f", "F", flat, 2.0)]))]
    assert [p.get("d") for p in _paths(_draw([charts.MapArea("t", "T", tall, 2.0)]))] == drawn


def test_broken_geometry_is_left_out_not_drawn_wrong():
    good = charts.MapArea("g", "G", _square(14.0, 60.0, 1.0), 2.0)
    broken = [
        charts.MapArea("n", "N", {"type": "Point", "coordinates": [14, 60]}, 2.0),
        charts.MapArea("x", "X", {"type": "Polygon", "coordinates": [[[14, 60], [15]]]}, 2.0),
        charts.MapArea("i", "I", {"type": "Polygon", "coordinates": [[[14, "nan"], [15, 1]]]}, 2.0),
    ]
    assert [p.get("data-key") for p in _paths(_draw([good, *broken]))] == ["g"]
    assert charts.choropleth(broken, title="t", low=1, high=5, legend=[]) == ""


def test_all_municipalities_of_three_countries_stay_far_under_one_megabyte():
    """Issue 8: the boundaries of every Swedish, Norwegian and Finnish municipality reach
    the browser in at most 1 MB. bench/bench_boundaries.py prints the figures."""
    from platsa.core.io.reference import REFERENCE_DIR
    from platsa.places.reference_import import _shapes

    shapes = _shapes(REFERENCE_DIR)
    if len(shapes) < 900:
        pytest.skip(f"the boundary files are not all there ({len(shapes)} areas)")
    areas = [
        charts.MapArea(f"{c}-{code}", f"Kommun {code}: 3,4", geometry, (i % 40) / 10 + 1)
        for i, ((c, code), (geometry, _)) in enumerate(sorted(shapes.items()))
    ]
    start = time.process_time()
    svg = _draw(areas)
    seconds = time.process_time() - start
    raw = svg.encode()
    assert len(_paths(svg)) == len(areas)
    assert len(gzip.compress(raw, 6)) < 250_000  # the budget is 1 MB; 0.12 MB today
    assert seconds < 2


# Colours ---------------------------------------------------------------------------------


def _luminance(colour: str) -> float:
    """WCAG 2 relative luminance of #rrggbb."""

    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_contrast_helper_matches_known_values():
    assert contrast("#ffffff", "#000000") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize("i", range(len(charts.HEAT)))
def test_each_class_text_reads_at_4_5_to_1(i):
    assert contrast(charts.HEAT[i], charts.HEAT_TEXT[i]) >= 4.5


def test_classes_go_from_light_to_dark_so_they_read_without_colour():
    """Ordered in lightness, the classes keep their order in grey and for every kind of
    colour blindness; neighbours differ enough to be told apart (at least 1.3:1)."""
    lum = [_luminance(c) for c in charts.HEAT]
    assert lum == sorted(lum, reverse=True)
    assert all(contrast(a, b) >= 1.3 for a, b in zip(charts.HEAT, charts.HEAT[1:], strict=False))
    assert all(not math.isclose(_luminance(charts.NO_VALUE), v, abs_tol=0.02) for v in lum)


def test_the_focus_highlight_shows_on_every_class():
    """map-zoom.js outlines the shown area black over white: one of the two stands out
    (3:1, WCAG 1.4.11) against every class and the no-value grey."""
    js = (
        Path(charts.__file__).resolve().parents[2] / "static" / "platsa" / "js" / "map-zoom.js"
    ).read_text(encoding="utf-8")
    assert '"#ffffff"' in js
    assert '"#000000"' in js
    for fill in (*charts.HEAT, charts.NO_VALUE):
        assert max(contrast(fill, "#000000"), contrast(fill, "#ffffff")) >= 3


def test_the_table_classes_in_css_are_the_map_classes():
    css = (
        Path(charts.__file__).resolve().parents[2] / "static" / "platsa" / "css" / "platsa.css"
    ).read_text(encoding="utf-8")
    for i, (fill, text) in enumerate(zip(charts.HEAT, charts.HEAT_TEXT, strict=True)):
        rule = re.search(rf"\.heat-{i} \{{ background: (#\w+); color: (#\w+); \}}", css)
        assert rule is not None, f".heat-{i} in platsa.css"
        assert rule.groups() == (fill, text), f".heat-{i} in platsa.css is not HEAT[{i}]"


def test_the_legend_leaves_out_a_class_no_value_falls_in():
    """A box without a number would be read as a class of its own: only labelled classes
    are drawn, in their own colours, side by side."""
    areas = [charts.MapArea(key="a", label="A", geometry=_square(15, 60, 1), value=2)]
    svg = charts.choropleth(areas, title="t", low=1, high=2, legend=["1", "", "", "", "2"])
    root = ElementTree.fromstring(svg)
    boxes = list(root.iter(f"{SVG}rect"))
    assert [b.get("fill") for b in boxes] == [charts.HEAT[0], charts.HEAT[4]]
    assert [t.text for t in root.iter(f"{SVG}text")] == ["1", "2"]
    assert float(boxes[1].get("x")) - float(boxes[0].get("x")) == pytest.approx(
        float(boxes[0].get("width"))
    )


def test_a_tall_map_has_a_legend_in_larger_type():
    """A whole country drawn tall is shrunk to a screen's height: its legend's type grows
    with the map, so it shrinks no further than the map does."""

    def font(geometry: dict) -> float:
        area = charts.MapArea(key="a", label="A", geometry=geometry, value=1)
        svg = charts.choropleth([area], title="t", low=1, high=5, legend=["1"] * 5)
        return float(next(ElementTree.fromstring(svg).iter(f"{SVG}text")).get("font-size"))

    wide = {"type": "Polygon", "coordinates": [[[10, 60], [20, 60], [20, 61], [10, 61], [10, 60]]]}
    tall = {"type": "Polygon", "coordinates": [[[15, 55], [16, 55], [16, 69], [15, 69], [15, 55]]]}
    assert font(wide) == 11
    assert font(tall) > 20
