"""Action plans in a real browser, as issue 11 walks it: an organiser turns a recommendation
into an action in one click and gives it a contact and a milestone; the action's owner (a
company's HR manager, not a member of the place) signs in with a code, posts an update that
completes the milestone, using the keyboard only; the public follow-up page shows the
progress. Every page passes axe-core without serious violations and fits 320 px."""

from __future__ import annotations

import re

import pytest

from tests.e2e.test_innovation import _sign_in_by_code
from tests.e2e.test_journey import no_horizontal_scroll, serious_violations, tab_to

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NARROW = {"width": 320, "height": 700}


def test_recommendation_to_action_update_and_public_progress(
    live_server, browser, place, owner, round_
):
    from platsa.assessments.models import FrozenRecommendation
    from platsa.assessments.services import round_publish
    from platsa.plans.models import Action, Milestone, Plan
    from tests.conftest import fill_round

    fill_round(round_, 60)
    round_publish(round_=round_, public=True, actor=owner)
    rec = (
        FrozenRecommendation.objects.filter(snapshot__round=round_, in_portfolio=True)
        .order_by("rank")
        .first()
    )
    title = rec.action["title"]["sv"]
    base = live_server.url

    organiser = browser.new_context(viewport=NARROW).new_page()
    organiser.goto(f"{base}/konto/login/")
    organiser.fill("input[name=login]", owner.email)
    organiser.fill("input[name=password]", "a-long-test-password")
    organiser.press("input[name=password]", "Enter")
    organiser.wait_for_url(re.compile(r"/platser/"))
    organiser.goto(f"{base}/platser/{place.slug}/planer/ny/")
    assert serious_violations(organiser) == []
    organiser.fill("input[name=title]", "Domnarvet 2027–2030")
    organiser.fill("textarea[name=vision]", "En levande bruksort.")
    organiser.click("button[type=submit]")
    organiser.wait_for_url(re.compile(r"/planer/domnarvet-20272030/$"))
    plan = Plan.objects.get()
    manage = f"/platser/{place.slug}/planer/{plan.process.slug}/"
    assert no_horizontal_scroll(organiser)
    assert serious_violations(organiser) == []

    # one click: the recommendation becomes an action
    organiser.goto(f"{base}{manage}fran/")
    assert serious_violations(organiser) == []
    organiser.locator(f"button[value='recommendation:{rec.pk}']").click()
    organiser.wait_for_url(re.compile(r"/atgard/\d+/$"))
    action = Action.objects.get()
    assert action.recommendation == rec
    assert title in organiser.locator("h1").inner_text()
    assert organiser.locator("text=Varför den rekommenderades").count() == 1
    assert no_horizontal_scroll(organiser)
    assert serious_violations(organiser) == []
    # its contact (the HR manager) and a milestone
    organiser.locator("summary", has_text="Ändra åtgärden").click()
    organiser.fill("input[name=owner_org]", "Bruket AB")
    organiser.fill("input[name=owner_name]", "Karin Berg")
    organiser.fill("input[name=owner_email]", "karin@bruket.example")
    organiser.check("input[name=owner_public]")
    organiser.locator("#edit button[type=submit]", has_text="Spara").click()
    organiser.wait_for_url(re.compile(r"/atgard/\d+/$"))
    organiser.locator("summary", has_text="Lägg till en milstolpe").click()
    organiser.fill("#milestones input[name=title]", "Tio lägenheter klara")
    organiser.fill("#milestones input[name=due_on]", "2027-06-30")
    organiser.locator("#milestones button[type=submit]").click()
    organiser.wait_for_url(re.compile(r"#milestones$"))
    milestone = Milestone.objects.get()
    # in effect and published
    organiser.goto(f"{base}{manage}")
    organiser.locator("button[name=phase][value=in_effect]").click()
    organiser.wait_for_url(re.compile(re.escape(manage)))
    organiser.locator("button[name=public][value='1']").click()
    organiser.wait_for_url(re.compile(re.escape(manage)))

    # the action's owner signs in with a code and reports, with the keyboard only
    owner_page = browser.new_context(viewport=NARROW).new_page()
    action_path = f"{manage}atgard/{action.pk}/"
    _sign_in_by_code(owner_page, base, "karin@bruket.example", action_path)
    assert no_horizontal_scroll(owner_page)
    assert serious_violations(owner_page) == []
    tab_to(owner_page, "textarea[name=text]")
    owner_page.keyboard.type("Tio lägenheter är klara och uthyrda.")
    tab_to(owner_page, "select[name=milestone]")
    owner_page.keyboard.press("ArrowDown")
    tab_to(owner_page, "input[name=progress]")
    owner_page.keyboard.type("40")
    tab_to(owner_page, "#updates button[type=submit]")
    owner_page.keyboard.press("Enter")
    owner_page.wait_for_url(re.compile(r"#updates$"))
    milestone.refresh_from_db()
    action.refresh_from_db()
    assert milestone.done_on is not None
    assert action.progress == 40
    # another action of the plan is not theirs to change
    assert owner_page.locator("text=Ändra åtgärden").count() == 0

    visitor = browser.new_context(viewport=NARROW).new_page()
    visitor.goto(f"{base}/uppfoljning/{place.slug}/{plan.process.slug}/")
    text = visitor.locator("main").inner_text()
    assert title in text
    assert "40" in text
    assert "Tio lägenheter är klara och uthyrda." in text
    assert "Karin Berg" in text
    assert "karin@bruket.example" not in visitor.content()
    assert visitor.locator("progress[value='40']").count() >= 1
    assert no_horizontal_scroll(visitor)
    assert serious_violations(visitor) == []
    visitor.goto(f"{base}/uppfoljning/{place.slug}/{plan.process.slug}/atgard/{action.pk}/")
    assert "Tio lägenheter klara" in visitor.locator("main").inner_text()
    assert serious_violations(visitor) == []
