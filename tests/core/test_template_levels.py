"""The XLSX answer template carries the scale's level descriptions (issue 8): a sheet
"Levels", a note on each statement's heading and an input message on its cells, in the
template's language; and a filled template still imports exactly as the same answers in a
plain sheet or a CSV do (the importer reads only the answer sheet)."""

from __future__ import annotations

import io

import numpy as np
import pytest
from openpyxl import Workbook, load_workbook

from platsa.core.io.importer import parse_table, template_columns
from platsa.core.io.tabular import read_table, write_csv
from platsa.core.io.template import MAX_PROMPT, template_csv, template_xlsx
from platsa.core.render.messages import catalogue_translator
from platsa.core.schema.frameworks import get_framework


@pytest.fixture(scope="module")
def innovation():
    return get_framework("innovation-capacity")


def _book(framework, language, **kw):
    data = template_xlsx(framework, language=language, _=catalogue_translator(language), **kw)
    return load_workbook(io.BytesIO(data))


def _levels_sheet(book):
    """The sheet after the answers, whatever its name in the reader's language."""
    return book.worksheets[book.sheetnames.index(book.active.title) + 1]


def _rating_rules(sheet, column):
    return [v for v in sheet.data_validations.dataValidation if f"{column}2:" in str(v.sqref)]


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_levels_sheet_has_every_level_with_its_text(innovation, language):
    book = _book(innovation, language)
    answers = book.active
    assert answers.title == {"sv": "Svar", "en": "Answers"}[language]
    assert [c.value for c in answers[1]] == template_columns(innovation)
    levels = _levels_sheet(book)
    rows = [tuple(r) for r in levels.iter_rows(min_row=2, values_only=True)]
    expected = [(label.value, label.text.get(language)) for label in innovation.scale.labels]
    assert rows[:5] == expected
    assert [v for v, _t in rows[:5]] == [1, 2, 3, 4, 5]
    assert rows[5][1] in ("Don't know", "Vet ej")  # the empty cell, last
    assert len(rows) == 6
    # Swedish texts on the Swedish template, English on the English one.
    joined = " ".join(t for _v, t in rows)
    assert ("Inte påbörjat" in joined) == (language == "sv")
    assert ("Not started" in joined) == (language == "en")


@pytest.mark.parametrize("language", ["sv", "en"])
def test_every_statement_heading_and_cell_shows_the_levels(innovation, language):
    book = _book(innovation, language)
    answers = book.active
    columns = [c.value for c in answers[1]]
    lead = innovation.scale.labels[0].text.get(language).split(":")[0]  # "Not started"
    top = innovation.scale.labels[-1].text.get(language)
    for question in innovation.questions:
        index = columns.index(question.id) + 1
        note = answers.cell(row=1, column=index).comment
        assert note is not None, question.id
        assert note.text.startswith(question.text.get(language))
        assert top in note.text  # the full description of level 5
        letter = answers.cell(row=1, column=index).column_letter
        (rule,) = _rating_rules(answers, letter)
        assert rule.showInputMessage
        assert len(rule.prompt) <= MAX_PROMPT
        assert len(rule.promptTitle) <= 32
        assert f"1 {lead}" in rule.prompt
        assert "5 " in rule.prompt
    # Other columns get no note: the group and the priorities explain themselves.
    assert answers.cell(row=1, column=columns.index("group") + 1).comment is None
    instructions = book.worksheets[0]
    assert any(
        _levels_sheet(book).title in str(c.value) for c in instructions["B"]
    )  # the instructions point to the sheet


def test_a_seven_point_scale_named_at_its_ends_and_middle(framework):
    """Place attractiveness names 1, 4 and 7: those get their text, the points between say
    which named levels they lie between, and the messages name only the named levels."""
    book = _book(framework, "en")
    rows = [tuple(r) for r in _levels_sheet(book).iter_rows(min_row=2, values_only=True)]
    assert rows == [
        (1, "Needs much improvement"),
        (2, "Between 1 and 4"),
        (3, "Between 1 and 4"),
        (4, "Neither good nor bad"),
        (5, "Between 4 and 7"),
        (6, "Between 4 and 7"),
        (7, "Works very well"),
        ("(empty)", "Don't know"),
    ]
    answers = book.active
    (rule,) = _rating_rules(answers, "D")
    assert rule.prompt.splitlines() == [
        "1 Needs much improvement",
        "4 Neither good nor bad",
        "7 Works very well",
        "Empty: don't know",
    ]
    assert "Between" not in answers["D1"].comment.text


def test_a_scale_without_names_gets_no_levels_sheet(framework):
    unnamed = framework.model_copy(
        update={"scale": framework.scale.model_copy(update={"labels": ()})}
    )
    book = _book(unnamed, "en")
    assert len(book.sheetnames) == 3  # instructions, answers, lists
    assert all(c.comment is None for c in book.active[1])


def test_the_csv_template_is_only_the_header(innovation):
    assert template_csv(innovation) == write_csv(template_columns(innovation), [])


def _answers(framework, n=30):
    """Rows as a person types them: numbers, empty cells for "don't know", labels."""
    rng = np.random.default_rng(8)
    groups = [g.label.sv for g in framework.groups]
    columns = template_columns(framework)
    rows = []
    for i in range(n):
        row: list[object] = [None] * len(columns)
        row[columns.index("respondent")] = str(i + 1)
        row[columns.index("group")] = groups[i % len(groups)]
        for q in framework.question_ids:
            value = int(rng.integers(framework.scale.min, framework.scale.max + 1))
            row[columns.index(q)] = None if rng.random() < 0.1 else value
        row[columns.index("priority_1")] = framework.theme_ids[i % len(framework.theme_ids)]
        if i % 4 == 0:
            comment = f"{framework.comments[0].id}_{framework.theme_ids[0]}"
            row[columns.index(comment)] = f"Hinder nummer {i}"
        rows.append(row)
    return columns, rows


def _same(a, b):
    ra, rb = a.responses, b.responses
    assert ra.n == rb.n
    assert np.array_equal(ra.values, rb.values, equal_nan=True)
    assert np.array_equal(ra.dont_know, rb.dont_know)
    assert [(g.key, g.side) for g in ra.groups] == [(g.key, g.side) for g in rb.groups]
    assert [(c.respondent, c.theme_id, c.kind, c.text) for c in ra.comments] == [
        (c.respondent, c.theme_id, c.kind, c.text) for c in rb.comments
    ]
    assert a.row_numbers == b.row_numbers


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("which", ["innovation-capacity", "place-attractiveness"])
def test_a_filled_template_imports_as_the_same_answers_elsewhere(which, language):
    framework = get_framework(which)
    columns, rows = _answers(framework)
    book = _book(framework, language, groups=[g.label.sv for g in framework.groups])
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    filled = parse_table(read_table(buffer.getvalue(), "ifylld.xlsx"), framework)

    plain = Workbook()  # the same answers on a bare sheet
    plain.active.append(columns)
    for row in rows:
        plain.active.append(row)
    bare = io.BytesIO()
    plain.save(bare)
    from_plain = parse_table(read_table(bare.getvalue(), "bar.xlsx"), framework)
    as_text = [["" if v is None else str(v) for v in row] for row in rows]
    from_csv = parse_table(read_table(write_csv(columns, as_text), "svar.csv"), framework)

    assert filled.responses.n == len(rows)
    assert filled.responses.dont_know.any()  # the empty cells came through as "don't know"
    _same(filled, from_plain)
    _same(filled, from_csv)


def test_the_levels_sheet_first_does_not_fool_the_importer(innovation):
    """Even moved in front of the answers (people reorder sheets), the levels sheet is not
    taken for the answers: the importer looks for the sheet with a "group" heading."""
    _columns, rows = _answers(innovation, n=6)
    book = _book(innovation, "en")
    for row in rows:
        book.active.append(row)
    levels = _levels_sheet(book)
    book.move_sheet(levels, offset=-book.index(levels))
    assert book.sheetnames[0] == levels.title
    buffer = io.BytesIO()
    book.save(buffer)
    imported = parse_table(read_table(buffer.getvalue(), "moved.xlsx"), innovation)
    assert imported.responses.n == 6
