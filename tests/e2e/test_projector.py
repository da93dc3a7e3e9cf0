"""The projector read from the back of a room: every kind of question of the demo session on a
1280 x 720 screen (the most common projector), for the whole room and for three themed groups
side by side. Nothing is cut off or needs scrolling, no text is drawn smaller than 14 px
(the room's places map's colour key aside, 10-12 px: a whole country drawn to the screen's
height has its key small, and the list of places beside it carries the numbers; a group's
map has none), and how to join stays on the screen with a QR code large enough to scan from
the middle of the room."""

from __future__ import annotations

import pytest

from tests.e2e.test_journey import serious_violations
from tests.e2e.test_workshop import _sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PROJECTOR = {"width": 1280, "height": 720}
SMALLEST_PX = 14

# The stage's texts as drawn: the size of an SVG text is its font size in the drawing's units
# times the drawing's scale on the screen. Text kept for screen readers only is left out.
MEASURE = """() => {
  const stage = document.querySelector('#screen');
  const sizes = [];
  for (const el of stage.querySelectorAll('*')) {
    if (el.closest('.visually-hidden, .groups-table, .word-list, .places-map')) continue;
    if (![...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    let size = parseFloat(getComputedStyle(el).fontSize);
    if (el instanceof SVGElement) { const m = el.getScreenCTM(); size *= Math.hypot(m.a, m.b); }
    sizes.push([size, el.textContent.trim().slice(0, 40)]);
  }
  sizes.sort((a, b) => a[0] - b[0]);
  const qr = document.querySelector('.screen-qr svg').getBoundingClientRect();
  return {
    smallest: sizes.slice(0, 3),
    cut: stage.scrollHeight - stage.clientHeight,
    below: document.documentElement.scrollHeight - innerHeight,
    beside: document.documentElement.scrollWidth - innerWidth,
    qr: [qr.width, qr.right <= innerWidth && qr.bottom <= innerHeight],
  };
}"""


def _in_groups(workshop) -> None:
    """Three themed groups, the demo's phones dealt out among them with their answers."""
    from platsa.workshops.models import Answer, Entry, Participant
    from platsa.workshops.services import workshop_configure, workshop_set_side_by_side

    workshop_configure(
        workshop=workshop,
        pace=workshop.pace,
        groups=["Kunskap och kompetens", "Nätverk och samverkan", "Teknik"],
    )
    for i, phone in enumerate(Participant.objects.filter(workshop=workshop).order_by("pk")):
        group = i % 3 + 1
        Participant.objects.filter(pk=phone.pk).update(group=group)
        Answer.objects.filter(participant=phone).update(group=group)
        Entry.objects.filter(participant=phone).update(group=group)
    workshop_set_side_by_side(workshop=workshop, on=True)


def test_every_kind_of_question_reads_on_a_720p_projector(live_server, browser, place, owner):
    from platsa.workshops.demo import demo_workshop
    from platsa.workshops.services import workshop_show

    workshop = demo_workshop(place, owner)
    questions = list(workshop.questions.order_by("position"))
    assert len({q.kind for q in questions}) == 10
    page = browser.new_context(viewport=PROJECTOR).new_page()
    _sign_in(page, live_server.url, owner)
    problems = []
    for mode in ("room", "groups"):
        if mode == "groups":
            _in_groups(workshop)
        for question in questions:
            workshop_show(workshop=workshop, question=question)
            page.goto(f"{live_server.url}/w/{workshop.code}/skarm/")
            seen = page.evaluate(MEASURE)
            where = f"{mode}/{question.kind}"
            if seen["smallest"] and seen["smallest"][0][0] < SMALLEST_PX:
                problems.append(f"{where}: text at {seen['smallest']}")
            if max(seen["cut"], seen["below"], seen["beside"]) > 1:
                problems.append(
                    f"{where}: cut {seen['cut']}, below {seen['below']}, beside {seen['beside']}"
                )
            width, inside = seen["qr"]
            if width < 150 or not inside:
                problems.append(f"{where}: QR code {width} px, on the screen: {inside}")
            assert workshop.code in page.locator(".screen-join").inner_text()
        if mode == "groups":  # the groups compared in one drawing, and its table
            workshop_show(workshop=workshop, question=questions[-1])
            page.goto(f"{live_server.url}/w/{workshop.code}/skarm/")
            assert page.locator("svg.group-bars").count() == 1
            assert serious_violations(page) == []
    assert problems == []
