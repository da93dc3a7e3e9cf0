"""Frozen versions of a round's results: made when a round is closed, published or run
again on purpose, and what its pages show from then on.

A round that is closed or published shows its newest frozen version everywhere (the public
page, the organisers' page, the board report), so adding a local action, a catalogue release
or a new engine never changes what a board was shown. An open, unpublished round shows live
figures. Older versions are kept and can be opened by number. Moderation stays live: a
frozen quote of a comment that has since been hidden is left out.
"""

from __future__ import annotations

import dataclasses
import hashlib

from django.db import IntegrityError, transaction
from django.db.models import Count, Max

from platsa.assessments.analysis import (
    Analysis,
    analyse,
    approved_comments,
    country_of,
    round_groups,
    round_results,
)
from platsa.assessments.models import (
    Comment,
    FrozenRecommendation,
    Response,
    ResultSnapshot,
    Round,
)
from platsa.catalogue.selectors import catalogue_version, shared_catalogue, shared_catalogue_digest
from platsa.core.analysis import frozen
from platsa.core.analysis.keywords import quote
from platsa.core.analysis.recommend import Reason, RecommendationSet
from platsa.core.analysis.representativeness import Representativeness, WeightedResults
from platsa.core.schema.catalogue import FundingSource
from platsa.processes.models import ProcessEvent
from platsa.processes.services import audit_record, signed_in


def freeze_key(round_: Round) -> str:
    """What a version is computed from: the answers (count, newest edit), the groups and the
    approved comments the engine may quote. Equal keys, equal results."""
    agg = Response.objects.filter(round=round_).aggregate(n=Count("id"), t=Max("updated_at"))
    comments = Comment.objects.filter(round=round_, status=Comment.Status.APPROVED).aggregate(
        n=Count("id"), t=Max("id")
    )
    groups = "|".join(f"{g.key}:{g.label_sv}:{g.label_en}:{g.side}" for g in round_.groups.all())
    text = f"{agg['n']}|{agg['t']}|{comments['n']}|{comments['t']}|{groups}"
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()


def latest_snapshot(round_: Round) -> ResultSnapshot | None:
    return round_.snapshots.order_by("-version").first()


def shows_frozen(round_: Round) -> bool:
    """Closed or published rounds show a frozen version; open unpublished ones live figures."""
    return round_.status == Round.Status.CLOSED or round_.results_public


def _funding(analysis: Analysis) -> dict[str, tuple[FundingSource, ...]]:
    fw = analysis.framework
    catalogue = shared_catalogue(fw.id, fw.version)
    country = country_of(analysis)
    return {
        rec.action.id: tuple(catalogue.funding_for(rec.action, country))
        for rec in analysis.recommendations.recommendations
    }


@transaction.atomic
def results_freeze(
    round_: Round,
    *,
    reason: str,
    actor: object = None,
    if_changed: bool = False,
    if_unchanged_keep: bool = False,
) -> ResultSnapshot:
    """Freeze the round's results and recommendations as a new version.

    With ``if_changed``, the newest version is kept when it was made from the same answers
    (closing a round published a minute ago makes no second, identical version). With
    ``if_unchanged_keep`` (a re-run on purpose), it is kept only when the answers, the
    catalogue and the engine are all the same as then (a double click makes one version)."""
    key = freeze_key(round_)
    latest = latest_snapshot(round_)
    if if_changed and latest is not None and latest.data_key == key:
        return latest
    if (
        if_unchanged_keep
        and latest is not None
        and latest.data_key == key
        and latest.catalogue_version == _catalogue_version(round_)
        and latest.engine_version == frozen.ENGINE_VERSION
    ):
        return latest
    analysis = analyse(round_)
    recs = analysis.recommendations
    previous_results = None
    if analysis.previous is not None:
        previous_results = frozen.dump_results(round_results(analysis.previous))
    version = (latest.version if latest else 0) + 1
    snapshot = ResultSnapshot.objects.create(
        round=round_,
        version=version,
        reason=reason,
        created_by=signed_in(actor),
        data_key=key,
        respondents=analysis.results.respondents,
        framework_version=analysis.framework.version,
        catalogue_version=_catalogue_version(round_),
        engine_version=frozen.ENGINE_VERSION,
        results=frozen.dump_results(analysis.results),
        recommendation_set=frozen.set_data(recs),
        context=frozen.dump_context(analysis.context),
        previous_round=analysis.previous,
        previous_results=previous_results,
        changes=frozen.dump_changes(analysis.changes),
        group_labels={g.key: {"sv": g.label_sv, "en": g.label_en} for g in round_.groups.all()},
        representation=None
        if analysis.representation is None
        else frozen.dump(Representativeness, analysis.representation),
        weighted=None
        if analysis.weighted is None
        else frozen.dump(WeightedResults, analysis.weighted),
    )
    FrozenRecommendation.objects.bulk_create(
        [
            FrozenRecommendation(snapshot=snapshot, **dataclasses.asdict(row))
            for row in frozen.recommendation_rows(recs, _funding(analysis))
        ]
    )
    audit_record(
        round_.process,
        ProcessEvent.Action.FROZEN,
        actor=actor,
        after=version,
        details={"reason": reason, "engine": frozen.ENGINE_VERSION},
    )
    return snapshot


def _catalogue_version(round_: Round) -> str:
    return f"{shared_catalogue_digest()}:{catalogue_version(round_.place)}"[:64]


def _rows(snapshot: ResultSnapshot) -> list[frozen.RecommendationRow]:
    fields = [f.name for f in dataclasses.fields(frozen.RecommendationRow)]
    return [
        frozen.RecommendationRow(**row)
        for row in snapshot.recommendations.order_by("rank").values(*fields)
    ]


def _without_hidden_quotes(recs: RecommendationSet, round_: Round) -> RecommendationSet:
    """Leave out quoted comments that are no longer approved (moderation after freezing)."""
    quotes = {
        quote(c.text)
        for c in approved_comments(round_)  # the same bounded list the engine was given
    }

    def keep(reason: Reason) -> bool:
        return reason.kind != "comment_match" or reason.values.get("quote") in quotes

    changed = []
    for rec in recs.recommendations:
        kept = tuple(r for r in rec.reasons if keep(r))
        changed.append(
            rec if len(kept) == len(rec.reasons) else dataclasses.replace(rec, reasons=kept)
        )
    return dataclasses.replace(recs, recommendations=tuple(changed))


def frozen_analysis(snapshot: ResultSnapshot) -> Analysis:
    """A stored version as the analysis its pages are drawn from."""
    round_ = snapshot.round
    rows = _rows(snapshot)
    recs = frozen.recommendation_set(snapshot.recommendation_set, rows)
    previous_results = (
        frozen.load_results(snapshot.previous_results)
        if snapshot.previous_results is not None
        else None
    )
    funding = {row.action_id: row.funding for row in rows}
    return Analysis(
        round=round_,
        framework=round_.framework,
        results=frozen.load_results(snapshot.results),
        recommendations=_without_hidden_quotes(recs, round_),
        context=frozen.load_context(snapshot.context),  # type: ignore[arg-type]
        previous=snapshot.previous_round,
        changes=frozen.load_changes(snapshot.changes),
        snapshot=snapshot,
        previous_results=previous_results,
        funding={k: tuple(frozen.load(FundingSource, f) for f in v) for k, v in funding.items()},
        group_labels=snapshot.group_labels,
        representation=None
        if snapshot.representation is None
        else frozen.load(Representativeness, snapshot.representation),
        weighted=None
        if snapshot.weighted is None
        else frozen.load(WeightedResults, snapshot.weighted),
    )


def _first_version(round_: Round) -> ResultSnapshot:
    """The first frozen version of a round closed or published before versions existed,
    made the first time it is shown; two requests at once make it once."""
    try:
        with transaction.atomic():
            return results_freeze(round_, reason=ResultSnapshot.Reason.FIRST_SHOWN)
    except IntegrityError:  # another request made version 1 in the meantime
        found = latest_snapshot(round_)
        if found is None:
            raise
        return found


def displayed_analysis(round_: Round, version: int | None = None) -> Analysis:
    """The analysis a page of ``round_`` shows: version ``version`` when asked for (a
    missing one is LookupError), else the newest frozen version of a closed or published
    round, else live figures."""
    if version is not None:
        snapshot = round_.snapshots.filter(version=version).first()
        if snapshot is None:
            raise LookupError(version)
        return frozen_analysis(snapshot)
    if not shows_frozen(round_):
        return analyse(round_)
    return frozen_analysis(latest_snapshot(round_) or _first_version(round_))


__all__ = [
    "displayed_analysis",
    "freeze_key",
    "frozen_analysis",
    "latest_snapshot",
    "results_freeze",
    "round_groups",
    "shows_frozen",
]
