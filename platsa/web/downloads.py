"""Files handed to the browser as downloads."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponse


def download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def json_download(data: Any, filename: str) -> HttpResponse:
    """Someone's own data as a JSON file (GDPR art. 15 and 20: readable and portable)."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return download(text.encode("utf-8"), "application/json; charset=utf-8", filename)
