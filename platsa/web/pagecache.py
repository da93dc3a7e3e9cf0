"""Whole pages from the cache, compressed once, for the crowds that open public pages.

A results link shared in a local Facebook group, or 1,500 phones opening the survey at a
meeting, ask for the same page over and over while nothing changes. Rendering it each time
cost about a second of server time per page. Here a page is rendered once per *version* of
what it shows (the caller builds the key from the data's change stamps and the language) and
kept as gzip segments, so that serving it again costs a cache read and a copy.

Pages with a form need each visitor's own CSRF token. They are rendered with a placeholder
where the token goes; the raw page is split there and each part is compressed as raw
DEFLATE ending in a *full flush*, which leaves the stream byte-aligned and independent of
what came before. The token is then spliced in per request as an uncompressed ("stored")
DEFLATE block, and the gzip trailer's CRC-32 is computed over the parts: a few microseconds
instead of compressing 50 KB (about half a millisecond) on every request.

Only anonymous visitors with no pending messages get cached pages: everything a signed-in
organiser sees is rendered for them.
"""

from __future__ import annotations

import functools
import hashlib
import re
import struct
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.middleware.csrf import get_token
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers

from platsa.web.recent import Recent, clear_all

# What the template's {% csrf_token %} writes into a page that is cached for everyone.
CSRF_PLACEHOLDER = "platsa-csrf-placeholder-7c1e"
CACHE_SECONDS = 24 * 3600
_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # no name, no mtime, unknown OS
_EMPTY_FINAL_BLOCK = b"\x03\x00"  # a final, empty, fixed-Huffman DEFLATE block

Fill = Callable[[HttpRequest], str]


@dataclass(frozen=True)
class CachedPage:
    """A rendered page, split where per-visitor values go (a CSRF token, a form's id)."""

    parts: tuple[bytes, ...]  # the raw page, between placeholders
    slots: tuple[str, ...]  # the placeholder between parts[i] and parts[i + 1]
    deflated: tuple[bytes, ...]  # each part as raw DEFLATE ending in a full flush
    status: int
    content_type: str
    etag: str  # of the content: a page with slots differs for every visitor

    @property
    def personal(self) -> bool:
        return bool(self.slots)


def build(
    body: bytes,
    placeholders: tuple[str, ...] = (CSRF_PLACEHOLDER,),
    *,
    status: int = 200,
    content_type: str = "text/html; charset=utf-8",
) -> CachedPage:
    """Split ``body`` at the placeholders and compress each part once."""
    pattern = re.compile(b"|".join(re.escape(p.encode()) for p in placeholders))
    parts, slots, start = [], [], 0
    for match in pattern.finditer(body):
        parts.append(body[start : match.start()])
        slots.append(match.group().decode())
        start = match.end()
    parts.append(body[start:])
    deflated = []
    for part in parts:
        compressor = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
        deflated.append(compressor.compress(part) + compressor.flush(zlib.Z_FULL_FLUSH))
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    return CachedPage(tuple(parts), tuple(slots), tuple(deflated), status, content_type, etag)


def _stored_block(data: bytes) -> bytes:
    """``data`` as one uncompressed DEFLATE block (not final); the stream is byte-aligned
    after a full flush, so the 3 header bits and their padding make one zero byte."""
    if len(data) > 0xFFFF:
        raise ValueError("a stored block holds at most 65,535 bytes")
    return b"\x00" + struct.pack("<HH", len(data), len(data) ^ 0xFFFF) + data


def gzip_with(page: CachedPage, values: dict[str, bytes]) -> bytes:
    """The page as one gzip member, with each placeholder replaced by its value."""
    out = [_GZIP_HEADER]
    crc, size = 0, 0
    for i, (part, deflated) in enumerate(zip(page.parts, page.deflated, strict=True)):
        if i:
            value = values[page.slots[i - 1]]
            out.append(_stored_block(value))
            crc = zlib.crc32(value, crc)
            size += len(value)
        out.append(deflated)
        crc = zlib.crc32(part, crc)
        size += len(part)
    out.append(_EMPTY_FINAL_BLOCK)
    out.append(struct.pack("<II", crc & 0xFFFFFFFF, size & 0xFFFFFFFF))
    return b"".join(out)


def plain_with(page: CachedPage, values: dict[str, bytes]) -> bytes:
    out = [page.parts[0]]
    for slot, part in zip(page.slots, page.parts[1:], strict=True):
        out += [values[slot], part]
    return b"".join(out)


def _csrf(request: HttpRequest) -> str:
    return get_token(request)


def eligible(request: HttpRequest) -> bool:
    """May this request get (or fill) a page cached for everyone?"""
    if request.method not in ("GET", "HEAD"):
        return False
    if request.COOKIES.get("messages"):  # a message waits to be shown on this page
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        user = getattr(request, "user", None)
        return not (user is not None and user.is_authenticated)
    return True


def accepts_gzip(request: HttpRequest) -> bool:
    return "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", "").lower()


def respond(
    request: HttpRequest,
    page: CachedPage,
    *,
    shared: bool,
    fills: dict[str, Fill] | None = None,
) -> HttpResponse:
    """The cached page for this visitor. ``shared``: the page is the same for everyone (no
    per-visitor values), so a reverse proxy or CDN may keep it and revalidate it with its
    ETag. ``fills`` make each per-visitor value (the CSRF token is built in)."""
    shared = shared and not page.personal
    if shared and request.META.get("HTTP_IF_NONE_MATCH") == page.etag:
        response: HttpResponse = HttpResponseNotModified()
        _headers(response, page, shared=True)
        return response
    makers: dict[str, Fill] = {CSRF_PLACEHOLDER: _csrf, **(fills or {})}
    values = {slot: makers[slot](request).encode() for slot in set(page.slots)}
    if accepts_gzip(request):
        response = HttpResponse(gzip_with(page, values), status=page.status)
        response["Content-Encoding"] = "gzip"  # GZipMiddleware leaves it alone
    else:
        response = HttpResponse(plain_with(page, values), status=page.status)
    response["Content-Type"] = page.content_type
    response["Content-Length"] = str(len(response.content))
    _headers(response, page, shared=shared)
    return response


def _headers(response: HttpResponse, page: CachedPage, *, shared: bool) -> None:
    patch_vary_headers(response, ("Accept-Encoding",))
    if shared:
        # Fresh for no time, but storable: a proxy asks again with If-None-Match and gets a
        # 304 at once while nothing changed, so a change is visible on the next request.
        response["ETag"] = page.etag
        patch_cache_control(
            response,
            public=True,
            max_age=0,
            s_maxage=settings.PLATSA_PROXY_CACHE_SECONDS,
            must_revalidate=True,
        )
    else:
        patch_cache_control(response, private=True, no_cache=True)


def serve(
    request: HttpRequest,
    key: str,
    render: Callable[[bool], HttpResponse],
    *,
    shared: bool,
    fills: dict[str, Fill] | None = None,
    seconds: int = CACHE_SECONDS,
) -> HttpResponse:
    """The page under ``key`` from the cache, or render it and keep it for next time.

    ``render(for_cache)`` builds the page; with ``for_cache`` it must be the page for an
    anonymous visitor with ``csrf_token`` set to :data:`CSRF_PLACEHOLDER` in its context
    (see :func:`page_context`) and each other per-visitor value written as the
    placeholder named in ``fills``. Without, it is the page for this visitor alone.
    Anything but a 200 is served but not kept.
    """
    if not eligible(request):
        return render_for_visitor(render(False))
    return _serve(
        request, f"platsa:page:{key}", render, shared=shared, fills=fills, seconds=seconds
    )


# How long a member's copy of a heavy page is kept when the caller cannot name every change
# that makes a new version (a mapping's answers arrive in hundreds of rounds).
MEMBER_SECONDS = 60


def serve_member(
    request: HttpRequest,
    key: str,
    render: Callable[[bool], HttpResponse],
    *,
    seconds: int = MEMBER_SECONDS,
) -> HttpResponse:
    """A signed-in member's own copy of a page that is heavy to render, under ``key`` for at
    most ``seconds`` (the key names what the member's own actions change; other changes
    show within ``seconds``). Never shared: the key holds the user, the response is private.
    ``render`` as for :func:`serve`."""
    user = getattr(request, "user", None)
    if (
        user is None
        or not user.is_authenticated
        or request.method not in ("GET", "HEAD")
        or request.COOKIES.get("messages")
        or request.session.get("_messages")
    ):
        return render_for_visitor(render(False))
    window = int(time.time() // seconds)  # local copies roll over with the window too
    full_key = f"platsa:member-page:{user.pk}:{window}:{key}"
    return _serve(request, full_key, render, shared=False, fills=None, seconds=seconds)


def _serve(
    request: HttpRequest,
    full_key: str,
    render: Callable[[bool], HttpResponse],
    *,
    shared: bool,
    fills: dict[str, Fill] | None,
    seconds: int,
) -> HttpResponse:
    page = _local.get(full_key)
    if page is None:
        page = cache.get(full_key)
        if page is None:
            response = render(True)
            if response.status_code != 200 or response.streaming:
                return render_for_visitor(response)
            placeholders = (CSRF_PLACEHOLDER, *(fills or {}))
            page = build(response.content, placeholders, content_type=response["Content-Type"])
            cache.set(full_key, page, seconds)
        _local.put(full_key, page)
    return respond(request, page, shared=shared, fills=fills)


def cached(key: str) -> CachedPage | None:
    """The page under ``key`` if it is cached (here or in the shared cache), else None."""
    full_key = f"platsa:page:{key}"
    page = _local.get(full_key)
    if page is None:
        page = cache.get(full_key)
        if page is not None:
            _local.put(full_key, page)
    return page


_local: Recent[CachedPage] = Recent(
    size=128
)  # at most a few MB: pages are 5-150 KB raw, a fifth gzipped


def forget_all() -> None:
    """Drop every cached page and value, here and in the shared cache (tests; a flush)."""
    clear_all()
    cache.clear()


def render_for_visitor(response: HttpResponse) -> HttpResponse:
    """A page rendered for one visitor is theirs alone: not for shared caches."""
    patch_cache_control(response, private=True, no_cache=True)
    return response


def page_context(for_cache: bool) -> dict[str, str]:
    """Context for a page rendered to be cached: the token goes in per request."""
    return {"csrf_token": CSRF_PLACEHOLDER} if for_cache else {}


def stamp(value: object) -> str:
    """A change stamp as the same text whether it came from the ORM (aware) or a raw query
    (naive UTC on SQLite, aware on PostgreSQL): the fast paths read stamps with one light
    query, the full paths from their objects, and both must make the same key."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return f"{value.timestamp():.6f}"
    return str(value)


def gate_row(sql: str, params: list[str]) -> tuple[Any, ...] | None:
    """The one row a fast path reads its stamps from, with a raw query (building the ORM's
    query cost more than serving the cached page)."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return tuple(row) if row is not None else None


def digest(*parts: object) -> str:
    """A short cache-key part from the things a page's version depends on."""
    text = "|".join(str(p) for p in parts)
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:24]


@functools.cache
def build_id() -> str:
    """Changes when the code's templates or static files change (a deploy): a part of the keys
    of pages that show nothing from the database. Read once per process."""
    root = Path(__file__).resolve().parent.parent
    stamps = [
        f"{path.relative_to(root)}:{path.stat().st_mtime_ns}"
        for path in sorted(root.rglob("*.html"))
    ]
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.exists():
        stamps.append(f"manifest:{manifest.stat().st_mtime_ns}")
    return digest(*stamps)


def static_page(
    seconds: int = 3600,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """For pages that show no data (privacy, accessibility…): cached per path and language
    for anonymous visitors, and shareable by proxies (they revalidate by ETag)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
            key = "static:" + digest(request.path, translation.get_language(), build_id())
            return serve(
                request,
                key,
                lambda _for_cache: view(request, *args, **kwargs),
                shared=True,
                seconds=seconds,
            )

        return wrapper

    return decorator
