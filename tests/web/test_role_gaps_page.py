"""An innovation-capacity round with clear differences between roles (issue 8): the results
page and the board report name the roles as the framework does, never by id and never in
the words of the place-and-industry comparison, and the groups form says what its
comparison is when every role speaks for the municipality."""

from __future__ import annotations

import html as html_lib
import io
import re

import pytest
from django.urls import reverse

from platsa.assessments.models import Response
from platsa.assessments.services import default_groups, import_apply, round_create
from platsa.core.io.importer import parse_table, template_columns
from platsa.core.io.tabular import Table
from platsa.core.schema.dataset import GroupInfo
from platsa.core.schema.frameworks import Side, get_framework
from tests.conftest import fetch_report

pytestmark = pytest.mark.django_db

ROLE_IDS = ("management", "digital_it", "procurement", "operations_welfare", "business_development")
MANAGEMENT = "Ledning och chefer"
OPERATIONS = "Verksamhet och välfärd (till exempel omsorg, skola, socialtjänst)"
# The place-and-industry wording of the groups form and of the "group gap" reason ("Grupperna
# ser olika på ... En åtgärd som leds gemensamt kan minska skillnaden"); an action's own
# description may well say that roles see things differently.
SIDE_WORDS = ("invånarna och näringslivet", "leds gemensamt", "kan minska skillnaden")


def _text(fragment: str) -> str:
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def _rows(fw, per_role: int = 12) -> tuple[list[str], list[list[str]]]:
    """Management rates digital technology 4.5, operations and welfare 2.0, the other roles
    3; procurement of innovative solutions is weak (2) for everyone, the rest 3."""
    columns = template_columns(fw)
    rows = []
    for role in ROLE_IDS:
        for i in range(per_role):
            row = [""] * len(columns)
            row[columns.index("respondent")] = f"{role}-{i}"
            row[columns.index("group")] = role
            for theme in fw.themes:
                value = 2 if theme.id == "innovation_procurement" else 3
                if theme.id == "digital_technology":
                    value = {"management": 5 - i % 2, "operations_welfare": 2}.get(role, 3)
                for q in theme.questions:
                    row[columns.index(q.id)] = str(value)
            rows.append(row)
    return columns, rows


@pytest.fixture
def innovation_round(place, owner):
    fw = get_framework("innovation-capacity")
    round_ = round_create(
        place=place,
        user=owner,
        name="Innovationsförmåga 2026",
        framework=fw,
        groups=default_groups(fw),
        open_now=True,
    )
    columns, rows = _rows(fw)
    infos = [GroupInfo(g.key, g.label_sv, Side(g.side)) for g in round_.groups.all()]
    import_apply(
        round_=round_,
        user=owner,
        imported=parse_table(Table(columns, rows), fw, groups=infos),
        filename="roller.csv",
        source=Response.Source.WEB,
    )
    return round_


def _url(name, round_):
    return reverse(f"assessments:{name}", args=[round_.place.slug, round_.slug])


def test_the_results_page_names_the_roles(client, organiser, innovation_round):
    client.force_login(organiser)
    html = client.get(_url("results", innovation_round)).content.decode()
    summary = _text(html.split("data-summary")[1].split("</section>")[0])
    assert f"Digital teknik: {MANAGEMENT} ger 4,5, {OPERATIONS} 2,0" in summary
    gaps = _text(html.split('class="gap-list"')[1].split("</ul>")[0])
    assert gaps.endswith(f"Digital teknik : {MANAGEMENT} ger 4,5, {OPERATIONS} ger 2,0")
    groups = _text(html.split('id="groups"')[1].split("</section>")[0])
    assert f"{MANAGEMENT} (n=12)" in groups
    recommendations = _text(html.split('id="recommendations"')[1])
    for text in (summary, gaps, groups, recommendations):
        for role in ROLE_IDS:
            assert role not in text, role
        for words in SIDE_WORDS:
            assert words not in text, words


def test_the_board_report_names_the_roles(client, organiser, innovation_round):
    from pypdf import PdfReader

    client.force_login(organiser)
    pdf = fetch_report(client, innovation_round)
    assert pdf.status_code == 200
    text = " ".join(
        " ".join((page.extract_text() or "").split())
        for page in PdfReader(io.BytesIO(pdf.content)).pages
    )
    assert "Ledning och chefer ger 4,5" in text
    assert "Verksamhet och välfärd" in text
    for role in ROLE_IDS:
        assert role not in text, role
    for words in SIDE_WORDS:
        assert words not in text, words


def test_the_groups_form_says_what_a_one_sided_framework_compares(
    client, organiser, innovation_round, round_
):
    client.force_login(organiser)

    def hint(r):
        html = client.get(_url("groups", r)).content.decode()
        return _text(html.split('id="groups-hint">')[1].split("</p>")[0])

    one_side = hint(innovation_round)
    assert "invånarna och näringslivet" not in one_side
    assert one_side.startswith(("Bocka ur en grupp", "Untick a group"))
    sides = hint(round_)  # place attractiveness: the place, its industry, the municipality
    assert "näringslivet" in sides or "industry" in sides
    assert one_side != sides
