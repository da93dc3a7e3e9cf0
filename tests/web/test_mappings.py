"""A coordinator's mapping of several municipalities: created from a list of codes and
contacts, a round in each municipality, only aggregates for the coordinator, the same
numbers on the page and in the workbook."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from django.urls import reverse
from openpyxl import load_workbook

from platsa.assessments.analysis import round_results
from platsa.assessments.models import Round
from platsa.mappings.services import mapping_rounds
from platsa.places.models import Area, Membership
from platsa.processes.models import Process
from tests.conftest import fill_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def neighbours(borlange):
    """Four real municipalities of Borlänge's county, from the imported reference data, with
    their real boundaries (the shared fixture imports none, for speed)."""
    import json

    from platsa.core.io.reference import REFERENCE_DIR
    from platsa.places.models import AreaShape

    areas = list(
        Area.objects.filter(kind=Area.Kind.MUNICIPALITY, parent=borlange.parent)
        .exclude(pk=borlange.pk)
        .order_by("code")[:4]
    )
    features = json.loads((REFERENCE_DIR / "se" / "kommuner_scb_simplified.geojson").read_text())
    by_code = {str(f["properties"]["code"]): f["geometry"] for f in features["features"]}
    for area in areas:
        AreaShape.objects.create(area=area, geometry=by_code[area.code], source="scb_geo")
    return areas


def _create(client, place, neighbours, framework="place-attractiveness"):
    lines = "\n".join(f"{a.code} kontakt{i}@example.org" for i, a in enumerate(neighbours))
    return client.post(
        reverse("mappings:create", args=[place.slug]),
        {"title": "Dalarna 2027", "framework": framework, "participants": lines},
    )


@pytest.fixture
def mapping(client, owner, place, neighbours, django_capture_on_commit_callbacks):
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):  # the invitations go on commit
        response = _create(client, place, neighbours)
    assert response.status_code == 302, response.content[:3000]
    return Process.objects.get(kind="mapping")


def test_a_mapping_opens_a_round_in_each_municipality_and_invites_its_contact(
    mapping, neighbours, owner
):
    rounds = mapping_rounds(mapping)
    assert sorted(r.place.municipality_id for r in rounds) == sorted(a.pk for a in neighbours)
    assert all(r.status == Round.Status.OPEN and r.process.parent == mapping for r in rounds)
    assert set(mapping.place_set.places.all()) == {mapping.place, *(r.place for r in rounds)}
    # the coordinator is not a member of the municipalities' places: their answers are theirs
    assert not Membership.objects.filter(user=owner, place__in=[r.place for r in rounds]).exists()
    assert sorted(m.to[0] for m in mail.outbox) == [f"kontakt{i}@example.org" for i in range(4)]
    # each invitation says which mapping it is for and who coordinates it
    assert all("Dalarna 2027" in m.body and mapping.place.name in m.body for m in mail.outbox)


def test_the_coordinator_sees_aggregates_only(client, mapping, owner):
    rounds = mapping_rounds(mapping)
    for i, round_ in enumerate(rounds[:3]):
        fill_round(round_, 12 + i, seed=i + 1)
    fill_round(rounds[3], 2, seed=9)  # too few to show a number
    client.force_login(owner)
    page = client.get(reverse("mappings:detail", args=[mapping.place.slug, mapping.slug]))
    assert page.status_code == 200
    html = page.content.decode()
    for round_ in rounds:
        assert round_.place.name in html
    # the same numbers as each municipality's own results
    first = round_results(Round.objects.get(pk=rounds[0].pk)).themes[0].score
    assert f"{first:.1f}".replace(".", ",") in html
    assert "<svg" in html
    assert "choropleth" in html
    # the actions on most lists, linked to the catalogue (loaded after the page)
    programme = client.get(
        reverse("mappings:programme", args=[mapping.place.slug, mapping.slug])
    ).content.decode()
    assert 'href="/katalog/' in programme
    assert 'id="programme-actions"' in html
    # but not a municipality's own pages, nor its answers
    own = reverse(
        "assessments:export_responses", args=[rounds[0].place.slug, rounds[0].slug, "csv"]
    )
    assert client.get(own).status_code == 404
    # the workbook holds the page's numbers
    sheet = client.get(reverse("mappings:export", args=[mapping.place.slug, mapping.slug]))
    rows = list(load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True))
    by_name = {r[0]: r for r in rows[1:]}
    assert by_name[rounds[0].place.name][3] == round(first, 1)
    assert by_name[rounds[3].place.name][2] == 2
    assert by_name[rounds[3].place.name][3] is None  # too few answers: no number


def test_members_by_role_and_strangers(client, mapping, viewer, django_user_model):
    from tests.conftest import _user

    url = reverse("mappings:detail", args=[mapping.place.slug, mapping.slug])
    client.force_login(viewer)
    assert client.get(url).status_code == 200
    phase = reverse("mappings:phase", args=[mapping.place.slug, mapping.slug])
    assert client.post(phase, {"phase": "closed"}).status_code == 403
    client.force_login(_user(django_user_model, "stranger@example.org"))
    assert client.get(url).status_code == 404


def test_closing_the_mapping_closes_and_freezes_every_round(client, mapping, owner):
    for i, round_ in enumerate(mapping_rounds(mapping)):
        fill_round(round_, 10, seed=i + 1)
    client.force_login(owner)
    phase = reverse("mappings:phase", args=[mapping.place.slug, mapping.slug])
    assert client.post(phase, {"phase": "closed"}).status_code == 302
    mapping.refresh_from_db()
    assert mapping.phase == "closed"
    for round_ in mapping_rounds(mapping):
        assert round_.status == Round.Status.CLOSED
        assert round_.snapshots.count() == 1


def test_a_wrong_list_names_each_line_and_creates_nothing(client, owner, place, neighbours):
    client.force_login(owner)
    lines = f"{neighbours[0].code} ok@example.org\n9999 x@example.org\n{neighbours[0].code}\n"
    lines += f"{neighbours[1].code} not-an-address"
    response = client.post(
        reverse("mappings:create", args=[place.slug]),
        {"title": "Fel", "framework": "place-attractiveness", "participants": lines},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "9999" in html  # the code as it was typed
    assert "not-an-address" in html
    assert "redan" in html or "already" in html
    assert not Process.objects.filter(kind="mapping").exists()
    assert not mail.outbox


def test_a_second_mapping_shows_each_municipalitys_change(
    client, mapping, owner, place, neighbours, django_capture_on_commit_callbacks
):
    from platsa.assessments.analysis import round_results

    for i, round_ in enumerate(mapping_rounds(mapping)):
        fill_round(round_, 20, seed=i + 1)
    with django_capture_on_commit_callbacks(execute=True):
        lines = "\n".join(a.code for a in neighbours)
        response = client.post(
            reverse("mappings:create", args=[place.slug]),
            {"title": "Dalarna 2028", "framework": "place-attractiveness", "participants": lines},
        )
    assert response.status_code == 302
    second = Process.objects.get(kind="mapping", title="Dalarna 2028")
    later = mapping_rounds(second)
    for i, round_ in enumerate(later):
        fill_round(round_, 20, seed=50 + i)
    html = client.get(reverse("mappings:detail", args=[place.slug, second.slug])).content.decode()
    assert "Dalarna 2027" in html  # what the change is since
    area = later[0].place.municipality_id
    before = next(r for r in mapping_rounds(mapping) if r.place.municipality_id == area)
    delta = (
        round_results(Round.objects.get(pk=later[0].pk)).themes[0].score
        - round_results(Round.objects.get(pk=before.pk)).themes[0].score
    )
    assert f"{delta:+.1f}".replace(".", ",") in html
    # the same municipalities' places, not new copies of them
    assert {r.place for r in later} == {r.place for r in mapping_rounds(mapping)}


def test_a_mapping_never_adds_anyone_to_a_place_that_has_members(
    client, mapping, owner, place, neighbours, django_user_model, django_capture_on_commit_callbacks
):
    """A second mapping naming the coordinator (or anyone) as contact of a municipality whose
    place already has an owner changes nothing about who sees that municipality's answers."""
    from platsa.places.models import Role
    from tests.conftest import _user

    falun = mapping_rounds(mapping)[0].place
    contact = _user(django_user_model, "kontakt0@example.org")
    Membership.objects.create(place=falun, user=contact, role=Role.OWNER)
    accomplice = _user(django_user_model, "accomplice@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("mappings:create", args=[place.slug]),
            {
                "title": "Igen",
                "framework": "place-attractiveness",
                "participants": f"{falun.municipality.code} accomplice@example.org",
            },
        )
    assert response.status_code == 302
    assert list(falun.memberships.values_list("user__email", flat=True)) == [contact.email]
    assert not Membership.objects.filter(user=accomplice).exists()
    assert not falun.invitations.filter(email="accomplice@example.org").exists()


def test_the_coordinators_own_members_are_no_contacts_and_blank_lines_are_skipped(
    client, owner, organiser, place, neighbours
):
    client.force_login(owner)
    lines = f",;\n {neighbours[0].code} {organiser.email}\n ; , \n"
    response = client.post(
        reverse("mappings:create", args=[place.slug]),
        {"title": "Fel", "framework": "place-attractiveness", "participants": lines},
    )
    assert response.status_code == 200
    assert organiser.email in response.content.decode()
    assert not Process.objects.filter(kind="mapping").exists()


def test_a_place_in_a_mapping_keeps_its_municipality(client, mapping, django_user_model):
    from platsa.places.models import Place, Role
    from platsa.places.services import PlaceError, place_update
    from tests.conftest import _user

    falun = mapping_rounds(mapping)[0].place
    Membership.objects.create(
        place=falun, user=_user(django_user_model, "o@example.org"), role=Role.OWNER
    )
    other = Area.objects.filter(kind=Area.Kind.MUNICIPALITY).exclude(pk=falun.municipality_id)[0]
    fields = {
        "name": "Mora",
        "population_estimate": None,
        "has_industry_employer": "unknown",
        "description": "",
        "lat": None,
        "lon": None,
    }
    with pytest.raises(PlaceError):
        place_update(place=falun, municipality=other, kind=falun.kind, **fields)
    with pytest.raises(PlaceError):
        place_update(place=falun, municipality=falun.municipality, kind=Place.Kind.OTHER, **fields)
    place_update(place=falun, municipality=falun.municipality, kind=falun.kind, **fields)
    falun.refresh_from_db()
    assert falun.name == "Mora"  # a new name is fine; the comparison shows the official one


def test_closing_asks_first_and_says_what_closes(client, mapping, owner, viewer):
    phase = reverse("mappings:phase", args=[mapping.place.slug, mapping.slug])
    client.force_login(owner)
    page = client.get(phase)
    assert page.status_code == 200
    assert 'name="phase" value="closed"' in page.content.decode()
    assert "4" in page.content.decode()  # the four municipalities whose surveys close
    mapping.refresh_from_db()
    assert mapping.phase == "collecting"  # asking changed nothing
    client.force_login(viewer)
    assert client.get(phase).status_code == 403
