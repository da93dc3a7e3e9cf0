"""The participants' pages of a conversation, at /samtal/<id>/: one statement at a time to
agree with, disagree with or pass, their own statements with where each went, and the
results. No account is needed: a browser is known by a random token in a cookie."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from platsa.conversations import selectors
from platsa.conversations.analysis import live_channel
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
from platsa.places.access import has_role, role_for
from platsa.places.models import Role
from platsa.processes.access import require_feature
from platsa.processes.kinds import Feature
from platsa.web import live
from platsa.web.browser_token import browser_token, remember_browser
from platsa.web.downloads import json_download
from platsa.web.limits import small_form_post
from platsa.web.ratelimit import hit

VOTER_COOKIE = "platsa_voter"
VOTER_MAX_AGE = 400 * 24 * 3600

ERRORS = {
    "bad_vote": gettext_lazy("That vote was not understood. Choose agree, disagree or pass."),
    "no_statement": gettext_lazy("That statement is no longer shown. Here is the next one."),
    "no_statements": gettext_lazy("This conversation takes votes only, no new statements."),
    "too_short": gettext_lazy("Write a little more: at least three characters."),
    "too_long": gettext_lazy("Make it shorter: at most 280 characters."),
    "exists": gettext_lazy(
        "That statement is already shown in the conversation: vote on it instead."
    ),
    "votes_rate": gettext_lazy("Many votes in a short time: wait a minute and vote again."),
    "write_rate": gettext_lazy(
        "Many statements in a short time: wait a while and send it again. Your text is kept below."
    ),
}


def _conversation(public_id: str) -> Conversation:
    return get_object_or_404(
        Conversation.objects.select_related("process__place"), public_id=public_id[:16]
    )


def _post_only(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """A form's address opened as a page (a language switch, a reload, a shared link) leads
    to the conversation, not to an empty "method not allowed"."""

    @wraps(view)
    def wrapped(request: HttpRequest, public_id: str) -> HttpResponseBase:
        if request.method != "POST":
            return redirect("conversations_public:take_part", public_id=public_id[:16])
        return view(request, public_id)

    return wrapped


def _token(request: HttpRequest) -> tuple[str, bool]:
    return browser_token(request, VOTER_COOKIE)


def _participant(
    request: HttpRequest, conversation: Conversation, *, create: bool
) -> tuple[Participant | None, str | None]:
    """The participant of this visit, and a new token to set when one was made."""
    token, new = _token(request)
    user = request.user if request.user.is_authenticated else None
    participant = participant_for(
        conversation,
        user=user,  # type: ignore[arg-type]
        token=None if (new and not create) else token,
        create=create,
    )
    return participant, (token if new and participant is not None and user is None else None)


def _allowed(request: HttpRequest, conversation: Conversation, kind: str) -> bool:
    """Per participant (their cookie or account), and a much higher ceiling per address:
    a room on one Wi-Fi, or a town behind one mobile operator's address, shares it."""
    # A browser without the cookie yet gets its token on this request: counted under it.
    who = f"u{request.user.pk}" if request.user.is_authenticated else _token(request)[0]
    rates = {
        "vote": (settings.PLATSA_OPINION_VOTE_RATE, settings.PLATSA_OPINION_VOTE_RATE_ADDRESS),
        "write": (settings.PLATSA_OPINION_WRITE_RATE, settings.PLATSA_OPINION_WRITE_RATE_ADDRESS),
    }
    own, address = rates[kind]
    return hit(request, f"opinion-{kind}:{conversation.pk}:{who}", own) and hit(
        request, f"opinion-{kind}-all:{conversation.pk}", address
    )


def _with_cookie(request: HttpRequest, response: HttpResponse, token: str | None) -> HttpResponse:
    """Set the voter cookie when this request made a participant with a new token."""
    if token:
        remember_browser(response, request, VOTER_COOKIE, max_age=VOTER_MAX_AGE)
    return response


def _is_member(request: HttpRequest, conversation: Conversation) -> bool:
    return has_role(role_for(request.user, conversation.process.place), Role.VIEWER)


def _next_page(public_id: str) -> str:
    # To the statement, not the top of the page: a phone lands on the next card, and focus
    # starts where the progress says what was saved.
    return reverse("conversations_public:take_part", args=[public_id]) + "#vote-area"


def _page(
    request: HttpRequest,
    conversation: Conversation,
    *,
    form: StatementForm | None = None,
    status: int = 200,
) -> HttpResponse:
    process = conversation.process
    participant, _new = _participant(request, conversation, create=False)
    context = {
        "conversation": conversation,
        "process": process,
        "place": process.place,
        "open": process.allows(Feature.OPINE),
        "can_write": process.allows(Feature.PROPOSE) and conversation.participants_add,
        "statement": selectors.next_statement(conversation, participant),
        "progress": selectors.progress(conversation, participant),
        "own": selectors.own_statements(participant),
        "form": form or StatementForm(),
        "results_visible": _results_visible(request, conversation),
    }
    return render(request, "conversations/take_part.html", context, status=status)


def take_part(request: HttpRequest, public_id: str) -> HttpResponse:
    return _page(request, _conversation(public_id))


@_post_only
@small_form_post
def vote(request: HttpRequest, public_id: str) -> HttpResponse:
    conversation = _conversation(public_id)
    require_feature(conversation.process, Feature.OPINE)
    back = redirect(_next_page(conversation.public_id))
    if not _allowed(request, conversation, "vote"):
        messages.error(request, ERRORS["votes_rate"])
        return back
    try:
        statement_id = int(request.POST.get("statement", ""))
        value = int(request.POST.get("vote", ""))
    except ValueError:
        messages.error(request, ERRORS["bad_vote"])
        return back
    # Checked before anyone is made a participant: a broken vote leaves nothing behind.
    if value not in (-1, 0, 1):
        messages.error(request, ERRORS["bad_vote"])
        return back
    if not selectors.shown(conversation).filter(pk=statement_id).exists():
        messages.error(request, ERRORS["no_statement"])
        return back
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
    return _with_cookie(request, back, new_token)


@_post_only
@small_form_post
def write(request: HttpRequest, public_id: str) -> HttpResponse:
    """A participant's own statement. The shown statements most like it are offered first
    (vote on one of them instead, or send it anyway). Whatever goes wrong, the page comes
    back with the text still in the box and the reason next to it."""
    conversation = _conversation(public_id)
    require_feature(conversation.process, Feature.PROPOSE)
    form = StatementForm(request.POST)

    def again(error: object = None) -> HttpResponse:
        if error is not None:
            form.add_error("text", str(error))
        return _page(request, conversation, form=form, status=400)

    if not conversation.participants_add:
        return again(ERRORS["no_statements"])
    if not form.is_valid():
        return again()
    if not _allowed(request, conversation, "write"):  # before the comparison's work
        return again(ERRORS["write_rate"])
    text = form.cleaned_data["text"]
    near = []
    if not form.cleaned_data["confirmed"]:
        shown = [(str(pk), t) for pk, t in selectors.shown(conversation).values_list("pk", "text")]
        near = near_duplicates(text, shown)
    if near:
        return render(
            request,
            "conversations/similar.html",
            {
                "conversation": conversation,
                "place": conversation.process.place,
                "text": text,
                "near": [Statement(pk=int(n.id), text=n.text) for n in near],
                "similar_to": near[0].id,
            },
        )
    participant, new_token = _participant(request, conversation, create=True)
    assert participant is not None
    similar_to = None
    if form.cleaned_data.get("similar_to"):
        similar_to = (
            selectors.shown(conversation).filter(pk=form.cleaned_data["similar_to"]).first()
        )
    try:
        sent = statement_submit(participant=participant, text=text, similar_to=similar_to)
    except ConversationError as exc:
        return _with_cookie(request, again(ERRORS[exc.code]), new_token)
    if sent.statement.status == Statement.Status.REJECTED:
        messages.warning(
            request,
            _("You sent this statement before, and it is not shown: %(reason)s")
            % {"reason": sent.statement.reason or _("no reason given")},
        )
    elif sent.shown:
        messages.success(
            request, _("Thank you. Your statement is now shown to the other participants.")
        )
    else:
        messages.success(
            request,
            _(
                "Thank you. Your statement has been received and is shown once a moderator has "
                "read it. You can see its status below."
            ),
        )
    return _with_cookie(request, redirect(_next_page(conversation.public_id)), new_token)


def _results_visible(request: HttpRequest, conversation: Conversation) -> bool:
    """Members always; others once the conversation has opened and if its results are
    public (before it opens, the results page would show draft statements)."""
    if _is_member(request, conversation):
        return True
    return conversation.results_public and conversation.process.phase != "preparing"


def results(request: HttpRequest, public_id: str) -> HttpResponse:
    conversation = _conversation(public_id)
    if not _results_visible(request, conversation):
        return render(
            request,
            "conversations/results_hidden.html",
            {"conversation": conversation, "place": conversation.process.place},
            status=403,
        )
    context = _results_page_context(request, conversation)
    # Updated by itself only when asked (a projector), with a link to stop (WCAG 2.2.2).
    context["live"] = request.GET.get("live") == "1" and conversation.process.phase == "open"
    return render(request, "conversations/results.html", context)


def _results_page_context(request: HttpRequest, conversation: Conversation) -> dict[str, object]:
    member = _is_member(request, conversation)
    participant, _new = _participant(request, conversation, create=False)
    context: dict[str, object] = {
        "conversation": conversation,
        "process": conversation.process,
        "place": conversation.process.place,
        "mine": None,
        **results_context(conversation, member=member),
    }
    found = context["results"]
    if participant is not None and isinstance(found, dict):
        analysis = selectors.analysis(conversation)
        group = (analysis.result.get("members", {}) if analysis else {}).get(str(participant.pk))
        context["mine"] = next(
            (g for g in found["groups"] if g["id"] == group and not g["hidden"]), None
        )
    return context


def results_events(request: HttpRequest, public_id: str) -> HttpResponseBase:
    """Server-sent events: one each time a new analysis is kept (platsa.web.live)."""
    conversation = _conversation(public_id)
    if not _results_visible(request, conversation):
        return HttpResponse(status=403)

    def stamp() -> str:
        found = selectors.analysis(conversation)
        return found.computed_at.isoformat() if found is not None else ""

    return live.stream(request, live_channel(conversation), probe=stamp)


def results_live(request: HttpRequest, public_id: str) -> HttpResponse:
    """The results alone, for the projector's page to put in place when told of a change."""
    conversation = _conversation(public_id)
    if not _results_visible(request, conversation):
        return HttpResponse(status=403)
    context = {**_results_page_context(request, conversation), "live": True}
    return render(request, "conversations/_results.html", context)


def export_own(request: HttpRequest, public_id: str) -> HttpResponse:
    """What is stored about this participant in the conversation (GDPR art. 15 and 20)."""
    conversation = _conversation(public_id)
    participant, _new = _participant(request, conversation, create=False)
    return json_download(participant_export(participant), "mina-roster.json")


@_post_only
@small_form_post
def delete_own(request: HttpRequest, public_id: str) -> HttpResponse:
    """The participant's votes go (GDPR art. 17); their statements stay, unlinked from them,
    and the browser is forgotten. Asked twice: the box must be ticked."""
    conversation = _conversation(public_id)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm that your votes shall be deleted."))
        return redirect("conversations_public:take_part", public_id=conversation.public_id)
    participant, _new = _participant(request, conversation, create=False)
    if participant is not None:
        participant_erase(participant=participant)
    messages.success(
        request, _("Your votes are deleted. Your statements stay, without a link to you.")
    )
    response = redirect("conversations_public:take_part", public_id=conversation.public_id)
    if not request.user.is_authenticated:
        response.delete_cookie(VOTER_COOKIE, samesite="Lax")
    return response
