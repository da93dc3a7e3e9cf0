"""The organisers' pages of a conversation: start one, write its seed statements, share
its link, moderate what participants send, open and close it, read the results and take
the data out (the moderation log, Pol.is's export format)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from platsa.accounts.requests import AuthenticatedRequest
from platsa.assessments import reports
from platsa.conversations import selectors
from platsa.conversations.forms import ConversationForm, ModerationForm, SeedForm, SettingsForm
from platsa.conversations.kind import CONVERSATION
from platsa.conversations.models import Conversation, ModerationEvent, Statement
from platsa.conversations.polis_export import export_zip
from platsa.conversations.polis_import import PolisImportError, read_upload
from platsa.conversations.presenters import results_context
from platsa.conversations.services import (
    ConversationError,
    conversation_create,
    conversation_import_polis,
    conversation_update,
    statement_moderate,
    statements_seed,
)
from platsa.core.io.tabular import write_csv
from platsa.places.access import get_place_for_user, has_role
from platsa.places.models import Role
from platsa.processes.access import get_process_for_user
from platsa.processes.models import Process
from platsa.processes.services import PhaseError, process_set_phase
from platsa.web.downloads import download


def _load(
    request: AuthenticatedRequest, slug: str, process_slug: str, needs: Role = Role.VIEWER
) -> tuple[Process, Conversation, Role]:
    process, role = get_process_for_user(
        request, slug, process_slug, kind=CONVERSATION.id, needs=needs
    )
    return process, Conversation.objects.get(process=process), role


def public_url(request: AuthenticatedRequest, conversation: Conversation) -> str:
    return request.build_absolute_uri(
        reverse("conversations_public:take_part", args=[conversation.public_id])
    )


@login_required
def conversation_create_view(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    place, _role = get_place_for_user(request, slug, needs=Role.ORGANISER)
    form = ConversationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        conversation = conversation_create(place=place, user=request.user, **form.cleaned_data)
        messages.success(
            request, _("The conversation is ready. Write its first statements, then open it.")
        )
        return redirect(
            "conversations:detail", slug=place.slug, process_slug=conversation.process.slug
        )
    return render(request, "conversations/create.html", {"place": place, "form": form})


STATEMENTS_LISTED = 300  # the newest; all of them are in the Pol.is export


@login_required
def conversation_detail(
    request: AuthenticatedRequest, slug: str, process_slug: str
) -> HttpResponse:
    process, conversation, role = _load(request, slug, process_slug)
    return _detail(request, process, conversation, role)


def _detail(
    request: AuthenticatedRequest,
    process: Process,
    conversation: Conversation,
    role: Role,
    *,
    seed_form: SeedForm | None = None,
    settings_form: SettingsForm | None = None,
    status: int = 200,
) -> HttpResponse:
    organiser = has_role(role, Role.ORGANISER)
    context = {
        "place": process.place,
        "process": process,
        "conversation": conversation,
        "organiser": organiser,
        "counts": selectors.counts(conversation),
        "pending": list(
            Statement.objects.filter(
                conversation=conversation, status=Statement.Status.PENDING
            ).select_related("similar_to")[:50]
        ),
        "statements": selectors.statement_rows(conversation).order_by("-pk")[:STATEMENTS_LISTED],
        "statements_limit": STATEMENTS_LISTED,
        "seed_form": seed_form or SeedForm(),
        "settings_form": settings_form
        or SettingsForm(
            initial={
                "question": conversation.question,
                "description": conversation.description,
                "participants_add": conversation.participants_add,
                "strict": conversation.strict,
                "results_public": conversation.results_public,
            }
        ),
        "public_url": public_url(request, conversation),
        **results_context(conversation, member=True),
    }
    return render(request, "conversations/detail.html", context, status=status)


@login_required
@require_POST
def conversation_seed(request: AuthenticatedRequest, slug: str, process_slug: str) -> HttpResponse:
    process, conversation, role = _load(request, slug, process_slug, Role.ORGANISER)
    form = SeedForm(request.POST)
    if not form.is_valid():  # the lines come back in the box, the reason beside it
        return _detail(request, process, conversation, role, seed_form=form, status=400)
    if form.is_valid():
        added = statements_seed(
            conversation=conversation, user=request.user, texts=form.cleaned_data["statements"]
        )
        messages.success(
            request,
            ngettext("%(n)s statement added.", "%(n)s statements added.", added) % {"n": added},
        )
    return redirect("conversations:detail", slug=slug, process_slug=process_slug)


@login_required
@require_POST
def conversation_settings(
    request: AuthenticatedRequest, slug: str, process_slug: str
) -> HttpResponse:
    process, conversation, role = _load(request, slug, process_slug, Role.ORGANISER)
    form = SettingsForm(request.POST)
    if not form.is_valid():
        return _detail(request, process, conversation, role, settings_form=form, status=400)
    conversation_update(conversation=conversation, user=request.user, **form.cleaned_data)
    messages.success(request, _("Settings saved."))
    return redirect("conversations:detail", slug=slug, process_slug=process_slug)


@login_required
@require_POST
def conversation_phase(request: AuthenticatedRequest, slug: str, process_slug: str) -> HttpResponse:
    process, conversation, _role = _load(request, slug, process_slug, Role.ORGANISER)
    phase = request.POST.get("phase", "")
    try:
        process_set_phase(process=process, phase=phase, actor=request.user)
    except (PhaseError, KeyError):
        messages.error(request, _("The conversation cannot move to that phase from here."))
    else:
        if phase == "open" and not selectors.shown(conversation).exists():
            messages.warning(
                request, _("The conversation is open, but it has no statements to vote on yet.")
            )
        else:
            messages.success(
                request,
                _("The conversation's phase is now “%(phase)s”.")
                % {"phase": process.phase_spec.label},
            )
    return redirect("conversations:detail", slug=slug, process_slug=process_slug)


@login_required
@require_POST
def statement_moderate_view(
    request: AuthenticatedRequest, slug: str, process_slug: str, statement_id: int
) -> HttpResponse:
    _process, conversation, _role = _load(request, slug, process_slug, Role.ORGANISER)
    statement = get_object_or_404(Statement, pk=statement_id, conversation=conversation)
    form = ModerationForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _(
                "Nothing was decided about “%(text)s”: choose show or do not show, and keep the reason under 300 characters."
            )
            % {"text": statement.text},
        )
    else:
        try:
            statement_moderate(
                statement=statement,
                user=request.user,
                show=form.cleaned_data["decision"] == "show",
                reason=form.cleaned_data["reason"],
            )
        except ConversationError:
            messages.error(
                request,
                _("“%(text)s” is shown already, word for word: keep this one out.")
                % {"text": statement.text},
            )
        else:
            messages.success(request, _("Decision saved: “%(text)s”.") % {"text": statement.text})
    return redirect(reverse("conversations:detail", args=[slug, process_slug]) + "#moderation")


@login_required
def moderation_log(request: AuthenticatedRequest, slug: str, process_slug: str) -> HttpResponse:
    """The moderation log as CSV: every statement sent, flagged, shown or kept out, when,
    by whom (an organiser's address; participants are not named) and why."""
    process, conversation, _role = _load(request, slug, process_slug, Role.ORGANISER)
    events = (
        ModerationEvent.objects.filter(statement__conversation=conversation)
        .select_related("statement", "actor")
        .order_by("at", "pk")
    )
    # In the reader's language and local time (with its offset, so the file is exact).
    data = write_csv(
        [
            _("time"),
            _("statement no."),
            _("statement"),
            _("from"),
            _("action"),
            _("by"),
            _("reason"),
        ],
        (
            [
                timezone.localtime(e.at).isoformat(timespec="seconds"),
                e.statement_id,
                e.statement.text,
                _("the organisers (seed)") if e.statement.is_seed else _("a participant"),
                e.get_action_display(),
                e.actor.email if e.actor else "",
                e.reason,
            ]
            for e in events
        ),
    )
    return download(data, "text/csv", f"moderering-{process.slug}.csv")


@login_required
def polis_export(request: AuthenticatedRequest, slug: str, process_slug: str) -> HttpResponse:
    """The conversation in Pol.is's open-data export format (platsa.conversations.
    polis_export), each participant's group from the latest analysis."""
    process, conversation, _role = _load(request, slug, process_slug, Role.ORGANISER)
    return download(export_zip(conversation), "application/zip", f"samtal-{process.slug}.zip")


def qr_code(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    """The participants' link as a QR code (SVG) for a slide or a poster."""
    conversation = get_object_or_404(Conversation, public_id=public_id)
    return HttpResponse(
        reports.qr_svg(public_url(request, conversation)), content_type="image/svg+xml"
    )


IMPORT_ERRORS = {
    "too_big": gettext_lazy("The file is too large to import here (at most 64 MB unpacked)."),
    "not_zip": gettext_lazy("The file is not a ZIP archive. Choose the ZIP, or the two CSV files."),
    "missing_files": gettext_lazy("Both comments.csv and votes.csv are needed."),
    "format": gettext_lazy("The file is not a Pol.is export: %(detail)s"),
    "too_many_comments": gettext_lazy(
        "More than 5,000 comments: use `platsa opinion` on the command line."
    ),
    "too_many_votes": gettext_lazy(
        "More than 300,000 votes: use `platsa opinion` on the command line."
    ),
    "unknown_comments": gettext_lazy(
        "votes.csv has votes on comments that comments.csv lacks: %(detail)s"
    ),
    "has_votes": gettext_lazy(
        "This conversation already has votes: import into a new conversation."
    ),
    "duplicate_comments": gettext_lazy(
        "comments.csv has the same comment-id on more than one row."
    ),
}


@login_required
@require_POST
def conversation_import(
    request: AuthenticatedRequest, slug: str, process_slug: str
) -> HttpResponse:
    """An existing Pol.is conversation's export, brought in to be analysed here."""
    _process, conversation, _role = _load(request, slug, process_slug, Role.ORGANISER)
    try:
        export = read_upload(
            archive=request.FILES.get("archive"),
            comments=request.FILES.get("comments"),
            votes=request.FILES.get("votes"),
        )
        n_statements, n_participants, n_votes = conversation_import_polis(
            conversation=conversation, user=request.user, export=export
        )
    except (PolisImportError, ConversationError) as exc:
        detail = getattr(exc, "detail", "")
        messages.error(request, str(IMPORT_ERRORS[exc.code]) % {"detail": detail})
    else:
        messages.success(
            request,
            _("Imported from Pol.is. Statements: %(s)s. Participants: %(p)s. Votes: %(v)s.")
            % {"s": n_statements, "p": n_participants, "v": n_votes},
        )
    return redirect("conversations:detail", slug=slug, process_slug=process_slug)
