"""Between the database and the core: official areas as the core's reference records."""

from __future__ import annotations

from datetime import date
from typing import Any

from platsa.core.analysis.context import Fact, PlaceContext
from platsa.core.io.reference import (
    CHANGE_YEARS,
    SOURCES,
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
        population_series_day=area.population_series_day or "12-31",
        population_series_sources=tuple(
            (int(first), int(last), str(source))
            for first, last, source in (area.population_series_sources or [])
        ),
        share_65_plus_pct=area.share_65_plus_pct,
        share_0_19_pct=area.share_0_19_pct,
        age_year=area.age_year,
        age_source=area.age_source,
        age_bands=dict(area.age_bands or {}),
        age_bands_year=area.age_bands_year,
        age_bands_source=area.age_bands_source,
        skr_group_code=area.skr_group_code,
        skr_group_name=area.skr_group_name,
        land_area_km2=area.land_area_km2,
        area_year=area.area_year,
        area_source=area.area_source,
        lat=area.lat,
        lon=area.lon,
    )


def place_context(place: Place) -> PlaceContext:
    """The recommendation engine's context for a place, from its municipality's open data.
    The place's answer to "Is there a large employer?" is ``has_large_employer``."""
    return context_for_municipality(
        as_municipality(place.municipality),
        place_name=place.name,
        place_population=place.population_estimate,
        is_whole_municipality=place.is_whole_municipality,
        has_large_employer=place.industry_flag,
    )


def area_facts(area: Area) -> list[Fact]:
    return municipality_facts(as_municipality(area), national_share_65_plus(area.country))


def _date_position(iso: str, day: str = "12-31") -> float | None:
    """Where a date sits on an axis on which the whole number ``Y`` is ``day`` ("MM-DD") of
    ``Y``: with 31 December, 1 November 2024 is 60 days before 31 December 2024, so it sits
    at 2024 - 60/366."""
    try:
        when = date.fromisoformat(iso)
        anchor = date.fromisoformat(f"{when.year}-{day}")
    except ValueError:
        return None
    days_in_year = (date(when.year, 12, 31) - date(when.year, 1, 1)).days + 1
    return when.year + (when - anchor).days / days_in_year


def _when(year: int, day: str) -> str:
    """A year of a series as the reader should read it: the year alone for 31 December
    (Platsa's convention), the full date in the reader's language for any other day."""
    from django.utils import formats

    if day in ("", "12-31"):
        return str(year)
    return formats.date_format(date.fromisoformat(f"{year}-{day}"), "j F Y")


def _credit(key: str) -> str:
    from django.utils.translation import gettext

    source = SOURCES.get(key)
    return source.credit(gettext) if source else key


def _population_texts(area: Area, m: Municipality, marker_date: str) -> dict[str, str]:
    """The population chart's caption, and notes on the change, from the sources and the
    series themselves: which day each year describes, where each stretch comes from, and
    where the series starts later than its file because earlier borders cannot be summed."""
    from django.utils.translation import gettext

    day = m.population_series_day
    years = sorted(m.population_series)
    if not years:
        return {"population_caption": "", "change_note": "", "change_unknown_note": ""}
    first, last = years[0], years[-1]
    line = (
        gettext(
            "The line: population on 1 January each year %(first)s–%(last)s, by today's "
            "municipal borders."
        )
        if day == "01-01"
        else gettext(
            "The line: population on 31 December each year %(first)s–%(last)s, by today's "
            "municipal borders."
        )
    ) % {"first": first, "last": last}
    parts = [line]
    if marker_date:
        parts.append(
            gettext(
                "The open circle: population on %(date)s, a figure for another date, drawn "
                "apart from the line."
            )
            % {"date": marker_date}
        )
    file_first = min((s[0] for s in m.population_series_sources), default=first)
    if first > file_first:
        parts.append(
            gettext(
                "There is no exact figure by today's borders before %(date)s (a merger or "
                "split of municipalities), so the line starts there."
            )
            % {"date": _when(first, day)}
        )
    stretches = [s for s in m.population_series_sources if s[1] >= first]
    if len(stretches) == 1 and not marker_date:
        parts.append(_credit(stretches[0][2]) + ".")
    else:
        credits = [
            gettext("%(years)s: %(credit)s")
            % {"years": f"{max(a, first)}–{b}", "credit": _credit(key)}
            for a, b, key in stretches
        ]
        if marker_date:
            credits.append(
                gettext("%(years)s: %(credit)s")
                % {"years": marker_date, "credit": _credit(m.population_source)}
            )
        parts.append("; ".join(credits) + ".")
    change = m.population_change_detail
    change_note = change_unknown_note = ""
    if change is not None and change.start_moved:
        change_note = gettext(
            "From %(first)s, the first year with an exact figure by today's borders, "
            "not from %(wanted)s."
        ) % {"first": _when(change.first, day), "wanted": _when(change.last - CHANGE_YEARS, day)}
    elif change is None:
        change_unknown_note = gettext(
            "Not known: exact figures by today's borders exist only from %(date)s, too "
            "short a time for a change over %(years)s years."
        ) % {"date": _when(first, day), "years": CHANGE_YEARS}
    return {
        "population_caption": " ".join(parts),
        "change_note": change_note,
        "change_unknown_note": change_unknown_note,
    }


def area_charts(area: Area) -> dict[str, Any]:
    """The population series and the age structure as SVG charts, with the same numbers as
    table rows (every chart sits beside its table), and their captions with sources.

    The series holds values for one day of the year only (31 December in Sweden and Finland,
    1 January in Norway). The headline population is often of another date (SCB's
    1 November 2024): it is drawn as a separate, dated marker after the line and given its
    own table row with its date, so the chart never passes it off as one more year. The most
    recent year is always a row of the table."""
    from django.utils import formats
    from django.utils.translation import get_language, gettext

    from platsa.core.render import charts
    from platsa.core.render.explain import number

    language = (get_language() or "sv")[:2]
    m = as_municipality(area)
    day = m.population_series_day
    series = sorted(m.population_series.items())
    series_rows: list[tuple[str | int, int]] = [
        (_when(y, day), v) for i, (y, v) in enumerate(series) if i % 5 == 0 or i == len(series) - 1
    ]
    marker, when = None, ""
    on_first_january = day == "01-01"
    title = (
        gettext("Population of %(area)s, 1 January each year")
        if on_first_january
        else gettext("Population of %(area)s, 31 December each year")
    ) % {"area": area.name}
    position = _date_position(area.population_date, day) if area.population_date else None
    last_year = series[-1][0] if series else None
    in_series = any(area.population_date == f"{y}-{day}" for y, _v in series)
    if len(series) >= 2 and area.population is not None and position is not None and not in_series:
        when = formats.date_format(date.fromisoformat(area.population_date), "j F Y")
        marker = charts.Marker(
            position,
            area.population,
            f"{when}: {number(area.population, language, 0)}",
        )
        title = (
            gettext(
                "Population of %(area)s on 1 January each year %(first)s–%(last)s, and on %(date)s"
            )
            if on_first_january
            else gettext(
                "Population of %(area)s on 31 December each year %(first)s–%(last)s, and on "
                "%(date)s"
            )
        ) % {"area": area.name, "first": series[0][0], "last": last_year, "date": when}
        series_rows.append((when, area.population))
    bands = sorted(m.age_bands, key=lambda k: int(k.split("_")[0]))
    age_rows = [(k.replace("_plus", "+").replace("_", "–"), m.age_bands[k]) for k in bands]
    population_description = (
        gettext(
            "The line joins the figures for the same day of each year. The open circle is a "
            "figure for another date, drawn apart from the line."
        )
        if marker
        else ""
    )
    age_title = gettext("People per age band in %(area)s, %(year)s") % {
        "area": area.name,
        "year": m.age_bands_year,
    }
    age_caption = ""
    if age_rows:
        age_caption = gettext("People per five-year age band, %(year)s. %(credit)s.") % {
            "year": m.age_bands_year,
            "credit": _credit(m.age_bands_source),
        }
        if m.age_year and m.age_year != m.age_bands_year:
            age_caption += " " + gettext(
                "The shares aged 65 or older and 0–19 among the facts are from %(year)s "
                "(%(credit)s), a newer table without five-year bands."
            ) % {"year": m.age_year, "credit": _credit(m.age_source)}
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
        "age_caption": age_caption,
        **_population_texts(area, m, when if marker else ""),
    }


def kolada_indicators(area: Area) -> list[dict[str, Any]]:
    """The area's key figures imported from Kolada (``manage.py import_kolada``), each with
    its newest year and value, the years it covers and a small trend chart; empty until
    the import has run."""
    from django.utils import formats
    from django.utils.translation import gettext

    from platsa.core.render import charts
    from platsa.places.kolada import DEFAULT_KPIS
    from platsa.places.models import AreaIndicator

    titles = {k.id: k.title for k in DEFAULT_KPIS}
    series: dict[str, list[tuple[int, float]]] = {}
    for kpi, year, value in (
        AreaIndicator.objects.filter(area=area, gender=AreaIndicator.Gender.TOTAL)
        .exclude(value=None)
        .order_by("kpi", "year")
        .values_list("kpi", "year", "value")
    ):
        if value is not None:
            series.setdefault(kpi, []).append((year, value))
    rows = []
    for kpi, points in series.items():
        title = titles.get(kpi, kpi)
        year, value = points[-1]
        rows.append(
            {
                "kpi": kpi,
                "title": title,
                "year": year,
                "value": formats.number_format(value, decimal_pos=1 if value % 1 else 0),
                "first_year": points[0][0],
                "chart": charts.sparkline(
                    points,
                    title=gettext("%(title)s, %(first)s–%(last)s")
                    % {"title": title, "first": points[0][0], "last": year},
                ),
            }
        )
    return rows
