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
    backend: Any = caches["default"]
    if isinstance(backend, RedisCache):
        full = backend.make_and_validate_key(key)
        client = backend._cache.get_client(full, write=True)
        pipe = client.pipeline(transaction=False)
        pipe.incr(full)
        pipe.expire(full, seconds, nx=True)
        value, _set = pipe.execute()
        return int(value)
    if cache.add(key, 1, seconds):
        return 1
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.add(key, 1, seconds)
        return 1
