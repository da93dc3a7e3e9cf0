"""Counting in the shared cache in one round trip: rate limits and read counters are hit on
every public request, and Django's ``cache.add`` + ``cache.incr`` cost two or three round
trips to Redis (its ``incr`` first asks whether the key exists).

With Redis, ``INCR`` and ``EXPIRE … NX`` go in one pipeline: the key starts at 1 and gets
its lifetime on the first hit only (``NX``: Redis 7 or newer). Any other cache (the
in-process one of the embedded setup) uses ``add`` and ``incr``.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache, caches

from platsa.web.redis_cache import RedisCache


def count(key: str, seconds: int) -> int:
    """Add one to the counter ``key`` (made with a lifetime of ``seconds``); its new value."""
    return count_many([(key, seconds)])[0]


def count_many(counters: list[tuple[str, int]]) -> list[int]:
    """:func:`count` for several counters, in one round trip with Redis (a write checked
    against a person's and an address's limit asked twice)."""
    backend: Any = caches["default"]
    if isinstance(backend, RedisCache):
        keys = [backend.make_and_validate_key(key) for key, _seconds in counters]
        client = backend._cache.get_client(keys[0], write=True)
        pipe = client.pipeline(transaction=False)
        for full, (_key, seconds) in zip(keys, counters, strict=True):
            pipe.incr(full)
            pipe.expire(full, seconds, nx=True)
        replies = pipe.execute()
        return [int(v) for v in replies[::2]]
    return [_count_here(key, seconds) for key, seconds in counters]


def _count_here(key: str, seconds: int) -> int:
    if cache.add(key, 1, seconds):
        return 1
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.add(key, 1, seconds)
        return 1
