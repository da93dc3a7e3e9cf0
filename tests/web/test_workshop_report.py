"""The session's report as PDF: an organiser asks for it, the background worker makes it
(once per version of the answers and language, however many click), and it holds every
question with its count, the groups' results and every idea with its upvotes, but nothing
the facilitator took down. Only organisers get it."""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.test import Client, TestCase
from django.urls import reverse
from pypdf import PdfReader

from platsa.jobs.models import Job
from platsa.workshops.answers import Parsed
from platsa.workshops.entries import entry_moderate, entry_submit, entry_vote
from platsa.workshops.models import Answer, Entry, Workshop
from platsa.workshops.report import report_context, report_pdf
from platsa.workshops.services import (
    answer_hide,
    answer_submit,
    participant_for,
    participant_set_group,
    question_add,
    workshop_configure,
    workshop_create,
)
from tests.conftest import run_jobs

pytestmark = pytest.mark.django_db

HIDDEN_ANSWER = "Ett namn som inte ska synas"
HIDDEN_IDEA = "En elak kommentar om grannen"


def _text(pdf: bytes) -> str:
    """The PDF's text, its lines joined (a long prompt may wrap)."""
    assert pdf.startswith(b"%PDF")
    pages = PdfReader(io.BytesIO(pdf)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


@pytest.fixture
def workshop(place, owner) -> Workshop:
    """A self-paced session in two themed groups, with answers from five phones: a choice
    (3 answers), open answers (one taken down), a scale, ideas with upvotes (one taken down)
    and a Q&A nobody wrote in."""
    workshop = workshop_create(place=place, user=owner, title="Nätverksträff 12 mars")
    workshop_configure(workshop=workshop, pace="self", groups=["Skola", "Vård"])
    choice = question_add(
        workshop=workshop,
        kind="choice",
        prompt="Vilka smarta landsbygder finns i er region?",
        options=["Många", "Några", "Inga än"],
    )
    words = question_add(workshop=workshop, kind="words", prompt="Vad behöver byn mest?")
    scale = question_add(
        workshop=workshop,
        kind="scale",
        prompt="Hur nöjd är du?",
        low_label="inte",
        high_label="mycket",
    )
    ideas = question_add(workshop=workshop, kind="ideas", prompt="Idéer för en smartare by")
    question_add(workshop=workshop, kind="qa", prompt="Frågor till panelen")
    phones = []
    for i in range(5):
        phone = participant_for(workshop, f"phone{i:05d}".ljust(43, "x"))
        assert phone is not None
        phones.append(participant_set_group(participant=phone, group=1 + i % 2))
    for phone, option in zip(phones[:3], [0, 1, 1], strict=True):
        answer_submit(participant=phone, question=choice, parsed=Parsed(choice=option))
    for phone, text in zip(
        phones, ["Bredband", "bredbandet", "Fler bussar", "Skolan", HIDDEN_ANSWER], strict=True
    ):
        answer_submit(participant=phone, question=words, parsed=Parsed(text=text))
    answer_hide(workshop=workshop, answer_id=Answer.objects.get(text=HIDDEN_ANSWER).pk)
    for phone, value in zip(phones[:4], [2, 5, 6, 7], strict=True):
        answer_submit(participant=phone, question=scale, parsed=Parsed(value=value))
    byahus = entry_submit(participant=phones[0], question=ideas, raw="Ett byahus med fiber").entry
    entry_submit(participant=phones[1], question=ideas, raw="Samåkningsapp för pendlare")
    rude = entry_submit(participant=phones[2], question=ideas, raw=HIDDEN_IDEA).entry
    entry_vote(participant=phones[2], entry_id=byahus.pk, up=True)  # group 1 with phone 0
    entry_vote(participant=phones[4], entry_id=byahus.pk, up=True)
    entry_moderate(question=ideas, entry_id=rude.pk, hidden=True)
    return workshop


def _urls(workshop: Workshop, job_id: int | None = None) -> dict[str, str]:
    args = [workshop.process.place.slug, workshop.process.slug]
    urls = {"start": reverse("workshops:report", args=args)}
    if job_id is not None:
        urls["job"] = reverse("workshops:report_job", args=[*args, job_id])
        urls["file"] = reverse("workshops:report_file", args=[*args, job_id])
    return urls


def _start(client: Client, workshop: Workshop) -> int:
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(_urls(workshop)["start"])
    assert response.status_code == 302
    return Job.objects.latest("pk").pk


def test_the_report_holds_every_question_its_count_and_the_entries_but_nothing_taken_down(
    workshop,
):
    text = _text(report_pdf(workshop, "en"))
    assert "Nätverksträff 12 mars" in text
    assert "Domnarvet" in text
    assert "5 participants" in text
    for prompt in [
        "Vilka smarta landsbygder finns i er region?",
        "Vad behöver byn mest?",
        "Hur nöjd är du?",
        "Idéer för en smartare by",
        "Frågor till panelen",
    ]:
        assert prompt in text
    assert "Multiple choice · 3 answers" in text
    assert "4 answers" in text  # the open answers: the one taken down is not counted
    assert "1 taken down, not shown" in text
    assert "Mean: 5.0" in text  # the scale: (2 + 5 + 6 + 7) / 4
    assert "Ett byahus med fiber" in text
    assert "+3 Ett byahus med fiber" in text  # its writer's +1 and two more
    assert "Samåkningsapp för pendlare" in text
    assert "Bredband" in text
    assert "Fler bussar" in text
    assert HIDDEN_ANSWER not in text
    assert HIDDEN_IDEA not in text
    assert "Skola" in text  # the themed groups' results
    assert "Vård" in text


def test_the_context_has_the_groups_results_and_every_entry(workshop):
    context = report_context(workshop, "en")
    assert context["participants"] == 5
    assert [g["participants"] for g in context["groups"]] == [3, 2]
    choice, words, _scale, ideas, qa = context["questions"]
    assert choice["n"] == 3
    assert [g["n"] for g in choice["groups"]] == [2, 1]
    assert words["n"] == 4
    assert HIDDEN_ANSWER not in words["answers"]
    assert [e["text"] for e in ideas["entries"]] == [
        "Ett byahus med fiber",
        "Samåkningsapp för pendlare",
    ]
    assert [[e["text"] for e in g["entries"]] for g in ideas["groups"]] == [
        ["Ett byahus med fiber"],
        ["Samåkningsapp för pendlare"],
    ]
    assert qa["n"] == 0


def test_an_organiser_asks_watches_and_downloads(client, workshop, organiser):
    client.force_login(organiser)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    job_id = _start(client, workshop)
    urls = _urls(workshop, job_id)
    waiting = client.get(urls["job"])
    assert waiting.status_code == 200
    assert 'hx-get="' + urls["job"] in waiting.content.decode()
    assert client.get(urls["file"]).status_code == 404  # not made yet
    run_jobs()
    ready = client.get(urls["job"]).content.decode()
    assert urls["file"] in ready
    assert "hx-get" not in ready  # no more asking
    pdf = client.get(urls["file"])
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    text = _text(b"".join(pdf.streaming_content) if pdf.streaming else pdf.content)
    assert "Frågor till panelen" in text
    assert HIDDEN_IDEA not in text
    job = Job.objects.get(pk=job_id)
    assert (job.output_name, job.language) == ("workshop.pdf", "en")


def test_a_meetings_worth_of_clicks_makes_one_report_and_a_new_answer_a_new_one(
    client, workshop, organiser, owner
):
    client.force_login(organiser)
    other = Client()
    other.force_login(owner)
    first = _start(client, workshop)
    assert _start(client, workshop) == first
    assert _start(other, workshop) == first  # another organiser, the same answers
    assert Job.objects.count() == 1
    phone = participant_for(workshop, "late".ljust(43, "x"))
    assert phone is not None
    answer_submit(participant=phone, question=workshop.questions.first(), parsed=Parsed(choice=2))
    assert _start(client, workshop) != first
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert Job.objects.get(pk=_start(client, workshop)).language == "en"
    assert Job.objects.count() == 3


def test_only_organisers_get_the_report(client, workshop, organiser, viewer, outsider):
    client.force_login(organiser)
    job_id = _start(client, workshop)
    run_jobs()
    urls = _urls(workshop, job_id)
    client.force_login(viewer)
    assert client.post(urls["start"]).status_code == 403
    assert client.get(urls["job"]).status_code == 403
    assert client.get(urls["file"]).status_code == 403
    client.force_login(outsider)
    assert client.post(urls["start"]).status_code == 404
    assert client.get(urls["job"]).status_code == 404
    assert client.get(urls["file"]).status_code == 404
    anonymous = Client()
    assert anonymous.get(urls["file"]).status_code == 302  # to the login
    client.force_login(organiser)
    assert client.get(urls["start"]).status_code == 405  # starting is a POST
    assert Job.objects.count() == 1


def test_a_job_of_another_session_or_kind_is_not_found(client, workshop, organiser, owner, place):
    client.force_login(organiser)
    job_id = _start(client, workshop)
    run_jobs()
    other = workshop_create(place=place, user=owner, title="En annan träff")
    assert client.get(_urls(other, job_id)["file"]).status_code == 404
    assert client.get(_urls(other, job_id)["job"]).status_code == 404
    Job.objects.filter(pk=job_id).update(key="report:something-else")
    assert client.get(_urls(workshop, job_id)["file"]).status_code == 404


def test_an_empty_session_makes_a_report_too(place, owner):
    workshop = workshop_create(place=place, user=owner, title="Tom träff")
    question_add(workshop=workshop, kind="words", prompt="Vad tycker du?")
    text = _text(report_pdf(workshop, "sv"))
    assert "Tom träff" in text
    assert "Vad tycker du?" in text
    assert not Entry.objects.exists()


def _chars_by_font(pdf: bytes) -> dict[str, set[str]]:
    """The characters each embedded font draws (subset prefix taken off), read from the
    fonts' ToUnicode maps."""
    import re

    found: dict[str, set[str]] = {}
    pair = r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>"
    for page in PdfReader(io.BytesIO(pdf)).pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            chars = found.setdefault(str(font["/BaseFont"]).split("+", 1)[-1], set())
            if "/ToUnicode" not in font:
                continue
            cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
            for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
                for _glyph, code in re.findall(pair, block):
                    chars.add(bytes.fromhex(code).decode("utf-16-be", "replace"))
            for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
                for low, high, code in re.findall(pair[:-1] + r"\s*<([0-9A-Fa-f]+)>", block):
                    start = int(code, 16)
                    chars.update(chr(start + k) for k in range(int(high, 16) - int(low, 16) + 1))
    return found


def test_an_emoji_in_an_answer_prints_in_colour_not_as_a_box(place, owner):
    """Phones type emoji; the report draws them with the colour emoji font (installed by
    ./dev test and CI), where DejaVu alone has no glyph for them."""
    workshop = workshop_create(place=place, user=owner, title="Emoji 🎉")
    workshop_configure(workshop=workshop, pace="self", groups=[])
    question = question_add(workshop=workshop, kind="words", prompt="Hur känns det?")
    phone = participant_for(workshop, "emoji".ljust(43, "x"))
    assert phone is not None
    answer_submit(participant=phone, question=question, parsed=Parsed(text="Toppen 😀👍🏽"))
    pdf = report_pdf(workshop, "sv")
    fonts = _chars_by_font(pdf)
    assert "😀" in fonts["Noto-Color-Emoji"]
    assert "😀" in _text(pdf)
    # The emoji font draws the emoji and nothing else: it has digits too (for keycaps), and
    # named in the font stack it took every number of the report ("1 2 mars 2 0 2 6").
    drawn = "".join(c for k, v in fonts.items() if "Emoji" in k for c in v)
    assert not [c for c in drawn if c.isascii() and not c.isspace()], drawn
    assert {"1", "2"} <= fonts["DejaVu-Sans"] | fonts["DejaVu-Sans-Bold"]


def test_no_pdf_names_the_emoji_font_in_its_font_stack():
    """Found by fontconfig's fallback for what DejaVu lacks; named in a stack, Pango takes its
    digits (see above)."""
    from pathlib import Path

    templates = Path(__file__).resolve().parents[2] / "platsa"
    named = [p for p in templates.rglob("*.html") if "Noto Color Emoji" in p.read_text()]
    assert named == []
