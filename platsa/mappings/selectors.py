"""Reads of a mapping: every municipality's scores from one query, kept until an answer
changes, percentile ranks among peers, and what the network shares."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
from django.core.cache import cache
from django.db.models import Count, Max

from platsa.assessments.analysis import decode_responses
from platsa.assessments.models import Response, Round
from platsa.catalogue.selectors import shared_catalogue
from platsa.core.analysis.comparison import (
    Comparison,
    SharedAction,
    compare_units,
    percentile_ranks,
    shared_actions,
)
from platsa.core.schema.dataset import GroupInfo
from platsa.mappings.services import mapping_rounds
from platsa.places.models import Area
from platsa.processes.models import Process
from platsa.web.recent import Recent

CACHE_SECONDS = 24 * 3600
PEER_SETS = ("all", "country", "county", "skr_group")


@dataclass(frozen=True)
class Unit:
    """One municipality of the mapping: its round, place and official area."""

    round: Round
    key: str  # the round's id as text: the unit's key in the comparison

    @property
    def area(self) -> Area:
        return self.round.place.municipality

    def peer_value(self, peers: str) -> str:
        area = self.area
        if peers == "country":
            return area.country
        if peers == "county":
            return str(area.parent_id or "")
        if peers == "skr_group":
            return area.skr_group_code or ""
        return "all"


# What the comparison never reads of its hundreds of rounds and areas: each round's copy of
# its framework (the first round's is read when needed) and each area's population series.
# Loading them cost half of a page's rendering for 300 municipalities.
_UNREAD = (
    "framework_snapshot",
    *(
        f"process__place__municipality__{prefix}{name}"
        for prefix in ("", "parent__")
        for name in ("population_series", "population_series_sources", "age_bands")
    ),
)


def units_of(mapping: Process) -> list[Unit]:
    rounds = mapping_rounds(mapping, defer=_UNREAD)
    return [Unit(round=r, key=str(r.pk)) for r in rounds]


def pending_invitations(units: list[Unit]) -> set[int]:
    """Ids of the places nobody has joined yet although a contact is invited (a link still
    valid): a place with members is under way whatever other invitations are open."""
    from django.utils import timezone

    from platsa.places.models import Invitation

    places = [u.round.process.place_id for u in units]
    return set(
        Invitation.objects.filter(
            place_id__in=places, accepted_at__isnull=True, expires_at__gt=timezone.now()
        )
        .exclude(place__memberships__isnull=False)
        .values_list("place_id", flat=True)
    )


def data_key(units: list[Unit]) -> str:
    """What the scores are computed from: the rounds and their answers (count, newest
    edit). A cache key part of the scores and the map."""
    ids = [u.round.pk for u in units]
    agg = Response.objects.filter(round_id__in=ids).aggregate(n=Count("id"), t=Max("updated_at"))
    text = f"{ids}|{agg['n']}|{agg['t']}"
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:20]


def comparison(
    mapping: Process, units: list[Unit] | None = None, key: str | None = None
) -> Comparison | None:
    """Every municipality's scores, one "group" each, from one query over all their
    answers (decoded with NumPy); None when the mapping has no municipality."""
    units = units if units is not None else units_of(mapping)
    if not units:
        return None
    cache_key = f"platsa:mapping:{mapping.pk}:{key or data_key(units)}"
    found = _local.get(cache_key)
    if found is None:
        found = cache.get(cache_key)
    if found is not None:
        _local.put(cache_key, found)
        return found  # type: ignore[no-any-return]
    position = {u.round.pk: i for i, u in enumerate(units)}
    rows = Response.objects.filter(round_id__in=list(position)).values_list(
        "round_id", "answers", "priorities", "age_band"
    )
    responses = decode_responses(
        units[0].round.framework,
        list(rows),
        [GroupInfo(key=u.key, label=u.area.name) for u in units],
        position,
    )
    result = compare_units(responses)
    cache.set(cache_key, result, CACHE_SECONDS)
    _local.put(cache_key, result)
    return result


# The last few comparisons: unpickling 300 municipalities' scores took 13 ms a page.
_local: Recent[Comparison] = Recent(8)


def ranks(units: list[Unit], compared: Comparison, peers: str) -> np.ndarray:
    """(units, themes) percentile ranks, each municipality among those of the mapping that
    share its county, country or SKR group (``peers``), or among all."""
    m = compared.matrix()
    out = np.full(m.shape, np.nan)
    values = np.array([u.peer_value(peers) for u in units])
    for value in set(values.tolist()):
        among = values == value
        for j in range(m.shape[1]):
            column = percentile_ranks(m[:, j], among)
            out[among, j] = column[among]
    return out


def previous_mapping(mapping: Process, units: list[Unit]) -> Process | None:
    """The coordinator's latest earlier mapping with the same questionnaire: the change
    since then is shown per municipality."""
    if not units:
        return None
    framework_id = units[0].round.framework_id
    return (
        Process.objects.filter(
            place_id=mapping.place_id,
            kind=mapping.kind,
            created_at__lt=mapping.created_at,
            children__round__framework_id=framework_id,
        )
        .order_by("-created_at")
        .first()
    )


def same_municipalities(units: list[Unit], earlier: list[Unit]) -> dict[str, str]:
    """Unit key now -> unit key in the earlier mapping, by official area."""
    by_area = {u.round.place.municipality_id: u.key for u in earlier}
    return {
        u.key: by_area[u.round.place.municipality_id]
        for u in units
        if u.round.place.municipality_id in by_area
    }


def programme_actions(
    mapping: Process, units: list[Unit], compared: Comparison, key: str
) -> tuple[SharedAction, ...]:
    """The actions on most municipalities' lists, worked out once per version of the
    scores (the engine runs once per municipality)."""
    cache_key = f"platsa:mapping-actions:{mapping.pk}:{key}"
    found = cache.get(cache_key)
    if found is None:
        fw = units[0].round.framework
        found = shared_actions(compared, shared_catalogue(fw.id, fw.version))
        cache.set(cache_key, found, CACHE_SECONDS)
    return found  # type: ignore[no-any-return]
