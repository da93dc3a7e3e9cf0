"""Files handed to the browser as downloads."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponse
from django.utils.cache import patch_cache_control


def download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    """A file to save. Downloads carry people's answers, comments or an organiser's own data:
    no browser, proxy or shared computer's cache may keep a copy (``no-store``)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    no_store(response)
    return response


def no_store(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, private=True, no_store=True, max_age=0)
    return response


def json_download(data: Any, filename: str) -> HttpResponse:
    """Someone's own data as a JSON file (GDPR art. 15 and 20: readable and portable)."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return download(text.encode("utf-8"), "application/json; charset=utf-8", filename)
