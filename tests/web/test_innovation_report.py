"""The summary report ("white paper") of an open-innovation journey and the organisers'
exports: the PDF (made by the background worker) holds the challenge, the selected idea
with its reason and answer, and participation by phase, stop and country, counted on what
the public pages show and naming nobody; the workbook has the same tables; the exports are
handed out through signed links that expire, work only for the organiser they were made
for while she still is one, and neutralise formulas people typed."""

from __future__ import annotations

import csv
import io
import re
import time
from datetime import date
from unittest import mock

import pytest
from django.conf import settings
from django.test import Client, TestCase
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from platsa.innovation import report_views
from platsa.innovation.models import Idea, Pledge
from platsa.innovation.report import report_context, report_pdf, report_xlsx
from platsa.innovation.services import (
    challenge_save,
    comment_add,
    feed_post_add,
    idea_set_status,
    idea_submit,
    idea_support,
    innovation_create,
    like_toggle,
    moderate,
    pledge_add,
    stop_save,
)
from platsa.jobs.models import Job
from platsa.places.models import Area, Membership, Role
from platsa.places.services import place_create
from platsa.processes.services import process_set_phase
from tests.conftest import run_jobs

pytestmark = pytest.mark.django_db

CHALLENGE = "Fler bostäder för inflyttare"
SELECTED = "Kooperativt hyreshus i Hammarstrand"
REASON = "Flest stöd, och kommunen äger redan marken vid älven"
ANSWER = "Kommunen tar upp huset i budgeten för 2028"
HIDDEN = "Grannen är en idiot"
FORMULA = '=HYPERLINK("http://evil.example/","klicka")'
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")


def _text(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF")
    pages = PdfReader(io.BytesIO(pdf)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def _municipality(country: str, code: str) -> Area:
    return Area.objects.get(kind=Area.Kind.MUNICIPALITY, country=country, code=code)


@pytest.fixture
def people(django_user_model):
    """Four participants who signed in by code (no membership of any place)."""
    return [
        django_user_model.objects.create_user(
            email=f"deltagare{i}@example.org", display_name=f"Deltagare Nummer{i}"
        )
        for i in range(1, 5)
    ]


@pytest.fixture
def journey(place, owner, organiser, people):
    """Ragunda 2027: stops at Ragunda and Östersund (Sweden) and Trondheim (Norway), a
    challenge of the municipality, five ideas (one hidden by a moderator, one at no stop
    with a formula for a title), comments, supports, a like and pledges in the ideas and
    discussion phases, then one idea selected with a reason and an answer."""
    p1, p2, p3, p4 = people
    process = innovation_create(place=place, title="Ragunda 2027", user=owner).process
    process_set_phase(process=process, phase="challenges", actor=owner)
    ragunda = stop_save(
        process=process,
        municipality=_municipality("SE", "2303"),
        title="Hackathon i Ragunda",
        starts_on=date(2027, 3, 5),
        ends_on=date(2027, 3, 7),
    )
    ostersund = stop_save(
        process=process,
        municipality=_municipality("SE", "2380"),
        title="Östersund",
        starts_on=date(2027, 4, 2),
        ends_on=date(2027, 4, 2),
    )
    trondheim = stop_save(
        process=process,
        municipality=_municipality("NO", "5001"),
        title="Trondheim",
        starts_on=date(2027, 5, 10),
        ends_on=date(2027, 5, 11),
    )
    themes = {t.name: t for t in process.idea_themes.all()}
    challenge = challenge_save(
        process=process,
        title=CHALLENGE,
        owner_name="Ragunda kommun",
        owner_kind="municipality",
        problem="Det finns jobb men inga lediga bostäder.",
        help_wanted=["ideas", "funding"],
        themes=[themes["Boende"]],
        stop=ragunda,
    )
    process_set_phase(process=process, phase="ideas", actor=owner)
    house = idea_submit(
        process=process,
        user=p1,
        title=SELECTED,
        body="Ett hyreshus som de boende äger tillsammans.",
        themes=[themes["Boende"]],
        challenge=challenge,
        stop=ragunda,
        goal_amount=500_000,
    )
    rides = idea_submit(
        process=process,
        user=p2,
        title="Samåkning till Trondheim",
        body="En app för pendlare över gränsen.",
        themes=[themes["Resor och kommunikationer"]],
        stop=trondheim,
    )
    idea_submit(process=process, user=p3, title=FORMULA, body="Klicka här.")
    rude = idea_submit(process=process, user=p3, title=HIDDEN, body="Han kör för fort.")
    idea_submit(
        process=process,
        user=p4,
        title="Coworking vid stationen",
        body="Ett kontor för distansarbetare.",
        themes=[themes["Arbete och företag"]],
        stop=ostersund,
    )
    moderate(process=process, actor=owner, action="hide", reason="Personangrepp", idea=rude)
    comment_add(user=p2, body="Bra idé, jag vill bo där!", idea=house)
    idea_support(idea=house, user=p2)
    process_set_phase(process=process, phase="discussion", actor=owner)
    idea_support(idea=house, user=p3)
    idea_support(idea=rides, user=p1)
    comment_add(user=p3, body="Gärna med elbil.", idea=rides)
    like_toggle(user=p4, idea=house)
    post = feed_post_add(
        process=process, author=organiser, body="Hackathonet är i gång!", stop=ragunda
    )
    comment_add(user=p4, body="Heja Ragunda!", post=post)
    pledge_add(idea=house, user=p2, kind="money", amount=20_000)
    pledge_add(idea=house, user=p3, kind="time", hours=10)
    pledge_add(idea=rides, user=p4, kind="skills", description="Jag bygger appar")
    process_set_phase(process=process, phase="selection", actor=owner)
    idea_set_status(idea=house, actor=owner, status="selected", reason=REASON, answer=ANSWER)
    process_set_phase(process=process, phase="plan", actor=owner)
    process.refresh_from_db()
    return process


def _rows(counted) -> list[list]:
    return [[c.label, c.people, c.ideas, c.comments, c.supports, c.likes] for c in counted]


def test_participation_is_counted_by_phase_stop_and_country_on_what_is_shown(journey):
    context = report_context(journey, "en")
    total = context["total"]
    assert (total.people, total.ideas, total.comments, total.supports, total.likes) == (
        4,
        4,  # the hidden idea is not counted
        3,  # two on ideas, one on the feed
        3,
        1,
    )
    phases = {c.label: c for c in context["phases"]}
    assert list(phases) == [
        "Being prepared",
        "Sharing challenges",
        "Collecting ideas",
        "Discussing and supporting",
        "Selecting",
        "Planning",
    ]
    ideas, discussion = phases["Collecting ideas"], phases["Discussing and supporting"]
    assert (ideas.people, ideas.ideas, ideas.comments, ideas.supports) == (4, 4, 1, 1)
    assert (discussion.people, discussion.ideas, discussion.comments, discussion.supports) == (
        3,
        0,
        2,
        2,
    )
    assert discussion.likes == 1
    assert phases["Selecting"].people == 0
    # people, ideas, comments, supports, likes
    assert _rows(context["per_stop"]) == [
        ["Hackathon i Ragunda", 4, 1, 2, 2, 1],
        ["Östersund", 1, 1, 0, 0, 0],
        ["Trondheim", 3, 1, 1, 1, 0],
        ["Not tied to a stop", 1, 1, 0, 0, 0],
    ]
    assert _rows(context["per_country"]) == [
        ["Norway", 3, 1, 1, 1, 0],
        ["Sweden", 4, 2, 2, 2, 1],
        ["Not tied to a stop", 1, 1, 0, 0, 0],
    ]
    [selected] = context["selected"]
    assert (selected.title, selected.reason, selected.answer) == (SELECTED, REASON, ANSWER)
    assert (selected.supports, selected.pledged, selected.goal) == (2, 20_000, 500_000)
    kinds = {p.kind: p for p in context["pledge_kinds"]}
    assert (kinds["money"].pledges, kinds["money"].money) == (1, 20_000)
    assert (kinds["time"].pledges, kinds["time"].hours) == (1, 10)
    assert kinds["skills"].pledges == 1
    assert kinds["premises"].pledges == 0
    goals = {g.title: g for g in context["goals"]}
    assert goals[SELECTED].share == 4  # 20,000 of 500,000
    themes = {t.name: t for t in context["themes"]}
    assert (themes["Boende"].ideas, themes["Boende"].supports) == (1, 2)
    assert [i.title for i in themes["Boende"].top] == [SELECTED]
    assert themes["No theme"].ideas == 1  # the formula idea; the hidden one is not counted
    assert context["added"]["posts"] == 1
    assert context["added"]["answers"] == 1


def test_the_pdf_holds_the_challenge_the_selected_idea_and_the_counts_and_no_one_named(
    journey, people
):
    text = _text(report_pdf(journey, "en"))
    assert "Ragunda 2027" in text
    assert CHALLENGE in text
    assert "Ragunda kommun" in text
    assert "Help wanted: Ideas, Funding" in text
    assert SELECTED in text
    assert REASON in text
    assert ANSWER in text
    # the stops' and countries' rows: people, ideas, comments, supports, likes
    assert "Hackathon i Ragunda Ragunda 4 1 2 2 1" in text
    assert "Trondheim Trondheim 3 1 1 1 0" in text
    assert "Sweden 4 2 2 2 1" in text
    assert "Norway 3 1 1 1 0" in text
    assert "Not tied to a stop 1 1 0 0 0" in text
    assert "Collecting ideas" in text
    assert "Discussing and supporting" in text
    assert HIDDEN not in text
    assert EMAIL.search(text) is None
    for person in people:
        assert person.email not in text
        assert person.display_name not in text
    assert "Nummer" not in text
    assert "Nobody is named" in text


MANY = [
    ("Tätare bussar till Östersund", "Bussen till Östersund går för sällan för pendlare."),
    ("Buss på kvällen", "En buss till Östersund på kvällen för oss som pendlar."),
    ("Pendlarbuss varje timme", "Pendla med buss till Östersund varje timme."),
    ("Bussar för pendlare", "Fler bussar för pendlare till Östersund och tillbaka."),
    ("Fiber till byarna", "Bredband med fiber till alla byar, så att vi kan jobba hemifrån."),
    ("Snabbare bredband", "Bredbandet är för långsamt: fiber till varje hus i byn."),
    ("Fiber i Hammarstrand", "Fiber och bredband i Hammarstrand för distansarbete."),
    ("Bredband för företag", "Företagen behöver fiber och snabbt bredband."),
    ("Hyresrätter för unga", "Hyresrätter så att unga kan bo kvar, fler lägenheter."),
    ("Lägenheter vid älven", "Bygg lägenheter och hyresrätter vid älven."),
    ("Fler hyresrätter", "Det behövs fler hyresrätter och lägenheter för inflyttare."),
    ("Lägenheter för äldre", "Lägenheter och hyresrätter för äldre i centrum."),
]


def test_ideas_grouped_by_machine_are_labelled_and_name_their_ideas(place, owner, people):
    process = innovation_create(place=place, title="Många idéer", user=owner).process
    process_set_phase(process=process, phase="ideas", actor=owner)
    made = [
        idea_submit(process=process, user=people[i % 4], title=title, body=body)
        for i, (title, body) in enumerate(MANY)
    ]
    moderate(process=process, actor=owner, action="hide", reason="Dubblett", idea=made[-1])
    machine = report_context(process, "en")["machine"]
    assert machine["too_few"] is False
    assert machine["groups"]
    grouped = [pk for g in machine["groups"] for pk in g["ids"]]
    assert len(grouped) == len(set(grouped))  # an idea is in one group at most
    assert set(grouped) <= {i.pk for i in made[:-1]}  # never the hidden one
    assert len(grouped) + machine["unthemed"] == len(MANY) - 1
    buses = {i.pk for i in made[:4]}
    assert any(buses <= set(g["ids"]) for g in machine["groups"])  # the bus ideas together
    text = _text(report_pdf(process, "en"))
    assert "Ideas grouped by machine" in text
    assert "Machine-made." in text
    assert "Lägenheter för äldre" not in text
    # the workbook is made in the request: counts only, nothing machine-made
    book = load_workbook(io.BytesIO(report_xlsx(process, "en")))
    cells = [v for s in book for row in s.iter_rows(values_only=True) for v in row]
    assert not any(isinstance(v, str) and v.startswith("Machine-made") for v in cells)


def test_a_journey_of_few_ideas_says_they_are_too_few_to_group(journey):
    assert report_context(journey, "en")["machine"]["too_few"] is True
    assert "Too few ideas to group" in _text(report_pdf(journey, "en"))


def test_a_selected_idea_that_became_the_places_action_says_so(journey, owner):
    from platsa.catalogue.models import LocalAction
    from platsa.innovation.services import idea_to_action

    house = Idea.objects.get(title=SELECTED)
    action = LocalAction.objects.create(
        place=journey.place,
        key="kooperativt_hyreshus",
        title_sv="Ett kooperativt hyreshus",
        title_en="A cooperative block of flats",
        summary_sv="Kommunen och föreningen bygger.",
        effort="high",
        cost_band="high",
        horizon="long",
    )
    idea_to_action(idea=house, action=action, actor=owner)
    [selected] = report_context(journey, "en", machine=False)["selected"]
    assert (selected.status, selected.action) == ("In the plan", "A cooperative block of flats")
    assert report_context(journey, "sv", machine=False)["selected"][0].action == (
        "Ett kooperativt hyreshus"
    )
    text = _text(report_pdf(journey, "en"))
    assert "Became the place's action: A cooperative block of flats" in text
    book = load_workbook(io.BytesIO(report_xlsx(journey, "en")))
    row = [list(r) for r in book["Selected"].iter_rows(values_only=True)][1]
    assert row[2] == "In the plan"
    assert row[-1] == "A cooperative block of flats"


def test_the_swedish_report_is_made_too(journey):
    text = _text(report_pdf(journey, "sv"))
    assert CHALLENGE in text
    assert REASON in text


def test_the_workbook_has_the_reports_tables(journey):
    book = load_workbook(io.BytesIO(report_xlsx(journey, "en")))
    assert {"Summary", "Stops", "Challenges", "By phase", "By stop", "By country"} <= set(
        book.sheetnames
    )
    stops = [list(r) for r in book["By stop"].iter_rows(values_only=True)]
    assert stops[0] == ["Stop", "Municipality", "People", "Ideas", "Comments", "Supports", "Likes"]
    assert stops[1] == ["Hackathon i Ragunda", "Ragunda", 4, 1, 2, 2, 1]
    assert stops[-1] == ["Not tied to a stop", None, 1, 1, 0, 0, 0]
    countries = [list(r) for r in book["By country"].iter_rows(values_only=True)][1:]
    assert [r[0] for r in countries] == ["Norway", "Sweden", "Not tied to a stop"]
    assert countries[1][2:] == [4, 2, 2, 2, 1]
    selected = [list(r) for r in book["Selected"].iter_rows(values_only=True)][1:]
    assert len(selected) == 1
    assert selected[0][1] == SELECTED
    assert REASON in selected[0]
    assert ANSWER in selected[0]
    challenges = [list(r) for r in book["Challenges"].iter_rows(values_only=True)][1:]
    assert challenges[0][:4] == [CHALLENGE, "Ragunda kommun", "The municipality", "Ideas, Funding"]
    ideas = [list(r) for r in book["Ideas"].iter_rows(values_only=True)][1:]
    titles = [r[1] for r in ideas]
    assert HIDDEN not in titles
    assert "'" + FORMULA in titles  # text, not a formula
    cells = [v for sheet in book for row in sheet.iter_rows(values_only=True) for v in row]
    assert not any(isinstance(v, str) and EMAIL.search(v) for v in cells)


# --- the PDF job, for organisers ---------------------------------------------------------


def _report_url(process) -> str:
    return reverse("innovation:report", args=[process.place.slug, process.slug])


def _start(client: Client, process) -> int:
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(_report_url(process))
    assert response.status_code == 302
    job = Job.objects.latest("pk")
    assert response["Location"] == f"{_report_url(process)}?job={job.pk}"
    return job.pk


def test_an_organiser_makes_watches_and_downloads_the_report(client, journey, organiser):
    client.force_login(organiser)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = _report_url(journey)
    assert "Make the report" in client.get(url).content.decode()  # none made yet
    job_id = _start(client, journey)
    page = f"{url}?job={job_id}"
    waiting = client.get(page).content.decode()
    assert f'hx-get="{page}"' in waiting
    assert client.get(f"{page}&download=1").status_code == 404  # not made yet
    run_jobs()
    ready = client.get(page).content.decode()
    assert "hx-get" not in ready
    assert f"{url}?job={job_id}&amp;download=1" in ready
    assert f"?job={job_id}&amp;download=1" in client.get(url).content.decode()  # the newest
    pdf = client.get(f"{page}&download=1")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert "no-store" in pdf["Cache-Control"]
    text = _text(pdf.content)
    assert REASON in text
    assert HIDDEN not in text
    job = Job.objects.get(pk=job_id)
    assert (job.kind, job.language, job.output_name) == ("innovation", "en", "report.pdf")
    assert _start(client, journey) == job_id  # the same data: the same file
    idea_support(idea=Idea.objects.get(title="Coworking vid stationen"), user=organiser)
    assert "have changed since" in client.get(page).content.decode()
    assert _start(client, journey) != job_id


def test_a_job_of_another_process_is_not_found(client, journey, organiser, owner, place):
    client.force_login(organiser)
    job_id = _start(client, journey)
    run_jobs()
    other = innovation_create(place=place, title="Ett annat år", user=owner).process
    assert client.get(f"{_report_url(other)}?job={job_id}").status_code == 404
    assert client.get(f"{_report_url(other)}?job={job_id}&download=1").status_code == 404
    assert client.get(f"{_report_url(journey)}?job=x1").status_code == 404


@pytest.fixture
def other_organiser(django_user_model, owner, reference):
    """An organiser of another place (Åre): no role at the journey's place."""
    from tests.conftest import _user

    someone = _user(django_user_model, "annan.arrangor@example.org")
    other = place_create(user=owner, name="Åre by", municipality=_municipality("SE", "2321"))
    Membership.objects.create(place=other, user=someone, role=Role.ORGANISER)
    return someone


def test_only_the_places_organisers_reach_the_report_and_the_exports(
    client, journey, organiser, owner, viewer, people, other_organiser
):
    urls = [
        _report_url(journey),
        reverse("innovation:exports", args=[journey.place.slug, journey.slug]),
    ]
    for user in (organiser, owner):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 200
    refused = {
        "participant": (people[0], 404),
        "organiser of another place": (other_organiser, 404),
        "viewer": (viewer, 403),
    }
    for who, (user, status) in refused.items():
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == status, (who, url)
        with TestCase.captureOnCommitCallbacks(execute=True):
            assert client.post(urls[0]).status_code == status, who
    anonymous = Client()
    for url in urls:
        assert anonymous.get(url).status_code == 404
    assert anonymous.post(urls[0]).status_code == 404
    assert not Job.objects.exists()


# --- signed export links -----------------------------------------------------------------


def _links(client: Client, process) -> dict[str, str]:
    page = client.get(reverse("innovation:exports", args=[process.place.slug, process.slug]))
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    found = re.findall(r'href="(/i/export/[^"]+/)"', page.content.decode())
    assert len(found) == len(report_views.EXPORTS)
    prefix = reverse("innovation_public:signed_export", args=["TOKEN"]).split("TOKEN")[0]
    by_name = {}
    for url in found:
        token = url[len(prefix) : -1]
        by_name[report_views._read_token(token)["e"]] = url
    return by_name


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_an_organiser_downloads_each_export_through_its_link(client, journey, organiser, people):
    client.force_login(organiser)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    links = _links(client, journey)
    assert set(links) == {"report", "pledges", "ideas", "answers", "moderation"}

    ideas = client.get(links["ideas"])
    assert ideas.status_code == 200
    assert ideas["Content-Type"] == "text/csv; charset=utf-8"
    assert "no-store" in ideas["Cache-Control"]
    assert ideas["Content-Disposition"] == 'attachment; filename="ragunda-2027-ideas.csv"'
    data = _body(ideas)
    assert data.startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Idea no.", "Title", "Status"]
    titles = [r[1] for r in rows[1:]]
    assert titles == [
        SELECTED,
        "Samåkning till Trondheim",
        "'" + FORMULA,
        "Coworking vid stationen",
    ]
    house = next(r for r in rows if r[1] == SELECTED)
    assert house[2:6] == ["Selected", "Boende", "Hackathon i Ragunda", "2"]
    assert EMAIL.search(data.decode("utf-8-sig")) is None

    pledges = client.get(links["pledges"])
    assert pledges.status_code == 200
    sheet = load_workbook(io.BytesIO(_body(pledges))).active
    table = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert table[0] == [
        "Idea no.",
        "Idea",
        "Kind",
        "Amount",
        "Hours",
        "Description",
        "Date",
        "E-mail",
    ]
    assert len(table) == 1 + Pledge.objects.count()
    by_mail = {r[7]: r for r in table[1:]}
    assert set(by_mail) == {people[1].email, people[2].email, people[3].email}
    assert by_mail[people[1].email][1:5] == [SELECTED, "Money", 20_000, None]
    assert by_mail[people[2].email][2:5] == ["Time", None, 10]
    assert by_mail[people[3].email][5] == "Jag bygger appar"

    report = client.get(links["report"])
    assert report.status_code == 200
    assert report["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(_body(report)))
    ideas_sheet = [list(r) for r in book["Ideas"].iter_rows(values_only=True)]
    assert "'" + FORMULA in [r[1] for r in ideas_sheet]
    cells = [v for s in book for row in s.iter_rows(values_only=True) for v in row]
    assert not any(isinstance(v, str) and EMAIL.search(v) for v in cells)


def test_a_tampered_link_is_refused(client, journey, organiser):
    client.force_login(organiser)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = _links(client, journey)["pledges"]
    token = url.rstrip("/").rsplit("/", 1)[1]
    payload, rest = token.split(":", 1)
    other = payload[:-2] + ("AA" if payload[-2:] != "AA" else "BB")
    for bad in (f"{other}:{rest}", token[:-3], "nonsense"):
        response = client.get(reverse("innovation_public:signed_export", args=[bad]))
        assert response.status_code == 403
        assert "This export link is not valid." in response.content.decode()
        assert b"@example.org" not in response.content
    # a link signed for another process id (a guessed token) is not signed by us
    forged = report_views.signing.TimestampSigner(salt="another-salt").sign_object(
        {"p": journey.pk, "e": "pledges", "u": organiser.pk}, compress=True
    )
    assert client.get(reverse("innovation_public:signed_export", args=[forged])).status_code == 403


def test_an_expired_link_is_refused(client, journey, organiser):
    client.force_login(organiser)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    two_hours_ago = time.time() - 2 * 3600
    with mock.patch("django.core.signing.time.time", return_value=two_hours_ago):
        old = report_views.export_token(journey, "pledges", organiser.pk)
    with mock.patch("django.core.signing.time.time", return_value=time.time() - 50 * 60):
        young = report_views.export_token(journey, "pledges", organiser.pk)
    response = client.get(reverse("innovation_public:signed_export", args=[old]))
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert client.get(reverse("innovation_public:signed_export", args=[young])).status_code == 200


def test_a_link_works_only_for_its_organiser_while_she_still_is_one(
    client, journey, organiser, other_organiser, people
):
    client.force_login(organiser)
    links = _links(client, journey)
    assert client.get(links["pledges"]).status_code == 200
    for user in (other_organiser, people[0]):  # a forwarded link
        client.force_login(user)
        assert client.get(links["pledges"]).status_code == 403
    anonymous = Client().get(links["pledges"])
    assert anonymous.status_code == 302
    assert reverse("account_login") in anonymous["Location"]
    client.force_login(organiser)
    Membership.objects.filter(place=journey.place, user=organiser).update(role=Role.VIEWER)
    refused = client.get(links["pledges"])
    assert refused.status_code == 403
    assert b"@example.org" not in refused.content
    Membership.objects.filter(place=journey.place, user=organiser).delete()
    assert client.get(links["ideas"]).status_code == 403


def test_a_link_to_a_process_that_is_gone_is_refused(client, journey, organiser):
    client.force_login(organiser)
    url = _links(client, journey)["ideas"]
    journey.delete()
    assert client.get(url).status_code == 410
