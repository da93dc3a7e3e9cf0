"""Importing paper answers in the web app: the template, errors by row, all or nothing."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from platsa.assessments.models import ImportBatch, Response

pytestmark = pytest.mark.django_db


def _url(round_, name="assessments:import"):
    return reverse(name, args=[round_.place.slug, round_.slug])


def _template(client, round_) -> tuple:
    data = client.get(
        reverse("assessments:template", args=[round_.place.slug, round_.slug, "xlsx"])
    ).content
    workbook = load_workbook(io.BytesIO(data))
    return workbook, next(s for s in workbook.worksheets if s["B1"].value == "group")


def _upload(client, round_, workbook, name="svar.xlsx"):
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile(name, buffer.getvalue(), content_type="application/octet-stream")
    return client.post(_url(round_), {"file": upload})


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
    response = _upload(client, round_, workbook)
    assert response.status_code == 302
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
    response = _upload(client, round_, workbook)
    html = response.content.decode()
    assert response.status_code == 400
    assert not Response.objects.exists()
    assert "Rad 3, kolumn B (group)" in html
    assert "Turister" in html
    assert "Rad 3, kolumn D (housing)" in html


def test_same_file_twice_is_refused(client, organiser, round_):
    client.force_login(organiser)
    workbook, sheet = _template(client, round_)
    sheet.append(["P1", "Invånare", None, *[3] * 15])
    assert _upload(client, round_, workbook).status_code == 302
    again = _upload(client, round_, workbook)
    assert again.status_code == 400
    assert Response.objects.count() == 1
    assert "P1" in again.content.decode()


def test_broken_and_huge_files(client, organiser, round_, settings):
    client.force_login(organiser)
    broken = client.post(_url(round_), {"file": SimpleUploadedFile("x.xlsx", b"not a workbook")})
    assert broken.status_code == 400
    assert "XLSX" in broken.content.decode()
    settings.PLATSA_IMPORT_MAX_BYTES = 100
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
    response = _upload(client, round_, workbook)
    assert response.status_code == 400
    assert "Rad 2" in response.content.decode()


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
