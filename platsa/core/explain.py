"""Sentences for recommendation reasons and import errors, in the reader's language.

The same function serves the web page, the PDF, the JSON (``why``) and the command line, so
the reasons read the same everywhere; only the translator differs (Django's ``gettext`` in
the app, the standard library's reading the same catalogue on the command line).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from platsa.core.frameworks import Framework
from platsa.core.importer import ImportIssue
from platsa.core.messages import IMPORT_ERRORS, REASONS, Translate, identity, label
from platsa.core.recommend import Reason
from platsa.core.reference import SOURCES


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
    return source.attribution if source else key


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
