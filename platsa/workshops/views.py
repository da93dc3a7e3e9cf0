"""The facilitator's pages: start a session, write its questions, move the room through
them, hide or show results, open the projector's screen, and take the answers out as XLSX."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from platsa.accounts.requests import AuthenticatedRequest
from platsa.assessments import reports
from platsa.core.io.tabular import Sheet, write_xlsx
from platsa.places.access import get_place_for_user, has_role, role_for
from platsa.places.models import Role
from platsa.processes.access import get_process_for_user
from platsa.processes.models import Process
from platsa.processes.services import PhaseError, process_set_phase
from platsa.web import live
from platsa.web.downloads import download
from platsa.workshops.forms import QuestionForm, WorkshopForm
from platsa.workshops.kind import WORKSHOP
from platsa.workshops.models import Answer, Question, Workshop
from platsa.workshops.results import question_results
from platsa.workshops.services import (
    WorkshopError,
    answer_hide,
    channel,
    question_add,
    workshop_create,
    workshop_set_hidden,
    workshop_show,
)


def _lang() -> str:
    return (get_language() or "sv")[:2]


def _load(
    request: AuthenticatedRequest, slug: str, process_slug: str, needs: Role = Role.VIEWER
) -> tuple[Process, Workshop, Role]:
    process, role = get_process_for_user(request, slug, process_slug, kind=WORKSHOP.id, needs=needs)
    return process, Workshop.objects.select_related("current").get(process=process), role


def join_url(request: HttpRequest, workshop: Workshop) -> str:
    return request.build_absolute_uri(reverse("workshops_public:session", args=[workshop.code]))


@login_required
def workshop_create_view(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    place, _role = get_place_for_user(request, slug, needs=Role.ORGANISER)
    form = WorkshopForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        workshop = workshop_create(place=place, user=request.user, title=form.cleaned_data["title"])
        messages.success(request, _("The session is ready. Write its questions, then start it."))
        return redirect("workshops:detail", slug=place.slug, process_slug=workshop.process.slug)
    return render(request, "workshops/create.html", {"place": place, "form": form})


@login_required
def workshop_detail(
    request: AuthenticatedRequest, slug: str, process_slug: str, form: QuestionForm | None = None
) -> HttpResponse:
    process, workshop, role = _load(request, slug, process_slug)
    questions = list(workshop.questions.all())
    context = {
        "place": process.place,
        "process": process,
        "workshop": workshop,
        "organiser": has_role(role, Role.ORGANISER),
        "questions": questions,
        "form": form or QuestionForm(),
        "join_url": join_url(request, workshop),
        "participants": workshop.participants.count(),
        "current": question_results(workshop.current, language=_lang())
        if workshop.current
        else None,
    }
    return render(request, "workshops/detail.html", context, status=400 if form else 200)


@login_required
@require_POST
def question_add_view(request: AuthenticatedRequest, slug: str, process_slug: str) -> HttpResponse:
    _process, workshop, _role = _load(request, slug, process_slug, Role.ORGANISER)
    form = QuestionForm(request.POST)
    if not form.is_valid():
        return workshop_detail(request, slug, process_slug, form=form)
    try:
        question_add(workshop=workshop, **form.cleaned_data)
    except WorkshopError as exc:
        messages.error(
            request,
            _("At most 60 questions in a session.")
            if exc.code == "too_many_questions"
            else _(
                "The question was not added: write the question and, for multiple choice, 2 to 10 different options."
            ),
        )
    return redirect(reverse("workshops:detail", args=[slug, process_slug]) + "#questions")


@login_required
@require_POST
def workshop_show_view(request: AuthenticatedRequest, slug: str, process_slug: str) -> HttpResponse:
    """Put a question on every screen (or the pause screen)."""
    process, workshop, _role = _load(request, slug, process_slug, Role.ORGANISER)
    question_id = request.POST.get("question", "")
    number = int(question_id) if question_id.isascii() and question_id.isdecimal() else 0
    question = get_object_or_404(Question, pk=number, workshop=workshop) if number else None
    if question is not None and process.phase != "live":
        try:
            process_set_phase(process=process, phase="live", actor=request.user)
        except PhaseError:
            messages.error(request, _("The session cannot go live from here."))
            return redirect("workshops:detail", slug=slug, process_slug=process_slug)
    workshop_show(workshop=workshop, question=question)
    return redirect(reverse("workshops:detail", args=[slug, process_slug]) + "#now")


@login_required
@require_POST
def workshop_hide_view(request: AuthenticatedRequest, slug: str, process_slug: str) -> HttpResponse:
    _process, workshop, _role = _load(request, slug, process_slug, Role.ORGANISER)
    workshop_set_hidden(workshop=workshop, hidden=request.POST.get("hidden") == "1")
    return redirect(reverse("workshops:detail", args=[slug, process_slug]) + "#now")


@login_required
@require_POST
def workshop_close_view(
    request: AuthenticatedRequest, slug: str, process_slug: str
) -> HttpResponse:
    process, workshop, _role = _load(request, slug, process_slug, Role.ORGANISER)
    try:
        process_set_phase(process=process, phase="closed", actor=request.user)
    except PhaseError:
        messages.error(request, _("The session is not live."))
    else:
        workshop_show(workshop=workshop, question=None)
        messages.success(
            request, _("The session is closed. Its answers stay here and in the export.")
        )
    return redirect("workshops:detail", slug=slug, process_slug=process_slug)


@login_required
@require_POST
def answer_hide_view(
    request: AuthenticatedRequest, slug: str, process_slug: str, answer_id: int
) -> HttpResponse:
    _process, workshop, _role = _load(request, slug, process_slug, Role.ORGANISER)
    answer_hide(workshop=workshop, answer_id=answer_id)
    return redirect(reverse("workshops:detail", args=[slug, process_slug]) + "#now")


@login_required
def workshop_export(request: AuthenticatedRequest, slug: str, process_slug: str) -> HttpResponse:
    """Every answer so far, one sheet: during the session as after it."""
    process, workshop, _role = _load(request, slug, process_slug, Role.ORGANISER)
    rows = []
    for a in (
        Answer.objects.filter(question__workshop=workshop)
        .select_related("question")
        .order_by("question__position", "answered_at")
    ):
        q = a.question
        shown = (
            q.options[a.choice]
            if q.kind == Question.Kind.CHOICE and a.choice is not None and a.choice < len(q.options)
            else a.value
            if q.kind == Question.Kind.SCALE
            else a.text
        )
        rows.append(
            [
                q.position,
                q.prompt,
                q.get_kind_display(),
                a.participant_id,
                shown,
                _("hidden") if a.hidden else "",
                a.answered_at.isoformat(timespec="seconds"),
            ]
        )
    sheet = Sheet(
        title=_("Answers"),
        header=[
            _("No."),
            _("Question"),
            _("Kind"),
            _("Participant"),
            _("Answer"),
            _("Taken down"),
            _("Time"),
        ],
        rows=rows,
    )
    return download(
        write_xlsx([sheet]),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"workshop-{process.slug}.xlsx",
    )


# --- the projector -------------------------------------------------------------------------


def _member_workshop(request: HttpRequest, code: str) -> Workshop | None:
    workshop = (
        Workshop.objects.select_related("process__place", "current").filter(code=code[:8]).first()
    )
    if workshop is None:
        return None
    return (
        workshop if has_role(role_for(request.user, workshop.process.place), Role.VIEWER) else None
    )


def _screen_context(workshop: Workshop) -> dict[str, object]:
    return {
        "workshop": workshop,
        "current": question_results(workshop.current, language=_lang())
        if workshop.current
        else None,
        "participants": workshop.participants.count(),
    }


def screen(request: HttpRequest, code: str) -> HttpResponse:
    """The projector: the code to join, the question and its answers as they come, in type
    readable from the back of a room. For the place's members (the facilitator's laptop)."""
    workshop = _member_workshop(request, code)
    if workshop is None:
        if request.user.is_authenticated:  # signed in, but not a member: nothing to show
            raise Http404
        return redirect(f"{reverse('account_login')}?next={request.path}")
    context = {
        **_screen_context(workshop),
        "join_url": request.build_absolute_uri(reverse("workshops_public:join")),
        "qr": mark_qr(join_url(request, workshop)),
    }
    return render(request, "workshops/screen.html", context)


def mark_qr(url: str) -> str:
    from django.utils.safestring import mark_safe

    return mark_safe(reports.qr_svg_inline(url))


def screen_part(request: HttpRequest, code: str) -> HttpResponse:
    workshop = _member_workshop(request, code)
    if workshop is None:
        return HttpResponse(status=403)
    return render(request, "workshops/_screen.html", _screen_context(workshop))


def events(request: HttpRequest, code: str) -> HttpResponseBase:
    """The session's server-sent events, for the projector (the place's members; phones
    look at the small state instead): which question is on the screen, and that answers
    arrived."""
    workshop = _member_workshop(request, code)
    if workshop is None:
        return HttpResponse(status=403)

    def stamp() -> str:
        current = (
            Workshop.objects.filter(pk=workshop.pk)
            .values_list("current_id", "results_hidden")
            .first()
        )
        n = Answer.objects.filter(question__workshop=workshop).count()
        return f"q:{current[0] or 0}:{current[1]}:{n}" if current else ""

    return live.stream(request, channel(workshop), probe=stamp)
