"""The open-data API: places, public open-innovation processes, their challenges and ideas
with support and comment counts, as JSON, with its OpenAPI schema at ``/api/openapi.json``.

What the API shows is what an anonymous visitor of the web pages sees, for everyone, signed in
or not, organiser or not: the rules are ``platsa.innovation.selectors``' (a process being
prepared is not there; an idea held for review, hidden or merged is not there, its address
404 as on the web). Organisers read the rest on their own pages. A *place* is listed once it
has a public open-innovation process: until then the web does not reveal that it exists (its
pages are members' only), and neither does the API.

Lists are paginated with ``limit`` (at most 100) and ``offset``; sort and filter values are
looked up in allow-lists and anything else is ignored, never passed to the database as a
field name. Answers carry an ETag of their content and ``Cache-Control: public, max-age=0,
must-revalidate``: a proxy may keep them and asks again each time (a 304 while nothing
changed), so that a new support is visible on the next request.

Writes (a new idea, a support and its withdrawal) need a token of the person they are made
for (``Authorization: Bearer plt_…``, see ``platsa.api.tokens``) and go through the same
services, phase checks and rate limits as the web's forms. A session cookie is not enough:
the API takes no cookie-authenticated writes, so it needs no CSRF token.

No documentation page is served: django-ninja's Swagger UI loads its script from a CDN and
runs inline scripts, which the site's Content-Security-Policy forbids. The schema is plain
JSON; any OpenAPI viewer reads it.

Errors are JSON ``{"detail": "...", "code": "..."}``, ``detail`` in the language of the
``platsa_lang`` cookie or, for programs without it, the request's ``Accept-Language`` (Swedish
when neither names English).
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.http import quote_etag
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Query
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.renderers import JSONRenderer
from ninja.responses import Status
from ninja.security import HttpBearer

from platsa.accounts.models import User
from platsa.api import schemas
from platsa.api.tokens import token_user
from platsa.innovation import selectors
from platsa.innovation import services as innovation
from platsa.innovation.messages import ERRORS, error_text
from platsa.innovation.models import Challenge, Idea, Stop, Theme
from platsa.places.models import Place
from platsa.processes.access import PhaseClosed, require_feature
from platsa.processes.kinds import Feature, get_kind
from platsa.processes.models import Process
from platsa.web.ratelimit import hit

LIMIT_DEFAULT = selectors.PER_PAGE
LIMIT_MAX = selectors.PER_PAGE_MAX
OFFSET_MAX = 1_000_000  # past any real list; a larger number would overflow SQLite's integers

PLACE_SORTS: dict[str, tuple[str, ...]] = {"name": ("name", "id"), "new": ("-created_at", "-id")}
PROCESS_SORTS: dict[str, tuple[str, ...]] = {
    "new": ("-created_at", "-id"),
    "old": ("created_at", "id"),
    "title": ("title", "id"),
}
# Writes per person and client address, and for all people behind one address (a venue's
# Wi-Fi), as count/seconds; settings may override them.
IDEA_RATE = "10/600"
SUPPORT_RATE = "120/600"
ADDRESS_RATE = "3000/600"


# What a write may answer besides its success: refused text (400), no valid token (401), not
# public (404), the phase does not open it (409), the body not understood (422), too many (429).
WRITE_ERRORS: dict[int, type[schemas.Error]] = dict.fromkeys(
    (400, 401, 404, 409, 422, 429), schemas.Error
)


class SafeJSONRenderer(JSONRenderer):
    """JSON with ``<``, ``>`` and ``&`` written as ``\\u003c``…: the same data, but a page
    that a browser wrongly reads as HTML (or a client that pastes the text into a script
    block) never meets a live tag."""

    def render(self, request: HttpRequest, data: Any, *, response_status: int) -> Any:
        text = json.dumps(data, cls=self.encoder_class, **self.json_dumps_params)
        return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``: the person the token belongs to, or refused."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        return token_user(token)


api = NinjaAPI(
    title="Platsa open data",
    version="1",
    description=(
        "Places, public open-innovation processes, their challenges and ideas with their "
        "support and comment counts. Reading needs nothing; writing needs a personal token "
        "(Authorization: Bearer …) made on the API tokens page."
    ),
    docs_url=None,
    openapi_url="/openapi.json",
    renderer=SafeJSONRenderer(),
    urls_namespace="api",
)


# --- language, caching headers, errors ---------------------------------------------------


def language_of(request: HttpRequest) -> str:
    """The cookie's language, else the best of ``Accept-Language``, else Swedish."""
    available = {code for code, _name in settings.LANGUAGES}
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    if chosen in available:
        return chosen
    if request.META.get("HTTP_ACCEPT_LANGUAGE"):
        found = translation.get_language_from_request(request)
        if found in available:
            return found
    return settings.LANGUAGE_CODE


def _http(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Around every endpoint: the language of its messages, and its caching headers."""

    @functools.wraps(run)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        language = language_of(request)
        with translation.override(language):
            response = run(request, *args, **kwargs)
        response["Content-Language"] = language
        patch_vary_headers(response, ("Accept-Language",))
        return _cache_headers(request, response)

    return wrapper


def _cache_headers(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        patch_cache_control(response, private=True, no_store=True)
        return response
    if response.status_code != 200:
        # A process being prepared opens later: its 404 must not be kept.
        patch_cache_control(response, no_cache=True)
        return response
    # The same for everyone (nothing in a public answer depends on who asks), so shared
    # caches may keep it; they revalidate every time with the ETag of its content.
    etag = quote_etag(hashlib.sha256(response.content).hexdigest()[:32])
    response["ETag"] = etag
    patch_cache_control(
        response,
        public=True,
        max_age=0,
        s_maxage=settings.PLATSA_PROXY_CACHE_SECONDS,
        must_revalidate=True,
    )
    conditional = get_conditional_response(request, etag=etag, response=response)
    return conditional if conditional is not None else response


api.add_decorator(_http, mode="view")


def _error(
    request: HttpRequest, status: int, detail: str, code: str, **headers: str
) -> HttpResponse:
    response = api.create_response(request, {"detail": detail, "code": code}, status=status)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 404, _("Not found."), "not_found")


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 403, _("You may not do that."), "forbidden")


@api.exception_handler(AuthenticationError)
def _unauthorised(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(
        request,
        401,
        _("A valid API token is needed: send it as “Authorization: Bearer <token>”."),
        "token",
        WWW_Authenticate='Bearer realm="platsa"',
    )


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(
        request,
        {
            "detail": _("Some of what was sent is not valid."),
            "code": "invalid",
            "errors": exc.errors,
        },
        status=422,
    )


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, exc.status_code, _("That could not be done."), "error")


@api.exception_handler(PhaseClosed)
def _phase_closed(request: HttpRequest, exc: PhaseClosed) -> HttpResponse:
    phase = exc.process.phase_spec
    message = (
        str(phase.closed_message)
        if phase.closed_message
        else _("The process is in the phase “%(phase)s”: this is not open now.")
        % {"phase": phase.label}
    )
    return _error(request, 409, message, "phase_closed")


@api.exception_handler(innovation.InnovationError)
def _refused(request: HttpRequest, exc: innovation.InnovationError) -> HttpResponse:
    return _error(request, 400, error_text(exc), exc.code)


# --- reading helpers ---------------------------------------------------------------------


def _absolute(request: HttpRequest, path: str) -> str:
    base = settings.PLATSA_SITE_URL.rstrip("/") or request.build_absolute_uri("/").rstrip("/")
    return base + path


def _bounds(limit: int, offset: int) -> tuple[int, int]:
    return min(max(limit, 1), LIMIT_MAX), min(max(offset, 0), OFFSET_MAX)


def _page(
    request: HttpRequest,
    rows: QuerySet[Any],
    limit: int,
    offset: int,
    build: Callable[[Any], dict[str, Any]],
) -> dict[str, Any]:
    """One page of ``rows``: two queries (the count and the page) plus its prefetches."""
    limit, offset = _bounds(limit, offset)
    count = rows.count()
    results = [build(row) for row in rows[offset : offset + limit]] if offset < count else []

    def link(at: int) -> str:
        params = {k: v for k, v in request.GET.items() if k not in ("limit", "offset")}
        params.update(limit=str(limit), offset=str(at))
        return _absolute(request, request.path) + "?" + urlencode(params)

    return {
        "count": count,
        "limit": limit,
        "offset": offset,
        "next": link(offset + limit) if offset + limit < count else None,
        "previous": link(max(offset - limit, 0)) if offset > 0 else None,
        "results": results,
    }


def _sort(value: str | None, sorts: dict[str, tuple[str, ...]], default: str) -> tuple[str, ...]:
    return sorts[value] if value in sorts else sorts[default]


def _municipality(area: Any) -> dict[str, Any]:
    return {"name": area.name, "code": area.code, "country": area.country}


def _public_places() -> QuerySet[Place]:
    public = selectors.public_processes().filter(place=OuterRef("pk"))
    return Place.objects.filter(Exists(public)).select_related("municipality")


def _place(request: HttpRequest, place: Place) -> dict[str, Any]:
    return {
        "slug": place.slug,
        "name": place.name,
        "kind": place.kind,
        "municipality": _municipality(place.municipality),
        "processes": _absolute(request, reverse("api:process_list")) + "?place=" + place.slug,
    }


def _processes() -> QuerySet[Process]:
    stops = Stop.objects.select_related("municipality")
    return (
        selectors.public_processes()
        .select_related("place")
        .prefetch_related(Prefetch("stops", queryset=stops))
    )


def _public_process(process_id: int) -> Process:
    process = selectors.public_processes().select_related("place").filter(pk=process_id).first()
    if process is None:
        raise Http404
    return process


def _process(request: HttpRequest, process: Process) -> dict[str, Any]:
    place = process.place
    return {
        "id": process.pk,
        "slug": process.slug,
        "title": process.title,
        "place": {"slug": place.slug, "name": place.name},
        "phase": {"id": process.phase, "label": str(process.phase_spec.label)},
        "opens_at": process.opens_at,
        "closes_at": process.closes_at,
        "created_at": process.created_at,
        "stops": [
            {
                "id": stop.pk,
                "title": stop.title,
                "starts_on": stop.starts_on,
                "ends_on": stop.ends_on,
                "municipality": _municipality(stop.municipality),
            }
            for stop in process.stops.all()
        ],
        "url": _absolute(
            request, reverse("innovation_public:process", args=[place.slug, process.slug])
        ),
    }


def _themes(rows: Iterable[Theme]) -> list[dict[str, Any]]:
    return [{"id": t.pk, "name": t.name} for t in rows]


class IdeaBuilder:
    """Ideas of one process as the API shows them (its place and slug read once)."""

    def __init__(self, request: HttpRequest, process: Process) -> None:
        self.request = request
        self.process = process
        self.base = reverse(
            "innovation_public:idea", args=[process.place.slug, process.slug, 0]
        ).removesuffix("0/")

    def __call__(self, idea: Idea) -> dict[str, Any]:
        author = idea.author.display_name.strip() if idea.author is not None else ""
        return {
            "id": idea.pk,
            "process_id": idea.process_id,
            "title": idea.title,
            "status": idea.status,
            "themes": _themes(idea.themes.all()),
            "challenge_id": idea.challenge_id,
            "stop_id": idea.stop_id,
            "support_count": idea.support_count,
            "comment_count": idea.comment_count,
            "like_count": idea.like_count,
            "pledges": {
                "count": idea.pledge_count,
                "money": idea.pledged_money,
                "goal_amount": idea.goal_amount,
                "goal_currency": idea.goal_currency,
            },
            "author": author or None,
            "created_at": idea.created_at,
            "url": _absolute(self.request, f"{self.base}{idea.pk}/"),
        }

    def detail(self, idea: Idea) -> dict[str, Any]:
        return {
            **self(idea),
            "body": idea.body,
            "official_answer": idea.official_answer,
            "lat": idea.lat,
            "lon": idea.lon,
            "shown": idea.is_shown,
        }


def _shown_idea(idea_id: int) -> tuple[Process, Idea]:
    """A shown idea of a public process, or 404: held, hidden and merged ideas are not
    there, as on the web."""
    process = selectors.public_processes().select_related("place").filter(ideas__pk=idea_id).first()
    if process is None:
        raise Http404
    idea = (
        selectors.shown_ideas(process)
        .select_related("author")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.only("id", "name")))
        .filter(pk=idea_id)
        .first()
    )
    if idea is None:
        raise Http404
    return process, idea


# --- places ------------------------------------------------------------------------------


@api.get(
    "/places/",
    response={200: schemas.PlacePage, 422: schemas.Error},
    url_name="place_list",
    tags=["places"],
)
def place_list(
    request: HttpRequest,
    country: str | None = None,
    municipality: str | None = Query(None, description="An official municipality code"),
    sort: str | None = Query(None, description="name (default) or new"),
    limit: int = LIMIT_DEFAULT,
    offset: int = 0,
) -> dict[str, Any]:
    """Places with at least one public open-innovation process."""
    rows = _public_places()
    if country and len(country) == 2 and country.isalpha():
        rows = rows.filter(municipality__country=country.upper())
    if (
        municipality
        and municipality.isascii()
        and municipality.isdigit()
        and len(municipality) <= 8
    ):
        rows = rows.filter(municipality__code=municipality)
    rows = rows.order_by(*_sort(sort, PLACE_SORTS, "name"))
    return _page(request, rows, limit, offset, lambda p: _place(request, p))


@api.get(
    "/places/{slug}/",
    response={200: schemas.Place, 404: schemas.Error},
    url_name="place",
    tags=["places"],
)
def place_detail(request: HttpRequest, slug: str) -> dict[str, Any]:
    place = _public_places().filter(slug=slug).first()
    if place is None:
        raise Http404
    return _place(request, place)


# --- processes ---------------------------------------------------------------------------


@api.get(
    "/processes/",
    response={200: schemas.ProcessPage, 422: schemas.Error},
    url_name="process_list",
    tags=["processes"],
)
def process_list(
    request: HttpRequest,
    place: str | None = Query(None, description="A place's slug"),
    phase: str | None = Query(None, description="challenges, ideas, discussion, selection, plan"),
    sort: str | None = Query(None, description="new (default), old or title"),
    limit: int = LIMIT_DEFAULT,
    offset: int = 0,
) -> dict[str, Any]:
    """Public open-innovation processes (past their first phase, "being prepared")."""
    rows = _processes()
    if place:
        rows = rows.filter(place__slug=place[:140])
    phases = {p.id for p in get_kind(selectors.KIND).phases}
    if phase in phases:
        rows = rows.filter(phase=phase)
    rows = rows.order_by(*_sort(sort, PROCESS_SORTS, "new"))
    return _page(request, rows, limit, offset, lambda p: _process(request, p))


@api.get(
    "/processes/{int:process_id}/",
    response={200: schemas.ProcessDetail, 404: schemas.Error},
    url_name="process",
    tags=["processes"],
)
def process_detail(request: HttpRequest, process_id: int) -> dict[str, Any]:
    process = (
        _processes()
        .select_related("innovation")
        .prefetch_related("idea_themes")
        .filter(pk=process_id)
        .first()
    )
    if process is None:
        raise Http404
    innovation_row = getattr(process, "innovation", None)
    return {
        **_process(request, process),
        "intro": innovation_row.intro if innovation_row is not None else "",
        "themes": _themes(process.idea_themes.all()),
        "idea_count": selectors.shown_ideas(process).count(),
        "challenge_count": Challenge.objects.filter(process=process).count(),
        "open_to": [
            f.value
            for f in (Feature.PROPOSE, Feature.COMMENT, Feature.SUPPORT)
            if process.allows(f)
        ],
    }


@api.get(
    "/processes/{int:process_id}/challenges/",
    response={200: schemas.ChallengePage, 404: schemas.Error, 422: schemas.Error},
    url_name="challenge_list",
    tags=["processes"],
)
def challenge_list(
    request: HttpRequest, process_id: int, limit: int = LIMIT_DEFAULT, offset: int = 0
) -> dict[str, Any]:
    process = _public_process(process_id)
    rows = (
        Challenge.objects.filter(process=process)
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.only("id", "name")))
        .order_by("created_at", "id")
    )
    args = [process.place.slug, process.slug]

    def build(challenge: Challenge) -> dict[str, Any]:
        path = reverse("innovation_public:challenge", args=[*args, challenge.pk])
        return {
            "id": challenge.pk,
            "title": challenge.title,
            "owner_name": challenge.owner_name,
            "owner_kind": challenge.owner_kind,
            "story": challenge.story,
            "problem": challenge.problem,
            "help_wanted": [h for h in challenge.help_wanted if h in dict(Challenge.HELP)],
            "themes": _themes(challenge.themes.all()),
            "stop_id": challenge.stop_id,
            "created_at": challenge.created_at,
            "url": _absolute(request, path),
        }

    return _page(request, rows, limit, offset, build)


# --- ideas -------------------------------------------------------------------------------


@api.get(
    "/processes/{int:process_id}/ideas/",
    response={200: schemas.IdeaPage, 404: schemas.Error, 422: schemas.Error},
    url_name="idea_list",
    tags=["ideas"],
)
def idea_list(
    request: HttpRequest,
    process_id: int,
    sort: str | None = Query(None, description="new (default), old, support, comments, likes"),
    theme: str | None = Query(None, description="A theme's id (of this process)"),
    challenge: str | None = Query(None, description="A challenge's id (of this process)"),
    stop: str | None = Query(None, description="A stop's id (of this process)"),
    status: str | None = Query(
        None, description="new, review, selected, not_selected, in_plan, done"
    ),
    q: str | None = Query(None, description="Words in the title"),
    limit: int = LIMIT_DEFAULT,
    offset: int = 0,
) -> dict[str, Any]:
    """The process's shown ideas, filtered and sorted by the web list's own rules: a value
    that is not one of the process's themes, challenges or stops, or not a sort name, is
    ignored."""
    process = _public_process(process_id)
    params = {"sort": sort, "theme": theme, "challenge": challenge, "stop": stop}
    filters = selectors.read_filters({**params, "status": status, "q": q}, process)
    rows = selectors.idea_list(process, filters)
    return _page(request, rows, limit, offset, IdeaBuilder(request, process))


@api.get(
    "/ideas/{int:idea_id}/",
    response={200: schemas.IdeaDetail, 404: schemas.Error},
    url_name="idea",
    tags=["ideas"],
)
def idea_detail(request: HttpRequest, idea_id: int) -> dict[str, Any]:
    process, idea = _shown_idea(idea_id)
    return IdeaBuilder(request, process).detail(idea)


# --- writes ------------------------------------------------------------------------------


def _rate(request: HttpRequest, user: User, action: str, default: str) -> None:
    """Refuse a write over the allowance of this person (and of their address)."""
    own = getattr(settings, f"PLATSA_API_{action.upper()}_RATE", default)
    address = getattr(settings, "PLATSA_API_WRITE_RATE_ADDRESS", ADDRESS_RATE)
    if not (hit(request, f"api-{action}:{user.pk}", own) and hit(request, "api-write", address)):
        raise RateLimited


class RateLimited(Exception):  # noqa: N818 - named for what the client meets
    pass


@api.exception_handler(RateLimited)
def _rate_limited(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 429, str(ERRORS["rate"]), "rate", Retry_After="60")


def _one_of(model: type[Any], process: Process, pk: int | None) -> Any:
    if pk is None:
        return None
    found = model.objects.filter(process=process, pk=pk).first()
    if found is None:
        raise innovation.InnovationError("bad_choice")
    return found


@api.post(
    "/processes/{int:process_id}/ideas/",
    auth=TokenAuth(),
    response={201: schemas.IdeaDetail, **WRITE_ERRORS},
    url_name="idea_create",
    tags=["ideas"],
)
def idea_create(
    request: HttpRequest, process_id: int, payload: schemas.IdeaIn
) -> Status[dict[str, Any]]:
    """Post an idea for the token's owner while the process collects ideas. It is shown at
    once, or held for review (``shown`` false) when the process holds new participants'
    first posts."""
    user: User = request.auth  # type: ignore[attr-defined]
    process = _public_process(process_id)
    require_feature(process, Feature.PROPOSE)
    _rate(request, user, "idea", IDEA_RATE)
    themes = list(Theme.objects.filter(process=process, pk__in=set(payload.themes)))
    if len(themes) != len(set(payload.themes)):
        raise innovation.InnovationError("bad_choice")
    idea = innovation.idea_submit(
        process=process,
        user=user,
        title=payload.title,
        body=payload.body,
        themes=themes,
        challenge=_one_of(Challenge, process, payload.challenge),
        stop=_one_of(Stop, process, payload.stop),
        lat=payload.lat,
        lon=payload.lon,
        goal_amount=payload.goal_amount,
    )
    idea = Idea.objects.select_related("author").prefetch_related("themes").get(pk=idea.pk)
    return Status(201, IdeaBuilder(request, process).detail(idea))


def _support(request: HttpRequest, idea_id: int, support: bool) -> dict[str, Any]:
    user: User = request.auth  # type: ignore[attr-defined]
    process, idea = _shown_idea(idea_id)
    require_feature(process, Feature.SUPPORT)
    _rate(request, user, "support", SUPPORT_RATE)
    changed = innovation.idea_support(idea=idea, user=user, support=support)
    count = Idea.objects.values_list("support_count", flat=True).get(pk=idea.pk)
    return {"idea_id": idea.pk, "supported": support, "changed": changed, "support_count": count}


@api.post(
    "/ideas/{int:idea_id}/support/",
    auth=TokenAuth(),
    response={200: schemas.SupportOut, **WRITE_ERRORS},
    url_name="support",
    tags=["ideas"],
)
def support_add(request: HttpRequest, idea_id: int) -> dict[str, Any]:
    """Support the idea as the token's owner: once, however often it is asked."""
    return _support(request, idea_id, True)


@api.delete(
    "/ideas/{int:idea_id}/support/",
    auth=TokenAuth(),
    response={200: schemas.SupportOut, **WRITE_ERRORS},
    url_name="support_withdraw",
    tags=["ideas"],
)
def support_withdraw(request: HttpRequest, idea_id: int) -> dict[str, Any]:
    """Withdraw the token's owner's support of the idea."""
    return _support(request, idea_id, False)


# --- published action plans (platsa.api.plans_api) ------------------------------------------

from platsa.api.plans_api import router as plans_router  # noqa: E402 - after the API exists

api.add_router("/plans/", plans_router)
