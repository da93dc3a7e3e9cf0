"""Sentences for recommendation reasons and import errors, in the reader's language.

The same function serves the web page, the PDF, the JSON (``why``) and the command line, so
the reasons read the same everywhere; only the translator differs (Django's ``gettext`` in
the app, the standard library's reading the same catalogue on the command line).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from platsa.core.analysis.recommend import (
    Notice,
    NoticeCode,
    Reason,
    ReasonKind,
    Recommendation,
    RecommendationSet,
)
from platsa.core.analysis.scoring import Results, ThemeChange
from platsa.core.io.importer import ImportIssue, IssueGroup, group_issues
from platsa.core.io.reference import SOURCES
from platsa.core.render.messages import (
    COSTS,
    IMPORT_ERRORS,
    LABELS,
    NOTICES,
    REASONS,
    SIZES,
    SUMMARY,
    Translate,
    gettext_noop,
    identity,
    label,
)
from platsa.core.schema.catalogue import COST_BAND_LIMITS, CURRENCY, Country
from platsa.core.schema.frameworks import Framework


def number(value: float | int | None, language: str, decimals: int = 1) -> str:
    """A number as a Swede or an English reader writes it (decimal comma in Swedish)."""
    if value is None:
        return "–"
    if isinstance(value, int) or (float(value).is_integer() and decimals == 0):
        return f"{int(value):,}".replace(",", "\u00a0" if language.startswith("sv") else ",")
    text = f"{value:.{decimals}f}"
    return text.replace(".", ",") if language.startswith("sv") else text


def density(value: float, language: str) -> str:
    """Inhabitants per km² as written: whole from 100 (3 097 in Helsinki), one decimal
    below (0,3 in the fells)."""
    return number(round(value), language) if value >= 100 else number(value, language)


def _source_name(key: str, _: Translate) -> str:
    if key == "organiser":
        return _("given by the organiser")
    source = SOURCES.get(key)
    return source.credit(_) if source else key


def _publisher(key: str) -> str:
    """Who published a figure, for a sentence that credits the data ("SCB", "SKR")."""
    source = SOURCES.get(key)
    return source.publisher if source else key


def group_name(
    key: str,
    framework: Framework,
    language: str = "sv",
    group_labels: Mapping[str, str] | None = None,
) -> str:
    """A group as people call it, never its id: the round's own label, else the framework's
    label for a known id (``industry_management`` from a template file), else the key itself
    (a free-text group from a file is named by what was written)."""
    if group_labels and group_labels.get(key):
        return group_labels[key]
    spec = next((g for g in framework.groups if g.id == key), None)
    return spec.label.get(language) if spec is not None else key


def join_words(words: Sequence[str], _: Translate = identity) -> str:
    """``a, b and c``: a list as a sentence says it."""
    words = [w for w in words if w]
    if len(words) <= 1:
        return "".join(words)
    conjunction = _(SUMMARY["and"]).format(first="", last="").strip()
    template = SUMMARY["and"]
    if any(f" {conjunction} " in f" {w} " for w in words):
        template = SUMMARY["as_well_as"]  # "Resor och kommunikationer samt Bostäder"
    return _(template).format(first=", ".join(words[:-1]), last=words[-1])


def _amount(value: int, language: str, _: Translate) -> str:
    if value == 1_000_000:
        return _(COSTS["one_million"])
    if value >= 1_000_000:
        return _(COSTS["million"]).format(n=number(value // 1_000_000, language, 0))
    return number(value, language, 0)


def cost_label(
    band: str, currency: str = "SEK", language: str = "sv", _: Translate = identity
) -> str:
    """A cost band in the place's own money (``COST_BAND_LIMITS``): "Under 10 000 EUR"."""
    limits = COST_BAND_LIMITS.get(currency, COST_BAND_LIMITS["SEK"])
    if band not in limits:
        return label(f"cost_band:{band}", _)
    lower, upper = limits[band]
    if lower == 0 and upper is not None:
        return _(COSTS["under"]).format(upper=_amount(upper, language, _), currency=currency)
    if upper is None:
        return _(COSTS["over"]).format(lower=_amount(lower, language, _), currency=currency)
    if lower >= 1_000_000:
        return _(COSTS["between_millions"]).format(
            lower=number(lower // 1_000_000, language, 0),
            upper=number(upper // 1_000_000, language, 0),
            currency=currency,
        )
    return _(COSTS["between"]).format(
        lower=_amount(lower, language, _), upper=_amount(upper, language, _), currency=currency
    )


def currency_for(country: str | None) -> str:
    """The currency costs are shown in: the place's country's, SEK when unknown."""
    try:
        return CURRENCY[Country(str(country))] if country else "SEK"
    except ValueError:
        return "SEK"


# Inhabitants per size class (lower bound, upper bound; None = open), as in
# platsa.core.analysis.context.size_class_for.
SIZE_BOUNDS: dict[str, tuple[int, int | None]] = {
    "village": (0, 1_000),
    "small_town": (1_000, 10_000),
    "town": (10_000, 50_000),
    "city": (50_000, None),
}


def size_phrase(allowed: Sequence[str], language: str = "sv", _: Translate = identity) -> str:
    """Allowed size classes as inhabitants: ``[village, small_town]`` -> "fewer than 10,000
    inhabitants"; classes that are not next to each other are named one by one."""
    order = list(SIZE_BOUNDS)
    known = sorted((a for a in allowed if a in SIZE_BOUNDS), key=order.index)
    if not known:
        return ""
    positions = [order.index(a) for a in known]
    if positions != list(range(positions[0], positions[-1] + 1)):
        return join_words([label(f"size_class:{a}", _) for a in known], _)
    lower, upper = SIZE_BOUNDS[known[0]][0], SIZE_BOUNDS[known[-1]][1]
    if lower == 0 and upper is not None:
        return _(SIZES["below"]).format(upper=number(upper, language, 0))
    if upper is None:
        return _(SIZES["from"]).format(lower=number(lower, language, 0))
    return _(SIZES["between"]).format(
        lower=number(lower, language, 0), upper=number(upper - 1, language, 0)
    )


def _allowed(what: str, allowed: Sequence[str], _: Translate) -> str:
    prefix = {"size_class": "size_class", "trend": "trend", "country": "country"}.get(
        what, "remoteness"
    )
    return join_words([label(f"{prefix}:{a}", _) for a in allowed], _)


def _question(framework: Framework, kind: str, language: str) -> str:
    spec = next((c for c in framework.comments if c.id == kind), None)
    return spec.prompt.get(language) if spec is not None else kind


def describe_reason(
    reason: Reason,
    framework: Framework,
    *,
    language: str = "sv",
    _: Translate = identity,
    group_labels: Mapping[str, str] | None = None,
) -> str:
    """One reason as a sentence. Groups are named by their labels (:func:`group_name`),
    never by id; kinds the engine no longer makes give an empty text."""
    v: dict[str, Any] = dict(reason.values)
    theme = framework.theme(reason.theme).title.get(language) if reason.theme else ""

    def num(value: float | int | None, decimals: int = 1) -> str:
        return number(value, language, decimals)

    def name(key: str) -> str:
        return group_name(key, framework, language, group_labels)

    kind = reason.kind
    if kind == ReasonKind.THEME_NEED:
        share = v.get("priority_share") or 0
        priority = ""
        if share > 0:
            priority = _(REASONS["theme_need_priority"]).format(share=num(100 * share, 0))
        return _(REASONS["theme_need"]).format(
            theme=theme,
            score=num(v["score"]),
            scale_max=v["scale_max"],
            low=num(v["low"]),
            high=num(v["high"]),
            n=v["n"],
            priority=priority,
        )
    if kind == ReasonKind.GROUP_GAP:
        return _(REASONS["group_gap"]).format(
            theme=theme,
            high_group=name(v["high_group"]),
            high_score=num(v["high_score"]),
            low_group=name(v["low_group"]),
            low_score=num(v["low_score"]),
        )
    if kind == ReasonKind.COMMENT_MATCH:
        matches = int(v.get("matches") or 1)
        template = REASONS["comment_match_many" if matches > 1 else "comment_match"]
        return _(template).format(
            quote=v.get("quote", ""),
            question=_question(framework, v.get("comment_kind", ""), language),
            theme=theme,
            matches=matches,
        )
    if kind == ReasonKind.CONTEXT:
        return _describe_context(v, language, _)
    if kind in (ReasonKind.PRECONDITION_UNKNOWN, ReasonKind.PRECONDITION_UNVERIFIED):
        what = "large_employer" if v["what"] == "industry_employer" else v["what"]
        allowed = v.get("allowed", [])
        if what == "size_class":
            text = size_phrase(allowed, language, _)
        else:
            text = _allowed(what, allowed, _)
        return _(REASONS[f"precondition_unknown_{what}"]).format(allowed=text)
    if kind == ReasonKind.PRECONDITION_FAILED:
        what = "large_employer" if v["what"] == "industry_employer" else v["what"]
        actual = ""
        if "actual" in v:
            actual = _allowed(what, [v["actual"]], _)
        return _(REASONS[f"precondition_failed_{what}"]).format(
            allowed=_allowed(what, v.get("allowed", []), _), actual=actual
        )
    if kind in (ReasonKind.QUICK_WIN, ReasonKind.LONG_TERM):
        return _(REASONS[kind])
    return ""


def _describe_context(v: dict[str, Any], language: str, _: Translate) -> str:
    """An open-data fact that fits the action. A rule of Platsa's own ("rural" from SKR's
    groups or from density) is said to be Platsa's, and only the data are credited."""
    tag = v["tag"]
    value = v.get("value")
    if tag == "remote":
        if v.get("source") == "skr_groups":
            return _(REASONS["context_remote_skr"]).format(area=v.get("area", ""))
        return _(REASONS["context_remote_density"]).format(
            area=v.get("area", ""), source=_publisher(v.get("source", ""))
        )
    if tag == "national_instrument":
        return _(REASONS["context_national_instrument"]).format(
            country=label(f"country:{v.get('country', '')}", _)
        )
    template = REASONS.get(f"context_{tag}")
    if template is None:
        return ""  # a tag this version has no sentence for: said nowhere rather than wrongly
    if isinstance(value, float):
        value = number(value, language)
    return _(template).format(
        area=v.get("area", ""),
        value=value,
        period=v.get("period", ""),
        compare=number(v.get("compare"), language),
        source=_source_name(v.get("source", ""), _),
    )


def describe_notice(
    notice: Notice,
    framework: Framework,
    language: str = "sv",
    _: Translate = identity,
    group_labels: Mapping[str, str] | None = None,
) -> str:
    """A guardrail as a sentence, the same on the page, in the report, the workbook and the
    JSON. A ``small_group`` notice names its groups by label; pass it with ``groups`` emptied
    where naming them is not allowed (the public page does not name hidden groups)."""
    v = dict(notice.values)
    if notice.code == NoticeCode.FEW_RESPONDENTS:
        return _(NOTICES["few_respondents"]).format(
            respondents=number(int(v.get("respondents", 0)), language),
            minimum=v.get("minimum", 30),
        )
    if notice.code in (NoticeCode.ALL_STRONG, NoticeCode.NO_CLEAR_NEED):
        return _(NOTICES[notice.code]).format(
            threshold=number(v.get("threshold"), language), scale_max=framework.scale.max
        )
    if notice.code == NoticeCode.SMALL_GROUP:
        groups = [group_name(g, framework, language, group_labels) for g in v.get("groups", [])]
        if not groups:
            return _(NOTICES["small_group_unnamed"]).format(minimum=v.get("minimum", 10))
        return _(NOTICES["small_group"]).format(
            minimum=v.get("minimum", 10), groups=join_words(groups, _)
        )
    template = NOTICES.get(notice.code)
    return _(template).format(**v) if template else notice.code


MAX_VISIBLE_REASONS = 3  # reasons shown per action; the rest behind "more"
SUMMARY_THEMES = 3  # weakest themes in the summary
SUMMARY_ACTIONS = 5  # actions in the summary


@dataclass(frozen=True)
class ActionReasons:
    """What one action's card says: the strongest reasons (at most
    :data:`MAX_VISIBLE_REASONS`), the rest for a "more" fold, and short tags ("Quick win",
    "To check: the place's size") for what would otherwise repeat as a sentence."""

    shown: tuple[str, ...]
    more: tuple[str, ...]
    tags: tuple[str, ...]


def _reason_key(reason: Reason) -> tuple[Any, ...]:
    """What a reason is about: a second reason with the same key says the same thing again
    (the same theme's score, the same gap, the same fact, the same thing to check)."""
    v = reason.values
    if reason.kind in (ReasonKind.THEME_NEED, ReasonKind.GROUP_GAP):
        return (reason.kind, reason.theme)
    if reason.kind == ReasonKind.CONTEXT:
        return ("context", v.get("tag"))
    if reason.kind in (ReasonKind.PRECONDITION_UNKNOWN, ReasonKind.PRECONDITION_UNVERIFIED):
        return ("precondition_unknown", v.get("what"), tuple(v.get("allowed", ())))
    if reason.kind == ReasonKind.COMMENT_MATCH:
        return ("comment_match", v.get("quote"))
    return (reason.kind, reason.theme, tuple(sorted((k, str(x)) for k, x in v.items())))


def explain_list(
    recommendations: Iterable[Recommendation],
    framework: Framework,
    *,
    language: str = "sv",
    _: Translate = identity,
    group_labels: Mapping[str, str] | None = None,
    keep: Callable[[Reason], bool] | None = None,
    visible: int = MAX_VISIBLE_REASONS,
) -> list[ActionReasons]:
    """The reasons of a list of actions as one reader meets them, top to bottom.

    A sentence is written out once: on the first (highest-ranked) action that gives it. A
    later action that cites the same theme, gap or fact does not repeat it (its card names
    its themes with their scores, which is the short reference), a repeated "to check" becomes
    a tag, and "quick win" / "long-term" are always tags. ``keep`` leaves out reasons the
    reader may not see (figures the disclosure rules hide)."""
    seen_keys: set[tuple[Any, ...]] = set()
    seen_texts: set[str] = set()
    out: list[ActionReasons] = []
    for rec in recommendations:
        sentences: list[str] = []
        tags: list[str] = []
        for reason in rec.reasons:
            if keep is not None and not keep(reason):
                continue
            if reason.kind in (ReasonKind.QUICK_WIN, ReasonKind.LONG_TERM):
                tags.append(label(f"tag:{reason.kind}", _))
                continue
            key = _reason_key(reason)
            if key in seen_keys:
                if key == ("context", "national_instrument"):
                    tags.append(label("tag:national_instrument", _))
                if key[0] == "precondition_unknown":
                    what = "large_employer" if key[1] == "industry_employer" else key[1]
                    tags.append(_(LABELS["tag:check"]).format(what=label(f"check:{what}", _)))
                continue
            text = describe_reason(
                reason, framework, language=language, _=_, group_labels=group_labels
            )
            if not text or text in seen_texts:
                continue
            seen_keys.add(key)
            seen_texts.add(text)
            sentences.append(text)
        out.append(
            ActionReasons(
                tuple(sentences[:visible]),
                tuple(sentences[visible:]),
                tuple(dict.fromkeys(tags)),
            )
        )
    return out


@dataclass(frozen=True)
class SummaryItem:
    """One line of the summary. ``key`` is what it is about (a theme id, an action id, a
    notice code); ``text`` the whole line; ``title`` and ``detail`` its two parts, for a page
    that sets the title in bold."""

    key: str
    text: str
    title: str = ""
    detail: str = ""


@dataclass(frozen=True)
class Summary:
    """The summary a board reads first: the guardrails, the weakest themes, the biggest
    disagreement and the first actions, each one line."""

    notices: tuple[SummaryItem, ...]
    weakest: tuple[SummaryItem, ...]
    disagreement: SummaryItem | None
    actions: tuple[SummaryItem, ...]
    all_strong: bool = False

    def as_dict(self) -> dict[str, Any]:
        def line(item: SummaryItem) -> dict[str, str]:
            return {"key": item.key, "text": item.text}

        return {
            "weakest_themes": [line(i) for i in self.weakest],
            "disagreement": line(self.disagreement) if self.disagreement else None,
            "actions": [line(i) for i in self.actions],
        }


def summarise(
    results: Results,
    recs: RecommendationSet,
    framework: Framework,
    *,
    language: str = "sv",
    _: Translate = identity,
    group_labels: Mapping[str, str] | None = None,
    currency: str = "SEK",
    shows_theme: Callable[[str], bool] | None = None,
    shows_cell: Callable[[str, str], bool] | None = None,
    shows_group: Callable[[str], bool] | None = None,
) -> Summary:
    """The summary, from what the reader may see: ``shows_theme`` / ``shows_cell`` /
    ``shows_group`` are the disclosure rules (everything when not given)."""
    theme_ok = shows_theme or (lambda t: True)
    cell_ok = shows_cell or (lambda t, g: True)

    def title(theme_id: str) -> str:
        return framework.theme(theme_id).title.get(language)

    notices = tuple(
        SummaryItem(
            n.code,
            describe_notice(visible_notice(n, shows_group), framework, language, _, group_labels),
        )
        for n in recs.notices
    )
    rated = sorted(
        (t for t in results.themes if t.score is not None and theme_ok(t.theme_id)),
        key=lambda t: (t.score, t.theme_id),
    )
    weakest = []
    for t in rated[:SUMMARY_THEMES]:
        priority = ""
        if t.priority_share > 0:
            priority = _(SUMMARY["weak_theme_priority"]).format(
                share=number(100 * t.priority_share, language, 0)
            )
        text = _(SUMMARY["weak_theme"]).format(
            theme=title(t.theme_id),
            score=number(t.score, language),
            scale_max=results.scale_max,
            priority=priority,
        )
        weakest.append(SummaryItem(t.theme_id, text, title(t.theme_id), text))
    disagreement = None
    for gap in results.gaps:
        if cell_ok(gap.theme_id, gap.high_group) and cell_ok(gap.theme_id, gap.low_group):
            text = _(SUMMARY["disagreement"]).format(
                theme=title(gap.theme_id),
                high_group=group_name(gap.high_group, framework, language, group_labels),
                high_score=number(gap.high_score, language),
                low_group=group_name(gap.low_group, framework, language, group_labels),
                low_score=number(gap.low_score, language),
            )
            disagreement = SummaryItem(gap.theme_id, text, title(gap.theme_id), text)
            break
    actions = []
    for rec in recs.portfolio[:SUMMARY_ACTIONS]:
        action = rec.action
        themes = _summary_themes(rec)
        detail = " · ".join(
            [
                _(SUMMARY["for"]).format(themes=join_words([title(t) for t in themes], _)),
                label(f"horizon:{action.horizon.value}", _),
                cost_label(action.cost_band.value, currency, language, _),
            ]
        )
        name = action.title.get(language)
        text = _(SUMMARY["action"]).format(
            title=name,
            themes=join_words([title(t) for t in themes], _),
            horizon=label(f"horizon:{action.horizon.value}", _),
            cost=cost_label(action.cost_band.value, currency, language, _),
        )
        actions.append(SummaryItem(action.id, text, name, detail))
    return Summary(
        notices,
        tuple(weakest),
        disagreement,
        tuple(actions),
        all_strong=any(n.code == NoticeCode.ALL_STRONG for n in recs.notices),
    )


def _summary_themes(rec: Recommendation) -> list[str]:
    """The one or two themes an action is for: the weak theme it holds its place for, then
    the other weak themes it cites, else its strongest themes."""
    themes: list[str] = []
    held: str | None = getattr(rec, "theme", None)  # absent in results kept by older versions
    if held:
        themes.append(held)
    themes += [r.theme for r in rec.reasons if r.kind == ReasonKind.THEME_NEED and r.theme]
    if not themes:
        themes = sorted(rec.action.themes, key=lambda t: (-rec.action.themes[t], t))
    return list(dict.fromkeys(themes))[:2]


def visible_notice(notice: Notice, shows_group: Callable[[str], bool] | None) -> Notice:
    """A notice as a reader may see it: a ``small_group`` notice names only the groups the
    disclosure rules show (the others are said without a name)."""
    if notice.code != NoticeCode.SMALL_GROUP or shows_group is None:
        return notice
    groups = [g for g in notice.values.get("groups", []) if shows_group(g)]
    return Notice(notice.code, {**notice.values, "groups": groups})


# Change since the previous round, in words a reader without statistics follows. "Clear"
# stands for Welch's t test at the 5 % level; the page explains that once, in a note.
CHANGES: dict[str, str] = {
    "better": gettext_noop(
        "{theme}: {before} → {after}, better since {round}. "
        "The difference is clear (probably not chance)."
    ),
    "worse": gettext_noop(
        "{theme}: {before} → {after}, worse since {round}. "
        "The difference is clear (probably not chance)."
    ),
    "same": gettext_noop("{theme}: about the same as last time ({before} → {after})."),
}


@dataclass(frozen=True)
class ChangeLine:
    """One theme's change as a sentence, with its direction for styling ("better", "worse"
    or "same": a difference that may be chance counts as the same)."""

    theme_id: str
    direction: str
    text: str


def describe_changes(
    changes: Iterable[ThemeChange],
    titles: Mapping[str, str],
    *,
    previous: str,
    language: str = "sv",
    _: Translate = identity,
) -> list[ChangeLine]:
    """Each comparable theme's change as a sentence, the biggest clear changes first.

    Readers look for what moved, so clear changes come first, largest first; the changes
    that may be chance follow ("about the same", with both scores, so the reader still sees
    the difference), also largest first. Themes without a score in either round are left
    out: there is nothing to compare. Pass only the changes the reader may see."""
    comparable = [c for c in changes if None not in (c.change, c.before, c.after)]
    comparable.sort(
        key=lambda c: (not (c.significant and c.change), -abs(c.change or 0), titles[c.theme_id])
    )
    lines = []
    for c in comparable:
        if c.before is None or c.after is None:
            continue  # left out above; said again for the type checker
        change = c.change or 0.0
        direction = "same"
        if c.significant and change > 0:
            direction = "better"
        elif c.significant and change < 0:
            direction = "worse"
        text = _(CHANGES[direction]).format(
            theme=titles[c.theme_id],
            before=number(float(c.before), language),
            after=number(float(c.after), language),
            round=previous,
        )
        lines.append(ChangeLine(c.theme_id, direction, text))
    return lines


def describe_issue(issue: ImportIssue, *, _: Translate = identity) -> str:
    """One import problem as a sentence, without its location."""
    template = IMPORT_ERRORS.get(issue.code, issue.code)
    return _(template).format(**issue.params)


def locate_issue(issue: ImportIssue, *, _: Translate = identity) -> str:
    """Where the problem is, as a spreadsheet user looks for it: "Row 4, column D (housing)"."""
    if issue.row is None:
        return ""
    if issue.column and issue.letter:
        return _("Row {row}, column {letter} ({column})").format(
            row=issue.row, letter=issue.letter, column=issue.column
        )
    if issue.column:
        return _("Row {row}, column {column}").format(row=issue.row, column=issue.column)
    return _("Row {row}").format(row=issue.row)


MAX_LISTED_VALUES = 10  # values named in one collapsed line; the rest are "…"
MAX_LISTED_RANGES = 12  # row ranges named in one location; the rest are "…"


@dataclass(frozen=True)
class Problem:
    """One line of an import's problem list: where (may be empty) and what, translated."""

    where: str
    what: str


def explain_issues(
    issues: Iterable[ImportIssue], *, total: int | None = None, _: Translate = identity
) -> list[Problem]:
    """The problem list a person reads: sorted by row and column, one line per mistake
    however many rows repeat it (:func:`group_issues`), and a last line for the problems
    not listed when ``total`` (all that were found) is more than ``issues``."""
    issues = list(issues)
    problems = [Problem(locate_group(g, _=_), describe_group(g, _=_)) for g in group_issues(issues)]
    if total is not None and total > len(issues):
        more = _(IMPORT_ERRORS["more_errors"]).format(count=total - len(issues))
        problems.append(Problem("", more))
    return problems


def describe_group(group: IssueGroup, *, _: Translate = identity) -> str:
    """A group of issues as one sentence: the issue's own when every row says the same,
    else its ``<code>_many`` sentence naming the different values written."""
    template = IMPORT_ERRORS.get(f"{group.code}_many")
    if group.uniform or template is None:
        return describe_issue(group.issues[0], _=_)
    values = group.values
    listed = ", ".join(values[:MAX_LISTED_VALUES])
    if len(values) > MAX_LISTED_VALUES:
        listed += ", …"
    return _(template).format(**{**group.params, "values": listed})


def locate_group(group: IssueGroup, *, _: Translate = identity) -> str:
    """Where a group is: "Rows 2–49, column A (respondent)"; like :func:`locate_issue` for
    one row."""
    rows = group.rows
    if len(rows) <= 1:
        return locate_issue(group.issues[0], _=_)
    ranges = row_ranges(rows)
    if group.column and group.letter:
        return _("Rows {rows}, column {letter} ({column})").format(
            rows=ranges, letter=group.letter, column=group.column
        )
    if group.column:
        return _("Rows {rows}, column {column}").format(rows=ranges, column=group.column)
    return _("Rows {rows}").format(rows=ranges)


def row_ranges(rows: Iterable[int]) -> str:
    """Row numbers as ranges, the way people write them: 2–5, 8, 10–12."""
    spans: list[list[int]] = []
    for row in sorted(set(rows)):
        if spans and row == spans[-1][1] + 1:
            spans[-1][1] = row
        else:
            spans.append([row, row])
    parts = [f"{a}–{b}" if a != b else str(a) for a, b in spans[:MAX_LISTED_RANGES]]
    if len(spans) > MAX_LISTED_RANGES:
        parts.append("…")
    return ", ".join(parts)
