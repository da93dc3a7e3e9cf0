"""Findings of a security probe, each with the behaviour that would have failed before."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from platsa.assessments.services import round_publish

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_the_example_form_refuses_links_the_core_refuses(client, organiser, place):
    client.force_login(organiser)
    url = reverse("place_catalogue:example_create", args=[place.slug])
    data = {
        "action_id": "car_sharing_pool",
        "example_place": "Byn",
        "country": "SE",
        "text_sv": "De gjorde så här.",
        "source_title": "En rapport",
        "source_url": "ftp://example.org/rapport.pdf",
    }
    response = client.post(url, data)
    assert response.status_code == 200  # the form again, with the error
    assert "https://" in response.content.decode()
    from platsa.catalogue.models import LocalExample

    assert not LocalExample.objects.exists()
    data["source_url"] = "example.org/rapport"  # no scheme: taken as https
    assert client.post(url, data).status_code == 302
    assert LocalExample.objects.get().source_url == "https://example.org/rapport"


def test_a_bad_stored_record_never_takes_a_page_down(client, organiser, filled_round):
    """An example stored with ftp:// (before the form's rule, or via the admin) made every
    results page, public page and export of the place fail with 500."""
    from platsa.catalogue.models import LocalExample

    LocalExample.objects.create(
        place=filled_round.place,
        action_id="car_sharing_pool",
        example_place="Byn",
        text_sv="Text",
        source_title="Källa",
        source_url="ftp://example.org/x",
    )
    round_publish(round_=filled_round, public=True)
    args = [filled_round.place.slug, filled_round.slug]
    client.force_login(organiser)
    for url in (
        reverse("assessments:results", args=args),
        reverse("assessments:export_results", args=args),
        reverse("public:results", args=args),
    ):
        assert client.get(url).status_code == 200, url


def test_forbidden_requests_are_logged_without_a_traceback(client, viewer, filled_round, caplog):
    """Django attaches the traceback to every 403; the console handler's filter drops it
    (it runs before pytest's capturing handler sees the same record)."""
    client.force_login(viewer)
    url = reverse("assessments:dashboard", args=[filled_round.place.slug, filled_round.slug])
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get(url).status_code == 403
    records = [r for r in caplog.records if getattr(r, "status_code", None) == 403]
    assert len(records) == 1
    assert records[0].exc_info is None
    assert "Forbidden" in records[0].getMessage()


def test_server_errors_keep_their_traceback():
    from platsa.web.logs import ClientErrorsWithoutTraceback

    try:
        raise RuntimeError("boom")
    except RuntimeError:
        record = logging.LogRecord("django.request", 40, "", 0, "x", (), sys.exc_info())
    record.status_code = 500
    ClientErrorsWithoutTraceback().filter(record)
    assert record.exc_info is not None


def _start_wsgi(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("EMAIL")}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import platsa.config.wsgi"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_web_server_refuses_to_start_without_a_real_email_backend():
    """The console backend printed login codes and reset links into the server's log."""
    refused = _start_wsgi()
    assert refused.returncode != 0
    assert "EMAIL_HOST" in refused.stderr
    assert _start_wsgi(EMAIL_HOST="smtp.example.org").returncode == 0
    assert _start_wsgi(EMAIL_TO_CONSOLE="true").returncode == 0


def test_hsts_and_https_redirect_come_from_the_environment(settings):
    from django.test import Client

    settings.SECURE_HSTS_SECONDS = 3600
    response = Client().get(reverse("privacy"), secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=3600")
    settings.SECURE_SSL_REDIRECT = True
    assert Client().get(reverse("privacy")).status_code == 301


def test_error_pages_have_the_layout_and_speak_swedish(client, settings):
    response = client.get("/finns-inte/")
    assert response.status_code == 404
    html = response.content.decode()
    assert 'class="site-header"' in html
    assert "Vi hittade inte sidan" in html
    client.cookies["platsa_lang"] = "en"
    assert "We could not find that page" in client.get("/finns-inte/").content.decode()


def test_a_server_error_shows_a_page_of_ours(settings):
    from django.test import Client
    from django.urls import path

    def boom(request):
        raise RuntimeError("boom")

    import platsa.config.urls as root

    settings.ROOT_URLCONF = type("U", (), {"urlpatterns": [path("boom/", boom), *root.urlpatterns]})
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    assert "Något gick fel hos oss" in response.content.decode()


def test_right_to_left_overrides_are_removed_from_comments(client, round_, framework):
    from platsa.assessments.models import Comment

    data = {"group": "residents", "submission_id": "6d3c1b1e-0000-4000-8000-0000000000aa"}
    data.update({f"q_{q}": "4" for q in framework.question_ids})
    data["c_good_housing"] = "Bra \u202eexe.gpj\u202c och \u2066isolerat\u2069, \u200fמרק"
    assert client.post(reverse("survey:form", args=[round_.survey_key]), data).status_code == 302
    assert Comment.objects.get().text == "Bra exe.gpj och isolerat, \u200fמרק"


@pytest.mark.parametrize("path", ["survey", "/konto/login/", "/konto/signup/"])
def test_big_posts_are_refused_before_the_body_is_read(round_, settings, monkeypatch, path):
    """CSRF checking parses a POST's body before any view: a 60 MB multipart file was
    spooled to disk before the survey's own guard refused it."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.http.request import HttpRequest
    from django.test import Client

    if path == "survey":
        path = reverse("survey:form", args=[round_.survey_key])

    def never(self):
        raise AssertionError("the body was read")

    settings.PLATSA_PUBLIC_POST_MAX_BYTES = 10_000
    monkeypatch.setattr(HttpRequest, "_load_post_and_files", never)
    big = SimpleUploadedFile("big.bin", b"x" * 50_000)
    response = Client(enforce_csrf_checks=True).post(path, {"file": big})
    assert response.status_code == 413


def test_the_import_form_still_takes_a_spreadsheet(client, organiser, round_, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.PLATSA_PUBLIC_POST_MAX_BYTES = 10_000
    client.force_login(organiser)
    url = reverse("assessments:import", args=[round_.place.slug, round_.slug])
    sheet = SimpleUploadedFile("svar.csv", b"respondent,group\n" + b"x" * 50_000)
    assert client.post(url, {"file": sheet}).status_code == 302  # to the job's page


def test_signed_in_pages_are_not_stored(client, organiser, filled_round):
    client.force_login(organiser)
    args = [filled_round.place.slug, filled_round.slug]
    for url in (
        reverse("assessments:comments", args=args),
        reverse("places:members", args=[filled_round.place.slug]),
        reverse("accounts:mine"),
    ):
        response = client.get(url)
        assert response.status_code in (200, 403), url
        assert "no-store" in response["Cache-Control"], url


def test_names_lose_right_to_left_overrides(client, owner, place):
    client.force_login(owner)
    data = {
        "name": "Henry\u202eby",
        "municipality": place.municipality_id,
        "kind": "locality",
        "has_industry_employer": "unknown",
        "save": "1",
    }
    client.post(reverse("places:edit", args=[place.slug]), data)
    place.refresh_from_db()
    assert place.name == "Henryby"


def test_a_year_0001_is_a_form_error_not_a_500(client, organiser, round_):
    client.force_login(organiser)
    url = reverse("assessments:settings", args=[round_.place.slug, round_.slug])
    response = client.post(url, {"name": round_.name, "closes_at": "0001-01-01T00:00"})
    assert response.status_code == 302  # back to the dashboard, with the error as a message
    round_.refresh_from_db()
    assert round_.closes_at is None


def test_bulk_moderation_refuses_what_it_cannot_be(client, organiser, filled_round):
    client.force_login(organiser)
    url = reverse("assessments:comments", args=[filled_round.place.slug, filled_round.slug])
    assert client.post(url, {"bulk": "approved", "comment": "9" * 30}).status_code == 400
    assert client.post(url, {"bulk_all": "approved", "theme": "nope"}).status_code == 400
    assert client.post(url, {"bulk_all": "approved", "status": "nope"}).status_code == 400
    from platsa.assessments.models import Comment

    assert not Comment.objects.filter(status="approved").exists()


def test_a_failed_csrf_check_explains_itself(round_):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(
        reverse("survey:form", args=[round_.survey_key]), {"group": "residents"}
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert 'class="site-header"' in html
    assert "DEBUG" not in html


def test_priorities_once_each_and_invisible_comments_dropped(client, round_, framework):
    from platsa.assessments.models import Comment, Response

    data = {"group": "residents", "submission_id": "6d3c1b1e-0000-4000-8000-0000000000bb"}
    data.update({f"q_{q}": "4" for q in framework.question_ids})
    data["priorities"] = ["housing", "housing", "housing"]
    data["c_good_housing"] = "\u200b\u200b\u200b"
    assert client.post(reverse("survey:form", args=[round_.survey_key]), data).status_code == 302
    assert Response.objects.get().priorities == "housing"
    assert not Comment.objects.exists()


def test_an_import_whose_worker_died_is_said_to_be_lost_soon(settings):
    from datetime import timedelta

    from django.utils import timezone

    from platsa.jobs.models import Job
    from platsa.jobs.selectors import job_stalled

    settings.PLATSA_IMPORT_SECONDS = 90
    now = timezone.now()
    job = Job(kind=Job.Kind.IMPORT, status=Job.Status.RUNNING, created_at=now)
    job.started_at = now - timedelta(seconds=200)
    assert job_stalled(job, now) == "lost"  # it would have stopped itself after 90 s
    job.kind = Job.Kind.REPORT
    assert job_stalled(job, now) == ""


def test_passwords_are_hashed_slowly_outside_the_tests():
    """The tests swap in a fast hasher (tests/conftest.py); the settings the app runs with
    keep Django's slow, salted ones."""
    from django.conf import global_settings

    from platsa.config import settings as app_settings

    hashers = getattr(app_settings, "PASSWORD_HASHERS", global_settings.PASSWORD_HASHERS)
    assert "MD5" not in hashers[0]
    assert hashers[0].split(".")[-1] in {
        "PBKDF2PasswordHasher",
        "Argon2PasswordHasher",
        "ScryptPasswordHasher",
    }
