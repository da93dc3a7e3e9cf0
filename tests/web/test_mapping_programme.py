"""The network's up-scaling programme: drafted from a mapping's results by an organiser,
edited (texts, order, removal, an item of one's own), read by every member, the same in
the workbook and the PDF; never overwritten by a second draft; strangers get nothing."""

from __future__ import annotations

import io
import uuid

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from platsa.mappings.models import Programme, ProgrammeItem
from platsa.mappings.services import mapping_rounds
from platsa.processes.models import ProcessEvent
from tests.conftest import fetch_file, fill_round
from tests.web.test_mappings import mapping, neighbours  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


def _url(mapping, name):  # noqa: F811
    return reverse(f"mappings:{name}", args=[mapping.place.slug, mapping.slug])


@pytest.fixture
def answered(mapping):  # noqa: F811
    for i, round_ in enumerate(mapping_rounds(mapping)):
        fill_round(round_, 10 + i, seed=i + 3)
    return mapping


def _edit_data(programme, changes=None, new=None, delete=(), token=None):
    programme.refresh_from_db()
    items = list(programme.items.all())
    data = {
        "introduction": "Vi gör det tillsammans.",
        "version": programme.updated_at.isoformat(),
        "token": str(token or uuid.uuid4()),
        "items-TOTAL_FORMS": str(len(items) + 1),
        "items-INITIAL_FORMS": str(len(items)),
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "60",
    }
    for i, item in enumerate(items):
        values = {"title": item.title, "note": item.note, "lead": item.lead, "timing": item.timing}
        values.update((changes or {}).get(item.pk, {}))
        data[f"items-{i}-item"] = str(item.pk)
        data[f"items-{i}-ORDER"] = str(values.pop("order", i + 1))
        for k, v in values.items():
            data[f"items-{i}-{k}"] = v
        if item.pk in delete:
            data[f"items-{i}-DELETE"] = "on"
    n = len(items)
    for k, v in (new or {}).items():
        data[f"items-{n}-{k}"] = v
    return data


def test_draft_edit_read_and_export(client, answered, owner, viewer):
    client.force_login(owner)
    page = client.get(_url(answered, "detail"))
    assert _url(answered, "programme_draft") in page.content.decode()
    response = client.post(_url(answered, "programme_draft"))
    assert response.status_code == 302
    assert response["Location"] == _url(answered, "programme_edit")
    programme = Programme.objects.get(mapping=answered)
    items = list(programme.items.all())
    kinds = {i.kind for i in items}
    assert ProgrammeItem.Kind.PAIR in kinds or ProgrammeItem.Kind.AREA in kinds
    assert all(i.title for i in items)
    # the facts name municipalities by name, never a unit key
    names = {r.place.municipality.name for r in mapping_rounds(answered)}
    area_items = [i for i in items if i.kind == ProgrammeItem.Kind.AREA]
    for item in area_items:
        assert any(name in item.facts for name in names)
    first, last = items[0], items[-1]
    data = _edit_data(
        programme,
        changes={
            first.pk: {"note": "Gemensam utbildning för alla.", "lead": "Falun", "order": "99"},
        },
        delete={last.pk},
        new={"title": "Egen punkt", "note": "Något vi vill göra", "timing": "våren 2027"},
    )
    response = client.post(_url(answered, "programme_edit"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    kept = list(Programme.objects.get(pk=programme.pk).items.all())
    assert last.pk not in {i.pk for i in kept}
    # order 99 moves the first item last; the new one (no order given) comes after the rest
    assert kept[-1].pk == first.pk
    assert kept[-2].title == "Egen punkt"
    assert [i.position for i in kept] == sorted(i.position for i in kept)
    edited = next(i for i in kept if i.pk == first.pk)
    assert edited.note == "Gemensam utbildning för alla."
    assert edited.lead == "Falun"
    own = next(i for i in kept if i.title == "Egen punkt")
    assert own.kind == ProgrammeItem.Kind.OTHER
    assert own.timing == "våren 2027"
    assert ProcessEvent.objects.filter(process=answered, action="programme_save").exists()

    # every member reads it; only organisers edit it
    client.force_login(viewer)
    text = client.get(_url(answered, "programme_page")).content.decode()
    assert "Gemensam utbildning för alla." in text
    assert "Egen punkt" in text
    assert _url(answered, "programme_edit") not in text
    assert client.get(_url(answered, "programme_edit")).status_code == 403
    assert client.post(_url(answered, "programme_draft")).status_code == 403

    # the workbook carries the programme as its own sheet, in the same order
    book = load_workbook(io.BytesIO(client.get(_url(answered, "export")).content))
    sheet = book.worksheets[1]
    titles = [row[1] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert titles == [i.title for i in kept]

    # the PDF holds the programme and the table's numbers
    pdf = fetch_file(client, _url(answered, "pdf"))  # made in the background
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    from pypdf import PdfReader

    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Gemensam utbildning" in text
    assert "Egen punkt" in text


def test_a_second_draft_never_overwrites_the_programme(client, answered, owner):
    client.force_login(owner)
    client.post(_url(answered, "programme_draft"))
    programme = Programme.objects.get(mapping=answered)
    item = programme.items.first()
    item.note = "Mitt arbete"
    item.save()
    client.post(_url(answered, "programme_draft"))
    assert Programme.objects.filter(mapping=answered).count() == 1
    assert ProgrammeItem.objects.get(pk=item.pk).note == "Mitt arbete"


def test_an_item_of_another_programme_is_not_touched(client, answered, owner):
    client.force_login(owner)
    client.post(_url(answered, "programme_draft"))
    programme = Programme.objects.get(mapping=answered)
    foreign = ProgrammeItem.objects.create(
        programme=Programme.objects.create(mapping=mapping_rounds(answered)[0].process),
        title="Annans",
    )
    data = _edit_data(programme)
    data["items-0-item"] = str(foreign.pk)
    data["items-0-title"] = "Kapad"
    data["items-0-DELETE"] = "on"
    assert client.post(_url(answered, "programme_edit"), data).status_code == 302
    assert ProgrammeItem.objects.get(pk=foreign.pk).title == "Annans"


def test_strangers_and_bad_input(client, answered, owner, outsider):
    client.force_login(outsider)
    for name in ("programme_page", "programme_edit", "pdf"):
        assert client.get(_url(answered, name)).status_code == 404
    client.force_login(owner)
    assert client.get(_url(answered, "programme_page")).status_code == 404  # none yet
    client.post(_url(answered, "programme_draft"))
    programme = Programme.objects.get(mapping=answered)
    data = _edit_data(
        programme,
        changes={programme.items.first().pk: {"title": ""}},
        new={"title": "<script>alert(1)</script>", "note": "x" * 5000},
    )
    response = client.post(_url(answered, "programme_edit"), data)
    assert response.status_code == 200
    text = response.content.decode()
    assert 'id="errors"' in text
    assert "<script>alert(1)</script>" not in text
    data = _edit_data(programme, new={"title": "<script>alert(1)</script>"})
    assert client.post(_url(answered, "programme_edit"), data).status_code == 302
    text = client.get(_url(answered, "programme_page")).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "<script>alert(1)" not in text


def test_a_double_submit_makes_one_mapping(client, mapping, owner, place, neighbours):  # noqa: F811
    from platsa.processes.models import Process
    from tests.web.test_mappings import _create

    client.force_login(owner)
    again = _create(client, place, neighbours)  # the same form sent a second time
    assert again.status_code == 302
    assert again["Location"] == _url(mapping, "detail")
    assert Process.objects.filter(kind="mapping").count() == 1


def test_the_report_is_made_once_per_version_and_only_for_members(
    client, answered, owner, viewer, outsider
):
    from platsa.jobs.models import Job

    client.force_login(viewer)  # a viewer may have the report
    first = fetch_file(client, _url(answered, "pdf"))
    assert first.status_code == 200
    assert first.content.startswith(b"%PDF")
    again = client.get(_url(answered, "pdf"))  # nothing changed: the same file at once
    assert again.status_code == 200
    assert Job.objects.filter(kind=Job.Kind.COMPARISON).count() == 1
    job = Job.objects.get(kind=Job.Kind.COMPARISON)
    client.force_login(outsider)
    status = reverse("mappings:pdf_job", args=[answered.place.slug, answered.slug, job.pk])
    assert client.get(status).status_code == 404
    assert client.get(status + "fil/").status_code == 404
    client.force_login(owner)
    client.post(_url(answered, "phase"), {"phase": "closed"})  # a new version of the page
    assert client.get(_url(answered, "pdf")).status_code == 302  # a new report is made
    assert Job.objects.filter(kind=Job.Kind.COMPARISON).count() == 2


def test_a_stale_save_is_refused_and_keeps_the_text_and_a_resend_saves_once(
    client, answered, owner
):
    client.force_login(owner)
    client.post(_url(answered, "programme_draft"))
    programme = Programme.objects.get(mapping=answered)
    first = programme.items.first()
    opened = _edit_data(programme)  # tab A opens the form
    # tab B saves in between
    assert client.post(_url(answered, "programme_edit"), _edit_data(programme)).status_code == 302
    stale = dict(opened)
    stale["items-0-note"] = "Tab A:s text"
    response = client.post(_url(answered, "programme_edit"), stale)
    assert response.status_code == 200
    assert "Tab A:s text" in response.content.decode()  # nothing typed is lost
    assert ProgrammeItem.objects.get(pk=first.pk).note != "Tab A:s text"
    # the same form sent twice (a double click): one new item
    token = uuid.uuid4()
    twice = _edit_data(programme, new={"title": "Ny punkt"}, token=token)
    assert client.post(_url(answered, "programme_edit"), twice).status_code == 302
    assert client.post(_url(answered, "programme_edit"), twice).status_code == 302
    assert programme.items.filter(title="Ny punkt").count() == 1


def test_bad_positions_and_too_many_items_are_clear_errors(client, answered, owner):
    client.force_login(owner)
    client.post(_url(answered, "programme_draft"))
    programme = Programme.objects.get(mapping=answered)
    data = _edit_data(programme)
    data["items-0-ORDER"] = "1" + "0" * 400
    response = client.post(_url(answered, "programme_edit"), data)
    assert response.status_code == 200
    assert 'id="errors"' in response.content.decode()
    # past the limit (two tabs each adding): removing items is still possible
    kept = programme.items.count()
    ProgrammeItem.objects.bulk_create(
        ProgrammeItem(programme=programme, title=f"Extra {i}", position=900 + i)
        for i in range(61 - kept)
    )
    assert programme.items.count() == 61
    refused = _edit_data(programme)
    assert client.post(_url(answered, "programme_edit"), refused).status_code == 200
    extra = programme.items.filter(title__startswith="Extra").values_list("pk", flat=True)
    relief = _edit_data(programme, delete=set(extra[:5]))
    assert client.post(_url(answered, "programme_edit"), relief).status_code == 302
    assert programme.items.count() == 56


def test_a_second_draft_adds_what_is_new_and_an_emptied_programme_fills_again(
    client, answered, owner
):
    client.force_login(owner)
    client.post(_url(answered, "programme_draft"))
    programme = Programme.objects.get(mapping=answered)
    drafted = programme.items.count()
    assert drafted > 0
    everything = set(programme.items.values_list("pk", flat=True))
    assert (
        client.post(
            _url(answered, "programme_edit"), _edit_data(programme, delete=everything)
        ).status_code
        == 302
    )
    assert programme.items.count() == 0
    client.post(_url(answered, "programme_draft"))
    assert programme.items.count() == drafted
    client.post(_url(answered, "programme_draft"))  # nothing new: nothing added
    assert programme.items.count() == drafted


def test_the_edit_form_shows_each_items_place(client, answered, owner):
    client.force_login(owner)
    client.post(_url(answered, "programme_draft"))
    page = client.get(_url(answered, "programme_edit")).content.decode()
    assert 'name="items-0-ORDER" value="1"' in page
    assert 'name="items-1-ORDER" value="2"' in page
