"""What the public may read of open innovation, and the idea lists: one set of rules for
the web pages, the report and the open-data API.

Public: a process of kind ``innovation`` past its first phase (while it is being prepared
only the organising place's members see it). Of its ideas and comments, those shown: not
held for review, not hidden, not merged into another. Sort and filter fields are
allow-listed here; a list costs a constant number of queries whatever its length (counts
are columns of the idea, themes are prefetched in one query).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from platsa.innovation.models import (
    Challenge,
    Comment,
    Idea,
    Stop,
    Theme,
    Visibility,
)
from platsa.processes.models import Process

KIND = "innovation"
PER_PAGE = 20
PER_PAGE_MAX = 100

# Sort names (as they appear in addresses and the API) -> the ordering they stand for.
SORTS: dict[str, tuple[str, ...]] = {
    "new": ("-created_at", "-id"),
    "old": ("created_at", "id"),
    "support": ("-support_count", "-created_at", "-id"),
    "comments": ("-comment_count", "-created_at", "-id"),
    "likes": ("-like_count", "-created_at", "-id"),
}
DEFAULT_SORT = "new"
LIST_FIELDS = (
    "id",
    "process_id",
    "title",
    "status",
    "support_count",
    "like_count",
    "comment_count",
    "pledge_count",
    "pledged_money",
    "goal_amount",
    "goal_currency",
    "challenge_id",
    "stop_id",
    "created_at",
    "author__display_name",
)


def public_processes() -> QuerySet[Process]:
    """Open-innovation processes anyone may read."""
    return Process.objects.filter(kind=KIND).exclude(phase="preparing")


def public_process(place_slug: str, process_slug: str) -> Process | None:
    return (
        public_processes()
        .select_related("place__municipality", "innovation")
        .filter(place__slug=place_slug, slug=process_slug)
        .first()
    )


def shown_ideas(process: Process | int) -> QuerySet[Idea]:
    return Idea.objects.filter(
        process=process, visibility=Visibility.SHOWN, merged_into__isnull=True
    )


def shown_comments() -> QuerySet[Comment]:
    return Comment.objects.filter(visibility=Visibility.SHOWN)


@dataclass(frozen=True)
class IdeaFilters:
    """A list's filters and order, read from a query string and checked against the
    process's own themes, challenges and stops (anything else is ignored, never passed to
    the database as a field name)."""

    sort: str = DEFAULT_SORT
    theme: int | None = None
    challenge: int | None = None
    stop: int | None = None
    status: str | None = None
    query: str = ""
    errors: tuple[str, ...] = field(default=())

    def as_params(self) -> dict[str, str]:
        params: dict[str, str] = {}
        if self.sort != DEFAULT_SORT:
            params["sort"] = self.sort
        for name in ("theme", "challenge", "stop", "status"):
            value = getattr(self, name)
            if value not in (None, ""):
                params[name] = str(value)
        if self.query:
            params["q"] = self.query
        return params

    def cache_part(self) -> str:
        return "&".join(f"{k}={v}" for k, v in sorted(self.as_params().items()))


def _int(value: object) -> int | None:
    text = str(value or "").strip()
    # isdigit() alone takes "²" and other digits int() refuses.
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None


def read_filters(params: Mapping[str, Any], process: Process) -> IdeaFilters:
    """Filters from ``params`` (a GET query or API arguments); unknown values dropped."""
    sort = str(params.get("sort") or DEFAULT_SORT)
    sort = sort if sort in SORTS else DEFAULT_SORT
    theme = _int(params.get("theme"))
    challenge = _int(params.get("challenge"))
    stop = _int(params.get("stop"))
    ids = _process_ids(process.pk)
    status = str(params.get("status") or "") or None
    return IdeaFilters(
        sort=sort,
        theme=theme if theme in ids["themes"] else None,
        challenge=challenge if challenge in ids["challenges"] else None,
        stop=stop if stop in ids["stops"] else None,
        status=status if status in Idea.Status.values else None,
        query=" ".join(str(params.get("q") or "").split())[:100],
    )


def _process_ids(process_id: int) -> dict[str, set[int]]:
    return {
        "themes": set(Theme.objects.filter(process_id=process_id).values_list("pk", flat=True)),
        "challenges": set(
            Challenge.objects.filter(process_id=process_id).values_list("pk", flat=True)
        ),
        "stops": set(Stop.objects.filter(process_id=process_id).values_list("pk", flat=True)),
    }


def idea_list(process: Process | int, filters: IdeaFilters) -> QuerySet[Idea]:
    """The shown ideas of ``process`` filtered and ordered, with what a list shows."""
    rows = shown_ideas(process)
    if filters.theme is not None:
        tied = Idea.themes.through.objects.filter(idea_id=OuterRef("pk"), theme_id=filters.theme)
        rows = rows.filter(Exists(tied))
    if filters.challenge is not None:
        rows = rows.filter(challenge_id=filters.challenge)
    if filters.stop is not None:
        rows = rows.filter(stop_id=filters.stop)
    if filters.status is not None:
        rows = rows.filter(status=filters.status)
    if filters.query:
        rows = rows.filter(title__icontains=filters.query)
    return (
        rows.select_related("author")
        .only(*LIST_FIELDS)
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.only("id", "name")))
        .order_by(*SORTS[filters.sort])
    )


def idea_page(
    process: Process | int, filters: IdeaFilters, number: str | None, per_page: int = PER_PAGE
) -> Page[Idea]:
    paginator = Paginator(idea_list(process, filters), min(max(per_page, 1), PER_PAGE_MAX))
    return paginator.get_page(number)


# One statement, written out: building the ORM's query with its joins cost more than running
# it, on every cached read. The newest change of the process's ideas and of its feed's
# posts are one step down their (process, -changed_at) indexes.
_STAMPS = """
SELECT pr.id, pr.changed_at, i.ideas_changed_at, i.feed_changed_at,
  (SELECT d.changed_at FROM innovation_idea d WHERE d.process_id = pr.id
   ORDER BY d.changed_at DESC LIMIT 1),
  (SELECT f.changed_at FROM innovation_feedpost f WHERE f.process_id = pr.id
   ORDER BY f.changed_at DESC LIMIT 1)
FROM innovation_innovation i JOIN processes_process pr ON pr.id = i.process_id
  JOIN places_place p ON p.id = pr.place_id
WHERE pr.kind = %s AND p.slug = %s AND pr.slug = %s AND pr.phase <> 'preparing'
"""
_IDEA_STAMPS = """
SELECT d.changed_at, pr.changed_at
FROM innovation_idea d JOIN processes_process pr ON pr.id = d.process_id
  JOIN places_place p ON p.id = pr.place_id
WHERE d.id = %s AND pr.slug = %s AND p.slug = %s AND d.visibility = 'shown'
  AND d.merged_into_id IS NULL AND pr.phase <> 'preparing'
"""


@dataclass(frozen=True)
class Stamps:
    """What a public page of a process is keyed on."""

    process_id: int
    lists: str  # the process, its own settings, and the newest change of any idea
    feed: str  # the process and the newest post or reaction in its feed


def stamps(place_slug: str, process_slug: str) -> Stamps | None:
    """The stamps of a public process, in one query; None if there is none."""
    with connection.cursor() as cursor:
        cursor.execute(_STAMPS, [KIND, place_slug, process_slug])
        row = cursor.fetchone()
    if row is None:
        return None
    process_id, changed, ideas, feed, newest_idea, newest_post = (str(v) for v in row)
    return Stamps(
        int(process_id), f"{changed}|{ideas}|{newest_idea}", f"{changed}|{feed}|{newest_post}"
    )


def idea_stamps(place_slug: str, process_slug: str, idea_id: int) -> str | None:
    """The stamp of a shown idea of a public process (its own and its process's)."""
    with connection.cursor() as cursor:
        cursor.execute(_IDEA_STAMPS, [idea_id, process_slug, place_slug])
        row = cursor.fetchone()
    return None if row is None else f"{row[0]}|{row[1]}"


def participant_data(user: Any) -> dict[str, Any]:
    """What a person wrote and did in open-innovation processes, for their data export."""
    from platsa.innovation.models import FeedPost, Like, Pledge, Profile, Report, Support

    def where(process: Process) -> str:
        return f"{process.place.name}: {process.title}"

    return {
        "ideas": [
            {
                "process": where(i.process),
                "title": i.title,
                "text": i.body,
                "status": i.status,
                "visibility": i.visibility,
                "hidden_reason": i.hidden_reason,
                "created": i.created_at.isoformat(),
            }
            for i in Idea.objects.filter(author=user).select_related("process__place")
        ],
        "comments": [
            {
                "idea": c.idea.title if c.idea else None,
                "text": c.body,
                "created": c.created_at.isoformat(),
            }
            for c in Comment.objects.filter(author=user).select_related("idea")
        ],
        "supports": [
            {"idea": s.idea.title, "since": s.created_at.isoformat()}
            for s in Support.objects.filter(user=user).select_related("idea")
        ],
        "likes": Like.objects.filter(user=user).count(),
        "pledges": [
            {
                "idea": p.idea.title,
                "kind": p.kind,
                "amount": p.amount,
                "hours": p.hours,
                "description": p.description,
                "created": p.created_at.isoformat(),
            }
            for p in Pledge.objects.filter(user=user).select_related("idea")
        ],
        "reports": [
            {"reason": r.reason, "created": r.created_at.isoformat()}
            for r in Report.objects.filter(reporter=user)
        ],
        "about_you": [
            {"group": p.group, "age_band": p.age_band, "country": p.country}
            for p in Profile.objects.filter(user=user)
        ],
        "feed_posts": [
            {"text": p.body, "created": p.created_at.isoformat()}
            for p in FeedPost.objects.filter(author=user)
        ],
    }
