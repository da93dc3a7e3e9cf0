"""Between the database and the core: official areas as the core's reference records."""

from __future__ import annotations

from datetime import date
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


def _date_position(iso: str) -> float | None:
    """Where a date sits on an axis on which the whole number ``Y`` is 31 December of ``Y``:
    1 November 2024 is 60 days before 31 December 2024, so it sits at 2024 - 60/366."""
    try:
        day = date.fromisoformat(iso)
    except ValueError:
        return None
    year_end = date(day.year, 12, 31)
    days_in_year = (year_end - date(day.year, 1, 1)).days + 1
    return day.year - (year_end - day).days / days_in_year


def area_charts(area: Area) -> dict[str, Any]:
    """The population series and the age structure as SVG charts, with the same numbers as
    table rows (every chart sits beside its table).

    The series holds 31 December values only. The headline population is often of another
    date (SCB's 1 November 2024): it is drawn as a separate, dated marker after the line and
    given its own table row with its date, so the chart never passes it off as a year-end
    figure."""
    from django.utils import formats
    from django.utils.translation import get_language, gettext

    from platsa.core import charts
    from platsa.core.explain import number

    language = (get_language() or "sv")[:2]
    series = sorted((int(y), v) for y, v in (area.population_series or {}).items())
    series_rows: list[tuple[str | int, int]] = [
        row for i, row in enumerate(series) if i % 5 == 0 or i == len(series) - 1
    ]
    marker, when = None, ""
    title = gettext("Population of %(area)s, 31 December each year") % {"area": area.name}
    position = _date_position(area.population_date) if area.population_date else None
    last_year = series[-1][0] if series else None
    in_series = area.population_date.endswith("-12-31") and int(area.population_date[:4]) in dict(
        series
    )
    if len(series) >= 2 and area.population is not None and position is not None and not in_series:
        when = formats.date_format(date.fromisoformat(area.population_date), "j F Y")
        marker = charts.Marker(
            position,
            area.population,
            f"{when}: {number(area.population, language, 0)}",
        )
        title = gettext(
            "Population of %(area)s on 31 December each year %(first)s–%(last)s, and on %(date)s"
        ) % {"area": area.name, "first": series[0][0], "last": last_year, "date": when}
        series_rows.append((when, area.population))
    bands = sorted(area.age_bands or {}, key=lambda k: int(k.split("_")[0]))
    age_rows = [(k.replace("_plus", "+").replace("_", "–"), area.age_bands[k]) for k in bands]
    population_description = (
        gettext(
            "The line joins the 31 December figures. The open circle is a figure for "
            "another date, drawn apart from the line."
        )
        if marker
        else ""
    )
    age_title = gettext("People per age band in %(area)s, %(year)s") % {
        "area": area.name,
        "year": area.age_year,
    }
    return {
        "population_svg": charts.line_chart(
            series,
            title=title,
            description=population_description,
            marker=marker,
            chart_id="pop",
        ),
        # The phone's drawings of the same charts, shown instead below 36rem.
        "population_svg_narrow": charts.line_chart(
            series,
            title=title,
            description=population_description,
            marker=marker,
            chart_id="pop-narrow",
            narrow=True,
        ),
        "age_svg_narrow": charts.column_chart(
            age_rows, title=age_title, chart_id="ages-narrow", narrow=True
        ),
        "population_marker": marker,
        "population_marker_date": when if marker else "",
        "population_first": series[0][0] if series else None,
        "population_last": last_year,
        "series": series,
        "series_rows": series_rows,
        "age_svg": charts.column_chart(age_rows, title=age_title, chart_id="ages"),
        "age_rows": age_rows,
    }
