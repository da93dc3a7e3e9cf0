"""Places like this one: the most similar municipalities on a place's page, with what
their places have published (and nothing they have not)."""

from __future__ import annotations

import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from platsa.assessments.models import FrozenRecommendation, Round
from platsa.core.analysis.peers import reference_peer_index
from platsa.places.models import Area
from tests.conftest import fill_round

pytestmark = pytest.mark.django_db


def _section(page: str) -> str:
    """The peers section of a place page (empty when it is not there)."""
    start = page.find('aria-labelledby="peers-heading"')
    if start < 0:
        return ""
    return page[start : page.index("</section>", start)]


def _page(client, user, place) -> str:
    client.force_login(user)
    response = client.get(reverse("places:detail", args=[place.slug]))
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def _peer_round(user, framework, code: str, name: str, *, publish: bool, country: str = "SE"):
    """A place in the municipality ``code`` with a filled round, published or not."""
    from platsa.assessments.services import default_groups, round_create, round_publish
    from platsa.places.services import place_create

    area = Area.objects.get(kind=Area.Kind.MUNICIPALITY, country=country, code=code)
    peer_place = place_create(user=user, name=f"Centrum {name}", municipality=area)
    round_ = round_create(
        place=peer_place,
        user=user,
        name=name,
        framework=framework,
        groups=default_groups(framework),
        open_now=True,
    )
    fill_round(round_, 40, seed=len(name))
    if publish:
        round_publish(round_=round_, public=True, actor=user)
    return Round.objects.select_related("process__place").get(pk=round_.pk)


def _top_titles(round_: Round) -> list[str]:
    snapshot = round_.snapshots.order_by("-version").first()
    assert snapshot is not None
    recs = FrozenRecommendation.objects.filter(snapshot=snapshot).order_by("rank")
    return [r.action["title"]["sv"] for r in recs]


def test_the_section_lists_the_most_similar_municipalities_with_why(client, owner, place):
    """Domnarvet is a locality: its peers are those of its municipality, Borlänge."""
    section = _section(_page(client, owner, place))
    assert section, "no peers section on the place page"
    expected = reference_peer_index().nearest("SE-2081", 5)
    positions = [section.find(f"<h3>{p.name}</h3>") for p in expected]
    assert all(i >= 0 for i in positions), [p.name for p in expected]
    assert positions == sorted(positions)  # nearest first
    assert "<h3>Borlänge</h3>" not in section  # not its own peer
    # Trollhättan: the same SKR group (B3), its own population, its country.
    trollhattan = next(c for c in section.split('<li class="card">') if "Trollhättan</h3>" in c)
    assert "SKR:s kommungrupp B3" in trollhattan
    assert "58\u00a0994" in trollhattan  # Trollhättan's population, SCB 2024
    assert "Sverige" in trollhattan
    # The countries of the other peers: Finland, Norway.
    assert "Finland" in section
    assert "Norge" in section


def test_a_public_round_in_a_peer_municipality_is_linked_with_its_top_actions(
    client, owner, outsider, place, framework
):
    published = _peer_round(outsider, framework, "1488", "Våren 2026", publish=True)
    section = _section(_page(client, owner, place))
    url = reverse("public:results", args=[published.process.place.slug, published.slug])
    assert f'href="{url}"' in section
    assert "Våren 2026" in section
    assert "Centrum Våren 2026" in section
    titles = _top_titles(published)
    for title in titles[:3]:
        assert title in section
    assert titles[3] not in section.split("Våren 2026", 1)[1].split("</ol>", 1)[0]
    # In English, the actions' English titles.
    client.cookies["platsa_lang"] = "en"
    english = _section(_page(client, owner, place))
    snapshot = published.snapshots.order_by("-version").first()
    first = FrozenRecommendation.objects.get(snapshot=snapshot, rank=1).action["title"]
    assert first["en"] in english
    assert first["sv"] == first["en"] or first["sv"] not in english
    # The link is the public page: it opens for anyone.
    client.logout()
    assert client.get(url).status_code == 200


def test_a_round_that_is_not_public_is_not_shown(client, owner, outsider, place, framework):
    from platsa.assessments.services import round_publish, round_set_status

    hidden = _peer_round(outsider, framework, "1290", "Hemlig runda", publish=False)
    round_set_status(round_=hidden, status=Round.Status.CLOSED, actor=outsider)  # frozen
    withdrawn = _peer_round(outsider, framework, "1488", "Tillbakadragen", publish=True)
    round_publish(round_=withdrawn, public=False, actor=outsider)
    assert hidden.snapshots.exists()
    assert withdrawn.snapshots.exists()
    page = _page(client, owner, place)
    section = _section(page)
    assert section
    for round_ in (hidden, withdrawn):
        assert round_.name not in page
        assert round_.process.place.name not in page
        assert f"/p/{round_.process.place.slug}/" not in page


def test_only_the_newest_public_rounds_of_a_peer(client, owner, outsider, place, framework):
    from platsa.processes.models import Process

    made = [
        _peer_round(outsider, framework, "1488", name, publish=True)
        for name in ("Runda ett", "Runda två", "Runda tre")
    ]
    for age, round_ in enumerate(reversed(made)):  # the last made is the newest
        Process.objects.filter(pk=round_.process_id).update(
            created_at=round_.process.created_at.replace(year=2020 + 2 - age)
        )
    section = _section(_page(client, owner, place))
    assert "Runda tre" in section
    assert "Runda två" in section
    assert "Runda ett" not in section


def test_good_examples_from_a_peer_municipality_link_to_the_catalogue(client, owner, place):
    from platsa.places.peers import examples_by_municipality

    examples = examples_by_municipality()
    peers = [p for p in reference_peer_index().nearest("SE-2081", 5) if p.key in examples]
    assert peers, "no good example comes from a peer of Borlänge"
    section = _section(_page(client, owner, place))
    for peer in peers:
        first = examples[peer.key][0]
        assert f'href="{reverse("catalogue:detail", args=[first.action_id])}"' in section
        assert first.example.place in section


def test_the_section_adds_at_most_two_queries(client, owner, outsider, place, framework):
    from platsa.places.peers import place_peers

    reference_peer_index()  # built once a process, outside what is counted
    with CaptureQueriesContext(connection) as none_public:
        assert len(place_peers(place.municipality, "sv")) == 5
    assert len(none_public) == 1

    client.force_login(owner)
    url = reverse("places:detail", args=[place.slug])
    with CaptureQueriesContext(connection) as page_before:
        client.get(url)
    for code, name in (("1488", "Runda A"), ("1488", "Runda B"), ("1290", "Runda C")):
        _peer_round(outsider, framework, code, name, publish=True)
    with CaptureQueriesContext(connection) as some_public:
        peers = place_peers(place.municipality, "sv")
    assert sum(len(p.rounds) for p in peers) == 3
    assert all(r.actions for p in peers for r in p.rounds)
    assert len(some_public) == 2
    with CaptureQueriesContext(connection) as page_after:
        client.get(url)
    assert len(page_after) == len(page_before) + 1  # the actions' query, not one per round


def test_a_municipality_the_reference_data_does_not_hold_has_no_section(client, owner, borlange):
    from platsa.places.services import place_create

    made_up = Area.objects.create(
        kind=Area.Kind.MUNICIPALITY,
        country="SE",
        code="9999",
        name="Påhittad",
        parent=borlange.parent,
    )
    place = place_create(user=owner, name="Ingenstans", municipality=made_up)
    page = _page(client, owner, place)
    assert "Ingenstans" in page
    assert not _section(page)
