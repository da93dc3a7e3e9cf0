"""The facilitator's pages: start a session, write its questions, move the room through
them, hide or show results, open the projector's screen, and take the answers out as XLSX."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from platsa.accounts.requests import AuthenticatedRequest
from platsa.assessments import reports
from platsa.core.io.tabular import write_xlsx
from platsa.places.access import get_place_for_user, has_role, role_for
from platsa.places.models import Role
from platsa.processes.access import get_process_for_user
from platsa.processes.models import Process
from platsa.processes.services import PhaseError, process_set_phase
from platsa.web import live
from platsa.web.downloads import download
from platsa.workshops.entries import entry_moderate
from platsa.workshops.export import workshop_sheets
from platsa.workshops.forms import QuestionEditForm, QuestionForm, SettingsForm, WorkshopForm
from platsa.workshops.kind import WORKSHOP
from platsa.workshops.models import Answer, Entry, EntryVote, Question, Workshop
from platsa.workshops.results import by_group, compared, labels_of, question_results
from platsa.workshops.services import (
    WorkshopError,
    answer_hide,
    channel,
    question_add,
    question_delete,
    question_edit,
    question_move,
    workshop_configure,
    workshop_create,
    workshop_set_hidden,
    workshop_set_side_by_side,
    workshop_show,
)
from platsa.workshops.to_round import can_make_round, round_from_question


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


def _current(workshop: Workshop) -> dict[str, object]:
    """The question on the screen: for the room, and for each group when the screen shows
    them side by side (a bar-chart question's groups in one drawing, ``groups_compared``)."""
    question = workshop.current
    if question is None:
        return {"current": None, "groups_results": None}
    current = question_results(question, language=_lang())
    if not (workshop.side_by_side and workshop.groups):
        return {"current": current, "groups_results": None}
    columns = by_group(question, workshop.groups, language=_lang())
    return {
        "current": current,
        "groups_results": columns,
        "groups_compared": compared(current, columns),
    }


@login_required
def workshop_detail(
    request: AuthenticatedRequest,
    slug: str,
    process_slug: str,
    form: QuestionForm | None = None,
    settings_form: SettingsForm | None = None,
) -> HttpResponse:
    process, workshop, role = _load(request, slug, process_slug)
    questions = list(
        workshop.questions.select_related("round__process").annotate(
            n_answers=Count("answers", distinct=True), n_entries=Count("entries", distinct=True)
        )
    )
    for q in questions:
        q.makes_round = can_make_round(q)  # type: ignore[attr-defined]
        # A themes question's options are theme ids: the list shows their titles.
        q.option_labels = labels_of(q, _lang())  # type: ignore[attr-defined]
    context = {
        "place": process.place,
        "process": process,
        "workshop": workshop,
        "organiser": has_role(role, Role.ORGANISER),
        "questions": questions,
        "form": form or QuestionForm(),
        "settings_form": settings_form
        or SettingsForm(initial={"pace": workshop.pace, "groups": "\n".join(workshop.groups)}),
        "join_url": join_url(request, workshop),
        "participants": workshop.participants.count(),
        # Open-innovation processes of the place the answers can become ideas of.
        "idea_processes": list(
            Process.objects.filter(place=process.place, kind="innovation").order_by("-created_at")
        ),
        **_current(workshop),
    }
    bad = form is not None or settings_form is not None
    return render(request, "workshops/detail.html", context, status=400 if bad else 200)


@login_required
@require_POST
def workshop_settings_view(
    request: AuthenticatedRequest, slug: str, process_slug: str
) -> HttpResponse:
    _process, workshop, _role = _load(request, slug, process_slug, Role.ORGANISER)
    form = SettingsForm(request.POST)
    if not form.is_valid():
        return workshop_detail(request, slug, process_slug, settings_form=form)
    try:
        workshop_configure(
            workshop=workshop, pace=form.cleaned_data["pace"], groups=form.cleaned_data["groups"]
        )
    except WorkshopError as exc:
        form.add_error(
            "groups",
            _(
                "A group with phones in it would move to another line, and its people and answers with it into another group. Keep each group on its line: rename a group you no longer want instead of removing its line."
            )
            if exc.code == "groups_moved"
            else _(
                "Phones, answers or ideas are in the groups you took off the end of the list. Keep as many groups (you can rename them), or empty the list to switch groups off."
            ),
        )
        return workshop_detail(request, slug, process_slug, settings_form=form)
    messages.success(request, _("Saved: the session's pace and groups."))
    return redirect(reverse("workshops:detail", args=[slug, process_slug]) + "#settings")


@login_required
@require_POST
def side_by_side_view(request: AuthenticatedRequest, slug: str, process_slug: str) -> HttpResponse:
    _process, workshop, _role = _load(request, slug, process_slug, Role.ORGANISER)
    workshop_set_side_by_side(workshop=workshop, on=request.POST.get("on") == "1")
    return redirect(reverse("workshops:detail", args=[slug, process_slug]) + "#now")


@login_required
@require_POST
def round_from_question_view(
    request: AuthenticatedRequest, slug: str, process_slug: str, question_id: int
) -> HttpResponse:
    """The room's ratings per theme as an assessment round of the place (added to it again
    later: only the answers not yet in it)."""
    _process, workshop, _role = _load(request, slug, process_slug, Role.ORGANISER)
    question = get_object_or_404(Question, pk=question_id, workshop=workshop)
    try:
        round_, added = round_from_question(question=question, user=request.user)
    except WorkshopError:
        messages.error(
            request,
            _(
                "Only a scale per theme of a framework with one question per theme can become a round."
            ),
        )
        return redirect(reverse("workshops:detail", args=[slug, process_slug]) + "#questions")
    if not added:
        messages.info(
            request,
            _("Every answer of the session is in the round “%(name)s” already.")
            % {"name": round_.process.title},
        )
        return redirect("assessments:dashboard", slug=slug, round_slug=round_.process.slug)
    messages.success(
        request,
        ngettext(
            "%(n)s answer from the session is now a response in the round “%(name)s”.",
            "%(n)s answers from the session are now responses in the round “%(name)s”.",
            added,
        )
        % {"n": added, "name": round_.process.title},
    )
    return redirect("assessments:dashboard", slug=slug, round_slug=round_.process.slug)


@login_required
@require_POST
def entry_moderate_view(
    request: AuthenticatedRequest, slug: str, process_slug: str, entry_id: int
) -> HttpResponse:
    """Take an idea or a question off the board, or mark a question answered (or not)."""
    _process, workshop, _role = _load(request, slug, process_slug, Role.ORGANISER)
    entry = get_object_or_404(Entry, pk=entry_id, question__workshop=workshop)
    action = request.POST.get("action", "")
    entry_moderate(
        question=entry.question,
        entry_id=entry.pk,
        hidden={"hide": True, "show": False}.get(action),
        done={"done": True, "undone": False}.get(action),
    )
    return redirect(reverse("workshops:detail", args=[slug, process_slug]) + "#now")


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
                "The question was not added: write the question and, for multiple choice, ranking, points and 2×2, 2 to 10 different options; for a scale per theme, choose a framework."
            ),
        )
    return redirect(reverse("workshops:detail", args=[slug, process_slug]) + "#questions")


QUESTION_REFUSALS = {
    "no_prompt": gettext_lazy("Write the question."),
    "options": gettext_lazy("Write between 2 and 10 different options, one per line."),
    "options_answered": gettext_lazy(
        "Phones have answered already, so the options stay as they are (an answer is kept "
        "as the option's place in the list). Fix the question's wording, or add a new question."
    ),
    "has_answers": gettext_lazy(
        "The question has answers. Tick “delete its answers too” to delete it with them."
    ),
}


def _question_of(
    request: AuthenticatedRequest, slug: str, process_slug: str, question_id: int
) -> Question:
    _process, workshop, _role = _load(request, slug, process_slug, Role.ORGANISER)
    return get_object_or_404(Question, pk=question_id, workshop=workshop)


def _to_questions(slug: str, process_slug: str) -> HttpResponse:
    return redirect(reverse("workshops:detail", args=[slug, process_slug]) + "#questions")


@login_required
@require_POST
def question_edit_view(
    request: AuthenticatedRequest, slug: str, process_slug: str, question_id: int
) -> HttpResponse:
    question = _question_of(request, slug, process_slug, question_id)
    form = QuestionEditForm(request.POST)
    if not form.is_valid():
        messages.error(request, QUESTION_REFUSALS["no_prompt"])
        return _to_questions(slug, process_slug)
    try:
        question_edit(question=question, **form.cleaned_data)
    except WorkshopError as exc:
        messages.error(request, QUESTION_REFUSALS.get(exc.code, QUESTION_REFUSALS["no_prompt"]))
    else:
        messages.success(
            request, _("Saved: “%(prompt)s”.") % {"prompt": form.cleaned_data["prompt"]}
        )
    return _to_questions(slug, process_slug)


@login_required
@require_POST
def question_delete_view(
    request: AuthenticatedRequest, slug: str, process_slug: str, question_id: int
) -> HttpResponse:
    question = _question_of(request, slug, process_slug, question_id)
    prompt = question.prompt
    try:
        question_delete(question=question, with_answers=request.POST.get("with_answers") == "1")
    except WorkshopError as exc:
        messages.error(request, QUESTION_REFUSALS[exc.code])
    else:
        messages.success(request, _("Deleted: “%(prompt)s”.") % {"prompt": prompt})
    return _to_questions(slug, process_slug)


@login_required
@require_POST
def question_move_view(
    request: AuthenticatedRequest, slug: str, process_slug: str, question_id: int
) -> HttpResponse:
    question = _question_of(request, slug, process_slug, question_id)
    question_move(question=question, up=request.POST.get("direction") == "up")
    return redirect(
        reverse("workshops:detail", args=[slug, process_slug]) + f"#question-{question.pk}"
    )


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
    """Every answer, idea and question so far: during the session as after it."""
    process, workshop, _role = _load(request, slug, process_slug, Role.ORGANISER)
    return download(
        write_xlsx(workshop_sheets(workshop, language=_lang())),
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
        **_current(workshop),
        "participants": workshop.participants.count(),
        "screen": True,
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
        # Without "https://": fewer letters to type from the back of the room.
        "join_url": request.build_absolute_uri(reverse("workshops_public:join")).split("://")[-1],
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
            .values_list("current_id", "results_hidden", "side_by_side")
            .first()
        )
        counts = [
            *Answer.objects.filter(question__workshop=workshop)
            .aggregate(n=Count("pk"), hidden=Count("pk", filter=Q(hidden=True)))
            .values(),
            *Entry.objects.filter(question__workshop=workshop)
            .aggregate(
                n=Count("pk"),
                hidden=Count("pk", filter=Q(hidden=True)),
                done=Count("pk", filter=Q(done=True)),
            )
            .values(),
            EntryVote.objects.filter(entry__question__workshop=workshop).count(),
        ]
        return f"q:{current[0] or 0}:{current[1]}:{current[2]}:{counts}" if current else ""

    return live.stream(request, channel(workshop), probe=stamp)


@login_required
@require_POST
def ideas_from_question_view(
    request: AuthenticatedRequest, slug: str, process_slug: str, question_id: int
) -> HttpResponse:
    """The question's open answers, brainstorm ideas or Q&A questions as ideas of one of the
    place's open-innovation processes (again later: only the new ones)."""
    from platsa.innovation.from_workshop import ideas_from_workshop
    from platsa.innovation.services import InnovationError

    process, workshop, _role = _load(request, slug, process_slug, Role.ORGANISER)
    question = get_object_or_404(Question, pk=question_id, workshop=workshop)
    chosen = request.POST.get("process", "")[:12]
    target = (
        Process.objects.filter(pk=int(chosen), place=process.place, kind="innovation").first()
        if chosen.isascii() and chosen.isdigit()
        else None
    )
    back = redirect(reverse("workshops:detail", args=[slug, process_slug]) + "#questions")
    if target is None:
        messages.error(request, _("Choose one of the place's open-innovation processes."))
        return back
    try:
        made = ideas_from_workshop(process=target, question=question, actor=request.user)
    except InnovationError:
        messages.error(
            request, _("Only open answers, brainstorm ideas and Q&A questions can become ideas.")
        )
        return back
    if not made:
        messages.info(
            request,
            _(
                "Nothing new to bring over: every answer of this question is an idea in “%(name)s” already."
            )
            % {"name": target.title},
        )
        return redirect("innovation:ideas", slug=slug, process_slug=target.slug)
    messages.success(
        request,
        ngettext(
            "%(n)s answer is now an idea in “%(name)s”.",
            "%(n)s answers are now ideas in “%(name)s”.",
            made,
        )
        % {"n": made, "name": target.title},
    )
    return redirect("innovation:ideas", slug=slug, process_slug=target.slug)
