"""Which area a point lies in (a pin dropped on the phone's map): even-odd over every ring,
so holes and islands come out right; a point that is not a number is in no area."""

from __future__ import annotations

import math

import pytest

from platsa.core.geo import AreaIndex

SQUARE = [[0.0, 0.0], [10.0, 0.0], [10.0, 10.0], [0.0, 10.0], [0.0, 0.0]]
HOLE = [[4.0, 4.0], [6.0, 4.0], [6.0, 6.0], [4.0, 6.0], [4.0, 4.0]]
ISLAND = [[20.0, 0.0], [22.0, 0.0], [22.0, 2.0], [20.0, 2.0], [20.0, 0.0]]


@pytest.fixture
def index() -> AreaIndex:
    return AreaIndex(
        [
            (1, {"type": "Polygon", "coordinates": [SQUARE, HOLE]}),
            (2, {"type": "MultiPolygon", "coordinates": [[HOLE], [ISLAND]]}),  # fills the hole
            (3, {"type": "Point", "coordinates": [1, 1]}),  # not an area: left out
            (4, {"type": "Polygon", "coordinates": [[["a", "b"], [1]]]}),  # broken: left out
        ]
    )


def test_a_point_is_in_the_area_whose_rings_hold_it(index: AreaIndex) -> None:
    assert len(index) == 2
    assert index.locate(lat=1, lon=1) == 1
    assert index.locate(lat=9.9, lon=0.1) == 1
    assert index.locate(lat=5, lon=5) == 2  # in 1's hole, where 2 lies
    assert index.locate(lat=1, lon=21) == 2  # 2's island
    assert index.locate(lat=1, lon=15) is None  # between them: the sea
    assert index.locate(lat=-1, lon=5) is None


@pytest.mark.parametrize(("lat", "lon"), [(math.nan, 1), (1, math.inf), (-math.inf, 1)])
def test_a_point_that_is_not_a_number_is_nowhere(index: AreaIndex, lat, lon) -> None:
    assert index.locate(lat=lat, lon=lon) is None
