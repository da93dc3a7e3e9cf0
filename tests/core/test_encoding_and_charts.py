from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from platsa.core.io.encoding import decode_matrix, decode_one, encode, encode_matrix
from platsa.core.render import charts

answers = st.lists(st.one_of(st.integers(1, 7), st.just("?"), st.none()), min_size=15, max_size=15)


@given(st.lists(answers, min_size=1, max_size=20))
def test_encoding_round_trips(rows):
    texts = [encode(r, 1) for r in rows]
    assert [decode_one(t, 1) for t in texts] == rows
    values, dk = decode_matrix(texts, 15, 1)
    assert encode_matrix(values, dk, 1) == texts


def test_scale_steps_beyond_nine():
    assert decode_one(encode([0, 10, 35], 0), 0) == [0, 10, 35]


def test_radar_escapes_labels_and_describes_itself():
    svg = charts.radar(
        ["<b>Bostäder</b>", "Skola & omsorg", "Trygghet"],
        [charts.Series("Alla", [3.0, None, 6.5])],
        scale=(1, 7),
        title="Kompass",
    )
    assert "<b>" not in svg
    assert "&lt;b&gt;Bostäder&lt;/b&gt;" in svg
    assert "Skola &amp; omsorg" in svg
    assert 'role="img"' in svg
    assert "<title" in svg


def test_map_point_lies_inside_the_drawing():
    square = {
        "type": "Polygon",
        "coordinates": [[[15, 60], [16, 60], [16, 61], [15, 61], [15, 60]]],
    }
    svg = charts.area_map(square, title="Test", point=(60.5, 15.5))
    assert 'class="map-point"' in svg
    assert "data-bbox" in svg
    assert np.isfinite(float(svg.split('cx="')[1].split('"')[0]))


def _font_sizes(svg: str) -> list[float]:
    import re

    return [float(s) for s in re.findall(r'font-size="([0-9.]+)"', svg)]


def _viewbox_width(svg: str) -> float:
    return float(svg.split('viewBox="0 0 ')[1].split()[0])


def test_small_numbered_compass_names_every_spoke_legibly():
    """A group compass in a grid card (about 210-300 px wide) numbers its spokes 1..n, in
    type that stays at 14 px or more when the drawing is shown 212 px wide."""
    axes = [f"Tema {i}" for i in range(15)]
    svg = charts.radar(
        axes,
        [charts.Series("Grupp", [4.0] * 15)],
        scale=(1, 7),
        title="Kompass för Grupp",
        description="Ekrarna är numrerade",
        size=300,
        numbered=True,
        chart_id="g",
    )
    numbers = [f">{i}</text>" for i in range(1, 16)]
    assert all(n in svg for n in numbers)
    assert "Tema 0" not in svg  # numbers, not names, which would be unreadable this small
    shown = 212 / _viewbox_width(svg)
    assert min(_font_sizes(svg)) * shown >= 11  # ring labels
    assert max(_font_sizes(svg)) * shown >= 15  # spoke numbers
    assert '<desc id="g-d">Ekrarna är numrerade</desc>' in svg


def test_narrow_interval_bars_stay_readable_on_a_phone():
    """On a 375 px phone the chart is 343 px wide: every text at 12 px or more. The wide
    drawing scaled to that width gives about 7 px, which is why the narrow one exists."""
    rows = [
        ("Offentliga platser och mötesplatser", 3.6, 3.5, 3.8),
        ("Bostäder", 2.8, 2.6, 2.9),
        ("Inget svar", None, None, None),
    ]
    narrow = charts.interval_bars(
        rows,
        scale=(1, 7),
        title="Betyg",
        narrow=True,
        value_format=lambda v: f"{v:.1f}".replace(".", ","),
    )
    wide = charts.interval_bars(rows, scale=(1, 7), title="Betyg")
    phone = 343
    assert min(_font_sizes(narrow)) * phone / _viewbox_width(narrow) >= 12
    assert min(_font_sizes(wide)) * phone / _viewbox_width(wide) < 12
    assert ">3,6</text>" in narrow  # the score beside its label, in the reader's notation
    assert "mötesplatser" in narrow
    assert "Offentliga platser och" in narrow
    assert narrow.count("<circle") == 2  # no dot for the theme without a score


def test_line_chart_marks_a_figure_of_another_date_apart_from_the_line():
    points = [(2020, 100.0), (2021, 110.0), (2022, 105.0)]
    svg = charts.line_chart(
        points,
        title="Folkmängd",
        marker=charts.Marker(2024 - 60 / 366, 120.0, "1 november 2024: 120"),
        description="Cirkeln är en annan dag",
    )
    polyline = svg.split('<polyline points="')[1].split('"')[0]
    assert len(polyline.split()) == 3  # the marker is not a point of the line
    assert 'class="chart-marker"' in svg
    assert "1 november 2024: 120" in svg
    assert ">2022</text>" in svg  # the line's last year, not the marker's date
    assert "<desc" in svg
    no_marker = charts.line_chart(points, title="Folkmängd")
    assert "chart-marker" not in no_marker
    assert "<desc" not in no_marker


def test_series_style_matches_what_the_radar_draws():
    colour, dash = charts.series_style(1)
    svg = charts.radar(
        ["a", "b", "c"],
        [charts.Series("nu", [3.0, 4.0, 5.0]), charts.Series("förr", [2.0, 3.0, 4.0])],
        scale=(1, 7),
        title="t",
    )
    assert f'stroke="{colour}" stroke-width="2.5" stroke-dasharray="{dash}"' in svg
