"""Turn an import table (paper answers typed into the template) into validated answers.

All-or-nothing: every problem is collected with its spreadsheet row and column, and nothing
is returned unless the whole file is valid. Column by column rather than row by row, because
``platsa assess`` must read 100,000 respondents in well under two seconds.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from platsa.core.dataset import CommentEntry, GroupInfo, ResponseSet
from platsa.core.frameworks import Framework
from platsa.core.tabular import Table, TableError, column_letter, column_number, strip_controls

MAX_COMMENT_LENGTH = 2000
MAX_RESPONDENT_LENGTH = 64
MAX_REPORTED_ISSUES = 200
# What people write for "don't know" on paper; per the template an empty cell means it too.
DONT_KNOW_WORDS = {"", "?", "vet ej", "vet inte", "dont know", "don't know", "dk", "x"}


@dataclass(frozen=True)
class ImportIssue:
    """One problem: ``row`` is the spreadsheet row number (None for the whole file),
    ``column`` the heading; ``code`` an ``IMPORT_ERRORS`` key with ``params``."""

    code: str
    row: int | None = None
    column: str | None = None
    letter: str | None = None
    params: dict[str, Any] = field(default_factory=dict)


def table_issue(error: TableError) -> ImportIssue:
    """A file that could not be read, as an issue of the whole file: its message names the
    place itself ("Cell D5 …"), so it needs no row or column of its own."""
    return ImportIssue(error.code, params=dict(error.params))


# Parameters that differ from row to row for the same mistake: issues that differ only in
# these are one mistake to a person ("rows 2–49: already imported").
PER_ROW_PARAMS = frozenset({"value", "length", "other_row"})


@dataclass(frozen=True)
class IssueGroup:
    """Issues with the same code in the same column, and the same message apart from the
    per-row details (:data:`PER_ROW_PARAMS`): what a person fixes in one go."""

    code: str
    column: str | None
    letter: str | None
    issues: tuple[ImportIssue, ...]  # by row

    @property
    def rows(self) -> list[int]:
        """The spreadsheet rows, ascending, each once; empty for the whole file."""
        return sorted({i.row for i in self.issues if i.row is not None})

    @property
    def params(self) -> dict[str, Any]:
        return self.issues[0].params

    @property
    def uniform(self) -> bool:
        """Whether every issue has the same parameters, so one sentence says it all."""
        return all(i.params == self.params for i in self.issues)

    @property
    def values(self) -> list[str]:
        """The distinct values the issues are about, in row order."""
        found = (str(i.params["value"]) for i in self.issues if "value" in i.params)
        return list(dict.fromkeys(found))


def group_issues(issues: Iterable[ImportIssue]) -> list[IssueGroup]:
    """``issues`` sorted by row and column, with repeats of one mistake in one column
    collapsed into one :class:`IssueGroup`, placed where its first row is.

    A file uploaded twice, or one wrong column, otherwise gives a page of identical lines
    ("respondent X has already been imported", 48 times) in which the one different line
    is lost. Works for any issue list: the reader's, the validator's or the database's.
    """
    groups: dict[tuple[Any, ...], list[ImportIssue]] = {}
    for issue in sorted(issues, key=_issue_order):
        shared = sorted((k, repr(v)) for k, v in issue.params.items() if k not in PER_ROW_PARAMS)
        key = (issue.code, issue.column, issue.letter, tuple(shared))
        groups.setdefault(key, []).append(issue)
    return [IssueGroup(key[0], key[1], key[2], tuple(items)) for key, items in groups.items()]


def _issue_order(issue: ImportIssue) -> tuple[Any, ...]:
    """Whole-file problems first, then by row, then left to right as the sheet reads
    (issues that name a column but no letter after those that have one)."""
    try:
        column = column_number(issue.letter) if issue.letter else 1 << 20
    except ValueError:
        column = 1 << 20
    return (issue.row is not None, issue.row or 0, column, issue.column or "", issue.code)


class ImportValidationError(ValueError):
    def __init__(self, issues: list[ImportIssue], total: int | None = None) -> None:
        super().__init__(f"{total or len(issues)} problem(s) in the file")
        self.issues = issues
        self.total = total if total is not None else len(issues)


@dataclass
class ImportedResponses:
    """Validated rows, ready to store or score."""

    responses: ResponseSet
    respondents: list[str]  # the `respondent` column, "" when empty
    row_numbers: list[int]


def template_columns(framework: Framework, *, comments: bool = True) -> list[str]:
    """The import template's columns, in order."""
    columns = ["respondent", "group", "age_band", *framework.question_ids]
    columns += [f"priority_{i}" for i in range(1, framework.max_priorities + 1)]
    if comments:
        for theme in framework.themes:
            columns += [f"{c.id}_{theme.id}" for c in framework.comments]
    return columns


def _norm(text: str) -> str:
    """Case-, space- and dash-insensitive key for matching labels people type. The
    apostrophe that ``safe_cell`` puts before a label such as "=1+1" in the template's
    lists is not part of the label."""
    text = unicodedata.normalize("NFKC", text).casefold().strip()
    if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@"):
        text = text[1:]
    text = re.sub(r"[\u2010-\u2015]", "-", text)
    return re.sub(r"[\s_\-]+", " ", text)


def _label_map(pairs: list[tuple[str, list[str]]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, labels in pairs:
        for label in [key, *labels]:
            out.setdefault(_norm(label), key)
    return out


GroupResolver = Callable[[str], str | None]


class _Issues:
    def __init__(self) -> None:
        self.items: list[ImportIssue] = []
        self.total = 0

    def add(self, issue: ImportIssue) -> None:
        self.total += 1
        if len(self.items) < MAX_REPORTED_ISSUES:
            self.items.append(issue)

    def raise_if_any(self) -> None:
        if self.total:
            raise ImportValidationError(self.items, self.total)


def parse_table(
    table: Table,
    framework: Framework,
    *,
    groups: list[GroupInfo] | None = None,
    max_rows: int | None = None,
    language: str = "sv",
) -> ImportedResponses:
    """Validate ``table`` against ``framework``.

    With ``groups`` (the web app: a round's groups), a group cell must name one of them by
    key or label; without (the command line), every distinct label becomes a group, in order
    of first appearance.
    """
    issues = _Issues()
    header_keys = [h.strip().lower() for h in table.header]
    known = template_columns(framework)
    required = ["group", *framework.question_ids]
    positions: dict[str, int] = {}
    for index, key in enumerate(header_keys):
        name = table.header[index]
        letter = column_letter(index + 1)
        if not key:
            continue
        if key in positions:
            issues.add(ImportIssue("duplicate_column", 1, name, letter, {"column": name}))
        elif key not in known:
            hint = difflib.get_close_matches(key, known, n=1, cutoff=0.75)
            if hint:
                issues.add(
                    ImportIssue(
                        "unknown_column_hint",
                        1,
                        name,
                        letter,
                        {"column": name, "suggestion": hint[0]},
                    )
                )
            else:
                issues.add(ImportIssue("unknown_column", 1, name, letter, {"column": name}))
        else:
            positions[key] = index
    for key in required:
        if key not in positions:
            issues.add(ImportIssue("missing_column", 1, key, None, {"column": key}))
    issues.raise_if_any()

    width = len(table.header)
    rows: list[list[str]] = []
    row_numbers: list[int] = []
    for offset, row in enumerate(table.rows):
        if not any(row):
            continue  # blank lines are common at the end of a typed sheet
        number = table.first_row_number + offset
        if len(row) > width:
            if any(row[width:]):
                issues.add(ImportIssue("value_without_header", number))
            row = row[:width]
        elif len(row) < width:
            row = row + [""] * (width - len(row))
        rows.append(row)
        row_numbers.append(number)
    if not rows and not issues.total:
        issues.add(ImportIssue("no_rows"))
    if max_rows is not None and len(rows) > max_rows:
        issues.add(ImportIssue("too_many_rows", params={"limit": max_rows}))
    issues.raise_if_any()

    columns = list(zip(*rows, strict=True))
    letters = {key: column_letter(index + 1) for key, index in positions.items()}
    names = {key: table.header[index] for key, index in positions.items()}

    def column(key: str) -> tuple[str, ...] | None:
        return columns[positions[key]] if key in positions else None

    def issue(code: str, i: int, key: str, **params: Any) -> None:
        issues.add(ImportIssue(code, row_numbers[i], names[key], letters[key], params))

    n = len(rows)
    fw = framework

    def distinct(
        cells: tuple[str, ...], fn: Callable[[str], Any]
    ) -> tuple[list[Any], dict[str, Any]]:
        """Apply ``fn`` once per distinct (stripped) cell value: files repeat values a lot."""
        table = {c: fn(c.strip()) for c in set(cells)}
        return [table[c] for c in cells], table

    # --- ratings ------------------------------------------------------------------------
    lo, hi = fw.scale.min, fw.scale.max

    def rating(cell: str) -> tuple[float, bool, str | None]:
        """(value or NaN, is "don't know", error code)."""
        if fw.scale.dont_know and cell.casefold() in DONT_KNOW_WORDS:
            return np.nan, True, None
        if not cell:
            return np.nan, False, None
        try:
            number = float(cell.replace(",", "."))
        except ValueError:
            return np.nan, False, "rating_not_number"
        if not number.is_integer():
            return np.nan, False, "rating_not_number"
        if not lo <= number <= hi:
            return np.nan, False, "rating_out_of_range"
        return number, False, None

    values = np.full((n, len(fw.questions)), np.nan)
    dont_know = np.zeros((n, len(fw.questions)), dtype=bool)
    for q, qid in enumerate(fw.question_ids):
        cells = column(qid)
        assert cells is not None
        mapped, table = distinct(cells, rating)
        values[:, q] = [m[0] for m in mapped]
        dont_know[:, q] = [m[1] for m in mapped]
        if any(m[2] for m in table.values()):
            for i, m in enumerate(mapped):
                if m[2]:
                    issue(m[2], i, qid, value=cells[i].strip(), min=lo, max=hi)

    # --- groups -------------------------------------------------------------------------
    group_cells = column("group") or ("",) * n
    if groups is not None:
        resolve = _label_map([(g.key, [g.label, *g.aliases]) for g in groups])
        order = {g.key: i for i, g in enumerate(groups)}
        choices = ", ".join(g.label for g in groups)
        out_groups = list(groups)

        def group_of(cell: str) -> int:
            if not cell:
                return -1
            key = resolve.get(_norm(cell))
            return -2 if key is None else order[key]

    else:
        # Free text: every distinct label is a group, in order of first appearance.
        labels = [c for c in dict.fromkeys(c.strip() for c in group_cells) if c]
        out_groups = [GroupInfo(key=label, label=label, side=None) for label in labels]
        position = {label: i for i, label in enumerate(labels)}

        def group_of(cell: str) -> int:
            return position[cell] if cell else -1

    mapped, table = distinct(group_cells, group_of)
    group_index = np.array(mapped, dtype=np.int64)
    if -2 in table.values():
        for i in np.flatnonzero(group_index == -2):
            issue("unknown_group", int(i), "group", value=group_cells[i].strip(), choices=choices)

    # --- age bands ----------------------------------------------------------------------
    age_cells = column("age_band")
    age_index = np.full(n, -1, dtype=np.int64)
    if age_cells is not None:
        band_map = _label_map(
            [(a.id, [a.label.sv, a.label.en, a.id.replace("_", "-")]) for a in fw.age_bands]
        )
        band_order = {a.id: i for i, a in enumerate(fw.age_bands)}
        band_choices = ", ".join(a.label.get(language) for a in fw.age_bands)

        def band_of(cell: str) -> int:
            if not cell:
                return -1
            key = band_map.get(_norm(cell))
            return -2 if key is None else band_order[key]

        mapped, table = distinct(age_cells, band_of)
        age_index = np.array(mapped, dtype=np.int64)
        for i in np.flatnonzero(age_index == -2):
            issue(
                "unknown_age_band",
                int(i),
                "age_band",
                value=age_cells[i].strip(),
                choices=band_choices,
            )

    # --- priorities ---------------------------------------------------------------------
    theme_map = _label_map([(t.id, [t.title.sv, t.title.en]) for t in fw.themes])
    theme_order = {t: i for i, t in enumerate(fw.theme_ids)}

    def theme_of(cell: str) -> int:
        if not cell:
            return -1
        theme_id = theme_map.get(_norm(cell))
        return -2 if theme_id is None else theme_order[theme_id]

    priorities = np.zeros((n, len(fw.themes)), dtype=bool)
    picked: list[np.ndarray] = []
    for p in range(1, fw.max_priorities + 1):
        key = f"priority_{p}"
        cells = column(key)
        if cells is None:
            continue
        mapped, table = distinct(cells, theme_of)
        index = np.array(mapped, dtype=np.int64)
        for i in np.flatnonzero(index == -2):
            issue("unknown_theme", int(i), key, value=cells[i].strip(), example=fw.theme_ids[0])
        for earlier in picked:
            for i in np.flatnonzero((index >= 0) & (index == earlier)):
                issue("duplicate_priority", int(i), key, value=cells[i].strip())
        picked.append(index)
        rows_with = np.flatnonzero(index >= 0)
        priorities[rows_with, index[rows_with]] = True

    # --- comments -----------------------------------------------------------------------
    comments: list[CommentEntry] = []
    for theme in fw.themes:
        for spec in fw.comments:
            key = f"{spec.id}_{theme.id}"
            cells = column(key)
            if cells is None or not any(cells):
                continue
            for i, cell in enumerate(cells):
                if not cell or cell.isspace():
                    continue
                text = clean_text(cell)
                if len(text) > MAX_COMMENT_LENGTH:
                    issue("comment_too_long", i, key, length=len(text), limit=MAX_COMMENT_LENGTH)
                elif text:
                    comments.append(CommentEntry(i, theme.id, spec.id, text))

    # --- respondent ids -----------------------------------------------------------------
    respondent_cells = [c.strip() for c in column("respondent") or ("",) * n]
    for i, cell in enumerate(respondent_cells):
        if len(cell) > MAX_RESPONDENT_LENGTH:
            issue(
                "respondent_too_long",
                i,
                "respondent",
                length=len(cell),
                limit=MAX_RESPONDENT_LENGTH,
            )
    filled = [c for c in respondent_cells if c]
    if len(set(filled)) != len(filled):
        first_seen: dict[str, int] = {}
        for i, cell in enumerate(respondent_cells):
            if cell and cell in first_seen:
                issue(
                    "duplicate_respondent",
                    i,
                    "respondent",
                    value=cell,
                    other_row=row_numbers[first_seen[cell]],
                )
            elif cell:
                first_seen[cell] = i

    issues.raise_if_any()
    response_set = ResponseSet(
        framework=fw,
        values=values,
        dont_know=dont_know,
        group=group_index,
        groups=out_groups,
        priorities=priorities,
        age_band=age_index,
        comments=comments,
    )
    return ImportedResponses(
        responses=response_set,
        respondents=respondent_cells,
        row_numbers=row_numbers,
    )


# Bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): a
# right-to-left override turns "gpj.exe" into what looks like "exe.jpg" and makes a
# comment read differently from what it says (the "Trojan Source" trick). Nobody needs
# them to write a comment; the plain direction marks (U+200E, U+200F) stay for Arabic or
# Persian text written by newcomers.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def clean_text(text: str) -> str:
    """Respondents' text as plain text: no control characters, no bidirectional overrides,
    normalised, trimmed. HTML is kept as typed and escaped wherever it is shown (never
    rendered). (The reader removes control characters already; tables built in code and
    the survey form pass through here too.)"""
    text = _BIDI_CONTROLS.sub("", strip_controls(unicodedata.normalize("NFC", text))).strip()
    # Nothing but zero-width characters is an empty text (it landed in moderation as a
    # comment that looks empty).
    return text if text.strip("\u200b\u200c\u200d\u2060\ufeff \t\r\n") else ""
