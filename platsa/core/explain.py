"""Sentences for recommendation reasons and import errors, in the reader's language.

The same function serves the web page, the PDF, the JSON (``why``) and the command line, so
the reasons read the same everywhere; only the translator differs (Django's ``gettext`` in
the app, the standard library's reading the same catalogue on the command line).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from platsa.core.frameworks import Framework
from platsa.core.importer import ImportIssue, IssueGroup, group_issues
from platsa.core.messages import IMPORT_ERRORS, REASONS, Translate, gettext_noop, identity, label
from platsa.core.recommend import Reason
from platsa.core.reference import SOURCES
from platsa.core.scoring import ThemeChange


def number(value: float | int | None, language: str, decimals: int = 1) -> str:
    """A number as a Swede or an English reader writes it (decimal comma in Swedish)."""
    if value is None:
        return "–"
    if isinstance(value, int) or (float(value).is_integer() and decimals == 0):
        return f"{int(value):,}".replace(",", "\u00a0" if language.startswith("sv") else ",")
    text = f"{value:.{decimals}f}"
    return text.replace(".", ",") if language.startswith("sv") else text


def _source_name(key: str, _: Translate) -> str:
    if key == "organiser":
        return _("given by the organiser")
    source = SOURCES.get(key)
    return source.credit(_) if source else key


def describe_reason(
    reason: Reason,
    framework: Framework,
    *,
    language: str = "sv",
    _: Translate = identity,
    group_labels: Mapping[str, str] | None = None,
) -> str:
    """One reason as a sentence."""
    group_labels = group_labels or {}
    v: dict[str, Any] = dict(reason.values)
    theme = framework.theme(reason.theme).title.get(language) if reason.theme else ""
    num = lambda x, d=1: number(x, language, d)  # noqa: E731 - a local shorthand
    if reason.kind == "theme_need":
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
    if reason.kind == "no_data":
        return _(REASONS["no_data"]).format(
            theme=theme, dont_know=num(100 * v["dont_know_share"], 0)
        )
    if reason.kind == "group_gap":
        return _(REASONS["group_gap"]).format(
            theme=theme,
            high_group=group_labels.get(v["high_group"], v["high_group"]),
            high_score=num(v["high_score"]),
            low_group=group_labels.get(v["low_group"], v["low_group"]),
            low_score=num(v["low_score"]),
        )
    if reason.kind == "context":
        key = f"context_{v['tag']}"
        value = v.get("value")
        if v.get("fact") == "remoteness" and isinstance(value, str):
            value = label(f"remoteness:{value}", _)
        elif isinstance(value, float):
            value = num(value)
        return _(REASONS[key]).format(
            area=v.get("area", ""),
            value=value,
            period=v.get("period", ""),
            compare=num(v.get("compare")),
            source=_source_name(v.get("source", ""), _),
        )
    if reason.kind in ("precondition_unverified", "precondition_failed"):
        what = v["what"]
        prefix = "size_class" if what == "size_class" else "remoteness"
        allowed = ", ".join(label(f"{prefix}:{a}", _) for a in v.get("allowed", []))
        actual = label(f"{prefix}:{v['actual']}", _) if "actual" in v else ""
        return _(REASONS[f"{reason.kind}_{what}"]).format(allowed=allowed, actual=actual)
    if reason.kind in ("quick_win", "long_term"):
        return _(REASONS[reason.kind])
    if reason.kind == "covers_new_theme":
        return _(REASONS["covers_new_theme"]).format(theme=theme)
    return reason.kind


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
