"""A places question answered with a pin: the phone fetches the country's map from its own
cached address, a tap sends latitude and longitude, and the server counts the pin for the
municipality the point lies in (not the name the phone sent). A pin at sea, a broken
coordinate or half a pin is refused with a reason and stores nothing; the projector's map
draws the pins."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from platsa.core.io.reference import REFERENCE_DIR
from platsa.places.models import Area, AreaShape
from platsa.workshops import pins
from platsa.workshops.models import Answer, Workshop
from platsa.workshops.results import question_results
from platsa.workshops.services import question_add, workshop_create

pytestmark = pytest.mark.django_db

BORLANGE_CENTRE = ("60.48581", "15.43712")
FALUN_CENTRE = ("60.60650", "15.63550")
AT_SEA = ("57.0", "19.0")  # the Baltic between Gotland and Latvia


@pytest.fixture
def shapes(borlange):
    """The real boundaries of Borlänge's county (the shared fixture imports none)."""
    features = json.loads((REFERENCE_DIR / "se" / "kommuner_scb_simplified.geojson").read_text())
    by_code = {str(f["properties"]["code"]): f["geometry"] for f in features["features"]}
    county = Area.objects.filter(kind=Area.Kind.MUNICIPALITY, parent=borlange.parent)
    AreaShape.objects.bulk_create(
        AreaShape(area=a, geometry=by_code[a.code], source="scb_geo") for a in county
    )
    return county


@pytest.fixture
def live(client, owner, place, shapes):
    workshop: Workshop = workshop_create(place=place, user=owner, title="Träff")
    question = question_add(workshop=workshop, kind="places", prompt="Var finns en förebild?")
    client.force_login(owner)
    show = reverse("workshops:show", args=[place.slug, workshop.process.slug])
    client.post(show, {"question": question.pk})
    return workshop, question


def _answer(workshop, question, **fields):
    url = reverse("workshops_public:answer", args=[workshop.code])
    return Client().post(url, {"question": question.pk, **fields})


def test_the_phone_offers_the_map_from_its_own_cached_address(live):
    workshop, _question = live
    page = Client().get(reverse("workshops_public:session", args=[workshop.code])).content
    url = reverse("workshops_public:pin_map", args=["SE", "sv"])
    version = pins.pin_map_version("SE")
    assert version  # the boundaries' version and the deploy's: a new one, a new address
    assert f'data-src="{url}?v={version}"'.encode() in page
    assert b"platsa/js/pin-drop." in page
    assert b"choropleth" not in page  # the map is not in the page itself
    assert Client().head(url).status_code == 200  # a cache may ask what it would get
    response = Client().get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    assert response["Cache-Control"] == "public, max-age=86400"
    svg = response.content.decode()
    assert "<title>Borlänge</title>" in svg
    assert 'data-bbox="' in svg
    assert "Karta: tryck där platsen ligger" in svg
    # The language is in the address: one copy per language in a shared cache, whatever
    # cookie the phone carries (a language cookie does not change it).
    assert "Cookie" not in response.get("Vary", "")
    english_client = Client()
    english_client.cookies["platsa_lang"] = "en"
    with_cookie = english_client.get(url)
    assert with_cookie.content == response.content
    assert "Cookie" not in with_cookie.get("Vary", "")
    english = Client().get(reverse("workshops_public:pin_map", args=["SE", "en"])).content
    assert b"Map: tap where the place is" in english
    for country, language in [("XX", "sv"), ("SE", "de"), ("FI", "sv")]:  # FI: no shapes here
        missing = reverse("workshops_public:pin_map", args=[country, language])
        assert Client().get(missing).status_code == 404


def test_a_pin_counts_for_the_municipality_it_lies_in(live):
    workshop, question = live
    lat, lon = BORLANGE_CENTRE
    response = _answer(workshop, question, answer="Atlantis", lat=lat, lon=lon)
    assert response.status_code == 302  # the name the phone sent does not decide
    answer = Answer.objects.get()
    assert answer.text == "Borlänge"
    assert answer.data["point"] == [60.48581, 15.43712]
    lat, lon = FALUN_CENTRE
    assert _answer(workshop, question, answer="Falun", lat=lat, lon=lon.replace(".", ","))
    assert _answer(workshop, question, answer="Borlänge").status_code == 302  # by name
    found = question_results(question)
    assert found["named"] == [("Borlänge", 2), ("Falun", 1)]
    assert found["pins"] == 2
    assert found["svg"].count('class="map-pin"') == 2


@pytest.mark.parametrize(
    ("fields", "says"),
    [
        ({"lat": AT_SEA[0], "lon": AT_SEA[1]}, "inte i en kommun på kartan"),
        ({"lat": "60.5"}, "gick inte att uppfatta"),  # half a pin
        ({"lat": "nan", "lon": "15.4"}, "gick inte att uppfatta"),
        ({"lat": "1e999", "lon": "15.4"}, "gick inte att uppfatta"),
        ({"lat": "91", "lon": "15.4"}, "gick inte att uppfatta"),
        ({"lat": "60." + "4" * 40, "lon": "15.4"}, "gick inte att uppfatta"),
        ({"lat": "<script>", "lon": "15.4"}, "gick inte att uppfatta"),
    ],
)
def test_a_pin_that_is_nowhere_is_refused_and_stores_nothing(live, fields, says):
    workshop, question = live
    response = _answer(workshop, question, answer="Borlänge", **fields)
    assert response.status_code == 400
    assert says in response.content.decode()
    assert not Answer.objects.exists()


def test_the_index_is_built_once_per_import_of_the_boundaries(
    shapes, django_assert_max_num_queries
):
    pins.area_at("SE", *map(float, BORLANGE_CENTRE))
    with django_assert_max_num_queries(2):  # the stamp and the area: no boundaries read again
        found = pins.area_at("SE", *map(float, FALUN_CENTRE))
    assert found is not None
    assert found.name == "Falun"


def test_without_boundaries_the_phone_offers_the_name_only(client, owner, place, reference):
    workshop = workshop_create(place=place, user=owner, title="Utan karta")
    question = question_add(workshop=workshop, kind="places", prompt="Var?")
    client.force_login(owner)
    client.post(
        reverse("workshops:show", args=[place.slug, workshop.process.slug]),
        {"question": question.pk},
    )
    page = Client().get(reverse("workshops_public:session", args=[workshop.code])).content
    assert b'name="answer"' in page
    assert b"data-pin-drop" not in page
    assert pins.pin_map_version("SE") == ""


def test_a_new_import_of_the_boundaries_is_a_new_index(shapes, borlange):
    from django.utils import timezone

    lat, lon = map(float, BORLANGE_CENTRE)
    assert pins.area_at("SE", lat, lon) == borlange
    before = pins.pin_map_version("SE")
    far = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}
    AreaShape.objects.filter(area=borlange).update(geometry=far, changed_at=timezone.now())
    assert pins.pin_map_version("SE") != before
    assert pins.area_at("SE", lat, lon) is None  # the old border is not kept in memory


def test_each_group_has_its_own_map_side_by_side(shapes, owner, place):
    """Two themed groups' maps on one screen: each its own drawing, no id twice."""
    import re

    from platsa.workshops.answers import Parsed
    from platsa.workshops.results import by_group
    from platsa.workshops.services import (
        answer_submit,
        participant_for,
        participant_set_group,
        workshop_configure,
    )

    workshop = workshop_create(place=place, user=owner, title="Grupper")
    workshop_configure(workshop=workshop, pace="self", groups=["Norr", "Söder"])
    question = question_add(workshop=workshop, kind="places", prompt="Var?")
    borlange, falun = (
        Area.objects.get(kind=Area.Kind.MUNICIPALITY, country="SE", name=n)
        for n in ("Borlänge", "Falun")
    )
    for group, area in ((1, borlange), (2, falun)):
        phone = participant_for(workshop, f"phone-{group}".ljust(43, "x"))
        assert phone is not None
        phone = participant_set_group(participant=phone, group=group)
        answer_submit(
            participant=phone,
            question=question,
            parsed=Parsed(text=area.name, data={"area": area.pk}),
        )
    columns = by_group(question, workshop.groups)
    assert [c["named"] for c in columns] == [[("Borlänge", 1)], [("Falun", 1)]]
    html = "".join(str(c["svg"]) for c in columns)
    ids = re.findall(r'id="([^"]+)"', html)
    assert len(ids) == 2
    assert len(set(ids)) == 2
    # No colour key on a group's small map (it would be drawn at 2-4 px): the list has the
    # numbers. The room's map keeps its key.
    assert re.findall(r"<text[^>]*>([^<]*)</text>", html) == []
    from platsa.workshops.results import question_results

    room = str(question_results(question)["svg"])
    assert re.findall(r"<text[^>]*>([^<]*)</text>", room) == ["1"]


def test_the_projector_ranks_the_places_beside_a_map_whose_legend_starts_at_one(live, owner, place):
    """The places named, most often first, in large type beside the map (ten, then how
    many more); the map's first colour is one answer, and no colour goes unlabelled."""
    import re

    workshop, question = live
    county = list(
        Area.objects.filter(kind=Area.Kind.MUNICIPALITY, parent=place.municipality.parent).order_by(
            "name"
        )[:12]
    )
    assert len(county) == 12
    for i, area in enumerate(county):
        for _n in range(3 if i == 0 else 1):
            assert _answer(workshop, question, answer=area.name).status_code == 302
    counts = question_results(question)
    assert counts["named"][0] == (county[0].name, 3)
    legend = re.findall(r"<text[^>]*>([^<]*)</text>", str(counts["svg"]))
    assert legend == ["1", "2", "3"]
    client = Client()
    client.force_login(owner)
    page = client.get(reverse("workshops_public:screen", args=[workshop.code])).content.decode()
    board = page[page.index('class="places-board"') :]
    top = re.findall(r'<span class="top-text">([^<]*)</span>', board)
    assert top == [county[0].name, *sorted(a.name for a in county[1:])[:9]]
    assert "och 2 platser till:" in board  # Swedish first
