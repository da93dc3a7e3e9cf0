"""Bounds on what anonymous visitors may send, checked before Django reads the body."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

View = Callable[..., HttpResponse]


def small_form_post(view: View) -> View:
    """Public forms take a small urlencoded body and no files.

    Django caps form fields in memory (``DATA_UPLOAD_MAX_MEMORY_SIZE``) but not file parts:
    a 30 MB multipart POST to the anonymous survey was read and spooled to disk. Here a
    POST of more than ``PLATSA_PUBLIC_POST_MAX_BYTES`` is refused from its headers alone,
    before a byte of the body is read; within that, a body with a file in it is refused.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if request.method == "POST":
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                return _refused(request, 400)
            if length > settings.PLATSA_PUBLIC_POST_MAX_BYTES:
                return _refused(request, 413)
            if (request.content_type or "").startswith("multipart/") and request.FILES:
                return _refused(request, 415)
        return view(request, *args, **kwargs)

    return wrapper


def _refused(request: HttpRequest, status: int) -> HttpResponse:
    return render(request, "web/refused_post.html", {"status": status}, status=status)
