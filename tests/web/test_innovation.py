"""Open innovation through the web: an organiser creates a process with a journey's stops
and challenges and opens it; anyone reads; signed-in participants post ideas (the similar
ones shown first), support once, comment one level deep, like and pledge; moderators hold,
hide with a reason the author sees, release, and merge duplicates keeping supporters;
statuses notify the people following an idea. Each persona sees only what is theirs."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from platsa.innovation.models import (
    Comment,
    Idea,
    Innovation,
    Like,
    ModerationEntry,
    Pledge,
    Profile,
    Support,
    Visibility,
)
from platsa.innovation.services import (
    InnovationError,
    challenge_save,
    comment_add,
    idea_merge,
    idea_set_status,
    idea_submit,
    idea_support,
    innovation_create,
    like_toggle,
    moderate,
    pledge_add,
    stop_save,
)
from platsa.places.models import Area
from platsa.processes.services import process_set_phase

pytestmark = pytest.mark.django_db


def _participant(django_user_model, email: str, name: str = ""):
    from allauth.account.models import EmailAddress

    user = django_user_model.objects.create_user(email=email, display_name=name)
    user.set_unusable_password()
    user.save()
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


@pytest.fixture
def anna(django_user_model):
    return _participant(django_user_model, "anna@example.org", "Anna i Bispgården")


@pytest.fixture
def bo(django_user_model):
    return _participant(django_user_model, "bo@example.org")


@pytest.fixture
def process(place, owner):
    innovation = innovation_create(place=place, title="Ragunda 2027", user=owner)
    return innovation.process


@pytest.fixture
def open_process(process, owner):
    process_set_phase(process=process, phase="ideas", actor=owner)
    return process


def _url(name: str, process, *args) -> str:
    return reverse(f"innovation_public:{name}", args=[process.place.slug, process.slug, *args])


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_organiser_creates_process_with_stops_challenge_and_opens(client, place, owner):
    client.force_login(owner)
    response = client.post(
        reverse("innovation:create", args=[place.slug]),
        {"title": "Ragunda 2027", "intro": "Vi delar **våra** utmaningar."},
    )
    assert response.status_code == 302
    innovation = Innovation.objects.get(process__title="Ragunda 2027")
    process = innovation.process
    assert process.phase == "preparing"
    assert process.idea_themes.count() >= 5
    manage = reverse("innovation:manage", args=[place.slug, process.slug])
    response = client.post(
        reverse("innovation:stop_add", args=[place.slug, process.slug]),
        {
            "municipality": "Steinkjer",
            "title": "Steinkjer",
            "starts_on": "2027-03-10",
            "ends_on": "2027-03-11",
        },
    )
    assert response.status_code == 302
    stop = process.stops.get()
    assert stop.municipality.country == "NO"
    response = client.post(
        reverse("innovation:challenge_new", args=[place.slug, process.slug]),
        {
            "title": "Bostäder för inflyttare",
            "owner_name": "Ragunda kommun",
            "owner_kind": "municipality",
            "problem": "Det finns jobb men inga lediga lägenheter.",
            "help_wanted": ["ideas", "funding"],
            "themes": [process.idea_themes.first().pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    challenge = process.challenges.get()
    assert challenge.help_wanted == ["ideas", "funding"]
    # Until it opens, the public sees nothing; members see a preview.
    assert Client().get(_url("process", process)).status_code == 404
    assert client.get(_url("process", process)).status_code == 200
    response = client.post(
        reverse("innovation:phase", args=[place.slug, process.slug]), {"phase": "ideas"}
    )
    assert response.status_code == 302
    page = Client().get(_url("process", process))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Bostäder för inflyttare" in text
    assert "Steinkjer" in text
    assert "<strong>våra</strong>" in text
    assert client.get(manage).status_code == 200


def test_stop_refuses_unknown_municipality_and_reversed_dates(client, process, owner):
    client.force_login(owner)
    url = reverse("innovation:stop_add", args=[process.place.slug, process.slug])
    client.post(
        url,
        {
            "municipality": "Atlantis",
            "title": "X",
            "starts_on": "2027-01-02",
            "ends_on": "2027-01-03",
        },
    )
    client.post(
        url,
        {"municipality": "Åre", "title": "Åre", "starts_on": "2027-01-05", "ends_on": "2027-01-03"},
    )
    assert process.stops.count() == 0


def test_participant_posts_idea_after_sign_in_and_sees_similar_first(open_process, anna, bo):
    process = open_process
    anon = Client()
    response = anon.get(_url("idea_new", process))
    assert response.status_code == 302
    assert "next=" in response["Location"]
    client = _client(anna)
    form = {
        "title": "Fler hyreslägenheter för inflyttare",
        "body": "Kommunen borde bygga hyresrätter för nya invånare.",
    }
    response = client.post(_url("idea_new", process), form)
    assert response.status_code == 302
    first = Idea.objects.get()
    assert first.author == anna
    assert first.visibility == Visibility.SHOWN
    # Bo writes nearly the same: he is shown Anna's idea before his is posted.
    other = _client(bo)
    near = {
        "title": "Bygg hyresrätter för inflyttare",
        "body": "Vi behöver fler hyreslägenheter för nya invånare som flyttar hit.",
    }
    response = other.post(_url("idea_new", process), near)
    assert response.status_code == 200
    assert "Fler hyreslägenheter för inflyttare" in response.content.decode()
    assert Idea.objects.count() == 1
    response = other.post(_url("idea_new", process), {**near, "not_a_duplicate": "1"})
    assert response.status_code == 302
    assert Idea.objects.count() == 2
    # While typing: the similar ideas as a fragment.
    fragment = other.get(_url("similar", process), {"title": "hyresrätter inflyttare", "body": ""})
    assert "Fler hyreslägenheter" in fragment.content.decode()


def test_idea_text_is_sanitised_and_title_escaped(open_process, anna):
    client = _client(anna)
    client.post(
        _url("idea_new", open_process),
        {
            "title": "<img src=x onerror=alert(1)>Bussar",
            "body": "Hej <script>alert(1)</script> [x](javascript:alert(1)) **fett**",
        },
    )
    idea = Idea.objects.get()
    page = Client().get(_url("idea", open_process, idea.pk)).content.decode()
    assert "<script>alert(1)" not in page
    assert 'href="javascript:' not in page.replace(" ", "")
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;Bussar" in page
    assert "<strong>fett</strong>" in page


def test_support_once_withdraw_and_counts(open_process, anna, bo):
    idea = idea_submit(
        process=open_process,
        user=anna,
        title="Bredband till Stugun",
        body="Fiber till alla hushåll.",
    )
    client = _client(bo)
    url = _url("support", open_process, idea.pk)
    for _ in range(3):
        assert client.post(url, {"support": "1"}).status_code == 302
    idea.refresh_from_db()
    assert idea.support_count == 1 == Support.objects.filter(idea=idea).count()
    client.post(url, {"support": "0"})
    idea.refresh_from_db()
    assert idea.support_count == 0 == Support.objects.count()
    # Anonymous: sent to sign in, nothing stored.
    response = Client().post(url, {"support": "1"})
    assert response.status_code == 302
    assert "next=" in response["Location"]
    assert Support.objects.count() == 0


def test_anonymous_idea_page_is_cached_and_shows_a_new_support_next_request(open_process, anna, bo):
    idea = idea_submit(
        process=open_process, user=anna, title="Bredband till Stugun", body="Fiber till alla."
    )
    anon = Client()
    first = anon.get(_url("idea", open_process, idea.pk))
    assert "0 people support" in first.content.decode() or "0 personer" in first.content.decode()
    idea_support(idea=Idea.objects.get(pk=idea.pk), user=bo)
    again = anon.get(_url("idea", open_process, idea.pk)).content.decode()
    assert "1 person supports" in again or "1 person stöder" in again


def test_comments_one_level_and_like_and_pledge(open_process, anna, bo):
    idea = idea_submit(
        process=open_process,
        user=anna,
        title="Byahus som coworking",
        body="Gamla skolan blir kontor.",
        goal_amount=50000,
    )
    client = _client(bo)
    client.post(_url("comment", open_process, idea.pk), {"body": "Bra! Jag hjälper till."})
    top = Comment.objects.get()
    client.post(_url("comment", open_process, idea.pk), {"body": "Svar", "parent": top.pk})
    reply = Comment.objects.exclude(pk=top.pk).get()
    client.post(
        _url("comment", open_process, idea.pk), {"body": "Svar på svar", "parent": reply.pk}
    )
    deeper = Comment.objects.order_by("-id").first()
    assert reply.parent_id == top.pk
    assert deeper.parent_id == top.pk
    idea.refresh_from_db()
    assert idea.comment_count == 3
    client.post(_url("like", open_process, idea.pk))
    client.post(_url("pledge", open_process, idea.pk), {"kind": "money", "amount": "20000"})
    client.post(_url("pledge", open_process, idea.pk), {"kind": "time", "hours": "40"})
    refused = client.post(
        _url("pledge", open_process, idea.pk), {"kind": "money", "amount": "-5"}, follow=True
    ).content.decode()
    # The message names the field and the reason, in the page's language, and the form comes
    # back open with what was typed (once: the next look has an empty form).
    assert "Löftet registrerades inte. Belopp i kronor (pengar):" in refused
    typed = {"kind": "time", "hours": "tre", "description": "Jag kan snickra bänkar"}
    again = client.post(_url("pledge", open_process, idea.pk), typed, follow=True)
    page_again = again.content.decode()
    assert "Timmar (tid):" in page_again
    assert "Jag kan snickra bänkar" in page_again
    assert '<details class="ds-details" open>' in page_again
    assert again.redirect_chain[-1][0].endswith("#pledges")
    assert (
        "Jag kan snickra bänkar"
        not in client.get(_url("idea", open_process, idea.pk)).content.decode()
    )
    idea.refresh_from_db()
    assert idea.like_count == 1
    assert idea.pledge_count == 2
    assert idea.pledged_money == 20000
    page = Client().get(_url("idea", open_process, idea.pk)).content.decode()
    assert re.search(r"20\s000 (of|av) 50\s000 SEK", page.replace("\xa0", " "))
    pledge = Pledge.objects.get(kind="money")
    other = _client(anna)
    other.post(_url("pledge_withdraw", open_process, idea.pk, pledge.pk))
    assert Pledge.objects.filter(pk=pledge.pk).exists()  # not hers
    client.post(_url("pledge_withdraw", open_process, idea.pk, pledge.pk))
    idea.refresh_from_db()
    assert idea.pledged_money == 0
    assert idea.pledge_count == 1


def test_phase_decides_what_participants_can_do(process, owner, anna, bo):
    process_set_phase(process=process, phase="ideas", actor=owner)
    idea = idea_submit(
        process=process,
        user=anna,
        title="Sommarjobb för unga",
        body="Företagen erbjuder sommarjobb.",
    )
    process_set_phase(process=process, phase="discussion", actor=owner)
    client = _client(bo)
    response = client.post(_url("idea_new", process), {"title": "Ny idé här", "body": "Text text"})
    assert response.status_code == 409
    assert client.post(_url("support", process, idea.pk)).status_code == 302
    process_set_phase(process=process, phase="selection", actor=owner)
    response = client.post(_url("comment", process, idea.pk), {"body": "Sent"})
    assert response.status_code == 409
    assert Comment.objects.count() == 0
    assert Client().get(_url("idea", process, idea.pk)).status_code == 200


def test_held_first_post_visible_to_author_and_staff_only(open_process, owner, anna, bo, outsider):
    Innovation.objects.filter(process=open_process).update(hold_first_posts=True)
    client = _client(anna)
    client.post(
        _url("idea_new", open_process),
        {"title": "Cykelväg till skolan", "body": "Säker väg för barnen."},
    )
    idea = Idea.objects.get()
    assert idea.visibility == Visibility.HELD
    assert ModerationEntry.objects.filter(action="held", idea=idea).exists()
    url = _url("idea", open_process, idea.pk)
    assert Client().get(url).status_code == 404
    assert _client(bo).get(url).status_code == 404
    assert _client(outsider).get(url).status_code == 404
    mine = client.get(url)
    assert (
        mine.status_code == 200 and "Waiting for review" in mine.content.decode()
    ) or "Väntar" in mine.content.decode()
    assert "Cykelväg" not in Client().get(_url("process", open_process)).content.decode()
    staff = _client(owner)
    staff.post(
        reverse("innovation:moderate", args=[open_process.place.slug, open_process.slug]),
        {"action": "release", "idea": idea.pk},
    )
    idea.refresh_from_db()
    assert idea.visibility == Visibility.SHOWN
    assert Client().get(url).status_code == 200
    # Her second post is not held: she has something shown.
    second = idea_submit(
        process=open_process, user=anna, title="Mer belysning", body="Lampor längs vägen."
    )
    assert second.visibility == Visibility.SHOWN


def test_hide_needs_reason_author_sees_it_report_handled(open_process, owner, anna, bo):
    idea = idea_submit(
        process=open_process, user=anna, title="Köp min bil", body="Säljes billigt, ring mig."
    )
    _client(bo).post(_url("report", open_process, idea.pk), {"reason": "Reklam"})
    staff = _client(owner)
    moderate_url = reverse("innovation:moderate", args=[open_process.place.slug, open_process.slug])
    staff.post(moderate_url, {"action": "hide", "idea": idea.pk, "reason": ""})
    idea.refresh_from_db()
    assert idea.visibility == Visibility.SHOWN  # no reason, no hiding
    staff.post(moderate_url, {"action": "hide", "idea": idea.pk, "reason": "Reklam hör inte hit"})
    idea.refresh_from_db()
    assert idea.visibility == Visibility.HIDDEN
    assert idea.reports.get().handled_at is not None
    page = _client(anna).get(_url("idea", open_process, idea.pk)).content.decode()
    assert "Reklam hör inte hit" in page
    assert Client().get(_url("idea", open_process, idea.pk)).status_code == 404
    log = staff.get(
        reverse("innovation:moderation_log", args=[open_process.place.slug, open_process.slug]),
        follow=True,
    )
    assert "/i/export/" in log.redirect_chain[0][0]  # through a signed link
    text = log.content.decode("utf-8-sig")
    assert "hidden" in text
    assert "Reklam hör inte hit" in text
    assert "anna@example.org" not in text
    assert "owner@example.org" not in text


def test_merge_keeps_supporters_once_pledges_and_comments(
    open_process, owner, anna, bo, django_user_model
):
    a = idea_submit(
        process=open_process, user=anna, title="Fler bussar till Östersund", body="Tätare turer."
    )
    b = idea_submit(
        process=open_process,
        user=bo,
        title="Tätare bussturer Östersund",
        body="Bussen går för sällan.",
    )
    carl = _participant(django_user_model, "carl@example.org")
    idea_support(idea=a, user=carl)
    idea_support(idea=b, user=carl)
    idea_support(idea=a, user=bo)
    comment_add(user=carl, idea=a, body="Ja!")
    pledge_add(idea=a, user=carl, kind="money", amount=500)
    target = idea_merge(source=a, target=b, actor=owner)
    assert target.support_count == 2 == Support.objects.filter(idea=b).count()
    assert target.comment_count == 1
    assert target.pledged_money == 500
    a.refresh_from_db()
    assert a.merged_into_id == b.pk
    # The merged idea's address leads to the one it went into.
    response = Client().get(_url("idea", open_process, a.pk))
    assert response.status_code == 302
    assert str(b.pk) in response["Location"]
    with pytest.raises(InnovationError):
        idea_merge(source=a, target=b, actor=owner)


def test_status_change_mails_author_commenters_supporters(
    open_process, owner, anna, bo, jobs, django_capture_on_commit_callbacks
):
    idea = idea_submit(
        process=open_process, user=anna, title="Laddstolpar vid macken", body="För elbilar."
    )
    idea_support(idea=idea, user=bo)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        idea_set_status(
            idea=idea,
            actor=owner,
            status="selected",
            answer="Vi tar den vidare.",
            reason="Många stöder den.",
        )
    jobs.run()
    addresses = sorted(m.to[0] for m in mail.outbox)
    assert addresses == ["anna@example.org", "bo@example.org"]
    assert "Vi tar den vidare." in mail.outbox[0].body


def test_personas_on_organiser_pages(process, owner, organiser, viewer, outsider, anna):
    urls = [
        reverse("innovation:manage", args=[process.place.slug, process.slug]),
        reverse("innovation:ideas", args=[process.place.slug, process.slug]),
        reverse("innovation:moderation", args=[process.place.slug, process.slug]),
        reverse("innovation:challenge_new", args=[process.place.slug, process.slug]),
    ]
    for url in urls:
        assert _client(owner).get(url).status_code == 200, url
        assert _client(organiser).get(url).status_code == 200, url
        assert _client(viewer).get(url).status_code == 403, url
        assert _client(outsider).get(url).status_code == 404, url
        assert _client(anna).get(url).status_code == 404, url
        assert Client().get(url).status_code == 302, url


def test_process_moderator_reaches_moderation_only(client, open_process, owner, anna, bo):
    owner_client = _client(owner)
    owner_client.post(
        reverse("innovation:moderator_add", args=[open_process.place.slug, open_process.slug]),
        {"email": "bo@example.org"},
    )
    moderator = _client(bo)
    assert (
        moderator.get(
            reverse("innovation:moderation", args=[open_process.place.slug, open_process.slug])
        ).status_code
        == 200
    )
    assert (
        moderator.get(
            reverse("innovation:manage", args=[open_process.place.slug, open_process.slug])
        ).status_code
        == 404
    )


def test_list_filters_sorts_allow_listed(open_process, anna, bo):
    theme = open_process.idea_themes.first()
    a = idea_submit(
        process=open_process, user=anna, title="Idé ett", body="Text ett", themes=[theme]
    )
    b = idea_submit(process=open_process, user=anna, title="Idé två", body="Text två")
    idea_support(idea=b, user=bo)
    page = Client().get(_url("process", open_process), {"sort": "support"}).content.decode()
    assert page.index("Idé två") < page.index("Idé ett")
    page = Client().get(_url("process", open_process), {"theme": theme.pk}).content.decode()
    assert "Idé ett" in page
    assert "Idé två" not in page
    for hostile in [
        "support_count; DROP TABLE innovation_idea",
        "-id",
        "author__email",
        "1 OR 1=1",
    ]:
        response = Client().get(
            _url("process", open_process), {"sort": hostile, "theme": hostile, "status": hostile}
        )
        assert response.status_code == 200
    assert Idea.objects.count() == 2
    assert a.pk


def test_feed_posts_likes_and_comments(open_process, owner, anna):
    stop = stop_save(
        process=open_process,
        municipality=Area.objects.get(kind="municipality", country="SE", code="2303"),
        title="Ragunda",
        starts_on=date(2027, 3, 1),
        ends_on=date(2027, 3, 3),
    )
    staff = _client(owner)
    staff.post(
        reverse("innovation:feed_post", args=[open_process.place.slug, open_process.slug]),
        {
            "body": "Dag 1: **15 på plats**, 1 500 följer.",
            "video_url": "https://example.org/v",
            "stop": stop.pk,
        },
    )
    post = open_process.feed_posts.get()
    assert post.stop == stop
    assert "<strong>15 på plats</strong>" in post.body_html
    page = Client().get(_url("feed", open_process), {"stop": stop.pk}).content.decode()
    assert "15 på plats" in page
    client = _client(anna)
    client.post(_url("post_like", open_process, post.pk))
    client.post(_url("post_comment", open_process, post.pk), {"body": "Heja Ragunda!"})
    post.refresh_from_db()
    assert post.like_count == 1
    assert post.comment_count == 1
    client.post(_url("post_like", open_process, post.pk))
    post.refresh_from_db()
    assert post.like_count == 0
    assert Like.objects.count() == 0
    # Participants cannot post to the feed.
    _client(anna).post(
        reverse("innovation:feed_post", args=[open_process.place.slug, open_process.slug]),
        {"body": "Spam"},
    )
    assert open_process.feed_posts.count() == 1


def test_challenge_page_and_idea_for_it(open_process, anna):
    challenge = challenge_save(
        process=open_process,
        title="Kompetensförsörjning",
        owner_name="Döda fallet AB",
        owner_kind="company",
        problem="Vi hittar inte **svetsare**.",
    )
    idea = idea_submit(
        process=open_process,
        user=anna,
        title="Svetsutbildning på orten",
        body="Med Komvux.",
        challenge=challenge,
    )
    page = Client().get(_url("challenge", open_process, challenge.pk)).content.decode()
    assert "<strong>svetsare</strong>" in page
    assert idea.title in page


def test_like_toggle_is_idempotent_under_races(open_process, anna, bo):
    idea = idea_submit(process=open_process, user=anna, title="Skidspår", body="Belysta spår.")
    assert like_toggle(user=bo, idea=idea) is True
    assert like_toggle(user=bo, idea=idea) is False
    idea.refresh_from_db()
    assert idea.like_count == 0


def test_deleted_account_leaves_ideas_without_name(open_process, anna):
    idea = idea_submit(process=open_process, user=anna, title="Cafe i byn", body="Öppet på helger.")
    anna.delete()
    idea.refresh_from_db()
    assert idea.author is None
    page = Client().get(_url("idea", open_process, idea.pk)).content.decode()
    assert "Anna i Bispgården" not in page


def test_participant_downloads_data_and_deletion_withdraws_support(open_process, anna, bo):
    idea = idea_submit(process=open_process, user=anna, title="Bastu vid sjön", body="En bybastu.")
    mine = idea_submit(process=open_process, user=bo, title="Båtplatser", body="Fler båtplatser.")
    idea_support(idea=idea, user=bo)
    like_toggle(user=bo, idea=idea)
    pledge_add(idea=idea, user=bo, kind="money", amount=1000)
    comment_add(user=bo, idea=idea, body="Jag bygger gärna.")
    data = _client(bo).get(reverse("accounts:export")).json()
    part = data["open_innovation"]
    assert part["ideas"][0]["title"] == "Båtplatser"
    assert part["supports"][0]["idea"] == "Bastu vid sjön"
    assert part["pledges"][0]["amount"] == 1000
    assert part["likes"] == 1
    response = _client(bo).post(reverse("accounts:delete"))
    assert response.status_code == 302
    idea.refresh_from_db()
    assert (idea.support_count, idea.like_count, idea.pledged_money, idea.pledge_count) == (
        0,
        0,
        0,
        0,
    )
    assert idea.comment_count == 1  # the comment stays, without a name
    assert Comment.objects.get().author is None
    mine.refresh_from_db()
    assert mine.author is None
    assert Idea.objects.count() == 2


def test_suppression_hides_small_cells_and_the_one_that_would_give_it_away():
    from platsa.innovation.breakdown import suppress

    assert suppress(20, [10, 6, 4, 0]) == (10, None, None, 0)
    assert suppress(30, [10, 10, 5, 5]) == (10, 10, 5, 5)
    assert suppress(9, [3, 2, 4]) == (None, None, None)


def test_support_breakdown_by_group_with_small_counts_hidden(
    open_process, owner, anna, django_user_model
):
    from platsa.innovation.breakdown import breakdown
    from platsa.innovation.services import profile_save

    idea = idea_submit(process=open_process, user=anna, title="Skoterled", body="En led runt byn.")
    for i in range(8):
        person = _participant(django_user_model, f"p{i}@example.org")
        profile_save(
            user=person, group="resident" if i < 6 else "summer", age_band="", country="SE"
        )
        idea_support(idea=idea, user=person)
    table = breakdown(open_process, "group")
    row = table.rows[1]
    assert row.idea == idea
    assert row.total == 8
    labels = list(Profile.Group.values)
    assert row.cells[labels.index("resident")] is None  # 6 hidden: the 2 would give it away
    assert row.cells[labels.index("summer")] is None
    page = _client(owner).get(
        reverse("innovation:ideas", args=[open_process.place.slug, open_process.slug])
    )
    assert "&lt;5" in page.content.decode()
    # A participant states their own, once, and can change it.
    client = _client(anna)
    client.post(
        _url("profile", open_process), {"group": "works", "age_band": "35-49", "country": "NO"}
    )
    assert anna.idea_profile.country == "NO"
    client.post(_url("profile", open_process), {"group": "bogus"})
    anna.idea_profile.refresh_from_db()
    assert anna.idea_profile.group == "works"


def test_showcase_and_widget_show_public_only(place, process, owner, anna):
    url = reverse("showcase", args=[place.slug])
    assert Client().get(url).status_code == 404  # nothing public yet
    process_set_phase(process=process, phase="ideas", actor=owner)
    challenge_save(
        process=process,
        title="Unga som stannar",
        owner_name="Kommunen",
        owner_kind="municipality",
        problem="De flyttar.",
    )
    idea_submit(process=process, user=anna, title="Ungdomsgård", body="Öppen på kvällar.")
    held = idea_submit(process=process, user=anna, title="Hemlig idé", body="Text")
    moderate(process=process, actor=owner, action="hide", reason="Fel plats", idea=held)
    page = Client().get(url)
    text = page.content.decode()
    assert page.status_code == 200
    assert "Unga som stannar" in text
    assert "Ungdomsgård" in text
    assert "Hemlig idé" not in text
    assert 'property="og:title"' in text
    english = Client(HTTP_ACCEPT_LANGUAGE="en")
    english.cookies["platsa_lang"] = "en"
    assert "Open challenges" in english.get(url).content.decode()
    widget = Client().get(reverse("showcase_widget", args=[place.slug]))
    assert widget.status_code == 200
    assert "frame-ancestors *" in widget["Content-Security-Policy"]
    assert "X-Frame-Options" not in widget
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]


def test_bulk_answers_from_a_spreadsheet_all_or_nothing(open_process, owner, anna):
    from platsa.core.io.tabular import Sheet, write_xlsx

    a = idea_submit(process=open_process, user=anna, title="Badplats", body="En brygga.")
    b = idea_submit(process=open_process, user=anna, title="Lekplats", body="Gungor.")
    client = _client(owner)
    args = [open_process.place.slug, open_process.slug]
    template = client.get(reverse("innovation:answers_template", args=args), follow=True)
    assert template.status_code == 200
    assert template.content[:2] == b"PK"
    upload = reverse("innovation:answers_upload", args=args)

    def send(rows, name="svar.xlsx"):
        data = write_xlsx([Sheet("Svar", ["id", "titel", "status", "svar"], rows)])
        from django.core.files.uploadedfile import SimpleUploadedFile

        return client.post(upload, {"file": SimpleUploadedFile(name, data)}, follow=True)

    page = send([[a.pk, "Badplats", "selected", "Ja!"], [b.pk, "Lekplats", "kanske", ""]])
    text = page.content.decode()
    assert "Rad 3" in text or "Row 3" in text
    a.refresh_from_db()
    assert a.status == "new"  # nothing was changed
    send(
        [
            [a.pk, "Badplats", "Vald", "Ja, till sommaren."],
            [b.pk, "Lekplats", "not_selected", "Inte i år."],
        ]
    )
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, a.official_answer) == ("selected", "Ja, till sommaren.")
    assert b.status == "not_selected"
    # Hostile: an idea of another process, a formula, a broken file.
    other = innovation_create(place=open_process.place, title="Annan process", user=owner).process
    foreign = idea_submit(process=other, user=anna, title="Främmande", body="Text")
    send([[foreign.pk, "x", "done", ""]])
    foreign.refresh_from_db()
    assert foreign.status == "new"
    from django.core.files.uploadedfile import SimpleUploadedFile

    page = client.post(
        upload, {"file": SimpleUploadedFile("svar.xlsx", b"PK\x03\x04 not a zip")}, follow=True
    )
    assert page.status_code == 200
    assert (
        "Nothing was changed" in page.content.decode() or "Inget ändrades" in page.content.decode()
    )


# Twelve ideas in three plain subjects (buses, broadband, housing): enough to be themed.
THEMED_IDEAS = [
    ("Fler bussar till Östersund", "Bussen går för sällan till Östersund."),
    ("Tätare bussturer", "Bussarna till stan borde gå oftare."),
    ("Kvällsbuss till Östersund", "En buss på kvällen från Östersund."),
    ("Busskort för unga", "Billigare bussresor för unga."),
    ("Fiber till alla byar", "Bredband med fiber i varje by."),
    ("Bredband i Stugun", "Snabbt bredband och fiber i Stugun."),
    ("Fiber till fritidshus", "Fiber och bredband även till fritidshusen."),
    ("Bättre mobiltäckning och bredband", "Bredbandet och mobilen fungerar dåligt."),
    ("Hyresrätter för inflyttare", "Bygg små hyresrätter för nya invånare."),
    ("Lägenheter för unga", "Hyreslägenheter så att unga kan bo kvar."),
    ("Bostäder nära jobben", "Hyresrätter och bostäder nära bruket."),
    ("Seniorboende i byn", "Lägenheter för äldre så att villor blir lediga."),
]


def test_themes_page_is_machine_labelled_and_links_verbatim_ideas(
    open_process, anna, jobs, django_capture_on_commit_callbacks
):
    texts = THEMED_IDEAS
    ideas = [idea_submit(process=open_process, user=anna, title=t, body=b) for t, b in texts]
    from platsa.innovation.services import comment_add

    on_topic = "Ja, bussen till Östersund går för sällan, fler bussar behövs!"
    comment_add(user=anna, idea=ideas[4], body=on_topic)  # under a fibre idea: by its words
    comment_add(user=anna, idea=ideas[0], body="Bra idé!")
    url = _url("themes", open_process)
    with django_capture_on_commit_callbacks(execute=True):
        first = Client().get(url).content.decode()
    assert "Maskingjort" in first or "Machine-made" in first
    jobs.run()
    page = Client().get(url).content.decode()
    assert "Fler bussar till Östersund" in page
    assert "Fiber till alla byar" in page
    assert page.count('href="/i/') >= 10  # each theme lists its ideas, verbatim, linked
    # The comments: each with the theme of its own words, quoted and linked to its idea.
    bus_theme = next(
        s for s in page.split('<section class="ds-card theme-group"') if "Kvällsbuss" in s
    )
    assert on_topic in bus_theme
    assert "1 kommentar i temat" in bus_theme or "1 comment in this theme" in bus_theme
    assert "#comment-" in bus_theme
    assert "Bra idé!" not in page
    # A new idea: every look says a new grouping is coming until it is there.
    idea_submit(process=open_process, user=anna, title="Laddstolpar vid macken", body="Fyra.")
    for _look in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            again = Client().get(url).content.decode()
        assert "Nya idéer har kommit sedan dess" in again
    jobs.run()
    assert "Nya idéer har kommit sedan dess" not in Client().get(url).content.decode()


def test_follower_digest_once_a_day_and_moderation_reminder(open_process, owner, anna, bo):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    from platsa.innovation.models import Follow

    _client(bo).post(_url("follow", open_process), {"follow": "1"})
    follow = Follow.objects.get(user=bo)
    Follow.objects.filter(pk=follow.pk).update(last_sent=timezone.now() - timedelta(days=2))
    Idea.objects.update(created_at=timezone.now() - timedelta(days=3))
    idea_submit(process=open_process, user=anna, title="Ny badplats vid älven", body="Med brygga.")
    Innovation.objects.filter(process=open_process).update(hold_first_posts=True)
    held = idea_submit(
        process=open_process,
        user=_participant(type(anna), "ny@example.org"),
        title="Väntande idé",
        body="Text",
    )
    Idea.objects.filter(pk=held.pk).update(created_at=timezone.now() - timedelta(days=2))
    mail.outbox.clear()
    call_command("innovation_digests", stdout=__import__("io").StringIO())
    to_bo = [m for m in mail.outbox if m.to == ["bo@example.org"]]
    assert len(to_bo) == 1
    assert "Ny badplats vid älven" in to_bo[0].body
    assert "Väntande idé" not in to_bo[0].body  # held: not public
    reminders = [m for m in mail.outbox if "owner@example.org" in m.to]
    assert len(reminders) == 1
    mail.outbox.clear()
    call_command("innovation_digests", stdout=__import__("io").StringIO())
    assert mail.outbox == []  # a day has not passed; the reminder waits a day too
    _client(bo).post(_url("follow", open_process), {"follow": "0"})
    assert not Follow.objects.filter(user=bo).exists()


def test_idea_with_a_point_on_the_map(open_process, anna):
    from platsa.places.models import AreaShape

    square = [[[15.0, 60.0], [16.0, 60.0], [16.0, 61.0], [15.0, 61.0], [15.0, 60.0]]]
    AreaShape.objects.create(
        area=open_process.place.municipality, geometry={"type": "Polygon", "coordinates": square}
    )
    client = _client(anna)
    form = _url("idea_new", open_process)
    assert 'id="place-map"' in client.get(form).content.decode()
    client.post(
        form,
        {
            "title": "Rastplats vid forsen",
            "body": "Bänkar och grill.",
            "lat": "60.486",
            "lon": "15.43",
        },
    )
    idea = Idea.objects.get()
    assert (idea.lat, idea.lon) == (60.486, 15.43)
    page = Client().get(_url("idea", open_process, idea.pk)).content.decode()
    assert "<svg" in page
    assert "map-point" in page
    assert "med punkten utmärkt" in page  # a picture here, not a map to click on
    assert "klicka för att sätta" not in page
    client.post(form, {"title": "Fel punkt här", "body": "Text", "lat": "200", "lon": "15"})
    assert Idea.objects.count() == 1
    # A point on the Earth but outside the municipality's border (Stockholm) is refused too,
    # with what was typed kept and the reason named.
    typed = {"title": "Punkt i Stockholm", "body": "Text", "lat": "59.33", "lon": "18.06"}
    refused = client.post(form, typed).content.decode()
    assert Idea.objects.count() == 1
    assert "Punkten ligger utanför Borlänge" in refused
    assert 'value="Punkt i Stockholm"' in refused
    # As Swedes write it, with a decimal comma (the map itself fills in a point).
    client.post(form, {"title": "Med komma", "body": "Text", "lat": " 60,5 ", "lon": "15,5"})
    assert Idea.objects.get(title="Med komma").lat == 60.5
    page = client.get(form).content.decode()
    assert 'inputmode="decimal"' in page
    assert 'type="text" name="lat"' in page  # a number field drops a comma it does not expect
    for broken in ("60,5,1", "60.5,1", "nan", "inf", "1e999"):
        client.post(form, {"title": f"Trasig {broken}", "body": "Text", "lat": broken, "lon": "15"})
        assert not Idea.objects.filter(title=f"Trasig {broken}").exists(), broken


def _photo_with_gps(width: int = 2400, height: int = 1800) -> bytes:
    import io

    import numpy as np
    from PIL import Image

    pixels = np.random.default_rng(1).integers(0, 255, (height, width, 3), dtype=np.uint8)
    image = Image.fromarray(pixels)
    exif = Image.Exif()
    exif[0x010F] = "Phone maker"
    exif.get_ifd(0x8825)[2] = (63.0, 11.0, 0.0)  # GPS latitude: where the person lives
    out = io.BytesIO()
    image.save(out, "JPEG", quality=95, exif=exif)
    return out.getvalue()


def test_idea_picture_over_the_public_bound_is_taken_and_cleaned(open_process, anna):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image as PILImage

    photo = _photo_with_gps()
    assert 640 * 1024 < len(photo) < 8_000_000  # larger than an ordinary form may send
    client = _client(anna)
    response = client.post(
        _url("idea_new", open_process),
        {
            "title": "Utsikt från berget",
            "body": "Ett utsiktstorn.",
            "image": SimpleUploadedFile("a.jpg", photo, "image/jpeg"),
        },
    )
    assert response.status_code == 302, response.status_code
    idea = Idea.objects.get()
    served = Client().get(reverse("innovation_public:image", args=[idea.image_id]))
    import io

    reopened = PILImage.open(io.BytesIO(served.content))
    assert max(reopened.size) <= 1600
    assert not reopened.getexif()
    assert b"Phone maker" not in served.content
    # A text file named .jpg: refused with a message, the text kept.
    response = client.post(
        _url("idea_new", open_process),
        {
            "title": "Andra idén här",
            "body": "Texten finns kvar",
            "image": SimpleUploadedFile("b.jpg", b"hello", "image/jpeg"),
        },
    )
    assert response.status_code == 400
    assert "Texten finns kvar" in response.content.decode()
    # Over the picture's bound: refused before the body is read.
    big = client.post(
        _url("idea_new", open_process),
        data=b"x",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(9_000_000),
    )
    assert big.status_code == 413


def test_selected_idea_becomes_one_of_the_places_actions(open_process, owner, anna, outsider):
    from platsa.catalogue.models import LocalAction

    idea = idea_submit(
        process=open_process, user=anna, title="Byns egen bastu", body="En bastu vid sjön för alla."
    )
    create = reverse("place_catalogue:create", args=[open_process.place.slug])
    client = _client(owner)
    # Not selected yet: the form is blank.
    assert "Byns egen bastu" not in client.get(create, {"from_idea": idea.pk}).content.decode()
    idea_set_status(idea=idea, actor=owner, status="selected")
    page = client.get(create, {"from_idea": idea.pk}).content.decode()
    assert "Byns egen bastu" in page
    form = {
        "from_idea": idea.pk,
        "title_sv": "Byns egen bastu",
        "summary_sv": "En bastu vid sjön.",
        "effort": "low",
        "cost_band": "low",
        "horizon": "short",
        "lead_actors": ["association"],
    }
    from platsa.catalogue.selectors import frameworks
    from platsa.core.schema.frameworks import default_framework

    theme = default_framework(frameworks()).themes[0].id
    form[f"theme_{theme}"] = "2"
    response = client.post(create, form)
    assert response.status_code == 302, response.content.decode()[:3000]
    idea.refresh_from_db()
    assert idea.local_action == LocalAction.objects.get()
    assert idea.status == "in_plan"
    assert "Byns egen bastu" in Client().get(_url("idea", open_process, idea.pk)).content.decode()
    assert _client(outsider).get(create, {"from_idea": idea.pk}).status_code == 404


def test_a_process_moderator_takes_the_moderation_log_but_no_other_export(open_process, owner, bo):
    from platsa.innovation.report_views import export_token
    from platsa.innovation.services import moderator_add

    moderator_add(process=open_process, email="bo@example.org")
    client = _client(bo)
    log = client.get(
        reverse("innovation:moderation_log", args=[open_process.place.slug, open_process.slug]),
        follow=True,
    )
    assert log.status_code == 200
    assert log.content.startswith(b"\xef\xbb\xbf")
    pledges = reverse(
        "innovation_public:signed_export", args=[export_token(open_process, "pledges", bo.pk)]
    )
    assert client.get(pledges).status_code == 403


def test_reads_are_counted_without_a_write_per_read(
    open_process, anna, django_assert_max_num_queries
):
    from platsa.innovation import public_views

    idea = idea_submit(
        process=open_process, user=anna, title="Bibliotek i byn", body="Öppet kvällar."
    )
    public_views._READS.clear()
    url = _url("idea", open_process, idea.pk)
    anon = Client()
    anon.get(url)  # renders and caches the page
    with django_assert_max_num_queries(public_views.READS_FLUSH_EVERY):  # one stamp query a read
        for _ in range(public_views.READS_FLUSH_EVERY - 2):
            anon.get(url)
    idea.refresh_from_db()
    assert idea.read_count == 0
    anon.get(url)
    idea.refresh_from_db()
    assert idea.read_count == public_views.READS_FLUSH_EVERY
    page = _client(anna).get(url).content.decode()
    assert f"{public_views.READS_FLUSH_EVERY}" in page  # the author sees the reach


def test_a_workshops_answers_become_ideas_once(place, owner, organiser, outsider, open_process):
    from platsa.workshops.models import Entry, EntryVote, Participant
    from platsa.workshops.services import question_add, workshop_create

    workshop = workshop_create(place=place, user=owner, title="Nätverksträff")
    question = question_add(workshop=workshop, kind="ideas", prompt="Vad ska byn satsa på?")
    phones = [Participant.objects.create(workshop=workshop, token_hash=f"h{i}") for i in range(3)]

    def entry(phone, text):
        return Entry.objects.create(
            question=question, participant=phone, text=text, text_key=text.casefold()
        )

    first = entry(phones[0], "Ett byahus med fiber")
    entry(phones[1], "Sommarjobb för unga")
    entry(phones[2], "Nedtagen spam").__class__.objects.filter(text="Nedtagen spam").update(
        hidden=True
    )
    for phone in phones[1:]:
        EntryVote.objects.create(entry=first, participant=phone)
    url = reverse("workshops:to_ideas", args=[place.slug, workshop.process.slug, question.pk])
    assert _client(outsider).post(url, {"process": open_process.pk}).status_code == 404
    response = _client(organiser).post(url, {"process": open_process.pk})
    assert response.status_code == 302
    ideas = {i.title: i for i in Idea.objects.filter(process=open_process)}
    assert set(ideas) == {"Ett byahus med fiber", "Sommarjobb för unga"}
    # The body is the room's words alone; the page says where they came from.
    assert ideas["Ett byahus med fiber"].body == "Ett byahus med fiber"
    page = Client().get(_url("idea", open_process, ideas["Ett byahus med fiber"].pk))
    said = page.content.decode()
    assert "Från workshoppen ”Nätverksträff”, frågan ”Vad ska byn satsa på?”" in said
    assert "2 +1" in said
    # Two ideas of one question share no boilerplate, so they are no likely duplicates.
    from platsa.innovation.similar import likely_duplicates

    assert likely_duplicates(open_process.pk) == []
    again = _client(organiser).post(url, {"process": open_process.pk}, follow=True)
    assert Idea.objects.filter(process=open_process).count() == 2  # brought again: nothing new
    assert "Inget nytt att föra över" in again.content.decode()
    other = innovation_create(place=place, title="Ett annat", user=owner).process
    elsewhere = _client(organiser).post(url, {"process": other.pk + 1000})
    assert elsewhere.status_code == 302
    assert not Idea.objects.filter(process=other).exists()


def test_the_official_answer_keeps_its_lines_and_links_and_nothing_else(open_process, anna, owner):
    """The organisers' answer often points to a decision: its address becomes a link (no
    follow), its lines stay lines, and HTML in it is shown as text."""
    from platsa.innovation.services import idea_set_status

    idea = idea_submit(process=open_process, user=anna, title="Badplats vid sjön", body="Text")
    answer = (
        "Beslut i nämnden 12 maj.\nProtokoll: https://kommun.example/protokoll/12\n"
        '<script>alert(1)</script><a href="javascript:x">klick</a>'
    )
    idea_set_status(idea=idea, actor=owner, status="selected", answer=answer)
    page = Client().get(_url("idea", open_process, idea.pk)).content.decode()
    section = page[page.index('class="ds-card official"') :]
    section = section[: section.index("</section>")]
    assert 'href="https://kommun.example/protokoll/12" rel="nofollow"' in section
    assert "12 maj.<br>" in section
    assert "<script>" not in section
    assert "&lt;script&gt;" in section
    assert 'href="javascript' not in section
