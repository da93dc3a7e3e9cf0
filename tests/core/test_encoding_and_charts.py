from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from platsa.core import charts
from platsa.core.encoding import decode_matrix, decode_one, encode, encode_matrix

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
