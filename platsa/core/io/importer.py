"""Turn an import table (paper answers typed into the template) into validated answers.

All-or-nothing: every problem is collected with its spreadsheet row and column, and nothing
is returned unless the whole file is valid. Column by column rather than row by row, because
``platsa assess`` must read 100,000 respondents in little more than the csv module
takes to split the file into cells: from most CSV files (:func:`read_responses`) the cells
are even taken from the file's bytes by column (``tabular.csv_columns``), with the same
checks and messages as from a table of rows.
"""

from __future__ import annotations

import difflib
import itertools
import operator
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from platsa.core.io.tabular import (
    DEFAULT_LIMITS,
    Table,
    TableError,
    TableErrorCode,
    TableLimits,
    column_letter,
    column_number,
    read_table,
    strip_controls,
)
from platsa.core.io.tabular.csv_columns import CsvColumns, read_csv_columns
from platsa.core.schema.dataset import CommentEntry, GroupInfo, ResponseSet
from platsa.core.schema.frameworks import Framework

MAX_COMMENT_LENGTH = 2000
MAX_RESPONDENT_LENGTH = 64
MAX_REPORTED_ISSUES = 200
# What people write for "don't know" on paper; per the template an empty cell means it too.
DONT_KNOW_WORDS = {"", "?", "vet ej", "vet inte", "dont know", "don't know", "dk", "x"}


class ImportErrorCode(StrEnum):
    """What is wrong with a file that could be read. Each is an ``IMPORT_ERRORS`` key (in
    ``platsa.core.render.messages``) whose message says it, with the issue's ``params``;
    the values are stored in the results of import jobs, so they never change."""

    TOO_MANY_ROWS = "too_many_rows"  # {limit}
    NO_ROWS = "no_rows"
    MISSING_COLUMN = "missing_column"  # {column}
    UNKNOWN_COLUMN = "unknown_column"  # {column}
    UNKNOWN_COLUMN_HINT = "unknown_column_hint"  # {column}, {suggestion}
    DUPLICATE_COLUMN = "duplicate_column"  # {column}
    VALUE_WITHOUT_HEADER = "value_without_header"
    RATING_NOT_NUMBER = "rating_not_number"  # {value}, {min}, {max}
    RATING_OUT_OF_RANGE = "rating_out_of_range"  # {value}, {min}, {max}
    UNKNOWN_GROUP = "unknown_group"  # {value}, {choices}
    UNKNOWN_AGE_BAND = "unknown_age_band"  # {value}, {choices}
    UNKNOWN_THEME = "unknown_theme"  # {value}, {example}
    DUPLICATE_PRIORITY = "duplicate_priority"  # {value}
    COMMENT_TOO_LONG = "comment_too_long"  # {length}, {limit}
    DUPLICATE_RESPONDENT = "duplicate_respondent"  # {value}, {other_row}
    RESPONDENT_TOO_LONG = "respondent_too_long"  # {length}, {limit}
    # Found by the web app, not in the file alone:
    RESPONDENT_EXISTS = "respondent_exists"  # {value}: already imported to the round
    UNEXPECTED = "unexpected"  # the import failed for a reason of Platsa's own


# Every code an issue can have: a file's own problems, or why it could not be read at all.
IssueCode = ImportErrorCode | TableErrorCode


def issue_code(code: str) -> IssueCode:
    """The code ``code`` names (a stored issue's text); ValueError if it names none."""
    try:
        return ImportErrorCode(code)
    except ValueError:
        return TableErrorCode(code)


@dataclass(frozen=True)
class ImportIssue:
    """One problem: ``row`` is the spreadsheet row number (None for the whole file),
    ``column`` the heading; ``code`` an ``IMPORT_ERRORS`` key with ``params``. A code given
    as text (an issue read back from a job's stored result) becomes the code it names."""

    code: IssueCode
    row: int | None = None
    column: str | None = None
    letter: str | None = None
    params: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.code, ImportErrorCode | TableErrorCode):
            object.__setattr__(self, "code", issue_code(self.code))


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

    code: IssueCode
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
    key or label; without (the command line), every distinct group becomes a group, in order
    of first appearance: one of the framework's by its id or its Swedish or English label
    (with the framework's side), any other label a group of its own with no side.

    Every column is mapped through a table of its distinct values (files repeat the same few
    values thousands of times) with C-level ``map``: no Python code runs per cell except
    where a cell has something to say (a comment, a mistake).
    """
    return _parse(
        table.header,
        lambda issues, positions, texts: _RowCells(table, issues, positions),
        framework,
        groups=groups,
        max_rows=max_rows,
        language=language,
    )


def parse_columns(
    columns: CsvColumns,
    framework: Framework,
    *,
    groups: list[GroupInfo] | None = None,
    max_rows: int | None = None,
    language: str = "sv",
) -> ImportedResponses:
    """:func:`parse_table` of the file :func:`read_csv_columns` read: the same answers and
    the same issues, with the cells that matter taken from the file's bytes by column."""
    return _parse(
        columns.header,
        lambda issues, positions, texts: _ByteCells(columns, texts),
        framework,
        groups=groups,
        max_rows=max_rows,
        language=language,
    )


def read_responses(
    data: bytes,
    filename: str,
    framework: Framework,
    *,
    limits: TableLimits = DEFAULT_LIMITS,
    groups: list[GroupInfo] | None = None,
    max_rows: int | None = None,
    language: str = "sv",
) -> ImportedResponses:
    """A file's answers (``read_table`` then :func:`parse_table`), by the quick reader
    by column where it takes the file (most CSV files), else by the reader of rows; both
    give the same answers and refuse a file with the same errors."""
    options: dict[str, Any] = {"groups": groups, "max_rows": max_rows, "language": language}
    if Path(filename).suffix.lower() == ".csv":
        columns = read_csv_columns(data, limits=limits)
        if columns is not None:
            return parse_columns(columns, framework, **options)
    return parse_table(read_table(data, filename, limits=limits), framework, **options)


def _parse(
    header: list[str],
    cells_of: Callable[[_Issues, list[int], list[int]], _Cells],
    framework: Framework,
    *,
    groups: list[GroupInfo] | None,
    max_rows: int | None,
    language: str,
) -> ImportedResponses:
    """What :func:`parse_table` does, with the data rows' cells from ``cells_of(issues,
    positions of the answer columns, those of them that are read as text)``."""
    issues = _Issues()
    header_keys = [h.strip().lower() for h in header]
    known = template_columns(framework)
    required = ["group", *framework.question_ids]
    positions: dict[str, int] = {}
    for index, key in enumerate(header_keys):
        name = header[index]
        letter = column_letter(index + 1)
        if not key:
            continue
        if key in positions:
            issues.add(
                ImportIssue(ImportErrorCode.DUPLICATE_COLUMN, 1, name, letter, {"column": name})
            )
        elif key not in known:
            hint = difflib.get_close_matches(key, known, n=1, cutoff=0.75)
            if hint:
                issues.add(
                    ImportIssue(
                        ImportErrorCode.UNKNOWN_COLUMN_HINT,
                        1,
                        name,
                        letter,
                        {"column": name, "suggestion": hint[0]},
                    )
                )
            else:
                issues.add(
                    ImportIssue(ImportErrorCode.UNKNOWN_COLUMN, 1, name, letter, {"column": name})
                )
        else:
            positions[key] = index
    for key in required:
        if key not in positions:
            issues.add(ImportIssue(ImportErrorCode.MISSING_COLUMN, 1, key, None, {"column": key}))
    issues.raise_if_any()

    # Answers column by column; comments, mostly empty, only for the rows that have any.
    answer_keys = [k for k in template_columns(framework, comments=False) if k in positions]
    comment_keys = [k for k in known if k in positions and k not in answer_keys]
    answer_positions = [positions[k] for k in answer_keys]
    text_positions = [positions[k] for k in ("respondent",) if k in positions]
    cells = cells_of(issues, answer_positions, text_positions)
    n, row_numbers = cells.n, cells.row_numbers
    if not n and not issues.total:
        issues.add(ImportIssue(ImportErrorCode.NO_ROWS))
    if max_rows is not None and n > max_rows:
        issues.add(ImportIssue(ImportErrorCode.TOO_MANY_ROWS, params={"limit": max_rows}))
    issues.raise_if_any()

    letters = {key: column_letter(index + 1) for key, index in positions.items()}
    names = {key: header[index] for key, index in positions.items()}

    def column(key: str) -> Sequence[str] | None:
        return cells.strings(positions[key]) if key in answer_keys else None

    def issue(code: ImportErrorCode, i: int, key: str, **params: Any) -> None:
        issues.add(ImportIssue(code, row_numbers[i], names[key], letters[key], params))

    fw = framework

    # --- ratings ------------------------------------------------------------------------
    lo, hi = fw.scale.min, fw.scale.max

    def rating(cell: str) -> int:
        """The step above the scale's minimum, or one of the ``_RATING_*`` codes."""
        if fw.scale.dont_know and cell.casefold() in DONT_KNOW_WORDS:
            return _RATING_DONT_KNOW
        if not cell:
            return _RATING_EMPTY
        try:
            number = float(cell.replace(",", "."))
        except ValueError:
            return _RATING_NOT_NUMBER
        if not number.is_integer():
            return _RATING_NOT_NUMBER
        if not lo <= number <= hi:
            return _RATING_OUT_OF_RANGE
        return int(number) - lo

    rating_positions = [positions[qid] for qid in fw.question_ids]  # all required: all there
    codes = cells.codes(rating_positions, rating, offset=-_RATING_OUT_OF_RANGE)
    codes = np.ascontiguousarray(codes)  # (n, questions)
    values = np.where(codes >= 0, codes + lo, np.nan)
    dont_know = codes == _RATING_DONT_KNOW
    wrong = np.flatnonzero((codes <= _RATING_NOT_NUMBER).any(axis=0))
    for q in wrong:  # by question, then by row, as the sheet reads
        qid = fw.question_ids[q]
        for i in np.flatnonzero(codes[:, q] <= _RATING_NOT_NUMBER):
            code = (
                ImportErrorCode.RATING_OUT_OF_RANGE
                if codes[i, q] == _RATING_OUT_OF_RANGE
                else ImportErrorCode.RATING_NOT_NUMBER
            )
            value = cells.cell(int(i), rating_positions[q]).strip()
            issue(code, int(i), qid, value=value, min=lo, max=hi)

    # --- groups -------------------------------------------------------------------------
    group_at = positions["group"]  # required: there
    choices = ""
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
        out_groups = []
        found: dict[str, int] = {}
        framework_groups = _framework_groups(fw, language)

        def group_of(cell: str) -> int:
            """Called once per distinct cell, in order of first appearance."""
            if not cell:
                return -1
            info = framework_groups.get(_norm(cell))
            if info is None:
                label = unicodedata.normalize("NFC", cell)
                info = GroupInfo(key=label, label=label, side=None)
            if info.key not in found:
                found[info.key] = len(out_groups)
                out_groups.append(info)
            return found[info.key]

    group_index = cells.value_codes(group_at, group_of)
    for i in np.flatnonzero(group_index == -2):
        issue(
            ImportErrorCode.UNKNOWN_GROUP,
            int(i),
            "group",
            value=cells.cell(int(i), group_at).strip(),
            choices=choices,
        )

    # --- age bands ----------------------------------------------------------------------
    age_index = np.full(n, -1, dtype=np.int64)
    if "age_band" in positions:
        age_at = positions["age_band"]
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

        age_index = cells.value_codes(age_at, band_of, small=True).astype(np.int64)
        for i in np.flatnonzero(age_index == -2):
            issue(
                ImportErrorCode.UNKNOWN_AGE_BAND,
                int(i),
                "age_band",
                value=cells.cell(int(i), age_at).strip(),
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
        if key not in positions:
            continue
        at = positions[key]
        chosen = cells.value_codes(at, theme_of, small=True)
        for i in np.flatnonzero(chosen == -2):
            issue(
                ImportErrorCode.UNKNOWN_THEME,
                int(i),
                key,
                value=cells.cell(int(i), at).strip(),
                example=fw.theme_ids[0],
            )
        for earlier in picked:
            for i in np.flatnonzero((chosen >= 0) & (chosen == earlier)):
                value = cells.cell(int(i), at).strip()
                issue(ImportErrorCode.DUPLICATE_PRIORITY, int(i), key, value=value)
        picked.append(chosen)
        rows_with = np.flatnonzero(chosen >= 0)
        priorities[rows_with, chosen[rows_with]] = True

    # --- comments -----------------------------------------------------------------------
    comments: list[CommentEntry] = []
    comment_positions = [positions[k] for k in comment_keys]
    by_key = dict(zip(comment_keys, cells.filled(comment_positions, len(header)), strict=True))
    for theme in fw.themes:
        for spec in fw.comments:
            key = f"{spec.id}_{theme.id}"
            written = by_key.get(key)
            if not written:
                continue
            for row, cell in written:  # cells with any text, by row
                if cell.isspace():
                    continue
                text = clean_text(cell)
                if len(text) > MAX_COMMENT_LENGTH:
                    issue(
                        ImportErrorCode.COMMENT_TOO_LONG,
                        row,
                        key,
                        length=len(text),
                        limit=MAX_COMMENT_LENGTH,
                    )
                elif text:
                    comments.append(CommentEntry(row, theme.id, spec.id, text))

    # --- respondent ids -----------------------------------------------------------------
    respondent_column = column("respondent")
    respondent_cells = list(map(str.strip, respondent_column or ("",) * n))
    if max(map(len, respondent_cells)) > MAX_RESPONDENT_LENGTH:
        for row, cell in enumerate(respondent_cells):
            if len(cell) > MAX_RESPONDENT_LENGTH:
                issue(
                    ImportErrorCode.RESPONDENT_TOO_LONG,
                    row,
                    "respondent",
                    length=len(cell),
                    limit=MAX_RESPONDENT_LENGTH,
                )
    filled = list(filter(None, respondent_cells))
    if len(set(filled)) != len(filled):
        first_seen: dict[str, int] = {}
        for row, cell in enumerate(respondent_cells):
            if cell and cell in first_seen:
                issue(
                    ImportErrorCode.DUPLICATE_RESPONDENT,
                    row,
                    "respondent",
                    value=cell,
                    other_row=row_numbers[first_seen[cell]],
                )
            elif cell:
                first_seen[cell] = row

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


# What a rating cell can be besides a step of the scale (0, 1, ...): the codes of
# ``parse_table``'s table of distinct cells, errors last so that ``<= NOT_NUMBER`` finds them.
_RATING_EMPTY = -1
_RATING_DONT_KNOW = -2
_RATING_NOT_NUMBER = -3
_RATING_OUT_OF_RANGE = -4


class _Cells(Protocol):
    """The data rows' cells, as :func:`_parse` asks for them: ``n`` rows (the blank ones
    left out) with their spreadsheet row numbers; positions are the header's (from 0)."""

    n: int
    row_numbers: list[int]

    def strings(self, position: int) -> Sequence[str]:
        """Every row's cell at ``position``."""
        ...

    def cell(self, row: int, position: int) -> str:
        """Row ``row``'s (from 0) cell at ``position``."""
        ...

    def value_codes(
        self, position: int, code_of: Callable[[str], int], *, small: bool = False
    ) -> np.ndarray:
        """``code_of(cell.strip())`` of every cell at ``position`` as ints, called once per
        distinct cell in order of first appearance (as :func:`_codes`); ``small`` codes
        are at least -2 and few (as :func:`_small_codes` takes)."""
        ...

    def codes(
        self, positions: list[int], code_of: Callable[[str], int], *, offset: int
    ) -> np.ndarray:
        """``code_of(cell.strip())`` of every cell at ``positions``, (rows, positions),
        for a pure ``code_of`` whose codes are at least ``-offset`` (as :func:`_small_codes`)."""
        ...

    def filled(self, positions: list[int], width: int) -> list[list[tuple[int, str]]]:
        """For each of ``positions``, its cells with any text as (row, cell), by row."""
        ...


class _RowCells:
    """The cells of a :class:`Table`, by rows as the reader gave them."""

    def __init__(self, table: Table, issues: _Issues, positions: list[int]) -> None:
        self.rows, self.row_numbers, columns = _rows_and_columns(table, issues, positions)
        self.n = len(self.rows)
        self.columns = dict(zip(positions, columns, strict=True))

    def strings(self, position: int) -> Sequence[str]:
        return self.columns[position]

    def cell(self, row: int, position: int) -> str:
        return self.columns[position][row]

    def value_codes(
        self, position: int, code_of: Callable[[str], int], *, small: bool = False
    ) -> np.ndarray:
        if small:
            return _small_codes(self.columns[position], code_of, offset=2)
        return _codes(self.columns[position], code_of)

    def codes(
        self, positions: list[int], code_of: Callable[[str], int], *, offset: int
    ) -> np.ndarray:
        cells = itertools.chain.from_iterable(self.columns[p] for p in positions)
        return _small_codes(cells, code_of, offset=offset).reshape(len(positions), self.n).T

    def filled(self, positions: list[int], width: int) -> list[list[tuple[int, str]]]:
        """Columns, mostly empty, only of the rows that have any text in them."""
        pick = _picker(positions)
        nothing = pick([""] * width)  # what a row without any text gives
        # (``ne`` of a list and a tuple, from rows of tuples, is True: those rows are looked at.)
        has_text = map(operator.ne, itertools.repeat(nothing), map(pick, self.rows))
        with_text = list(itertools.compress(range(self.n), has_text))
        columns = _columns([self.rows[i] for i in with_text], positions)
        return [
            [(with_text[j], written[j]) for j in itertools.compress(range(len(written)), written)]
            for written in columns
        ]


class _ByteCells:
    """The cells of :class:`CsvColumns`, taken from the file's bytes by runs of side-by-side
    columns: a cell of one character is looked up by its byte, others are made text only
    where they are wanted as text."""

    def __init__(self, columns: CsvColumns, positions: list[int]) -> None:
        self.columns = columns
        self.n = columns.n
        first = columns.first_row_number
        self.row_numbers = list(range(first, first + columns.n))
        self.positions = positions
        self.texts: dict[int, list[str]] = {}

    def strings(self, position: int) -> Sequence[str]:
        """The column at ``position``. The first time one of the columns read as text
        (``positions``: not the ratings, which are :meth:`codes` of their bytes) is asked
        for, the whole run of side-by-side ones that it is in."""
        if position not in self.texts:
            runs = _runs(self.positions)
            first, last = next((r for r in runs if r[0] <= position <= r[1]), (position,) * 2)
            for k, cells in enumerate(self.columns.strings(first, last)):
                self.texts[first + k] = cells
        return self.texts[position]

    def cell(self, row: int, position: int) -> str:
        return self.columns.cell(row, position)

    def value_codes(
        self, position: int, code_of: Callable[[str], int], *, small: bool = False
    ) -> np.ndarray:
        """By the distinct cells (a file repeats a few groups, age bands and themes), found
        from their bytes: only those become text."""
        columns = self.columns
        plain_index, first_plain, others = columns.distinct(position)
        # The distinct cells, and each cell that was not sorted in (long, or quoted), in
        # order of first appearance: the order in which ``code_of`` meets them.
        met = [(int(columns.plain[i]), text) for i, text in first_plain]
        met += others
        met.sort(key=operator.itemgetter(0))
        table = _CodeTable(code_of, int)
        by_row = {row: table[text] for row, text in met}
        out = np.empty(self.n, dtype=np.int64)
        if len(first_plain):
            distinct_codes = np.array(
                [by_row[int(columns.plain[i])] for i, _ in first_plain], dtype=np.int64
            )
            sorted_in = plain_index >= 0
            out[columns.plain[sorted_in]] = distinct_codes[plain_index[sorted_in]]
        for row, text in others:
            out[row] = table[text]
        return out

    def codes(
        self, positions: list[int], code_of: Callable[[str], int], *, offset: int
    ) -> np.ndarray:
        table = _CodeTable(code_of, lambda code: code)
        # A cell of one byte is an ASCII character (the file is UTF-8): by a table of the
        # 128. Longer cells are looked up as text, below.
        by_byte = np.array([table[chr(b)] for b in range(128)] + [0] * 128, dtype=np.int16)
        columns = self.columns
        # An empty cell's first byte is the separator, CR or LF after it, which no cell of
        # one byte holds (a line of the quick reader has CR only before its LF).
        by_byte[[ord(columns.delimiter), 13, 10]] = table[""]
        out = np.empty((self.n, len(positions)), dtype=np.int16)
        q = 0
        for first, last in _runs(positions):
            count = last - first + 1
            edges = columns.edges(first, last)
            starts, ends = edges[:, :-1] + 1, edges[:, 1:]
            lengths = ends - starts
            codes = by_byte[columns.data[starts]]
            rows, ks = np.nonzero(lengths > 1)
            if len(rows):
                texts = columns.texts(starts[rows, ks], ends[rows, ks])
                codes[rows, ks] = [table[text] for text in texts]
            out[columns.plain, q : q + count] = codes
            if columns.quoted:
                rows_read = list(columns.quoted)
                by_csv = [
                    [table[c] for c in columns.quoted[r][first : last + 1]] for r in rows_read
                ]
                out[rows_read, q : q + count] = np.array(by_csv, dtype=np.int16)
            q += count
        return out

    def filled(self, positions: list[int], width: int) -> list[list[tuple[int, str]]]:
        columns = self.columns
        found: dict[int, list[tuple[int, str]]] = {p: [] for p in positions}
        for first, last in _runs(positions):
            edges = columns.edges(first, last)
            # A row's cells there span their lengths and a separator each: more than that
            # many bytes if any cell holds something. Only those rows are looked at.
            some = np.flatnonzero(edges[:, -1] - edges[:, 0] > last - first + 1)
            edges = edges[some]
            rows, ks = np.nonzero(np.diff(edges, axis=1) > 1)  # by row, then column
            texts = columns.texts(edges[rows, ks] + 1, edges[rows, ks + 1])
            plain_rows = columns.plain[some[rows]].tolist()
            for row, k, text in zip(plain_rows, ks.tolist(), texts, strict=True):
                found[first + k].append((row, text))
        if columns.quoted:
            for row, record in columns.quoted.items():
                for position in positions:
                    if record[position]:
                        found[position].append((row, record[position]))
            for cells in found.values():
                cells.sort(key=operator.itemgetter(0))
        return [found[p] for p in positions]


def _runs(positions: list[int]) -> list[tuple[int, int]]:
    """``positions`` as runs of consecutive columns (first, last), in their order."""
    runs: list[tuple[int, int]] = []
    for p in positions:
        if runs and runs[-1][1] + 1 == p:
            runs[-1] = (runs[-1][0], p)
        else:
            runs.append((p, p))
    return runs


def _rows_and_columns(
    table: Table, issues: _Issues, positions: list[int]
) -> tuple[Sequence[Sequence[str]], list[int], list[tuple[str, ...]]]:
    """The rows that hold anything, each exactly as wide as the header, their spreadsheet
    row numbers, and the columns at ``positions`` of those rows. A value beyond the
    header's last column is an issue.

    A file whose rows are all as wide as the header and none blank (any file the csv module
    reads from a saved sheet) is taken as it is: the widths are checked at C speed, and
    only rows that are empty in the first column taken are looked at for being blank."""
    width = len(table.header)
    first = table.first_row_number
    rows: Sequence[Sequence[str]] = table.rows
    if rows and all(map(width.__eq__, map(len, rows))):
        columns = _columns(rows, positions)
        empty_first = map(operator.not_, columns[0]) if columns else itertools.repeat(True)
        maybe_blank = itertools.compress(range(len(rows)), empty_first)
        if not any(not any(rows[i]) for i in maybe_blank):
            return rows, list(range(first, first + len(rows))), columns
    kept: list[Sequence[str]] = []
    row_numbers: list[int] = []
    for offset, row in enumerate(rows):
        if not any(row):
            continue  # blank lines are common at the end of a typed sheet
        number = first + offset
        if len(row) > width:
            if any(row[width:]):
                issues.add(ImportIssue(ImportErrorCode.VALUE_WITHOUT_HEADER, number))
            row = row[:width]
        elif len(row) < width:
            row = [*row, *[""] * (width - len(row))]
        kept.append(row)
        row_numbers.append(number)
    return kept, row_numbers, _columns(kept, positions)


def _picker(positions: list[int]) -> Callable[[Sequence[str]], Sequence[str]]:
    """A function that gives a row's cells at ``positions``, as a list or tuple: a slice
    where they are side by side (as in the template), the quickest way to take them."""
    if positions and positions == list(range(positions[0], positions[0] + len(positions))):
        return operator.itemgetter(slice(positions[0], positions[-1] + 1))
    if len(positions) == 1:
        return lambda row: (row[positions[0]],)
    return operator.itemgetter(*positions) if positions else lambda row: ()


def _columns(rows: Sequence[Sequence[str]], positions: list[int]) -> list[tuple[str, ...]]:
    """The cells at ``positions`` of every row, column by column. Only these: the columns of
    comments are three in five of a template's cells and almost all empty."""
    if not rows:
        return [() for _ in positions]
    return list(zip(*map(_picker(positions), rows), strict=True))


class _CodeTable(dict[str, Any]):
    """Cell -> ``encode(code_of(cell.strip()))``, worked out the first time a cell is looked
    up: files repeat the same few values thousands of times, and a lookup in a dict through
    ``map`` costs no Python code. First look-ups come in the order of the cells."""

    def __init__(self, code_of: Callable[[str], int], encode: Callable[[int], Any]) -> None:
        super().__init__()
        self.code_of = code_of
        self.encode = encode

    def __missing__(self, cell: str) -> Any:
        value = self[cell] = self.encode(self.code_of(cell.strip()))
        return value


def _codes(cells: Sequence[str], code_of: Callable[[str], int]) -> np.ndarray:
    """``code_of(cell.strip())`` for every cell, as an int64 array; ``code_of`` is called once
    per distinct cell, in order of first appearance (free-text groups are numbered so)."""
    table = _CodeTable(code_of, int)
    return np.fromiter(map(table.__getitem__, cells), dtype=np.int64, count=len(cells))


def _small_codes(cells: Iterable[str], code_of: Callable[[str], int], *, offset: int) -> np.ndarray:
    """:func:`_codes` for codes of at least ``-offset`` (a scale's steps, age bands, themes:
    far fewer than the 55,000 characters below the surrogates), of any iterable of cells.

    Each distinct cell's code becomes one character, the cells are joined into one string
    and its characters are the codes: quicker than a Python int per cell, and a byte each."""
    table = _CodeTable(code_of, lambda code: chr(code + offset))
    joined = "".join(map(table.__getitem__, cells))
    if joined.isascii():  # codes below 128, as ratings, age bands and themes have
        codes = np.frombuffer(joined.encode("ascii"), dtype=np.uint8).astype(np.int16)
    else:
        codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    codes -= offset
    return codes


def _framework_groups(framework: Framework, language: str) -> dict[str, GroupInfo]:
    """The framework's groups by every name a file may give them (id, Swedish and English
    label, compared as :func:`_norm` does), each labelled in ``language``.

    This is what a round in the web app gets from the same framework (key = the group id,
    the framework's side, the other language's label as alias), so a file read by the
    command line has the same groups, and the same gaps between sides, as a round."""
    out: dict[str, GroupInfo] = {}
    for spec in framework.groups:
        label = spec.label.get(language)
        aliases = tuple(dict.fromkeys(t for t in (spec.label.sv, spec.label.en) if t != label))
        info = GroupInfo(key=spec.id, label=label, side=spec.side, aliases=aliases)
        for name in (spec.id, spec.label.sv, spec.label.en):
            out.setdefault(_norm(name), info)
    return out


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
    if text.isprintable() and unicodedata.is_normalized("NFC", text):
        # Nothing to remove (control, direction and zero-width characters are not
        # printable), nothing to normalise: most comments, at a fifth of the cost.
        return text.strip()
    text = _BIDI_CONTROLS.sub("", strip_controls(unicodedata.normalize("NFC", text))).strip()
    # Nothing but zero-width characters is an empty text (it landed in moderation as a
    # comment that looks empty).
    return text if text.strip("\u200b\u200c\u200d\u2060\ufeff \t\r\n") else ""
