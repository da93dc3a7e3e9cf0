"""A first draft of the plan's SWOT from what is known, for the organisers to edit: the
assessment's strongest and weakest themes (the newest frozen round of the plan's place),
the open-data facts of its municipality (population change, age structure against the
country), the ideas selected in its open-innovation processes and the most upvoted answers
of its live workshops.

Each line says where it came from, so a reader can tell a measured score from a room's
wish. Nothing is saved until the organiser saves the form.
"""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from platsa.core.render.explain import number
from platsa.places.facts import area_facts
from platsa.plans.models import Plan
from platsa.plans.selectors import theme_label, theme_points

STRONG_AT = 0.6  # share of the scale above its minimum: a theme at or above is a strength
WEAK_AT = 0.45
LINES = 4


def swot_draft(plan: Plan, *, public: bool) -> dict[str, list[str]]:
    """``public``: only published assessment figures (for an editor from outside the place)."""
    language = (get_language() or "sv")[:2]
    draft: dict[str, list[str]] = {
        "strengths": [],
        "weaknesses": [],
        "opportunities": [],
        "threats": [],
    }
    place = plan.process.place
    _themes(plan, draft, language, public)
    if place.municipality_id:
        _facts(place.municipality, draft, language)
    _ideas_and_workshops(place.pk, draft, public)
    return {k: v[: LINES * 2] for k, v in draft.items()}


def _themes(plan: Plan, draft: dict[str, list[str]], language: str, public: bool) -> None:
    points = theme_points([plan.process.place_id], public=public)
    latest = {
        theme_id: series[-1]
        for theme_id, series in points.items()
        if series and series[-1].score.score is not None
    }
    if not latest:
        return
    ordered = sorted(latest.items(), key=lambda item: -(item[1].score.score or 0))
    for theme_id, point in ordered:
        score = point.score.score or 0
        low, high = point.scale_min, point.scale_max
        share = (score - low) / (high - low) if high > low else 0
        line = _("{theme}: {score} of {max} in the assessment “{round}” ({n} answers)").format(
            theme=theme_label(theme_id),
            score=number(score, language, 1),
            max=high,
            round=point.round_title,
            n=point.score.n,
        )
        if share >= STRONG_AT and len(draft["strengths"]) < LINES:
            draft["strengths"].append(line)
        elif share < WEAK_AT and len(draft["weaknesses"]) < LINES:
            draft["weaknesses"].append(line)
    weakest = [t for t, p in reversed(ordered) if (p.score.priority_share or 0) >= 0.25][:2]
    for theme_id in weakest:
        draft["opportunities"].append(
            _("Many who answered named {theme} a priority: work there is wanted.").format(
                theme=theme_label(theme_id)
            )
        )


def _facts(area: object, draft: dict[str, list[str]], language: str) -> None:
    for fact in area_facts(area):  # type: ignore[arg-type]
        if fact.key == "population_change_pct" and isinstance(fact.value, int | float):
            text = _("The population changed by {pct} % in {period} (open data).").format(
                pct=number(fact.value, language, 1), period=fact.period
            )
            (draft["threats"] if fact.value < 0 else draft["opportunities"]).append(text)
        elif (
            fact.key == "share_65_plus_pct"
            and isinstance(fact.value, int | float)
            and fact.compare is not None
            and fact.value > fact.compare + 2
        ):
            draft["threats"].append(
                _("{pct} % are 65 or older, against {country} % in the country ({year}).").format(
                    pct=number(fact.value, language, 1),
                    country=number(fact.compare, language, 1),
                    year=fact.period,
                )
            )


def _ideas_and_workshops(place_id: int, draft: dict[str, list[str]], public: bool) -> None:
    """``public``: only ideas of processes past preparation and answers of workshops whose
    results were published (what someone outside the place may read)."""
    from django.db.models import Count

    from platsa.innovation.models import Idea
    from platsa.workshops.models import Entry

    ideas = Idea.objects.filter(
        process__place_id=place_id,
        status__in=[Idea.Status.SELECTED, Idea.Status.IN_PLAN],
        visibility="shown",
    )
    entries = Entry.objects.filter(question__workshop__process__place_id=place_id, hidden=False)
    if public:
        ideas = ideas.exclude(process__phase="preparing")
        entries = entries.filter(question__workshop__process__is_public=True)
    for idea in ideas.order_by("-support_count")[:3]:
        draft["opportunities"].append(
            _("The idea “{title}”, supported by {n} (open innovation).").format(
                title=idea.title, n=idea.support_count
            )
        )
    for entry in entries.annotate(n=Count("votes")).filter(n__gt=0).order_by("-n")[:3]:
        draft["opportunities"].append(
            _("“{text}”, +{n} in the workshop").format(text=entry.text, n=entry.n)
        )
