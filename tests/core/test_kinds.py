"""The core's vocabularies as enums: their values are what databases, job results and stored
results already hold, every code has a message, and text read back becomes the member it
names.

The value lists below are written out, not derived from the enums: a renamed or dropped
value must fail here, because stored data would lose its meaning."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from platsa.core.analysis.recommend import Notice, NoticeCode, Reason, ReasonKind
from platsa.core.io.importer import ImportErrorCode, ImportIssue, issue_code
from platsa.core.io.tabular import TableError, TableErrorCode
from platsa.core.render.explain import describe_issue, describe_notice, describe_reason
from platsa.core.render.messages import IMPORT_ERRORS, NOTICES, REASONS
from platsa.core.schema.catalogue import ContextTag
from platsa.core.schema.dataset import GroupInfo
from platsa.core.schema.frameworks import Side

PLATSA = Path(__file__).resolve().parents[2] / "platsa"

SIDES = ("place", "industry", "public", "civil", "other")
REASON_KINDS = (
    "theme_need",
    "group_gap",
    "comment_match",
    "context",
    "precondition_unknown",
    "precondition_failed",
    "quick_win",
    "long_term",
    "precondition_unverified",
)
NOTICE_CODES = ("no_ratings", "few_respondents", "all_strong", "no_clear_need", "small_group")
IMPORT_CODES = (
    "too_many_rows",
    "no_rows",
    "missing_column",
    "unknown_column",
    "unknown_column_hint",
    "duplicate_column",
    "value_without_header",
    "rating_not_number",
    "rating_out_of_range",
    "unknown_group",
    "unknown_age_band",
    "unknown_theme",
    "duplicate_priority",
    "comment_too_long",
    "duplicate_respondent",
    "respondent_too_long",
    "respondent_exists",
    "unexpected",
)
TABLE_CODES = (
    "file_unreadable",
    "file_empty",
    "file_too_large",
    "wrong_extension",
    "file_too_large_unpacked",
    "file_too_many_parts",
    "file_packed_oddly",
    "file_unsafe_xml",
    "read_timeout",
    "too_many_cells",
    "too_many_columns",
    "row_beyond_limit",
    "cell_too_long",
    "unclosed_quote",
    "formula_without_value",
    "formulas_without_value",
    "error_cell",
    "error_cells",
)


@pytest.mark.parametrize(
    ("enum", "values"),
    [
        (Side, SIDES),
        (ReasonKind, REASON_KINDS),
        (NoticeCode, NOTICE_CODES),
        (ImportErrorCode, IMPORT_CODES),
        (TableErrorCode, TABLE_CODES),
    ],
)
def test_values_are_the_strings_stored_before(enum, values):
    assert sorted(m.value for m in enum) == sorted(values)
    for value in values:
        member = enum(value)
        # Equal to, hashed as, printed and written to JSON as the plain string.
        assert member == value
        assert {value: 1}[member] == 1
        assert f"{member}" == str(member) == value
        assert json.dumps({member: member}) == json.dumps({value: value})


def test_import_and_table_codes_do_not_overlap():
    """An issue's code is looked up in both: one value must not mean two things."""
    assert not {m.value for m in ImportErrorCode} & {m.value for m in TableErrorCode}


@pytest.mark.parametrize("code", [*ImportErrorCode, *TableErrorCode])
def test_every_import_and_table_code_has_a_message(code):
    assert code in IMPORT_ERRORS
    placeholders = set(re.findall(r"{(\w+)}", IMPORT_ERRORS[code]))
    text = describe_issue(ImportIssue(code, params=dict.fromkeys(placeholders, "X")))
    assert text
    assert "{" not in text


def test_every_notice_code_has_a_sentence(framework):
    for code in NoticeCode:
        assert code in NOTICES
        values = {"respondents": 3, "minimum": 30, "threshold": 5.5, "groups": ["residents"]}
        assert describe_notice(Notice(code, values), framework, "en")


def test_every_reason_kind_has_a_sentence(framework):
    """Each kind the engine makes, and each value its sentence is chosen by, has a text."""
    theme_values = {"score": 3.0, "low": 2.5, "high": 3.5, "n": 20, "scale_max": 7}
    gap_values = {
        "high_group": "residents",
        "high_score": 5.0,
        "low_group": "associations",
        "low_score": 3.0,
    }
    simple = {
        ReasonKind.THEME_NEED: theme_values,
        ReasonKind.GROUP_GAP: gap_values,
        ReasonKind.COMMENT_MATCH: {"quote": "Fler bussar", "comment_kind": "better"},
        ReasonKind.QUICK_WIN: {},
        ReasonKind.LONG_TERM: {},
    }
    for kind, values in simple.items():
        assert describe_reason(Reason(kind, "housing", values), framework, language="en")
    for tag in [*ContextTag, "national_instrument"]:
        values = {"tag": tag, "value": -3.0, "area": "Ljusdal", "country": "SE", "source": "scb"}
        assert describe_reason(Reason(ReasonKind.CONTEXT, None, values), framework, language="en")
    for what in ("size_class", "remoteness", "trend", "country", "large_employer"):
        for kind in (
            ReasonKind.PRECONDITION_UNKNOWN,
            ReasonKind.PRECONDITION_UNVERIFIED,
            ReasonKind.PRECONDITION_FAILED,
        ):
            reason = Reason(kind, None, {"what": what, "allowed": [], "actual": "x"})
            assert describe_reason(reason, framework, language="en"), (kind, what)
    assert {k for k in REASONS if k in set(ReasonKind)} == {
        "theme_need",
        "group_gap",
        "comment_match",
        "quick_win",
        "long_term",
    }


def test_codes_written_as_text_in_the_apps_are_known():
    """The web app builds some issues itself (``ImportIssue("respondent_exists", ...)``); a
    code there that no enum knows would be refused when the issue is made."""
    used = set()
    for path in PLATSA.rglob("*.py"):
        used |= set(re.findall(r'ImportIssue\(\s*"(\w+)"', path.read_text(encoding="utf-8")))
    for code in used:
        assert issue_code(code) in IMPORT_ERRORS


def test_text_read_back_becomes_the_member_it_names():
    """Job results and stored results hold plain text; the dataclasses give members back."""
    issue = ImportIssue("rating_not_number", 3, "housing", "D", {"value": "bra"})
    assert issue.code is ImportErrorCode.RATING_NOT_NUMBER
    assert ImportIssue("file_empty").code is TableErrorCode.FILE_EMPTY
    assert Reason("context").kind is ReasonKind.CONTEXT
    assert Notice("few_respondents").code is NoticeCode.FEW_RESPONDENTS
    assert GroupInfo("residents", "Invånare", "place").side is Side.PLACE
    assert GroupInfo("fiskare", "Fiskare").side is None
    assert TableError(TableErrorCode.FILE_EMPTY).code == "file_empty"


@pytest.mark.parametrize(
    "make",
    [
        lambda: ImportIssue("no_such_code"),
        lambda: Reason("no_such_kind"),
        lambda: Notice("no_such_code"),
        lambda: GroupInfo("x", "X", "neighbours"),
    ],
)
def test_text_that_names_nothing_is_refused(make):
    with pytest.raises(ValueError, match="is not a valid"):
        make()
