"""The acceptance story in a real browser (Debian's chromium, driven by Playwright).

A development officer signs up, creates Domnarvet in Borlänge, starts a round; a resident
answers on a phone with the keyboard only; paper answers are uploaded from the downloaded
template; the results and recommendations are read; the PDF is downloaded. axe-core checks
the survey and results pages for serious or critical accessibility violations.
"""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from tests.e2e.conftest import sign_up

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}


def serious_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def tab_to(page, selector: str, limit: int = 400) -> None:
    """Press Tab until the element matching ``selector`` has focus (keyboard only)."""
    for _ in range(limit):
        if page.evaluate(
            "(s) => document.activeElement && document.activeElement.matches(s)", selector
        ):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"could not reach {selector} with Tab")


def choose_with_keys(page, name: str, steps: int) -> None:
    """In a radio group: Space checks the first option, each ArrowRight the next one."""
    tab_to(page, f"input[name={name}]")
    page.keyboard.press("Space")
    for _ in range(steps):
        page.keyboard.press("ArrowRight")


def transferred_bytes(page, url: str) -> int:
    """Bytes on the wire for a first load of ``url`` (all requests), via the DevTools protocol."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    sizes: dict[str, float] = {}
    cdp.on(
        "Network.loadingFinished",
        lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]),
    )
    page.goto(url, wait_until="networkidle")
    return int(sum(sizes.values()))


def test_whole_journey(live_server, browser, worker, reference, framework, tmp_path):
    base = live_server.url
    officer = browser.new_context(viewport={"width": 1100, "height": 900})
    page = officer.new_page()

    # 1. Sign up and create the place inside Borlänge, picked from the real list.
    sign_up(page, base, "utvecklare@borlange.example", "ett-långt-lösenord-2026")
    page.goto(f"{base}/platser/ny/")
    page.fill("#id_name", "Domnarvet")
    page.fill("#q", "Borl")
    page.get_by_label(re.compile("Borlänge")).check()  # the htmx search result
    page.get_by_label("En ort eller by i kommunen").check()
    page.fill("#id_population_estimate", "8000")
    page.locator("input[name=has_industry_employer][value=yes]").check()
    page.get_by_role("button", name="Skapa platsen").click()
    page.wait_for_url(re.compile(r"/platser/domnarvet"))
    assert "Borlänge" in page.content()
    assert "Källa: SCB" in page.content()

    # 2. Start the round with the default groups and open it.
    page.get_by_role("link", name="Starta en enkätomgång").click()
    page.fill("#id_name", "Hösten 2026")
    page.get_by_role("button", name="Skapa omgången").click()
    page.get_by_role("button", name="Öppna enkäten").click()
    survey_url = page.input_value("#survey-link")
    assert "/s/" in survey_url
    page.wait_for_function("() => document.querySelector('img.qr').naturalWidth > 0")  # the QR code

    # 3. A resident answers on a phone, with the keyboard only.
    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    resident = phone.new_page()
    size = transferred_bytes(resident, survey_url)
    assert size <= 100_000, f"survey first load transferred {size} bytes"
    assert serious_violations(resident) == []
    resident.set_viewport_size({"width": 320, "height": 640})
    assert no_horizontal_scroll(resident)
    choose_with_keys(resident, "group", 0)  # Invånare
    ratings = {"housing": 2, "skills_supply": 3, "mobility": 3, "nature_environment": 6}
    for qid in framework.question_ids:
        choose_with_keys(resident, f"q_{qid}", ratings.get(qid, 4) - 1)
    tab_to(resident, "summary")  # the comment of the last theme, right after its scale
    resident.keyboard.press("Enter")
    tab_to(resident, "#id_c_good_public_spaces")
    resident.keyboard.type("Nära till naturen")
    tab_to(resident, "input[name=priorities][value=housing]")
    resident.keyboard.press("Space")
    tab_to(resident, ".survey button[type=submit]")
    resident.keyboard.press("Enter")
    resident.wait_for_url(re.compile(r"/tack/"))
    assert serious_violations(resident) == []
    from platsa.assessments.models import Response

    stored = Response.objects.get(source="web")
    assert stored.group.key == "residents"
    assert stored.priorities == "housing"
    assert stored.answers == "".join(str(ratings.get(q, 4) - 1) for q in framework.question_ids)
    assert stored.comments.get().text == "Nära till naturen"

    # 4. Paper answers: download the template, fill it in, upload it (a broken one first).
    page.goto(page.url)
    page.get_by_role("link", name="Importera pappersenkäter").click()
    broken = tmp_path / "trasig.xlsx"
    broken.write_bytes(b"not a spreadsheet")
    page.set_input_files("#id_file", str(broken))
    page.get_by_role("button", name="Ladda upp och importera").click()
    page.wait_for_url(re.compile(r"/import/jobb/"))  # at once: the worker reads the file
    page.get_by_text("Inget importerades").wait_for(timeout=20_000)  # the page follows the job
    page.get_by_role("link", name="Ladda upp en fil till").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel (XLSX)").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    workbook = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    sheet = next(s for s in workbook.worksheets if s["B1"].value == "group")
    groups = [
        "Invånare",
        "Anställd i det lokala näringslivet",
        "Arbetsgivare eller företagsledning",
    ]
    for i in range(12):
        skills = 5 if i % 3 == 0 else 2
        sheet.append(
            [f"P{i + 1}", groups[i % 3], None, 3, 4, skills, *[4] * 12, "skills_supply", None, None]
        )
    filled = tmp_path / "pappersenkater.xlsx"
    buffer = io.BytesIO()
    workbook.save(buffer)
    filled.write_bytes(buffer.getvalue())
    page.set_input_files("#id_file", str(filled))
    page.get_by_role("button", name="Ladda upp och importera").click()
    page.get_by_text("12 svar importerades").wait_for(timeout=20_000)
    page.get_by_role("link", name="Tillbaka till omgången").click()

    # 5. Results and recommendations, explained.
    page.get_by_role("link", name="Se resultat och rekommendationer").click()
    # click() returns once the navigation has begun: counting then, on a slow machine, saw
    # the page half-loaded (8 of its recommendations). Count on the whole page.
    page.wait_for_url(re.compile(r"/resultat/"))
    page.wait_for_load_state()
    assert page.locator("svg.chart-radar").count() >= 1
    assert page.locator("article.recommendation").count() >= 10
    first = page.locator("article.recommendation").first
    assert "Varför" in first.inner_text()
    assert "betyg" in first.inner_text()
    assert serious_violations(page) == []
    page.set_viewport_size({"width": 320, "height": 700})
    assert no_horizontal_scroll(page)
    page.set_viewport_size({"width": 1100, "height": 900})

    # 6. The PDF report for the municipal board.
    page.get_by_role("link", name="Rapport till styrelsen (PDF)").click()
    page.wait_for_url(re.compile(r"/filer/\d+/"))  # made in the background, with progress
    ready = page.get_by_role("link", name="Ladda ner rapporten (PDF)")
    ready.wait_for(timeout=60_000)
    with page.expect_download() as download:
        ready.click()
    pdf = download.value.path().read_bytes()
    assert pdf.startswith(b"%PDF")
    assert len(pdf) > 20_000
    officer.close()
    phone.close()


def test_every_page_fits_a_phone_and_passes_axe(live_server, browser, place, owner, framework):
    """Every page an organiser or a visitor reaches, at 320 px, with two rounds (so that the
    change column and every group are shown), passes axe-core without serious violations."""
    from platsa.assessments.models import Comment
    from platsa.assessments.services import round_publish
    from tests.conftest import two_rounds

    _first, second = two_rounds(
        place,
        owner,
        framework,
        names=("Hösten 2025", "Hösten 2026"),
        sizes=(60, 90),
        comment_rate=0.5,
    )
    Comment.objects.update(status=Comment.Status.APPROVED)
    round_publish(round_=second, public=True)

    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    base = live_server.url
    page.goto(f"{base}/konto/login/")
    page.fill("input[name=login]", owner.email)
    page.fill("input[name=password]", "a-long-test-password")
    page.press("input[name=password]", "Enter")
    page.wait_for_url(re.compile(r"/platser/"))
    round_base = f"/platser/{place.slug}/omgangar/{second.slug}"
    paths = [
        "/",
        "/platser/",
        "/platser/ny/",
        f"/platser/{place.slug}/",
        f"/platser/{place.slug}/medlemmar/",
        f"/platser/{place.slug}/omgangar/ny/",
        f"{round_base}/",
        f"{round_base}/resultat/",
        f"{round_base}/import/",
        f"{round_base}/kommentarer/",
        f"{round_base}/grupper/",
        f"/platser/{place.slug}/atgarder/ny/",
        "/katalog/",
        "/katalog/car_sharing_pool/",
        f"/p/{place.slug}/{second.slug}/",
        f"/s/{second.survey_key}/",
        "/integritet/",
        "/tillganglighet/",
        "/datakallor/",
        "/designsystem/",  # every component of the design system, with its states
        "/katalog/?q=f%C3%B6rening&page=2",
        "/katalog/sa-fungerar-rekommendationerna/",
        f"/platser/{place.slug}/andra/",
        f"/platser/{place.slug}/atgarder/",
        f"/platser/{place.slug}/atgarder/exempel/ny/",
        "/konto/mitt/",
        "/konto/email/",
        "/konto/password/change/",
        "/konto/logout/",
        "/finns-inte/",  # the 404 page
    ]
    problems = {}

    def check(page, path: str) -> None:
        page.goto(base + path)
        found = serious_violations(page)
        if not no_horizontal_scroll(page):
            found.append("wider than 320 px")
        if found:
            problems[path] = found

    for path in paths:
        check(page, path)
    # The survey's other pages: the thank-you page after an answer, then the deleted page.
    page.goto(f"{base}/s/{second.survey_key}/")
    page.locator("input[name=group]").first.check(force=True)
    page.locator("input[name^=q_]").first.check(force=True)  # a wholly empty form is refused
    page.locator(".survey button[type=submit]").click()
    page.wait_for_url(re.compile(r"/tack/"))
    found = serious_violations(page)
    if not no_horizontal_scroll(page):
        found.append("wider than 320 px")
    if found:
        problems["survey thanks"] = found
    # Someone not signed in: allauth's pages, in Platsa's layout.
    visitor = browser.new_context(viewport={"width": 320, "height": 640})
    anonymous = visitor.new_page()
    for path in [
        "/konto/login/",
        "/konto/signup/",
        "/konto/login/code/",
        "/konto/password/reset/",
        "/konto/password/reset/done/",
        "/",
    ]:
        check(anonymous, path)
    anonymous.goto(base + "/konto/login/")  # a wrong password: the error summary
    anonymous.fill("input[name=login]", owner.email)
    anonymous.fill("input[name=password]", "not-the-password")
    anonymous.press("input[name=password]", "Enter")
    anonymous.wait_for_load_state()
    if serious_violations(anonymous):
        problems["login with an error"] = serious_violations(anonymous)
    visitor.close()
    assert problems == {}
    context.close()
