"""Open innovation in a real browser, as the issue walks it: a participant signs in with a
code sent by e-mail and posts an idea; another participant supports it; the organiser
selects it and downloads the summary report. Hostile text in the idea and the display name
runs nowhere; no serious axe-core violations on a phone; no sideways scrolling at 320 px."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from tests.e2e.test_journey import PHONE, no_horizontal_scroll, serious_violations
from tests.web.test_innovation import THEMED_IDEAS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

XSS_TITLE = "<img src=x onerror=window.__pwned=1>Byahus"
XSS_BODY = "Ett byahus <script>window.__pwned=1</script> [klick](javascript:window.__pwned=1)"


def _sign_in_by_code(page, base: str, email: str, next_path: str) -> None:
    page.goto(f"{base}/konto/mitt/kod/?next={next_path}")
    page.fill("input[name=email]", email)
    mail.outbox.clear()
    page.press("input[name=email]", "Enter")
    page.wait_for_url(re.compile(r"/konto/mitt/kod/bekrafta/"))
    message = next(m for m in mail.outbox if email in m.to)
    code = re.search(r"\b([A-Z0-9]{4}-[A-Z0-9]{4})\b", message.body).group(1)
    page.fill("input[name=code]", code)
    page.press("input[name=code]", "Enter")
    page.wait_for_url(re.compile(re.escape(next_path)))


def test_sign_in_post_support_select_report(live_server, browser, place, owner):
    from platsa.innovation.models import Idea, Support
    from platsa.innovation.services import innovation_create
    from platsa.processes.services import process_set_phase

    process = innovation_create(place=place, title="Ragunda 2027", user=owner).process
    process_set_phase(process=process, phase="ideas", actor=owner)
    base = live_server.url
    public = f"/i/{place.slug}/{process.slug}/"

    author = browser.new_context(viewport=PHONE).new_page()
    author.goto(base + public)
    assert no_horizontal_scroll(author)
    assert serious_violations(author) == []
    _sign_in_by_code(author, base, "anna@example.org", f"{public}ny/")
    author.fill("input[name=title]", XSS_TITLE)
    author.fill("textarea[name=body]", XSS_BODY)
    author.click("button[type=submit]")
    author.wait_for_url(re.compile(rf"{re.escape(public)}\d+/"))
    assert author.evaluate("window.__pwned") is None
    assert "<img src=x" in author.locator("h1").inner_text()  # shown as text, not run
    assert serious_violations(author) == []
    idea = Idea.objects.get()
    idea_path = f"{public}{idea.pk}/"

    supporter = browser.new_context(viewport={"width": 320, "height": 700}).new_page()
    _sign_in_by_code(supporter, base, "bo@example.org", idea_path)
    assert no_horizontal_scroll(supporter)
    supporter.click("#support button[type=submit]")
    supporter.wait_for_url(re.compile(re.escape(idea_path)))
    assert Support.objects.filter(idea=idea).count() == 1
    supporter.click("#support button[type=submit]")  # withdraw
    supporter.wait_for_url(re.compile(re.escape(idea_path)))
    assert Support.objects.filter(idea=idea).count() == 0
    supporter.click("#support button[type=submit]")
    supporter.wait_for_url(re.compile(re.escape(idea_path)))
    assert Support.objects.filter(idea=idea).count() == 1

    desk = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    desk.goto(f"{base}/konto/login/")
    desk.fill("input[name=login]", owner.email)
    desk.fill("input[name=password]", "a-long-test-password")
    desk.press("input[name=password]", "Enter")
    desk.wait_for_url(re.compile(r"/platser/"))
    desk.goto(f"{base}/platser/{place.slug}/innovation/{process.slug}/ideer/")
    card = desk.locator(f"#idea-{idea.pk}")
    card.locator("select[name=status]").select_option("selected")
    card.locator("textarea[name=reason]").fill("Många stöder den, och skolan står tom.")
    card.locator("button[type=submit]").click()
    desk.wait_for_url(re.compile(r"/ideer/"))
    idea.refresh_from_db()
    assert idea.status == "selected"
    assert serious_violations(desk) == []
    desk.goto(f"{base}/platser/{place.slug}/innovation/{process.slug}/export/")
    link = desk.locator("a[href*='/i/export/']").first
    with desk.expect_download() as info:
        link.click()
    download = info.value
    path = download.path()
    assert path is not None
    data = path.read_bytes()
    assert data[:2] == b"PK" or data[:4] == b"%PDF" or b"Byahus" in data


def test_the_themes_page_with_its_comments_on_a_phone(live_server, browser, place, owner):
    """The machine themes with the comments placed in them: a hostile comment is quoted as
    text, the page passes axe with a theme's comments open, and fits 320 px."""
    from platsa.accounts.models import User
    from platsa.innovation import themes_found
    from platsa.innovation.services import comment_add, idea_submit, innovation_create
    from platsa.processes.services import process_set_phase

    process = innovation_create(place=place, title="Ragunda 2027", user=owner).process
    process_set_phase(process=process, phase="ideas", actor=owner)
    anna = User.objects.create_user(email="anna@example.org", display_name="Anna")
    texts = THEMED_IDEAS
    ideas = [idea_submit(process=process, user=anna, title=t, body=b) for t, b in texts]
    hostile = (
        "Bussen till Östersund <img src=x onerror=window.__pwned=1> går för sällan, fler bussar!"
    )
    comment_add(user=anna, idea=ideas[0], body=hostile)
    themes_found.make(process.pk)
    page = browser.new_context(viewport=PHONE).new_page()
    page.goto(f"{live_server.url}/i/{place.slug}/{process.slug}/teman/")
    summary = page.locator(".theme-comments summary")
    assert summary.count() >= 1
    summary.first.click()
    page.wait_for_timeout(400)  # the details open with a short animation
    assert page.evaluate("window.__pwned") is None
    assert "<img src=x" in page.locator(".theme-comments").first.inner_text()
    assert serious_violations(page) == []
    page.set_viewport_size({"width": 320, "height": 640})
    assert no_horizontal_scroll(page)
