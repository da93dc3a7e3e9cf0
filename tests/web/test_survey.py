"""The public survey: anonymous answers, double submits, edits, dates, codes, rate limits."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from platsa.assessments.models import Comment, RespondentCode, Response, Round
from platsa.assessments.services import codes_generate

pytestmark = pytest.mark.django_db


def answer(framework, **overrides) -> dict:
    data = {
        "group": "residents",
        "submission_id": str(uuid.uuid4()),
        "age_band": "25_34",
        "priorities": ["housing", "mobility"],
    }
    for qid in framework.question_ids:
        data[f"q_{qid}"] = "4"
    data["q_housing"] = "2"
    data["q_safety"] = "dk"
    data.update(overrides)
    return data


def url(round_):
    return reverse("survey:form", args=[round_.survey_key])


def test_survey_page_is_light_and_complete(client, round_, framework):
    response = client.get(url(round_), HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert len(response.content) < 15_000  # gzipped HTML, far under the 100 KB budget
    html = client.get(url(round_)).content.decode()
    for theme in framework.themes:
        assert theme.title.sv in html
    assert "Vet ej" in html or "Don't know" in html
    assert "htmx.min.js" not in html  # no script library on the survey
    assert "platsa_device" in response.cookies


def test_submit_stores_one_anonymous_response(client, round_, framework):
    data = answer(framework, c_better_housing="Fler hyresrätter", c_good_nature_environment="Älven")
    response = client.post(url(round_), data)
    assert response.status_code == 302
    assert response.url == reverse("survey:thanks", args=[round_.survey_key])
    stored = Response.objects.get()
    assert stored.group.key == "residents"
    assert stored.age_band == "25_34"
    assert stored.answers[0] == "1"  # housing 2 on a 1-7 scale is step 1
    assert stored.answers[framework.question_ids.index("safety")] == "?"
    assert stored.priorities == "housing,mobility"
    assert set(Comment.objects.values_list("theme_id", "kind", "text")) == {
        ("housing", "better", "Fler hyresrätter"),
        ("nature_environment", "good", "Älven"),
    }
    assert stored.device_hash
    assert len(stored.device_hash) == 64


def test_double_submit_is_stored_once(client, round_, framework):
    data = answer(framework)
    client.get(url(round_))
    client.post(url(round_), data)
    client.post(url(round_), data)  # the same form again: a double tap or a resend
    assert Response.objects.count() == 1


def test_double_submit_without_cookies_is_stored_once(client, round_, framework):
    data = answer(framework)
    client.post(url(round_), data)
    client.cookies.clear()
    client.post(url(round_), data)
    assert Response.objects.count() == 1


def test_same_device_edits_its_answer(client, round_, framework):
    client.get(url(round_))
    client.post(url(round_), answer(framework, c_better_housing="Första"))
    page = client.get(url(round_)).content.decode()
    assert "Första" in page  # the form comes back filled in
    client.post(url(round_), answer(framework, q_housing="6", c_better_housing="Andra"))
    stored = Response.objects.get()
    assert stored.answers[0] == "5"
    assert list(Comment.objects.values_list("text", flat=True)) == ["Andra"]


def test_a_late_resend_of_an_older_form_does_not_undo_an_edit(client, round_, framework):
    """A retry on a slow line, or the back button, can send the first form again after the
    answer was edited: it used to overwrite the edit."""
    client.get(url(round_))
    first = answer(framework, c_better_housing="Första")
    client.post(url(round_), first)
    client.post(url(round_), answer(framework, q_housing="6", c_better_housing="Andra"))
    again = client.post(url(round_), first)  # the first form, resent
    assert again.status_code == 302
    stored = Response.objects.get()
    assert stored.answers[0] == "5"  # still the edit
    assert list(Comment.objects.values_list("text", flat=True)) == ["Andra"]
    third = answer(framework, q_housing="7")
    client.post(url(round_), third)  # a new edit still counts
    assert Response.objects.get().answers[0] == "6"


def test_another_device_is_another_respondent(client, round_, framework):
    from django.test import Client

    client.post(url(round_), answer(framework))
    Client().post(url(round_), answer(framework))
    assert Response.objects.count() == 2


def test_shared_device_can_start_a_new_answer(client, round_, framework):
    client.post(url(round_), answer(framework))
    client.post(reverse("survey:new_respondent", args=[round_.survey_key]))
    client.post(url(round_), answer(framework))
    assert Response.objects.count() == 2


def test_half_filled_survey_loses_nothing(client, round_, framework):
    data = answer(
        framework,
        c_better_housing="Viktig text",
        priorities=["housing", "mobility", "safety", "services"],
    )
    del data["group"]
    response = client.post(url(round_), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert not Response.objects.exists()
    assert "Viktig text" in html
    assert re.search(r'name="q_housing" value="2"[^>]*checked', html)
    assert 'href="#f-group"' in html
    assert 'href="#f-priorities"' in html


def test_hostile_html_is_escaped_everywhere(client, round_, framework, owner):
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    client.post(url(round_), answer(framework, c_better_housing=evil))
    Comment.objects.update(status=Comment.Status.APPROVED)
    client.force_login(owner)
    for page in (
        reverse("assessments:results", args=[round_.place.slug, round_.slug]),
        reverse("assessments:comments", args=[round_.place.slug, round_.slug]) + "?status=approved",
    ):
        html = client.get(page).content.decode()
        assert "<script>alert" not in html
        assert "&lt;script&gt;" in html


def test_closed_and_not_yet_open_rounds_refuse(client, round_, framework):
    round_.process.phase = Round.Status.CLOSED
    round_.process.save()
    assert (
        "stängd" in client.get(url(round_)).content.decode()
        or "closed" in client.get(url(round_)).content.decode()
    )
    client.post(url(round_), answer(framework))
    assert not Response.objects.exists()
    round_.process.phase = Round.Status.OPEN
    round_.process.opens_at = timezone.now() + dt.timedelta(days=2)
    round_.process.save()
    client.post(url(round_), answer(framework))
    assert not Response.objects.exists()
    round_.process.opens_at = timezone.now() - dt.timedelta(days=2)
    round_.process.closes_at = timezone.now() - dt.timedelta(days=1)
    round_.process.save()
    client.post(url(round_), answer(framework))
    assert not Response.objects.exists()
    round_.process.closes_at = timezone.now() + dt.timedelta(days=1)
    round_.process.save()
    client.post(url(round_), answer(framework))
    assert Response.objects.count() == 1


def test_rate_limit_per_client(client, round_, framework, settings):
    settings.PLATSA_SURVEY_RATE = "3/600"
    from django.test import Client

    codes = []
    for _ in range(5):
        c = Client(REMOTE_ADDR="10.0.0.9")  # new "devices" from one address
        codes.append(c.post(url(round_), answer(framework)).status_code)
    assert codes == [302, 302, 302, 429, 429]
    assert Response.objects.count() == 3
    assert Client(REMOTE_ADDR="10.0.0.10").post(url(round_), answer(framework)).status_code == 302


def test_one_time_codes(client, round_, framework):
    round_.requires_code = True
    round_.save()
    code = codes_generate(round_=round_, count=2)[0]
    page = client.get(url(round_)).content.decode()
    assert 'name="code"' in page
    client.post(url(round_), answer(framework))
    assert not Response.objects.exists()  # no code, no answer
    bad = client.post(url(round_), {"code": "AAAA-AAAA"})
    assert 'name="code"' in bad.content.decode()
    client.get(url(round_) + "?code=" + code.code.replace("-", "").lower())  # from the letter's QR
    client.post(url(round_), answer(framework))
    client.post(url(round_), answer(framework, q_housing="7"))  # the same code edits its answer
    stored = Response.objects.get()
    assert stored.code == code
    assert stored.answers[0] == "6"
    assert RespondentCode.objects.get(pk=code.pk).used_at is not None


def test_respondent_exports_and_deletes_own_answer(client, round_, framework):
    client.post(url(round_), answer(framework, c_better_housing="Min kommentar"))
    data = client.get(reverse("survey:export_own", args=[round_.survey_key])).json()
    assert data["answers"]["housing"] == 2
    assert data["answers"]["safety"] == "don't know"
    assert data["comments"][0]["text"] == "Min kommentar"
    client.post(reverse("survey:delete_own", args=[round_.survey_key]))
    assert not Response.objects.exists()
    assert not Comment.objects.exists()


def test_english_survey(client, round_, framework):
    switched = client.get(reverse("set_language", args=["en"]) + f"?next={url(round_)}")
    assert switched.status_code == 302
    assert switched["Location"] == url(round_)
    html = client.get(url(round_)).content.decode()
    assert "Which group do you belong to?" in html
    assert "Housing" in html
    assert "Young people (16–25)" in html


def test_survey_in_swedish_by_default_even_for_english_browsers(client, round_):
    html = client.get(url(round_), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Bostäder" in html
    assert 'lang="sv"' in html


def test_code_guessing_is_rate_limited(round_, framework):
    from django.test import Client

    round_.requires_code = True
    round_.save()
    codes_generate(round_=round_, count=1)
    guesser = Client(REMOTE_ADDR="10.9.9.9")
    statuses = [guesser.get(url(round_) + f"?code=AAAA-AAA{i % 10}").status_code for i in range(32)]
    assert statuses[:30] == [200] * 30
    assert statuses[30:] == [429, 429]


def test_a_whole_meeting_on_one_wifi_gets_in_with_their_own_codes(round_, framework):
    """Valid codes used to count against the limit: the 31st person in a village hall, with
    a valid letter, was told to wait ten minutes."""
    from django.test import Client

    round_.requires_code = True
    round_.save()
    codes = codes_generate(round_=round_, count=40)
    statuses = [
        Client(REMOTE_ADDR="10.1.1.1").get(url(round_) + f"?code={c.code}").status_code
        for c in codes
    ]
    assert statuses == [302] * 40


def test_people_taking_turns_with_codes_on_one_phone(client, round_, framework):
    round_.requires_code = True
    round_.save()
    first, second = codes_generate(round_=round_, count=2)
    client.get(url(round_) + "?code=" + first.code)
    client.post(url(round_), answer(framework, c_better_housing="Första personen"))
    page = client.get(url(round_) + "?code=" + second.code, follow=True).content.decode()
    assert "Första personen" not in page  # the second person never sees the first's answer
    client.post(url(round_), answer(framework, q_housing="7"))
    assert Response.objects.count() == 2
    assert Response.objects.get(code=second).answers[0] == "6"
    assert Response.objects.get(code=first).answers[0] == "1"


def test_forged_forwarded_for_cannot_dodge_the_limit(rf, settings):
    from platsa.web.ratelimit import client_key

    settings.PLATSA_PROXY_HOPS = 1
    a = rf.get("/", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.7", REMOTE_ADDR="10.0.0.1")
    b = rf.get("/", HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.7", REMOTE_ADDR="10.0.0.1")
    c = rf.get("/", HTTP_X_FORWARDED_FOR="203.0.113.8", REMOTE_ADDR="10.0.0.1")
    assert client_key(a) == client_key(b) != client_key(c)


def test_language_switch_mid_survey_keeps_every_answer(client, round_, framework):
    """The header's language switch used to be a form of its own: every answer was lost."""
    half = answer(framework, c_better_housing="Fler hyresrätter")
    del half["q_mobility"]  # not answered yet
    half["switch_language"] = "en"
    page = client.post(url(round_), half)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Housing" in html  # now in English
    assert 'lang="en"' in html
    assert client.cookies["platsa_lang"].value == "en"
    assert not Response.objects.exists()  # nothing stored yet, and no error shown
    assert "error-summary" not in html
    assert re.search(r'name="q_housing" value="2"[^>]*checked', html)
    assert re.search(r'name="q_safety" value="dk"[^>]*checked', html)
    assert not re.search(r'name="q_mobility" value="\d"[^>]*checked', html)
    assert "Fler hyresrätter" in html
    assert re.search(r'value="housing"[^>]*checked', html)
    assert f'value="{half["submission_id"]}"' in html  # the same answer, still one
    # ...and sending it from the English page stores it once, as given.
    final = answer(framework, submission_id=half["submission_id"])
    assert client.post(url(round_), final).status_code == 302
    assert Response.objects.get().language == "en"


def test_language_switch_drops_values_that_are_not_choices(client, round_, framework):
    data = answer(framework, q_housing="<script>", group="nobody", switch_language="en")
    html = client.post(url(round_), data).content.decode()
    assert "<script>" not in html
    assert not re.search(r'name="group" value="[^"]*"[^>]*checked', html)


def test_cached_survey_page_gives_every_visitor_their_own_token_and_id(round_, framework):
    """The blank survey is served from the page cache; each visitor still gets a CSRF token
    that works and a submission id of their own (one shared id would merge answers)."""
    from django.test import Client

    seen_ids = set()
    for _ in range(3):
        visitor = Client(enforce_csrf_checks=True)
        page = visitor.get(url(round_), HTTP_ACCEPT_ENCODING="gzip")
        assert page["Content-Encoding"] == "gzip"
        import gzip

        html = gzip.decompress(page.content).decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        submission = re.search(r'name="submission_id" value="([^"]+)"', html).group(1)
        assert "placeholder" not in token
        seen_ids.add(submission)
        data = answer(framework, submission_id=submission, csrfmiddlewaretoken=token)
        assert visitor.post(url(round_), data).status_code == 302
    assert len(seen_ids) == 3
    assert Response.objects.count() == 3


def test_survey_page_follows_changes_at_once(client, owner, round_):
    from platsa.assessments.services import GroupSpec, round_groups_update

    assert "Invånare" in client.get(url(round_)).content.decode()
    groups = [GroupSpec(g.key, g.label_sv, g.label_en, g.side) for g in round_.groups.all()]
    groups[0] = GroupSpec(groups[0].key, "Boende i byn", "", groups[0].side)
    round_groups_update(round_=round_, groups=groups)
    assert "Boende i byn" in client.get(url(round_)).content.decode()
    from platsa.assessments.services import round_set_status

    round_set_status(round_=Round.objects.get(pk=round_.pk), status="closed")
    assert 'name="submission_id"' not in client.get(url(round_)).content.decode()


def test_signed_in_organiser_gets_the_survey_rendered_for_them(client, organiser, round_):
    client.force_login(organiser)
    response = client.get(url(round_))
    assert "no-cache" in response["Cache-Control"]
    assert "Mina platser" in response.content.decode() or "My places" in response.content.decode()


def test_survey_refuses_files_and_huge_bodies(client, round_, framework, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = answer(framework, attachment=SimpleUploadedFile("x.bin", b"x" * 1000))
    assert client.post(url(round_), data).status_code == 415
    settings.PLATSA_PUBLIC_POST_MAX_BYTES = 2000
    big = answer(framework, c_better_housing="å" * 1500)
    assert client.post(url(round_), big).status_code == 413
    assert not Response.objects.exists()


def test_a_busy_database_keeps_the_answer_on_the_page(client, round_, framework, monkeypatch):
    """On SQLite a large import holds the write lock; an answer sent meanwhile got a 500
    and was lost. Now the form comes back filled in, and sending again stores it once."""
    from django.db import OperationalError

    from platsa.assessments.views import survey

    def locked(**kwargs):
        raise OperationalError("database is locked")

    data = answer(framework, c_better_housing="Fler hyresrätter")
    real = survey.response_submit
    monkeypatch.setattr(survey, "response_submit", locked)
    busy = client.post(url(round_), data)
    assert busy.status_code == 503
    html = busy.content.decode()
    assert "Fler hyresrätter" in html
    assert f'value="{data["submission_id"]}"' in html
    assert re.search(r'name="q_housing" value="2"[^>]*checked', html)
    monkeypatch.setattr(survey, "response_submit", real)
    assert client.post(url(round_), data).status_code == 302
    assert Response.objects.count() == 1


def test_a_wholly_empty_survey_is_refused_and_dont_know_everywhere_is_kept(
    client, round_, framework
):
    """Nothing at all is no answer (and no respondent to count); "don't know" is one."""
    empty = {"group": "residents", "submission_id": str(uuid.uuid4())}
    response = client.post(url(round_), empty)
    assert response.status_code == 400
    assert "ds-error-summary" in response.content.decode()
    assert not Response.objects.exists()
    dont_know = {f"q_{qid}": "dk" for qid in framework.question_ids}
    response = client.post(url(round_), {**empty, **dont_know})
    assert response.status_code == 302
    assert Response.objects.count() == 1
