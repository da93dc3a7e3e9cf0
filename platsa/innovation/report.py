"""The summary report ("white paper") of an open-innovation process or journey, as PDF and
XLSX: the process and its stops, the challenges, who took part by phase, stop and country,
the ideas by theme, the pledges against the ideas' goals, and the selected ideas with the
organisers' reasons and answers. Seed 000: a white paper summed up each journey and showed
what the municipality's development unit added.

What it may show: only what the public pages show (``selectors.shown_ideas`` and
``shown_comments``: nothing held for review, hidden or merged away). Nobody is named: not
the participants, not the organisers; the report counts people and quotes idea titles, and
says so. E-mail addresses are never in it (the pledges' contact list is a separate export
for the organisers, see ``pledges_xlsx``). Every figure is a count of the database when the
report was made, and the charts draw the tables beside them; the one machine-made part, the
ideas grouped by their words (``machine_themes``), is labelled as such where it stands.

Counts are made by the database (aggregates and a union for distinct people), never by
loading the rows: a journey has 100,000 supports and a million likes. The PDF is made by the
background worker (``platsa.innovation.tasks``), once per version of the data and language
(``data_key``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, Max, Q, QuerySet, Sum
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from platsa.core.io.tabular import Sheet, write_csv, write_xlsx
from platsa.core.render.count_bars import count_bars
from platsa.innovation.models import (
    Challenge,
    Comment,
    FeedPost,
    Idea,
    Innovation,
    Like,
    Pledge,
    Stop,
    Support,
    Theme,
)
from platsa.innovation.selectors import shown_comments, shown_ideas
from platsa.processes.models import Process, ProcessEvent
from platsa.web import pagecache

KEY_PREFIX = "innovation:"
SELECTED = (Idea.Status.SELECTED, Idea.Status.IN_PLAN, Idea.Status.DONE)
TOP_PER_THEME = 3
TOP_OVERALL = 10
COUNTRY_NAMES = {
    "SE": gettext_lazy("Sweden"),
    "NO": gettext_lazy("Norway"),
    "FI": gettext_lazy("Finland"),
    "DK": gettext_lazy("Denmark"),
}
# An address a participant typed into an idea's title: the report quotes titles, never
# addresses (the public page shows what its author wrote; a printed report travels further).
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")


def _quote(text: str) -> str:
    return _EMAIL.sub(_("[e-mail address left out]"), text)


def country_name(code: str) -> str:
    return str(COUNTRY_NAMES.get(code, code))


def data_key(process: Process, language: str) -> str:
    """What the report depends on, short enough for a job's key (64 characters): the
    process's change stamps (stops, challenges, phase, settings), its ideas' (every idea,
    comment, support, like, pledge and moderation bumps it) and its feed's, the number and
    last change of the shown ideas, and the language."""
    innovation = Innovation.objects.filter(process=process).values_list(
        "ideas_changed_at", "feed_changed_at"
    )
    ideas = shown_ideas(process).aggregate(n=Count("pk"), last=Max("changed_at"))
    events = ProcessEvent.objects.filter(process=process).aggregate(n=Count("pk"), last=Max("at"))
    current = Process.objects.filter(pk=process.pk).values_list("changed_at", "title").first()
    return f"{KEY_PREFIX}{process.pk}:" + pagecache.digest(
        list(innovation),
        sorted(ideas.items()),
        sorted(events.items()),
        current,
        language,
    )


# --- what is counted ---------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """One row of a participation table: a filter for each kind of row counted (ideas,
    comments, supports, likes), all on the rows the report may count."""

    ideas: Q
    comments: Q
    supports: Q
    likes: Q


EVERYTHING = Scope(Q(), Q(), Q(), Q())


@dataclass
class Counted:
    label: str
    ideas: int = 0
    comments: int = 0
    supports: int = 0
    likes: int = 0
    people: int = 0
    detail: str = ""  # the dates of a phase, the municipality of a stop


class Rows:
    """The rows of one process the report counts: shown ideas, shown comments on them and on
    the feed, and the supports and likes of those ideas (and the feed's likes)."""

    def __init__(self, process: Process) -> None:
        self.process = process
        self.ideas: QuerySet[Idea] = shown_ideas(process).order_by()
        shown_ids = self.ideas.values("pk")
        self.comments: QuerySet[Comment] = (
            shown_comments().filter(Q(idea__in=shown_ids) | Q(post__process=process)).order_by()
        )
        self.supports: QuerySet[Support] = Support.objects.filter(idea__in=shown_ids).order_by()
        self.likes: QuerySet[Like] = Like.objects.filter(
            Q(idea__in=shown_ids) | Q(post__process=process)
        ).order_by()
        self.pledges: QuerySet[Pledge] = Pledge.objects.filter(idea__in=shown_ids)

    def count(self, items: list[tuple[str, Scope, str]]) -> list[Counted]:
        """For each (label, scope, detail): the four counts, each kind's in one query for
        all the rows (one pass over a million likes, not one per row), and the distinct
        people who posted, commented or supported (accounts: a deleted account's ideas
        stay, but are nobody's), one union per row."""
        ideas = _counts(self.ideas, [scope.ideas for _l, scope, _d in items])
        comments = _counts(self.comments, [scope.comments for _l, scope, _d in items])
        supports = _counts(self.supports, [scope.supports for _l, scope, _d in items])
        likes = _counts(self.likes, [scope.likes for _l, scope, _d in items])
        return [
            Counted(
                label=label,
                ideas=ideas[n],
                comments=comments[n],
                supports=supports[n],
                likes=likes[n],
                people=self.people(scope),
                detail=detail,
            )
            for n, (label, scope, detail) in enumerate(items)
        ]

    def people(self, scope: Scope) -> int:
        return (
            self.ideas.filter(scope.ideas, author__isnull=False)
            .values_list("author_id", flat=True)
            .union(
                self.comments.filter(scope.comments, author__isnull=False).values_list(
                    "author_id", flat=True
                ),
                self.supports.filter(scope.supports).values_list("user_id", flat=True),
            )
            .count()
        )


def _counts(rows: QuerySet[Any], filters: list[Q]) -> list[int]:
    """How many of ``rows`` each filter keeps, in one query."""
    if not filters:
        return []
    found = rows.aggregate(**{f"n{i}": Count("pk", filter=q) for i, q in enumerate(filters)})
    return [found[f"n{i}"] or 0 for i in range(len(filters))]


# --- phases ------------------------------------------------------------------------------


@dataclass
class Period:
    phase: str
    start: datetime | None  # None: from the beginning (rows older than the first event)
    end: datetime | None  # None: until now


def periods(process: Process) -> list[Period]:
    """The process's time cut into phases by its audit log: its creation (in the kind's
    first phase) and every phase change. A phase stepped back into appears again."""
    events = list(
        ProcessEvent.objects.filter(
            process=process, action__in=[ProcessEvent.Action.CREATED, ProcessEvent.Action.PHASE]
        )
        .order_by("at", "id")
        .values_list("action", "before", "after", "at")
    )
    found: list[Period] = []
    if not events or events[0][0] != ProcessEvent.Action.CREATED:
        first = events[0][1] if events else process.phase  # the phase before the first change
        found.append(Period(first or process.phase, None, None))
    for _action, _before, after, at in events:
        if found and found[-1].phase == after:
            continue
        if found:
            found[-1].end = at
        found.append(Period(after, at, None))
    found[0].start = None
    return found


def _in_periods(spans: list[Period], field_name: str = "created_at") -> Q:
    """The rows made during one of ``spans`` (at least one)."""
    q: Q | None = None
    for span in spans:
        part = Q(**{f"{field_name}__isnull": False})
        if span.start is not None:
            part &= Q(**{f"{field_name}__gte": span.start})
        if span.end is not None:
            part &= Q(**{f"{field_name}__lt": span.end})
        q = part if q is None else q | part
    assert q is not None
    return q


def _span_text(spans: list[Period], process: Process) -> str:
    def day(moment: datetime | None, fallback: datetime) -> str:
        return date_format(timezone.localdate(moment or fallback), "j M Y")

    now = timezone.now()
    return "; ".join(
        f"{day(s.start, process.created_at)}–{day(s.end, now) if s.end else _('now')}"
        for s in spans
    )


Item = tuple[str, Scope, str]  # a row of a participation table: label, scope, detail


def phase_items(process: Process) -> list[Item]:
    """Participation in each phase the process has been in, in the kind's order; a phase
    entered twice counts both periods."""
    spans = periods(process)
    spec = process.kind_spec
    items = []
    for phase in spec.phases:
        mine = [s for s in spans if s.phase == phase.id]
        if mine:
            q = _in_periods(mine)
            items.append((str(phase.label), Scope(q, q, q, q), _span_text(mine, process)))
    return items


# --- stops and countries -----------------------------------------------------------------


def _stop_scope(stop_ids: list[int] | None) -> Scope:
    """The rows tied to one of ``stop_ids`` (an idea by its stop, a comment or like by its
    idea's or feed post's stop); None: the rows tied to no stop."""
    if stop_ids is None:
        on_idea = Q(idea__isnull=False, idea__stop__isnull=True)
        on_post = Q(post__isnull=False, post__stop__isnull=True)
        return Scope(
            Q(stop__isnull=True), on_idea | on_post, Q(idea__stop__isnull=True), on_idea | on_post
        )
    on_idea = Q(idea__stop_id__in=stop_ids)
    on_post = Q(post__stop_id__in=stop_ids)
    return Scope(Q(stop_id__in=stop_ids), on_idea | on_post, on_idea, on_idea | on_post)


def not_tied() -> Item:
    return (_("Not tied to a stop"), _stop_scope(None), "")


def stop_items(stops: list[Stop]) -> list[Item]:
    """Each stop's row (the row of what is tied to no stop is :func:`not_tied`)."""
    return [(s.title, _stop_scope([s.pk]), s.municipality.name) for s in stops]


def country_items(stops: list[Stop]) -> list[Item]:
    """By the country of the stop's municipality (where the idea was tied, not where its
    author lives: nobody is asked)."""
    countries: dict[str, list[int]] = {}
    for s in stops:
        countries.setdefault(s.municipality.country, []).append(s.pk)
    return [(country_name(code), _stop_scope(ids), "") for code, ids in sorted(countries.items())]


# --- themes, pledges, selected -----------------------------------------------------------


@dataclass
class IdeaLine:
    pk: int
    title: str
    supports: int
    comments: int
    status: str


def _line(idea: Idea) -> IdeaLine:
    return IdeaLine(
        idea.pk,
        _quote(idea.title),
        idea.support_count,
        idea.comment_count,
        idea.get_status_display(),
    )


@dataclass
class ThemeRow:
    name: str
    ideas: int
    supports: int
    top: list[IdeaLine] = field(default_factory=list)


def by_theme(process: Process, rows: Rows) -> list[ThemeRow]:
    """Each theme's shown ideas and their supports, with its most supported ideas; an idea
    of several themes counts in each; ideas of none in a row of their own."""
    themes = list(
        Theme.objects.filter(process=process).annotate(
            n=Count("ideas", filter=Q(ideas__in=rows.ideas.values("pk"))),
            supported=Sum("ideas__support_count", filter=Q(ideas__in=rows.ideas.values("pk"))),
        )
    )
    out = []
    top_fields = ("pk", "title", "support_count", "comment_count", "status")
    order = ("-support_count", "created_at", "pk")
    for theme in themes:
        top = rows.ideas.filter(themes=theme).only(*top_fields).order_by(*order)[:TOP_PER_THEME]
        out.append(ThemeRow(theme.name, theme.n, theme.supported or 0, [_line(i) for i in top]))
    none = rows.ideas.filter(themes__isnull=True)
    left = none.aggregate(n=Count("pk"), s=Sum("support_count"))
    if left["n"]:
        top = none.only(*top_fields).order_by(*order)[:TOP_PER_THEME]
        out.append(ThemeRow(_("No theme"), left["n"], left["s"] or 0, [_line(i) for i in top]))
    return out


@dataclass
class PledgeKindRow:
    kind: str
    label: str
    pledges: int
    ideas: int
    money: int
    hours: int


def pledges_by_kind(rows: Rows) -> list[PledgeKindRow]:
    found: dict[str, dict[str, Any]] = {
        str(r["kind"]): dict(r)
        for r in rows.pledges.order_by()
        .values("kind")
        .annotate(
            n=Count("pk"),
            ideas=Count("idea", distinct=True),
            money=Sum("amount"),
            hours=Sum("hours"),
        )
    }
    out = []
    for kind, label in Pledge.Kind.choices:
        row = found.get(kind, {})
        out.append(
            PledgeKindRow(
                kind,
                str(label),
                row.get("n", 0),
                row.get("ideas", 0),
                row.get("money") or 0,
                row.get("hours") or 0,
            )
        )
    return out


@dataclass
class GoalRow:
    pk: int
    title: str
    goal: int | None
    currency: str
    pledged: int
    pledges: int
    share: int | None  # per cent of the goal


def money_against_goals(rows: Rows) -> list[GoalRow]:
    """Ideas that state a goal in money or were pledged money: the pledged sum against the
    goal (a recorded commitment, not a payment)."""
    ideas = (
        rows.ideas.filter(Q(goal_amount__isnull=False) | Q(pledged_money__gt=0))
        .only("pk", "title", "goal_amount", "goal_currency", "pledged_money", "pledge_count")
        .order_by("-pledged_money", "pk")
    )
    return [
        GoalRow(
            i.pk,
            _quote(i.title),
            i.goal_amount,
            i.goal_currency,
            i.pledged_money,
            i.pledge_count,
            round(100 * i.pledged_money / i.goal_amount) if i.goal_amount else None,
        )
        for i in ideas
    ]


@dataclass
class SelectedIdea:
    pk: int
    title: str
    status: str
    supports: int
    comments: int
    pledges: int
    pledged: int
    goal: int | None
    currency: str
    themes: list[str]
    challenge: str
    stop: str
    reason: str
    answer: str
    action: str  # the place's own action the idea became, if it did


def _action_title(idea: Idea) -> str:
    action = idea.local_action
    if action is None:
        return ""
    english = (translation.get_language() or "sv").startswith("en")
    return (action.title_en if english and action.title_en else action.title_sv) or ""


def selected_ideas(rows: Rows) -> list[SelectedIdea]:
    """The ideas the organisers selected (selected, in the plan, done), most supported
    first, with why and their official answer."""
    rank: dict[str, int] = {str(s): i for i, s in enumerate(SELECTED)}
    ideas = sorted(
        rows.ideas.filter(status__in=SELECTED)
        .select_related("challenge", "stop", "local_action")
        .prefetch_related("themes"),
        key=lambda i: (rank[i.status], -i.support_count, i.pk),
    )
    return [
        SelectedIdea(
            pk=i.pk,
            title=_quote(i.title),
            status=i.get_status_display(),
            supports=i.support_count,
            comments=i.comment_count,
            pledges=i.pledge_count,
            pledged=i.pledged_money,
            goal=i.goal_amount,
            currency=i.goal_currency,
            themes=[t.name for t in i.themes.all()],
            challenge=i.challenge.title if i.challenge else "",
            stop=i.stop.title if i.stop else "",
            reason=i.selection_reason,
            answer=i.official_answer,
            action=_action_title(i),
        )
        for i in ideas
    ]


def _statuses(rows: Rows) -> list[tuple[str, int]]:
    found = dict(rows.ideas.values("status").annotate(n=Count("pk")).values_list("status", "n"))
    return [(str(label), found.get(value, 0)) for value, label in Idea.Status.choices]


def _organisers_added(process: Process, stops: list[Stop], rows: Rows) -> dict[str, Any]:
    """What the organising side put in: challenges by kind of owner, updates in the live
    feed (by stop), official answers and decisions on ideas."""
    owners = dict(
        Challenge.objects.filter(process=process)
        .order_by()
        .values("owner_kind")
        .annotate(n=Count("pk"))
        .values_list("owner_kind", "n")
    )
    posts: dict[int | None, int] = dict(
        FeedPost.objects.filter(process=process)
        .order_by()
        .values("stop_id")
        .annotate(n=Count("pk"))
        .values_list("stop_id", "n")
    )
    return {
        "owners": [
            (str(label), owners[v]) for v, label in Challenge.OwnerKind.choices if v in owners
        ],
        "posts": sum(posts.values()),
        "posts_by_stop": [(s.title, posts.get(s.pk, 0)) for s in stops]
        + ([(_("Not tied to a stop"), posts[None])] if posts.get(None) else []),
        "answers": rows.ideas.exclude(official_answer="").count(),
        "decided": rows.ideas.exclude(status__in=[Idea.Status.NEW, Idea.Status.REVIEW]).count(),
    }


def _challenges(process: Process, rows: Rows) -> list[dict[str, Any]]:
    answered = dict(
        rows.ideas.filter(challenge__isnull=False)
        .values("challenge_id")
        .annotate(n=Count("pk"))
        .values_list("challenge_id", "n")
    )
    return [
        {
            "title": c.title,
            "owner": c.owner_name,
            "owner_kind": c.get_owner_kind_display(),
            "help": c.help_labels(),
            "stop": c.stop.title if c.stop else "",
            "themes": [t.name for t in c.themes.all()],
            "problem": c.problem,
            "story": c.story,
            "ideas": answered.get(c.pk, 0),
        }
        for c in Challenge.objects.filter(process=process)
        .select_related("stop")
        .prefetch_related("themes")
    ]


MACHINE_THEMES_MAX = 8


def machine_themes(rows: Rows) -> dict[str, Any]:
    """The shown ideas grouped by machine (``platsa.core.analysis.idea_themes``: their words
    as TF-IDF vectors, clustered; no model, nothing sent anywhere). Machine-made, and the
    report says so: each group is named by its most typical words (not a summary) and lists
    the numbers of the very ideas it came from, so a label is never taken for a quote."""
    from platsa.core.analysis.idea_themes import MIN_DOCS, group_themes

    found_rows = list(rows.ideas.order_by("pk").values_list("pk", "title", "body"))
    docs = [(pk, f"{title}\n{body}") for pk, title, body in found_rows]
    if len(docs) < MIN_DOCS:
        return {"groups": [], "unthemed": len(docs), "too_few": True, "min_docs": MIN_DOCS}
    found = group_themes(docs, max_themes=MACHINE_THEMES_MAX)
    titles = {pk: title for pk, title, _body in found_rows}
    groups = [
        {
            "words": _quote(", ".join(t.words)),
            "n": len(t.member_ids),
            "ids": list(t.member_ids),
            "examples": [(pk, _quote(titles[pk])) for pk in t.representative_ids],
        }
        for t in found.themes
    ]
    return {
        "groups": groups,
        "unthemed": len(found.unthemed),
        "too_few": False,
        "min_docs": MIN_DOCS,
    }


def _figure(labels: list[str], counts: list[int], title: str) -> str:
    if not labels or not any(counts):
        return ""
    return count_bars(labels, counts, title=title, texts=[str(n) for n in counts])


def report_context(process: Process, language: str, *, machine: bool = True) -> dict[str, Any]:
    """Everything the report shows, in ``language``; ``machine``: with the ideas grouped by
    machine (seconds over thousands of ideas: the background worker's PDF has them, the
    workbook made in a request does not)."""
    with translation.override(language):
        rows = Rows(process)
        stops = list(Stop.objects.filter(process=process).select_related("municipality"))
        # every table's rows counted together: one pass over each kind of row
        items = {
            "phases": phase_items(process),
            "stops": stop_items(stops),
            "countries": country_items(stops),
            "rest": [not_tied(), (_("All"), EVERYTHING, "")],
        }
        counted = iter(rows.count([i for part in items.values() for i in part]))
        found = {name: [next(counted) for _i in part] for name, part in items.items()}
        phases = found["phases"]
        elsewhere, total = found["rest"]
        per_stop = [*found["stops"], elsewhere]
        per_country = [*found["countries"], elsewhere]
        themes = by_theme(process, rows)
        firsts = [s.starts_on for s in stops]
        lasts = [s.ends_on for s in stops]
        return {
            "process": process,
            "title": process.title,
            "place": process.place,
            "kind": str(process.kind_spec.label),
            "phase": process.get_phase_display(),
            "made_at": timezone.now(),
            "first_day": min(firsts) if firsts else None,
            "last_day": max(lasts) if lasts else None,
            "stops": [
                {
                    "title": s.title,
                    "municipality": s.municipality.name,
                    "country": country_name(s.municipality.country),
                    "starts_on": s.starts_on,
                    "ends_on": s.ends_on,
                }
                for s in stops
            ],
            "challenges": _challenges(process, rows),
            "total": total,
            "pledge_total": rows.pledges.count(),
            "phases": phases,
            "phases_svg": _figure(
                [p.label for p in phases],
                [p.people for p in phases],
                _("People taking part by phase"),
            ),
            "per_stop": per_stop if stops else [],
            "stops_svg": _figure(
                [c.label for c in per_stop],
                [c.people for c in per_stop],
                _("People taking part by stop"),
            )
            if stops
            else "",
            "per_country": per_country if stops else [],
            "themes": themes,
            "themes_svg": _figure(
                [t.name for t in themes], [t.ideas for t in themes], _("Ideas by theme")
            ),
            "machine": machine_themes(rows) if machine else None,
            "top": [
                _line(i)
                for i in rows.ideas.only(
                    "pk", "title", "support_count", "comment_count", "status"
                ).order_by("-support_count", "created_at", "pk")[:TOP_OVERALL]
            ],
            "statuses": _statuses(rows),
            "pledge_kinds": pledges_by_kind(rows),
            "goals": money_against_goals(rows),
            "selected": selected_ideas(rows),
            "added": _organisers_added(process, stops, rows),
        }


def report_pdf(process: Process, language: str) -> bytes:
    """The report as A4 PDF (no network: no base URL, the fonts are the system's)."""
    from weasyprint import HTML

    context = report_context(process, language)
    with translation.override(language):
        html = render_to_string("innovation/report.html", context)
    return bytes(HTML(string=html, base_url=None).write_pdf())


# --- spreadsheets ------------------------------------------------------------------------


def _counted_sheet(title: str, first: str, counted: list[Counted], detail: str) -> Sheet:
    return Sheet(
        title=title,
        header=[first, detail, _("People"), _("Ideas"), _("Comments"), _("Supports"), _("Likes")],
        rows=[
            [c.label, c.detail, c.people, c.ideas, c.comments, c.supports, c.likes] for c in counted
        ],
        widths=[28, 24, 10, 10, 10, 10, 10],
    )


def _day(moment: datetime) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds")


def report_sheets(process: Process, language: str) -> list[Sheet]:
    """The report's tables, one sheet each, plus every shown idea with its counts; not the
    grouping by machine (see ``report_context``)."""
    c = report_context(process, language, machine=False)
    with translation.override(language):
        total: Counted = c["total"]
        summary = [
            [_("Process"), process.title],
            [_("Place"), process.place.name],
            [_("Kind"), c["kind"]],
            [_("Phase now"), c["phase"]],
            [_("Report made"), _day(c["made_at"])],
            [_("People taking part"), total.people],
            [_("Ideas"), total.ideas],
            [_("Comments"), total.comments],
            [_("Supports"), total.supports],
            [_("Likes"), total.likes],
            [_("Pledges"), c["pledge_total"]],
            [
                _("About"),
                _(
                    "Only what the public pages show is counted (nothing held for review, hidden "
                    "or merged). Nobody is named. Every figure is a count of the database when "
                    "the report was made; nothing here is machine-made (the PDF report's grouping "
                    "of ideas by machine is not in this workbook)."
                ),
            ],
        ]
        return [
            Sheet(_("Summary"), [_("What"), _("Value")], summary, widths=[24, 80]),
            Sheet(
                _("Stops"),
                [_("Stop"), _("Municipality"), _("Country"), _("First day"), _("Last day")],
                [
                    [s["title"], s["municipality"], s["country"], s["starts_on"], s["ends_on"]]
                    for s in c["stops"]
                ],
                widths=[28, 20, 12, 12, 12],
            ),
            Sheet(
                _("Challenges"),
                [
                    _("Challenge"),
                    _("Owner"),
                    _("Kind of owner"),
                    _("Help wanted"),
                    _("Stop"),
                    _("Themes"),
                    _("Ideas"),
                    _("The problem"),
                ],
                [
                    [
                        ch["title"],
                        ch["owner"],
                        ch["owner_kind"],
                        ", ".join(ch["help"]),
                        ch["stop"],
                        ", ".join(ch["themes"]),
                        ch["ideas"],
                        ch["problem"],
                    ]
                    for ch in c["challenges"]
                ],
                widths=[30, 24, 16, 24, 16, 24, 8, 60],
            ),
            _counted_sheet(_("By phase"), _("Phase"), c["phases"], _("Dates")),
            _counted_sheet(_("By stop"), _("Stop"), c["per_stop"], _("Municipality")),
            _counted_sheet(_("By country"), _("Country"), c["per_country"], ""),
            Sheet(
                _("Themes"),
                [_("Theme"), _("Ideas"), _("Supports"), _("Most supported ideas")],
                [
                    [
                        t.name,
                        t.ideas,
                        t.supports,
                        "; ".join(f"{i.title} ({i.supports})" for i in t.top),
                    ]
                    for t in c["themes"]
                ],
                widths=[28, 8, 10, 80],
            ),
            Sheet(
                _("Pledges"),
                [_("Kind"), _("Pledges"), _("Ideas"), _("Money"), _("Hours")],
                [[p.label, p.pledges, p.ideas, p.money, p.hours] for p in c["pledge_kinds"]],
                widths=[16, 10, 10, 14, 10],
            ),
            Sheet(
                _("Goals"),
                [
                    _("Idea no."),
                    _("Idea"),
                    _("Goal"),
                    _("Currency"),
                    _("Pledged"),
                    _("Pledges"),
                    _("Share of goal"),
                ],
                [
                    [
                        g.pk,
                        g.title,
                        g.goal,
                        g.currency,
                        g.pledged,
                        g.pledges,
                        g.share / 100 if g.share is not None else "",
                    ]
                    for g in c["goals"]
                ],
                widths=[8, 40, 12, 8, 12, 8, 12],
                formats={7: "0 %"},
            ),
            Sheet(
                _("Selected"),
                [
                    _("Idea no."),
                    _("Idea"),
                    _("Status"),
                    _("Supports"),
                    _("Comments"),
                    _("Pledges"),
                    _("Pledged money"),
                    _("Themes"),
                    _("Challenge"),
                    _("Stop"),
                    _("Why it was selected"),
                    _("Official answer"),
                    _("The place's action"),
                ],
                [
                    [
                        s.pk,
                        s.title,
                        s.status,
                        s.supports,
                        s.comments,
                        s.pledges,
                        s.pledged,
                        ", ".join(s.themes),
                        s.challenge,
                        s.stop,
                        s.reason,
                        s.answer,
                        s.action,
                    ]
                    for s in c["selected"]
                ],
                widths=[8, 40, 14, 10, 10, 10, 12, 24, 24, 16, 60, 60, 40],
            ),
            Sheet(_("Ideas"), idea_header(), idea_rows(process), widths=IDEA_WIDTHS),
        ]


def report_xlsx(process: Process, language: str | None = None) -> bytes:
    """The report's tables as a workbook, made in the request (no drawing, no grouping by
    machine: counts only)."""
    return write_xlsx(report_sheets(process, language or translation.get_language() or "sv"))


# --- the ideas list and the pledges (organisers' exports) -------------------------------

IDEA_WIDTHS = [8, 40, 14, 30, 20, 10, 10, 10, 10, 12, 12, 20]


def idea_header() -> list[str]:
    """The ideas list's header in the active language."""
    return [
        _("Idea no."),
        _("Title"),
        _("Status"),
        _("Themes"),
        _("Stop"),
        _("Supports"),
        _("Comments"),
        _("Likes"),
        _("Pledges"),
        _("Pledged money"),
        _("Goal"),
        _("Created"),
    ]


def idea_rows(process: Process) -> list[list[Any]]:
    """Every shown idea, oldest first, with its counts (the text people typed goes through
    ``safe_cell`` in the writers: a title "=HYPERLINK(…)" is text, not a formula)."""
    ideas = (
        shown_ideas(process)
        .select_related("stop")
        .prefetch_related("themes")
        .order_by("created_at", "pk")
    )
    return [
        [
            i.pk,
            i.title,
            i.get_status_display(),
            ", ".join(t.name for t in i.themes.all()),
            i.stop.title if i.stop else "",
            i.support_count,
            i.comment_count,
            i.like_count,
            i.pledge_count,
            i.pledged_money,
            i.goal_amount if i.goal_amount is not None else "",
            _day(i.created_at),
        ]
        for i in ideas
    ]


def ideas_csv(process: Process) -> bytes:
    """The shown ideas as UTF-8 CSV with a BOM (Excel opens å, ä, ö), formulas neutralised."""
    return write_csv(idea_header(), idea_rows(process))


def pledges_xlsx(process: Process) -> bytes:
    """One row per pledge on a shown idea, with the pledger's e-mail address: the organiser
    follows pledges up, so this export, and no other, carries contact addresses."""
    pledges = (
        Pledge.objects.filter(idea__in=shown_ideas(process).values("pk"))
        .select_related("idea", "user")
        .order_by("idea_id", "created_at", "pk")
    )
    rows = [
        [
            p.idea_id,
            p.idea.title,
            p.get_kind_display(),
            p.amount if p.amount is not None else "",
            p.hours if p.hours is not None else "",
            p.description,
            _day(p.created_at),
            p.user.email,
        ]
        for p in pledges
    ]
    return write_xlsx(
        [
            Sheet(
                _("Pledges"),
                [
                    _("Idea no."),
                    _("Idea"),
                    _("Kind"),
                    _("Amount"),
                    _("Hours"),
                    _("Description"),
                    _("Date"),
                    _("E-mail"),
                ],
                rows,
                widths=[8, 40, 12, 12, 8, 50, 20, 32],
            )
        ]
    )
