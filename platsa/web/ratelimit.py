"""A fixed-window rate limit per client on public actions (survey submissions).

Clients are told apart by a keyed hash of their IP address, kept only in the cache for the
window: no IP address is stored or logged.
"""

from __future__ import annotations

import hashlib
import hmac
import time

from django.conf import settings
from django.http import HttpRequest

from platsa.web import counters


def client_key(request: HttpRequest) -> str:
    ip = request.META.get("REMOTE_ADDR", "")
    hops = settings.PLATSA_PROXY_HOPS
    if hops:
        # Clients can write anything into X-Forwarded-For; only the entries appended by our
        # own proxies (the last ``hops``) can be trusted, and the first of those is the client.
        forwarded = [
            p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()
        ]
        if len(forwarded) >= hops:
            ip = forwarded[-hops]
    return hmac.new(settings.SECRET_KEY.encode(), ip.encode(), hashlib.sha256).hexdigest()[:32]


def parse_rate(rate: str) -> tuple[int, int]:
    """``"120/600"`` -> (120 requests, 600 seconds)."""
    count, seconds = rate.split("/")
    return int(count), int(seconds)


def hit(request: HttpRequest, scope: str, rate: str) -> bool:
    """Count one request; False when the client has used up its allowance for the window."""
    return hit_all(request, [(scope, rate)])


def hit_all(request: HttpRequest, limits: list[tuple[str, str]]) -> bool:
    """Count one request against each ``(scope, rate)`` at once (one round trip to the
    cache); False when any allowance is used up. Each is counted, also when another is
    already full."""
    client = client_key(request)
    now = time.time()
    keys, ceilings = [], []
    for scope, rate in limits:
        limit, window = parse_rate(rate)
        keys.append((f"platsa:rl:{scope}:{client}:{int(now // window)}", window + 5))
        ceilings.append(limit)
    counted = counters.count_many(keys)
    return all(n <= limit for n, limit in zip(counted, ceilings, strict=True))
