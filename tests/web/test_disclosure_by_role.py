"""One disclosure rule per role, tested for every output (page, results workbook, board
report) on a round where one group has fewer than 5 answers.

The rule (docs/scoring.md): owners and organisers see everything on the page and in the
workbook, and every comment that is not hidden; viewers get the public rules (small groups
hidden, complementary suppression, approved comments only); the PDF always follows the
public rules, whoever downloads it.
"""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from platsa.assessments.models import Comment, Response
from tests.conftest import fetch_report, fill_round

pytestmark = pytest.mark.django_db

MANAGEMENT = "Arbetsgivare eller företagsledning"  # 2 answers: under the threshold of 5
STAFF = "Kommunanställd"  # 6 answers, hidden too: else the 2 could be subtracted out
RESIDENTS = "Invånare"  # 20 answers
YOUNG = "Unga (16–25 år)"  # 10 answers
FULL = ("owner", "organiser")


@pytest.fixture
def mixed_round(round_):
    fill_round(round_, 20, seed=1, groups=["residents"])
    fill_round(round_, 10, seed=2, groups=["young_people"])
    fill_round(round_, 6, seed=3, groups=["municipal_staff"])
    fill_round(round_, 2, seed=4, groups=["industry_management"])

    def comment(group: str, text: str, status: str, kind: str = "better") -> None:
        response = Response.objects.filter(round=round_, group__key=group).first()
        Comment.objects.create(
            round=round_, response=response, theme_id="housing", kind=kind, text=text, status=status
        )

    comment("industry_management", "Från ledningen", Comment.Status.APPROVED)
    comment("residents", "Från invånarna", Comment.Status.APPROVED, kind="good")
    comment("residents", "Väntar på granskning", Comment.Status.PENDING)
    comment("residents", "Dold kommentar", Comment.Status.HIDDEN)
    return round_


def _args(round_):
    return [round_.place.slug, round_.slug]


def _page(client, round_) -> str:
    return client.get(reverse("assessments:results", args=_args(round_))).content.decode()


def _workbook(client, round_):
    response = client.get(reverse("assessments:export_results", args=_args(round_)))
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def _pdf_context(client, round_, monkeypatch) -> dict:
    from platsa.assessments import reports

    seen: dict = {}
    monkeypatch.setattr(reports, "report_pdf", lambda context: seen.update(context) or b"%PDF-")
    assert fetch_report(client, round_).status_code == 200
    return seen


@pytest.mark.parametrize("persona", ["owner", "organiser", "viewer"])
def test_results_page(client, mixed_round, request, persona):
    client.force_login(request.getfixturevalue(persona))
    html = _page(client, mixed_round)
    assert f"{RESIDENTS} <span" in html
    assert "Från invånarna" in html
    assert "Dold kommentar" not in html
    if persona in FULL:
        assert MANAGEMENT in html
        assert STAFF in html
        assert "Väntar på granskning" in html  # organisers moderate, so they see pending ones
        assert f"Grupp: {MANAGEMENT}" in html or f"Group: {MANAGEMENT}" in html
    else:
        assert MANAGEMENT not in html  # not in a table, a compass, a gap or a comment label
        assert STAFF not in html
        assert "Väntar på granskning" not in html
        assert "Från ledningen" in html  # approved, but without naming the hidden group
        assert 'class="notice"' in html  # "2 groups are not shown separately"


@pytest.mark.parametrize("persona", ["owner", "organiser", "viewer"])
def test_results_workbook(client, mixed_round, request, persona):
    client.force_login(request.getfixturevalue(persona))
    book = _workbook(client, mixed_round)
    groups_header = [c.value for c in book.worksheets[2][1]]
    comments = list(book.worksheets[6].iter_rows(min_row=2, values_only=True))
    texts = {row[3]: row for row in comments}
    assert any(h.startswith(RESIDENTS) for h in groups_header[1:])
    assert "Dold kommentar" not in texts
    if persona in FULL:
        assert any(h.startswith(MANAGEMENT) for h in groups_header[1:])
        assert any(h.startswith(STAFF) for h in groups_header[1:])
        assert set(texts) == {"Från ledningen", "Från invånarna", "Väntar på granskning"}
        assert texts["Från ledningen"][2] == MANAGEMENT
    else:
        assert not any(h.startswith((MANAGEMENT, STAFF)) for h in groups_header)
        assert set(texts) == {"Från ledningen", "Från invånarna"}
        assert texts["Från ledningen"][2] in ("", None)  # the hidden group is not named
        assert texts["Från invånarna"][2] == RESIDENTS
    assert texts["Från invånarna"][1] == "Vad är bra i dag?"  # which question it answers
    assert texts["Från ledningen"][1] == "Vad kan bli bättre?"


@pytest.mark.parametrize("persona", ["owner", "organiser", "viewer"])
def test_board_report_follows_the_public_rules_for_everyone(
    client, mixed_round, request, persona, monkeypatch
):
    client.force_login(request.getfixturevalue(persona))
    context = _pdf_context(client, mixed_round, monkeypatch)
    assert [g["key"] for g in context["groups"]] == ["residents", "young_people"]
    assert context["hidden_groups"] == 2
    housing = next(r for r in context["rows"] if r.id == "housing")
    assert {c.text for c in housing.comments} == {"Från ledningen", "Från invånarna"}
    assert {c.text: c.group for c in housing.comments}["Från ledningen"] == ""


def test_outsiders_get_nothing(client, mixed_round, outsider):
    client.force_login(outsider)
    for name in ("results", "export_results", "export_pdf"):
        assert (
            client.get(reverse(f"assessments:{name}", args=_args(mixed_round))).status_code == 404
        )


def test_viewers_see_change_against_an_unpublished_round_they_can_open(
    client, place, owner, viewer, framework
):
    """The public compares only with a published round; a viewer may open the previous
    round anyway (under the same rules), so the change is shown to them."""
    from tests.conftest import two_rounds

    _first, second = two_rounds(place, owner, framework)
    client.force_login(viewer)
    html = _page(client, second)
    assert 'id="change"' in html
    assert "stroke-dasharray" in html.split('id="compass-all-t"')[1].split("</svg>")[0]
