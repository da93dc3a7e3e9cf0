"""Background work a person waits for: the board report and imports run in the worker, the
page shows progress, and the result appears when it is ready."""

from __future__ import annotations

import pytest
from django.test import TestCase
from django.urls import reverse

from platsa.jobs.models import Job
from tests.conftest import fetch_report, fill_round, run_jobs

pytestmark = pytest.mark.django_db


def pdf_url(round_):
    return reverse("assessments:export_pdf", args=[round_.place.slug, round_.slug])


def test_the_report_is_made_in_the_background_once_per_version(client, viewer, filled_round):
    client.force_login(viewer)
    with TestCase.captureOnCommitCallbacks(execute=True):
        started = client.get(pdf_url(filled_round))
    assert started.status_code == 302  # at once, to the job's page: no PDF in the request
    waiting = client.get(started["Location"])
    assert 'hx-trigger="every 1s"' in waiting.content.decode()  # the page asks again
    assert Job.objects.get().status == Job.Status.QUEUED
    run_jobs()
    ready = client.get(started["Location"]).content.decode()
    assert "hx-trigger" not in ready
    assert "/fil/" in ready  # the download link
    first = client.get(pdf_url(filled_round))
    assert first["Content-Type"] == "application/pdf"
    assert first.content.startswith(b"%PDF")
    assert "no-store" in first["Cache-Control"]
    again = client.get(pdf_url(filled_round))
    assert again.content == first.content
    assert Job.objects.count() == 1  # the same data: the same report, not made again


def test_a_new_answer_makes_a_new_report(client, organiser, filled_round):
    client.force_login(organiser)
    fetch_report(client, filled_round)
    fill_round(filled_round, 5, seed=99)
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert client.get(pdf_url(filled_round)).status_code == 302  # out of date: remade
    assert Job.objects.filter(kind=Job.Kind.REPORT).count() == 2


def test_english_readers_get_an_english_report(client, organiser, filled_round):
    client.force_login(organiser)
    fetch_report(client, filled_round)
    client.get(reverse("set_language", args=["en"]))
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert client.get(pdf_url(filled_round)).status_code == 302
    assert set(Job.objects.values_list("language", flat=True)) == {"sv", "en"}


def test_a_failed_report_can_be_tried_again(client, organiser, filled_round, monkeypatch):
    from platsa.assessments import reports

    def broken(context):
        raise RuntimeError("WeasyPrint fell over")

    monkeypatch.setattr(reports, "report_pdf", broken)
    client.force_login(organiser)
    failed = fetch_report(client, filled_round)
    assert failed.status_code == 302  # no PDF: back to a new job's page
    assert Job.objects.filter(status=Job.Status.FAILED).count() == 1
    page = client.get(
        reverse(
            "assessments:file_job",
            args=[filled_round.place.slug, filled_round.slug, Job.objects.earliest("pk").pk],
        )
    ).content.decode()
    assert "rapport.pdf" in page  # a "try again" link


def test_jobs_are_only_seen_through_their_round(client, outsider, viewer, filled_round):
    client.force_login(viewer)
    fetch_report(client, filled_round)
    job = Job.objects.get()
    args = [filled_round.place.slug, filled_round.slug, job.pk]
    client.force_login(outsider)
    assert client.get(reverse("assessments:file_job", args=args)).status_code == 404
    assert client.get(reverse("assessments:job_file", args=args)).status_code == 404
    client.force_login(viewer)
    imports = reverse("assessments:import_job", args=args)
    assert client.get(imports).status_code == 403  # viewers do not see imports at all


def upload(client, round_, name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("assessments:import", args=[round_.place.slug, round_.slug])
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(url, {"file": SimpleUploadedFile(name, data)})


def test_uploads_are_never_read_in_the_web_request(client, organiser, round_, monkeypatch):
    """A 5 KB spreadsheet once kept a web worker busy for 30 s, and four at once blocked the
    site: now the request only stores the file, and the worker reads it."""
    from platsa.assessments import tasks

    calls = []
    real = tasks.read_table
    monkeypatch.setattr(tasks, "read_table", lambda *a, **k: calls.append(1) or real(*a, **k))
    client.force_login(organiser)
    for i in range(4):
        assert upload(client, round_, f"svar{i}.csv", b"respondent,group\n").status_code == 302
    assert calls == []
    assert Job.objects.filter(status=Job.Status.QUEUED).count() == 4
    run_jobs()
    assert len(calls) == 4
    assert not Job.objects.filter(status=Job.Status.QUEUED).exists()


def test_a_zip_bomb_upload_fails_with_a_clear_message(client, organiser, round_):
    from tests.core.test_hostile_files import _bomb

    client.force_login(organiser)
    started = upload(client, round_, "bomb.xlsx", _bomb(64 * 1024 * 1024))
    run_jobs()
    page = client.get(started["Location"]).content.decode()
    assert "hårt packad" in page
    assert "Inget importerades" in page
    assert not round_.responses.exists()


def test_the_import_page_shows_progress_while_it_runs(client, organiser, round_):
    from platsa.jobs.services import job_start, progress_reporter

    client.force_login(organiser)
    started = upload(client, round_, "svar.csv", b"respondent,group\n")
    job = Job.objects.get()
    job_start(job.pk)
    progress_reporter(job.pk)(1200, 5000)
    fragment = client.get(started["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert '<progress max="100" value="24"' in fragment
    assert "1200" in fragment or "1\xa0200" in fragment
    assert 'hx-trigger="every 1s"' in fragment


def test_a_very_long_file_name_keeps_its_extension(client, organiser, round_):
    client.force_login(organiser)
    upload(client, round_, "y" * 300 + ".csv", b"respondent,group\n")
    run_jobs()
    job = Job.objects.get()
    assert job.input_name.endswith(".csv")
    assert len(job.input_name) == 200
    codes = {issue["code"] for issue in job.result["issues"]}
    assert "wrong_extension" not in codes  # read as the CSV it is
    assert "missing_column" in codes


def test_letters_for_every_unused_code_in_batches(client, organiser, round_):
    """Letters were cut off at 2,000 codes, silently, and made inside the request."""
    from platsa.assessments.services import codes_generate
    from platsa.assessments.tasks import LETTERS_PER_PDF, letter_batch_codes, letter_batches

    round_.requires_code = True
    round_.save()
    codes_generate(round_=round_, count=LETTERS_PER_PDF + 5)
    batches = letter_batches(round_)
    assert [b["unused"] for b in batches] == [LETTERS_PER_PDF, 5]
    everything = letter_batch_codes(round_, 0) + letter_batch_codes(round_, 1)
    assert sorted(everything) == sorted(round_.codes.values_list("code", flat=True))
    client.force_login(organiser)
    url = reverse("assessments:letters", args=[round_.place.slug, round_.slug]) + "?batch=1"
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert client.get(url).status_code == 302  # to the job's page, at once
    assert client.get(url + "0").status_code == 404  # no such batch


def test_viewers_get_the_report_but_not_the_letters_or_responses(
    client, viewer, organiser, filled_round
):
    args = [filled_round.place.slug, filled_round.slug]
    client.force_login(organiser)
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.get(reverse("assessments:export_responses", args=[*args, "xlsx"]))
    job = Job.objects.get(kind=Job.Kind.RESPONSES)
    run_jobs()
    client.force_login(viewer)
    assert client.get(reverse("assessments:file_job", args=[*args, job.pk])).status_code == 403
    assert client.get(reverse("assessments:job_file", args=[*args, job.pk])).status_code == 403
