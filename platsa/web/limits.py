"""Bounds on what visitors may send, checked before anything reads the body."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

View = Callable[..., HttpResponse]

# The one form that takes a file: a spreadsheet of paper answers.
UPLOAD_PATHS = re.compile(r"^/platser/[^/]+/(omgangar|samtal)/[^/]+/import/$")


class BodySizeLimitMiddleware:
    """Refuse a POST larger than its path may take, from its headers alone.

    Django caps form fields in memory (``DATA_UPLOAD_MAX_MEMORY_SIZE``) but not file parts,
    and CSRF checking reads the body before any view runs: a 60 MB multipart POST to the
    anonymous survey (or to the login page) was parsed and spooled to disk before being
    refused. This sits before ``CsrfViewMiddleware``. Every form takes at most
    ``PLATSA_PUBLIC_POST_MAX_BYTES`` (the survey's 28 comments fit), the import form a
    spreadsheet of ``PLATSA_IMPORT_MAX_BYTES``. A body sent without a length (chunked) is
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
            limit = (
                settings.PLATSA_IMPORT_MAX_BYTES + 64 * 1024
                if UPLOAD_PATHS.match(request.path_info)
                else settings.PLATSA_PUBLIC_POST_MAX_BYTES
            )
            if length > limit:
                return refused(request, 413)
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


def refused(request: HttpRequest, status: int) -> HttpResponse:
    return render(request, "web/refused_post.html", {"status": status}, status=status)
