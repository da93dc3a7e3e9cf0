"""A plan as a local development plan (lokal utvecklingsplan, LUP) in PDF and DOCX, and its
accountability data as XLSX, in the structure Swedish rural development groups use:

1. the place today (its history in the organisers' words, its municipality's open-data
   facts with their sources, and the newest assessment round's theme scores; for villages
   planning together, each village's part and their scores combined);
2. the SWOT; 3. the vision and the choices of path; 4. the goals with their indicators;
5. the actions, grouped by goal, shared ones first and then each village's own, with who,
   by when, the budget and its funding, and the milestones; 6. how the plan is followed up
   and revised, the progress now, the closed loop and the strategies it serves.

The content is gathered once, as plain data (:func:`lup_content`, a tree of dataclasses
with every label already in the document's language), and three writers lay it out
(:func:`lup_pdf`, :func:`lup_docx`, :func:`plan_xlsx`), so the three files never disagree
on what the plan says or on what is left out.

What is left out, whoever asks: contact e-mail addresses (never, also when typed into a
text: a printed plan travels further than its page), and an action's contact person unless
the person agreed to be named (``owner_public``). The assessment scores are what the reader
may see: a member from outside the organising place gets what the public results pages show
(``public=True``: published rounds only, suppression as there).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from platsa.core.io.reference import SOURCES
from platsa.core.io.tabular import Sheet, write_xlsx
from platsa.core.render.explain import number
from platsa.core.render.messages import label as vocab_label
from platsa.plans.follow_up import follow_up
from platsa.plans.models import Action, FundingLine, Indicator, Plan, Strategy
from platsa.plans.selectors import PlanView, ThemePoint, plan_view, theme_label
from platsa.web import pagecache

KEY_PREFIX = "plan:"
FORMATS = ("pdf", "docx", "xlsx")
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
UPDATES_MAX = 100_000  # every update goes into the documents (the page shows the newest 60)

# An address typed into a text: the documents quote texts, never addresses.
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")


def _clean(text: str) -> str:
    return _EMAIL.sub(_("[e-mail address left out]"), text or "").strip()


def _lines(text: str) -> list[str]:
    """A text written one point a line (the SWOT) as its points, without list marks."""
    out = []
    for line in _clean(text).splitlines():
        line = line.strip().lstrip("-•*–").strip()
        if line:
            out.append(line)
    return out


def _num(value: float | int | None, language: str, decimals: int = 1) -> str:
    if value is None:
        return ""
    if float(value).is_integer():
        decimals = 0
    return number(value, language, decimals)


def _money(amount: int | None, currency: str, language: str) -> str:
    return "" if amount is None else f"{number(amount, language, 0)}\u00a0{currency}"


def _day(value: date | None) -> str:
    """Dates as ISO (2027-03-01): how Swedish documents write them, and unambiguous in
    English."""
    return value.isoformat() if value else ""


# --- the content ---------------------------------------------------------------------------


@dataclass
class FactLine:
    label: str
    value: str
    period: str
    source: str  # the attribution the licence asks for, in the document's language
    url: str
    area: str


@dataclass
class ThemeLine:
    title: str
    score: str
    scale_max: int
    n: int


@dataclass
class PlacePart:
    """One place's (one village's) part of chapter 1."""

    name: str
    municipality: str
    facts: list[FactLine]
    round_title: str  # the newest assessment round shown, "" when none
    round_on: str
    themes: list[ThemeLine]
    # Villages in one municipality share its open data: shown once, at the first of them.
    facts_as_for: str = ""


@dataclass
class CombinedLine:
    title: str
    score: str
    n: int
    villages: list[tuple[str, str]]  # (village, its score or "")


@dataclass
class PathLine:
    title: str
    description: str
    goals: list[str]


@dataclass
class IndicatorLine:
    goal: str
    name: str
    kind: str
    unit: str
    baseline: float | None
    baseline_year: int | None
    target: float | None
    target_year: int | None
    latest: float | None
    latest_when: str
    towards: float | None  # 0..1 from the baseline to the target (may pass either end)
    higher_is_better: bool
    # "12 st (2027)": each value with its unit and year, for the documents' tables
    baseline_text: str = "–"
    target_text: str = "–"
    latest_text: str = "–"


def _value_text(value: float | None, unit: str, year: object, language: str) -> str:
    if value is None:
        return "–"
    out = _num(value, language)
    if unit:
        out += f"\u00a0{unit}"
    return f"{out} ({year})" if year else out


@dataclass
class MilestoneLine:
    action: str
    title: str
    due_on: date
    done_on: date | None
    overdue: bool


@dataclass
class FundingItem:
    action: str
    name: str
    status: str
    status_label: str
    amount: int | None
    currency: str
    amount_text: str = ""


@dataclass
class UpdateLine:
    on: date
    action: str
    text: str
    progress: int | None
    status: str
    milestone: str


@dataclass
class ActionLine:
    id: int
    title: str
    description: str
    village: str  # "" for an action shared by the whole plan
    goals: list[str]
    status: str
    status_label: str
    progress: int | None
    organisation: str
    contact: str  # only when the contact agreed to be named
    lead: str
    partners: str
    starts_on: date | None
    ends_on: date | None
    budget: int | None
    currency: str
    outputs: str
    results: str
    themes: list[str]
    origin: str
    milestones: list[MilestoneLine]
    funding: list[FundingItem]

    @property
    def who(self) -> str:
        parts = [p for p in (self.organisation, self.contact) if p]
        return " – ".join(parts)

    budget_text: str = ""

    @property
    def when(self) -> str:
        if self.starts_on and self.ends_on:
            return f"{_day(self.starts_on)} – {_day(self.ends_on)}"
        return _day(self.ends_on) or _day(self.starts_on)


@dataclass
class ActionGroup:
    """The actions of one goal (or of none), shared first, then each village's own."""

    title: str
    shared: list[ActionLine]
    villages: list[tuple[str, list[ActionLine]]]

    @property
    def empty(self) -> bool:
        return not self.shared and not any(actions for _name, actions in self.villages)

    @property
    def blocks(self) -> list[tuple[str, list[ActionLine]]]:
        """(sub-heading, actions): the shared ones (headed only beside villages' own), then
        each village's; empty blocks left out."""
        out = [(_("Shared actions") if self.villages else "", self.shared)]
        out += self.villages
        return [(title, actions) for title, actions in out if actions]


@dataclass
class ProgressLine:
    label: str
    actions: int
    progress: float | None
    reported: int
    milestones_done: int
    milestones_total: int
    milestones_overdue: int
    by_status: list[tuple[str, int]]


@dataclass
class GoalSection:
    id: int
    title: str
    description: str
    village: str
    path: str
    theme: str
    indicators: list[IndicatorLine]
    progress: ProgressLine | None


@dataclass
class LoopLineText:
    title: str
    text: str
    baseline_round: str
    latest_round: str


@dataclass
class StrategyLine:
    level: str
    name: str
    url: str


@dataclass
class LupContent:
    """Everything the documents say, in ``language``."""

    language: str
    kind: str  # "Local development plan" or "Regional development plan"
    title: str
    place: str
    scope: str
    regional: bool
    period: str
    phase: str
    made_at: datetime
    public: bool  # the assessment as the public sees it
    chapters: list[str]
    history: str
    parts: list[PlacePart]
    combined: list[CombinedLine]
    swot: list[tuple[str, list[str]]]
    vision: str
    paths: list[PathLine]
    goals: list[GoalSection]
    indicators: list[IndicatorLine]
    groups: list[ActionGroup]
    actions: list[ActionLine]
    updates: list[UpdateLine]
    follow_up: str
    whole: ProgressLine | None
    by_place: list[ProgressLine]
    by_theme: list[ProgressLine]
    loop: list[LoopLineText]
    strategies: list[StrategyLine]
    notes: list[str] = field(default_factory=list)

    @property
    def milestones(self) -> list[MilestoneLine]:
        return [m for a in self.actions for m in a.milestones]

    @property
    def funding(self) -> list[FundingItem]:
        return [f for a in self.actions for f in a.funding]

    @property
    def progress_lines(self) -> list[ProgressLine]:
        """The whole plan, each goal, each village: the follow-up chapter's table."""
        lines = [self.whole, *[g.progress for g in self.goals], *self.by_place]
        return [x for x in lines if x is not None]


def _fact_value(key: str, value: Any, compare: float | None, language: str) -> str:
    if key == "population" and isinstance(value, int | float):
        return number(value, language, 0)
    if key in ("population_change_pct", "share_65_plus_pct", "share_0_19_pct") and isinstance(
        value, int | float
    ):
        text = f"{number(value, language, 1)}\u00a0%"
        if compare is not None:
            text += " (" + _("the country") + f": {number(compare, language, 1)}\u00a0%)"
        return text
    if key == "land_area_km2" and isinstance(value, int | float):
        return f"{number(value, language, 0)}\u00a0km²"
    if key == "remoteness":
        return vocab_label(f"remoteness:{value}", _)
    return str(value)


def _facts(area: Any, language: str) -> list[FactLine]:
    from platsa.places.facts import area_facts

    if area is None:
        return []
    out = []
    for fact in area_facts(area):
        source = SOURCES.get(fact.source)
        out.append(
            FactLine(
                label=vocab_label(f"fact:{fact.key}", _),
                value=_fact_value(fact.key, fact.value, fact.compare, language),
                period=str(fact.period or ""),
                source=source.credit(_) if source else fact.source,
                url=source.url if source else "",
                area=fact.area,
            )
        )
    return out


def _newest_round(points: Iterable[ThemePoint]) -> tuple[str, date | None, list[ThemePoint]]:
    """The newest round among one place's points, and its theme scores."""
    points = list(points)
    if not points:
        return "", None, []
    newest = max(points, key=lambda p: p.on)
    shown = [p for p in points if p.round_title == newest.round_title and p.on == newest.on]
    return newest.round_title, newest.on, shown


def _part(place: Any, view: PlanView, language: str) -> PlacePart:
    own = [p for series in view.themes.values() for p in series if p.place_id == place.pk]
    title, on, shown = _newest_round(own)
    themes = sorted(
        (
            ThemeLine(
                theme_label(p.score.theme_id),
                _num(p.score.score, language, 1),
                p.scale_max,
                p.score.n,
            )
            for p in shown
        ),
        key=lambda t: t.title,
    )
    area = place.municipality if place.municipality_id else None
    return PlacePart(
        name=place.name,
        municipality=area.name if area is not None else "",
        facts=_facts(area, language),
        round_title=title,
        round_on=_day(on),
        themes=themes,
    )


def _parts(view: PlanView, language: str) -> list[PlacePart]:
    parts: list[PlacePart] = []
    first: dict[int, str] = {}  # municipality -> the first place of it
    for place in view.places:
        part = _part(place, view, language)
        if place.municipality_id in first:
            part.facts, part.facts_as_for = [], first[place.municipality_id]
        elif place.municipality_id:
            first[place.municipality_id] = place.name
        parts.append(part)
    return parts


def _status_label(status: Any) -> str:
    raw = str(getattr(status, "value", status))
    try:
        return str(Action.Status(raw).label)
    except ValueError:
        return raw


def _progress(label: str, rollup: Any) -> ProgressLine | None:
    if rollup is None:
        return None
    return ProgressLine(
        label=label,
        actions=rollup.actions,
        progress=round(rollup.progress) if rollup.progress is not None else None,
        reported=rollup.reported,
        milestones_done=rollup.milestones_done,
        milestones_total=rollup.milestones_total,
        milestones_overdue=rollup.milestones_overdue,
        by_status=[(_status_label(k), v) for k, v in rollup.by_status.items() if v],
    )


def _indicator(goal_title: str, indicator: Indicator, language: str) -> IndicatorLine:
    row = getattr(indicator, "row", None)
    latest = row.latest if row is not None else None
    when = row.points[-1][0] if row is not None and row.points else ""
    unit = indicator.unit
    # The baseline typed in, or the value measured when the plan started (selectors).
    baseline = row.baseline if row is not None else indicator.baseline
    base_when = row.baseline_when if row is not None else str(indicator.baseline_year or "")
    baseline_year = int(base_when) if base_when.isdigit() else indicator.baseline_year
    return IndicatorLine(
        goal=goal_title,
        name=indicator.name,
        kind=str(Indicator.Kind(indicator.kind).label),
        unit=indicator.unit,
        baseline=baseline,
        baseline_year=baseline_year,
        target=indicator.target,
        target_year=indicator.target_year,
        latest=latest,
        latest_when=when,
        towards=row.towards if row is not None else None,
        higher_is_better=indicator.higher_is_better,
        baseline_text=_value_text(baseline, unit, baseline_year, language),
        target_text=_value_text(indicator.target, unit, indicator.target_year, language),
        latest_text=_value_text(latest, unit, when, language),
    )


def _action(
    action: Action, goal_titles: dict[int, str], several: bool, language: str
) -> ActionLine:
    title = action.title
    milestones = [
        MilestoneLine(
            action=title,
            title=m.title,
            due_on=m.due_on,
            done_on=m.done_on,
            overdue=m.done_on is None and m.due_on < timezone.localdate(),
        )
        for m in action.milestones.all()
    ]
    funding = [
        FundingItem(
            action=title,
            name=f.name,
            status=f.status,
            status_label=str(FundingLine.Status(f.status).label),
            amount=f.amount,
            currency=action.currency,
            amount_text=_money(f.amount, action.currency, language),
        )
        for f in action.funding.all()
    ]
    return ActionLine(
        id=action.pk,
        title=title,
        description=_clean(action.description),
        village=action.place.name if several and action.place_id and action.place else "",
        goals=[goal_titles[g] for g in getattr(action, "goal_ids", []) if g in goal_titles],
        status=action.status,
        status_label=_status_label(action.status),
        progress=action.progress,
        organisation=_clean(action.owner_org),
        # The contact person is named only with their consent; the e-mail address never.
        contact=_clean(action.owner_name) if action.owner_public else "",
        lead=action.get_lead_display() if action.lead else "",
        partners=_clean(action.partners),
        starts_on=action.starts_on,
        ends_on=action.ends_on,
        budget=action.budget,
        currency=action.currency,
        outputs=_clean(action.outputs),
        results=_clean(action.results),
        themes=[theme_label(t) for t in action.themes or ()],
        origin="" if action.origin == Action.Origin.OWN else action.get_origin_display(),
        milestones=milestones,
        funding=funding,
        budget_text=_money(action.budget, action.currency, language),
    )


def _group(title: str, actions: list[ActionLine], villages: list[str]) -> ActionGroup:
    return ActionGroup(
        title=title,
        shared=[a for a in actions if not a.village],
        villages=[(v, [a for a in actions if a.village == v]) for v in villages],
    )


def chapter_titles(regional: bool) -> list[str]:
    """The six chapters' headings in the active language (the tests read them too)."""
    return [
        _("The region today") if regional else _("The place today"),
        _("Strengths, weaknesses, opportunities and threats"),
        _("Vision and choices of path"),
        _("Goals and indicators"),
        _("Actions"),
        _("Follow-up and revision"),
    ]


def lup_content(plan: Plan, *, public: bool, language: str) -> LupContent:
    """The document's content, read once (``public``: the assessment as the public sees it,
    for a member from outside the organising place)."""
    with translation.override(language):
        return _content(plan, public=public, language=language)


def _content(plan: Plan, *, public: bool, language: str) -> LupContent:
    view = plan_view(plan, public=public, timeline_max=UPDATES_MAX)
    rolled = follow_up(view)
    process = plan.process
    several = len(view.places) > 1
    regional = plan.scope == Plan.Scope.REGION
    goal_titles = {g.pk: g.title for g in view.goals}
    actions = {a.pk: _action(a, goal_titles, several, language) for a in view.actions}
    villages = [p.name for p in view.places] if several else []

    goals: list[GoalSection] = []
    indicators: list[IndicatorLine] = []
    groups: list[ActionGroup] = []
    for goal in view.goals:
        rows = [_indicator(goal.title, i, language) for i in goal.indicators.all()]
        indicators += rows
        goals.append(
            GoalSection(
                id=goal.pk,
                title=goal.title,
                description=_clean(goal.description),
                village=goal.place.name if several and goal.place_id and goal.place else "",
                path=goal.path.title if goal.path_id and goal.path else "",
                theme=theme_label(goal.theme_id) if goal.theme_id else "",
                indicators=rows,
                progress=_progress(goal.title, getattr(goal, "rollup", None)),
            )
        )
        mine = [actions[a.pk] for a in getattr(goal, "plan_actions", [])]
        groups.append(_group(goal.title, mine, villages))
    loose = [actions[a.pk] for a in view.actions if not getattr(a, "goal_ids", [])]
    if loose:
        groups.append(_group(_("Actions not tied to a goal"), loose, villages))

    paths = [
        PathLine(
            p.title,
            _clean(p.description),
            [g.title for g in view.goals if g.path_id == p.pk],
        )
        for p in plan.paths.all()
    ]
    combined = [
        CombinedLine(
            title=c.title,
            score=_num(c.combined.theme.score, language, 1),
            n=c.combined.theme.n,
            villages=[
                (name, _num(point.score.score, language, 1) if point else "")
                for name, point in c.villages
            ],
        )
        for c in rolled["combined"]
    ]
    updates = [
        UpdateLine(
            on=e.on,
            action=e.action.title,
            text=_clean(e.update.text),
            progress=e.update.progress,
            status=_status_label(e.update.status) if e.update.status else "",
            milestone=e.milestone.title if e.milestone else "",
        )
        for e in view.timeline
        if e.kind == "update" and e.update is not None
    ]
    period = " – ".join(_day(d) for d in (plan.starts_on, plan.ends_on) if d)
    notes = [
        _(
            "Made by Platsa from the plan as it stood on %(day)s. Contact persons are named "
            "only where they agreed to it; e-mail addresses are left out."
        )
        % {"day": _day(timezone.localdate())}
    ]
    if public:
        notes.append(
            _(
                "The assessment's scores are those its public results pages show (published rounds only)."
            )
        )
    return LupContent(
        language=language,
        kind=_("Regional development plan") if regional else _("Local development plan"),
        title=process.title,
        place=process.place.name,
        scope=str(Plan.Scope(plan.scope).label),
        regional=regional,
        period=period,
        phase=str(process.get_phase_display()) if hasattr(process, "get_phase_display") else "",
        made_at=timezone.localtime(),
        public=public,
        chapters=chapter_titles(regional),
        history=_clean(plan.history),
        parts=_parts(view, language),
        combined=combined,
        swot=[
            (_("Strengths"), _lines(plan.strengths)),
            (_("Weaknesses"), _lines(plan.weaknesses)),
            (_("Opportunities"), _lines(plan.opportunities)),
            (_("Threats"), _lines(plan.threats)),
        ],
        vision=_clean(plan.vision),
        paths=paths,
        goals=goals,
        indicators=indicators,
        groups=groups,
        actions=list(actions.values()),
        updates=updates,
        follow_up=_clean(plan.follow_up),
        whole=_progress(_("The whole plan"), rolled["whole"]),
        by_place=[p for v, r in rolled["by_place"] if (p := _progress(v.name, r)) is not None],
        by_theme=[p for n, r in rolled["by_theme"] if (p := _progress(n, r)) is not None],
        loop=[
            LoopLineText(x.title, x.text, x.baseline_round, x.latest_round) for x in rolled["loop"]
        ],
        strategies=[
            StrategyLine(str(Strategy.Level(s.level).label), s.name, s.url)
            for s in plan.strategies.all()
        ],
        notes=notes,
    )


def data_key(plan: Plan, fmt: str, *, public: bool, language: str) -> str:
    """What a document depends on, short enough for a job's key (64 characters): the plan's
    change stamp (every write to the plan bumps it, and so does a round of its places frozen,
    published or taken down: ``platsa.plans.signals``), its municipality's facts, the
    audience, the format and the language. The prefix ``plan:<id>:<format>:<audience>:``
    finds a plan's jobs of one format and audience."""
    current = Plan.objects.filter(pk=plan.pk).values_list("changed_at", flat=True).first()
    area = plan.process.place.municipality
    facts = (area.pk, area.population_date, area.age_year) if area is not None else None
    return key_prefix(plan, fmt, public=public) + pagecache.digest(current, facts, language)


def key_prefix(plan: Plan, fmt: str, *, public: bool) -> str:
    return f"{KEY_PREFIX}{plan.pk}:{fmt}:{'p' if public else 'm'}:"


# --- PDF -----------------------------------------------------------------------------------


def lup_pdf(content: LupContent) -> bytes:
    """The plan as A4 PDF with a table of contents and page numbers (no network: no base
    URL, the fonts are the system's, as the other reports)."""
    from weasyprint import HTML

    with translation.override(content.language):
        html = render_to_string("plans/lup_pdf.html", {"c": content})
    return bytes(HTML(string=html, base_url=None).write_pdf())


# --- DOCX ----------------------------------------------------------------------------------


def lup_docx(content: LupContent) -> bytes:
    """The plan as a Word document with real headings (Heading 1 for the chapters, 2 and 3
    below), so Word's navigation pane and its own table of contents work, and tables for the
    goals' indicators and the actions."""
    with translation.override(content.language):
        return _Docx(content).write()


class _Docx:
    def __init__(self, content: LupContent) -> None:
        from docx import Document

        self.c = content
        self.lang = content.language
        self.doc = Document()
        props = self.doc.core_properties
        props.title = content.title
        props.subject = content.kind
        props.language = "sv-SE" if content.language == "sv" else "en-GB"
        props.author = "Platsa"

    def write(self) -> bytes:
        c = self.c
        self.doc.add_heading(c.title, level=0)
        self._para(" · ".join(x for x in (c.kind, c.place, c.scope, c.period) if x))
        for note in c.notes:
            self._para(note, small=True)
        self._place_today()
        self._swot()
        self._vision()
        self._goals()
        self._actions()
        self._follow_up()
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()

    # helpers

    def _para(self, text: str, *, bold_lead: str = "", small: bool = False) -> None:
        if not text and not bold_lead:
            return
        from docx.shared import Pt

        paragraph = self.doc.add_paragraph()
        if bold_lead:
            paragraph.add_run(bold_lead + " ").bold = True
        run = paragraph.add_run(text)
        if small:
            run.font.size = Pt(8.5)

    def _text(self, text: str) -> None:
        for block in (text or "").split("\n\n"):
            if block.strip():
                self.doc.add_paragraph(block.strip())

    def _bullets(self, items: list[str]) -> None:
        for item in items:
            self.doc.add_paragraph(item, style="List Bullet")

    def _table(self, header: list[str], rows: list[list[str]]) -> None:
        table = self.doc.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            cell.text = ""
            cell.paragraphs[0].add_run(text).bold = True
        for row in rows:
            cells = table.add_row().cells
            for cell, text in zip(cells, row, strict=True):
                cell.text = text
        self.doc.add_paragraph()

    def _none(self, text: str) -> None:
        paragraph = self.doc.add_paragraph()
        paragraph.add_run(text).italic = True

    # chapters

    def _place_today(self) -> None:
        c = self.c
        self.doc.add_heading(c.chapters[0], level=1)
        if c.history:
            self._text(c.history)
        else:
            self._none(_("The plan does not describe the place's history yet."))
        for part in c.parts:
            self.doc.add_heading(part.name, level=2)
            if part.facts:
                self._para(
                    _("Open data about %(area)s:") % {"area": part.municipality or part.name}
                )
                self._table(
                    [_("Fact"), _("Value"), _("Period"), _("Source")],
                    [
                        [f.label, f.value, f.period, f"{f.source} {f.url}".strip()]
                        for f in part.facts
                    ],
                )
            if part.facts_as_for:
                self._para(
                    _("Open data: as for %(place)s (the same municipality).")
                    % {"place": part.facts_as_for}
                )
            if part.round_title:
                self._para(
                    _("The assessment “%(round)s” (%(day)s): each theme's mean score.")
                    % {"round": part.round_title, "day": part.round_on}
                )
                self._table(
                    [_("Theme"), _("Score"), _("Answers")],
                    [[t.title, f"{t.score} / {t.scale_max}", str(t.n)] for t in part.themes],
                )
            else:
                self._none(_("No assessment round to show yet."))
        if c.combined:
            self.doc.add_heading(_("The villages together"), level=2)
            villages = [name for name, _score in c.combined[0].villages]
            self._table(
                [_("Theme"), _("Together"), *villages],
                [[x.title, x.score, *[s for _n, s in x.villages]] for x in c.combined],
            )

    def _swot(self) -> None:
        self.doc.add_heading(self.c.chapters[1], level=1)
        for title, items in self.c.swot:
            self.doc.add_heading(title, level=2)
            if items:
                self._bullets(items)
            else:
                self._none(_("Nothing written yet."))

    def _vision(self) -> None:
        c = self.c
        self.doc.add_heading(c.chapters[2], level=1)
        self.doc.add_heading(_("Vision"), level=2)
        if c.vision:
            self._text(c.vision)
        else:
            self._none(_("Nothing written yet."))
        self.doc.add_heading(_("Choices of path"), level=2)
        if not c.paths:
            self._none(_("No choices of path yet."))
        for path in c.paths:
            self.doc.add_heading(path.title, level=3)
            self._text(path.description)
            if path.goals:
                self._para(", ".join(path.goals), bold_lead=_("Goals:"))

    def _goals(self) -> None:
        c = self.c
        self.doc.add_heading(c.chapters[3], level=1)
        if not c.goals:
            self._none(_("No goals yet."))
        for goal in c.goals:
            self.doc.add_heading(goal.title, level=2)
            facts = [
                (_("Village:"), goal.village),
                (_("Choice of path:"), goal.path),
                (_("Assessment theme:"), goal.theme),
            ]
            for lead, value in facts:
                if value:
                    self._para(value, bold_lead=lead)
            self._text(goal.description)
            if goal.indicators:
                self._table(
                    [_("Indicator"), _("Baseline"), _("Target"), _("Latest value")],
                    [
                        [
                            f"{i.name} ({i.kind})",
                            i.baseline_text,
                            i.target_text,
                            i.latest_text,
                        ]
                        for i in goal.indicators
                    ],
                )
            else:
                self._none(_("No indicators yet."))

    def _actions(self) -> None:
        c = self.c
        self.doc.add_heading(c.chapters[4], level=1)
        if not c.actions:
            self._none(_("No actions yet."))
        for group in c.groups:
            self.doc.add_heading(group.title, level=2)
            if group.empty:
                self._none(_("No actions for this goal yet."))
                continue
            for title, actions in group.blocks:
                self._action_list(actions, title)

    def _action_list(self, actions: list[ActionLine], title: str) -> None:
        if not actions:
            return
        if title:
            self.doc.add_heading(title, level=3)
        self._table(
            [_("Action"), _("Who"), _("By when"), _("Budget"), _("Status")],
            [
                [
                    a.title,
                    a.who,
                    a.when,
                    _money(a.budget, a.currency, self.lang),
                    a.status_label + (f" {a.progress}\u00a0%" if a.progress is not None else ""),
                ]
                for a in actions
            ],
        )
        for a in actions:
            paragraph = self.doc.add_paragraph()
            paragraph.add_run(a.title).bold = True
            self._text(a.description)
            for lead, value in (
                (_("Lead actor:"), a.lead),
                (_("Partners:"), a.partners),
                (_("Outputs:"), a.outputs),
                (_("Results:"), a.results),
                (_("Themes:"), ", ".join(a.themes)),
                (_("Origin:"), a.origin),
            ):
                if value:
                    self._para(value, bold_lead=lead)
            if a.funding:
                self._table(
                    [_("Funding"), _("Status"), _("Amount")],
                    [
                        [f.name, f.status_label, _money(f.amount, f.currency, self.lang)]
                        for f in a.funding
                    ],
                )
            if a.milestones:
                self._table(
                    [_("Milestone"), _("Due"), _("Done")],
                    [[m.title, _day(m.due_on), _day(m.done_on)] for m in a.milestones],
                )

    def _follow_up(self) -> None:
        c = self.c
        self.doc.add_heading(c.chapters[5], level=1)
        self.doc.add_heading(_("How the plan is followed up and revised"), level=2)
        if c.follow_up:
            self._text(c.follow_up)
        else:
            self._none(_("Nothing written yet."))
        self.doc.add_heading(_("Progress now"), level=2)
        lines = c.progress_lines
        self._table(
            [_("Part"), _("Actions"), _("Progress"), _("Milestones done"), _("Overdue")],
            [
                [
                    x.label,
                    str(x.actions),
                    f"{x.progress}\u00a0%" if x.progress is not None else _("No data yet"),
                    f"{x.milestones_done} / {x.milestones_total}",
                    str(x.milestones_overdue),
                ]
                for x in lines
            ],
        )
        if c.loop:
            self.doc.add_heading(_("The assessment before and after"), level=2)
            for line in c.loop:
                self._para(
                    f"{line.text} ({line.baseline_round} → {line.latest_round})",
                    bold_lead=line.title + ":",
                )
        self.doc.add_heading(_("Strategies the plan serves"), level=2)
        if c.strategies:
            self._bullets([f"{s.name} ({s.level}) {s.url}".strip() for s in c.strategies])
        else:
            self._none(_("No strategies named yet."))


# --- XLSX ----------------------------------------------------------------------------------


def plan_xlsx(content: LupContent) -> bytes:
    """The plan's accountability data, one sheet each: goals, indicators, actions,
    milestones, funding and updates. Values, never formulas: every text goes through
    ``safe_cell`` in the writer (a title "=HYPERLINK(…)" stays text)."""
    with translation.override(content.language):
        return write_xlsx(_sheets(content))


def _sheets(c: LupContent) -> list[Sheet]:
    def blank(value: Any) -> Any:
        return "" if value is None else value

    goals = Sheet(
        _("Goals"),
        [
            _("Goal"),
            _("Village"),
            _("Choice of path"),
            _("Assessment theme"),
            _("Indicators"),
            _("Actions"),
            _("Progress (%)"),
            _("Milestones done"),
            _("Milestones"),
            _("Milestones overdue"),
            _("Description"),
        ],
        [
            [
                g.title,
                g.village,
                g.path,
                g.theme,
                len(g.indicators),
                g.progress.actions if g.progress else 0,
                blank(g.progress.progress if g.progress else None),
                g.progress.milestones_done if g.progress else 0,
                g.progress.milestones_total if g.progress else 0,
                g.progress.milestones_overdue if g.progress else 0,
                g.description,
            ]
            for g in c.goals
        ],
        widths=[36, 18, 24, 22, 10, 10, 12, 12, 12, 12, 50],
    )
    indicators = Sheet(
        _("Indicators"),
        [
            _("Goal"),
            _("Indicator"),
            _("Kind"),
            _("Unit"),
            _("Baseline"),
            _("Baseline year"),
            _("Target"),
            _("Target year"),
            _("Latest value"),
            _("Latest from"),
            _("Towards the target (%)"),
            _("Higher is better"),
        ],
        [
            [
                i.goal,
                i.name,
                i.kind,
                i.unit,
                blank(i.baseline),
                blank(i.baseline_year),
                blank(i.target),
                blank(i.target_year),
                blank(i.latest),
                i.latest_when,
                "" if i.towards is None else round(100 * i.towards),
                _("yes") if i.higher_is_better else _("no"),
            ]
            for i in c.indicators
        ],
        widths=[30, 30, 22, 10, 12, 10, 12, 10, 12, 12, 12, 10],
    )
    actions = Sheet(
        _("Actions"),
        [
            _("Action no."),
            _("Action"),
            _("Village"),
            _("Goals"),
            _("Status"),
            _("Progress (%)"),
            _("Responsible organisation"),
            _("Contact person"),
            _("Lead actor"),
            _("Partners"),
            _("Start"),
            _("End"),
            _("Budget"),
            _("Currency"),
            _("Granted"),
            _("Themes"),
            _("Outputs"),
            _("Results"),
            _("Origin"),
            _("Description"),
        ],
        [
            [
                a.id,
                a.title,
                a.village,
                "; ".join(a.goals),
                a.status_label,
                blank(a.progress),
                a.organisation,
                a.contact,
                a.lead,
                a.partners,
                blank(a.starts_on),
                blank(a.ends_on),
                blank(a.budget),
                a.currency,
                sum(f.amount or 0 for f in a.funding if f.status == FundingLine.Status.GRANTED),
                ", ".join(a.themes),
                a.outputs,
                a.results,
                a.origin,
                a.description,
            ]
            for a in c.actions
        ],
        widths=[8, 36, 18, 30, 12, 10, 24, 20, 16, 24, 12, 12, 14, 8, 14, 24, 30, 30, 18, 50],
        formats={11: "yyyy-mm-dd", 12: "yyyy-mm-dd"},
    )
    milestones = Sheet(
        _("Milestones"),
        [_("Action"), _("Milestone"), _("Due"), _("Done"), _("Overdue")],
        [
            [m.action, m.title, m.due_on, blank(m.done_on), _("yes") if m.overdue else ""]
            for m in c.milestones
        ],
        widths=[36, 36, 12, 12, 10],
        formats={3: "yyyy-mm-dd", 4: "yyyy-mm-dd"},
    )
    funding = Sheet(
        _("Funding"),
        [_("Action"), _("Funder or programme"), _("Status"), _("Amount"), _("Currency")],
        [[f.action, f.name, f.status_label, blank(f.amount), f.currency] for f in c.funding],
        widths=[36, 36, 12, 14, 8],
    )
    updates = Sheet(
        _("Updates"),
        [
            _("Date"),
            _("Action"),
            _("What happened"),
            _("Progress (%)"),
            _("Status"),
            _("Milestone done"),
        ],
        [
            [u.on, u.action, u.text, blank(u.progress), u.status, u.milestone]
            for u in sorted(c.updates, key=lambda u: u.on)
        ],
        widths=[12, 36, 60, 10, 12, 30],
        formats={1: "yyyy-mm-dd"},
    )
    return [goals, indicators, actions, milestones, funding, updates]


def make(content: LupContent, fmt: str) -> bytes:
    """The file of ``fmt`` (one of :data:`FORMATS`)."""
    writers = {"pdf": lup_pdf, "docx": lup_docx, "xlsx": plan_xlsx}
    return writers[fmt](content)
