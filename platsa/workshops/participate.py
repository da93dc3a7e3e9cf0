"""The phones in the room: join with the code (or the QR code), choose a themed group if the
session has groups, answer the question on the screen (or, self-paced, each question in
turn), write ideas or questions and upvote the room's, and see that it is saved. No
account; the browser's random token is the participant, and a phone that reconnects is the
same participant with the same answers. A refused answer comes back with what was typed."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from platsa.web import pagecache
from platsa.web.browser_token import browser_token, remember_browser
from platsa.web.limits import small_form_post
from platsa.web.ratelimit import hit
from platsa.workshops import entries, pins
from platsa.workshops.answers import WorkshopError, parse_answer, parse_text, theme_scale
from platsa.workshops.models import (
    ENTRIES_PER_PARTICIPANT,
    POINTS_TOTAL,
    SCALE_POINTS,
    Answer,
    Entry,
    Participant,
    Question,
    Workshop,
)
from platsa.workshops.results import labels_of, place_names
from platsa.workshops.services import (
    answer_open,
    answer_submit,
    participant_for,
    participant_make,
    participant_set_group,
)

PHONE_COOKIE = "platsa_room"
PHONE_MAX_AGE = 30 * 24 * 3600
TYPED_SHOWN = 300  # of an answer the room moved on from, said back to its writer

ERRORS = {
    "not_current": gettext_lazy("The room has moved on to another question: here it is."),
    "not_current_typed": gettext_lazy(
        "The room moved on to another question before your answer was sent, so it was not "
        "saved. You wrote: “%(text)s”"
    ),
    "bad_answer": gettext_lazy("That answer was not understood. Choose one of the options."),
    "empty": gettext_lazy("Write something first."),
    "too_long": gettext_lazy("At most 200 characters."),
    "ranks": gettext_lazy("Give each option its own place, from 1 to %(n)s."),
    "points_number": gettext_lazy("Write whole numbers of points, from 0 to %(total)s."),
    "points_sum": gettext_lazy(
        "The points must add up to %(total)s; yours add up to %(given)s. Move some and send again."
    ),
    "matrix": gettext_lazy("Place every option on both scales, from 1 to 7."),
    "themes_none": gettext_lazy("Answer at least one theme; you can leave the others."),
    "unknown_place": gettext_lazy(
        "We know no municipality called “%(name)s”. Check the spelling, or choose one from the list."
    ),
    "bad_pin": gettext_lazy("The pin's position was not understood. Drop it again."),
    "pin_outside": gettext_lazy(
        "The pin is not in a municipality on the map (at sea or across the border?). Drop it "
        "on land, or write the municipality's name."
    ),
    "too_many_entries": gettext_lazy(
        "You have written %(n)s already, the most one person can here."
    ),
    "group": gettext_lazy("Choose one of the groups."),
    "too_many_phones": gettext_lazy(
        "Very many new phones from this network in a short time: wait a few minutes and try again."
    ),
    "taken_down": gettext_lazy(
        "The facilitator has taken an idea with these words off the board. Write it another way."
    ),
}


def error_text(exc: WorkshopError) -> str:
    message = ERRORS.get(exc.code, ERRORS["bad_answer"])
    return str(message) % exc.detail if exc.detail else str(message)


def _token(request: HttpRequest) -> tuple[str, bool]:
    return browser_token(request, PHONE_COOKIE)


def _digits(code: str) -> str:
    """The code as typed, its digits only (a space or a dash from the slide is forgiven)."""
    return "".join(ch for ch in code if ch.isascii() and ch.isdigit())[:8]


def _workshop(code: str) -> Workshop | None:
    # [:1], not first(): the code is unique, and an ORDER BY is compiled and run for nothing
    # on the room's busiest query.
    found = list(
        Workshop.objects.select_related("process__place", "current").filter(code=_digits(code))[:1]
    )
    return found[0] if found else None


def _guess_allowed(request: HttpRequest) -> bool:
    """Counts a code that matches no session: on every address that tells whether a code
    exists, wrong codes are slowed down (a room typing the right one is never held up)."""
    return hit(request, "room-wrong-code", settings.PLATSA_ROOM_JOIN_RATE)


def _set_phone(response: HttpResponse, request: HttpRequest) -> HttpResponse:
    return remember_browser(response, request, PHONE_COOKIE, max_age=PHONE_MAX_AGE)


def _lang() -> str:
    return (get_language() or "sv")[:2]


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
                "workshops_public:session", code="".join(c for c in code if c in "0123456789")
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


def _question_for(
    request: HttpRequest, workshop: Workshop, participant: Participant | None
) -> tuple[Question | None, list[Question]]:
    """The question this phone answers now: the one on the screen, or (self-paced) the one
    asked for by its number, else the first not yet answered."""
    if workshop.pace != Workshop.Pace.SELF:
        return workshop.current, []
    questions = list(workshop.questions.all())
    if not questions:
        return None, questions
    asked = request.GET.get("fraga", "")
    if asked.isascii() and asked.isdecimal() and 1 <= int(asked) <= len(questions):
        return questions[int(asked) - 1], questions
    done = (
        set(Answer.objects.filter(participant=participant).values_list("question_id", flat=True))
        if participant is not None
        else set()
    )
    if participant is not None:
        done |= set(participant.entries.values_list("question_id", flat=True))
    return next((q for q in questions if q.pk not in done), questions[-1]), questions


def _rows(
    question: Question, labels: list[str], mine: Answer | None, draft: QueryDict | None
) -> list[dict[str, Any]]:
    """One row per option (or theme) with what the phone shows in it: what was just sent
    (a refused answer, kept) or the saved answer."""
    data = mine.data if mine is not None else None
    rows: list[dict[str, Any]] = []
    for i, label in enumerate(labels):
        row: dict[str, Any] = {"i": i, "label": label}
        if question.kind == Question.Kind.RANKING:
            saved = data.index(i) + 1 if isinstance(data, list) and i in data else ""
            row["rank"] = draft.get(f"rank-{i}", "") if draft is not None else str(saved)
        elif question.kind == Question.Kind.POINTS:
            saved = data[i] if isinstance(data, list) and i < len(data) else ""
            row["points"] = draft.get(f"points-{i}", "") if draft is not None else str(saved)
        elif question.kind == Question.Kind.MATRIX:
            saved_xy = data[i] if isinstance(data, list) and i < len(data) else ["", ""]
            row["x"] = draft.get(f"x-{i}", "") if draft is not None else str(saved_xy[0])
            row["y"] = draft.get(f"y-{i}", "") if draft is not None else str(saved_xy[1])
        elif question.kind == Question.Kind.THEMES:
            saved = data[i] if isinstance(data, list) and i < len(data) and data[i] else ""
            row["value"] = draft.get(f"theme-{i}", "") if draft is not None else str(saved)
        rows.append(row)
    return rows


def _page(
    request: HttpRequest,
    workshop: Workshop,
    *,
    draft: QueryDict | None = None,
    error: str = "",
    question: Question | None = None,
    status: int = 200,
) -> HttpResponse:
    token, new = _token(request)
    # A phone without its cookie yet is nobody yet: no query to find that out.
    participant = None if new else participant_for(workshop, token, create=False)
    chosen, questions = _question_for(request, workshop, participant)
    question = question or chosen
    needs_group = bool(workshop.groups) and (
        participant is None or not participant.group or request.GET.get("grupp") == "byt"
    )
    mine = (
        Answer.objects.filter(question=question, participant=participant).first()
        if question is not None and participant is not None
        else None
    )
    labels = labels_of(question, _lang()) if question is not None else []
    context: dict[str, Any] = {
        "workshop": workshop,
        "place": workshop.process.place,
        "process": workshop.process,
        "live": workshop.process.phase == "live",
        "question": question,
        "mine": mine,
        "rows": _rows(question, labels, mine, draft) if question is not None else [],
        "draft_text": draft.get("answer", "") if draft is not None else None,
        "error": error,
        "scale": range(1, SCALE_POINTS + 1),
        "points_total": POINTS_TOTAL,
        "ranks": range(1, len(labels) + 1),
        "state": _state(workshop),
        "needs_group": needs_group,
        "group_name": workshop.groups[participant.group - 1]
        if participant is not None and 0 < participant.group <= len(workshop.groups)
        else "",
        "self_paced": workshop.pace == Workshop.Pace.SELF,
        "questions": questions,
    }
    if questions and question is not None:
        number = next(i for i, q in enumerate(questions) if q.pk == question.pk) + 1
        context.update(number=number, total=len(questions))
    if question is not None and question.kind in entries.TAKES_ENTRIES and not needs_group:
        group = participant.group if participant is not None else 0
        board = list(entries.ranked(question, group=group, participant=participant)[:100])
        context["board"] = board
        context["entries_left"] = ENTRIES_PER_PARTICIPANT - (
            sum(1 for e in board if participant is not None and e.participant_id == participant.pk)
        )
    if question is not None and question.kind == Question.Kind.THEMES:
        low, high = theme_scale(question)
        context.update(scale=range(low, high + 1), scale_low=low, scale_high=high)
    if question is not None and question.kind == Question.Kind.PLACES:
        context["place_names"] = place_names(workshop.process.place)
        context["pin_country"] = pins.country_of(workshop.process.place)
        context["pin_version"] = pins.pin_map_version(context["pin_country"])
    # Nobody yet (most phones, on their first page): the page is the same for every new
    # phone in the room, so it comes from the page cache with the phone's CSRF token
    # spliced in, unless it shows the room's board, which changes with every +1.
    if (
        participant is None
        and draft is None
        and not error
        and status == 200
        and (question is None or question.kind not in entries.TAKES_ENTRIES)
    ):
        process, place = workshop.process, workshop.process.place
        key = _new_phone_key(
            request,
            workshop.pk,
            question.pk if question is not None else 0,
            workshop.pace,
            workshop.groups,
            process.phase,
            process.changed_at,
            place.changed_at,
        )
        served = pagecache.serve(
            request,
            key,
            lambda for_cache: render(
                request,
                "workshops/session.html",
                {**context, **pagecache.page_context(for_cache)},
            ),
            shared=False,
        )
        return _set_phone(served, request)
    # The phone's token from its first page: a double tap on its first answer, or a
    # retry on a bad line, is then the same participant (the constraint decides).
    return _set_phone(render(request, "workshops/session.html", context, status=status), request)


def _new_phone_key(
    request: HttpRequest,
    workshop_id: int,
    question_id: int,
    pace: str,
    groups: object,
    phase: str,
    process_changed_at: object,
    place_changed_at: object,
) -> str:
    """What a new phone's page shows: the question, the pace and groups, the phase, the
    process (its title; questions added move its stamp), the place's name, the language.
    The fast path reads these with one raw query, the full path from its objects."""
    if isinstance(groups, str):  # SQLite hands JSON back as text
        groups = json.loads(groups or "[]")
    return "room-phone:" + pagecache.digest(
        workshop_id,
        question_id,
        pace,
        json.dumps(groups, ensure_ascii=False),
        phase,
        pagecache.stamp(process_changed_at),
        pagecache.stamp(place_changed_at),
        _lang(),
        request.path,
        pagecache.build_id(),
    )


# A new phone opening a presenter-paced room, in one light query instead of the ORM's three
# tables: the busiest request of a session, 1,500 times in a minute when the code goes up.
NEW_PHONE_SQL = """
SELECT w.id, w.current_id, w.pace, w.groups, pr.phase, pr.changed_at, p.changed_at, q.kind
FROM workshops_workshop w JOIN processes_process pr ON pr.id = w.process_id
  JOIN places_place p ON p.id = pr.place_id
  LEFT JOIN workshops_question q ON q.id = w.current_id
WHERE w.code = %s
"""


def _new_phone_from_cache(request: HttpRequest, code: str) -> HttpResponse | None:
    """A new phone's page from the page cache; None when the full path must run (a phone
    that has been here, a self-paced room, a board, a page not in the cache yet)."""
    if request.GET or PHONE_COOKIE in request.COOKIES or not pagecache.eligible(request):
        return None
    row = pagecache.gate_row(NEW_PHONE_SQL, [_digits(code)])
    if row is None:
        return None
    workshop_id, current_id, pace, groups, phase, process_changed, place_changed, kind = row
    if pace == Workshop.Pace.SELF or kind in entries.TAKES_ENTRIES:
        return None
    page = pagecache.cached(
        _new_phone_key(
            request,
            workshop_id,
            current_id or 0,
            pace,
            groups,
            phase,
            process_changed,
            place_changed,
        )
    )
    if page is None:
        return None
    return _set_phone(pagecache.respond(request, page, shared=False), request)


def session(request: HttpRequest, code: str) -> HttpResponse:
    if request.method in ("GET", "HEAD"):
        fast = _new_phone_from_cache(request, code)
        if fast is not None:
            return fast
    workshop = _workshop(code)
    if workshop is None:
        if not _guess_allowed(request):
            return HttpResponse(status=429)
        return redirect(f"{reverse('workshops_public:join')}?kod={code[:12]}")
    return _page(request, workshop)


def _allowed(request: HttpRequest, workshop: Workshop) -> bool:
    token, _new = _token(request)
    return hit(request, f"room:{workshop.pk}:{token}", settings.PLATSA_ROOM_ANSWER_RATE) and hit(
        request, f"room-all:{workshop.pk}", settings.PLATSA_ROOM_ANSWER_RATE_ADDRESS
    )


def _posted_question(request: HttpRequest, workshop: Workshop) -> Question | None:
    raw = request.POST.get("question", "")
    if not (raw.isascii() and raw.isdecimal() and len(raw) < 12):
        return None
    number = int(raw)
    question = (
        workshop.current  # loaded with the session: no query for the question on the screen
        if workshop.current is not None and workshop.current.pk == number
        else workshop.questions.filter(pk=number).first()
    )
    return question if question is not None and answer_open(workshop, question) else None


def _number_of(workshop: Workshop, question: Question) -> int:
    ids = list(workshop.questions.values_list("pk", flat=True))
    return ids.index(question.pk) + 1


def _self_paced_url(workshop: Workshop, number: int) -> str:
    return f"{reverse('workshops_public:session', args=[workshop.code])}?fraga={number}#answer"


def _checks(request: HttpRequest, workshop: Workshop | None) -> HttpResponse | None:
    """What stops any post from a phone before it is read: no session, not live, too fast,
    or a group still to choose."""
    if workshop is None or request.method != "POST":
        return redirect("workshops_public:join")
    back = redirect(reverse("workshops_public:session", args=[workshop.code]) + "#answer")
    if workshop.process.phase != "live":
        messages.error(request, _("The session is not taking answers now."))
        return back
    if not _allowed(request, workshop):
        messages.error(request, _("Many answers in a short time: wait a moment and send again."))
        return back
    return None


def _participant(
    request: HttpRequest, workshop: Workshop, *, rate: str | None = None
) -> Participant | None:
    """The phone's participant, made now if it is new (a new phone counts against its
    address's allowance: WorkshopError "too_many_phones"); None while the session's groups
    wait for its choice."""
    token, new = _token(request)
    participant = None if new else participant_for(workshop, token, create=False)
    if participant is None:
        if not hit(request, f"room-new:{workshop.pk}", settings.PLATSA_ROOM_NEW_RATE) or (
            rate is not None and not hit(request, f"room-new-voter:{workshop.pk}", rate)
        ):
            raise WorkshopError("too_many_phones")
        participant = participant_make(workshop, token)
    assert isinstance(participant, Participant)
    participant.workshop = workshop
    if workshop.groups and not participant.group:
        return None
    return participant


def _phone(
    request: HttpRequest, workshop: Workshop, *, rate: str | None = None
) -> Participant | HttpResponse:
    """The posting phone's participant, or the page it is sent to instead: its group to
    choose first, or a wait when its network brought too many new phones."""
    try:
        participant = _participant(request, workshop, rate=rate)
    except WorkshopError:
        return _too_many(request, workshop)
    return participant if participant is not None else _to_group_choice(request, workshop)


def _to_group_choice(request: HttpRequest, workshop: Workshop) -> HttpResponse:
    messages.info(request, _("Choose your group first; then send your answer again."))
    return _set_phone(
        redirect(reverse("workshops_public:session", args=[workshop.code]) + "#answer"), request
    )


def _too_many(request: HttpRequest, workshop: Workshop) -> HttpResponse:
    messages.error(request, error_text(WorkshopError("too_many_phones")))
    return redirect(reverse("workshops_public:session", args=[workshop.code]) + "#answer")


def _fetched(request: HttpRequest) -> bool:
    """The phone's script sent the answer (it shows the confirmation in place: one request
    instead of a post, a redirect and a page, on a slow link too)."""
    return request.headers.get("X-Requested-With") == "fetch"


def _moved_on(request: HttpRequest) -> str | None:
    """The room moved on while the person was writing: said, with what they wrote (a text,
    not an option's number), so that it is not lost; the phone's script keeps it in the
    form as well, beside a link to the question on the screen now. None: nothing typed."""
    typed = " ".join(request.POST.get("answer", "").split())
    if not typed or typed.isdecimal():
        return None
    if len(typed) > TYPED_SHOWN:
        typed = typed[: TYPED_SHOWN - 1] + "…"
    return str(ERRORS["not_current_typed"]) % {"text": typed}


def _reply(
    request: HttpRequest, workshop: Workshop, text: str, *, ok: bool, status: int = 200
) -> HttpResponse:
    """The answer's outcome: for the script, as JSON; for a plain form, as a message on the
    page it is sent back to."""
    if _fetched(request):
        return _set_phone(JsonResponse({"ok": ok, "message": text}, status=status), request)
    (messages.success if ok else messages.error)(request, text)
    return _set_phone(
        redirect(reverse("workshops_public:session", args=[workshop.code]) + "#answer"), request
    )


@small_form_post
def answer(request: HttpRequest, code: str) -> HttpResponse:
    workshop = _workshop(code)
    stopped = _checks(request, workshop)
    if stopped is not None:
        if _fetched(request) and workshop is not None and request.method == "POST":
            text = "".join(str(m) for m in messages.get_messages(request))
            return JsonResponse({"ok": False, "message": text}, status=409)
        return stopped
    assert workshop is not None
    question = _posted_question(request, workshop)
    if question is None:
        said = _moved_on(request)
        if said is None and _fetched(request):
            # Nothing typed to keep: the phone loads the page of the screen now, which says
            # why (an empty message tells the script to load it).
            messages.info(request, str(ERRORS["not_current"]))
            return _set_phone(JsonResponse({"ok": False, "message": ""}, status=409), request)
        return _reply(request, workshop, said or str(ERRORS["not_current"]), ok=False, status=409)
    try:
        parsed = parse_answer(question, request.POST)  # before anyone is made a participant
    except WorkshopError as exc:
        if _fetched(request):
            return JsonResponse({"ok": False, "message": error_text(exc)}, status=400)
        return _page(
            request,
            workshop,
            draft=request.POST,
            error=error_text(exc),
            question=question,
            status=400,
        )
    try:
        participant = _participant(request, workshop)
    except WorkshopError as exc:
        return _reply(request, workshop, error_text(exc), ok=False, status=429)
    if participant is None:
        if _fetched(request):
            return JsonResponse({"ok": False, "message": "", "reload": True}, status=409)
        return _to_group_choice(request, workshop)
    try:
        answer_submit(participant=participant, question=question, parsed=parsed)
    except WorkshopError as exc:
        return _reply(request, workshop, error_text(exc), ok=False, status=409)
    if workshop.pace == Workshop.Pace.SELF and not _fetched(request):
        number = _number_of(workshop, question)
        total = workshop.questions.count()
        if number < total:
            messages.success(
                request, _("Thank you, your answer is saved. Here is the next question.")
            )
            return _set_phone(redirect(_self_paced_url(workshop, number + 1)), request)
        messages.success(
            request,
            _(
                "Thank you, your answer is saved. That was the last question; you can go back and change any answer."
            ),
        )
        return _set_phone(redirect(_self_paced_url(workshop, number)), request)
    return _reply(
        request,
        workshop,
        _("Thank you, your answer is saved. You can change it until the next question."),
        ok=True,
    )


def phone_post(
    view: Callable[[HttpRequest, Workshop], HttpResponse],
) -> Callable[[HttpRequest, str], HttpResponse]:
    """A phone's post to the session of ``code``: the session found, and refused before it
    is read when there is none, it is not live, or the phone posts too fast."""

    @small_form_post
    @wraps(view)
    def wrapper(request: HttpRequest, code: str) -> HttpResponse:
        workshop = _workshop(code)
        stopped = _checks(request, workshop)
        if stopped is not None:
            return stopped
        assert workshop is not None
        return view(request, workshop)

    return wrapper


def _to_question(workshop: Workshop, question: Question, anchor: str) -> str:
    url = reverse("workshops_public:session", args=[workshop.code])
    if workshop.pace == Workshop.Pace.SELF:
        url += f"?fraga={_number_of(workshop, question)}"
    return f"{url}#{anchor}"


@phone_post
def entry(request: HttpRequest, workshop: Workshop) -> HttpResponse:
    """An idea or a question for the room's board."""
    question = _posted_question(request, workshop)
    if question is None or question.kind not in entries.TAKES_ENTRIES:
        messages.error(request, ERRORS["not_current"])
        return redirect(reverse("workshops_public:session", args=[workshop.code]) + "#answer")
    try:
        parse_text(request.POST.get("answer", ""))  # before anyone is made a participant
        if not hit(request, f"room-write:{workshop.pk}", settings.PLATSA_ROOM_WRITE_RATE_ADDRESS):
            raise WorkshopError("too_many_phones")
    except WorkshopError as exc:
        return _page(
            request,
            workshop,
            draft=request.POST,
            error=error_text(exc),
            question=question,
            status=400 if exc.code != "too_many_phones" else 429,
        )
    participant = _phone(request, workshop)
    if not isinstance(participant, Participant):
        return participant
    try:
        written = entries.entry_submit(
            participant=participant, question=question, raw=request.POST.get("answer", "")
        )
    except WorkshopError as exc:
        return _page(
            request,
            workshop,
            draft=request.POST,
            error=error_text(exc),
            question=question,
            status=400,
        )
    if written.merged and written.entry.participant_id == participant.pk:
        messages.success(
            request,
            _("You had written that already: it is on the board, “%(text)s”.")
            % {"text": written.entry.text},
        )
    elif written.merged:
        messages.success(
            request,
            _("Someone had written that already: your +1 is added to “%(text)s”.")
            % {"text": written.entry.text},
        )
    else:
        messages.success(
            request, _("Saved. It is on the board: “%(text)s”.") % {"text": written.entry.text}
        )
    return _set_phone(redirect(_to_question(workshop, question, f"e{written.entry.pk}")), request)


@phone_post
def upvote(request: HttpRequest, workshop: Workshop) -> HttpResponse:
    raw = request.POST.get("entry", "")
    if not (
        raw.isascii()
        and raw.isdecimal()
        and len(raw) < 12
        and Entry.objects.filter(pk=int(raw), question__workshop=workshop, hidden=False).exists()
    ):
        messages.error(request, ERRORS["not_current"])
        return redirect(reverse("workshops_public:session", args=[workshop.code]) + "#answer")
    participant = _phone(request, workshop, rate=settings.PLATSA_ROOM_NEW_VOTER_RATE)
    if not isinstance(participant, Participant):
        return participant
    try:
        voted = entries.entry_vote(
            participant=participant, entry_id=int(raw), up=request.POST.get("up") == "1"
        )
    except WorkshopError:
        messages.error(request, ERRORS["not_current"])
        return redirect(reverse("workshops_public:session", args=[workshop.code]) + "#answer")
    return _set_phone(redirect(_to_question(workshop, voted.question, f"e{voted.pk}")), request)


@phone_post
def group(request: HttpRequest, workshop: Workshop) -> HttpResponse:
    """The phone's themed group, chosen once (and changed by choosing again)."""
    back = reverse("workshops_public:session", args=[workshop.code])
    raw = request.POST.get("group", "")
    number = int(raw) if raw.isascii() and raw.isdecimal() and len(raw) < 4 else 0
    if not 1 <= number <= len(workshop.groups):
        messages.error(request, ERRORS["group"])
        return redirect(back)
    token, _new = _token(request)
    participant = participant_for(workshop, token, create=False)
    if participant is None:
        if not hit(request, f"room-new:{workshop.pk}", settings.PLATSA_ROOM_NEW_RATE):
            return _too_many(request, workshop)
        participant = participant_make(workshop, token)
    assert isinstance(participant, Participant)
    participant.workshop = workshop
    participant_set_group(participant=participant, group=number)
    messages.success(
        request, _("You are in the group “%(name)s”.") % {"name": workshop.groups[number - 1]}
    )
    return _set_phone(redirect(back + "#answer"), request)


def _state(workshop: Workshop) -> str:
    if workshop.pace == Workshop.Pace.SELF:
        return f"{workshop.process.phase}:self:{len(workshop.groups)}"
    return f"{workshop.process.phase}:{workshop.current_id or 0}:{len(workshop.groups)}"


def state(request: HttpRequest, code: str) -> HttpResponse:
    """What the phones look at every few seconds: the phase and the question on the screen."""
    workshop = _workshop(code)
    if workshop is None:
        return HttpResponse(status=404 if _guess_allowed(request) else 429)
    response = HttpResponse(_state(workshop), content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response
