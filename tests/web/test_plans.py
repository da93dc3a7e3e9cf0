"""Action plans: a plan from vision to goals, indicators and actions, actions made in one
click from recommendations, ideas, workshop answers and the catalogue, roles (owner,
editor, action owner, viewer), updates that complete milestones, the public follow-up page
and its feed, reminders, the chain of notifications, the closed loop and villages as one."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from defusedxml import ElementTree
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from platsa.assessments.models import FrozenRecommendation
from platsa.assessments.services import round_publish
from platsa.plans import services
from platsa.plans.models import Action, Milestone, Plan, PlanLog, PlanMember, PlanRole, Update
from platsa.processes.services import process_set_phase, process_set_public
from tests.conftest import fill_round
from tests.web.test_innovation import _participant as _verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(place, owner) -> Plan:
    return services.plan_create(place=place, title="Domnarvet 2027–2030", user=owner)


@pytest.fixture
def karin(django_user_model):
    """The HR manager of the local employer, who owns one action (not a member of the place)."""
    return _verified(django_user_model, "karin@bruket.example", "Karin på bruket")


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _url(name: str, plan: Plan, *args) -> str:
    return reverse(f"plans:{name}", args=[plan.process.place.slug, plan.process.slug, *args])


def _public(name: str, plan: Plan, *args) -> str:
    return reverse(f"plans_public:{name}", args=[plan.process.place.slug, plan.process.slug, *args])


def _action(plan: Plan, owner, title: str = "Byahus med kök", **kw) -> Action:
    return services.action_save(plan=plan, actor=owner, data=services.ActionData(title=title, **kw))


def _in_effect(plan: Plan, owner) -> None:
    process_set_phase(process=plan.process, phase="in_effect", actor=owner)


# --- making the plan -----------------------------------------------------------------------


def test_organiser_makes_a_plan_with_vision_goal_indicators_and_an_action(place, organiser):
    client = _client(organiser)
    response = client.post(
        reverse("plans:create", args=[place.slug]),
        {"title": "Domnarvet framåt", "scope": "place", "vision": "Ett levande bruksort."},
    )
    plan = Plan.objects.get(process__title="Domnarvet framåt")
    assert response.status_code == 302
    assert response["Location"] == _url("manage", plan)
    assert plan.process.kind == "plan"
    assert plan.process.phase == "drafting"
    assert plan.vision == "Ett levande bruksort."

    response = client.post(
        _url("texts", plan),
        {"vision": "Ett levande bruksort", "strengths": "Bruket\nSkolan", "weaknesses": "",
         "opportunities": "", "threats": "Utflyttning", "history": "", "follow_up": "Varje år",
         "starts_on": "2027-01-01", "ends_on": "2030-12-31"},
    )  # fmt: skip
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.threats == "Utflyttning"
    assert plan.ends_on == date(2030, 12, 31)

    response = client.post(_url("goal_new", plan), {"title": "Fler bostäder", "theme_id": ""})
    goal = plan.goals.get()
    assert response.status_code == 302
    assert goal.title == "Fler bostäder"
    client.post(
        _url("indicator_new", plan, goal.pk),
        {"kind": "fact", "name": "Befolkning", "fact_key": "population", "baseline": "71000",
         "baseline_year": "2024", "target": "72000", "target_year": "2030",
         "higher_is_better": "on"},
    )  # fmt: skip
    client.post(
        _url("indicator_new", plan, goal.pk),
        {"kind": "custom", "name": "Nya lägenheter", "unit": "st", "baseline": "0",
         "baseline_year": "2026", "target": "40", "target_year": "2030"},
    )  # fmt: skip
    custom = goal.indicators.get(kind="custom")
    client.post(_url("indicator_value", plan, goal.pk, custom.pk), {"year": "2027", "value": "12"})
    assert list(custom.values.values_list("year", "value")) == [(2027, 12.0)]

    response = client.post(
        _url("action_new", plan),
        {"title": "Bygg 40 hyresrätter", "goals": [str(goal.pk)], "status": "planned",
         "owner_org": "Borlänge Energi", "lead": "municipality", "budget": "12000000",
         "starts_on": "2027-03-01", "ends_on": "2029-06-30"},
    )  # fmt: skip
    action = plan.actions.get()
    assert response.status_code == 302
    assert list(action.goals.all()) == [goal]
    assert action.currency == "SEK"

    page = client.get(_url("manage", plan)).content.decode()
    assert "Bygg 40 hyresrätter" in page
    assert "Fler bostäder" in page
    goal_page = client.get(_url("goal", plan, goal.pk)).content.decode()
    assert "Nya lägenheter" in goal_page
    assert "Befolkning" in goal_page
    whats = set(PlanLog.objects.filter(plan=plan).values_list("what", flat=True))
    assert {
        "plan.created",
        "plan.edited",
        "goal.saved",
        "indicator.saved",
        "action.created",
    } <= whats


def test_refused_input_says_why_and_keeps_nothing(plan, owner):
    client = _client(owner)
    response = client.post(
        _url("action_new", plan),
        {"title": "Ok titel", "status": "planned", "progress": "150", "starts_on": "2027-05-01",
         "ends_on": "2027-01-01"},
    )  # fmt: skip
    assert response.status_code == 200
    page = response.content.decode()
    assert "The end comes before the start." in page or "Slutet kommer före starten." in page
    assert not plan.actions.exists()
    with pytest.raises(services.PlanError) as refused:
        services.update_post(action=_action(plan, owner), actor=owner, text="ok", progress=150)
    assert refused.value.code in ("bad_progress", "text_short")
    response = client.post(_url("texts", plan), {"starts_on": "20266-01-01"})
    assert response.status_code == 200
    assert Plan.objects.get(pk=plan.pk).starts_on is None


def test_a_goal_of_another_plan_cannot_be_tied_to_an_action(plan, owner, place):
    other = services.plan_create(place=place, title="En annan plan", user=owner)
    foreign = services.goal_save(plan=other, actor=owner, title="Främmande mål")
    with pytest.raises(services.PlanError):
        services.action_save(
            plan=plan, actor=owner, data=services.ActionData(title="Åtgärd", goals=[foreign])
        )


# --- actions in one click ------------------------------------------------------------------


def test_a_recommendation_becomes_an_action_once_keeping_its_link_reasons_and_funding(
    plan, owner, round_
):
    fill_round(round_, 60)
    round_publish(round_=round_, public=True, actor=owner)
    rec = FrozenRecommendation.objects.filter(snapshot__round=round_).order_by("rank").first()
    client = _client(owner)
    listing = client.get(_url("sources", plan)).content.decode()
    assert rec.action["title"]["sv"] in listing
    response = client.post(_url("make_from", plan), {"source": f"recommendation:{rec.pk}"})
    action = plan.actions.get()
    assert response["Location"] == _url("action", plan, action.pk)
    assert action.origin == "recommendation"
    assert action.recommendation == rec
    assert action.catalogue_action_id == rec.action_id
    assert action.funding.count() == len(rec.funding)
    page = client.get(_url("action", plan, action.pk)).content.decode()
    assert "Why it was recommended" in page or "Varför den rekommenderades" in page
    # a second click leads to the same action
    again = client.post(_url("make_from", plan), {"source": f"recommendation:{rec.pk}"})
    assert again["Location"] == _url("action", plan, action.pk)
    assert plan.actions.count() == 1


def test_a_catalogue_action_and_a_workshop_answer_become_actions(plan, owner):
    from platsa.catalogue.selectors import shared_catalogue
    from platsa.core.schema.frameworks import default_framework, load_frameworks

    fw = default_framework(load_frameworks())
    first = next(iter(shared_catalogue(fw.id, fw.version)))
    client = _client(owner)
    client.post(_url("make_from", plan), {"source": f"catalogue:{first.id}"})
    made = plan.actions.get(origin="catalogue")
    assert made.title == first.title.sv
    assert made.themes == sorted(first.themes)

    from platsa.workshops.models import Entry

    entry = _workshop_entry(plan, owner, "Ett café i gamla stationen")
    client.post(_url("make_from", plan), {"source": f"workshop-entry:{entry.pk}"})
    from_room = plan.actions.get(origin="workshop")
    assert from_room.title == "Ett café i gamla stationen"
    assert from_room.origin_ref == f"workshop-entry:{entry.pk}"
    assert Entry.objects.count() == 1


def _workshop_entry(plan: Plan, owner, text: str):
    from platsa.workshops.models import Entry, Participant, Question
    from platsa.workshops.services import workshop_create

    workshop = workshop_create(place=plan.process.place, title="Byastämma", user=owner)
    question = Question.objects.create(
        workshop=workshop, kind="ideas", prompt="Vad saknas?", position=0
    )
    participant = Participant.objects.create(workshop=workshop, token_hash="x" * 64)
    return Entry.objects.create(
        question=question, participant=participant, text=text, text_key=text.lower()
    )


def test_a_selected_idea_becomes_an_action_and_its_supporters_hear_when_it_moves(
    plan, owner, django_user_model, django_capture_on_commit_callbacks, settings
):
    from platsa.innovation.models import Idea
    from platsa.innovation.services import (
        idea_set_status,
        idea_submit,
        idea_support,
        innovation_create,
    )

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    anna = _verified(django_user_model, "anna@example.org", "Anna")
    bo = _verified(django_user_model, "bo@example.org", "Bo")
    process = innovation_create(place=plan.process.place, title="Idéer 2027", user=owner).process
    process_set_phase(process=process, phase="ideas", actor=owner)
    idea = idea_submit(process=process, user=anna, title="Cykelbana till skolan", body="En bana.")
    idea_support(idea=idea, user=bo)
    idea_set_status(idea=idea, actor=owner, status=Idea.Status.SELECTED)
    with django_capture_on_commit_callbacks(execute=True):
        action = services.action_from_idea(plan=plan, idea=idea, actor=owner)
    idea.refresh_from_db()
    assert idea.status == Idea.Status.IN_PLAN
    assert action.idea == idea
    from tests.conftest import run_jobs

    run_jobs()
    mail.outbox.clear()
    _in_effect(plan, owner)
    process_set_public(process=plan.process, public=True, actor=owner)  # e-mails link to it
    milestone = services.milestone_save(
        action=action, actor=owner, title="Ritning klar", due_on=date(2027, 5, 1)
    )
    services.notify_set(user=bo, wanted=False)  # Bo says no
    with django_capture_on_commit_callbacks(execute=True):
        services.update_post(
            action=action,
            actor=owner,
            text="Ritningen är klar.",
            milestone=milestone,
            status="under_way",
        )
    run_jobs()
    told = sorted(address for m in mail.outbox for address in m.to)
    assert "anna@example.org" in told
    assert "bo@example.org" not in told
    assert any("Ritning klar" in m.subject or "Ritning klar" in m.body for m in mail.outbox)


# --- roles ---------------------------------------------------------------------------------


def test_an_action_owner_updates_only_their_action_and_completes_a_milestone(
    plan, owner, karin, outsider, viewer
):
    mine = _action(
        plan, owner, "Sommarjobb för unga", owner_email="Karin@Bruket.example", owner_org="Bruket"
    )
    other = _action(plan, owner, "Ny busslinje")
    milestone = services.milestone_save(
        action=mine, actor=owner, title="Tio platser klara", due_on=date(2027, 4, 1)
    )
    client = _client(karin)
    # before the plan is in effect, updates are closed: the page says so
    response = client.post(_url("update_post", plan, mine.pk), {"text": "Vi har tio platser."})
    assert response.status_code == 409
    _in_effect(plan, owner)
    assert client.get(_url("manage", plan)).status_code == 200
    response = client.post(
        _url("update_post", plan, mine.pk),
        {"text": "Vi har tio platser.", "milestone": str(milestone.pk), "progress": "40"},
    )
    assert response.status_code == 302
    milestone.refresh_from_db()
    mine.refresh_from_db()
    assert milestone.done_on == timezone.localdate()
    assert mine.progress == 40
    assert Update.objects.get().author == karin
    # not someone else's action, not the plan itself
    assert client.post(_url("update_post", plan, other.pk), {"text": "Hej hej"}).status_code == 403
    assert client.post(_url("texts", plan), {"vision": "Min"}).status_code == 403
    assert client.post(_url("action", plan, other.pk), {"title": "Bytt"}).status_code == 403
    # outsiders do not learn that the plan exists; viewers read but do not write
    assert _client(outsider).get(_url("manage", plan)).status_code == 404
    assert _client(viewer).get(_url("manage", plan)).status_code == 200
    assert (
        _client(viewer).post(_url("update_post", plan, mine.pk), {"text": "Hej hej"}).status_code
        == 403
    )
    assert _client().get(_url("manage", plan)).status_code == 302  # to sign in


def test_an_editor_by_email_edits_and_a_removed_editor_cannot(plan, owner, karin):
    member = services.member_add(
        plan=plan, actor=owner, email="KARIN@bruket.example", role=PlanRole.EDITOR
    )
    client = _client(karin)
    assert client.post(_url("goal_new", plan), {"title": "Fler jobb"}).status_code == 302
    services.member_remove(member=member, actor=owner)
    assert client.get(_url("manage", plan)).status_code == 404
    assert not PlanMember.objects.exists()


def test_an_unverified_address_gives_no_role(plan, owner, django_user_model):
    from allauth.account.models import EmailAddress

    user = django_user_model.objects.create_user(email="fake@bruket.example")
    EmailAddress.objects.create(
        user=user, email="fake@bruket.example", verified=False, primary=True
    )
    services.member_add(plan=plan, actor=owner, email="fake@bruket.example", role=PlanRole.EDITOR)
    assert _client(user).get(_url("manage", plan)).status_code == 404


def test_a_closed_plan_is_read_only(plan, owner):
    _in_effect(plan, owner)
    process_set_phase(process=plan.process, phase="closed", actor=owner)
    response = _client(owner).post(_url("goal_new", plan), {"title": "Sent mål"})
    assert response.status_code == 409
    assert not plan.goals.exists()


# --- the public follow-up ------------------------------------------------------------------


def test_public_page_shows_progress_names_only_who_agreed_and_is_cached(plan, owner, karin):
    named = _action(plan, owner, "Sommarjobb", owner_email="karin@bruket.example",
                    owner_name="Karin Berg", owner_public=True, owner_org="Bruket")  # fmt: skip
    _action(plan, owner, "Bussen", owner_email="per@example.org", owner_name="Per Hemlig")
    _action(plan, owner, "<script>alert(1)</script>")
    url = _public("plan", plan)
    assert Client().get(url).status_code == 404  # not published yet
    _in_effect(plan, owner)
    services.update_post(action=named, actor=karin, text="Tio platser", progress=40)
    process_set_public(process=plan.process, public=True, actor=owner)
    response = Client().get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Karin Berg" in page
    assert "Per Hemlig" not in page
    assert "karin@bruket.example" not in page
    assert "per@example.org" not in page
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page
    assert "40" in page
    assert "No progress reported yet" in page or "Inga framsteg rapporterade än" in page
    with CaptureQueriesContext(connection) as cached:
        again = Client().get(url)
    assert again.status_code == 200
    assert len(cached) <= 2
    # a new update shows on the next request
    services.update_post(action=named, actor=karin, text="Femton platser nu", progress=60)
    assert "Femton platser nu" in Client().get(url).content.decode()


def test_public_page_queries_do_not_grow_with_the_plan(plan, owner, settings):
    from platsa.web import pagecache

    _in_effect(plan, owner)
    process_set_public(process=plan.process, public=True, actor=owner)
    goal = services.goal_save(plan=plan, actor=owner, title="Mål ett")

    def grow(n: int) -> int:
        for i in range(n):
            action = _action(plan, owner, f"Åtgärd {plan.actions.count() + 1}", goals=[goal])
            m = services.milestone_save(
                action=action, actor=owner, title="Steg ett", due_on=date(2027, 1, 1 + i % 27)
            )
            services.update_post(action=action, actor=owner, text="Gjort", milestone=m, progress=50)
        pagecache.forget_all()
        with CaptureQueriesContext(connection) as queries:
            assert Client().get(_public("plan", plan)).status_code == 200
        return len(queries)

    assert grow(3) == grow(12)


def test_feed_lists_updates_as_atom(plan, owner):
    action = _action(plan, owner, "Byahuset")
    _in_effect(plan, owner)
    services.update_post(action=action, actor=owner, text="Taket är lagt & klart")
    process_set_public(process=plan.process, public=True, actor=owner)
    response = Client().get(_public("feed", plan))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(response.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = root.findall("a:entry", ns)
    assert len(entries) == 1
    assert entries[0].find("a:title", ns).text == "Byahuset"
    assert "Taket är lagt & klart" in entries[0].find("a:summary", ns).text


# --- reminders -----------------------------------------------------------------------------


def test_reminders_go_once_when_due_and_once_more_when_overdue(plan, owner, settings):
    from platsa.plans.notify import pending, send_reminders

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    today = timezone.localdate()
    action = _action(plan, owner, "Bredband till byn", owner_email="karin@bruket.example")
    soon = services.milestone_save(
        action=action, actor=owner, title="Grävning", due_on=today + timedelta(days=3)
    )
    late = services.milestone_save(
        action=action, actor=owner, title="Avtal", due_on=today - timedelta(days=2)
    )
    services.milestone_save(
        action=action, actor=owner, title="Långt bort", due_on=today + timedelta(days=60)
    )
    assert pending(today) == []  # a plan being drafted reminds nobody
    _in_effect(plan, owner)
    assert sorted(pending(today)) == sorted([(soon.pk, "due"), (late.pk, "overdue")])
    assert send_reminders.call() == 2
    assert {m.to[0] for m in mail.outbox} == {"karin@bruket.example"}
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("plan_reminders", stdout=out)  # cron's way: nothing twice either
    assert out.getvalue().startswith("0 ")
    # the one due soon becomes overdue: one more reminder
    later = today + timedelta(days=5)
    assert pending(later) == [(soon.pk, "overdue")]
    Milestone.objects.filter(pk=soon.pk).update(done_on=today)
    assert pending(later) == []


# --- the closed loop and villages ----------------------------------------------------------


def _frozen_round(place, owner, framework, name: str, seed: int, closes: date):
    """A published, closed round of 60 answers, frozen as of ``closes``."""
    from platsa.assessments.services import default_groups, round_create, round_set_status
    from platsa.processes.models import Process

    round_ = round_create(place=place, user=owner, name=name, framework=framework,
                          groups=default_groups(framework), open_now=True)  # fmt: skip
    fill_round(round_, 60, seed=seed)
    round_publish(round_=round_, public=True, actor=owner)
    round_set_status(round_=round_, status="closed", actor=owner)
    Process.objects.filter(pk=round_.process_id).update(
        closes_at=timezone.make_aware(timezone.datetime(closes.year, closes.month, closes.day))
    )
    return round_


def test_the_loop_shows_each_theme_before_and_after_beside_its_actions(place, owner, framework):
    _frozen_round(place, owner, framework, "Våren 2026", 1, date(2026, 4, 1))
    _frozen_round(place, owner, framework, "Våren 2028", 2, date(2028, 4, 1))
    plan = services.plan_create(place=place, title="Planen", user=owner)
    services.plan_update(
        plan=plan, actor=owner, starts_on=date(2026, 6, 1), ends_on=date(2029, 1, 1)
    )
    theme = framework.themes[0].id
    _action(plan, owner, "För temat", themes=[theme], status="done")
    _in_effect(plan, owner)
    process_set_public(process=plan.process, public=True, actor=owner)
    page = Client().get(_public("plan", plan)).content.decode()
    title_sv = framework.themes[0].title.sv
    assert "En åtgärd rör temat: 1 klar." in page  # the one done action for the theme
    assert "Våren 2026" in page
    assert "Våren 2028" in page
    assert title_sv in page
    assert "inte att åtgärderna orsakade det" in page or "not that the actions caused it" in page


def test_villages_planning_together_see_each_part_and_their_combined_scores(
    place, owner, borlange, framework
):
    from platsa.places.services import place_create

    other = place_create(user=owner, name="Tjärna", municipality=borlange, population_estimate=900)
    for where, seed in ((place, 1), (other, 2)):
        from platsa.assessments.services import default_groups, round_create

        round_ = round_create(place=where, user=owner, name=f"Enkät {where.name}", framework=framework,
                              groups=default_groups(framework), open_now=True)  # fmt: skip
        fill_round(round_, 40, seed=seed)
        round_publish(round_=round_, public=True, actor=owner)
    response = _client(owner).post(
        reverse("plans:create", args=[place.slug]),
        {"title": "Byarna tillsammans", "scope": "villages", "places": [str(other.pk)]},
    )
    assert response.status_code == 302
    plan = Plan.objects.get(process__title="Byarna tillsammans")
    assert set(plan.process.place_set.places.all()) == {place, other}
    _action(plan, owner, "Tjärnas egen", place=other)
    _action(plan, owner, "Gemensam")
    _in_effect(plan, owner)
    process_set_public(process=plan.process, public=True, actor=owner)
    page = Client().get(_public("plan", plan)).content.decode()
    assert "Tjärna" in page
    assert "The villages together" in page or "Byarna tillsammans" in page
    from platsa.plans.follow_up import combined_villages
    from platsa.plans.selectors import plan_view

    combined = combined_villages(plan_view(plan, public=True))
    assert combined, "each theme of the two villages is combined"
    for row in combined:
        ns = [point.score.n for _name, point in row.villages]
        assert row.combined.theme.n == sum(ns)  # weighted by everyone who answered
        scores = [point.score.score for _name, point in row.villages]
        assert min(scores) <= row.combined.theme.score <= max(scores)
    assert f"(n={combined[0].combined.theme.n})" in page


# --- open data -------------------------------------------------------------------------------


def test_the_api_publishes_only_published_plans_without_addresses(plan, owner, karin):
    goal = services.goal_save(plan=plan, actor=owner, title="Fler jobb")
    services.indicator_save(
        goal=goal, actor=owner, kind="custom", name="Sommarjobb", baseline=0, target=20
    )
    action = _action(plan, owner, "Sommarjobb", goals=[goal], owner_email="karin@bruket.example",
                     owner_name="Karin Berg", owner_public=False, owner_org="Bruket")  # fmt: skip
    services.milestone_save(action=action, actor=owner, title="Annons ute", due_on=date(2027, 3, 1))
    client = Client()
    assert client.get("/api/plans/").json()["count"] == 0
    assert client.get(f"/api/plans/{plan.pk}/").status_code == 404
    _in_effect(plan, owner)
    services.update_post(action=action, actor=karin, text="Annonsen är ute", progress=10)
    process_set_public(process=plan.process, public=True, actor=owner)
    listing = client.get("/api/plans/").json()
    assert listing["count"] == 1
    assert listing["results"][0]["actions"]["planned"] == 1
    detail = client.get(f"/api/plans/{plan.pk}/")
    body = detail.json()
    assert detail.status_code == 200
    assert body["goals"][0]["indicators"][0]["name"] == "Sommarjobb"
    [item] = body["actions_list"]
    assert item["contact"] is None
    assert item["organisation"] == "Bruket"
    assert item["progress"] == 10
    assert item["milestones"][0]["title"] == "Annons ute"
    text = detail.content.decode()
    assert "karin@bruket.example" not in text
    assert "Karin Berg" not in text
    updates = client.get(f"/api/plans/{plan.pk}/updates/").json()
    assert updates["results"][0]["text"] == "Annonsen är ute"
    schema = client.get("/api/openapi.json").json()
    assert "/api/plans/{plan_id}/" in schema["paths"]


# --- accountability in a spreadsheet ---------------------------------------------------------


def _xlsx(rows) -> bytes:
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_accountability_goes_out_and_comes_back_all_or_nothing(plan, owner):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import load_workbook

    first = _action(plan, owner, "Byahuset")
    second = _action(plan, owner, "Bussen")
    client = _client(owner)
    got = client.get(_url("accountability", plan) + "?format=xlsx")
    assert got.status_code == 200
    assert "no-store" in got["Cache-Control"]
    import io

    sheet = load_workbook(io.BytesIO(got.content)).worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header[:2] == ["id", "titel"]
    assert sheet.cell(2, 2).value == "Byahuset"
    _in_effect(plan, owner)
    bad = _xlsx([header, [first.pk, "", "", "", "", "", "", "Pågår", "40", "Väggarna står"],
                 [second.pk, "", "", "", "", "", "", "kanske", "", ""],
                 [99999, "", "", "", "", "", "", "done", "", ""]])  # fmt: skip
    response = client.post(
        _url("accountability", plan), {"file": SimpleUploadedFile("f.xlsx", bad)}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "3" in page
    assert "99999" in page
    first.refresh_from_db()
    assert first.status == "planned"
    assert not Update.objects.exists()
    good = _xlsx([header, [first.pk, "", "", "", "", "", "", "Pågår", "40", "Väggarna står"],
                  [second.pk, "", "", "", "", "", "", "done", "", ""],
                  ["", "Ny skolskjuts", "Kommunen", "kommunen", "2027-08-01", "2028-06-30",
                   "250000", "", "", ""]])  # fmt: skip
    response = client.post(
        _url("accountability", plan), {"file": SimpleUploadedFile("f.xlsx", good)}
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.progress) == ("under_way", 40)
    assert (second.status, second.progress) == ("done", 100)
    assert Update.objects.get().text == "Väggarna står"
    new = plan.actions.get(title="Ny skolskjuts")
    assert new.budget == 250000
    assert new.ends_on == date(2028, 6, 30)
    # a hostile file is refused with a reason
    response = client.post(
        _url("accountability", plan), {"file": SimpleUploadedFile("f.xlsx", b"PK\x03\x04broken")}
    )
    assert response.status_code == 400


# --- funding that fits -----------------------------------------------------------------------


def test_programmes_that_fit_an_action_are_of_its_country_with_the_places_own(plan, owner):
    from platsa.core.schema.catalogue import load_funding
    from platsa.plans.funding import matches_for

    services.local_funding_save(
        place=plan.process.place, actor=owner, name="Bygdemedel från vindkraften",
        publisher="Vindkraftsbolaget", funds="Byaprojekt", applicants=["association"],
        themes=["housing", "community"], amount_max=200000, staged=True,
    )  # fmt: skip
    action = _action(plan, owner, "Renovera byahuset", themes=["community", "housing"],
                     lead="association", budget=150000)  # fmt: skip
    found = matches_for(action, plan, limit=50)
    sources = load_funding()
    assert found, "some programme fits a village association's housing action"
    for match in found:
        if match.local:
            continue
        assert "SE" in [c.value for c in sources[match.source_id].countries]
    local = next(m for m in found if m.local)
    assert local.staged
    assert local.source_id.startswith("local:")
    # noted as a funding idea in one click, it is no longer offered
    response = _client(owner).post(
        _url("funding_add", plan, action.pk), {"source_id": local.source_id, "status": "idea"}
    )
    assert response.status_code == 302
    assert action.funding.get().name == "Bygdemedel från vindkraften"
    assert all(m.source_id != local.source_id for m in matches_for(action, plan, limit=50))


def test_the_catalogue_shows_where_an_action_was_adopted_and_what_followed(
    place, owner, borlange, framework
):
    from platsa.catalogue.selectors import shared_catalogue
    from platsa.places.services import place_create

    action = next(iter(shared_catalogue(framework.id, framework.version)))
    other = place_create(user=owner, name="Tjärna", municipality=borlange, population_estimate=900)
    for where, seed in ((place, 1), (other, 5)):
        _frozen_round(where, owner, framework, f"Före {where.name}", seed, date(2026, 3, 1))
        _frozen_round(where, owner, framework, f"Efter {where.name}", seed + 1, date(2028, 3, 1))
        plan = services.plan_create(place=where, title=f"Plan {where.name}", user=owner)
        made = services.action_from_catalogue(plan=plan, action_id=action.id, actor=owner)
        Action.objects.filter(pk=made.pk).update(starts_on=date(2027, 1, 1))
        services.plan_touch(plan)
        _in_effect(plan, owner)
        if where == place:
            process_set_public(process=plan.process, public=True, actor=owner)
    page = Client().get(reverse("catalogue:detail", args=[action.id])).content.decode()
    # Only the published plan shares its data: one place, measured before and after.
    assert "1 plats" in page or "1 place" in page
    from platsa.plans.adoption import stats_for

    stats = stats_for(action.id)
    assert (stats.adopted, stats.measured) == (1, 1)
    assert any(t.n_measured == 1 and t.median is not None for t in stats.themes)


# --- a person's own data ---------------------------------------------------------------------


def test_a_persons_updates_are_in_their_export_and_lose_their_name_when_they_leave(
    plan, owner, karin
):
    from platsa.accounts.selectors import personal_data
    from platsa.accounts.services import account_delete

    action = _action(plan, owner, "Sommarjobb", owner_email="karin@bruket.example")
    _in_effect(plan, owner)
    services.update_post(action=action, actor=karin, text="Tio platser klara")
    data = personal_data(karin)["action_plans"]
    assert data["updates"][0]["text"] == "Tio platser klara"
    assert data["contact_of"][0]["action"] == "Sommarjobb"
    services.member_add(plan=plan, actor=owner, email="karin@bruket.example", role=PlanRole.VIEWER)
    account_delete(user=karin)
    action.refresh_from_db()
    assert action.owner_email == ""
    assert not PlanMember.objects.exists()
    update = Update.objects.get()
    assert update.author is None
    assert update.author_name == ""
    assert update.text == "Tio platser klara"  # the plan's record of what happened stays


def test_members_preview_the_follow_up_page_before_it_is_published(plan, owner, outsider):
    _action(plan, owner, "Byahuset", themes=["community"], progress=30, status="under_way")
    url = _url("preview", plan)
    page = _client(owner).get(url).content.decode()
    assert "Byahuset" in page
    assert "nobody else sees it yet" in page or "ingen annan ser den än" in page
    assert _client(outsider).get(url).status_code == 404
    assert Client().get(_public("plan", plan)).status_code == 404
    # progress by theme, with the theme's title
    assert "Gemenskap" in page or "Community" in page


# --- what a hostile probe found (2026-12-02) -------------------------------------------------


def test_an_editor_from_outside_the_place_sees_no_unpublished_round(plan, owner, karin, round_):
    fill_round(round_, 60)
    from platsa.assessments.services import round_set_status

    round_set_status(round_=round_, status="closed", actor=owner)  # frozen, not published
    rec = FrozenRecommendation.objects.filter(snapshot__round=round_).order_by("rank").first()
    services.member_add(plan=plan, actor=owner, email="karin@bruket.example", role=PlanRole.EDITOR)
    outside = _client(karin)
    listing = outside.get(_url("sources", plan)).content.decode()
    assert rec.action["title"]["sv"] not in listing
    outside.post(_url("make_from", plan), {"source": f"recommendation:{rec.pk}"})
    assert not plan.actions.exists()
    # made by the owner, the action's reasons (scores and groups) stay hidden from her
    action = services.action_from_recommendation(plan=plan, recommendation=rec, actor=owner)
    inside = _client(owner).get(_url("action", plan, action.pk)).content.decode()
    assert "Varför den rekommenderades" in inside or "Why it was recommended" in inside
    page = outside.get(_url("action", plan, action.pk)).content.decode()
    assert "Varför den rekommenderades" not in page
    assert "Why it was recommended" not in page


def test_dates_out_of_range_and_ids_that_are_not_numbers_are_refused_not_500(plan, owner):
    client = _client(owner)
    response = client.post(_url("texts", plan), {"starts_on": "0001-01-01"})
    assert response.status_code == 200
    assert Plan.objects.get(pk=plan.pk).starts_on is None
    action = _action(plan, owner, "Byahuset")
    response = client.post(
        _url("milestone_new", plan, action.pk), {"title": "Klart", "due_on": "0001-01-01"}
    )
    assert response.status_code == 400
    assert "Klart" in response.content.decode()  # what was typed is still there
    assert not Milestone.objects.exists()
    remove = {"line": "abc", "remove": "1"}
    assert client.post(_url("funding_add", plan, action.pk), remove).status_code == 404
    assert client.post(_url("people", plan), {"remove": "abc"}).status_code == 404
    assert client.post(_url("make_from", plan), {"source": "workshop-entry:٣"}).status_code == 404


def test_control_characters_are_stripped_so_the_feed_and_files_still_work(plan, owner):
    action = _action(plan, owner, "Kontroll\x01\x7f titel")
    _in_effect(plan, owner)
    services.update_post(action=action, actor=owner, text="x\x01\x0b\x1fy och mer")
    action.refresh_from_db()
    assert action.title == "Kontroll titel"
    assert Update.objects.get().text == "xy och mer"
    process_set_public(process=plan.process, public=True, actor=owner)
    assert Client().get(_public("feed", plan)).status_code == 200
    assert _client(owner).get(_url("accountability", plan) + "?format=xlsx").status_code == 200


def test_the_upload_changes_edited_columns_and_names_bad_rows(plan, owner):
    from django.core.files.uploadedfile import SimpleUploadedFile

    action = _action(plan, owner, "Byahuset", owner_org="Byalaget")
    header = ["id", "titel", "organisation", "leds av", "start", "slut", "budget", "status",
              "framsteg", "uppdatering"]  # fmt: skip
    client = _client(owner)
    long_id = _xlsx([header, ["9" * 5000, "", "", "", "", "", "", "", "", ""]])
    response = client.post(
        _url("accountability", plan), {"file": SimpleUploadedFile("f.xlsx", long_id)}
    )
    assert response.status_code == 400
    short = _xlsx([header, [action.pk, "", "", "", "", "", "", "", "", "ok"]])
    response = client.post(
        _url("accountability", plan), {"file": SimpleUploadedFile("f.xlsx", short)}
    )
    assert response.status_code == 400
    _in_effect(plan, owner)
    edited = _xlsx([header, [action.pk, "Byahuset med kök", "Byalaget och kommunen", "",
                             "2027-01-01", "", "777", "", "", "Taket är lagt"]])  # fmt: skip
    response = client.post(
        _url("accountability", plan), {"file": SimpleUploadedFile("f.xlsx", edited)}
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.title == "Byahuset med kök"
    assert action.owner_org == "Byalaget och kommunen"
    assert action.budget == 777
    assert action.starts_on == date(2027, 1, 1)
    assert Update.objects.get().text == "Taket är lagt"


def test_a_refused_indicator_keeps_what_was_typed(plan, owner):
    goal = services.goal_save(plan=plan, actor=owner, title="Fler jobb")
    response = _client(owner).post(
        _url("indicator_new", plan, goal.pk),
        {"kind": "custom", "name": "Sommarjobb för unga", "baseline_year": "1900"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="Sommarjobb för unga"' in page
    assert not goal.indicators.exists()


def test_only_a_selected_idea_becomes_an_action(plan, owner, django_user_model):
    from platsa.innovation.services import idea_submit, innovation_create

    anna = _verified(django_user_model, "anna@example.org")
    process = innovation_create(place=plan.process.place, title="Idéer", user=owner).process
    process_set_phase(process=process, phase="ideas", actor=owner)
    idea = idea_submit(process=process, user=anna, title="Cykelbana till skolan", body="En bana.")
    with pytest.raises(services.PlanError) as refused:
        services.action_from_idea(plan=plan, idea=idea, actor=owner)
    assert refused.value.code == "idea_not_selected"
    idea.refresh_from_db()
    assert idea.status == "new"


def test_local_funding_is_the_places_to_add_and_remove(plan, owner, karin):
    services.member_add(plan=plan, actor=owner, email="karin@bruket.example", role=PlanRole.EDITOR)
    form = {"name": "Bygdemedel", "publisher": "Vindkraftsbolaget", "funds": "Byaprojekt"}
    assert _client(karin).post(_url("local_funding", plan), form).status_code == 403
    assert _client(owner).post(_url("local_funding", plan), form).status_code == 302
    row = plan.process.place.local_funding.get()
    assert PlanLog.objects.filter(plan=plan, what="local_funding.saved").exists()
    _client(owner).post(_url("local_funding", plan), {"remove": str(row.pk)})
    assert not plan.process.place.local_funding.exists()


# --- what a code review found (2026-12-02) ---------------------------------------------------


def test_an_organiser_of_one_village_sees_no_other_villages_unpublished_round(
    place, owner, organiser, borlange, framework
):
    from platsa.assessments.services import default_groups, round_create, round_set_status
    from platsa.places.services import place_create

    other = place_create(user=owner, name="Tjärna", municipality=borlange, population_estimate=900)
    hidden = round_create(place=other, user=owner, name="Tjärnas enkät", framework=framework,
                          groups=default_groups(framework), open_now=True)  # fmt: skip
    fill_round(hidden, 40, seed=3)
    round_set_status(round_=hidden, status="closed", actor=owner)  # frozen, never published
    plan = services.plan_create(place=place, title="Byarna", user=owner, places=[other])
    rec = FrozenRecommendation.objects.filter(snapshot__round=hidden).order_by("rank").first()
    # the organiser of Domnarvet is no member of Tjärna
    listing = _client(organiser).get(_url("sources", plan)).content.decode()
    assert rec.action["title"]["sv"] not in listing
    assert rec.action["title"]["sv"] in _client(owner).get(_url("sources", plan)).content.decode()


def test_a_round_taken_down_leaves_the_cached_public_page(plan, owner, framework, place):
    round_ = _frozen_round(place, owner, framework, "Våren 2026", 1, date(2026, 4, 1))
    goal = services.goal_save(plan=plan, actor=owner, title="Fler bostäder")
    services.indicator_save(
        goal=goal, actor=owner, kind="theme", name="Bostadsbetyget", theme_id="housing"
    )
    _in_effect(plan, owner)
    process_set_public(process=plan.process, public=True, actor=owner)
    shown = Client().get(_public("plan", plan)).content.decode()
    assert "(2026-04-01)" in shown or "(2026)" in shown
    round_publish(round_=round_, public=False, actor=owner)
    again = Client().get(_public("plan", plan)).content.decode()
    assert "no data yet" in again or "inga data än" in again


def test_a_round_frozen_again_later_is_still_the_older_round(plan, owner, framework, place):
    from platsa.assessments.services import round_rerun

    old = _frozen_round(place, owner, framework, "Våren 2025", 1, date(2025, 4, 1))
    _frozen_round(place, owner, framework, "Våren 2027", 2, date(2027, 4, 1))
    round_rerun(round_=old, actor=owner)  # a new version of the 2025 round, frozen now
    from platsa.plans.selectors import theme_points

    points = theme_points([place.pk], public=True)["housing"]
    assert [p.round_title for p in points] == ["Våren 2025", "Våren 2027"]


def test_a_second_upload_does_not_add_the_same_new_action_twice(plan, owner):
    from django.core.files.uploadedfile import SimpleUploadedFile

    header = ["id", "titel", "organisation", "leds av", "start", "slut", "budget", "status",
              "framsteg", "uppdatering"]  # fmt: skip
    sheet = _xlsx([header, ["", "'=Ny skolskjuts", "'-kommunen", "", "", "", "", "", "", ""]])
    client = _client(owner)
    assert (
        client.post(
            _url("accountability", plan), {"file": SimpleUploadedFile("f.xlsx", sheet)}
        ).status_code
        == 302
    )
    assert (
        client.post(
            _url("accountability", plan), {"file": SimpleUploadedFile("f.xlsx", sheet)}
        ).status_code
        == 400
    )
    made = plan.actions.get()
    assert made.title == "=Ny skolskjuts"
    assert made.owner_org == "-kommunen"  # the export's guard taken off again


def test_an_idea_goes_back_to_selected_when_its_action_goes_and_outsiders_cannot_take_it(
    plan, owner, karin, django_user_model
):
    from platsa.innovation.models import Idea
    from platsa.innovation.services import idea_set_status, idea_submit, innovation_create

    anna = _verified(django_user_model, "anna@example.org")
    process = innovation_create(place=plan.process.place, title="Idéer", user=owner).process
    process_set_phase(process=process, phase="ideas", actor=owner)
    idea = idea_submit(process=process, user=anna, title="Cykelbana till skolan", body="En bana.")
    idea_set_status(idea=idea, actor=owner, status=Idea.Status.SELECTED)
    services.member_add(plan=plan, actor=owner, email="karin@bruket.example", role=PlanRole.EDITOR)
    assert (
        _client(karin).post(_url("make_from", plan), {"source": f"idea:{idea.pk}"}).status_code
        == 403
    )
    action = services.action_from_idea(plan=plan, idea=idea, actor=owner)
    idea.refresh_from_db()
    assert idea.status == Idea.Status.IN_PLAN
    services.action_remove(action=action, actor=owner)
    idea.refresh_from_db()
    assert idea.status == Idea.Status.SELECTED


def test_no_chain_email_while_the_plan_is_not_published(
    plan, owner, django_user_model, django_capture_on_commit_callbacks, settings
):
    from platsa.innovation.models import Idea
    from platsa.innovation.services import idea_set_status, idea_submit, innovation_create
    from tests.conftest import run_jobs

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    anna = _verified(django_user_model, "anna@example.org")
    process = innovation_create(place=plan.process.place, title="Idéer", user=owner).process
    process_set_phase(process=process, phase="ideas", actor=owner)
    idea = idea_submit(process=process, user=anna, title="Cykelbana", body="En bana till skolan.")
    idea_set_status(idea=idea, actor=owner, status=Idea.Status.SELECTED)
    action = services.action_from_idea(plan=plan, idea=idea, actor=owner)
    run_jobs()
    mail.outbox.clear()
    _in_effect(plan, owner)
    with django_capture_on_commit_callbacks(execute=True):
        services.update_post(action=action, actor=owner, text="Vi har börjat.", status="under_way")
    run_jobs()
    assert mail.outbox == []


def test_a_theme_indicator_without_a_typed_baseline_takes_the_round_when_the_plan_started(
    place, owner, framework
):
    from platsa.plans.selectors import plan_view, theme_points

    _frozen_round(place, owner, framework, "Våren 2026", 1, date(2026, 4, 1))
    _frozen_round(place, owner, framework, "Våren 2028", 2, date(2028, 4, 1))
    plan = services.plan_create(place=place, title="Planen", user=owner)
    services.plan_update(
        plan=plan, actor=owner, starts_on=date(2026, 6, 1), ends_on=date(2029, 1, 1)
    )
    goal = services.goal_save(plan=plan, actor=owner, title="Fler bostäder")
    indicator = services.indicator_save(
        goal=goal, actor=owner, kind="theme", name="Boende", theme_id="housing", target=4.5
    )
    row = plan_view(plan, public=False).indicators[indicator.pk]
    first, last = theme_points([place.pk], public=False)["housing"]
    assert row.baseline == first.score.score
    assert row.baseline_when == "2026"
    assert row.latest == last.score.score
    assert row.towards == pytest.approx(
        (last.score.score - first.score.score) / (4.5 - first.score.score)
    )


def test_anyone_follows_an_action_by_email_and_hears_when_it_moves(
    plan, owner, django_user_model, django_capture_on_commit_callbacks, settings
):
    """A workshop's participants answered without accounts: they (or anyone) follow the
    action from its public page with an e-mailed code, and are told when it moves."""
    from tests.conftest import run_jobs

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    entry = _workshop_entry(plan, owner, "Ett café i gamla stationen")
    action = services.action_from_workshop(plan=plan, item=entry, actor=owner)
    _in_effect(plan, owner)
    process_set_public(process=plan.process, public=True, actor=owner)
    page = Client().get(_public("action", plan, action.pk)).content.decode()
    assert reverse("accounts:code_signin") in page  # anonymous: sign in with a code first
    eva = _verified(django_user_model, "eva@example.org")
    client = _client(eva)
    assert client.post(_public("follow", plan, action.pk), {"wanted": "1"}).status_code == 302
    followed = client.get(_public("action", plan, action.pk)).content.decode()
    assert 'name="wanted" value="0"' in followed  # "stop following" for her
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.update_post(
            action=action, actor=owner, text="Caféet öppnar i maj.", status="under_way"
        )
    run_jobs()
    assert [m.to for m in mail.outbox] == [["eva@example.org"]]
    client.post(_public("follow", plan, action.pk), {"wanted": "0"})
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.update_post(action=action, actor=owner, text="Caféet är öppet.", status="done")
    run_jobs()
    assert mail.outbox == []
