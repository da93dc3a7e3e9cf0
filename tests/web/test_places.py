"""Places: creating one in a real municipality, facts from open data, members and roles."""

from __future__ import annotations

import html

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
            "lat": "60,47",  # a decimal comma, as Swedes write it
            "lon": "15.43",
        },
    )
    place = Place.objects.get(name="Domnarvet")
    assert (place.lat, place.lon) == (60.47, 15.43)
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


def _area(country: str, code: str):
    from platsa.places.models import Area

    return Area.objects.get(kind=Area.Kind.MUNICIPALITY, country=country, code=code)


def _english_page(client, user, place) -> str:
    client.cookies["platsa_lang"] = "en"
    client.force_login(user)
    page = client.get(reverse("places:detail", args=[place.slug])).content.decode()
    return html.unescape(page)  # "today's", not "today&#x27;s"


def _facts(page: str) -> dict[str, str]:
    """The facts list as label -> the text of its value, tags removed."""
    import re

    block = page.split('<dl class="facts">')[1].split("</dl>")[0]
    pairs = re.findall(r"<dt>(.*?)</dt>\s*<dd>(.*?)</dd>", block, re.S)
    return {k.strip(): " ".join(re.sub(r"<[^>]+>", " ", v).split()) for k, v in pairs}


def test_a_norwegian_place_shows_ssb_facts_trend_and_chart(client, owner, reference):
    """Bindal: SSB's 1 January series 2005-2026 (README: 1,778 in 2005, 1,361 in 2026) and
    the 2025 age profile, each with period and source."""
    from platsa.core.io.reference import find_municipality, national_share_65_plus
    from platsa.places.services import place_create

    bindal = _area("NO", "1811")
    place = place_create(user=owner, name="Terråk", municipality=bindal)
    page = _english_page(client, owner, place)
    facts = _facts(page)
    assert facts["Population"] == "1,361 · 2026-01-01 · Source: Statistisk sentralbyrå (SSB)"
    m = find_municipality("NO-1811")
    change = m.population_change_detail
    assert facts["Population change"] == (
        f"{change.pct:.1f} % · 2016-01-01–2026-01-01 · Source: Statistisk sentralbyrå (SSB)"
    )
    national = round(national_share_65_plus("NO"), 2)
    assert facts["Aged 65 or older"] == (
        f"32.4 % (the country: {national:.1f} %) · 2025 · Source: Statistisk sentralbyrå (SSB)"
    )
    chart = page.split('class="chart chart-line"')[1].split("</svg>")[0]
    assert "1 January each year" in chart.split("</title>")[0]
    polyline = chart.split('<polyline points="')[1].split('"')[0]
    assert len(polyline.split()) == len(m.population_series) == 2026 - 2005 + 1
    assert 'class="chart-marker"' not in chart  # the newest figure is the line's last point
    table = page.split("<tbody>")[-2].split("</tbody>")[0]
    assert "<td>1 January 2026</td>" in table  # the most recent year, always a row
    assert "<td>1 January 2005</td>" in table
    assert "Source: Statistisk sentralbyrå (SSB)." in page.split('class="chart chart-line"')[1]
    assert "People per five-year age band, 2025. Source: Statistisk sentralbyrå (SSB)." in page


def test_a_finnish_place_shows_statistics_finland_facts(client, owner, reference):
    """Brändö: 450 inhabitants on 31 December 2022 (README), ages of 2019."""
    from platsa.places.services import place_create

    place = place_create(user=owner, name="Brändö", municipality=_area("FI", "035"))
    page = _english_page(client, owner, place)
    facts = _facts(page)
    assert facts["Population"] == "450 · 2022-12-31 · Source: Tilastokeskus / THL Sotkanet"
    assert facts["Population change"].endswith("· 2012–2022 · Source: Tilastokeskus / THL Sotkanet")
    assert facts["Aged 65 or older"].startswith("34.8 % (the country: ")
    assert facts["Aged 65 or older"].endswith("· 2019 · Source: Statistics Finland")
    chart = page.split('class="chart chart-line"')[1].split("</svg>")[0]
    assert "31 December each year" in chart
    table = page.split("<tbody>")[-2].split("</tbody>")[0]
    assert '<td>2022</td><td class="num">450</td>' in table


def test_alesund_after_its_split_says_its_change_is_unknown(client, owner, reference):
    from platsa.places.services import place_create

    place = place_create(user=owner, name="Ålesund", municipality=_area("NO", "1508"))
    page = _english_page(client, owner, place)
    facts = _facts(page)
    assert facts["Population"].startswith("59,663 · 2026-01-01")
    assert facts["Population change"].startswith(
        "Not known: exact figures by today's borders exist"
    )
    assert "1 January 2024" in facts["Population change"]
    assert "no exact figure by today's borders before 1 January 2024" in page


def test_narvik_change_starts_at_its_first_exact_year_and_says_so(client, owner, reference):
    from platsa.places.services import place_create

    place = place_create(user=owner, name="Narvik", municipality=_area("NO", "1806"))
    facts = _facts(_english_page(client, owner, place))
    assert "· 2020-01-01–2026-01-01 ·" in facts["Population change"]
    assert "From 1 January 2020, the first year with an exact figure" in facts["Population change"]


def test_swedish_facts_name_kolada_where_its_figures_are_used(client, place, viewer):
    page = _english_page(client, viewer, place)
    facts = _facts(page)
    assert facts["Population"] == "51,384 · 2024-11-01 · Source: SCB"
    assert facts["Population change"].endswith("· 2012–2022 · Source: SCB and Kolada")
    assert facts["Aged 65 or older"].startswith("20.9 % (the country: ")  # README: 20.85 (2022)
    assert facts["Aged 65 or older"].endswith("· 2022 · Source: Kolada")
    caption = page.split('class="chart chart-line"')[1].split("</figcaption>")[0]
    assert "1950–2019: Source: SCB; 2020–2022: Source: Kolada; 1 November 2024: Source: SCB" in (
        caption
    )
    assert "People per five-year age band, 2019. Source: SCB." in page
    assert "among the facts are from 2022 (Source: Kolada)" in page


def test_place_context_for_norway_carries_country_trend_and_large_employer(owner, reference):
    from platsa.core.schema.catalogue import Country, Trend
    from platsa.places.facts import place_context
    from platsa.places.services import place_create

    place = place_create(
        user=owner,
        name="Terråk",
        municipality=_area("NO", "1811"),
        has_industry_employer=Place.Industry.YES,
    )
    context = place_context(place)
    assert context.country == Country.NO
    assert context.trend == Trend.DECLINING
    assert context.has_large_employer is True
    assert context.share_65_plus_pct == 32.39  # README: Bindal 2025
    assert context.national_share_65_plus_pct is not None
    place.has_industry_employer = Place.Industry.UNKNOWN
    assert place_context(place).has_large_employer is None


def test_the_form_asks_about_a_large_employer(client, owner, reference):
    client.cookies["platsa_lang"] = "en"
    client.force_login(owner)
    form = client.get(reverse("places:create")).content.decode()
    assert "Is there a large employer?" in form
    assert "a mill, a mine, a ski resort, a fish plant, a hospital" in form
    assert "industrial" not in form


def test_import_twice_changes_nothing_and_an_update_reaches_the_place(owner, reference, tmp_path):
    import shutil

    from platsa.places.models import Area
    from platsa.places.reference_import import import_reference
    from platsa.places.services import place_create

    bindal = _area("NO", "1811")
    place = place_create(user=owner, name="Terråk", municipality=bindal)
    other = place_create(user=owner, name="Brändö", municipality=_area("FI", "035"))
    stamps = {p.pk: p.changed_at for p in Place.objects.all()}
    before = list(Area.objects.order_by("pk").values())
    again = import_reference(shapes=False)
    assert again.changed == 0
    assert (again.countries, again.municipalities) == (3, 290 + 357 + 309)
    assert list(Area.objects.order_by("pk").values()) == before
    assert {p.pk: p.changed_at for p in Place.objects.all()} == stamps

    # A data update: a copy of the files with Bindal's newest figure one higher.
    root = tmp_path / "reference"
    shutil.copytree(
        "platsa/data/reference",
        root,
        ignore=shutil.ignore_patterns(
            "kommuner_2024_kartverket_S.geojson", "kommuner_scb_simplified.geojson"
        ),
    )
    path = root / "no" / "population_1jan_2005_2026.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    row = next(i for i, line in enumerate(lines) if line.startswith("1811,"))
    cells = lines[row].split(",")
    newest = int(cells[-1])
    lines[row] = ",".join([*cells[:-1], str(newest + 1)])
    path.write_text("\n".join(lines), encoding="utf-8")
    updated = import_reference(root, shapes=False)
    assert updated.changed == 1
    bindal.refresh_from_db()
    assert bindal.population == newest + 1
    assert bindal.population_series["2026"] == newest + 1
    assert Area.objects.count() == len(before)  # updated in place, nothing added
    place.refresh_from_db()
    other.refresh_from_db()
    assert place.changed_at > stamps[place.pk]  # its pages show the new figure
    assert other.changed_at == stamps[other.pk]
