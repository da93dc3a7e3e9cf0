"""Between the database and the core: official areas as the core's reference records."""

from __future__ import annotations

from typing import Any

from platsa.core.context import Fact, PlaceContext
from platsa.core.reference import (
    Municipality,
    context_for_municipality,
    municipality_facts,
    national_share_65_plus,
)
from platsa.places.models import Area, Place


def as_municipality(area: Area) -> Municipality:
    return Municipality(
        country=area.country,
        code=area.code,
        name=area.name,
        region_code=area.parent.code if area.parent_id and area.parent else "",
        population=area.population,
        population_date=area.population_date,
        population_source=area.population_source,
        population_series={int(y): int(v) for y, v in (area.population_series or {}).items()},
        share_65_plus_pct=area.share_65_plus_pct,
        share_0_19_pct=area.share_0_19_pct,
        age_year=area.age_year,
        age_bands=dict(area.age_bands or {}),
        skr_group_code=area.skr_group_code,
        skr_group_name=area.skr_group_name,
        land_area_km2=area.land_area_km2,
        area_source=area.area_source,
        lat=area.lat,
        lon=area.lon,
    )


def place_context(place: Place) -> PlaceContext:
    """The recommendation engine's context for a place, from its municipality's open data."""
    return context_for_municipality(
        as_municipality(place.municipality),
        place_name=place.name,
        place_population=place.population_estimate,
        is_whole_municipality=place.is_whole_municipality,
        has_industry_employer=place.industry_flag,
    )


def area_facts(area: Area) -> list[Fact]:
    return municipality_facts(as_municipality(area), national_share_65_plus(area.country))


def area_charts(area: Area) -> dict[str, Any]:
    """The population series and the age structure as SVG charts, with the same numbers as
    table rows (every chart sits beside its table)."""
    from django.utils.translation import gettext

    from platsa.core import charts

    series = sorted((int(y), v) for y, v in (area.population_series or {}).items())
    bands = sorted(area.age_bands or {}, key=lambda k: int(k.split("_")[0]))
    age_rows = [(k.replace("_plus", "+").replace("_", "–"), area.age_bands[k]) for k in bands]
    return {
        "population_svg": charts.line_chart(
            series,
            title=gettext("Population of %(area)s, 31 December each year") % {"area": area.name},
            chart_id="pop",
        ),
        "series": series,
        "series_rows": [row for i, row in enumerate(series) if i % 5 == 0 or i == len(series) - 1],
        "age_svg": charts.column_chart(
            age_rows,
            title=gettext("People per age band in %(area)s, %(year)s")
            % {"area": area.name, "year": area.age_year},
            chart_id="ages",
        ),
        "age_rows": age_rows,
    }
