"""Reads for results pages: a round's answers as the core's ResponseSet, and the computed
results, recommendations and change since the previous round, cached until answers change.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max

from platsa.assessments.models import Comment, Response, ResultSnapshot, Round
from platsa.catalogue.selectors import catalogue_for_place, catalogue_version
from platsa.core.analysis.context import PlaceContext
from platsa.core.analysis.keywords import MAX_COMMENTS_PER_THEME
from platsa.core.analysis.recommend import RecommendationSet, recommend
from platsa.core.analysis.representativeness import (
    Representativeness,
    WeightedResults,
    age_structure,
    post_stratified,
    representativeness,
)
from platsa.core.analysis.scoring import Results, ThemeChange, compare, score
from platsa.core.io.encoding import decode_matrix
from platsa.core.schema.catalogue import FundingSource
from platsa.core.schema.dataset import CommentEntry, GroupInfo, ResponseSet
from platsa.core.schema.frameworks import Framework, Side
from platsa.places.facts import place_context

CACHE_SECONDS = 24 * 3600


def round_groups(round_: Round) -> list[tuple[int, GroupInfo]]:
    return [
        (g.pk, GroupInfo(key=g.key, label=g.label_sv, side=Side(g.side)))
        for g in round_.groups.all()
    ]


def response_set(round_: Round) -> ResponseSet:
    """All of a round's answers in one query, decoded with NumPy."""
    groups = round_groups(round_)
    group_pos = {pk: i for i, (pk, _) in enumerate(groups)}
    rows = Response.objects.filter(round=round_).values_list(
        "group_id", "answers", "priorities", "age_band"
    )
    return decode_responses(round_.framework, list(rows), [g for _, g in groups], group_pos)


def decode_responses(
    fw: Framework,
    rows: list[tuple[Any, str, str, str]],
    groups: list[GroupInfo],
    group_pos: dict[Any, int],
) -> ResponseSet:
    """Stored answers ``(group, answers, priorities, age_band)`` as the core's response set;
    ``group_pos`` maps each row's first value to its index in ``groups`` (a round's group
    ids, or the rounds of a mapping, each place one "group")."""
    values, dont_know = decode_matrix([r[1] for r in rows], len(fw.questions), fw.scale.min)
    theme_pos = {t: i for i, t in enumerate(fw.theme_ids)}
    band_pos = {a.id: i for i, a in enumerate(fw.age_bands)}
    priorities = np.zeros((len(rows), len(fw.themes)), dtype=bool)
    for i, r in enumerate(rows):
        if r[2]:
            for theme in r[2].split(","):
                if theme in theme_pos:
                    priorities[i, theme_pos[theme]] = True
    return ResponseSet(
        framework=fw,
        values=values,
        dont_know=dont_know,
        group=np.array([group_pos.get(r[0], -1) for r in rows], dtype=np.int64),
        groups=groups,
        priorities=priorities,
        age_band=np.array([band_pos.get(r[3], -1) for r in rows], dtype=np.int64),
    )


@dataclass
class Analysis:
    """What a results page, the board report and the workbook are drawn from: computed now,
    or read from a frozen version (``snapshot`` set, see ``platsa.assessments.snapshots``),
    which also brings the previous round's results, the funding and the group labels as
    they were when it was frozen."""

    round: Round
    framework: Framework
    results: Results
    recommendations: RecommendationSet
    context: PlaceContext
    previous: Round | None
    changes: tuple[ThemeChange, ...]
    snapshot: ResultSnapshot | None = None
    previous_results: Results | None = None
    funding: dict[str, tuple[FundingSource, ...]] | None = None
    group_labels: dict[str, dict[str, str]] | None = None
    # Who answered against the municipality's real age structure, and the scores weighted
    # to it (None without age bands or population figures).
    representation: Representativeness | None = None
    weighted: WeightedResults | None = None


def country_of(analysis: Analysis) -> str | None:
    """The place's country code: the engine's context, else the municipality's."""
    country = getattr(analysis.context, "country", None)
    if country is not None:
        return str(getattr(country, "value", country))
    municipality = analysis.round.place.municipality
    return municipality.country if municipality is not None else None


def _data_key(round_: Round) -> str:
    """What a round's results are computed from: its answers (count and newest edit), its
    groups, and its other changes (``changed_at``: deletions, admin edits)."""
    agg = Response.objects.filter(round=round_).aggregate(n=Count("id"), t=Max("updated_at"))
    groups = "|".join(f"{g.key}:{g.label_sv}:{g.side}" for g in round_.groups.all())
    return _digest(f"{round_.pk}|{agg['n']}|{agg['t']}|{groups}|{round_.changed_at}")


def _digest(text: str) -> str:
    """A short, cache-safe key part (no spaces or colons from timestamps)."""
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:20]


def round_results(
    round_: Round,
    data_key: str | None = None,
    answers: Callable[[], ResponseSet] | None = None,
) -> Results:
    """The round's results, cached until its answers change. ``answers`` reads them when
    the cache has none (``analyse`` passes one reader to both the results and the age
    comparison, so a cold page reads the answers once)."""
    key = f"platsa:results:{data_key or _data_key(round_)}"
    results = cache.get(key)
    if results is None:
        results = score((answers or (lambda: response_set(round_)))())
        cache.set(key, results, CACHE_SECONDS)
    return results


def approved_comments(round_: Round) -> list[CommentEntry]:
    """The comments the engine may quote: only those approved for publication, because a
    quote appears wherever the list does, public pages included. Bounded as the engine reads
    them (oldest first)."""
    rows = (
        Comment.objects.filter(round=round_, status=Comment.Status.APPROVED)
        .order_by("created_at", "id")
        .values_list("theme_id", "kind", "text")[
            : MAX_COMMENTS_PER_THEME * len(round_.framework.themes)
        ]
    )
    return [CommentEntry(i, theme, kind, text) for i, (theme, kind, text) in enumerate(rows)]


def previous_round(round_: Round) -> Round | None:
    """The latest earlier round of the same place and framework that has answers, and of
    the same kind: a survey's with a survey's, a workshop room's with a room's (a meeting's
    16 people against 300 respondents would show changes that are not there)."""
    return (
        Round.objects.filter(
            process__place_id=round_.place_id,
            framework_id=round_.framework_id,
            process__created_at__lt=round_.created_at,
            from_workshop=round_.from_workshop,
        )
        .select_related("process")
        .annotate(n=Count("responses"))
        .filter(n__gt=0)
        .order_by("-process__created_at")
        .first()
    )


def round_representation(
    round_: Round,
    data_key: str | None = None,
    answers: Callable[[], ResponseSet] | None = None,
) -> tuple[Representativeness | None, WeightedResults | None]:
    """The round's respondents by age band against the municipality's population, and the
    theme scores weighted to it, cached as the results are. Weighted cells under the public
    group size are left out for everyone (raw and weighted means side by side would give
    away a small band's mean)."""
    fw = round_.framework
    area = round_.place.municipality
    if not fw.age_bands or area is None or not area.age_bands:
        return None, None
    key = f"platsa:representation:{data_key or _data_key(round_)}:{area.age_bands_year}"
    found = cache.get(key)
    if found is None:
        structure = age_structure(fw, area.age_bands)
        if not structure.shares:
            found = (None, None)
        else:
            rs = (answers or (lambda: response_set(round_)))()
            found = (
                representativeness(rs, structure.shares),
                post_stratified(rs, structure.shares, min_band=settings.PLATSA_PUBLIC_MIN_GROUP),
            )
        cache.set(key, found, CACHE_SECONDS)
    return found  # type: ignore[no-any-return]


def analyse(round_: Round) -> Analysis:
    """Results, recommendations and change since the previous round, for one round."""
    place = round_.place
    fw = round_.framework
    context = place_context(place)
    data_key = _data_key(round_)
    answers = functools.cache(lambda: response_set(round_))  # read once, if at all
    results = round_results(round_, data_key, answers)
    recs_key = "platsa:recs:" + _digest(
        f"{data_key}|{catalogue_version(place)}|{place.kind}|{place.population_estimate}|"
        f"{place.has_industry_employer}|{place.changed_at}|{fw.version}"
    )
    recs = cache.get(recs_key)
    if recs is None:
        recs = recommend(
            results, catalogue_for_place(place, fw), context, comments=approved_comments(round_)
        )
        cache.set(recs_key, recs, CACHE_SECONDS)
    previous = previous_round(round_)
    changes: tuple[ThemeChange, ...] = ()
    if previous is not None:
        changes = compare(round_results(previous), results)
    representation, weighted = round_representation(round_, data_key, answers)
    return Analysis(
        round_,
        fw,
        results,
        recs,
        context,
        previous,
        changes,
        representation=representation,
        weighted=weighted,
    )
