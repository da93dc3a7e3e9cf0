"""Importing paper answers in the web app: the template, errors by row, all or nothing."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from platsa.assessments.models import ImportBatch, Response
from platsa.jobs.models import Job
from tests.conftest import run_jobs

pytestmark = pytest.mark.django_db


def _url(round_, name="assessments:import"):
    return reverse(name, args=[round_.place.slug, round_.slug])


def _template(client, round_) -> tuple:
    data = client.get(
        reverse("assessments:template", args=[round_.place.slug, round_.slug, "xlsx"])
    ).content
    workbook = load_workbook(io.BytesIO(data))
    return workbook, next(s for s in workbook.worksheets if s["B1"].value == "group")


class Imported:
    """What the organiser sees once the background worker has read an uploaded file."""

    def __init__(self, job: Job, page) -> None:
        self.job = job
        self.ok = job.status == Job.Status.DONE
        self.html = page.content.decode()


def _send(client, round_, data: bytes, name: str) -> Imported:
    from django.test import TestCase

    upload = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    with TestCase.captureOnCommitCallbacks(execute=True):  # the task is enqueued on commit
        response = client.post(_url(round_), {"file": upload})
    assert response.status_code == 302, response.content[:300]
    assert "/import/jobb/" in response["Location"]
    run_jobs()
    job = Job.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert not job.input_data  # the uploaded answers are not kept once read
    return Imported(job, page)


def _upload(client, round_, workbook, name="svar.xlsx") -> Imported:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _send(client, round_, buffer.getvalue(), name)


def test_template_lists_the_rounds_groups(client, organiser, round_):
    client.force_login(organiser)
    workbook, _sheet = _template(client, round_)
    lists = workbook.worksheets[-1]  # the drop-down lists, on the last sheet
    labels = [c.value for c in lists["A"][1:]]
    assert "Invånare" in labels
    assert "Anställd i det lokala näringslivet" in labels
    csv = client.get(reverse("assessments:template", args=[round_.place.slug, round_.slug, "csv"]))
    assert csv.content.decode("utf-8-sig").startswith("respondent,group,age_band,housing")


def test_valid_file_is_imported(client, organiser, round_):
    client.force_login(organiser)
    workbook, sheet = _template(client, round_)
    sheet.append(
        ["P1", "Invånare", "35–44 år", *[3] * 15, "housing", "mobility", None, "Bra skola"]
    )
    sheet.append(["P2", "Residents", None, *[None] * 15])  # English label, all "don't know"
    result = _upload(client, round_, workbook)
    assert result.ok
    assert "2 svar importerades" in result.html
    assert Response.objects.filter(round=round_, source="paper").count() == 2
    first = Response.objects.get(respondent_ref="P1")
    assert first.group.key == "residents"
    assert first.age_band == "35_44"
    assert first.priorities == "housing,mobility"
    assert first.comments.get().text == "Bra skola"


def test_invalid_file_imports_nothing_and_names_rows(client, organiser, round_):
    client.force_login(organiser)
    workbook, sheet = _template(client, round_)
    sheet.append(["P1", "Invånare", None, *[3] * 15])
    sheet.append(["P2", "Turister", None, 8, *[3] * 14])
    result = _upload(client, round_, workbook)
    html = result.html
    assert not result.ok
    assert not Response.objects.exists()
    assert "Rad 3, kolumn B (group)" in html
    assert "Turister" in html
    assert "Rad 3, kolumn D (housing)" in html


def test_same_file_twice_is_refused(client, organiser, round_):
    client.force_login(organiser)
    workbook, sheet = _template(client, round_)
    sheet.append(["P1", "Invånare", None, *[3] * 15])
    assert _upload(client, round_, workbook).ok
    again = _upload(client, round_, workbook)
    assert not again.ok
    assert Response.objects.count() == 1
    assert "P1" in again.html


def test_broken_and_huge_files(client, organiser, round_, settings):
    client.force_login(organiser)
    broken = _send(client, round_, b"not a workbook", "x.xlsx")
    assert not broken.ok
    assert "XLSX" in broken.html
    settings.PLATSA_IMPORT_MAX_BYTES = 100  # refused at once, before any job
    huge = client.post(_url(round_), {"file": SimpleUploadedFile("x.csv", b"a," * 200)})
    assert huge.status_code == 400
    assert not Response.objects.exists()


def test_undo_an_import(client, organiser, round_):
    client.force_login(organiser)
    workbook, sheet = _template(client, round_)
    sheet.append(["P1", "Invånare", None, *[3] * 15])
    _upload(client, round_, workbook)
    batch = ImportBatch.objects.get()
    client.post(
        reverse("assessments:import_delete", args=[round_.place.slug, round_.slug, batch.pk])
    )
    assert not Response.objects.exists()


def test_viewer_cannot_import(client, viewer, round_):
    client.force_login(viewer)
    assert client.get(_url(round_)).status_code == 403


def test_long_form_numbers_are_an_error(client, organiser, round_):
    client.force_login(organiser)
    workbook, sheet = _template(client, round_)
    sheet.append(["P" * 70, "Invånare", None, *[3] * 15])
    result = _upload(client, round_, workbook)
    assert not result.ok
    assert "Rad 2" in result.html


def test_erase_one_paper_answer_by_form_number(client, organiser, round_):
    client.force_login(organiser)
    workbook, sheet = _template(client, round_)
    sheet.append(["P1", "Invånare", None, *[3] * 15, None, None, None, "Anna på Storgatan"])
    sheet.append(["P2", "Invånare", None, *[3] * 15])
    _upload(client, round_, workbook)
    client.post(
        reverse("assessments:response_erase", args=[round_.place.slug, round_.slug]),
        {"respondent": "P1"},
    )
    assert list(Response.objects.values_list("respondent_ref", flat=True)) == ["P2"]
    from platsa.assessments.models import Comment

    assert not Comment.objects.exists()
