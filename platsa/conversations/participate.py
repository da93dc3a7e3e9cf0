"""The participants' pages of a conversation, at /samtal/<id>/: one statement at a time to
agree with, disagree with or pass, their own statements with where each went, and the
results. No account is needed: a browser is known by a random token in a cookie."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from platsa.conversations import selectors
from platsa.conversations.forms import StatementForm
from platsa.conversations.models import Conversation, Participant, Statement
from platsa.conversations.presenters import results_context
from platsa.conversations.services import (
    ConversationError,
    participant_erase,
    participant_export,
    participant_for,
    statement_submit,
    vote_cast,
)
from platsa.core.analysis.near_duplicates import near_duplicates
from platsa.places.access import has_role
from platsa.places.models import Membership, Role
from platsa.processes.access import require_feature
from platsa.processes.kinds import Feature
from platsa.web.downloads import json_download
from platsa.web.limits import small_form_post
from platsa.web.ratelimit import hit

VOTER_COOKIE = "platsa_voter"
VOTER_MAX_AGE = 400 * 24 * 3600

ERRORS = {
    "bad_vote": _("That vote was not understood. Choose agree, disagree or pass."),
    "no_statement": _("That statement is no longer shown. Here is the next one."),
    "no_statements": _("This conversation takes votes only, no new statements."),
    "too_short": _("Write a little more: at least three characters."),
    "exists": _("That statement is already in the conversation."),
}


def _conversation(public_id: str) -> Conversation:
    return get_object_or_404(
        Conversation.objects.select_related("process__place"), public_id=public_id[:16]
    )


def _token(request: HttpRequest) -> tuple[str, bool]:
    token = request.COOKIES.get(VOTER_COOKIE, "")
    if len(token) == 43 and token.replace("-", "").replace("_", "").isalnum():
        return token, False
    return secrets.token_urlsafe(32), True


def _participant(
    request: HttpRequest, conversation: Conversation, *, create: bool
) -> tuple[Participant | None, str | None]:
    """The participant of this visit, and a new token to set when one was made."""
    token, new = _token(request)
    user = request.user if request.user.is_authenticated else None
    participant = participant_for(
        conversation,
        user=user,
        token=None if (new and not create) else token,
        create=create,  # type: ignore[arg-type]
    )
    return participant, (token if new and participant is not None and user is None else None)


def _with_cookie(response: HttpResponse, token: str | None) -> HttpResponse:
    if token:
        response.set_cookie(
            VOTER_COOKIE,
            token,
            max_age=VOTER_MAX_AGE,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response


def _is_member(request: HttpRequest, conversation: Conversation) -> bool:
    if not request.user.is_authenticated:
        return False
    role = (
        Membership.objects.filter(place_id=conversation.process.place_id, user=request.user)
        .values_list("role", flat=True)
        .first()
    )
    return has_role(role, Role.VIEWER)  # type: ignore[arg-type]


def take_part(request: HttpRequest, public_id: str) -> HttpResponse:
    conversation = _conversation(public_id)
    process = conversation.process
    participant, _new = _participant(request, conversation, create=False)
    statement = selectors.next_statement(conversation, participant)
    context = {
        "conversation": conversation,
        "process": process,
        "place": process.place,
        "open": process.allows(Feature.OPINE),
        "can_write": process.allows(Feature.PROPOSE) and conversation.participants_add,
        "statement": statement,
        "progress": selectors.progress(conversation, participant),
        "own": selectors.own_statements(participant),
        "form": StatementForm(),
        "results_visible": conversation.results_public or _is_member(request, conversation),
    }
    return render(request, "conversations/take_part.html", context)


@require_POST
@small_form_post
def vote(request: HttpRequest, public_id: str) -> HttpResponse:
    conversation = _conversation(public_id)
    require_feature(conversation.process, Feature.OPINE)
    if not hit(request, f"opinion-vote:{conversation.pk}", settings.PLATSA_OPINION_VOTE_RATE):
        messages.error(request, _("Many votes in a short time: wait a minute and vote again."))
        return redirect("conversations_public:take_part", public_id=public_id)
    try:
        statement_id = int(request.POST.get("statement", ""))
        value = int(request.POST.get("vote", ""))
    except ValueError:
        messages.error(request, ERRORS["bad_vote"])
        return redirect("conversations_public:take_part", public_id=public_id)
    participant, new_token = _participant(request, conversation, create=True)
    assert participant is not None
    try:
        cast = vote_cast(participant=participant, statement_id=statement_id, value=value)
    except ConversationError as exc:
        messages.error(request, ERRORS[exc.code])
    else:
        said = {1: _("You agree"), -1: _("You disagree"), 0: _("You passed on")}[cast.value]
        messages.success(
            request, _("Saved. %(said)s: “%(text)s”") % {"said": said, "text": cast.statement.text}
        )
    return _with_cookie(redirect("conversations_public:take_part", public_id=public_id), new_token)


@require_POST
@small_form_post
def write(request: HttpRequest, public_id: str) -> HttpResponse:
    """A participant's own statement. The shown statements most like it are offered first
    (vote on one of them instead, or send it anyway)."""
    conversation = _conversation(public_id)
    require_feature(conversation.process, Feature.PROPOSE)
    form = StatementForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("conversations_public:take_part", public_id=public_id)
    text = " ".join(form.cleaned_data["text"].split())
    shown = [(str(pk), t) for pk, t in selectors.shown(conversation).values_list("pk", "text")]
    near = near_duplicates(text, shown)
    if near and not form.cleaned_data["confirmed"]:
        return render(
            request,
            "conversations/similar.html",
            {
                "conversation": conversation,
                "place": conversation.process.place,
                "text": text,
                "near": [Statement(pk=int(n.id), text=n.text) for n in near],
            },
        )
    if not hit(request, f"opinion-write:{conversation.pk}", settings.PLATSA_OPINION_WRITE_RATE):
        messages.error(
            request, _("Many statements in a short time: wait a while and send it again.")
        )
        return redirect("conversations_public:take_part", public_id=public_id)
    participant, new_token = _participant(request, conversation, create=True)
    assert participant is not None
    similar_to = None
    if near:
        similar_to = selectors.shown(conversation).filter(pk=int(near[0].id)).first()
    try:
        sent = statement_submit(participant=participant, text=text, similar_to=similar_to)
    except ConversationError as exc:
        messages.error(request, ERRORS[exc.code])
    else:
        if sent.shown:
            messages.success(
                request, _("Thank you. Your statement is now shown to the other participants.")
            )
        else:
            messages.success(
                request,
                _(
                    "Thank you. Your statement has been received and is shown once a moderator has read it. You can see its status below."
                ),
            )
    return _with_cookie(
        redirect("conversations_public:take_part", public_id=public_id),
        new_token,
    )


def results(request: HttpRequest, public_id: str) -> HttpResponse:
    conversation = _conversation(public_id)
    member = _is_member(request, conversation)
    if not conversation.results_public and not member:
        return render(
            request,
            "conversations/results_hidden.html",
            {"conversation": conversation, "place": conversation.process.place},
            status=403,
        )
    participant, _new = _participant(request, conversation, create=False)
    context = {
        "conversation": conversation,
        "process": conversation.process,
        "place": conversation.process.place,
        "mine": None,
        # Fetched again every few seconds only when asked (a projector), and with a link
        # to stop (WCAG 2.2.2).
        "live": request.GET.get("live") == "1" and conversation.process.phase == "open",
        **results_context(conversation, member=member),
    }
    found = context["results"]
    if participant is not None and found:
        analysis = selectors.analysis(conversation)
        group = (analysis.result.get("members", {}) if analysis else {}).get(str(participant.pk))
        context["mine"] = next((g for g in found["groups"] if g["id"] == group), None)
    return render(request, "conversations/results.html", context)


def export_own(request: HttpRequest, public_id: str) -> HttpResponse:
    """What is stored about this participant in the conversation (GDPR art. 15 and 20)."""
    conversation = _conversation(public_id)
    participant, _new = _participant(request, conversation, create=False)
    return json_download(participant_export(participant), "mina-roster.json")


@require_POST
@small_form_post
def delete_own(request: HttpRequest, public_id: str) -> HttpResponse:
    """The participant's votes go (GDPR art. 17); their statements stay, unlinked from them,
    and the browser is forgotten."""
    conversation = _conversation(public_id)
    participant, _new = _participant(request, conversation, create=False)
    if participant is not None:
        participant_erase(participant=participant)
    messages.success(
        request, _("Your votes are deleted. Your statements stay, without a link to you.")
    )
    response = redirect("conversations_public:take_part", public_id=public_id)
    if not request.user.is_authenticated:
        response.delete_cookie(VOTER_COOKIE, samesite="Lax")
    return response


def results_live(request: HttpRequest, public_id: str) -> HttpResponse:
    """The results alone, for the page to fetch again every few seconds while the
    conversation is open (a projector in the room)."""
    conversation = _conversation(public_id)
    member = _is_member(request, conversation)
    if not conversation.results_public and not member:
        return HttpResponse(status=403)
    context = {"conversation": conversation, **results_context(conversation, member=member)}
    return render(request, "conversations/_results.html", context)
