"""The Redis cache with one client per pool, against the real Redis this machine runs
(production's cache; the suite otherwise runs on each process's own memory)."""

from __future__ import annotations

import os
import uuid

from platsa.web.redis_cache import RedisCache

URL = os.environ.get("PLATSA_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def test_values_go_in_and_out_through_one_client():
    cache = RedisCache(URL, {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})
    cache.set("a", {"page": b"\x1f\x8b", "n": 3}, 30)
    assert cache.get("a") == {"page": b"\x1f\x8b", "n": 3}
    assert cache.add("a", 1) is False
    assert cache.get_many(["a", "missing"]) == {"a": {"page": b"\x1f\x8b", "n": 3}}
    cache.delete("a")
    assert cache.get("a") is None
    client = cache._cache.get_client()
    assert cache._cache.get_client(write=True) is client  # one server: one pool, one client
