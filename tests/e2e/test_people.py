"""Several people in a real browser at once: two organisers sign up, one logs in later with
an e-mailed code, and a resident switches language in the middle of the survey without
losing an answer."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from tests.e2e.conftest import sign_up

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "ett-långt-lösenord-2026"


def test_two_organisers_sign_up_and_one_logs_in_by_code(live_server, browser, django_user_model):
    base = live_server.url
    first = browser.new_context()
    second = browser.new_context()
    sign_up(first.new_page(), base, "anna@by.example", PASSWORD)
    sign_up(second.new_page(), base, "bertil@by.example", PASSWORD)  # the second used to 500
    assert set(django_user_model.objects.values_list("email", flat=True)) == {
        "anna@by.example",
        "bertil@by.example",
    }
    first.close()
    second.close()

    later = browser.new_context()
    page = later.new_page()
    page.goto(f"{base}/konto/login/code/")
    page.fill("input[name=email]", "anna@by.example")
    page.press("input[name=email]", "Enter")
    page.wait_for_url(re.compile(r"/konto/login/code/confirm/"))
    body = next(m.body for m in reversed(mail.outbox) if "anna@by.example" in m.to)
    assert "Platsa" in body.split("\n")[0]  # signed by Platsa, not by the host name
    code = re.search(r"\b([A-Z0-9]{4}-[A-Z0-9]{4})\b", body).group(1)
    page.fill("input[name=code]", code)
    page.press("input[name=code]", "Enter")
    page.wait_for_url(re.compile(r"/platser/"))
    assert "anna@by.example" in page.goto(f"{base}/konto/mitt/").text()
    later.close()


def test_language_switch_in_the_middle_of_the_survey_keeps_the_answers(
    live_server, browser, round_, framework
):
    from platsa.assessments.models import Response

    context = browser.new_context(viewport={"width": 375, "height": 800}, is_mobile=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/s/{round_.survey_key}/")
    page.locator("input[name=group][value=residents]").check(force=True)
    page.locator("input[name=q_housing][value='2']").check(force=True)
    page.locator("input[name=q_mobility][value='6']").check(force=True)
    page.locator("summary").first.click()
    page.fill("#id_c_better_housing", "Fler hyresrätter")
    page.get_by_role("button", name="English").click()  # in the header, mid-survey
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("input[name=q_housing][value='2']").is_checked()
    assert page.locator("input[name=q_mobility][value='6']").is_checked()
    assert page.locator("input[name=group][value=residents]").is_checked()
    assert page.input_value("#id_c_better_housing") == "Fler hyresrätter"
    assert not Response.objects.exists()
    for qid in framework.question_ids:
        radio = page.locator(f"input[name=q_{qid}]:checked")
        if radio.count() == 0:
            page.locator(f"input[name=q_{qid}][value='4']").check(force=True)
    page.locator(".survey button[type=submit]").click()
    page.wait_for_url(re.compile(r"/tack/"))
    stored = Response.objects.get()
    assert stored.language == "en"
    assert stored.comments.get().text == "Fler hyresrätter"
    context.close()
