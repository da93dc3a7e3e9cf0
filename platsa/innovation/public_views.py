"""The public pages of an open-innovation process: the process with its challenges and
ideas, an idea with its comments, support and pledges, the live feed; and the participants'
writes (an idea, a comment, a support, a like, a pledge, a report), each after a sign-in by
e-mailed code.

Anonymous readers, the crowd that follows a hackathon from anywhere, get pages from the page
cache, keyed on the change stamps of what they show (one small query), so an idea's new
support or comment is visible on the next request and a read costs a cache lookup.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.html import escape
from django.utils.translation import gettext as _

from platsa.accounts.models import User
from platsa.core.render.markdown_safe import plain_text, render_markdown
from platsa.innovation import selectors
from platsa.innovation.forms import (
    CommentForm,
    IdeaEditForm,
    IdeaForm,
    PledgeForm,
    ProfileForm,
    ReportForm,
)
from platsa.innovation.from_workshop import provenance
from platsa.innovation.messages import ERRORS, error_text
from platsa.innovation.models import (
    Challenge,
    Comment,
    FeedPost,
    Follow,
    Idea,
    Image,
    Like,
    Moderator,
    Pledge,
    Profile,
    Stop,
    Support,
    Visibility,
)
from platsa.innovation.services import (
    InnovationError,
    comment_add,
    follow_set,
    idea_edit,
    idea_submit,
    idea_support,
    image_store,
    like_toggle,
    pledge_add,
    pledge_withdraw,
    profile_save,
    read_counts_add,
    report_add,
)
from platsa.innovation.similar import similar_ideas
from platsa.places.access import has_role, role_for
from platsa.places.models import Role
from platsa.processes.access import PhaseClosed
from platsa.processes.kinds import Feature
from platsa.processes.models import Process
from platsa.web import access_memo, pagecache
from platsa.web.ratelimit import hit, hit_all

READS_FLUSH_EVERY = 25
COMMENTS_PER_THEME = 10  # quoted under a theme; the count says how many there are
IMAGE_CACHE_SECONDS = 600  # how long a browser or proxy may keep a picture unasked
LIST_PARAMS = (
    "sort",
    "theme",
    "challenge",
    "stop",
    "status",
    "q",
    "page",
)  # reads counted in the cache before they are added to the idea


def _lang() -> str:
    return (translation.get_language() or "sv")[:2]


def sign_in_url(request: HttpRequest, back: str | None = None) -> str:
    """The participants' sign-in by e-mailed code, coming back to ``back`` (this page)."""
    try:
        base = reverse("accounts:code_signin")
    except NoReverseMatch:  # pragma: no cover - the code sign-in is part of accounts
        base = reverse("account_login")
    return f"{base}?{urlencode({'next': back or request.get_full_path()})}"


def staff_user_ids(process: Process) -> dict[int, str]:
    """The organisers' and moderators' accounts, so that their comments carry a badge (a
    participant cannot pass as the organiser by taking their name)."""
    from platsa.places.models import Membership

    found = dict.fromkeys(
        Moderator.objects.filter(process=process).values_list("user_id", flat=True), "moderator"
    )
    found.update(
        dict.fromkeys(
            Membership.objects.filter(
                place_id=process.place_id, role__in=[Role.OWNER, Role.ORGANISER]
            ).values_list("user_id", flat=True),
            "organiser",
        )
    )
    return found


def staff_role(request: HttpRequest, process: Process) -> str | None:
    """ "organiser" (a role of at least organiser in the organising place), "moderator" (of
    this process), or None."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        return None
    if has_role(role_for(user, process.place), Role.ORGANISER):
        return "organiser"
    if Moderator.objects.filter(process=process, user=user).exists():
        return "moderator"
    return None


def load_process(request: HttpRequest, place_slug: str, process_slug: str) -> Process:
    """A public process, or one being prepared for the organising place's members. A
    public one is remembered in this process until a process, place, membership or user is
    written (``access_memo``: with Redis), as a write of the crowd needs it every time."""
    process = access_memo.remembered(
        request,
        f"innovation-process:{place_slug}/{process_slug}",
        lambda: selectors.public_process(place_slug, process_slug),
    )
    if process is not None:
        return process
    process = (
        Process.objects.select_related("place__municipality", "innovation")
        .filter(kind=selectors.KIND, place__slug=place_slug, slug=process_slug)
        .first()
    )
    if process is None or role_for(request.user, process.place) is None:
        raise Http404
    return process


def _visible_idea(request: HttpRequest, process: Process, idea_id: int) -> Idea:
    """An idea anyone may see, or one its author or the staff may (held, hidden, merged)."""
    idea = get_object_or_404(
        Idea.objects.select_related("author", "challenge", "stop", "merged_into"),
        pk=idea_id,
        process=process,
    )
    if idea.is_shown:
        return idea
    if idea.author_id and idea.author_id == request.user.pk:
        return idea
    if staff_role(request, process):
        return idea
    if idea.merged_into_id:  # a merged idea's address leads to the one it went into
        raise _Redirect(idea.merged_into_id)
    raise Http404


class _Redirect(Exception):  # noqa: N818 - control flow inside this module
    def __init__(self, idea_id: int) -> None:
        self.idea_id = idea_id


def participant_post(
    feature: Feature | None,
) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """A participant's write: POST only (a GET leads to the page), signed in (else to the
    sign-in by code and back), the phase opening ``feature`` (else the phase's message),
    and a rate limit per person and per address."""

    def decorator(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        def wrapped(
            request: HttpRequest, place_slug: str, process_slug: str, **kwargs: Any
        ) -> HttpResponseBase:
            back = (
                reverse("innovation_public:process", args=[place_slug, process_slug])
                if "idea_id" not in kwargs
                else reverse(
                    "innovation_public:idea", args=[place_slug, process_slug, kwargs["idea_id"]]
                )
            )
            if request.method != "POST":
                return redirect(back)
            if not request.user.is_authenticated:
                return redirect(sign_in_url(request, back))
            process = load_process(request, place_slug, process_slug)
            if feature is not None and not process.allows(feature):
                raise PhaseClosed(process, feature)
            if feature is None and process.phase == "preparing":
                raise PhaseClosed(process, Feature.COMMENT)
            if not hit_all(
                request,
                [
                    (f"innovation:{request.user.pk}", settings.PLATSA_IDEAS_WRITE_RATE),
                    ("innovation-all", settings.PLATSA_IDEAS_WRITE_RATE_ADDRESS),
                ],
            ):
                return _refused(request, str(ERRORS["rate"]), back, status=429)
            from platsa.innovation.digests import due

            due()  # the hourly digests and reminders, without a scheduler
            return view(request, process, back=back, **kwargs)

        return wrapped

    return decorator


def _refused(request: HttpRequest, text: str, back: str, *, status: int = 400) -> HttpResponse:
    """A write refused: said on the page it came from (htmx), or as a message there."""
    if getattr(request, "htmx", False):
        return HttpResponse(f'<p class="say-error" role="alert">{escape(text)}</p>', status=status)
    messages.error(request, text)
    response = redirect(back)
    if status == 429:
        response.status_code = 303
    return response


# --- reading -----------------------------------------------------------------------------


def _phases(process: Process) -> list[dict[str, Any]]:
    spec = process.kind_spec
    index = [p.id for p in spec.phases].index(process.phase)
    return [
        {"label": p.label, "current": i == index, "done": i < index}
        for i, p in enumerate(spec.phases)
        if p.id != "preparing"
    ]


def process_page(request: HttpRequest, place_slug: str, process_slug: str) -> HttpResponse:
    found = selectors.stamps(place_slug, process_slug)
    if found is None or not pagecache.eligible(request):
        return _process_page(request, place_slug, process_slug, for_cache=False)
    # Only the list's own parameters make a version (anything else would fill the cache).
    filters = urlencode(
        sorted((k, request.GET[k][:100]) for k in LIST_PARAMS if request.GET.get(k))
    )
    key = "innovation:" + pagecache.digest(
        found.process_id, found.lists, filters, _lang(), pagecache.build_id()
    )
    return pagecache.serve(
        request,
        key,
        lambda for_cache: _process_page(request, place_slug, process_slug, for_cache=for_cache),
        shared=True,
    )


def _process_page(
    request: HttpRequest, place_slug: str, process_slug: str, *, for_cache: bool
) -> HttpResponse:
    process = load_process(request, place_slug, process_slug)
    innovation = process.innovation
    filters = selectors.read_filters(request.GET, process)
    page = selectors.idea_page(process, filters, request.GET.get("page"))
    challenges = list(
        Challenge.objects.filter(process=process).annotate(
            n_ideas=Count(
                "ideas",
                filter=Q(ideas__visibility=Visibility.SHOWN, ideas__merged_into__isnull=True),
            )
        )
    )
    stops = list(Stop.objects.filter(process=process).select_related("municipality"))
    themes = list(process.idea_themes.all())
    context = {
        "process": process,
        "place": process.place,
        "innovation": innovation,
        "intro_html": render_markdown(innovation.intro) if innovation.intro else "",
        "phases": _phases(process),
        "challenges": challenges,
        "stops": stops,
        "themes": themes,
        "page": page,
        "filters": filters,
        "filter_query": urlencode(filters.as_params()),
        "sorts": [
            ("new", _("Newest")),
            ("support", _("Most supported")),
            ("comments", _("Most discussed")),
            ("likes", _("Most liked")),
            ("old", _("Oldest")),
        ],
        "statuses": Idea.Status.choices,
        "can_propose": process.allows(Feature.PROPOSE),
        "staff": None if for_cache else staff_role(request, process),
        "following": (
            not for_cache
            and request.user.is_authenticated
            and Follow.objects.filter(process=process, user=request.user).exists()  # type: ignore[misc]
        ),
        "preview": process.phase == "preparing",
        **pagecache.page_context(for_cache),
    }
    return render(request, "innovation/process.html", context)


def idea_page(
    request: HttpRequest, place_slug: str, process_slug: str, idea_id: int
) -> HttpResponse:
    _count_read(idea_id)
    if pagecache.eligible(request):
        stamp = selectors.idea_stamps(place_slug, process_slug, idea_id)
        if stamp is not None:
            key = "idea:" + pagecache.digest(idea_id, stamp, _lang(), pagecache.build_id())
            return pagecache.serve(
                request,
                key,
                lambda for_cache: _idea_page(
                    request, place_slug, process_slug, idea_id, for_cache=for_cache
                ),
                shared=True,
            )
    return _idea_page(request, place_slug, process_slug, idea_id, for_cache=False)


_READS: dict[int, int] = {}
_READS_LOCK = threading.Lock()


def _count_read(idea_id: int) -> None:
    """One more read, counted in this process's memory; every READS_FLUSH_EVERY-th read of
    an idea here adds them to the idea. A read costs neither a database write nor a round
    trip to the cache; what a worker had not flushed when it stopped is lost (at most
    READS_FLUSH_EVERY - 1 reads an idea and worker): "read by" is a reach, not a ledger."""
    with _READS_LOCK:
        n = _READS.get(idea_id, 0) + 1
        _READS[idea_id] = 0 if n >= READS_FLUSH_EVERY else n
        if len(_READS) > 100_000:  # a crawler walking every id: forget the small counts
            _READS.clear()
    if n >= READS_FLUSH_EVERY:
        read_counts_add({idea_id: n})


def _idea_page(
    request: HttpRequest,
    place_slug: str,
    process_slug: str,
    idea_id: int,
    *,
    for_cache: bool,
    form: IdeaEditForm | None = None,
) -> HttpResponse:
    process = load_process(request, place_slug, process_slug)
    try:
        idea = _visible_idea(request, process, idea_id)
    except _Redirect as moved:
        return redirect("innovation_public:idea", place_slug, process_slug, moved.idea_id)
    user = request.user if not for_cache else None
    staff = staff_role(request, process) if user else None
    comments = list(
        Comment.objects.filter(idea=idea)
        .filter(Q(visibility=Visibility.SHOWN) | Q(author_id=getattr(user, "pk", None)))
        .select_related("author")
        .order_by("created_at", "id")
    )
    top = [c for c in comments if c.parent_id is None]
    replies: dict[int, list[Comment]] = {}
    for c in comments:
        if c.parent_id:
            replies.setdefault(c.parent_id, []).append(c)
    for c in top:
        c.reply_list = replies.get(c.pk, [])  # type: ignore[attr-defined]
    pledges = list(Pledge.objects.filter(idea=idea).order_by("created_at"))
    staff_ids = staff_user_ids(process)
    pledge_totals = {
        kind: sum(1 for p in pledges if p.kind == kind) for kind, _label in Pledge.Kind.choices
    }
    hours = sum(p.hours or 0 for p in pledges)
    mine: dict[str, Any] = {}
    if user is not None and user.is_authenticated:
        mine = {
            "supported": Support.objects.filter(idea=idea, user=user).exists(),
            "liked": Like.objects.filter(idea=idea, user=user).exists(),
            "pledges": [p for p in pledges if p.user_id == user.pk],
            "author": idea.author_id == user.pk,
        }
    # A refused pledge's typed values, once (signed-in readers never get the shared copy).
    pledge_draft = (
        request.session.pop(_pledge_draft_key(idea.pk), None)
        if not for_cache and request.user.is_authenticated
        else None
    )
    context = {
        "process": process,
        "place": process.place,
        "idea": idea,
        "themes": list(idea.themes.all()),
        "og_description": plain_text(idea.body, 180),
        "map_svg": _idea_map(process, idea),
        "from_workshop": provenance(idea),
        "comments": top,
        "staff_ids": staff_ids,
        "pledge_totals": pledge_totals,
        "pledge_hours": hours,
        "goal_share": (
            min(100, round(100 * idea.pledged_money / idea.goal_amount))
            if idea.goal_amount
            else None
        ),
        "pledge_kinds": Pledge.Kind.choices,
        "mine": mine,
        "staff": staff,
        "can_support": process.allows(Feature.SUPPORT) and idea.is_shown,
        "can_comment": process.allows(Feature.COMMENT) and idea.is_shown,
        "comment_form": CommentForm(),
        "pledge_form": PledgeForm(initial=pledge_draft) if pledge_draft else PledgeForm(),
        "pledge_open": bool(pledge_draft),
        "edit_form": form
        or (
            IdeaEditForm(
                process=process,
                initial={"title": idea.title, "body": idea.body, "themes": idea.themes.all()},
            )
            if mine.get("author") and idea.status == Idea.Status.NEW
            else None
        ),
        "sign_in": sign_in_url(request),
        **pagecache.page_context(for_cache),
    }
    return render(request, "innovation/idea.html", context)


def _idea_map(process: Process, idea: Idea) -> str:
    """The municipality's outline with the idea's point, drawn here (no map service)."""
    if idea.lat is None or idea.lon is None:
        return ""
    from platsa.places.selectors import area_holds
    from platsa.places.views import map_for

    # The stop's municipality when the point is in it, else the place's (the form's map).
    area = process.place.municipality
    stop_area = idea.stop.municipality if idea.stop else None
    if stop_area is not None and area_holds(stop_area, idea.lat, idea.lon):
        area = stop_area
    return map_for(area, idea.lat, idea.lon, to_set=False)


def challenge(
    request: HttpRequest, place_slug: str, process_slug: str, challenge_id: int
) -> HttpResponse:
    process = load_process(request, place_slug, process_slug)
    item = get_object_or_404(
        Challenge.objects.select_related("stop", "recommendation"), pk=challenge_id, process=process
    )
    filters = selectors.IdeaFilters(challenge=item.pk, sort="support")
    return render(
        request,
        "innovation/challenge.html",
        {
            "process": process,
            "place": process.place,
            "challenge": item,
            "problem_html": render_markdown(item.problem),
            "story_html": render_markdown(item.story) if item.story else "",
            "themes": list(item.themes.all()),
            "ideas": list(selectors.idea_list(process, filters)[:50]),
            "can_propose": process.allows(Feature.PROPOSE),
        },
    )


def policy(request: HttpRequest, place_slug: str, process_slug: str) -> HttpResponse:
    process = load_process(request, place_slug, process_slug)
    text = process.innovation.moderation_policy
    return render(
        request,
        "innovation/policy.html",
        {
            "process": process,
            "place": process.place,
            "policy_html": render_markdown(text) if text else "",
        },
    )


def image(request: HttpRequest, image_id: int) -> HttpResponse:
    """A re-encoded picture: of a shown idea or a feed post of a public process, for
    anyone (cached a few minutes: a picture taken down leaves caches soon); of an idea
    waiting for review or hidden, for its author and the process's staff only (never
    cached)."""
    public = (
        Image.objects.filter(pk=image_id)
        .filter(
            Q(
                idea__visibility=Visibility.SHOWN,
                idea__process__kind=selectors.KIND,
                idea__process__phase__in=_public_phases(),
            )
            | Q(
                feedpost__process__kind=selectors.KIND,
                feedpost__process__phase__in=_public_phases(),
            )
        )
        .values_list("data", "content_type")
        .first()
    )
    private = False
    found = public
    if found is None and request.user.is_authenticated:
        idea = Idea.objects.select_related("process__place").filter(image_id=image_id).first()
        if idea is not None and (
            idea.author_id == request.user.pk or staff_role(request, idea.process)
        ):
            found = Image.objects.filter(pk=image_id).values_list("data", "content_type").first()
            private = True
    if found is None:
        raise Http404
    data, content_type = found
    response = HttpResponse(bytes(data), content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    if private:
        response["Cache-Control"] = "private, no-store"
    else:
        patch_cache_control(response, public=True, max_age=IMAGE_CACHE_SECONDS)
    return response


def _public_phases() -> list[str]:
    from platsa.innovation.kind import INNOVATION

    return [p.id for p in INNOVATION.phases if p.id != "preparing"]


# --- writing -----------------------------------------------------------------------------


def idea_new(request: HttpRequest, place_slug: str, process_slug: str) -> HttpResponse:
    process = load_process(request, place_slug, process_slug)
    if not process.allows(Feature.PROPOSE):
        raise PhaseClosed(process, Feature.PROPOSE)
    if not request.user.is_authenticated:
        return redirect(sign_in_url(request))
    form = IdeaForm(request.POST or None, request.FILES or None, process=process)
    similar: list[tuple[Idea, float]] = []
    pending = _pending_image(request)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        similar = similar_ideas(process.pk, data["title"], data["body"])
        if similar and not request.POST.get("not_a_duplicate"):
            # Before posting: the participant sees the ideas like theirs and decides. A
            # picture sent now is kept (re-encoded) for the next step, not asked for again.
            if data.get("image") and pending is None:
                try:
                    pending = image_store(data["image"], request.user)  # type: ignore[arg-type]
                except InnovationError as error:
                    form.add_error("image", error_text(error))
                    pending = None
            context = _new_context(process, form, similar, confirm=not form.errors)
            context["pending_image"] = pending
            context["pending_token"] = _pending_token(request, pending)
            return render(
                request, "innovation/idea_new.html", context, status=200 if not form.errors else 400
            )
        if not (
            hit(request, f"innovation-idea:{request.user.pk}", settings.PLATSA_IDEAS_POST_RATE)
            and hit(request, "innovation-idea-all", settings.PLATSA_IDEAS_WRITE_RATE_ADDRESS)
        ):
            form.add_error(None, str(ERRORS["rate"]))
        else:
            try:
                idea = idea_submit(
                    process=process,
                    user=request.user,  # type: ignore[arg-type]
                    title=data["title"],
                    body=data["body"],
                    themes=list(data.get("themes") or []),
                    challenge=data.get("challenge"),
                    stop=data.get("stop"),
                    lat=data.get("lat"),
                    lon=data.get("lon"),
                    image=None if pending else data.get("image"),
                    image_id=pending.pk if pending else None,
                    goal_amount=data.get("goal_amount"),
                )
            except InnovationError as error:
                form.add_error(None, error_text(error))
            else:
                if idea.visibility == Visibility.HELD:
                    messages.success(
                        request,
                        _(
                            "Thank you! Your idea is saved. A moderator reads a new "
                            "participant's first idea before it is shown; you see it here "
                            "meanwhile."
                        ),
                    )
                else:
                    messages.success(request, _("Thank you! Your idea is published."))
                return redirect("innovation_public:idea", place_slug, process_slug, idea.pk)
    elif request.method == "GET" and request.GET.get("challenge"):
        form.initial["challenge"] = request.GET["challenge"][:10]
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "innovation/idea_new.html",
        _new_context(process, form, similar, confirm=False),
        status=status,
    )


PENDING_SALT = "platsa.innovation.pending-image"


def _pending_token(request: HttpRequest, image: Image | None) -> str:
    if image is None:
        return ""
    return signing.dumps({"i": image.pk, "u": request.user.pk}, salt=PENDING_SALT)


def _pending_image(request: HttpRequest) -> Image | None:
    """The picture this participant sent one step earlier (a signed id, an hour at most)."""
    token = request.POST.get("pending_image", "")[:200]
    if not token or not request.user.is_authenticated:
        return None
    try:
        data = signing.loads(token, salt=PENDING_SALT, max_age=3600)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("u") != request.user.pk:
        return None
    image_id = data.get("i")
    if not isinstance(image_id, int):
        return None
    return Image.objects.filter(
        pk=image_id, uploaded_by_id=request.user.pk, idea__isnull=True
    ).first()


def _new_context(
    process: Process, form: IdeaForm, similar: list[tuple[Idea, float]], *, confirm: bool
) -> dict[str, Any]:
    from platsa.places.views import map_for

    return {
        "process": process,
        "place": process.place,
        "form": form,
        "similar": similar,
        "confirm": confirm,
        "map_svg": map_for(process.place.municipality, form["lat"].value(), form["lon"].value()),
    }


def similar(request: HttpRequest, place_slug: str, process_slug: str) -> HttpResponse:
    """The ideas like what is being typed (htmx, while typing)."""
    process = load_process(request, place_slug, process_slug)
    if not hit(request, "innovation-similar", settings.PLATSA_IDEAS_SIMILAR_RATE):
        return HttpResponse(status=204)
    title = request.GET.get("title", "")[:200]
    body = request.GET.get("body", "")[:6000]
    return render(
        request,
        "innovation/_similar.html",
        {
            "process": process,
            "place": process.place,
            "similar": similar_ideas(process.pk, title, body),
        },
    )


@participant_post(Feature.PROPOSE)
def idea_edit_view(
    request: HttpRequest, process: Process, *, back: str, idea_id: int
) -> HttpResponse:
    idea = get_object_or_404(Idea, pk=idea_id, process=process)
    form = IdeaEditForm(request.POST, process=process)
    if form.is_valid():
        try:
            idea_edit(
                idea=idea,
                user=request.user,  # type: ignore[arg-type]
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                themes=list(form.cleaned_data["themes"]),
            )
        except InnovationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect(back)
    response = _idea_page(
        request, process.place.slug, process.slug, idea.pk, for_cache=False, form=form
    )
    response.status_code = 400
    return response


def _has_profile(request: HttpRequest) -> bool:
    """Whether the person has told about themselves (asked after a support): remembered
    until a write moves the access memo's generation (a new profile does)."""
    found = access_memo.remembered(
        request,
        f"has-profile:{request.user.pk}",
        lambda: (Profile.objects.filter(user__pk=request.user.pk or 0).exists(),),
    )
    return bool(found and found[0])


@participant_post(Feature.SUPPORT)
def support(request: HttpRequest, process: Process, *, back: str, idea_id: int) -> HttpResponse:
    idea = get_object_or_404(
        Idea.objects.only("id", "process_id", "visibility", "merged_into_id"),
        pk=idea_id,
        process=process,
    )
    wanted = request.POST.get("support", "1") != "0"
    try:
        idea_support(idea=idea, user=request.user, support=wanted)  # type: ignore[arg-type]
    except InnovationError as error:
        return _refused(request, error_text(error), back)
    if wanted and not _has_profile(request):
        messages.success(
            request,
            _(
                "You support this idea. Thank you! If you like, tell the organisers a little "
                "about yourself (counted in groups only): the link “About you” below."
            ),
        )
    else:
        messages.success(
            request,
            _("You support this idea. Thank you!") if wanted else _("Your support is withdrawn."),
        )
    return redirect(back + "#support")


@participant_post(Feature.SUPPORT)
def like(request: HttpRequest, process: Process, *, back: str, idea_id: int) -> HttpResponse:
    idea = get_object_or_404(Idea, pk=idea_id, process=process)
    try:
        like_toggle(user=request.user, idea=idea)  # type: ignore[arg-type]
    except InnovationError as error:
        return _refused(request, error_text(error), back)
    return redirect(back + "#support")


@participant_post(Feature.COMMENT)
def comment(request: HttpRequest, process: Process, *, back: str, idea_id: int) -> HttpResponse:
    idea = get_object_or_404(
        Idea.objects.only("id", "process_id", "visibility", "merged_into_id"),
        pk=idea_id,
        process=process,
    )
    idea.process = process  # known already: the service needs no query for it
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _refused(request, _("Write your comment (at most 2,000 characters)."), back)
    parent = None
    if form.cleaned_data.get("parent"):
        parent = Comment.objects.filter(pk=form.cleaned_data["parent"], idea=idea).first()
    try:
        made = comment_add(
            user=request.user,  # type: ignore[arg-type]
            idea=idea,
            body=form.cleaned_data["body"],
            parent=parent,
        )
    except InnovationError as error:
        return _refused(request, error_text(error), back)
    if made.visibility == Visibility.HELD:
        messages.success(
            request,
            _(
                "Your comment is saved. A moderator reads a new participant's first comment before it is shown."
            ),
        )
    else:
        messages.success(request, _("Your comment is published."))
    return redirect(f"{back}#comment-{made.pk}")


@participant_post(Feature.SUPPORT)
def pledge(request: HttpRequest, process: Process, *, back: str, idea_id: int) -> HttpResponse:
    idea = get_object_or_404(Idea, pk=idea_id, process=process)
    form = PledgeForm(request.POST)
    # What was typed comes back with a refusal (the idea page shows it in the open form).
    draft = {k: request.POST.get(k, "")[:PLEDGE_DRAFT_CHARS] for k in PLEDGE_DRAFT_FIELDS}
    if getattr(request, "htmx", False):  # refused in place: the form keeps it by itself
        draft = {}
    if not form.is_valid():
        if draft:
            request.session[_pledge_draft_key(idea.pk)] = draft
        # Which field and why ("Hours (time): at most 10,000"), not only that it failed.
        why = " ".join(
            f"{form.fields[name].label}: {' '.join(str(e) for e in errors)}"
            if name in form.fields
            else " ".join(str(e) for e in errors)
            for name, errors in form.errors.items()
        )
        return _refused(
            request,
            _("The pledge was not recorded. %(why)s") % {"why": why},
            back + "#pledges",
        )
    data = form.cleaned_data
    try:
        pledge_add(
            idea=idea,
            user=request.user,  # type: ignore[arg-type]
            kind=data["kind"],
            amount=data.get("amount"),
            hours=data.get("hours"),
            description=data.get("description") or "",
        )
    except InnovationError as error:
        if draft:
            request.session[_pledge_draft_key(idea.pk)] = draft
        return _refused(request, error_text(error), back + "#pledges")
    messages.success(
        request,
        _(
            "Your pledge is recorded. It is a commitment, not a payment: the organisers will "
            "contact you."
        ),
    )
    return redirect(back + "#pledges")


PLEDGE_DRAFT_FIELDS = ("kind", "amount", "hours", "description")
PLEDGE_DRAFT_CHARS = 300  # the description's limit; the numbers are shorter


def _pledge_draft_key(idea_id: int) -> str:
    return f"platsa-pledge-draft:{idea_id}"


@participant_post(None)
def pledge_withdraw_view(
    request: HttpRequest, process: Process, *, back: str, idea_id: int, pledge_id: int
) -> HttpResponse:
    item = get_object_or_404(Pledge, pk=pledge_id, idea_id=idea_id, idea__process=process)
    try:
        pledge_withdraw(pledge=item, user=request.user)  # type: ignore[arg-type]
    except InnovationError as error:
        return _refused(request, error_text(error), back)
    messages.success(request, _("Your pledge is withdrawn."))
    return redirect(back + "#pledges")


@participant_post(None)
def report(request: HttpRequest, process: Process, *, back: str, idea_id: int) -> HttpResponse:
    idea = get_object_or_404(Idea, pk=idea_id, process=process)
    form = ReportForm(request.POST)
    if not form.is_valid():
        return _refused(request, str(ERRORS["reason_missing"]), back)
    target = None
    if form.cleaned_data.get("comment"):
        target = get_object_or_404(Comment, pk=form.cleaned_data["comment"], idea=idea)
    try:
        report_add(
            user=request.user,  # type: ignore[arg-type]
            reason=form.cleaned_data["reason"],
            idea=None if target else idea,
            comment=target,
        )
    except InnovationError as error:
        if error.code == "not_shown":
            back = reverse("innovation_public:process", args=[process.place.slug, process.slug])
        return _refused(request, error_text(error), back)
    messages.success(request, _("Thank you. The moderators will look at it."))
    return redirect(back)


# --- the live feed -----------------------------------------------------------------------


def feed(request: HttpRequest, place_slug: str, process_slug: str) -> HttpResponse:
    found = selectors.stamps(place_slug, process_slug)
    if found is None or not pagecache.eligible(request):
        return _feed(request, place_slug, process_slug, for_cache=False)
    key = "feed:" + pagecache.digest(
        found.process_id,
        found.feed,
        request.GET.get("stop", "")[:10],
        _lang(),
        pagecache.build_id(),
    )
    return pagecache.serve(
        request,
        key,
        lambda for_cache: _feed(request, place_slug, process_slug, for_cache=for_cache),
        shared=True,
    )


def _feed(
    request: HttpRequest, place_slug: str, process_slug: str, *, for_cache: bool
) -> HttpResponse:
    return render_feed(
        request, load_process(request, place_slug, process_slug), for_cache=for_cache
    )


def render_feed(
    request: HttpRequest, process: Process, *, for_cache: bool = False, form: Any = None
) -> HttpResponse:
    """The live feed of ``process`` (with ``form``: an organiser's refused update)."""
    stops = list(Stop.objects.filter(process=process).select_related("municipality"))
    stop_id = request.GET.get("stop", "")
    stop = next((s for s in stops if str(s.pk) == stop_id), None)
    posts = FeedPost.objects.filter(process=process).select_related("stop", "author")
    if stop is not None:
        posts = posts.filter(stop=stop)
    liked: set[int] = set()
    user = None if for_cache else request.user
    items = list(posts[:50])
    if user is not None and user.is_authenticated:
        liked = set(
            Like.objects.filter(user=user, post__in=items).values_list("post_id", flat=True)
        )
    staff = None if for_cache else staff_role(request, process)
    from platsa.innovation.forms import FeedPostForm

    return render(
        request,
        "innovation/feed.html",
        {
            "process": process,
            "place": process.place,
            "stops": stops,
            "stop": stop,
            "posts": items,
            "liked": liked,
            "staff": staff,
            "post_form": form or (FeedPostForm(process=process) if staff == "organiser" else None),
            "can_react": process.phase != "preparing",
            **pagecache.page_context(for_cache),
        },
    )


def post(request: HttpRequest, place_slug: str, process_slug: str, post_id: int) -> HttpResponse:
    process = load_process(request, place_slug, process_slug)
    item = get_object_or_404(FeedPost.objects.select_related("stop"), pk=post_id, process=process)
    comments = list(
        Comment.objects.filter(post=item, visibility=Visibility.SHOWN).select_related("author")
    )
    return render(
        request,
        "innovation/post.html",
        {
            "process": process,
            "place": process.place,
            "post": item,
            "comments": comments,
            "staff_ids": staff_user_ids(process),
            "liked": request.user.is_authenticated
            and Like.objects.filter(post=item, user=request.user).exists(),  # type: ignore[misc]
            "comment_form": CommentForm(),
            "can_react": process.phase != "preparing",
            "sign_in": sign_in_url(request),
        },
    )


def _post_back(process: Process, post_id: int) -> str:
    return reverse("innovation_public:post", args=[process.place.slug, process.slug, post_id])


@participant_post(None)
def post_like(request: HttpRequest, process: Process, *, back: str, post_id: int) -> HttpResponse:
    item = get_object_or_404(FeedPost, pk=post_id, process=process)
    like_toggle(user=request.user, post=item)  # type: ignore[arg-type]
    if request.POST.get("from") == "feed":
        return redirect(
            reverse("innovation_public:feed", args=[process.place.slug, process.slug])
            + f"#post-{item.pk}"
        )
    return redirect(_post_back(process, item.pk))


@participant_post(None)
def post_comment(
    request: HttpRequest, process: Process, *, back: str, post_id: int
) -> HttpResponse:
    item = get_object_or_404(FeedPost, pk=post_id, process=process)
    back = _post_back(process, item.pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _refused(request, _("Write your comment (at most 2,000 characters)."), back)
    try:
        made = comment_add(user=request.user, post=item, body=form.cleaned_data["body"])  # type: ignore[arg-type]
    except InnovationError as error:
        return _refused(request, error_text(error), back)
    if made.visibility == Visibility.HELD:
        messages.success(
            request, _("Your comment is saved and shown once a moderator has read it.")
        )
    return redirect(f"{back}#comment-{made.pk}")


def profile(request: HttpRequest, place_slug: str, process_slug: str) -> HttpResponse:
    """What a participant says about themself, for the organisers' counts by group."""
    process = load_process(request, place_slug, process_slug)
    if not request.user.is_authenticated:
        return redirect(sign_in_url(request))
    back = reverse("innovation_public:process", args=[place_slug, process_slug])
    wanted = request.GET.get("next") or request.POST.get("next") or ""
    if wanted.startswith(back) and "//" not in wanted:
        back = wanted
    current = Profile.objects.filter(user=request.user).first()
    initial = (
        {"group": current.group, "age_band": current.age_band, "country": current.country}
        if current
        else {}
    )
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        profile_save(user=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        messages.success(request, _("Thank you. You can change it here whenever you like."))
        return redirect(back)
    return render(
        request,
        "innovation/profile.html",
        {"process": process, "place": process.place, "form": form, "next": back},
    )


def themes_page(request: HttpRequest, place_slug: str, process_slug: str) -> HttpResponse:
    """The themes the machine found in the ideas, each with the ideas it came from."""
    from platsa.innovation import themes_found

    process = load_process(request, place_slug, process_slug)
    stale = themes_found.refresh_if_stale(process.pk)
    run = themes_found.stored(process.pk)
    groups = []
    if run is not None:
        ideas = (
            selectors.shown_ideas(process)
            .only("id", "title", "support_count")
            .in_bulk([i for t in run.themes for i in t["members"]])
        )
        # Still shown now (a comment hidden since the grouping is left out), with its idea.
        comments = (
            selectors.shown_comments()
            .filter(idea__in=selectors.shown_ideas(process))
            .only("id", "body", "idea_id")
            .in_bulk([c for t in run.themes for c in t.get("comments", [])])
        )
        for theme in run.themes:
            members = [ideas[i] for i in theme["members"] if i in ideas]
            said = [comments[c] for c in theme.get("comments", []) if c in comments]
            groups.append(
                {
                    "words": theme["words"],
                    "representatives": [ideas[i] for i in theme["representatives"] if i in ideas],
                    "members": sorted(members, key=lambda i: -i.support_count),
                    "comments": said[:COMMENTS_PER_THEME],
                    "comments_total": len(said),
                }
            )
    return render(
        request,
        "innovation/themes.html",
        {
            "process": process,
            "place": process.place,
            "run": run,
            "groups": groups,
            "queued": stale,
            "min_docs": themes_found.MIN_DOCS,
        },
    )


@participant_post(None)
def follow(request: HttpRequest, process: Process, *, back: str) -> HttpResponse:
    on = request.POST.get("follow", "1") != "0"
    follow_set(process=process, user=request.user, follow=on)  # type: ignore[arg-type]
    messages.success(
        request,
        _("You follow the process: at most one e-mail a day, when something has happened.")
        if on
        else _("You no longer follow the process."),
    )
    return redirect(back)
