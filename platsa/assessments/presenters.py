"""What a results page shows, built once for the organiser's page, the viewer's page, the
public page, the results workbook and the board report.

Who sees what is one rule per audience (:class:`Audience`, documented in docs/scoring.md):

* **Organisers and owners** see everything, unsuppressed, and every comment that is not
  hidden: they can download the raw answers anyway, so hiding figures from them protects
  no one.
* **Viewers** see what the public would see (``platsa.core.analysis.disclosure``): no group with
  fewer than ``PLATSA_PUBLIC_MIN_GROUP`` respondents, complementary suppression, approved
  comments only. A viewer is a member, not a moderator of what respondents wrote, and may
  pass figures on.
* **The public page and the board report** (which is handed on) follow the same rules, and
  show change only against a previous round that was itself published.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.db.models import Count, F, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils.translation import get_language, gettext

from platsa.assessments.analysis import Analysis, country_of, round_results
from platsa.assessments.models import Comment, Round
from platsa.assessments.perception import perception_panel
from platsa.catalogue.selectors import shared_catalogue
from platsa.core.analysis import disclosure
from platsa.core.analysis.recommend import Reason, Recommendation
from platsa.core.analysis.scoring import Results
from platsa.core.io.reference import SOURCES, DataSource
from platsa.core.render import charts
from platsa.core.render.explain import (
    cost_label,
    currency_for,
    describe_changes,
    explain_list,
    group_name,
    number,
    summarise,
)
from platsa.core.render.representativeness_text import (
    band_label,
    describe_representativeness,
    describe_weighted,
    population_source,
    weighted_label,
    weighted_note,
)
from platsa.core.schema.catalogue import Example, FundingSource
from platsa.core.schema.frameworks import Framework
from platsa.places.access import has_role
from platsa.places.facts import area_charts, area_facts
from platsa.places.models import Role

MAX_COMMENTS_PER_THEME = 5


class Audience(StrEnum):
    """Who a results page, workbook or report is for; decides what it may show."""

    ORGANISER = "organiser"  # owners and organisers: everything
    VIEWER = "viewer"  # members with the viewer role: the public rules
    PUBLIC = "public"  # the published page and the board report

    @property
    def suppressed(self) -> bool:
        """Whether the disclosure rules apply."""
        return self is not Audience.ORGANISER


@dataclass
class CommentView:
    """A comment as the reader sees it: which question it answers and, where the rules
    allow, which group wrote it."""

    id: int
    theme_id: str
    question: str
    group: str
    text: str
    status: str
    status_label: str


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
    before: float | None = None  # the previous round's score, where it may be shown
    group_scores: list[tuple[float | None, int]] = field(default_factory=list)
    comments: list[CommentView] = field(default_factory=list)
    comment_total: int = 0


@dataclass
class RecView:
    """One action's card. ``shown`` are its strongest reasons (at most three), ``more`` the
    rest (behind "more"); a sentence already given higher up the page is not repeated
    (``platsa.core.render.explain.explain_list``): ``themes`` (title and score) is the short
    reference to it, and ``tags`` the short forms of "quick win" or "to check"."""

    rec: Recommendation
    title: str
    summary: str
    description: str
    reasons: list[str]
    relative: int  # 0-100, against the top recommendation
    shown: list[str] = field(default_factory=list)
    more: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    themes: list[tuple[str, float | None]] = field(default_factory=list)
    cost: str = ""
    funding: list[FundingSource] = field(default_factory=list)
    examples: list[Example] = field(default_factory=list)


def _language() -> str:
    return (get_language() or "sv")[:2]


def scale_ends(fw: Framework, language: str) -> tuple[str, str]:
    """What the scale's ends mean in the framework's own words, short and lower-case for a
    parenthesis ("needs much improvement", "not started"): a maturity scale's ends are not
    the attractiveness scale's."""

    def short(value: int, fallback: str) -> str:
        text = fw.scale.label_for(value, language).split(":")[0].strip()
        return (text[:1].lower() + text[1:]) if text else fallback

    return (
        short(fw.scale.min, gettext("needs much improvement")),
        short(fw.scale.max, gettext("works very well")),
    )


def audience_for(role: str | None) -> Audience:
    """A member's audience by role: organisers and owners see everything, viewers the
    public rules."""
    return Audience.ORGANISER if role and has_role(Role(role), Role.ORGANISER) else Audience.VIEWER


def results_context(
    analysis: Analysis,
    *,
    audience: Audience | None = None,
    comments: bool = True,
    public: bool | None = None,
) -> dict[str, Any]:
    """Everything a results page shows, for one audience (see the module's docstring).

    ``comments``: attach the newest few comments per theme that the audience may see.
    ``public=True`` is the older spelling of ``audience=Audience.PUBLIC`` (and
    ``public=False`` of the organisers' view), kept for callers not yet moved over."""
    if audience is None:
        audience = Audience.PUBLIC if public else Audience.ORGANISER
    language = _language()
    fw = analysis.framework
    results = analysis.results
    k = settings.PLATSA_PUBLIC_MIN_GROUP
    rules = disclosure.public(results, k) if audience.suppressed else disclosure.everything(results)
    round_ = analysis.round
    label = group_labels(analysis, language)
    shown_groups = [g for g in results.groups if rules.shows_group(g.group.key)]
    too_few = audience.suppressed and results.respondents < k

    previous, previous_rules = _previous_for(analysis, audience, k)
    changes = {c.theme_id: c for c in analysis.changes} if previous is not None else {}

    rows: list[ThemeRow] = []
    for theme in results.themes:
        tid = theme.theme_id
        shown = rules.shows_theme(tid)
        before_shown = previous_rules is not None and previous_rules.shows_theme(tid)
        change = changes.get(tid) if shown and before_shown else None
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
                before=changes[tid].before if before_shown and tid in changes else None,
                group_scores=[
                    (g.theme(tid).score, g.theme(tid).n)
                    if rules.shows_cell(tid, g.group.key)
                    else (None, 0)
                    for g in shown_groups
                ],
            )
        )

    if comments and not too_few:
        _attach_comments(round_, rows, audience=audience, rules=rules, fw=fw, labels=label)

    axes = [r.title for r in rows]
    scale = (results.scale_min, results.scale_max)
    everyone = charts.Series(
        round_.name if previous is not None else gettext("Everyone"), [r.score for r in rows]
    )
    compass_series = [everyone]
    low_label, high_label = scale_ends(fw, language)
    description = gettext(
        "Scores from %(lo)s (centre, %(lo_label)s) to %(hi)s (edge, %(hi_label)s)."
    ) % {"lo": scale[0], "hi": scale[1], "lo_label": low_label, "hi_label": high_label}
    numbered_description = gettext(
        "The spokes are numbered in the order of the list below the chart."
    )
    legend: list[dict[str, str]] = []
    if previous is not None:
        compass_series.append(charts.Series(previous.name, [r.before for r in rows]))
        dashed = gettext("The dashed line is the previous round, %(round)s.") % {
            "round": previous.name
        }
        description += " " + dashed
        numbered_description += " " + dashed
        legend = [
            {"swatch": charts.legend_swatch(*charts.series_style(0)), "label": round_.name},
            {
                "swatch": charts.legend_swatch(*charts.series_style(1)),
                "label": gettext("%(round)s (previous round)") % {"round": previous.name},
            },
        ]
    compass = charts.radar(
        axes,
        compass_series,
        scale=scale,
        title=gettext("Compass: every theme, for everyone"),
        description=description,
        chart_id="compass-all",
    )
    compass_numbered = charts.radar(
        axes,
        compass_series,
        scale=scale,
        title=gettext("Compass: every theme, for everyone"),
        description=numbered_description,
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
                    description=gettext(
                        "The spokes are numbered in the order of the list of themes above the "
                        "group compasses."
                    ),
                    size=300,
                    numbered=True,
                    chart_id=f"compass-{i}",
                ),
            }
        )
    gaps = [
        {
            "theme": fw.theme(gap.theme_id).title.get(language),
            "high_group": group_name(gap.high_group, fw, language, label),
            "high_score": gap.high_score,
            "low_group": group_name(gap.low_group, fw, language, label),
            "low_score": gap.low_score,
            "difference": gap.difference,
            "cross_side": gap.cross_side,
        }
        for gap in results.gaps
        if rules.shows_cell(gap.theme_id, gap.high_group)
        and rules.shows_cell(gap.theme_id, gap.low_group)
    ][:6]

    recs = _rec_views(analysis, rows, rules, language=language, labels=label)
    country = country_of(analysis)
    summary = summarise(
        results,
        analysis.recommendations,
        fw,
        language=language,
        _=gettext,
        group_labels=label,
        currency=currency_for(country),
        shows_theme=rules.shows_theme,
        shows_cell=rules.shows_cell,
        shows_group=rules.shows_group if audience.suppressed else None,
    )
    change_lines = []
    if previous is not None:
        shown_change = {r.id for r in rows if r.change is not None}
        change_lines = describe_changes(
            [c for c in analysis.changes if c.theme_id in shown_change],
            {r.id: r.title for r in rows},
            previous=previous.name,
            language=language,
            _=gettext,
        )
    place = round_.place
    facts = [{"fact": f, "source": SOURCES.get(f.source)} for f in area_facts(place.municipality)]
    area_figures = area_charts(place.municipality)
    bar_rows = [(r.title, r.score, r.low, r.high) for r in rows]
    # xgettext:no-python-format
    bars_title = gettext("Score per theme with its 95 % interval")
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
        "group_labels": label,
        "hidden_groups": rules.hidden_groups,
        "too_few": too_few,
        "compass": compass,
        "compass_numbered": compass_numbered,
        "compass_legend": legend,
        "reference_swatch": charts.legend_swatch("#767676", "4 3"),
        "small_compasses": small_compasses,
        "bars": charts.interval_bars(bar_rows, scale=scale, title=bars_title),
        "bars_narrow": charts.interval_bars(
            bar_rows,
            scale=scale,
            title=bars_title,
            narrow=True,
            chart_id="bars-narrow",
            value_format=lambda v: number(v, language),
        ),
        "gaps": gaps,
        "summary": summary,
        "notices": summary.notices,
        "tentative": analysis.recommendations.tentative,
        "snapshot": analysis.snapshot,
        "scale_low": low_label,
        "scale_high": high_label,
        "who_answered": None if too_few else who_answered(analysis, rules, language),
        "perception": None if too_few else perception_panel(analysis, rules, language),
        "recommendations": [r for r in recs if r.rec.in_portfolio],
        "more_recommendations": [r for r in recs if not r.rec.in_portfolio][:10],
        "excluded_count": len(analysis.recommendations.excluded),
        "context": analysis.context,
        "context_tags": [t.value for t in analysis.context.tags()],
        "facts": facts,
        "used_sources": used_sources(facts, recs),
        **area_figures,
        "previous": previous,
        "change_lines": change_lines,
        "clear_changes": [c for c in change_lines if c.direction != "same"],
        "same_changes": [c for c in change_lines if c.direction == "same"],
        "audience": audience.value,
        "rules": rules,
        "public": audience is Audience.PUBLIC,
        "organiser": audience is Audience.ORGANISER,
        "min_group": k,
        "fmt": lambda v, d=1: number(v, language, d),
    }


def who_answered(
    analysis: Analysis, rules: disclosure.Disclosure, language: str
) -> dict[str, Any] | None:
    """The respondents by age band beside the municipality's population, what is missing,
    and the scores weighted to the population beside the raw ones (only themes the reader
    may see); None when there is nothing to compare."""
    rep, weighted = analysis.representation, analysis.weighted
    if rep is None or not rep.comparable:
        return None
    fw = analysis.framework
    area = analysis.round.place.municipality
    percent = lambda share: "–" if share is None else number(round(100 * share), language, 0)  # noqa: E731
    return {
        "bands": [
            {
                "label": band_label(fw, b.band_id, language),
                "respondents": b.respondents,
                "sample": percent(b.sample_share),
                "population": percent(b.population_share),
                "flagged": b.flag is not None,
            }
            for b in rep.bands
        ],
        "without_band": rep.without_band,
        "lines": [
            line.text
            for line in describe_representativeness(
                rep, fw, area=area.name, language=language, _=gettext
            )
        ],
        "credit": population_source(area.age_bands_year, area.age_bands_source, gettext),
        "weighted": []
        if weighted is None
        else [
            line.text
            for line in describe_weighted(
                weighted,
                analysis.results,
                fw,
                language=language,
                _=gettext,
                themes=[t for t in fw.theme_ids if rules.shows_theme(t)],
            )
        ],
        "weighted_label": weighted_label(gettext),
        "weighted_note": weighted_note(gettext),
    }


def group_labels(analysis: Analysis, language: str) -> dict[str, str]:
    """Group key -> label in ``language``: as frozen with the version shown, else the
    round's groups as they are now."""
    english = language.startswith("en")
    if analysis.group_labels is not None:
        return {
            key: (names.get("en") or names.get("sv", key)) if english else names.get("sv", key)
            for key, names in analysis.group_labels.items()
        }
    return {g.key: g.label(language) for g in analysis.round.groups.all()}


def _rec_views(
    analysis: Analysis,
    rows: list[ThemeRow],
    rules: disclosure.Disclosure,
    *,
    language: str,
    labels: dict[str, str],
) -> list[RecView]:
    """The cards of the portfolio and of the next ten, with their reasons as one reader meets
    them from the top (no sentence twice), funding valid in the place's country and costs in
    its currency."""
    fw = analysis.framework
    recs_set = analysis.recommendations
    listed = [r for r in recs_set.recommendations if r.in_portfolio]
    listed += [r for r in recs_set.recommendations if not r.in_portfolio][:10]
    explained = explain_list(
        listed,
        fw,
        language=language,
        _=gettext,
        group_labels=labels,
        keep=lambda reason: _reason_disclosable(reason, rules),
    )
    country = country_of(analysis)
    currency = currency_for(country)
    catalogue = shared_catalogue(fw.id, fw.version)
    scores = {r.id: (r.title, r.score) for r in rows}
    portfolio = recs_set.portfolio
    top = max((r.score for r in portfolio), default=0) or 1
    views = []
    for rec, text in zip(listed, explained, strict=True):
        action = rec.action
        themes = sorted(action.themes, key=lambda t: (-action.themes[t], t))
        views.append(
            RecView(
                rec=rec,
                title=action.title.get(language),
                summary=action.summary.get(language),
                description=action.description.get(language),
                reasons=[*text.shown, *text.more],
                relative=round(100 * min(rec.score, top) / top),
                shown=list(text.shown),
                more=list(text.more),
                tags=list(text.tags),
                themes=[scores[t] for t in themes if action.themes[t] >= 2][:3]
                or [scores[themes[0]]],
                cost=cost_label(action.cost_band.value, currency, language, gettext),
                funding=list(analysis.funding[action.id])
                if analysis.funding is not None and action.id in analysis.funding
                else catalogue.funding_for(action, country),
                examples=list(getattr(rec, "examples", None) or action.examples),
            )
        )
    return views


def used_sources(facts: list[dict[str, Any]], recs: list[RecView]) -> list[DataSource]:
    """The data sources this page or report actually uses: those of the facts it shows and of
    the reasons it gives, each once (the report credits only these)."""
    keys = [f["fact"].source for f in facts]
    keys += [
        r.values.get("source", "") for view in recs for r in view.rec.reasons if r.kind == "context"
    ]
    seen: dict[str, DataSource] = {}
    for key in keys:
        source = SOURCES.get(key)
        if source is not None and source.attribution not in seen:
            seen[source.attribution] = source
    return list(seen.values())


def disclosed_reasons(
    rec: Recommendation,
    fw: Framework,
    rules: disclosure.Disclosure,
    *,
    language: str,
    group_labels: dict[str, str],
) -> list[str]:
    """A recommendation's reasons as sentences, leaving out any that quotes a figure the
    rules hide (a gap with a hidden group would name its score): every reason of one
    action, for a row of the workbook that is read alone."""
    [text] = explain_list(
        [rec],
        fw,
        language=language,
        _=gettext,
        group_labels=group_labels,
        keep=lambda reason: _reason_disclosable(reason, rules),
        visible=len(rec.reasons),
    )
    return [*text.shown, *text.more, *text.tags]


def _previous_for(
    analysis: Analysis, audience: Audience, k: int
) -> tuple[Round | None, disclosure.Disclosure | None]:
    """The previous round to compare with, and what of it may be shown.

    Organisers compare with every figure. Viewers may open the previous round themselves,
    under the same rules, so the previous round's own disclosure applies per theme: a theme
    it hid stays hidden here too (else "score minus change" would reveal it). The public
    and the board report compare only with a round that was itself published."""
    previous = analysis.previous
    if previous is None:
        return None, None
    before = analysis.previous_results or round_results(previous)
    if not audience.suppressed:
        return previous, disclosure.everything(before)
    if audience is Audience.PUBLIC and not _previous_publishable(previous, before, k):
        return None, None
    rules = disclosure.public(before, k)
    if not rules.themes:
        return None, None
    return previous, rules


def _previous_publishable(previous: Round, before: Results, k: int) -> bool:
    """A change may be published only against a round that was itself published and large
    enough: otherwise "score minus change" reveals the earlier round."""
    return previous.results_public and before.respondents >= k


def _reason_disclosable(reason: Reason, rules: disclosure.Disclosure) -> bool:
    """A reason may be shown if every figure it quotes may be shown. A quote is always one
    the public may read: the engine is given only approved comments
    (``analysis.approved_comments``), so it is shown wherever its theme is."""
    if reason.kind in ("theme_need", "comment_match") and reason.theme:
        return rules.shows_theme(reason.theme)
    if reason.kind == "group_gap" and reason.theme:
        return rules.shows_cell(
            reason.theme, reason.values.get("high_group", "")
        ) and rules.shows_cell(reason.theme, reason.values.get("low_group", ""))
    return True


def _visible(round_: Round, audience: Audience) -> QuerySet[Comment]:
    """The comments an audience may read: organisers every one not hidden, everyone else
    only those an organiser approved."""
    base = Comment.objects.filter(round=round_)
    if audience is Audience.ORGANISER:
        return base.exclude(status=Comment.Status.HIDDEN)
    return base.filter(status=Comment.Status.APPROVED)


def _comment_view(
    comment: Comment,
    *,
    fw: Framework,
    language: str,
    group_label: dict[str, str],
    show_group: Callable[[str], bool],
) -> CommentView:
    key = getattr(comment, "group_key", None) or ""
    question = next((c.prompt.get(language) for c in fw.comments if c.id == comment.kind), "")
    return CommentView(
        id=comment.pk,
        theme_id=comment.theme_id,
        question=question,
        # A group the rules hide is not named: its comments would single it out.
        group=group_label.get(key, key) if key and show_group(key) else "",
        text=comment.text,
        status=comment.status,
        status_label=str(comment.get_status_display()),
    )


def _shows_group(audience: Audience, rules: disclosure.Disclosure | None) -> Callable[[str], bool]:
    if audience is Audience.ORGANISER or rules is None:
        return lambda key: True
    return rules.shows_group


def _attach_comments(
    round_: Round,
    rows: list[ThemeRow],
    *,
    audience: Audience,
    rules: disclosure.Disclosure,
    fw: Framework,
    labels: dict[str, str],
) -> None:
    """The newest few comments per theme and each theme's total, in two queries."""
    base = _visible(round_, audience)
    totals = dict(base.values_list("theme_id").annotate(n=Count("id")).values_list("theme_id", "n"))
    newest = (
        base.annotate(
            group_key=F("response__group__key"),
            position=Window(
                RowNumber(),
                partition_by=F("theme_id"),
                order_by=[F("created_at").desc(), F("id").desc()],
            ),
        )
        .filter(position__lte=MAX_COMMENTS_PER_THEME)
        .order_by("theme_id", "position")
    )
    by_theme = {r.id: r for r in rows}
    for row in rows:
        row.comment_total = totals.get(row.id, 0)
    language = _language()
    show_group = _shows_group(audience, rules)
    for comment in newest:
        if comment.theme_id in by_theme:
            by_theme[comment.theme_id].comments.append(
                _comment_view(
                    comment, fw=fw, language=language, group_label=labels, show_group=show_group
                )
            )


def visible_comments(
    round_: Round,
    *,
    audience: Audience,
    rules: disclosure.Disclosure | None = None,
    theme_id: str | None = None,
    limit: int = 10_000,
) -> list[CommentView]:
    """Every comment the audience may read (of one theme, if given), in framework theme
    order then newest first: for the results workbook and the "show all" list. ``rules``
    (which groups may be named) is needed unless the audience is the organisers."""
    if rules is None and audience.suppressed:
        raise ValueError("a suppressed audience needs its disclosure rules")
    fw = round_.framework
    language = _language()
    labels = {g.key: g.label(language) for g in round_.groups.all()}
    order = {tid: i for i, tid in enumerate(fw.theme_ids)}
    base = _visible(round_, audience)
    if theme_id is not None:
        base = base.filter(theme_id=theme_id)
    comments = list(
        base.annotate(group_key=F("response__group__key")).order_by("-created_at", "-id")[:limit]
    )
    comments.sort(key=lambda c: order.get(c.theme_id, len(order)))
    show_group = _shows_group(audience, rules)
    return [
        _comment_view(c, fw=fw, language=language, group_label=labels, show_group=show_group)
        for c in comments
    ]
