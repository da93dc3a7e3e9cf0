"""Which area a point lies in: a pin dropped on a map becomes a municipality.

The boundaries are the simplified GeoJSON the maps are drawn from (WGS84, lon/lat). A point
is inside an area when it is inside an odd number of the area's rings (even-odd, as the maps
fill them with ``fill-rule="evenodd"``): holes and islands come out right without knowing
which ring is which. An index holds the rings as arrays with each area's bounding box, so
that one lookup tests the few areas whose box holds the point, not every ring of a country.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


def _rings(geometry: Any) -> list[FloatArray]:
    """The rings of a Polygon or MultiPolygon as (n, 2) arrays; anything else has none."""
    if not isinstance(geometry, dict):
        return []
    coordinates = geometry.get("coordinates")
    if geometry.get("type") == "Polygon":
        polygons = [coordinates]
    elif geometry.get("type") == "MultiPolygon":
        polygons = coordinates if isinstance(coordinates, list) else []
    else:
        return []
    rings = []
    for polygon in polygons:
        for ring in polygon if isinstance(polygon, list) else []:
            try:
                array = np.asarray(ring, dtype=np.float64)
            except (TypeError, ValueError):
                continue
            if array.ndim != 2 or array.shape[1] < 2:
                continue
            array = array[:, :2]
            array = array[np.isfinite(array).all(axis=1)]  # a broken point, not the ring
            if array.shape[0] >= 3:
                rings.append(array)
    return rings


def _crossings(ring: FloatArray, lon: float, lat: float) -> int:
    """How many edges of ``ring`` a ray from the point towards the east crosses."""
    x0, y0 = ring[:, 0], ring[:, 1]
    x1, y1 = np.roll(x0, -1), np.roll(y0, -1)
    spans = (y0 > lat) != (y1 > lat)
    with np.errstate(divide="ignore", invalid="ignore"):
        at = x0 + (lat - y0) * (x1 - x0) / (y1 - y0)
    return int(np.count_nonzero(spans & (lon < at)))


@dataclass(frozen=True)
class _Area:
    key: int
    box: tuple[float, float, float, float]  # west, south, east, north
    rings: tuple[FloatArray, ...]


class AreaIndex:
    """Areas by key, for :meth:`locate`. Built once per set of boundaries (a country's
    municipalities: a few hundred areas, parsed in milliseconds)."""

    def __init__(self, areas: Iterable[tuple[int, Any]]) -> None:
        found = []
        for key, geometry in areas:
            rings = _rings(geometry)
            if not rings:
                continue
            points = np.concatenate(rings)
            west, south = (float(v) for v in points.min(axis=0))
            east, north = (float(v) for v in points.max(axis=0))
            found.append(_Area(key, (west, south, east, north), tuple(rings)))
        self._areas = tuple(found)

    def __len__(self) -> int:
        return len(self._areas)

    def box(self, key: int) -> tuple[float, float, float, float] | None:
        """The area's bounding box (west, south, east, north), None for an unknown key."""
        return next((a.box for a in self._areas if a.key == key), None)

    def locate(self, lat: float, lon: float) -> int | None:
        """The key of the area the point is in; None at sea, abroad or for a point that is
        not a number."""
        if not (math.isfinite(lat) and math.isfinite(lon)):
            return None
        for area in self._areas:
            west, south, east, north = area.box
            if not (west <= lon <= east and south <= lat <= north):
                continue
            if sum(_crossings(ring, lon, lat) for ring in area.rings) % 2 == 1:
                return area.key
        return None
