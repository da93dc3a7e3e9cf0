"""The open-data API (/api/): what it shows to the four personas of the security checks
(the organiser of this process's place, a signed-in participant with a token, anonymous, the
organiser of another place), its allow-lists and bounds, and its token-authorised writes."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from platsa.api.models import ApiToken
from platsa.api.tokens import token_create, token_hash, token_revoke
from platsa.innovation import services
from platsa.innovation.models import Idea, Stop, Support, Theme
from platsa.places.models import Membership, Role
from platsa.places.services import place_create
from platsa.processes.services import process_set_phase
from tests.core.test_markdown_safe import XSS_PAYLOADS

pytestmark = pytest.mark.django_db


# --- the world the personas look at ------------------------------------------------------


@pytest.fixture
def participant(django_user_model):
    from allauth.account.models import EmailAddress

    user = django_user_model.objects.create_user(
        email="deltagare@example.org", display_name="Deltagaren Dana"
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.fixture
def quiet(django_user_model):
    """A participant who gave no display name."""
    return django_user_model.objects.create_user(email="tyst@example.org")


@pytest.fixture
def other_place(reference, outsider):
    """Another place, organised by ``outsider``."""
    from platsa.places.models import Area

    ragunda = Area.objects.get(kind=Area.Kind.MUNICIPALITY, country="SE", code="2303")
    other = place_create(user=outsider, name="Hammarstrand", municipality=ragunda)
    Membership.objects.filter(place=other, user=outsider).update(role=Role.ORGANISER)
    return other


@pytest.fixture
def world(place, owner, organiser, participant, quiet, other_place, outsider):
    """A public process with ideas in every state, a process still being prepared, and a
    public process of the other place."""
    process = services.innovation_create(place=place, title="Domnarvet 2027", user=owner).process
    process_set_phase(process=process, phase="ideas", actor=owner)
    themes = list(Theme.objects.filter(process=process).order_by("position"))
    challenge = services.challenge_save(
        process=process,
        title="Tomma lokaler",
        owner_name="Kommunen",
        owner_kind="municipality",
        story="Förr fanns här en affär.",
        problem="Lokalerna står tomma.",
        help_wanted=["ideas", "funding"],
        themes=[themes[0]],
    )
    shown = [
        services.idea_submit(
            process=process,
            user=participant,
            title=f"Idé nummer {i}",
            body=f"Text om idé {i}.",
            themes=[themes[i % 2]],
            challenge=challenge if i == 1 else None,
        )
        for i in range(4)
    ]
    for supporter in (organiser, outsider, quiet):
        services.idea_support(idea=shown[2], user=supporter)
    services.idea_support(idea=shown[1], user=organiser)
    quiet_idea = services.idea_submit(process=process, user=quiet, title="Utan namn", body="Hej.")
    hidden = services.idea_submit(process=process, user=participant, title="Dold", body="Spam.")
    services.moderate(process=process, actor=organiser, action="hide", reason="Reklam", idea=hidden)
    merged = services.idea_submit(process=process, user=participant, title="Dubblett", body="X.")
    services.idea_merge(source=merged, target=shown[0], actor=organiser)
    innovation = process.innovation
    innovation.hold_first_posts = True
    innovation.save(update_fields=["hold_first_posts"])
    from django.contrib.auth import get_user_model

    newcomer = get_user_model().objects.create_user(email="ny@example.org")
    held = services.idea_submit(process=process, user=newcomer, title="Väntar", body="Ny.")
    assert held.visibility == "held"

    preparing = services.innovation_create(place=place, title="Hemlig plan", user=owner).process
    secret = services.idea_submit(process=preparing, user=owner, title="Hemlig idé", body="Psst.")
    foreign = services.innovation_create(
        place=other_place, title="Hammarstrand framåt", user=outsider
    ).process
    process_set_phase(process=foreign, phase="challenges", actor=outsider)

    # A place with nothing public: its existence is not revealed.
    hidden_place = place_create(user=owner, name="Gömda byn", municipality=place.municipality)
    return {
        "process": process,
        "themes": themes,
        "challenge": challenge,
        "shown": [*shown, quiet_idea],
        "hidden": hidden,
        "merged": merged,
        "held": held,
        "preparing": preparing,
        "secret": secret,
        "foreign": foreign,
        "hidden_place": hidden_place,
    }


def _bearer(raw: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def personas(organiser, participant, outsider):
    """Clients of the four personas; the participant's also sends a token."""
    mine = Client()
    mine.force_login(organiser)
    _token, raw = token_create(user=participant, name="Mitt skript")
    theirs = Client(**_bearer(raw))
    theirs.force_login(participant)
    other = Client()
    other.force_login(outsider)
    return {"organiser": mine, "participant": theirs, "anonymous": Client(), "other": other}


def _get(client: Client, url: str, **extra: str):
    response = client.get(url, **extra)
    assert response["Content-Type"].startswith("application/json"), url
    return response


# --- reading: the same for everyone, and only what is public ------------------------------


def test_every_public_answer_is_the_same_for_every_persona(world, personas):
    process, foreign = world["process"], world["foreign"]
    urls = [
        "/api/places/",
        f"/api/places/{process.place.slug}/",
        f"/api/places/{foreign.place.slug}/",
        "/api/processes/",
        f"/api/processes/{process.pk}/",
        f"/api/processes/{process.pk}/challenges/",
        f"/api/processes/{process.pk}/ideas/",
        f"/api/processes/{process.pk}/ideas/?sort=support",
        f"/api/ideas/{world['shown'][0].pk}/",
    ]
    for url in urls:
        answers = {name: _get(c, url) for name, c in personas.items()}
        assert {a.status_code for a in answers.values()} == {200}, url
        bodies = {name: a.json() for name, a in answers.items()}
        assert bodies["organiser"] == bodies["anonymous"] == bodies["participant"], url
        assert bodies["other"] == bodies["anonymous"], url
        for answer in answers.values():
            assert b"@example.org" not in answer.content, url  # never an address


def test_what_is_not_public_is_not_there_for_anyone(world, personas):
    process, preparing = world["process"], world["preparing"]
    not_public = [world["hidden"], world["merged"], world["held"], world["secret"]]
    for name, client in personas.items():
        processes = {p["id"] for p in _get(client, "/api/processes/").json()["results"]}
        assert processes == {process.pk, world["foreign"].pk}, name
        ideas = _get(client, f"/api/processes/{process.pk}/ideas/").json()
        assert {i["id"] for i in ideas["results"]} == {i.pk for i in world["shown"]}, name
        assert ideas["count"] == len(world["shown"])
        for idea in not_public:
            answer = _get(client, f"/api/ideas/{idea.pk}/")
            assert answer.status_code == 404, (name, idea.title)
            assert answer.json()["code"] == "not_found"
        for url in (
            f"/api/processes/{preparing.pk}/",
            f"/api/processes/{preparing.pk}/ideas/",
            f"/api/processes/{preparing.pk}/challenges/",
            f"/api/places/{world['hidden_place'].slug}/",
            "/api/ideas/999999/",
        ):
            assert _get(client, url).status_code == 404, (name, url)
        places = {p["slug"] for p in _get(client, "/api/places/").json()["results"]}
        assert places == {process.place.slug, world["foreign"].place.slug}, name
    detail = _get(personas["anonymous"], f"/api/processes/{process.pk}/").json()
    assert detail["idea_count"] == len(world["shown"])  # held, hidden, merged not counted


def test_an_idea_says_what_the_web_shows_and_never_more(world, personas):
    anonymous = personas["anonymous"]
    by_id = {
        i["id"]: i
        for i in _get(anonymous, f"/api/processes/{world['process'].pk}/ideas/").json()["results"]
    }
    first, supported, quiet = world["shown"][0], world["shown"][2], world["shown"][-1]
    assert by_id[first.pk]["author"] == "Deltagaren Dana"
    assert by_id[quiet.pk]["author"] is None  # no name given: no name, and no address
    assert by_id[supported.pk]["support_count"] == 3
    assert by_id[first.pk]["themes"] == [{"id": world["themes"][0].pk, "name": "Boende"}]
    assert by_id[first.pk]["url"].endswith(
        f"/i/{world['process'].place.slug}/{world['process'].slug}/{first.pk}/"
    )
    assert set(by_id[first.pk]["pledges"]) == {"count", "money", "goal_amount", "goal_currency"}
    detail = _get(anonymous, f"/api/ideas/{first.pk}/").json()
    assert detail["body"] == "Text om idé 0."
    assert detail["shown"] is True
    assert "email" not in json.dumps(detail)
    process = _get(anonymous, f"/api/processes/{world['process'].pk}/").json()
    assert process["phase"]["id"] == "ideas"
    assert process["open_to"] == ["propose", "comment", "support"]
    assert len(process["themes"]) == 7
    challenges = _get(anonymous, f"/api/processes/{world['process'].pk}/challenges/").json()
    assert [c["title"] for c in challenges["results"]] == ["Tomma lokaler"]
    assert challenges["results"][0]["help_wanted"] == ["ideas", "funding"]


def test_a_journey_lists_its_stops(world, personas, borlange):
    process = world["process"]
    services.stop_save(
        process=process,
        municipality=borlange,
        title="Borlänge",
        starts_on=date(2027, 5, 1),
        ends_on=date(2027, 5, 2),
    )
    found = _get(personas["anonymous"], f"/api/processes/{process.pk}/").json()
    assert found["stops"][0]["title"] == "Borlänge"
    assert found["stops"][0]["municipality"] == {
        "name": "Borlänge",
        "code": "2081",
        "country": "SE",
    }
    stop = Stop.objects.get()
    assert (
        _get(personas["anonymous"], f"/api/processes/{process.pk}/ideas/?stop={stop.pk}").json()[
            "count"
        ]
        == 0
    )


# --- allow-lists and bounds --------------------------------------------------------------


def test_sorts_and_filters_are_the_web_lists_own(world, personas):
    client, process = personas["anonymous"], world["process"]
    base = f"/api/processes/{process.pk}/ideas/"
    by_support = [i["id"] for i in _get(client, base + "?sort=support").json()["results"]]
    assert by_support[:2] == [world["shown"][2].pk, world["shown"][1].pk]
    old = [i["id"] for i in _get(client, base + "?sort=old").json()["results"]]
    assert old == [i.pk for i in world["shown"]]
    theme = world["themes"][1]
    themed = _get(client, base + f"?theme={theme.pk}").json()["results"]
    assert {i["id"] for i in themed} == {world["shown"][1].pk, world["shown"][3].pk}
    tied = _get(client, base + f"?challenge={world['challenge'].pk}").json()["results"]
    assert [i["id"] for i in tied] == [world["shown"][1].pk]
    assert _get(client, base + "?status=selected").json()["count"] == 0
    # A theme of another process is not this one's: ignored, as on the web.
    foreign_theme = Theme.objects.filter(process=world["foreign"]).first()
    assert _get(client, base + f"?theme={foreign_theme.pk}").json()["count"] == 5


@pytest.mark.parametrize(
    "query",
    [
        "sort=support_count; DROP TABLE innovation_idea",
        "sort=-body",
        "sort=author__email",
        "sort=support_count%3B%20DROP%20TABLE%20innovation_idea%3B--",
        "theme=1 OR 1=1",
        "theme=1;DELETE FROM innovation_idea",
        "challenge=0x1",
        "stop=-1",
        "status=new' OR '1'='1",
        "q=%27%29%3B%20DROP%20TABLE%20innovation_idea%3B--",
    ],
)
def test_hostile_sort_and_filter_values_are_ignored(world, personas, query):
    client, process = personas["anonymous"], world["process"]
    plain = _get(client, f"/api/processes/{process.pk}/ideas/").json()
    answer = _get(client, f"/api/processes/{process.pk}/ideas/?{query}")
    assert answer.status_code == 200
    if not query.startswith("q="):
        assert answer.json()["results"] == plain["results"]  # as if nothing was asked
    assert answer.json()["count"] in (0, plain["count"])
    assert Idea.objects.count() == 9  # the table is there, every row with it
    for url in ("/api/places/?sort=name;DROP TABLE places_place", "/api/processes/?sort=-x"):
        assert _get(client, url).status_code == 200


def test_a_page_is_at_most_a_hundred_and_links_the_next(world, personas):
    process, participant = world["process"], world["shown"][0].author
    Idea.objects.bulk_create(
        Idea(process=process, author=participant, title=f"Mängd {i}", body="x") for i in range(110)
    )
    client = personas["anonymous"]
    base = f"/api/processes/{process.pk}/ideas/"
    page = _get(client, base + "?limit=100000").json()
    assert page["limit"] == 100
    assert len(page["results"]) == 100
    assert page["count"] == 115
    assert "limit=100" in page["next"]
    assert "offset=100" in page["next"]
    rest = _get(client, page["next"]).json()
    assert len(rest["results"]) == 15
    assert rest["next"] is None
    assert rest["previous"].endswith("offset=0")
    ids = [i["id"] for i in page["results"]] + [i["id"] for i in rest["results"]]
    assert len(set(ids)) == 115
    far = _get(client, base + "?offset=99999999999999999999").json()
    assert far["results"] == []
    assert far["offset"] == 1_000_000
    assert _get(client, base + "?limit=-5").json()["limit"] == 1
    bad = _get(client, base + "?limit=many")
    assert bad.status_code == 422
    assert bad.json()["detail"]
    assert len(_get(client, "/api/places/?limit=100000").json()["results"]) == 2


def test_a_list_costs_the_same_queries_whatever_its_length(world, personas):
    process, author = world["process"], world["shown"][0].author
    client = personas["anonymous"]
    url = f"/api/processes/{process.pk}/ideas/?sort=support&limit=100"
    _get(client, url)
    with CaptureQueriesContext(connection) as few:
        assert len(_get(client, url).json()["results"]) == 5
    made = Idea.objects.bulk_create(
        Idea(process=process, author=author, title=f"Fler {i}", body="x") for i in range(60)
    )
    for idea in made:
        idea.themes.set(world["themes"][:2])
    with CaptureQueriesContext(connection) as many:
        assert len(_get(client, url).json()["results"]) == 65
    assert len(many) == len(few)


# --- the schema, the headers, hostile text -----------------------------------------------


def test_the_openapi_schema_is_served_and_lists_the_paths(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["info"] == {
        "title": "Platsa open data",
        "version": "1",
        "description": schema["info"]["description"],
    }
    assert schema["openapi"].startswith("3.")
    for path in (
        "/api/places/",
        "/api/places/{slug}/",
        "/api/processes/",
        "/api/processes/{process_id}/",
        "/api/processes/{process_id}/challenges/",
        "/api/processes/{process_id}/ideas/",
        "/api/ideas/{idea_id}/",
        "/api/ideas/{idea_id}/support/",
    ):
        assert path in schema["paths"], path
    assert set(schema["paths"]["/api/ideas/{idea_id}/support/"]) == {"post", "delete"}
    assert set(schema["paths"]["/api/processes/{process_id}/ideas/"]) == {"get", "post"}
    sorts = {
        p["name"]
        for p in schema["paths"]["/api/processes/{process_id}/ideas/"]["get"]["parameters"]
    }
    assert {"sort", "theme", "challenge", "stop", "status", "limit", "offset"} <= sorts
    assert any(
        s.get("scheme") == "bearer" for s in schema["components"]["securitySchemes"].values()
    )
    assert "email" not in json.dumps(schema["components"]["schemas"]["Idea"])
    # No documentation page: Swagger UI would come from a CDN, with inline scripts.
    docs = client.get("/api/docs", follow=True)
    assert docs.status_code == 404
    assert docs.json()["code"] == "not_found"  # JSON like every answer under /api/
    for missing in ("/api/docs/", "/api/nothing/here/", "/api/ideas/abc/"):
        answer = client.get(missing, HTTP_ACCEPT_LANGUAGE="en")
        assert answer.status_code == 404
        assert answer.json() == {"detail": "Not found.", "code": "not_found"}


def test_answers_can_be_revalidated_and_a_change_shows_at_once(world, personas, participant):
    client = personas["anonymous"]
    url = f"/api/ideas/{world['shown'][0].pk}/"
    first = _get(client, url)
    assert "public" in first["Cache-Control"]
    assert "max-age=0" in first["Cache-Control"]
    assert "must-revalidate" in first["Cache-Control"]
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    services.idea_support(idea=world["shown"][0], user=participant)
    changed = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert changed.json()["support_count"] == 1
    assert changed["ETag"] != first["ETag"]
    missing = _get(client, "/api/ideas/999999/")
    assert "no-cache" in missing["Cache-Control"]
    assert not missing.has_header("ETag")


def test_hostile_html_comes_back_as_plain_strings(world, personas, participant):
    process = world["process"]
    payloads = [p for p in XSS_PAYLOADS if 3 <= len(p.strip()) <= 120][:25]
    assert len(payloads) >= 20
    made = [
        services.idea_submit(process=process, user=participant, title=p, body=p) for p in payloads
    ]
    participant.display_name = '<img src=x onerror="alert(1)">'
    participant.save()
    client = personas["anonymous"]
    answer = _get(client, f"/api/processes/{process.pk}/ideas/?limit=100")
    assert answer["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in answer["Content-Security-Policy"]
    raw = answer.content.decode()
    assert "<" not in raw
    assert ">" not in raw
    titles = {i["id"]: i for i in answer.json()["results"]}
    for idea in made:
        stored = Idea.objects.get(pk=idea.pk)
        assert titles[idea.pk]["title"] == stored.title  # the text itself, not escaped twice
        assert titles[idea.pk]["author"] == '<img src=x onerror="alert(1)">'
        detail = _get(client, f"/api/ideas/{idea.pk}/")
        assert detail.json()["body"] == stored.body
        assert "<" not in detail.content.decode()


# --- tokens ------------------------------------------------------------------------------


def test_a_token_is_kept_as_its_hash_and_shown_once(participant, outsider):
    token, raw = token_create(user=participant, name="  Kommunens  sajt ")
    assert raw.startswith("plt_")
    assert len(raw) > 40
    stored = ApiToken.objects.get()
    assert stored.token_hash == token_hash(raw)
    assert raw not in stored.token_hash
    assert stored.name == "Kommunens sajt"
    assert raw.startswith(stored.prefix)
    assert not ApiToken.objects.filter(token_hash=raw).exists()
    assert token.last_used_at is None
    from platsa.api.tokens import TokenError, token_user

    assert token_user(raw) == participant
    stored.refresh_from_db()
    assert stored.last_used_at is not None
    with pytest.raises(TokenError):
        token_revoke(token=stored, user=outsider)  # not his to revoke
    assert token_revoke(token=stored, user=participant) is True
    assert token_user(raw) is None
    with pytest.raises(TokenError):
        token_create(user=participant, name="   ")


# --- writes ------------------------------------------------------------------------------


def _post(client: Client, url: str, data: object | None = None, **extra: str):
    return client.post(url, data=json.dumps(data or {}), content_type="application/json", **extra)


def test_writes_need_a_valid_token_of_the_person(world, participant, organiser):
    process, idea = world["process"], world["shown"][3]
    new = f"/api/processes/{process.pk}/ideas/"
    support = f"/api/ideas/{idea.pk}/support/"
    body = {"title": "Bastu vid älven", "body": "En bastu för alla."}
    _token, raw = token_create(user=participant, name="skript")
    signed_in = Client()
    signed_in.force_login(organiser)  # a session is not enough: no cookie-authorised writes
    revoked, revoked_raw = token_create(user=participant, name="gammal")
    token_revoke(token=revoked, user=participant)
    refusals = [
        (Client(), {}),
        (signed_in, {}),
        (Client(), _bearer("plt_" + "x" * 43)),
        (Client(), _bearer(raw[:-1] + ("A" if raw[-1] != "A" else "B"))),
        (Client(), _bearer(revoked_raw)),
        (Client(), {"HTTP_AUTHORIZATION": f"Token {raw}"}),
    ]
    for client, headers in refusals:
        answer = _post(client, new, body, **headers)
        assert answer.status_code == 401, headers
        assert answer.json()["code"] == "token"
        assert answer.json()["detail"]
        assert answer["WWW-Authenticate"].startswith("Bearer")
        assert _post(client, support, **headers).status_code == 401
        assert client.delete(support, **headers).status_code == 401
    assert not Idea.objects.filter(title="Bastu vid älven").exists()
    assert idea.supports.count() == 0

    made = _post(Client(), new, {**body, "themes": [world["themes"][2].pk]}, **_bearer(raw))
    assert made.status_code == 201, made.content
    assert made.json()["title"] == "Bastu vid älven"
    assert made.json()["shown"] is True
    stored = Idea.objects.get(title="Bastu vid älven")
    assert stored.author == participant
    assert list(stored.themes.all()) == [world["themes"][2]]
    assert "private" in made["Cache-Control"]
    assert "no-store" in made["Cache-Control"]
    public = _get(Client(), f"/api/processes/{process.pk}/ideas/").json()
    assert stored.pk in {i["id"] for i in public["results"]}


def test_double_support_through_the_api_is_one_support(world, participant):
    idea = world["shown"][3]
    _token, raw = token_create(user=participant, name="skript")
    url = f"/api/ideas/{idea.pk}/support/"
    first = _post(Client(), url, **_bearer(raw)).json()
    second = _post(Client(), url, **_bearer(raw)).json()
    assert first == {"idea_id": idea.pk, "supported": True, "changed": True, "support_count": 1}
    assert second == {"idea_id": idea.pk, "supported": True, "changed": False, "support_count": 1}
    assert Support.objects.filter(idea=idea).count() == 1
    withdrawn = Client().delete(url, **_bearer(raw)).json()
    assert withdrawn["changed"] is True
    assert withdrawn["support_count"] == 0
    assert Client().delete(url, **_bearer(raw)).json()["changed"] is False
    assert Idea.objects.get(pk=idea.pk).support_count == 0


def test_writes_follow_the_phase_and_the_public_rules(world, participant, owner, organiser):
    process = world["process"]
    _token, raw = token_create(user=participant, name="skript")
    _token, organisers = token_create(user=organiser, name="skript")
    auth = _bearer(raw)
    body = {"title": "En idé till", "body": "Text."}
    # Not public: the same 404 for the organiser's own token as for anyone.
    for headers in (auth, _bearer(organisers)):
        assert (
            _post(
                Client(), f"/api/processes/{world['preparing'].pk}/ideas/", body, **headers
            ).status_code
            == 404
        )
        for idea in (world["hidden"], world["merged"], world["held"], world["secret"]):
            assert _post(Client(), f"/api/ideas/{idea.pk}/support/", **headers).status_code == 404
    process_set_phase(process=process, phase="discussion", actor=owner)
    closed = _post(Client(), f"/api/processes/{process.pk}/ideas/", body, **auth)
    assert closed.status_code == 409
    assert closed.json()["code"] == "phase_closed"
    with translation.override("en"):
        assert closed.json()["detail"] != ""
    assert _post(Client(), f"/api/ideas/{world['shown'][0].pk}/support/", **auth).status_code == 200
    process_set_phase(process=process, phase="selection", actor=owner)
    assert _post(Client(), f"/api/ideas/{world['shown'][1].pk}/support/", **auth).status_code == 409
    assert not Idea.objects.filter(title="En idé till").exists()


def test_what_the_services_refuse_is_said_in_json(world, participant):
    process = world["process"]
    _token, raw = token_create(user=participant, name="skript")
    url = f"/api/processes/{process.pk}/ideas/"
    short = _post(Client(), url, {"title": "A", "body": "Text."}, **_bearer(raw))
    assert short.status_code == 400
    assert short.json()["code"] == "title_short"
    foreign_theme = Theme.objects.filter(process=world["foreign"]).first()
    other = _post(
        Client(),
        url,
        {"title": "Bra idé", "body": "T", "themes": [foreign_theme.pk]},
        **_bearer(raw),
    )
    assert other.status_code == 400
    assert other.json()["code"] == "bad_choice"
    missing = _post(Client(), url, {"body": "no title"}, **_bearer(raw))
    assert missing.status_code == 422
    assert missing.json()["code"] == "invalid"
    broken = Client().post(url, data="{not json", content_type="application/json", **_bearer(raw))
    assert broken.status_code in (400, 422)
    assert broken.json()["detail"]
    english = _post(
        Client(), url, {"title": "A", "body": "T"}, HTTP_ACCEPT_LANGUAGE="en", **_bearer(raw)
    )
    assert english["Content-Language"] == "en"
    assert english.json()["detail"] == "Give it a title of at least three characters."
    swedish = _post(Client(), url, {"title": "A", "body": "T"}, **_bearer(raw))
    assert swedish["Content-Language"] == "sv"
    with translation.override("sv"):
        from django.utils.translation import gettext

        assert swedish.json()["detail"] == gettext("Give it a title of at least three characters.")


def test_a_first_post_held_for_review_says_so_and_stays_out_of_the_lists(world, django_user_model):
    newcomer = django_user_model.objects.create_user(email="nykomling@example.org")
    _token, raw = token_create(user=newcomer, name="skript")
    process = world["process"]  # holds new participants' first posts
    made = _post(
        Client(),
        f"/api/processes/{process.pk}/ideas/",
        {"title": "Min första", "body": "Hej"},
        **_bearer(raw),
    )
    assert made.status_code == 201
    assert made.json()["shown"] is False
    assert _get(Client(), f"/api/ideas/{made.json()['id']}/").status_code == 404


def test_writes_are_rate_limited(world, participant, settings):
    settings.PLATSA_API_SUPPORT_RATE = "3/600"
    _token, raw = token_create(user=participant, name="skript")
    answers = [
        _post(Client(), f"/api/ideas/{world['shown'][i % 5].pk}/support/", **_bearer(raw))
        for i in range(5)
    ]
    assert [a.status_code for a in answers] == [200, 200, 200, 429, 429]
    assert answers[-1].json()["code"] == "rate"
    assert answers[-1]["Retry-After"]
    assert Support.objects.filter(user=participant).count() == 3


@pytest.mark.django_db(transaction=True)
def test_fifty_supports_at_once_through_the_api_store_one(place, owner, participant):
    """A program retrying on a bad line: every request is answered, the constraint decides,
    one support is stored and counted once."""
    from concurrent.futures import ThreadPoolExecutor

    process = services.innovation_create(place=place, title="Samtidigt", user=owner).process
    process_set_phase(process=process, phase="ideas", actor=owner)
    idea = services.idea_submit(process=process, user=owner, title="En idé", body="Text.")
    _token, raw = token_create(user=participant, name="skript")
    url = f"/api/ideas/{idea.pk}/support/"

    def send(_i: int) -> tuple[int, bool]:
        try:
            answer = _post(Client(), url, **_bearer(raw))
            return answer.status_code, answer.json()["changed"]
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=10) as pool:
        answers = list(pool.map(send, range(50)))
    assert [code for code, _changed in answers] == [200] * 50
    assert sum(changed for _code, changed in answers) == 1
    assert Support.objects.filter(idea=idea).count() == 1
    assert Idea.objects.get(pk=idea.pk).support_count == 1


def test_the_tokens_page_shows_a_new_token_once_and_revokes_it(client, participant, outsider):
    from django.urls import reverse

    page = reverse("api_tokens")
    assert client.get(page).status_code == 302  # sign in first
    client.force_login(participant)
    assert client.get(page).status_code == 200
    made = client.post(page, {"name": "Kommunens <b>sajt</b>"})
    assert made.status_code == 200
    assert "no-store" in made["Cache-Control"]
    token = ApiToken.objects.get(user=participant)
    raw = next(w for w in made.content.decode().split('"') if w.startswith("plt_"))
    assert token_hash(raw) == token.token_hash
    assert "Kommunens &lt;b&gt;sajt&lt;/b&gt;" in made.content.decode()  # escaped, not rendered
    again = client.get(page).content.decode()
    assert raw not in again  # shown once
    assert token.prefix in again
    assert _post(Client(), "/api/ideas/1/support/", **_bearer(raw)).status_code == 404  # works

    revoke = reverse("api_token_revoke", args=[token.pk])
    stranger = Client()
    stranger.force_login(outsider)
    assert stranger.post(revoke).status_code == 404  # not his: not there
    assert client.get(revoke).status_code == 405
    assert client.post(revoke).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert _post(Client(), "/api/ideas/1/support/", **_bearer(raw)).status_code == 401
    assert client.post(page, {"name": ""}).status_code == 200
    assert ApiToken.objects.filter(user=participant).count() == 1


def test_staff_see_and_revoke_tokens_in_the_admin_without_their_hash(
    client, django_user_model, participant
):
    token, raw = token_create(user=participant, name="skript")
    staff = django_user_model.objects.create_superuser(email="admin@example.org", password="x" * 12)
    client.force_login(staff)
    listing = client.get("/admin/api/apitoken/")
    assert listing.status_code == 200
    assert token.prefix in listing.content.decode()
    assert token.token_hash not in listing.content.decode()
    assert client.get("/admin/api/apitoken/add/").status_code == 403
    client.post(
        "/admin/api/apitoken/",
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert _post(Client(), "/api/ideas/1/support/", **_bearer(raw)).status_code == 401
