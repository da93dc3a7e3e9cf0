"""Bounds on what visitors may send, checked before anything reads the body."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

View = Callable[..., HttpResponse]

# The forms that take a file: a spreadsheet of paper answers, and (below, with their own
# bounds) a workshop session moved from a laptop, an idea's or a feed post's picture, and
# the organisers' spreadsheet of official answers.
UPLOAD_PATHS = re.compile(r"^/platser/[^/]+/(omgangar|samtal)/[^/]+/import/$")
FILE_PATHS: tuple[tuple[re.Pattern[str], int], ...] = (
    (re.compile(r"^/platser/[^/]+/workshoppar/importera/$"), 16 * 1024 * 1024),
    (re.compile(r"^/i/[^/]+/[^/]+/ny/$"), 8_000_000),
    (re.compile(r"^/platser/[^/]+/innovation/[^/]+/flode/$"), 8_000_000),
    (re.compile(r"^/platser/[^/]+/innovation/[^/]+/ideer/svar/$"), 2_000_000),
    # A plan's update with a photo; its accountability spreadsheet.
    (re.compile(r"^/platser/[^/]+/planer/[^/]+/atgard/\d+/uppdatering/$"), 8_000_000),
    (re.compile(r"^/platser/[^/]+/planer/[^/]+/uppfoljning/$"), 2_000_000),
)


def body_limit(path: str) -> int:
    """The most a POST to ``path`` may send (a file's bound and room for the form)."""
    if UPLOAD_PATHS.match(path):
        return settings.PLATSA_IMPORT_MAX_BYTES + 64 * 1024
    for pattern, limit in FILE_PATHS:
        if pattern.match(path):
            return limit + 64 * 1024
    return settings.PLATSA_PUBLIC_POST_MAX_BYTES


class BodySizeLimitMiddleware:
    """Refuse a POST larger than its path may take, from its headers alone.

    Django caps form fields in memory (``DATA_UPLOAD_MAX_MEMORY_SIZE``) but not file parts,
    and CSRF checking reads the body before any view runs: a 60 MB multipart POST to the
    anonymous survey (or to the login page) was parsed and spooled to disk before being
    refused. This sits before ``CsrfViewMiddleware``. Every form takes at most
    ``PLATSA_PUBLIC_POST_MAX_BYTES`` (the survey's 28 comments fit), the import form a
    spreadsheet of ``PLATSA_IMPORT_MAX_BYTES``, the other file forms their own bound
    (:data:`FILE_PATHS`). A body sent without a length (chunked) is
    not read by Django at all.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in ("POST", "PUT", "PATCH"):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                return refused(request, 400)
            limit = body_limit(request.path_info)
            if length > limit:
                return refused(request, 413, limit=limit)
        return self.get_response(request)


def small_form_post(view: View) -> View:
    """Public forms take text only: a body with a file in it is refused (its size is
    already bounded by :class:`BodySizeLimitMiddleware`)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if (
            request.method == "POST"
            and (request.content_type or "").startswith("multipart/")
            and request.FILES
        ):
            return refused(request, 415)
        return view(request, *args, **kwargs)

    return wrapper


def refused(request: HttpRequest, status: int, *, limit: int | None = None) -> HttpResponse:
    """The refusal page; for a form that takes a file, how large a file may be."""
    files = limit is not None and limit > settings.PLATSA_PUBLIC_POST_MAX_BYTES
    limit_mb = round(limit / 1_000_000) if files and limit else None
    return render(
        request, "web/refused_post.html", {"status": status, "limit_mb": limit_mb}, status=status
    )
