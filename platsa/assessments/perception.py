"""The "What the figures say beside the answers" panel of a results page and the report.

Computed each time from what the version shown holds: its frozen scores and its frozen
place context (population change, share 65+ against the country, share 0-19, remoteness),
so a frozen version keeps showing the same comparison and old snapshots need nothing new.
Kolada's figures are not part of a frozen context; for a frozen version only those fetched
before it was frozen are read (``fetched_at``), so a figure imported later never appears in
it. A figure Kolada revised after the freeze drops out of the version rather than change.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext

from platsa.assessments.analysis import Analysis
from platsa.core.analysis import disclosure
from platsa.core.analysis.perception import (
    CLEAR_DECLINE_PCT,
    FACTS,
    FAST_GROWTH_PCT,
    Figure,
    figures_from_facts,
    knows,
    kolada_figure,
    perception,
)
from platsa.core.render.perception_text import (
    describe_perception,
    method_note,
    no_findings,
    panel_note,
    panel_title,
)
from platsa.places.models import Area, AreaIndicator


def kolada_figures(area: Area | None, until: datetime | None = None) -> list[Figure]:
    """The municipality's newest stored value of each Kolada figure the links name, with its
    median and rank among the country's municipalities for that KPI and year: two queries.
    ``until``: only figures fetched by then (a frozen version's time)."""
    if area is None:
        return []
    wanted = {kpi: spec.key for spec in FACTS.values() for kpi in spec.kpis}
    stored = AreaIndicator.objects.filter(
        gender=AreaIndicator.Gender.TOTAL, kpi__in=wanted, value__isnull=False
    )
    if until is not None:
        stored = stored.filter(fetched_at__lte=until)
    own: dict[str, tuple[int, float, str]] = {}
    for kpi, year, value, source in (
        stored.filter(area=area)
        .order_by("kpi", "year")
        .values_list("kpi", "year", "value", "source")
    ):
        if value is not None:
            own[kpi] = (year, value, source)  # the newest year wins
    chosen: dict[str, str] = {}  # figure key -> the first KPI (in preference order) stored
    for spec in FACTS.values():
        first = next((k for k in spec.kpis if k in own), None)
        if first is not None:
            chosen[spec.key] = first
    if not chosen:
        return []
    pairs = Q()
    for kpi in chosen.values():
        pairs |= Q(kpi=kpi, year=own[kpi][0])
    country: dict[str, list[float]] = {kpi: [] for kpi in chosen.values()}
    for kpi, value in (
        stored.filter(pairs, area__country=area.country, area__kind=Area.Kind.MUNICIPALITY)
        .values_list("kpi", "value")
        .iterator()
    ):
        if value is not None:
            country[kpi].append(value)
    figures = []
    for key, kpi in chosen.items():
        year, value, source = own[kpi]
        figure = kolada_figure(key, value, year, country[kpi], area=area.name, source=source)
        if figure is not None:
            figures.append(figure)
    return figures


def perception_panel(
    analysis: Analysis, rules: disclosure.Disclosure, language: str
) -> dict[str, Any] | None:
    """The panel's themes, figures and disagreements for the themes the reader may see;
    None for a framework the links do not know or when no theme has a figure."""
    fw = analysis.framework
    results = analysis.results
    if not knows(fw.id):
        return None
    place = analysis.round.place
    area = place.municipality
    context = analysis.context
    figures = figures_from_facts(context.facts) if context is not None else []
    until = analysis.snapshot.created_at if analysis.snapshot is not None else None
    figures += kolada_figures(area, until)
    themes = [t for t in results.themes if rules.shows_theme(t.theme_id) and t.score is not None]
    scale = (results.scale_min, results.scale_max)
    items = perception(fw.id, themes, figures, scale)
    if not items:
        return None
    lines = describe_perception(
        items,
        {t.id: t.title.get(language) for t in fw.themes},
        {t.theme_id: t.score for t in themes},
        results.scale_max,
        language=language,
        _=gettext,
    )
    findings = [f for line in lines for f in line.findings]
    return {
        "title": panel_title(gettext),
        "themes": lines,
        "findings": findings,
        "no_findings": no_findings(gettext),
        "note": panel_note(area.name if area is not None else "", place.name, gettext),
        "method": method_note(
            scale,
            min_ratings=disclosure.MIN_RATINGS,
            decline=CLEAR_DECLINE_PCT,
            growth=FAST_GROWTH_PCT,
            language=language,
            _=gettext,
        ),
    }
