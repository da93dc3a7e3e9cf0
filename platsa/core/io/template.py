"""The import template for paper answers, as CSV or XLSX.

The XLSX template helps the person typing: drop-down lists for groups, ratings, age bands and
priorities, and a second sheet that explains every column in the reader's language. When the
framework's scale names its levels (innovation capacity: 1 "Not started" ... 5 "Leading"),
the person typing sees them where the rating is typed: a sheet "Levels", a note on every
statement's heading and a short input message on its cells. The importer reads only the
sheet whose header has a ``group`` column, so none of this changes what is imported.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from platsa.core.io.importer import template_columns
from platsa.core.io.tabular import column_letter, safe_cell, write_csv
from platsa.core.render.messages import Translate, identity
from platsa.core.schema.frameworks import Framework

MAX_TEMPLATE_ROWS = 2000  # rows that get drop-down lists
# Excel's own limits on a data validation's input message: longer ones make it call the
# file damaged ("We found a problem with some content").
MAX_PROMPT_TITLE = 32
MAX_PROMPT = 255


def template_csv(framework: Framework) -> bytes:
    return write_csv(template_columns(framework), [])


def template_xlsx(
    framework: Framework,
    *,
    groups: Sequence[str] = (),
    language: str = "sv",
    _: Translate = identity,
) -> bytes:
    """An XLSX template. ``groups`` are the labels respondents may be in (a round's groups);
    empty means free text, as on the command line: then the framework's groups are offered
    in a drop-down list (each has its side in the comparisons between groups), and any
    other label is accepted as a group of its own."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    columns = template_columns(framework)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Answers")[:31]
    sheet.append(columns)
    header_fill = PatternFill("solid", fgColor="DDE7F0")
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = header_fill
    sheet.freeze_panes = "B2"

    lists = workbook.create_sheet(_("Lists")[:31])
    list_columns: dict[str, tuple[str, int]] = {}

    def add_list(name: str, values: Sequence[str]) -> str:
        col = column_letter(len(list_columns) + 1)
        lists.cell(row=1, column=len(list_columns) + 1, value=name).font = Font(bold=True)
        for i, value in enumerate(values, start=2):
            lists[f"{col}{i}"] = safe_cell(value)  # group labels are typed by organisers
        list_columns[name] = (col, len(values))
        return f"'{lists.title}'!${col}$2:${col}${len(values) + 1}"

    last = MAX_TEMPLATE_ROWS + 1

    def validate(
        ref: str, header: str, title: str, *, strict: bool = True, prompt: str = ""
    ) -> None:
        index = columns.index(header) + 1
        letter = column_letter(index)
        dv = DataValidation(type="list", formula1=ref, allow_blank=True)
        dv.errorTitle = title
        dv.error = _("Choose a value from the list, or leave the cell empty.")
        dv.showErrorMessage = strict  # not strict: the list suggests, any text is kept
        if prompt:  # shown while a cell of the column is selected
            dv.promptTitle = _("Levels")[:MAX_PROMPT_TITLE]
            dv.prompt = prompt
            dv.showInputMessage = True
        dv.add(f"{letter}2:{letter}{last}")
        sheet.add_data_validation(dv)

    known_groups = [g.label.get(language) for g in framework.groups]
    if groups:
        ref = add_list("group", list(groups))
        validate(ref, "group", "group")
    else:
        validate(add_list("group", known_groups), "group", "group", strict=False)
    if framework.age_bands:
        ref = add_list("age_band", [a.label.get(language) for a in framework.age_bands])
        validate(ref, "age_band", "age_band")
    ratings = [str(v) for v in framework.scale.values]
    rating_ref = add_list("rating", ratings)
    levels = level_rows(framework, language, _)
    prompt = level_prompt(framework, language, _) if levels else ""
    for qid in framework.question_ids:
        validate(rating_ref, qid, qid, prompt=prompt)
    theme_ref = add_list("theme", list(framework.theme_ids))
    for p in range(1, framework.max_priorities + 1):
        validate(theme_ref, f"priority_{p}", f"priority_{p}")

    for index, name in enumerate(columns, start=1):
        width = 12 if name in framework.question_ids else 22
        sheet.column_dimensions[column_letter(index)].width = width

    help_sheet = workbook.create_sheet(_("Instructions")[:31], 0)
    help_sheet.column_dimensions["A"].width = 24
    help_sheet.column_dimensions["B"].width = 90
    rows: list[tuple[str, str]] = [
        (
            framework.title.get(language),
            _("Import template, version {version}").format(version=framework.version),
        ),
        ("", _("One row per respondent on the sheet “Answers”. Do not change the headings.")),
        (
            "respondent",
            _("Optional: the number written on the paper form, so each form is imported once."),
        ),
        (
            "group",
            _("The respondent's group: {groups}").format(groups=", ".join(groups))
            if groups
            else _(
                "The respondent's group, written the same way for everyone in the group. "
                "These have their side (the place, its industry, the municipality, civil "
                "society) in the comparisons between groups: {groups}; any other name is a "
                "group of its own."
            ).format(groups=", ".join(known_groups)),
        ),
        ("age_band", ", ".join(a.label.get(language) for a in framework.age_bands) or "–"),
    ]
    scale_text = _("A whole number from {min} to {max}; leave empty for “don't know”.").format(
        min=framework.scale.min, max=framework.scale.max
    )
    levels_title = _("Levels")[:31]
    if levels:
        rows.append(
            (
                levels_title,
                _(
                    "What each level means is on the sheet “{sheet}”, in the note on each "
                    "statement's heading and in the message shown when you select a cell."
                ).format(sheet=levels_title),
            )
        )
    for theme in framework.themes:
        for question in theme.questions:
            rows.append(
                (
                    question.id,
                    f"{theme.title.get(language)}: {question.text.get(language)} {scale_text}",
                )
            )
    rows.append(
        (
            f"priority_1 … priority_{framework.max_priorities}",
            _("Optional: up to {n} theme ids that matter most to the respondent.").format(
                n=framework.max_priorities
            ),
        )
    )
    for spec in framework.comments:
        rows.append(
            (
                f"{spec.id}_<theme>",
                _("Optional comment: {prompt}").format(prompt=spec.prompt.get(language)),
            )
        )
    for key, text in rows:
        help_sheet.append([key, text])
    for cell in help_sheet["A"]:
        cell.font = Font(bold=True)
    for cell in help_sheet["B"]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    if levels:
        _add_levels(workbook, sheet, framework, levels, levels_title, language, _)
    workbook.active = 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def level_rows(
    framework: Framework, language: str, _: Translate = identity
) -> list[tuple[str, str]]:
    """(level, what it means) for every point of the scale, then the empty cell ("don't
    know"); empty when the scale names no level (then a number needs no explaining). A point
    without a label of its own lies between the named ones ("Between 1 and 4" on a 1-7 scale
    that names 1, 4 and 7)."""
    scale = framework.scale
    named = sorted(label.value for label in scale.labels)
    if not named:
        return []
    rows = []
    for value in scale.values:
        text = scale.label_for(value, language)
        if not text:
            lower = [v for v in named if v < value]
            upper = [v for v in named if v > value]
            if lower and upper:
                text = _("Between {lower} and {upper}").format(lower=lower[-1], upper=upper[0])
        rows.append((str(value), text))
    if scale.dont_know:
        rows.append((_("(empty)"), _("Don't know")))
    return rows


def level_prompt(framework: Framework, language: str, _: Translate = identity) -> str:
    """The named levels in at most :data:`MAX_PROMPT` characters: in full when they fit,
    else each by its name alone (the text before its colon: "1 Not started"), cut short
    as a last resort. The full texts are on the sheet "Levels" and in the headings' notes."""
    scale = framework.scale
    labels = [(v, scale.label_for(v, language)) for v in scale.values]
    named = [(v, text) for v, text in labels if text]
    tail = [_("Empty: don't know")] if scale.dont_know else []
    full = "\n".join([f"{v} {text}" for v, text in named] + tail)
    if len(full) <= MAX_PROMPT:
        return full
    short = "\n".join([f"{v} {text.split(':', 1)[0].strip()}" for v, text in named] + tail)
    if len(short) <= MAX_PROMPT:
        return short
    return short[: MAX_PROMPT - 1] + "…"


def _add_levels(
    workbook: Any,
    answers: Any,
    framework: Framework,
    levels: list[tuple[str, str]],
    title: str,
    language: str,
    _: Translate,
) -> None:
    """The sheet "Levels" (after "Answers") and a note on every statement's heading with the
    statement and its named levels, so the levels are at hand wherever the person typing
    looks (the points "between" two named ones are left out of the note: noise there)."""
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font

    sheet = workbook.create_sheet(title, workbook.index(answers) + 1)
    # No "group" heading here: the importer takes the first sheet that has one.
    sheet.append([_("Level"), _("What it means")])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for value, text in levels:
        # A framework file's text is not a formula, whatever it starts with.
        sheet.append([int(value) if value.lstrip("-").isdigit() else value, safe_cell(text)])
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["B"].width = 90
    for cell in sheet["B"]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    scale = framework.scale
    named = "\n".join(
        [
            f"{v} {scale.label_for(v, language)}"
            for v in scale.values
            if scale.label_for(v, language)
        ]
        + ([_("Empty: don't know")] if scale.dont_know else [])
    )
    columns = [cell.value for cell in answers[1]]
    for theme in framework.themes:
        for question in theme.questions:
            text = f"{question.text.get(language)}\n\n{named}"
            note = Comment(text, framework.title.get(language)[:60])  # notes are never run
            note.width = 360
            note.height = 24 + 15 * (text.count("\n") + len(text) // 55 + 1)
            answers.cell(row=1, column=columns.index(question.id) + 1).comment = note
