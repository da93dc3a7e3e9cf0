"""The quick CSV reader by column (``read_csv_columns`` + ``parse_columns``, what
``platsa assess`` uses) against the reader of rows (``read_table`` + ``parse_table``): the
same answers, and the same refusal with the same rows, columns, values and messages, for
every file the quick reader takes; a file it does not take is left to the reader of rows.

Hypothesis writes the files: every answer column drawn from the values people write and
the values they should not, cells with separators, quotation marks, line breaks, other
scripts and overlong text, rows too short or too long, blank lines, headers out of order,
the three separators, BOM, CRLF, a missing last line end and Windows-1252."""

from __future__ import annotations

import csv
import io
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from platsa.core.io.importer import (
    ImportedResponses,
    ImportValidationError,
    parse_columns,
    parse_table,
    read_responses,
    template_columns,
)
from platsa.core.io.synthetic import generate_rows
from platsa.core.io.tabular import TableError, TableLimits, read_table, write_csv
from platsa.core.io.tabular.csv_columns import read_csv_columns
from platsa.core.schema.dataset import GroupInfo
from platsa.core.schema.frameworks import Framework, get_framework

FRAMEWORKS = ("place-attractiveness", "innovation-capacity")

RATINGS = [
    *map(str, range(9)),
    *("", " ", " 4 ", "3,0", "4.0", "3.5", "+3", "-1", "1e0", "07", "10", "nan", "inf"),
    *("?", "x", "X", "dk", "DK", "vet ej", "Vet inte", "don't know", "٣", "５", "3 ", "\t5"),
    *("abc", "tre", "=1+1", "'3", '"4"', "4,", "1;2", "3\n", "ä"),
]
FREE = [
    "",
    " ",
    "Fiskare",
    "Sommarboende",
    "  SOMMARBOENDE ",
    "Ärligt talat",
    "=HYPERLINK()",
    "a,b",
    'sa "hej"',
    "rad\nbrytning",
    "\u202egpj.exe",
    "مرحبا",
    "x" * 70,
    "ö" * 40,
    "e\u0301",
]


def _labels(framework: Framework) -> dict[str, list[str]]:
    """The values people write in each kind of column: right ones in every spelling, and
    wrong ones."""
    groups = [g.id for g in framework.groups] + [g.label.sv for g in framework.groups]
    groups += [g.label.en.upper() for g in framework.groups] + [
        " " + g.id + " " for g in framework.groups
    ]
    bands = [a.id for a in framework.age_bands] + [a.label.sv for a in framework.age_bands]
    bands += [a.id.replace("_", "-") for a in framework.age_bands] + ["99", "ung", "16–24"]
    themes = list(framework.theme_ids) + [t.title.sv for t in framework.themes]
    themes += [t.title.en.lower() for t in framework.themes] + [
        "nothing",
        framework.theme_ids[0] + "s",
    ]
    return {"group": groups + FREE, "age_band": bands + FREE, "theme": themes + FREE}


def _tidy(cell: str) -> bool:
    """Whether a cell leaves its file to the quick reader: no line break or control
    character (a file with one is read by rows)."""
    return cell.isprintable() or not any(c in cell for c in "\r\n\x00\x85")


def _cell(
    framework: Framework, column: str, labels: dict[str, list[str]], tidy: bool, right: bool
) -> st.SearchStrategy[str]:
    def sample(values: list[str]) -> st.SearchStrategy[str]:
        return st.sampled_from([v for v in values if _tidy(v)] if tidy else values)

    if right:  # only values that are right, in any spelling: the file is read
        if column in framework.question_ids:
            scale = framework.scale
            return st.sampled_from(
                ["", "?", " 3", "vet ej", *map(str, range(scale.min, scale.max + 1))]
            )
        if column == "age_band":
            return st.sampled_from(["", *(a.label.sv for a in framework.age_bands)])
        if column == "priority_1":
            return st.sampled_from(["", *framework.theme_ids, framework.themes[0].title.sv])
        if column.startswith("priority_") or column == "respondent":
            return st.just("")

    if column in framework.question_ids:
        return sample(RATINGS)
    if column == "group":
        return sample(labels["group"])
    if column == "age_band":
        return sample(labels["age_band"])
    if column.startswith("priority_"):
        return sample(labels["theme"])
    if column == "respondent":
        return sample(["", "R1", "R2", "R3", " R1", "r" * 65, "Å1", "a,b"])
    comment = sample(["Bra buss", "Fler bostäder, gärna hyresrätter", 'Ett "citat"', " \t"])
    text = st.text(max_size=12)
    if tidy:
        text = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12)
    return st.one_of(st.just(""), st.just(""), st.just(""), comment, sample(FREE), text)


@st.composite
def csv_files(draw: Any) -> tuple[Framework, bytes]:
    framework = get_framework(draw(st.sampled_from(FRAMEWORKS)))
    tidy = draw(st.booleans())  # a file as most are, but for its wrong answers
    right = tidy and draw(st.booleans())  # and with none
    labels = _labels(framework)
    columns = template_columns(framework)
    header = list(columns)
    if draw(st.booleans()):
        header = draw(st.permutations(header))
    if not right and draw(st.integers(0, 9)) == 0:  # a column missing, unknown, doubled, misspelt
        header[draw(st.integers(0, len(header) - 1))] = draw(
            st.sampled_from(["", "housing", "hosuing", "Group", "extra", " mobility "])
        )
    n = draw(st.integers(1 if tidy else 0, 12))
    rows: list[list[str]] = []
    for _ in range(n):
        row = [draw(_cell(framework, h.strip().lower(), labels, tidy, right)) for h in header]
        shape = draw(st.integers(0, 29)) if not tidy else 9
        if shape == 0:
            row = row[: draw(st.integers(0, len(row)))]  # short, or blank
        elif shape == 1:
            row += draw(st.lists(st.sampled_from(["", "", "x"]), min_size=1, max_size=3))
        elif shape == 2:
            row = [""] * len(row)
        rows.append(row)
    delimiter = draw(st.sampled_from([",", ",", ",", ";", "\t"]))
    end = draw(st.sampled_from(["\r\n", "\n"] if tidy else ["\r\n", "\n", "\r\n", "\r"]))
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator=end)
    writer.writerow(header)
    writer.writerows(rows)
    text = out.getvalue()
    if draw(st.integers(0, 4)) == 0:
        text = text[: -len(end)] if text.endswith(end) else text  # no last line end
    if not tidy and draw(st.integers(0, 4)) == 0:
        text += draw(st.sampled_from(["\r\n", "\n\n", ",,,\r\n", '"open', "\x00", "\x85"]))
    encoding = draw(st.sampled_from(["utf-8-sig", "utf-8"] + ([] if tidy else ["cp1252"])))
    return framework, text.encode(encoding, errors="replace")


def _outcome(read: Any) -> tuple[str, Any]:
    """What reading gives: the answers, or the refusal with everything its message says."""
    try:
        result = read()
    except TableError as exc:
        return "table_error", (exc.code, exc.params)
    except ImportValidationError as exc:
        return "invalid", (exc.total, exc.issues)
    return "read", _answers(result)


def _answers(imported: ImportedResponses) -> tuple[Any, ...]:
    r = imported.responses
    arrays = (r.values, r.dont_know, r.group, r.priorities, r.age_band)
    return (
        tuple(
            (
                a.shape,
                a.dtype.kind,
                np.where(np.isnan(a), -99, a).tolist() if a.dtype.kind == "f" else a.tolist(),
            )
            for a in arrays
        ),
        r.groups,
        r.comments,
        imported.respondents,
        imported.row_numbers,
    )


def _by_rows(
    data: bytes, framework: Framework, limits: TableLimits, **options: Any
) -> tuple[str, Any]:
    table = lambda: read_table(data, "answers.csv", limits=limits)  # noqa: E731
    return _outcome(lambda: parse_table(table(), framework, language="en", **options))


def _round_groups(framework: Framework) -> list[GroupInfo]:
    """A round's groups, as the web app passes them: a group cell must name one."""
    return [GroupInfo(g.id, g.label.sv, g.side, aliases=(g.label.en,)) for g in framework.groups]


def _assert_same(
    data: bytes, framework: Framework, limits: TableLimits | None = None, **options: Any
) -> bool:
    """Both readers give the same; True if the quick one took the file."""
    limits = limits or TableLimits()
    expected = _by_rows(data, framework, limits, **options)
    try:
        columns = read_csv_columns(data, limits=limits)
    except TableError as exc:
        refused = ("table_error", (exc.code, exc.params))
    else:
        refused = None
    if refused is not None:
        assert expected == refused
        return True
    if columns is not None:
        quick = _outcome(lambda: parse_columns(columns, framework, language="en", **options))
        assert quick == expected
    read = _outcome(
        lambda: read_responses(
            data, "answers.csv", framework, limits=limits, language="en", **options
        )
    )
    assert read == expected
    return columns is not None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(csv_files(), st.booleans(), st.sampled_from([None, 3, 1000]))
def test_the_quick_reader_reads_and_refuses_as_the_reader_of_rows(case, in_a_round, max_rows):
    framework, data = case
    groups = _round_groups(framework) if in_a_round else None
    quick = _assert_same(data, framework, groups=groups, max_rows=max_rows)
    event("read by column" if quick else "left to the reader of rows")
    event(f"outcome: {_by_rows(data, framework, TableLimits())[0]}")


@settings(max_examples=60, deadline=None)
@given(csv_files(), st.integers(1, 6), st.integers(2, 60))
def test_limits_are_kept_by_both_readers(case, max_rows, max_cells):
    framework, data = case
    limits = TableLimits(
        max_rows=max_rows, max_cells=max_cells * 10, max_columns=40, max_cell_chars=50
    )
    _assert_same(data, framework, limits)


def _file(
    framework: Framework, rows: int = 300, **changes: Any
) -> tuple[list[str], list[list[str]]]:
    header, data = generate_rows(
        framework, rows, seed=7, comment_rate=0.2, comments=["Bra, men dyrt"]
    )
    for (row, column), value in changes.get("cells", {}).items():
        data[row][header.index(column)] = value
    return header, data


def test_a_generated_survey_is_read_by_the_quick_reader_alike(framework):
    header, rows = _file(framework)
    data = write_csv(header, rows)
    assert read_csv_columns(data) is not None
    assert _assert_same(data, framework)


def test_wrong_values_are_named_alike_by_row_and_column(framework):
    cells = {
        (0, "housing"): "8",
        (3, "mobility"): "tre",
        (4, "mobility"): "٣",  # an Arabic-Indic three: float() reads it, so it is a 3
        (5, "services"): " 2,5 ",
        (6, "group"): "x" * 80,  # a free-text group longer than the bytes compared
        (7, "age_band"): "ung",
        (8, "priority_1"): "nothing",
        (9, "priority_2"): "Bra, men dyrt",  # quoted: read by the csv module
        (10, "respondent"): "R1",
        (11, "respondent"): "R1",
    }
    header, rows = _file(framework, cells=cells)
    data = write_csv(header, rows)
    assert read_csv_columns(data) is not None
    kind, (_total, issues) = _by_rows(data, framework, TableLimits())
    assert kind == "invalid"
    assert {(i.row, i.column, i.params.get("value")) for i in issues} >= {
        (2, "housing", "8"),
        (5, "mobility", "tre"),
        (7, "services", "2,5"),
        (9, "age_band", "ung"),
        (10, "priority_1", "nothing"),
        (11, "priority_2", "Bra, men dyrt"),
        (13, "respondent", "R1"),
    }
    _assert_same(data, framework)


def test_groups_are_numbered_in_order_of_first_appearance_however_read(framework):
    spellings = ["Sommarboende", " SOMMARBOENDE ", "residents", "x" * 70, "Boende", "Fiskare"]
    cells = {(i, "group"): spellings[i % len(spellings)] for i in range(0, 300, 7)}
    cells[(1, "group")] = 'Fiskare, "ute"'  # a quoted row early on
    header, rows = _file(framework, cells=cells)
    data = write_csv(header, rows)
    assert read_csv_columns(data) is not None
    assert _assert_same(data, framework)


@pytest.mark.parametrize(
    "change",
    [
        lambda t: t.replace("\r\n", "\r"),  # old Mac line ends
        lambda t: t.replace("Bra, men dyrt", "Bra,\nmen dyrt"),  # a cell over two lines
        lambda t: t + "\r\n\r\n",  # blank lines at the end
        lambda t: t.replace("\r\n", "\r\n,,,,\r\n", 1),  # a short row
        lambda t: t + "\x01",  # a control character
    ],
)
def test_files_the_quick_reader_does_not_take_are_read_by_rows(framework, change):
    header, rows = _file(framework, rows=50)
    text = change(write_csv(header, rows).decode("utf-8-sig"))
    data = text.encode("utf-8")
    assert read_csv_columns(data) is None
    assert not _assert_same(data, framework)


def test_windows_1252_is_read_by_rows(framework):
    header, rows = _file(framework, rows=20, cells={(0, "group"): "Kommunanställd"})
    data = write_csv(header, rows).decode("utf-8-sig").encode("cp1252")
    assert read_csv_columns(data) is None
    assert not _assert_same(data, framework)


def test_a_file_over_the_byte_limit_is_refused_by_both(framework):
    header, rows = _file(framework, rows=20)
    data = write_csv(header, rows)
    with pytest.raises(TableError) as caught:
        read_csv_columns(data, limits=TableLimits(max_bytes=100))
    assert caught.value.code == "file_too_large"
    _assert_same(data, framework, TableLimits(max_bytes=100))


@pytest.mark.parametrize("end", ["\r\n", ""])
def test_a_group_in_the_last_cell_of_the_file_is_read(framework, end):
    """The bytes of the file's last cells are compared in words read past the file's end."""
    header = [h for h in template_columns(framework) if h != "group"] + ["group"]
    text = ",".join(header) + "\r\n"
    text += "\r\n".join(
        ",".join([""] * (len(header) - 1) + [g]) for g in ("bb", "Kommunanställd och fler", "a")
    )
    data = (text + end).encode("utf-8")
    assert read_csv_columns(data) is not None
    assert _assert_same(data, framework)
