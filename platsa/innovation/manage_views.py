"""The organisers' pages of an open-innovation process: create it, move it through its
phases, its settings, themes, journey stops, moderators and challenges, the moderation
queue and log, the ideas with their statuses, merges and selection, and the live feed.

Organisers are members of the organising place with at least the organiser role;
moderators of the process reach the moderation queue only. Everyone else gets 404.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from platsa.accounts.requests import AuthenticatedRequest
from platsa.core.io.tabular import write_csv
from platsa.innovation.answers_import import (
    MAX_BYTES,
    AnswersError,
    answers_apply,
    read_changes,
)
from platsa.innovation.breakdown import DIMENSIONS, breakdown
from platsa.innovation.forms import (
    ChallengeForm,
    CreateForm,
    FeedPostForm,
    MergeForm,
    ModerateForm,
    ModeratorForm,
    SettingsForm,
    StatusForm,
    StopForm,
    ThemesForm,
)
from platsa.innovation.kind import INNOVATION
from platsa.innovation.messages import error_text
from platsa.innovation.models import (
    Challenge,
    Comment,
    Idea,
    Innovation,
    ModerationEntry,
    Moderator,
    Report,
    Stop,
    Visibility,
)
from platsa.innovation.services import (
    InnovationError,
    challenge_save,
    feed_post_add,
    idea_merge,
    idea_set_status,
    innovation_create,
    innovation_update,
    moderate,
    moderator_add,
    report_dismiss,
    stop_remove,
    stop_save,
    themes_set,
)
from platsa.innovation.similar import likely_duplicates
from platsa.places.access import get_place_for_user
from platsa.places.models import Area, Role
from platsa.processes.access import get_process_for_user
from platsa.processes.models import Process
from platsa.processes.services import PhaseError, process_set_phase


def _load(
    request: AuthenticatedRequest, slug: str, process_slug: str
) -> tuple[Process, Innovation]:
    process, _role = get_process_for_user(
        request, slug, process_slug, kind=INNOVATION.id, needs=Role.ORGANISER
    )
    return process, Innovation.objects.get(process=process)


def _load_moderator(request: AuthenticatedRequest, slug: str, process_slug: str) -> Process:
    """The process for an organiser of its place or one of its own moderators."""
    process = (
        Process.objects.select_related("place")
        .filter(kind=INNOVATION.id, place__slug=slug, slug=process_slug)
        .first()
    )
    if process is None:
        raise Http404
    if Moderator.objects.filter(process=process, user=request.user).exists():
        return process
    return _load(request, slug, process_slug)[0]


def post_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A form's address opened as a page (a reload, a shared link) leads to the process's
    page, after the same access check (404 for outsiders), never to a blank 405."""

    @wraps(view)
    def wrapped(
        request: AuthenticatedRequest, slug: str, process_slug: str, *args: Any, **kwargs: Any
    ) -> HttpResponse:
        if request.method != "POST":
            process = _load_moderator(request, slug, process_slug)
            if Moderator.objects.filter(process=process, user=request.user).exists():
                return redirect("innovation:moderation", slug=slug, process_slug=process_slug)
            return _back(process)
        return view(request, slug, process_slug, *args, **kwargs)

    return wrapped


def _back(process: Process, anchor: str = "") -> HttpResponse:
    response = redirect("innovation:manage", slug=process.place.slug, process_slug=process.slug)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


@login_required
def create(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    place, _role = get_place_for_user(request, slug, needs=Role.ORGANISER)
    form = CreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            innovation = innovation_create(
                place=place,
                title=form.cleaned_data["title"],
                user=request.user,
                intro=form.cleaned_data["intro"],
            )
        except InnovationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(
                request,
                _("The process is ready. Add its challenges and stops, then open it."),
            )
            return _back(innovation.process)
    return render(request, "innovation/create.html", {"place": place, "form": form})


@login_required
def manage(request: AuthenticatedRequest, slug: str, process_slug: str) -> HttpResponse:
    process, innovation = _load(request, slug, process_slug)
    ideas = Idea.objects.filter(process=process)
    counts = {
        "ideas": ideas.filter(visibility=Visibility.SHOWN, merged_into=None).count(),
        "held": ideas.filter(visibility=Visibility.HELD).count()
        + Comment.objects.filter(
            Q(idea__process=process) | Q(post__process=process), visibility=Visibility.HELD
        ).count(),
        "reports": Report.objects.filter(
            Q(idea__process=process) | Q(comment__idea__process=process), handled_at=None
        ).count(),
        "selected": ideas.filter(
            status__in=[Idea.Status.SELECTED, Idea.Status.IN_PLAN, Idea.Status.DONE]
        ).count(),
    }
    spec = process.kind_spec
    order = [p.id for p in spec.phases]
    return render(
        request,
        "innovation/manage.html",
        {
            "place": process.place,
            "process": process,
            "innovation": innovation,
            "counts": counts,
            "next_phases": [
                {"phase": spec.phase(p), "back": order.index(p) < order.index(process.phase)}
                for p in spec.transitions.get(process.phase, ())
            ],
            "challenges": list(Challenge.objects.filter(process=process)),
            "stops": list(Stop.objects.filter(process=process).select_related("municipality")),
            "themes": list(process.idea_themes.all()),
            "moderators": list(Moderator.objects.filter(process=process).select_related("user")),
            "settings_form": SettingsForm(
                initial={
                    "intro": innovation.intro,
                    "hold_first_posts": innovation.hold_first_posts,
                    "moderation_policy": innovation.moderation_policy,
                }
            ),
            "themes_form": ThemesForm(
                initial={"names": "\n".join(t.name for t in process.idea_themes.all())}
            ),
            "stop_form": StopForm(),
            "moderator_form": ModeratorForm(),
            "municipalities": _municipality_names(),
        },
    )


def _municipality_names() -> list[str]:
    return list(
        Area.objects.filter(kind=Area.Kind.MUNICIPALITY)
        .order_by("name")
        .values_list("name", flat=True)
        .distinct()
    )


@login_required
@post_only
def phase(request: AuthenticatedRequest, slug: str, process_slug: str) -> HttpResponse:
    process, _innovation = _load(request, slug, process_slug)
    target = request.POST.get("phase", "")[:32]
    try:
        process_set_phase(process=process, phase=target, actor=request.user)
    except (PhaseError, KeyError):
        messages.error(request, _("That phase cannot follow the present one."))
    else:
        messages.success(
            request,
            _("The process is now in the phase: {phase}.").format(
                phase=process.get_phase_display()
            ),
        )
    return _back(process)


@login_required
@post_only
def settings_view(request: AuthenticatedRequest, slug: str, process_slug: str) -> HttpResponse:
    process, innovation = _load(request, slug, process_slug)
    form = SettingsForm(request.POST)
    if form.is_valid():
        innovation_update(innovation=innovation, actor=request.user, **form.cleaned_data)
        messages.success(request, _("The settings are saved."))
    else:
        messages.error(request, _("The settings were not saved: a text is too long."))
    return _back(process, "settings")


@login_required
@post_only
def themes(request: AuthenticatedRequest, slug: str, process_slug: str) -> HttpResponse:
    process, _innovation = _load(request, slug, process_slug)
    form = ThemesForm(request.POST)
    try:
        if not form.is_valid():
            raise InnovationError("no_themes")
        themes_set(process=process, names=form.cleaned_data["names"].splitlines())
    except InnovationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("The themes are saved."))
    return _back(process, "themes")


@login_required
@post_only
def stop_add(request: AuthenticatedRequest, slug: str, process_slug: str) -> HttpResponse:
    process, _innovation = _load(request, slug, process_slug)
    form = StopForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, _("The stop was not added: fill in its municipality, name and days.")
        )
        return _back(process, "stops")
    data = form.cleaned_data
    municipality = _find_municipality(data["municipality"])
    if municipality is None:
        messages.error(
            request,
            _("No municipality is called “{name}”. Choose one from the list.").format(
                name=data["municipality"]
            ),
        )
        return _back(process, "stops")
    try:
        stop_save(
            process=process,
            municipality=municipality,
            title=data["title"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            description=data["description"],
        )
    except InnovationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("The stop is added."))
    return _back(process, "stops")


def _find_municipality(name: str) -> Area | None:
    """A municipality by the name people write: "Steinkjer", "Ragunda kommun", "ÅRE"."""
    from platsa.workshops.answers import area_named

    return area_named(name)


@login_required
@post_only
def stop_delete(
    request: AuthenticatedRequest, slug: str, process_slug: str, stop_id: int
) -> HttpResponse:
    process, _innovation = _load(request, slug, process_slug)
    stop_remove(stop=get_object_or_404(Stop, pk=stop_id, process=process))
    messages.success(request, _("The stop is removed. Its ideas and posts stay."))
    return _back(process, "stops")


@login_required
@post_only
def moderator_add_view(request: AuthenticatedRequest, slug: str, process_slug: str) -> HttpResponse:
    process, _innovation = _load(request, slug, process_slug)
    form = ModeratorForm(request.POST)
    try:
        if not form.is_valid():
            raise InnovationError("no_such_account")
        moderator_add(process=process, email=form.cleaned_data["email"])
    except InnovationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("The moderator is added."))
    return _back(process, "moderators")


@login_required
def challenge_edit(
    request: AuthenticatedRequest, slug: str, process_slug: str, challenge_id: int | None = None
) -> HttpResponse:
    process, _innovation = _load(request, slug, process_slug)
    item = get_object_or_404(Challenge, pk=challenge_id, process=process) if challenge_id else None
    initial = {}
    if item is not None:
        initial = {
            "title": item.title,
            "owner_name": item.owner_name,
            "owner_kind": item.owner_kind,
            "story": item.story,
            "problem": item.problem,
            "help_wanted": item.help_wanted,
            "themes": item.themes.all(),
            "stop": item.stop_id,
        }
    form = ChallengeForm(request.POST or None, process=process, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            challenge_save(
                process=process,
                challenge=item,
                title=data["title"],
                owner_name=data["owner_name"],
                owner_kind=data["owner_kind"],
                problem=data["problem"],
                story=data["story"],
                help_wanted=data["help_wanted"],
                themes=list(data["themes"]),
                stop=data.get("stop"),
            )
        except InnovationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("The challenge is saved."))
            return _back(process, "challenges")
    return render(
        request,
        "innovation/challenge_form.html",
        {"place": process.place, "process": process, "form": form, "challenge": item},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def moderation(request: AuthenticatedRequest, slug: str, process_slug: str) -> HttpResponse:
    process = _load_moderator(request, slug, process_slug)
    held_ideas = list(
        Idea.objects.filter(process=process, visibility=Visibility.HELD).order_by("created_at")
    )
    in_process = Q(idea__process=process) | Q(post__process=process)
    held_comments = list(
        Comment.objects.filter(in_process, visibility=Visibility.HELD)
        .select_related("idea")
        .order_by("created_at")
    )
    reports = list(
        Report.objects.filter(
            Q(idea__process=process) | Q(comment__idea__process=process), handled_at=None
        ).select_related("idea", "comment")
    )
    hidden = list(
        Idea.objects.filter(process=process, visibility=Visibility.HIDDEN).order_by("-changed_at")[
            :50
        ]
    )
    return render(
        request,
        "innovation/moderation.html",
        {
            "place": process.place,
            "process": process,
            "held_ideas": held_ideas,
            "held_comments": held_comments,
            "reports": reports,
            "hidden": hidden,
            "held_count": len(held_ideas) + len(held_comments),
            "log": list(ModerationEntry.objects.filter(process=process)[:30]),
        },
    )


@login_required
@post_only
def moderate_view(request: AuthenticatedRequest, slug: str, process_slug: str) -> HttpResponse:
    process = _load_moderator(request, slug, process_slug)
    form = ModerateForm(request.POST)
    back = redirect("innovation:moderation", slug=process.place.slug, process_slug=process.slug)
    if not form.is_valid():
        messages.error(request, _("That was not understood. Nothing was changed."))
        return back
    data = form.cleaned_data
    try:
        if data["action"] == "dismiss":
            item = get_object_or_404(
                Report,
                Q(idea__process=process) | Q(comment__idea__process=process),
                pk=data["report"] or 0,
            )
            report_dismiss(report=item, actor=request.user, process=process)
        else:
            idea = comment = None
            if data.get("idea"):
                idea = get_object_or_404(Idea, pk=data["idea"], process=process)
            elif data.get("comment"):
                comment = get_object_or_404(
                    Comment,
                    Q(idea__process=process) | Q(post__process=process),
                    pk=data["comment"],
                )
            moderate(
                process=process,
                actor=request.user,
                action=data["action"],
                reason=data.get("reason") or "",
                idea=idea,
                comment=comment,
            )
    except InnovationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Done."))
    return back


@login_required
def moderation_log(request: AuthenticatedRequest, slug: str, process_slug: str) -> HttpResponse:
    """The moderation log, through a signed link that expires (exports are never plain
    downloads): a fresh link for this person, followed at once."""
    process = _load_moderator(request, slug, process_slug)
    return _signed(process, "moderation", request.user.pk)


def _signed(process: Process, name: str, user_id: int) -> HttpResponse:
    from platsa.innovation.report_views import export_token

    return redirect("innovation_public:signed_export", token=export_token(process, name, user_id))


def moderation_csv(process: Process) -> bytes:
    """When, what, which idea or comment, the reason, and who as a role (never a name or an
    address, nor the text moderated)."""
    moderators = set(Moderator.objects.filter(process=process).values_list("user_id", flat=True))

    def by(actor_id: int | None) -> str:
        if actor_id is None:
            return "system"
        return "moderator" if actor_id in moderators else "organiser"

    rows = [
        [
            entry.at.isoformat(timespec="seconds"),
            entry.action,
            entry.idea_id or "",
            entry.comment_id or "",
            entry.detail,
            entry.reason,
            by(entry.actor_id),
        ]
        for entry in ModerationEntry.objects.filter(process=process).order_by("at", "id")
    ]
    return write_csv(["at", "action", "idea", "comment", "detail", "reason", "by"], rows)


@login_required
def ideas_manage(request: AuthenticatedRequest, slug: str, process_slug: str) -> HttpResponse:
    process, _innovation = _load(request, slug, process_slug)
    status = request.GET.get("status", "")
    rows = Idea.objects.filter(process=process, merged_into=None).exclude(
        visibility=Visibility.HIDDEN
    )
    if status in Idea.Status.values:
        rows = rows.filter(status=status)
    page = Paginator(
        rows.order_by("-support_count", "-created_at", "-id").only(
            "id",
            "title",
            "status",
            "support_count",
            "comment_count",
            "visibility",
            "official_answer",
            "selection_reason",
            "local_action_id",
        ),
        25,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "innovation/ideas_manage.html",
        {
            "place": process.place,
            "process": process,
            "ideas": page.object_list,
            "page": page,
            "status": status,
            "duplicates": likely_duplicates(process.pk),
            "breakdowns": [breakdown(process, d) for d in DIMENSIONS],
            "dimension_names": {
                "group": _("Support by how people are linked to the place"),
                "age_band": _("Support by age"),
                "country": _("Support by country"),
            },
            "status_choices": Idea.Status.choices,
        },
    )


@login_required
@post_only
def idea_status(
    request: AuthenticatedRequest, slug: str, process_slug: str, idea_id: int
) -> HttpResponse:
    process, _innovation = _load(request, slug, process_slug)
    idea = get_object_or_404(Idea, pk=idea_id, process=process)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a status."))
    else:
        try:
            changed = idea_set_status(
                idea=idea,
                actor=request.user,
                status=form.cleaned_data["status"],
                answer=form.cleaned_data["answer"],
                reason=form.cleaned_data["reason"],
            )
        except InnovationError as error:
            messages.error(request, error_text(error))
        else:
            if changed:
                messages.success(
                    request,
                    _("“{title}” is saved. Its author, commenters and supporters are told.").format(
                        title=idea.title
                    ),
                )
    response = redirect("innovation:ideas", slug=process.place.slug, process_slug=process.slug)
    response["Location"] += f"#idea-{idea.pk}"
    return response


@login_required
@post_only
def merge(request: AuthenticatedRequest, slug: str, process_slug: str) -> HttpResponse:
    process, _innovation = _load(request, slug, process_slug)
    form = MergeForm(request.POST)
    if form.is_valid():
        source = get_object_or_404(Idea, pk=form.cleaned_data["source"], process=process)
        target = get_object_or_404(Idea, pk=form.cleaned_data["target"], process=process)
        try:
            idea_merge(source=source, target=target, actor=request.user)
        except InnovationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(
                request,
                _(
                    "“{source}” is merged into “{target}”: its supporters, pledges and comments moved."
                ).format(source=source.title, target=target.title),
            )
    return redirect("innovation:ideas", slug=process.place.slug, process_slug=process.slug)


@login_required
@post_only
def feed_post(request: AuthenticatedRequest, slug: str, process_slug: str) -> HttpResponse:
    process, _innovation = _load(request, slug, process_slug)
    form = FeedPostForm(request.POST, request.FILES, process=process)
    feed = redirect(
        "innovation_public:feed", place_slug=process.place.slug, process_slug=process.slug
    )
    if not form.is_valid():
        return _feed_again(request, process, form)
    data = form.cleaned_data
    try:
        feed_post_add(
            process=process,
            author=request.user,
            body=data["body"],
            stop=data.get("stop"),
            video_url=data.get("video_url") or "",
            image=data.get("image"),
        )
    except InnovationError as error:
        form.add_error(None, error_text(error))
        return _feed_again(request, process, form)
    messages.success(request, _("The update is in the feed."))
    return feed


def _feed_again(
    request: AuthenticatedRequest, process: Process, form: FeedPostForm
) -> HttpResponse:
    """The feed with the organiser's refused update in its form, and why (nothing lost)."""
    from platsa.innovation.public_views import render_feed

    response = render_feed(request, process, form=form)
    response.status_code = 400
    return response


@login_required
def answers_template(request: AuthenticatedRequest, slug: str, process_slug: str) -> HttpResponse:
    """The ideas to answer in a spreadsheet, through a signed link (see moderation_log)."""
    process, _innovation = _load(request, slug, process_slug)
    return _signed(process, "answers", request.user.pk)


@login_required
@post_only
def answers_upload(request: AuthenticatedRequest, slug: str, process_slug: str) -> HttpResponse:
    """Statuses and official answers for many ideas at once, from the filled-in template."""
    process, _innovation = _load(request, slug, process_slug)
    back = redirect("innovation:ideas", slug=process.place.slug, process_slug=process.slug)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose the filled-in file (XLSX or CSV)."))
        return back
    if (upload.size or 0) > MAX_BYTES:
        messages.error(request, _("The file is larger than 2 MB."))
        return back
    try:
        changes = read_changes(process, upload.read(MAX_BYTES + 1), upload.name or "")
    except AnswersError as error:
        messages.error(
            request,
            _("Nothing was changed. {problems}").format(problems=" ".join(error.problems)),
        )
        return back
    changed = answers_apply(process=process, actor=request.user, changes=changes)
    messages.success(
        request,
        ngettext(
            "{n} idea has a new status or answer; the people following it are told.",
            "{n} ideas have a new status or answer; the people following them are told.",
            changed,
        ).format(n=changed),
    )
    return back
