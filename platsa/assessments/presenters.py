"""What a results page shows, built once for the organiser's page, the public page and the PDF.

Public output follows two rules the organiser cannot switch off: a group with fewer than
``PLATSA_PUBLIC_MIN_GROUP`` respondents is never shown (not in the compass, not in a table,
not in a gap), and only comments an organiser approved are shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber
from django.utils.translation import get_language, gettext

from platsa.assessments.analysis import Analysis
from platsa.assessments.models import Comment, Round
from platsa.core import charts, disclosure
from platsa.core.explain import describe_reason, number
from platsa.core.recommend import Reason, Recommendation
from platsa.core.reference import SOURCES
from platsa.places.facts import area_charts, area_facts

MAX_COMMENTS_PER_THEME = 5


@dataclass
class ThemeRow:
    id: str
    title: str
    score: float | None
    low: float | None
    high: float | None
    n: int
    dont_know_share: float
    priority_share: float
    change: float | None = None
    change_significant: bool = False
    group_scores: list[tuple[float | None, int]] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    comment_total: int = 0


@dataclass
class RecView:
    rec: Recommendation
    title: str
    summary: str
    description: str
    reasons: list[str]
    relative: int  # 0-100, against the top recommendation


def _language() -> str:
    return (get_language() or "sv")[:2]


def results_context(
    analysis: Analysis, *, public: bool, comments: bool = True, approved_only: bool = False
) -> dict[str, Any]:
    """Everything a results page shows.

    ``public`` applies the disclosure rules (``platsa.core.disclosure``): the published page
    and the board report, which is handed on, show no figure based on fewer than
    ``PLATSA_PUBLIC_MIN_GROUP`` people and nothing that lets a reader subtract one out.
    ``comments``: attach respondents' comments per theme; only approved ones when ``public``
    or ``approved_only``."""
    language = _language()
    fw = analysis.framework
    results = analysis.results
    k = settings.PLATSA_PUBLIC_MIN_GROUP
    rules = disclosure.public(results, k) if public else disclosure.everything(results)
    round_ = analysis.round
    groups_db = {g.key: g for g in round_.groups.all()}
    label = {key: g.label(language) for key, g in groups_db.items()}
    shown_groups = [g for g in results.groups if rules.shows_group(g.group.key)]
    too_few = public and results.respondents < k

    previous, changes = analysis.previous, {c.theme_id: c for c in analysis.changes}
    if public and previous is not None and not _previous_publishable(analysis, k):
        previous, changes = None, {}

    rows: list[ThemeRow] = []
    for theme in results.themes:
        tid = theme.theme_id
        shown = rules.shows_theme(tid)
        change = changes.get(tid) if shown else None
        rows.append(
            ThemeRow(
                id=tid,
                title=fw.theme(tid).title.get(language),
                score=theme.score if shown else None,
                low=theme.low if shown else None,
                high=theme.high if shown else None,
                n=theme.n,
                dont_know_share=theme.dont_know_share,
                priority_share=theme.priority_share,
                change=change.change if change else None,
                change_significant=change.significant if change else False,
                group_scores=[
                    (g.theme(tid).score, g.theme(tid).n)
                    if rules.shows_cell(tid, g.group.key)
                    else (None, 0)
                    for g in shown_groups
                ],
            )
        )

    if comments and not too_few:
        _attach_comments(round_, rows, approved_only=public or approved_only)

    axes = [r.title for r in rows]
    scale = (results.scale_min, results.scale_max)
    everyone = charts.Series(gettext("Everyone"), [r.score for r in rows])
    compass = charts.radar(
        axes,
        [everyone],
        scale=scale,
        title=gettext("Compass: every theme, for everyone"),
        description=gettext(
            "Scores from %(lo)s (centre, needs much improvement) to %(hi)s (edge, works very well)."
        )
        % {"lo": scale[0], "hi": scale[1]},
        chart_id="compass-all",
    )
    compass_numbered = charts.radar(
        axes,
        [everyone],
        scale=scale,
        title=gettext("Compass: every theme, for everyone"),
        description=gettext("The spokes are numbered in the order of the list below the chart."),
        numbered=True,
        chart_id="compass-numbered",
    )
    small_compasses = []
    for i, g in enumerate(shown_groups):
        name = label.get(g.group.key, g.group.label)
        values = [row.group_scores[i][0] for row in rows]
        small_compasses.append(
            {
                "label": name,
                "n": g.respondents,
                "svg": charts.radar(
                    axes,
                    [
                        charts.Series(gettext("Everyone"), everyone.values, reference=True),
                        charts.Series(name, values),
                    ],
                    scale=scale,
                    title=gettext("Compass for %(group)s") % {"group": name},
                    size=300,
                    show_labels=False,
                    chart_id=f"compass-{i}",
                ),
            }
        )
    gaps = [
        {
            "theme": fw.theme(gap.theme_id).title.get(language),
            "high_group": label.get(gap.high_group, gap.high_group),
            "high_score": gap.high_score,
            "low_group": label.get(gap.low_group, gap.low_group),
            "low_score": gap.low_score,
            "difference": gap.difference,
            "cross_side": gap.cross_side,
        }
        for gap in results.gaps
        if rules.shows_cell(gap.theme_id, gap.high_group)
        and rules.shows_cell(gap.theme_id, gap.low_group)
    ][:6]

    recs = []
    portfolio = analysis.recommendations.portfolio
    top = max((r.score for r in portfolio), default=0) or 1
    for rec in analysis.recommendations.recommendations[:20]:
        reasons = [
            describe_reason(reason, fw, language=language, _=gettext, group_labels=label)
            for reason in rec.reasons
            if _reason_disclosable(reason, rules)
        ]
        recs.append(
            RecView(
                rec=rec,
                title=rec.action.title.get(language),
                summary=rec.action.summary.get(language),
                description=rec.action.description.get(language),
                reasons=reasons,
                relative=round(100 * min(rec.score, top) / top),
            )
        )
    place = round_.place
    facts = [{"fact": f, "source": SOURCES.get(f.source)} for f in area_facts(place.municipality)]
    area_figures = area_charts(place.municipality)
    return {
        "round": round_,
        "place": place,
        "framework": fw,
        "results": results,
        "rows": rows,
        "rows_by_score": sorted(rows, key=lambda r: (r.score is None, r.score or 0)),
        "groups": [
            {"key": g.group.key, "label": label.get(g.group.key, g.group.label), "n": g.respondents}
            for g in shown_groups
        ],
        "hidden_groups": rules.hidden_groups,
        "too_few": too_few,
        "compass": compass,
        "compass_numbered": compass_numbered,
        "reference_swatch": charts.legend_swatch("#767676", "4 3"),
        "small_compasses": small_compasses,
        "bars": charts.interval_bars(
            [(r.title, r.score, r.low, r.high) for r in rows],
            scale=scale,
            # xgettext:no-python-format
            title=gettext("Score per theme with its 95 % interval"),
        ),
        "gaps": gaps,
        "recommendations": [r for r in recs if r.rec.in_portfolio],
        "more_recommendations": [r for r in recs if not r.rec.in_portfolio][:10],
        "excluded_count": len(analysis.recommendations.excluded),
        "context": analysis.context,
        "context_tags": [t.value for t in analysis.context.tags()],
        "facts": facts,
        **area_figures,
        "previous": previous,
        "public": public,
        "min_group": k,
        "fmt": lambda v, d=1: number(v, language, d),
    }


def _previous_publishable(analysis: Analysis, k: int) -> bool:
    """A change may be published only against a round that was itself published and large
    enough: otherwise "score minus change" reveals the earlier round."""
    previous = analysis.previous
    if previous is None or not previous.results_public:
        return False
    return previous.responses.count() >= k


def _reason_disclosable(reason: Reason, rules: disclosure.Disclosure) -> bool:
    """A reason may be shown if every figure it quotes may be shown."""
    if reason.kind in ("theme_need",) and reason.theme:
        return rules.shows_theme(reason.theme)
    if reason.kind == "group_gap" and reason.theme:
        return rules.shows_cell(
            reason.theme, reason.values.get("high_group", "")
        ) and rules.shows_cell(reason.theme, reason.values.get("low_group", ""))
    return True


def _attach_comments(round_: Round, rows: list[ThemeRow], *, approved_only: bool) -> None:
    """The newest few comments per theme and each theme's total, in two queries."""
    base = Comment.objects.filter(round=round_)
    if approved_only:
        base = base.filter(status=Comment.Status.APPROVED)
    else:
        base = base.exclude(status=Comment.Status.HIDDEN)
    totals = dict(base.values_list("theme_id").annotate(n=Count("id")).values_list("theme_id", "n"))
    newest = base.annotate(
        position=Window(
            RowNumber(),
            partition_by=F("theme_id"),
            order_by=[F("created_at").desc(), F("id").desc()],
        )
    ).filter(position__lte=MAX_COMMENTS_PER_THEME)
    by_theme = {r.id: r for r in rows}
    for row in rows:
        row.comment_total = totals.get(row.id, 0)
    for comment in newest:
        if comment.theme_id in by_theme:
            by_theme[comment.theme_id].comments.append(comment)
