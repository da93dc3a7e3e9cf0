"""Reading paper answers from CSV and XLSX: every problem by row and column, all or nothing."""

from __future__ import annotations

import io
import string

import pytest
from openpyxl import Workbook, load_workbook

from platsa.core.io.importer import (
    PER_ROW_PARAMS,
    ImportIssue,
    ImportValidationError,
    group_issues,
    parse_table,
    template_columns,
)
from platsa.core.io.tabular import Table, TableError, read_table, write_csv
from platsa.core.io.template import template_csv, template_xlsx
from platsa.core.render.explain import (
    Problem,
    describe_issue,
    explain_issues,
    locate_issue,
    row_ranges,
)
from platsa.core.render.messages import IMPORT_ERRORS, catalogue_translator
from platsa.core.schema.dataset import GroupInfo


def _csv(framework, rows, header=None, delimiter=","):
    header = header or template_columns(framework)
    lines = [delimiter.join(header)]
    for row in rows:
        lines.append(delimiter.join(str(row.get(c, "")) for c in header))
    return ("\n".join(lines) + "\n").encode("utf-8")


def _row(framework, **kw):
    row = dict.fromkeys(framework.question_ids, 4)
    row["group"] = "Invånare"
    row.update(kw)
    return row


def test_valid_csv_is_read(framework):
    data = _csv(
        framework,
        [
            _row(
                framework, respondent="1", housing=2, priority_1="housing", good_housing="Bra hus"
            ),
            _row(framework, housing=""),
        ],
    )
    imported = parse_table(read_table(data, "a.csv"), framework)
    rs = imported.responses
    assert rs.n == 2
    assert rs.values[0, 0] == 2
    assert rs.dont_know[1, 0]
    assert rs.groups[0].label == "Invånare"
    assert rs.priorities[0, framework.theme_ids.index("housing")]
    assert rs.comments[0].text == "Bra hus"
    assert rs.comments[0].theme_id == "housing"
    assert imported.row_numbers == [2, 3]


def test_semicolons_and_windows_encoding(framework):
    data = (
        _csv(framework, [_row(framework, group="Föreningsliv")], delimiter=";")
        .decode("utf-8")
        .encode("cp1252")
    )
    imported = parse_table(read_table(data, "excel.csv"), framework)
    assert imported.responses.groups[0].label == "Föreningsliv"


def test_every_problem_is_reported_with_row_and_column(framework):
    rows = [
        _row(framework, housing=9),  # row 2: out of range
        _row(framework, mobility="bra"),  # row 3: not a number
        _row(framework, priority_1="bostäder", priority_2="housing"),  # row 4: duplicate theme
        _row(framework, priority_1="parking"),  # row 5: unknown theme
        _row(framework, age_band="99"),  # row 6: unknown age band
    ]
    with pytest.raises(ImportValidationError) as info:
        parse_table(read_table(_csv(framework, rows), "bad.csv"), framework)
    found = {(i.row, i.column, i.code) for i in info.value.issues}
    assert found == {
        (2, "housing", "rating_out_of_range"),
        (3, "mobility", "rating_not_number"),
        (4, "priority_2", "duplicate_priority"),
        (5, "priority_1", "unknown_theme"),
        (6, "age_band", "unknown_age_band"),
    }
    first = info.value.issues[0]
    sv = catalogue_translator("sv")
    assert locate_issue(first) == "Row 2, column D (housing)"
    assert "9" in describe_issue(first)
    assert "1 to 7" in describe_issue(first)
    assert locate_issue(first, _=sv).startswith("Rad 2, kolumn D")


def test_header_problems_are_reported_before_rows(framework):
    header = [c for c in template_columns(framework) if c != "mobility"] + ["housng", "extra"]
    with pytest.raises(ImportValidationError) as info:
        parse_table(read_table(_csv(framework, [{}], header=header), "h.csv"), framework)
    codes = {(i.code, i.params.get("column")) for i in info.value.issues}
    assert ("missing_column", "mobility") in codes
    assert ("unknown_column_hint", "housng") in codes  # "did you mean housing?"
    assert ("unknown_column", "extra") in codes


def test_groups_must_be_the_rounds_when_given(framework):
    groups = [GroupInfo("residents", "Invånare", "place", aliases=("Residents",))]
    ok = parse_table(
        read_table(
            _csv(
                framework, [_row(framework, group="residents"), _row(framework, group="RESIDENTS ")]
            ),
            "g.csv",
        ),
        framework,
        groups=groups,
    )
    assert list(ok.responses.group) == [0, 0]
    with pytest.raises(ImportValidationError) as info:
        parse_table(
            read_table(_csv(framework, [_row(framework, group="Turister")]), "g.csv"),
            framework,
            groups=groups,
        )
    assert info.value.issues[0].code == "unknown_group"
    assert "Invånare" in info.value.issues[0].params["choices"]


def test_duplicate_respondent_numbers(framework):
    data = _csv(
        framework,
        [
            _row(framework, respondent="7"),
            _row(framework, respondent="8"),
            _row(framework, respondent="7"),
        ],
    )
    with pytest.raises(ImportValidationError) as info:
        parse_table(read_table(data, "d.csv"), framework)
    issue = info.value.issues[0]
    assert (issue.row, issue.code, issue.params["other_row"]) == (4, "duplicate_respondent", 2)


def test_hostile_text_is_kept_as_text(framework):
    data = _csv(framework, [_row(framework, better_housing="<script>alert(1)</script>\x07")])
    imported = parse_table(read_table(data, "x.csv"), framework)
    assert imported.responses.comments[0].text == "<script>alert(1)</script>"  # control char gone


@pytest.mark.parametrize(
    ("payload", "name", "code"),
    [
        (b"PK\x03\x04 not really a zip", "broken.xlsx", "file_unreadable"),
        (b"", "empty.csv", "file_empty"),
        (b"a,b", "x.pdf", "wrong_extension"),
    ],
)
def test_unreadable_files(payload, name, code):
    with pytest.raises(TableError) as info:
        read_table(payload, name)
    assert info.value.code == code


def test_no_rows_and_row_limit(framework):
    with pytest.raises(ImportValidationError) as info:
        parse_table(read_table(_csv(framework, []), "e.csv"), framework)
    assert info.value.issues[0].code == "no_rows"
    with pytest.raises(ImportValidationError) as info:
        parse_table(
            read_table(_csv(framework, [_row(framework)] * 3), "e.csv"), framework, max_rows=2
        )
    assert info.value.issues[0].code == "too_many_rows"


def test_xlsx_template_round_trip(framework):
    data = template_xlsx(framework, groups=["Invånare", "Unga (16–25 år)"])
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook["Answers"]
    assert [c.value for c in sheet[1]] == template_columns(framework)
    assert "Instructions" in workbook.sheetnames
    # Fill in two answers the way a person would (numbers as numbers, labels from the lists).
    sheet.append(["1", "Invånare", "25–34 år", *[4] * 15, "housing", None, None])
    sheet.append(["2", "Unga (16–25 år)", None, *[None] * 15, None, None, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    imported = parse_table(read_table(buffer.getvalue(), "filled.xlsx"), framework)
    assert imported.responses.n == 2
    assert imported.responses.age_band[0] == [a.id for a in framework.age_bands].index("25_34")
    assert imported.responses.dont_know[1].all()


def test_xlsx_typed_numbers_and_blank_lines(framework):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(template_columns(framework))
    sheet.append(["r1", "Invånare", None, *[5.0] * 15])
    sheet.append([None] * 5)  # a blank line in the middle is skipped
    sheet.append(["r2", "Invånare", None, *[3] * 15])
    buffer = io.BytesIO()
    workbook.save(buffer)
    imported = parse_table(read_table(buffer.getvalue(), "n.xlsx"), framework)
    assert imported.responses.n == 2
    assert imported.row_numbers == [2, 4]


def test_csv_template_has_the_contract_columns(framework):
    header = template_csv(framework).decode("utf-8-sig").strip().split(",")
    assert header[:3] == ["respondent", "group", "age_band"]
    assert header[3:18] == list(framework.theme_ids)
    assert header[18:21] == ["priority_1", "priority_2", "priority_3"]
    assert "good_housing" in header
    assert "better_public_spaces" in header


def test_csv_writer_neutralises_formulas():
    text = write_csv(["a"], [['=HYPERLINK("x")'], ["-3"], ["+46 70"]]).decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    assert "\n-3" in text.replace("\r", "")
    assert "'+46 70" in text


# --- problem lists: sorted, and one line per mistake however many rows repeat it ----------


def _exists(row: int, ref: str) -> ImportIssue:
    """As the web app reports a form number already imported (one issue per row)."""
    return ImportIssue("respondent_exists", row, "respondent", None, {"value": ref})


def test_issues_are_sorted_by_row_then_column():
    issues = [
        ImportIssue("rating_out_of_range", 5, "mobility", "G", {"value": "9", "min": 1, "max": 7}),
        ImportIssue("unknown_theme", 3, "priority_1", "S", {"value": "x", "example": "housing"}),
        ImportIssue("rating_out_of_range", 3, "housing", "D", {"value": "8", "min": 1, "max": 7}),
        ImportIssue("no_rows"),
        ImportIssue("missing_column", 1, "mobility", None, {"column": "mobility"}),
    ]
    order = [(g.code, g.rows) for g in group_issues(issues)]
    assert order == [
        ("no_rows", []),
        ("missing_column", [1]),
        ("rating_out_of_range", [3]),
        ("unknown_theme", [3]),
        ("rating_out_of_range", [5]),
    ]


def test_a_file_uploaded_twice_gives_one_line_not_48():
    issues = [_exists(row, f"F{row:03}") for row in range(49, 1, -1)]
    issues.insert(7, ImportIssue("rating_not_number", 10, "housing", "D", _rating("bra")))
    problems = explain_issues(issues)
    assert [p.where for p in problems] == [
        "Rows 2–49, column respondent",
        "Row 10, column D (housing)",
    ]
    assert problems[0].what.startswith(
        "These respondents have already been imported to this round: F002, F003,"
    )
    assert "F011, …" in problems[0].what  # ten values named, not 48
    assert problems[1].what == describe_issue(issues[7])


def _rating(value: str) -> dict:
    return {"value": value, "min": 1, "max": 7}


def test_rows_with_the_same_mistake_read_as_ranges():
    issues = [
        ImportIssue(
            "unknown_group", row, "group", "B", {"value": "Turister", "choices": "Invånare"}
        )
        for row in (2, 3, 4, 7, 9, 10)
    ]
    (problem,) = explain_issues(issues)
    assert problem.where == "Rows 2–4, 7, 9–10, column B (group)"
    assert problem.what == describe_issue(issues[0])  # the same value: the issue's own sentence
    assert row_ranges(range(2, 60, 2)).endswith(", …")


def test_different_values_in_one_column_are_named_together():
    issues = [
        ImportIssue("rating_not_number", r, "housing", "D", _rating(v))
        for r, v in [(3, "bra"), (4, "ok"), (5, "bra")]
    ]
    (problem,) = explain_issues(issues)
    assert problem.where == "Rows 3–5, column D (housing)"
    assert problem.what.startswith("bra, ok are not ratings. Write whole numbers from 1 to 7")


def test_different_columns_and_codes_are_not_collapsed():
    issues = [
        ImportIssue("rating_not_number", 3, "housing", "D", _rating("bra")),
        ImportIssue("rating_not_number", 4, "mobility", "G", _rating("bra")),
        ImportIssue("rating_out_of_range", 5, "housing", "D", _rating("9")),
    ]
    assert len(explain_issues(issues)) == 3


def test_problems_not_listed_are_counted():
    issues = [_exists(row, str(row)) for row in range(2, 202)]
    problems = explain_issues(issues, total=260)
    assert len(problems) == 2
    assert problems[-1] == Problem("", "…and 60 more errors.")


def test_a_collapsed_sentence_exists_for_every_message_that_varies_by_row():
    # Issues that differ only in PER_ROW_PARAMS collapse into one line, which is then said
    # with the <code>_many sentence from the parameters they share, plus {values}.
    fields = {
        code: {name for _, name, _, _ in string.Formatter().parse(text) if name}
        for code, text in IMPORT_ERRORS.items()
    }
    for code, names in fields.items():
        if code.endswith("_many") or not names & PER_ROW_PARAMS:
            continue
        assert f"{code}_many" in fields, code
        assert fields[f"{code}_many"] <= (names - PER_ROW_PARAMS) | {"values"}, code


def test_parse_table_problems_come_out_collapsed(framework):
    rows = [_row(framework, group="Turister") for _ in range(30)] + [_row(framework, housing=9)]
    groups = [GroupInfo("residents", "Invånare", "place")]
    with pytest.raises(ImportValidationError) as info:
        parse_table(read_table(_csv(framework, rows), "g.csv"), framework, groups=groups)
    problems = explain_issues(info.value.issues, total=info.value.total)
    assert [p.where for p in problems] == [
        "Rows 2–31, column B (group)",
        "Row 32, column D (housing)",
    ]


# --- groups in a file without a round: the framework's ids and labels have their sides -----


def test_framework_groups_in_a_file_get_their_sides_and_other_labels_none(framework):
    cells = ["residents", "Invånare", "Young people (16–25)", "Fiskare", " INVA\u030aNARE ", ""]
    data = _csv(framework, [_row(framework, group=c) for c in cells])
    rs = parse_table(read_table(data, "g.csv"), framework, language="en").responses
    assert [(g.key, g.label, g.side) for g in rs.groups] == [
        ("residents", "Residents", "place"),
        ("young_people", "Young people (16–25)", "place"),
        ("Fiskare", "Fiskare", None),
    ]
    # Two spellings of one group are one group; upper case, spaces and a decomposed Å too.
    assert list(rs.group) == [0, 0, 1, 2, 0, -1]
    assert rs.groups[0].aliases == ("Invånare",)
    swedish = parse_table(read_table(data, "g.csv"), framework, language="sv").responses
    assert [g.label for g in swedish.groups] == ["Invånare", "Unga (16–25 år)", "Fiskare"]


def test_groups_are_numbered_in_order_of_first_appearance(framework):
    cells = ["Fiskare", "industry_management", "fiskare", "Arbetsgivare eller företagsledning"]
    data = _csv(framework, [_row(framework, group=c) for c in cells])
    rs = parse_table(read_table(data, "g.csv"), framework).responses
    # Free text is grouped as written (a different case is another group); known ones by id.
    assert [g.key for g in rs.groups] == ["Fiskare", "industry_management", "fiskare"]
    assert [g.side for g in rs.groups] == [None, "industry", None]
    assert list(rs.group) == [0, 1, 2, 1]


# --- the column-wise reading agrees with the rows, whatever the file looks like --------------


def test_blank_rows_short_rows_and_empty_first_cells(framework):
    header = template_columns(framework)
    full = _csv(framework, [_row(framework, housing=2)]).decode().splitlines()[1]
    assert full.startswith(",")  # no respondent number: the first cell is empty
    lines = [
        ",".join(header),
        full,  # row 2
        "",  # row 3: blank
        "," * (len(header) - 1),  # row 4: blank, every cell empty
        full,  # row 5
        ",".join(full.split(",")[:10]),  # row 6: stops after the tenth column
    ]
    imported = parse_table(read_table("\n".join(lines).encode(), "b.csv"), framework)
    assert imported.row_numbers == [2, 5, 6]
    assert imported.respondents == ["", "", ""]
    rs = imported.responses
    assert rs.values[:, 0].tolist() == [2, 2, 2]
    assert rs.dont_know[2, 7:].all()  # the cells cut off
    assert not rs.dont_know[2, :7].any()


def test_every_rating_spelling_is_read_as_before(framework):
    spellings = {"4": 4, " 5 ": 5, "6,0": 6, "7.0": 7, "": None, "vet ej": "dk", "?": "dk"}
    rows = [_row(framework, housing=c, mobility=c) for c in spellings]
    data = _csv(framework, rows, delimiter=";")  # Swedish Excel: "6,0" is a number
    rs = parse_table(read_table(data, "r.csv"), framework).responses
    for q in (0, framework.question_ids.index("mobility")):
        for i, expected in enumerate(spellings.values()):
            if isinstance(expected, int):
                assert rs.values[i, q] == expected
                assert not rs.dont_know[i, q]
            else:  # empty is "don't know" too on a scale that has it
                assert rs.values[i, q] != rs.values[i, q]
                assert rs.dont_know[i, q]
    assert rs.values.flags.c_contiguous
    assert rs.values.dtype == float


def test_rating_problems_are_listed_by_column_then_row(framework):
    rows = [
        _row(framework, mobility="9", housing="2,5"),
        _row(framework, housing="bra"),
        _row(framework, mobility="0"),
    ]
    with pytest.raises(ImportValidationError) as info:
        parse_table(read_table(_csv(framework, rows, delimiter=";"), "p.csv"), framework)
    found = [(i.column, i.row, i.code, i.params["value"]) for i in info.value.issues]
    assert found == [
        ("housing", 2, "rating_not_number", "2,5"),
        ("housing", 3, "rating_not_number", "bra"),
        ("mobility", 2, "rating_out_of_range", "9"),
        ("mobility", 4, "rating_out_of_range", "0"),
    ]


def test_the_free_text_template_suggests_the_framework_groups(framework):
    """Without a round's groups (the command line) the template offers the framework's
    groups in a drop-down that does not refuse other names, and says which are which."""
    data = template_xlsx(framework, language="en")
    workbook = load_workbook(io.BytesIO(data))
    lists = workbook["Lists"]
    assert lists["A1"].value == "group"
    offered = [lists.cell(row=r, column=1).value for r in range(2, 2 + len(framework.groups))]
    assert offered == [g.label.en for g in framework.groups]
    sheet = workbook["Answers"]
    (group_rule,) = [v for v in sheet.data_validations.dataValidation if "B2" in str(v.sqref)]
    assert not group_rule.showErrorMessage  # a suggestion: "Fiskare" may be typed
    assert any("Young people (16–25)" in str(c.value) for c in workbook["Instructions"]["B"])
    sheet.append(["1", offered[1], None, *[4] * 15])
    sheet.append(["2", "Fiskare", None, *[5] * 15])
    buffer = io.BytesIO()
    workbook.save(buffer)
    rs = parse_table(read_table(buffer.getvalue(), "cli.xlsx"), framework).responses
    assert [(g.key, g.side) for g in rs.groups] == [("young_people", "place"), ("Fiskare", None)]


def test_a_table_built_in_code_with_tuples_reads_the_same(framework):
    """Rows need not be lists (a table built in code): comments are still found."""
    rows = [_row(framework, good_housing="Bra hus"), _row(framework, better_mobility="Buss")]
    table = read_table(_csv(framework, rows), "t.csv")
    as_lists = parse_table(table, framework).responses
    as_tuples = parse_table(
        Table(table.header, [tuple(r) for r in table.rows]), framework
    ).responses
    expected = [(0, "housing", "good", "Bra hus"), (1, "mobility", "better", "Buss")]
    for rs in (as_lists, as_tuples):
        assert [(c.respondent, c.theme_id, c.kind, c.text) for c in rs.comments] == expected
