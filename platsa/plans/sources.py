"""What can become an action of a plan in one click, from the steps before it: the frozen
recommendations of the plan's places' assessment rounds, the selected ideas of their
open-innovation processes, the answers of their live workshops, and the action catalogue.

Each list works with whatever exists: a place with no workshop simply has no workshop
answers to offer. What is already an action of the plan is marked, not offered twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from platsa.plans.models import Action, Plan
from platsa.plans.selectors import plan_places

PER_LIST = 30


@dataclass
class Source:
    ref: str  # "recommendation:12", "idea:4", "workshop-entry:9", "catalogue:byanat"
    title: str
    detail: str = ""
    where: str = ""
    taken: int | None = None  # the action it already became
    extra: dict[str, Any] = field(default_factory=dict)


def _text(value: Any) -> str:
    if isinstance(value, dict):
        language = (get_language() or "sv")[:2]
        return str(value.get(language) or value.get("sv") or "")
    return str(value or "")


def sources_for(
    plan: Plan, *, query: str = "", published_only: bool = False
) -> dict[str, list[Source]]:
    """``published_only``: for an editor from outside the place, only the rounds and
    workshops whose results the place published."""
    place_ids = [p.pk for p in plan_places(plan)]
    taken = dict(
        Action.objects.filter(plan=plan).exclude(origin_ref="").values_list("origin_ref", "pk")
    )
    found = {
        "recommendations": _recommendations(place_ids, published_only),
        "ideas": _ideas(place_ids),
        "workshop": _workshop(place_ids, published_only),
        "catalogue": _catalogue(plan, query),
    }
    for items in found.values():
        for item in items:
            item.taken = taken.get(item.ref)
    return found


def _recommendations(place_ids: list[int], published_only: bool) -> list[Source]:
    from platsa.assessments.models import FrozenRecommendation, ResultSnapshot

    # Each place's newest frozen round, in its newest version: what its results page shows
    # now (an older round's recommendations were made for a place that has moved on).
    newest: dict[int, int] = {}
    snapshots = ResultSnapshot.objects.filter(round__process__place_id__in=place_ids)
    if published_only:
        snapshots = snapshots.filter(round__process__is_public=True)
    for snapshot_id, place_id in snapshots.order_by(
        "round__process__place_id", "-round__process__created_at", "-version"
    ).values_list("pk", "round__process__place_id"):
        newest.setdefault(place_id, snapshot_id)
    rows = (
        FrozenRecommendation.objects.filter(snapshot_id__in=newest.values())
        .select_related("snapshot__round__process__place")
        .order_by("-snapshot__created_at", "-in_portfolio", "rank")[: PER_LIST * 2]
    )
    out = []
    for rec in rows:
        process = rec.snapshot.round.process
        out.append(
            Source(
                ref=f"recommendation:{rec.pk}",
                title=_text(rec.action.get("title")),
                detail=_text(rec.action.get("summary")),
                where=f"{process.place.name}: {process.title}",
                extra={"portfolio": rec.in_portfolio, "rank": rec.rank},
            )
        )
    return out[:PER_LIST]


def _ideas(place_ids: list[int]) -> list[Source]:
    from platsa.innovation.models import Idea

    rows = (
        Idea.objects.filter(
            process__place_id__in=place_ids,
            process__kind="innovation",
            status__in=[Idea.Status.SELECTED, Idea.Status.IN_PLAN],
            visibility="shown",
            merged_into=None,
        )
        .select_related("process")
        .order_by("-support_count", "-created_at")[:PER_LIST]
    )
    return [
        Source(
            ref=f"idea:{idea.pk}",
            title=idea.title,
            detail=_("{n} supporters").format(n=idea.support_count),
            where=idea.process.title,
        )
        for idea in rows
    ]


def _workshop(place_ids: list[int], published_only: bool) -> list[Source]:
    from django.db.models import Count

    from platsa.workshops.models import Answer, Entry

    where: dict[str, object] = {"question__workshop__process__place_id__in": place_ids}
    if published_only:
        where["question__workshop__process__is_public"] = True
    entries = (
        Entry.objects.filter(hidden=False, **where)
        .select_related("question__workshop__process")
        .annotate(n=Count("votes"))
        .order_by("-n", "-created_at")[:PER_LIST]
    )
    out = [
        Source(
            ref=f"workshop-entry:{e.pk}",
            title=e.text,
            detail=_("+{n} in the room").format(n=e.n),
            where=f"{e.question.workshop.process.title}: {e.question.prompt}",
        )
        for e in entries
    ]
    answers = (
        Answer.objects.filter(question__kind="words", hidden=False, **where)
        .exclude(text="")
        .select_related("question__workshop__process")
        .order_by("-answered_at")[:PER_LIST]
    )
    out += [
        Source(
            ref=f"workshop-answer:{a.pk}",
            title=a.text,
            where=f"{a.question.workshop.process.title}: {a.question.prompt}",
        )
        for a in answers
    ]
    return out


def _catalogue(plan: Plan, query: str) -> list[Source]:
    from platsa.catalogue.search import catalogue_listing
    from platsa.catalogue.selectors import catalogue_for_place, frameworks
    from platsa.core.schema.frameworks import default_framework

    language = (get_language() or "sv")[:2]
    framework = default_framework(frameworks())
    catalogue = catalogue_for_place(plan.process.place, framework)
    if not query.strip():
        return []
    listing = catalogue_listing(catalogue, framework, language=language, query=query)
    return [
        Source(
            ref=f"catalogue:{a.id}",
            title=a.title.get(language),
            detail=a.summary.get(language),
        )
        for a in listing.actions[:PER_LIST]
    ]


def recommendation_reasons(rec: Any) -> list[str]:
    """A frozen recommendation's reasons as the results page words them."""
    from platsa.catalogue.selectors import frameworks
    from platsa.core.analysis.recommend import Reason
    from platsa.core.render.explain import describe_reason
    from platsa.core.schema.frameworks import default_framework

    language = (get_language() or "sv")[:2]
    round_ = rec.snapshot.round
    framework = frameworks().get(round_.framework_id) or default_framework(frameworks())
    texts = []
    for raw in rec.reasons or []:
        values = raw.get("values") or {k: v for k, v in raw.items() if k not in ("kind", "theme")}
        try:
            reason = Reason(kind=raw["kind"], theme=raw.get("theme"), values=values)
            text = describe_reason(reason, framework, language=language, _=_)
        except (KeyError, ValueError):
            continue
        if text:
            texts.append(text)
    return texts
