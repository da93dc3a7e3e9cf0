"""A plan's documents: the local development plan (LUP) as PDF and DOCX made by the worker,
the accountability data as XLSX made in the request; their chapters, what they leave out
(a contact person who did not agree to be named, every contact e-mail address), formulas
kept as text, the assessment as the reader may see it, and who may download what."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from platsa.jobs.models import Job
from platsa.plans import services
from platsa.plans.documents import chapter_titles
from platsa.plans.models import Plan, PlanRole
from tests.conftest import fill_round, run_jobs

pytestmark = pytest.mark.django_db

HIDDEN_NAME = "Hemliga Hilda"
HIDDEN_EMAIL = "hilda@byn.example"
SHOWN_NAME = "Öppna Olle"
SHOWN_EMAIL = "olle@byn.example"
FORMULA = '=HYPERLINK("http://evil.example","klicka")'


def _client(user, language: str = "en") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _url(name: str, plan: Plan, *args) -> str:
    return reverse(f"plans:{name}", args=[plan.process.place.slug, plan.process.slug, *args])


def _make(plan: Plan, owner, title: str = "Domnarvet 2027–2030", scope: str = "place") -> Plan:
    """A plan with every part of the LUP filled in."""
    services.plan_update(
        plan=plan,
        actor=owner,
        starts_on=date(2027, 1, 1),
        ends_on=date(2030, 12, 31),
        history="Bruksorten växte kring järnverket.",
        strengths="- Skolan\n- Föreningslivet",
        weaknesses="Få bostäder",
        opportunities="Fiber",
        threats="Utflyttning",
        vision="Ett levande Domnarvet",
        follow_up="Byarådet går igenom planen varje år i mars.",
    )
    path = services.path_save(plan=plan, actor=owner, title="Bo kvar hela livet")
    goal = services.goal_save(plan=plan, actor=owner, title="Fler bostäder", path=path)
    indicator = services.indicator_save(
        goal=goal, actor=owner, kind="custom", name="Nya lägenheter", unit="st",
        baseline=0, baseline_year=2026, target=40, target_year=2030,
    )  # fmt: skip
    services.indicator_value_set(indicator=indicator, actor=owner, year=2027, value=12)
    hidden = services.action_save(
        plan=plan,
        actor=owner,
        data=services.ActionData(
            title="Byahus med kök", goals=[goal], owner_org="Byalaget",
            owner_name=HIDDEN_NAME, owner_email=HIDDEN_EMAIL, owner_public=False,
            budget=250000, starts_on=date(2027, 3, 1), ends_on=date(2028, 6, 30),
        ),
    )  # fmt: skip
    shown = services.action_save(
        plan=plan,
        actor=owner,
        data=services.ActionData(
            title="Fiber till alla", goals=[goal], owner_org="Fiberföreningen",
            owner_name=SHOWN_NAME, owner_email=SHOWN_EMAIL, owner_public=True,
            status="under_way", progress=40,
        ),
    )  # fmt: skip
    services.action_save(plan=plan, actor=owner, data=services.ActionData(title=FORMULA))
    milestone = services.milestone_save(
        action=hidden, actor=owner, title="Bygglov klart", due_on=date(2027, 9, 1)
    )
    services.funding_line_save(
        action=hidden, actor=owner, name="Leader Bergslagen", status="granted", amount=150000
    )
    services.update_post(action=shown, actor=owner, text="Grävningen har börjat.", progress=40)
    services.strategy_add(
        plan=plan, actor=owner, level="municipal", name="Borlänges översiktsplan",
        url="https://www.borlange.se/",
    )  # fmt: skip
    assert milestone.pk
    return plan


@pytest.fixture
def plan(place, owner) -> Plan:
    return _make(services.plan_create(place=place, title="Domnarvet 2027–2030", user=owner), owner)


def _start(client: Client, plan: Plan, fmt: str) -> Job:
    response = client.post(_url("documents", plan), {"format": fmt})
    assert response.status_code == 302
    assert response["Location"] == _url("documents", plan)
    return Job.objects.filter(kind="plan").latest("pk")


def _file(client: Client, plan: Plan, fmt: str, django_capture_on_commit_callbacks) -> bytes:
    with django_capture_on_commit_callbacks(execute=True):
        job = _start(client, plan, fmt)
    assert job.params == {"plan": plan.pk, "format": fmt, "public": False}
    run_jobs()
    job.refresh_from_db()
    assert job.status == "done", job.result
    page = client.get(_url("documents", plan)).content.decode()
    assert _url("document_file", plan, job.pk) in page
    response = client.get(_url("document_file", plan, job.pk))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"].endswith(f'.{fmt}"')
    return response.content


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _squash(text: str) -> str:
    return " ".join(text.split())


def test_the_pdf_has_the_chapters_and_the_actions_and_leaves_out_the_hidden_contact(
    plan, owner, django_capture_on_commit_callbacks
):
    client = _client(owner)
    page = client.get(_url("documents", plan)).content.decode()
    assert "Make the file" in page
    assert "(PDF)" in page
    assert "(XLSX)" in page
    data = _file(client, plan, "pdf", django_capture_on_commit_callbacks)
    assert data.startswith(b"%PDF")
    text = _squash(_pdf_text(data))
    with translation.override("en"):
        chapters = chapter_titles(regional=False)
    for number, title in enumerate(chapters, start=1):
        assert f"{number}. {title}" in text  # in the table of contents and as the heading
    for words in ("Byahus med kök", "Fiber till alla", "Bruksorten växte", "Nya lägenheter",
                  "Bygglov klart", "Leader Bergslagen", "Borlänges översiktsplan",
                  "Byarådet går igenom", "Bo kvar hela livet", "Fiberföreningen", SHOWN_NAME):  # fmt: skip
        assert words in text, words
    assert HIDDEN_NAME not in text
    assert HIDDEN_EMAIL not in text
    assert SHOWN_EMAIL not in text
    assert "@" not in text
    assert "Population" in text  # the municipality's open data, with its source
    assert "SCB" in text


def test_the_docx_has_word_headings_for_the_chapters_and_tables(
    plan, owner, django_capture_on_commit_callbacks
):
    from docx import Document

    data = _file(_client(owner), plan, "docx", django_capture_on_commit_callbacks)
    doc = Document(io.BytesIO(data))
    with translation.override("en"):
        chapters = chapter_titles(regional=False)
    assert [p.text for p in doc.paragraphs if p.style.name == "Heading 1"] == chapters
    heading2 = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    assert "Fler bostäder" in heading2
    assert "Strengths" in heading2
    cells = [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    assert "Byahus med kök" in cells
    assert "Nya lägenheter (A measure of our own)" in cells
    assert any(SHOWN_NAME in c for c in cells)
    assert "Byalaget" in cells
    everything = "\n".join([p.text for p in doc.paragraphs] + cells)
    assert HIDDEN_NAME not in everything
    assert HIDDEN_EMAIL not in everything
    assert SHOWN_EMAIL not in everything
    assert doc.core_properties.title == "Domnarvet 2027–2030"


def test_the_xlsx_comes_at_once_with_its_sheets_and_formulas_as_text(plan, owner):
    from openpyxl import load_workbook

    response = _client(owner).post(_url("documents", plan), {"format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "no-store" in response["Cache-Control"]
    assert not Job.objects.filter(kind="plan").exists()  # made in the request
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Goals", "Indicators", "Actions", "Milestones", "Funding", "Updates"]
    actions = list(book["Actions"].iter_rows(values_only=True))
    header, rows = actions[0], actions[1:]
    title = header.index("Action")
    contact = header.index("Contact person")
    titles = [r[title] for r in rows]
    assert "Byahus med kök" in titles
    assert "'" + FORMULA in titles
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                assert HIDDEN_EMAIL not in str(cell.value)
                assert SHOWN_EMAIL not in str(cell.value)
                assert HIDDEN_NAME not in str(cell.value)
    assert {r[contact] for r in rows} == {None, SHOWN_NAME}
    indicators = list(book["Indicators"].iter_rows(values_only=True))
    assert indicators[1][1:2] == ("Nya lägenheter",)
    assert 12 in indicators[1]
    funding = list(book["Funding"].iter_rows(values_only=True))
    assert funding[1][1:4] == ("Leader Bergslagen", "Granted", 150000)
    milestones = list(book["Milestones"].iter_rows(values_only=True))
    assert milestones[1][1] == "Bygglov klart"
    assert milestones[1][2].date() == date(2027, 9, 1)
    updates = list(book["Updates"].iter_rows(values_only=True))
    assert updates[1][1:4] == ("Fiber till alla", "Grävningen har börjat.", 40)


def test_the_documents_are_in_the_language_of_the_request(plan, owner):
    from openpyxl import load_workbook

    response = _client(owner, "sv").post(_url("documents", plan), {"format": "xlsx"})
    with translation.override("sv"):
        from django.utils.translation import gettext

        assert load_workbook(io.BytesIO(response.content)).sheetnames[0] == gettext("Goals")


def test_the_same_plan_asked_again_reuses_the_file_and_a_change_makes_a_new_one(
    plan, owner, organiser, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = _start(_client(owner), plan, "pdf")
        assert _start(_client(organiser), plan, "pdf").pk == first.pk
    run_jobs()
    services.path_save(plan=plan, actor=owner, title="En ny väg")
    assert "has changed since" in _client(owner).get(_url("documents", plan)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert _start(_client(owner), plan, "pdf").pk != first.pk


def test_an_outsider_gets_404_and_a_job_of_another_plan_is_404(
    plan, owner, outsider, place, django_capture_on_commit_callbacks
):
    client = _client(owner)
    with django_capture_on_commit_callbacks(execute=True):
        job = _start(client, plan, "docx")
    run_jobs()
    stranger = _client(outsider)
    assert stranger.get(_url("documents", plan)).status_code == 404
    assert stranger.post(_url("documents", plan), {"format": "xlsx"}).status_code == 404
    assert stranger.get(_url("document_file", plan, job.pk)).status_code == 404
    other = services.plan_create(place=place, title="En annan plan", user=owner)
    assert client.get(_url("document_file", other, job.pk)).status_code == 404
    assert client.get(_url("document_file", plan, job.pk)).status_code == 200
    assert client.post(_url("documents", plan), {"format": "odt"}).status_code == 400
    assert Client().get(_url("documents", plan)).status_code == 302  # to sign in


def test_a_viewer_from_outside_the_place_sees_only_published_rounds(
    plan, owner, round_, django_user_model, django_capture_on_commit_callbacks
):
    """A round frozen but not published is in the place members' plan, not in the file of
    a plan viewer from outside the place, who cannot download the members' file either."""
    from allauth.account.models import EmailAddress

    from platsa.assessments.models import ResultSnapshot
    from platsa.assessments.snapshots import results_freeze

    fill_round(round_, 40)
    results_freeze(round_, reason=ResultSnapshot.Reason.CLOSED, actor=owner)
    member = _client(owner)
    members_text = _squash(
        _pdf_text(_file(member, plan, "pdf", django_capture_on_commit_callbacks))
    )
    members_job = Job.objects.filter(kind="plan").latest("pk")
    assert round_.process.title in members_text

    regional = django_user_model.objects.create_user(email="region@example.org")
    EmailAddress.objects.create(user=regional, email="region@example.org", verified=True)
    services.member_add(plan=plan, actor=owner, email="region@example.org", role=PlanRole.VIEWER)
    guest = _client(regional)
    assert guest.get(_url("document_file", plan, members_job.pk)).status_code == 404
    assert (
        _url("document_file", plan, members_job.pk)
        not in guest.get(_url("documents", plan)).content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = guest.post(_url("documents", plan), {"format": "pdf"})
    assert response.status_code == 302
    job = Job.objects.filter(kind="plan").latest("pk")
    assert job.pk != members_job.pk
    assert job.params["public"] is True
    run_jobs()
    guest_text = _squash(_pdf_text(guest.get(_url("document_file", plan, job.pk)).content))
    assert round_.process.title not in guest_text
    assert "No assessment round to show yet." in guest_text
    assert "Byahus med kök" in guest_text


def test_a_regional_plan_and_villages_planning_together_export_the_same_way(
    place, owner, borlange, framework, django_capture_on_commit_callbacks
):
    """Each village's part (its newest round's scores; the open data once per municipality),
    their scores combined, and each village's own actions apart from the shared ones."""
    from docx import Document

    from platsa.assessments.services import default_groups, round_create, round_publish
    from platsa.places.services import place_create

    other = place_create(user=owner, name="Tjärna", municipality=borlange, population_estimate=900)
    for where, seed in ((place, 1), (other, 2)):
        round_ = round_create(place=where, user=owner, name=f"Enkät {where.name}", framework=framework,
                              groups=default_groups(framework), open_now=True)  # fmt: skip
        fill_round(round_, 40, seed=seed)
        round_publish(round_=round_, public=True, actor=owner)
    plan = services.plan_create(
        place=place, title="Dalarna framåt", user=owner, scope="region", places=[other]
    )
    _make(plan, owner)
    services.action_save(
        plan=plan, actor=owner, data=services.ActionData(title="Tjärnas egen", place=other)
    )
    doc = Document(
        io.BytesIO(_file(_client(owner), plan, "docx", django_capture_on_commit_callbacks))
    )
    with translation.override("en"):
        chapters = chapter_titles(regional=True)
    assert [p.text for p in doc.paragraphs if p.style.name == "Heading 1"] == chapters
    assert chapters[0] == "The region today"
    heading2 = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    assert "Domnarvet" in heading2
    assert "Tjärna" in heading2
    heading3 = [p.text for p in doc.paragraphs if p.style.name == "Heading 3"]
    assert "Tjärna" in heading3  # its own actions, apart from the shared ones
    cells = {cell.text for table in doc.tables for row in table.rows for cell in row.cells}
    assert "Tjärnas egen" in cells
    assert "The villages together" in heading2
    everything = [p.text for p in doc.paragraphs]
    assert any("Enkät Domnarvet" in t for t in everything)
    assert any("Enkät Tjärna" in t for t in everything)
    assert "Open data: as for Domnarvet (the same municipality)." in everything
    theme = framework.themes[0].title.en
    together = next(t for t in doc.tables if t.rows[0].cells[1].text == "Together")
    assert [c.text for c in together.rows[0].cells] == ["Theme", "Together", "Domnarvet", "Tjärna"]
    assert theme in {row.cells[0].text for row in together.rows}


def test_a_round_frozen_or_published_later_makes_a_new_document(plan, owner, round_):
    """The documents' key is the plan's stamp: a round of its place frozen, then published,
    moves it (the signals), so a file made before is not handed out as current."""
    from platsa.assessments.models import ResultSnapshot
    from platsa.assessments.services import round_publish
    from platsa.assessments.snapshots import results_freeze
    from platsa.plans.documents import data_key

    def key() -> str:
        plan.refresh_from_db()
        return data_key(plan, "pdf", public=False, language="sv")

    before = key()
    fill_round(round_, 40)
    results_freeze(round_, reason=ResultSnapshot.Reason.CLOSED, actor=owner)
    frozen = key()
    assert frozen != before
    round_publish(round_=round_, public=True, actor=owner)
    assert key() != frozen
