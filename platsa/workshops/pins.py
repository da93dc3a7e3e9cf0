"""Places questions: a pin dropped on the phone's map becomes the municipality it lies in.

The phone offers the municipality's name first (a text field with a list: it works on every
phone, with a screen reader and without script). Under it, "drop a pin" loads the map of the
country's municipalities, drawn on the server like every other map, from its own address so
that the question's page stays light and the map is fetched once per phone and cached
(``pin_map``). A tap sends its latitude and longitude with the name the script filled in;
the server finds the municipality the point lies in itself (``area_at``), so a pin is
counted for the area it is in, whatever name came with it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from platsa.core.geo import AreaIndex
from platsa.core.render import charts
from platsa.places.models import Area, AreaShape, Place
from platsa.web.middleware import LANGUAGE_FROM_ADDRESS
from platsa.web.pagecache import build_id

COUNTRIES = ("SE", "NO", "FI")  # the boundary files' countries
NUMBER_CHARS = 24  # "-12.3456789": a coordinate longer than this is not one
PIN_MAP_WIDTH = 360  # a phone's width; the map zooms
PINS_DRAWN = 2_000  # on the presenter's map: more dots than that are one blot


class BadPinError(ValueError):
    """Coordinates that are not a point on the Earth (or only one of the two)."""


def country_of(place: Place) -> str:
    """The country whose map a place's room sees (Sweden for a place with no municipality)."""
    municipality = place.municipality
    return municipality.country if municipality is not None else "SE"


def parse_pin(fields: Mapping[str, str]) -> tuple[float, float] | None:
    """``(lat, lon)`` from the form's ``lat`` and ``lon``, None when neither was sent."""
    raw = [(fields.get(name) or "").strip() for name in ("lat", "lon")]
    if not any(raw):
        return None
    try:
        if any(len(text) > NUMBER_CHARS for text in raw):
            raise ValueError
        lat, lon = (float(text.replace(",", ".")) for text in raw)
    except ValueError:
        raise BadPinError from None
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise BadPinError
    return lat, lon


def _shapes(country: str) -> QuerySet[AreaShape]:
    return AreaShape.objects.filter(area__kind=Area.Kind.MUNICIPALITY, area__country=country)


def shapes_stamp(country: str) -> str:
    """The version of the country's municipality boundaries: how many, the newest row and
    the last write (the reference import sets ``changed_at`` when it changes one). Empty
    when the country has none."""
    found = _shapes(country).aggregate(n=Count("id"), last=Max("id"), at=Max("changed_at"))
    if not found["n"]:
        return ""
    at = found["at"].timestamp() if found["at"] is not None else 0
    return f"{found['n']}-{found['last']}-{at:.6f}"


@lru_cache(maxsize=8)
def _index(country: str, stamp: str) -> AreaIndex:
    del stamp  # in the key only: a new import is a new index
    return AreaIndex(_shapes(country).values_list("area_id", "geometry"))


def forget() -> None:
    """Drop the indexes this process keeps (the tests' databases come and go)."""
    _index.cache_clear()


def area_at(country: str, lat: float, lon: float) -> Area | None:
    """The municipality of ``country`` the point lies in; None at sea or abroad."""
    pk = _index(country, shapes_stamp(country)).locate(lat, lon)
    return Area.objects.filter(pk=pk).first() if pk is not None else None


def pin_map_svg(country: str) -> str:
    """The country's municipalities in grey, each with its name as its title, for a pin
    (the map's own title in the active language)."""
    language = translation.get_language()
    key = f"platsa:pin-map:{country}:{language}:{shapes_stamp(country)}:{build_id()}"
    svg = cache.get(key)
    if svg is None:
        # By name: the arrow keys go from area to area in this order.
        shapes = (
            _shapes(country)
            .order_by("area__name", "area_id")
            .values_list("area_id", "area__name", "geometry")
        )
        svg = charts.choropleth(
            [charts.MapArea(str(pk), name, geometry, None) for pk, name, geometry in shapes],
            title=_("Map: tap where the place is"),
            low=0,
            high=1,
            legend=[],
            width=PIN_MAP_WIDTH,
            chart_id="pin-map",
        )
        cache.set(key, svg, 24 * 3600)
    return svg


@require_safe
def pin_map(request: HttpRequest, country: str, language: str) -> HttpResponse:
    """The map a phone drops its pin on: the same for every room of a country, so it is
    cached by the phone and by any proxy for a day (the middleware compresses it). The
    language is in the address, not taken from a cookie, so a shared cache keeps one copy
    per language."""
    if country not in COUNTRIES or language not in dict(settings.LANGUAGES):
        raise Http404
    with translation.override(language):
        svg = pin_map_svg(country)
    if not svg:
        raise Http404
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    # The page asks for it with ?v=<version> (pin_map_version): a new version is a new
    # address, so a copy may be kept as long as anyone likes.
    response["Cache-Control"] = "public, max-age=86400"
    response["Content-Language"] = language
    setattr(response, LANGUAGE_FROM_ADDRESS, True)  # no Vary: Cookie
    return response


def pin_map_version(country: str) -> str:
    """What the phone's page puts in the map's address (``?v=``): the boundaries' version
    and the deploy's, so a new import or release is fetched anew. Empty: no map for this
    country (its boundaries are not imported), and the page offers the name only."""
    stamp = shapes_stamp(country)
    return f"{stamp}-{build_id()}" if stamp else ""
