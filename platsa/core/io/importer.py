"""Turn an import table (paper answers typed into the template) into validated answers.

All-or-nothing: every problem is collected with its spreadsheet row and column, and nothing
is returned unless the whole file is valid. Column by column rather than row by row, because
``platsa assess`` must read 100,000 respondents in little more than the csv module
takes to split the file into cells.
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
from typing import Any

import numpy as np

from platsa.core.io.tabular import (
    Table,
    TableError,
    TableErrorCode,
    column_letter,
    column_number,
    strip_controls,
)
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
    rows, row_numbers, answer_columns = _rows_and_columns(table, issues, answer_positions)
    if not rows and not issues.total:
        issues.add(ImportIssue(ImportErrorCode.NO_ROWS))
    if max_rows is not None and len(rows) > max_rows:
        issues.add(ImportIssue(ImportErrorCode.TOO_MANY_ROWS, params={"limit": max_rows}))
    issues.raise_if_any()

    letters = {key: column_letter(index + 1) for key, index in positions.items()}
    names = {key: table.header[index] for key, index in positions.items()}
    columns = dict(zip(answer_keys, answer_columns, strict=True))

    def column(key: str) -> tuple[str, ...] | None:
        return columns.get(key)

    def issue(code: ImportErrorCode, i: int, key: str, **params: Any) -> None:
        issues.add(ImportIssue(code, row_numbers[i], names[key], letters[key], params))

    n = len(rows)
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

    rating_columns = [columns[qid] for qid in fw.question_ids]  # all required: all there
    all_ratings = itertools.chain.from_iterable(rating_columns)
    codes = _small_codes(all_ratings, rating, offset=-_RATING_OUT_OF_RANGE)
    codes = np.ascontiguousarray(codes.reshape(len(rating_columns), n).T)  # (n, questions)
    values = np.where(codes >= 0, codes + lo, np.nan)
    dont_know = codes == _RATING_DONT_KNOW
    wrong = np.flatnonzero((codes <= _RATING_NOT_NUMBER).any(axis=0))
    for q in wrong:  # by question, then by row, as the sheet reads
        qid, ratings = fw.question_ids[q], rating_columns[q]
        for i in np.flatnonzero(codes[:, q] <= _RATING_NOT_NUMBER):
            code = (
                ImportErrorCode.RATING_OUT_OF_RANGE
                if codes[i, q] == _RATING_OUT_OF_RANGE
                else ImportErrorCode.RATING_NOT_NUMBER
            )
            value = ratings[i].strip()
            issue(code, int(i), qid, value=value, min=lo, max=hi)

    # --- groups -------------------------------------------------------------------------
    group_cells = column("group") or ("",) * n
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

    group_index = _codes(group_cells, group_of)
    for i in np.flatnonzero(group_index == -2):
        issue(
            ImportErrorCode.UNKNOWN_GROUP,
            int(i),
            "group",
            value=group_cells[i].strip(),
            choices=choices,
        )

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

        age_index = _small_codes(age_cells, band_of, offset=2).astype(np.int64)
        for i in np.flatnonzero(age_index == -2):
            issue(
                ImportErrorCode.UNKNOWN_AGE_BAND,
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
        named = column(key)
        if named is None:
            continue
        chosen = _small_codes(named, theme_of, offset=2)
        for i in np.flatnonzero(chosen == -2):
            issue(
                ImportErrorCode.UNKNOWN_THEME,
                int(i),
                key,
                value=named[i].strip(),
                example=fw.theme_ids[0],
            )
        for earlier in picked:
            for i in np.flatnonzero((chosen >= 0) & (chosen == earlier)):
                issue(ImportErrorCode.DUPLICATE_PRIORITY, int(i), key, value=named[i].strip())
        picked.append(chosen)
        rows_with = np.flatnonzero(chosen >= 0)
        priorities[rows_with, chosen[rows_with]] = True

    # --- comments -----------------------------------------------------------------------
    comments: list[CommentEntry] = []
    comment_positions = [positions[k] for k in comment_keys]
    pick = _picker(comment_positions)
    nothing = pick([""] * len(table.header))  # what a row without any comment gives
    # (``ne`` of a list and a tuple, from rows of tuples, is True: those rows are looked at.)
    has_text = map(operator.ne, itertools.repeat(nothing), map(pick, rows))
    with_text = list(itertools.compress(range(n), has_text))
    comment_columns = _columns([rows[i] for i in with_text], comment_positions)
    by_key = dict(zip(comment_keys, comment_columns, strict=True))
    for theme in fw.themes:
        for spec in fw.comments:
            key = f"{spec.id}_{theme.id}"
            written = by_key.get(key)
            if written is None or not any(written):
                continue
            for j in itertools.compress(range(len(written)), written):  # cells with any text
                row, cell = with_text[j], written[j]
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
