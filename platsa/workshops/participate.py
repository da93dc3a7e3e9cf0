"""The phones in the room: join with the code (or the QR code), answer the question on the
screen, see that the answer is saved. No account; the browser's random token is the
participant, and a phone that reconnects is the same participant with the same answers."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from platsa.web.browser_token import browser_token, remember_browser
from platsa.web.limits import small_form_post
from platsa.web.ratelimit import hit
from platsa.workshops.models import SCALE_POINTS, Answer, Participant, Workshop
from platsa.workshops.services import WorkshopError, answer_submit, parse_answer, participant_for

PHONE_COOKIE = "platsa_room"
PHONE_MAX_AGE = 30 * 24 * 3600

ERRORS = {
    "not_current": gettext_lazy("The room has moved on to another question: here it is."),
    "bad_answer": gettext_lazy("That answer was not understood. Choose one of the options."),
    "empty": gettext_lazy("Write something first."),
    "too_long": gettext_lazy("At most 200 characters."),
}


def _token(request: HttpRequest) -> tuple[str, bool]:
    return browser_token(request, PHONE_COOKIE)


def _workshop(code: str) -> Workshop | None:
    return (
        Workshop.objects.select_related("process__place", "current")
        .filter(code="".join(ch for ch in code if ch.isascii() and ch.isdigit())[:8])
        .first()
    )


def _guess_allowed(request: HttpRequest) -> bool:
    """Counts a code that matches no session: on every address that tells whether a code
    exists, wrong codes are slowed down (a room typing the right one is never held up)."""
    return hit(request, "room-wrong-code", settings.PLATSA_ROOM_JOIN_RATE)


def _set_phone(response: HttpResponse, request: HttpRequest) -> HttpResponse:
    return remember_browser(response, request, PHONE_COOKIE, max_age=PHONE_MAX_AGE)


def join(request: HttpRequest) -> HttpResponse:
    """/w/: the code from the screen, typed on a phone."""
    code = request.GET.get("kod", "").strip()
    if code:
        if _workshop(code) is None and not _guess_allowed(request):
            return render(
                request,
                "workshops/join.html",
                {
                    "error": _("Too many tries: wait a few minutes and try again."),
                    "code": code[:12],
                },
                status=429,
            )
        if _workshop(code) is not None:
            return redirect(
                "workshops_public:session", code="".join(c for c in code if c.isdigit())
            )
        return render(
            request,
            "workshops/join.html",
            {
                "error": _("No session has the code %(code)s. Check the screen and try again.")
                % {"code": code[:12]},
                "code": code[:12],
            },
            status=404,
        )
    return render(request, "workshops/join.html", {})


def session(request: HttpRequest, code: str) -> HttpResponse:
    workshop = _workshop(code)
    if workshop is None:
        if not _guess_allowed(request):
            return HttpResponse(status=429)
        return redirect(f"{reverse('workshops_public:join')}?kod={code[:12]}")
    token, _new = _token(request)
    participant = participant_for(workshop, token, create=False)
    question = workshop.current
    mine = (
        Answer.objects.filter(question=question, participant=participant).first()
        if question is not None and participant is not None
        else None
    )
    context = {
        "workshop": workshop,
        "place": workshop.process.place,
        "process": workshop.process,
        "live": workshop.process.phase == "live",
        "question": question,
        "mine": mine,
        "scale": range(1, SCALE_POINTS + 1),
        "state": _state(workshop),
    }
    # The phone's token from its first page: a double tap on its first answer, or a
    # retry on a bad line, is then the same participant (the constraint decides).
    return _set_phone(render(request, "workshops/session.html", context), request)


@small_form_post
def answer(request: HttpRequest, code: str) -> HttpResponse:
    workshop = _workshop(code)
    if workshop is None or request.method != "POST":
        return redirect("workshops_public:session", code=code[:8])
    back = redirect(reverse("workshops_public:session", args=[workshop.code]) + "#answer")
    if workshop.process.phase != "live":
        messages.error(request, _("The session is not taking answers now."))
        return back
    token, _new = _token(request)
    if not hit(request, f"room:{workshop.pk}:{token}", settings.PLATSA_ROOM_ANSWER_RATE) or not hit(
        request, f"room-all:{workshop.pk}", settings.PLATSA_ROOM_ANSWER_RATE_ADDRESS
    ):
        messages.error(request, _("Many answers in a short time: wait a moment and send again."))
        return back
    question = workshop.current
    try:
        question_id = int(request.POST.get("question", ""))
    except ValueError:
        question_id = -1
    if question is None or question.pk != question_id:
        messages.error(request, ERRORS["not_current"])
        return back
    raw = request.POST.get("answer", "")
    try:
        parse_answer(question, raw)  # before anyone is made a participant
    except WorkshopError as exc:
        messages.error(request, ERRORS[exc.code])
        return back
    participant = participant_for(workshop, token)
    assert isinstance(participant, Participant)
    try:
        answer_submit(participant=participant, question=question, raw=raw)
    except WorkshopError as exc:
        messages.error(request, ERRORS[exc.code])
        return back
    messages.success(
        request, _("Thank you, your answer is saved. You can change it until the next question.")
    )
    return _set_phone(back, request)


def _state(workshop: Workshop) -> str:
    return f"{workshop.process.phase}:{workshop.current_id or 0}"


def state(request: HttpRequest, code: str) -> HttpResponse:
    """What the phones look at every few seconds: the phase and the question on the screen."""
    workshop = _workshop(code)
    if workshop is None:
        return HttpResponse(status=404 if _guess_allowed(request) else 429)
    response = HttpResponse(_state(workshop), content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response
