"""Places: creating one in a real municipality, facts from open data, members and roles."""

from __future__ import annotations

import pytest
from django.urls import reverse

from platsa.places.models import Membership, Place, Role

pytestmark = pytest.mark.django_db


def test_municipality_search_finds_all_three_countries(client, reference):
    for query, expected in (
        ("Borl", "Borlänge"),
        ("Trondheim", "Trondheim"),
        ("Inari", "Inari"),
        ("2303", "Ragunda"),
    ):
        response = client.get(reverse("places:municipality_search"), {"q": query})
        assert expected in response.content.decode(), query


def test_create_place_in_borlange(client, owner, borlange):
    client.force_login(owner)
    response = client.post(
        reverse("places:create"),
        {
            "save": "1",
            "name": "Domnarvet",
            "municipality": borlange.pk,
            "kind": "locality",
            "population_estimate": "8000",
            "has_industry_employer": "yes",
            "description": "",
            "lat": "60.47",
            "lon": "15.43",
        },
    )
    place = Place.objects.get(name="Domnarvet")
    assert response.status_code == 302
    assert response.url == reverse("places:detail", args=[place.slug])
    assert place.municipality == borlange
    assert place.population_estimate == 8000
    assert Membership.objects.get(place=place, user=owner).role == Role.OWNER
    page = client.get(response.url).content.decode()
    assert "51\u00a0384" in page  # Borlänge's population on 1 Nov 2024, from SCB
    assert "Källa: SCB" in page
    assert "2024-11-01" in page


def test_create_place_errors_keep_what_was_typed(client, owner, reference):
    client.force_login(owner)
    response = client.post(
        reverse("places:create"),
        {
            "save": "1",
            "name": "Bysjön",
            "kind": "locality",
            "has_industry_employer": "unknown",
            "lat": "99",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert not Place.objects.exists()
    assert 'value="Bysjön"' in html
    assert "Välj den kommun där platsen ligger." in html


def test_search_without_javascript_keeps_the_form(client, owner, reference):
    client.force_login(owner)
    response = client.post(
        reverse("places:create"), {"search": "1", "q": "Ragunda", "name": "Hammarstrand"}
    )
    html = response.content.decode()
    assert "Ragunda" in html
    assert 'value="Hammarstrand"' in html
    assert not Place.objects.exists()


@pytest.mark.parametrize(
    ("persona", "detail", "edit", "members"),
    [
        ("owner", 200, 200, 200),
        ("organiser", 200, 403, 403),
        ("viewer", 200, 403, 403),
        ("outsider", 404, 404, 404),
    ],
)
def test_place_pages_per_persona(client, place, request, persona, detail, edit, members):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("places:detail", args=[place.slug])).status_code == detail
    assert client.get(reverse("places:edit", args=[place.slug])).status_code == edit
    assert client.get(reverse("places:members", args=[place.slug])).status_code == members


def test_anonymous_is_sent_to_login(client, place):
    response = client.get(reverse("places:list"))
    assert response.status_code == 302
    assert "/konto/login/" in response.url
    assert client.get(reverse("places:detail", args=[place.slug])).status_code == 404


def test_members_can_be_added_and_last_owner_kept(client, place, owner, outsider):
    client.force_login(owner)
    client.post(
        reverse("places:members", args=[place.slug]),
        {"email": "OUTSIDER@example.org", "role": "viewer"},
    )
    assert Membership.objects.get(place=place, user=outsider).role == Role.VIEWER
    invited = client.post(
        reverse("places:members", args=[place.slug]),
        {"email": "nobody@example.org", "role": "viewer"},
    )
    assert invited.status_code == 302  # no account yet: an invitation, not a membership
    assert not Membership.objects.filter(user__email="nobody@example.org").exists()
    assert place.invitations.filter(email="nobody@example.org", role="viewer").exists()
    own = Membership.objects.get(place=place, user=owner)
    client.post(reverse("places:members", args=[place.slug]), {"remove": own.pk})
    assert Membership.objects.filter(pk=own.pk).exists()


def test_owner_deletes_place_with_everything(client, filled_round, owner):
    place = filled_round.place
    client.force_login(owner)
    client.post(reverse("places:delete", args=[place.slug]), {"confirm": "wrong"})
    assert Place.objects.filter(pk=place.pk).exists()
    client.post(reverse("places:delete", args=[place.slug]), {"confirm": place.name})
    assert not Place.objects.filter(pk=place.pk).exists()
    from platsa.assessments.models import Response

    assert not Response.objects.exists()


def test_sole_owner_cannot_demote_themself(client, place, owner):
    client.force_login(owner)
    client.post(
        reverse("places:members", args=[place.slug]), {"email": owner.email, "role": "viewer"}
    )
    assert Membership.objects.get(place=place, user=owner).role == Role.OWNER


def test_nonsense_municipality_is_an_error_not_a_crash(client, owner, reference):
    client.force_login(owner)
    response = client.post(
        reverse("places:create"),
        {
            "save": "1",
            "name": "X",
            "municipality": "abc",
            "kind": "locality",
            "has_industry_employer": "unknown",
        },
    )
    assert response.status_code == 200
    assert not Place.objects.exists()


def test_reserved_slugs(owner, borlange, framework):
    from platsa.assessments.services import default_groups, round_create
    from platsa.places.services import place_create

    place = place_create(user=owner, name="Kommuner", municipality=borlange)
    assert place.slug not in ("ny", "kommuner")
    round_ = round_create(
        place=place, user=owner, name="Ny", framework=framework, groups=default_groups(framework)
    )
    assert round_.slug != "ny"


def test_population_chart_runs_to_2022_and_marks_1_november_2024_apart(client, place, viewer):
    client.force_login(viewer)
    page = client.get(reverse("places:detail", args=[place.slug])).content.decode()
    chart = page.split('class="chart chart-line"')[1].split("</svg>")[0]
    title = chart.split("<title")[1].split("</title>")[0]
    assert "1950" in title
    assert "2022" in title  # the 31 December years it shows ...
    assert "1 november 2024" in title  # ... and the other date, named, not passed off as a year
    polyline = chart.split('<polyline points="')[1].split('"')[0]
    assert len(polyline.split()) == 2022 - 1950 + 1  # one point per 31 December
    assert 'class="chart-marker"' in chart
    assert "1 november 2024: 51\u00a0384" in chart
    table = page.split("<tbody>")[1].split("</tbody>")[0]
    assert "<td>2022</td>" in table
    assert "<td>1 november 2024</td>" in table  # its own row, with its date


def test_sources_are_in_the_readers_language(client, place, viewer):
    client.cookies["platsa_lang"] = "en"
    client.force_login(viewer)
    page = client.get(reverse("places:detail", args=[place.slug])).content.decode()
    facts = page.split('<dl class="facts">')[1].split("</dl>")[0]
    assert "Source: SCB" in facts
    assert "Källa" not in facts


def test_the_place_form_shows_the_chosen_municipality_map_with_its_point(client, owner, borlange):
    """The map used to appear only when editing, and a point meant typing coordinates."""
    from platsa.places.models import AreaShape

    square = {
        "type": "Polygon",
        "coordinates": [[[15, 60], [16, 60], [16, 61], [15, 61], [15, 60]]],
    }
    AreaShape.objects.create(area=borlange, geometry=square, source="test")
    client.force_login(owner)
    url = reverse("places:municipality_map")
    blank = client.get(url, {"municipality": borlange.pk}).content.decode()
    assert "data-bbox" in blank  # a map to click on
    assert "map-point" not in blank
    marked = client.get(url, {"municipality": borlange.pk, "lat": "60.5", "lon": "15.5"})
    assert 'class="map-point"' in marked.content.decode()
    assert client.get(url, {"municipality": "x"}).status_code == 200  # nothing, no error
    form = client.get(reverse("places:create")).content.decode()
    assert 'id="place-map"' in form
    assert (
        'hx-get="/platser/karta/"'
        in client.get(reverse("places:municipality_search"), {"q": "Borl"}).content.decode()
    )


def test_the_sources_page_credits_in_the_readers_language(client):
    assert "Källa: SCB" in client.get(reverse("sources")).content.decode()
    client.cookies["platsa_lang"] = "en"
    english = client.get(reverse("sources")).content.decode()
    assert "Source: SCB" in english
    assert "Källa: SCB" not in english
