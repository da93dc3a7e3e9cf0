"""How often each catalogue action was adopted, and how the themes it addresses moved
afterwards in those places: observational, with n (``platsa.core.analysis.plan_followup.
adoption_stats``), for the catalogue's pages.

"Places that share data" are those with a published plan: an action of a published plan
made from the catalogue or from a recommendation counts as adopted there on the day it
entered the plan (its start, when it has one). The scores are those of the place's
published assessment rounds, past the public threshold, as its public pages show them.
Nothing personal is involved; the figures are computed once per version of the data and
kept in the cache.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.core.cache import cache
from django.db.models import Max
from django.utils import timezone

from platsa.core.analysis.plan_followup import Adoption, AdoptionStats, adoption_stats
from platsa.core.analysis.scoring import ThemeScore
from platsa.plans.models import Action, Plan
from platsa.plans.selectors import theme_points
from platsa.web.pagecache import digest


def _version() -> str:
    from platsa.processes.models import Process

    stamps = Process.objects.filter(kind__in=["plan", "assessment"], is_public=True).aggregate(
        at=Max("changed_at")
    )
    plans = Plan.objects.filter(process__is_public=True).aggregate(at=Max("changed_at"))
    return digest(stamps["at"], plans["at"])


def all_stats() -> dict[str, AdoptionStats]:
    key = "platsa:plans:adoption:" + _version()
    found = cache.get(key)
    if found is None:
        found = _compute()
        cache.set(key, found, 24 * 3600)
    return found


def _compute() -> dict[str, AdoptionStats]:
    rows = (
        Action.objects.filter(plan__process__is_public=True, plan__process__kind="plan")
        .exclude(catalogue_action_id="")
        .values_list(
            "plan__process__place_id",
            "place_id",
            "catalogue_action_id",
            "created_at",
            "starts_on",
            "themes",
        )
    )
    adoptions = []
    places: set[int] = set()
    for plan_place, village, action_id, created_at, starts_on, themes in rows:
        place_id = village or plan_place  # a village's own action is that village's
        when: date = starts_on or timezone.localdate(created_at)
        adoptions.append(Adoption(str(place_id), action_id, when, tuple(themes or ())))
        places.add(place_id)
    if not adoptions:
        return {}
    series: dict[str, dict[str, list[tuple[date, ThemeScore]]]] = defaultdict(dict)
    for place_id in places:
        for theme_id, points in theme_points([place_id], public=True).items():
            series[str(place_id)][theme_id] = [(p.on, p.score) for p in points]
    return adoption_stats(adoptions, series)


def stats_for(action_id: str) -> AdoptionStats | None:
    return all_stats().get(action_id)
