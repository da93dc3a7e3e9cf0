"""Live updates to open pages (a projector, a presenter's view) as server-sent events.

A page subscribes to a *channel* ("conversation:<id>") with ``EventSource``; whatever
changes what the page shows publishes a short message on that channel (after its
transaction commits), and the page fetches the part that changed. Each message carries a
sequence number, so a page that reconnects (``Last-Event-ID``) or subscribes a moment after
a change still gets it.

Two brokers, chosen by ``REDIS_URL`` as the cache is:

- in this process (the embedded default: one ``runserver`` or one gunicorn worker with
  threads): a condition variable per channel; a stream also asks a *probe* of the page's
  state once a second, since the task worker beside it is another process;
- Redis pub/sub when several processes, on one machine or many, serve one room: a message
  published by a worker reaches the streams held open by every web process. The latest
  message of each channel is also kept under a key, for a subscriber that arrives late.

A stream holds a thread for as long as the page is open: run gunicorn with threads
(``-k gthread --threads 16``) when pages use it. Each stream ends after about a minute and
the browser reconnects by itself, so no connection outlives a deploy for long.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, StreamingHttpResponse

STREAM_SECONDS = 55
KEEPALIVE_SECONDS = 15
PROBE_SECONDS = 1.0


@dataclass(frozen=True)
class Message:
    seq: int
    data: str


class Broker(Protocol):
    def publish(self, channel: str, data: str) -> Message: ...

    def latest(self, channel: str) -> Message | None: ...

    def wait(self, channel: str, after: int, timeout: float) -> Message | None: ...


class LocalBroker:
    """Channels in this process's memory."""

    def __init__(self) -> None:
        self._lock = threading.Condition()
        self._last: dict[str, Message] = {}

    def publish(self, channel: str, data: str) -> Message:
        with self._lock:
            previous = self._last.get(channel)
            message = Message((previous.seq if previous else 0) + 1, data)
            self._last[channel] = message
            self._lock.notify_all()
        return message

    def latest(self, channel: str) -> Message | None:
        with self._lock:
            return self._last.get(channel)

    def wait(self, channel: str, after: int, timeout: float) -> Message | None:
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                found = self._last.get(channel)
                if found is not None and found.seq > after:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self._lock.wait(left)


class RedisBroker:
    """Channels in Redis: PUBLISH for the streams that listen now, a key for the latest."""

    def __init__(self, url: str) -> None:
        import redis

        self._redis: Any = redis.Redis.from_url(url)

    @staticmethod
    def _keys(channel: str) -> tuple[str, str, str]:
        return f"platsa:live:{channel}", f"platsa:live-seq:{channel}", f"platsa:live-last:{channel}"

    def publish(self, channel: str, data: str) -> Message:
        topic, seq_key, last_key = self._keys(channel)
        seq = int(self._redis.incr(seq_key))
        payload = json.dumps({"seq": seq, "data": data})
        pipe = self._redis.pipeline()
        pipe.set(last_key, payload, ex=24 * 3600)
        pipe.expire(seq_key, 24 * 3600)
        pipe.publish(topic, payload)
        pipe.execute()
        return Message(seq, data)

    def latest(self, channel: str) -> Message | None:
        raw = self._redis.get(self._keys(channel)[2])
        if raw is None:
            return None
        found = json.loads(raw)
        return Message(int(found["seq"]), str(found["data"]))

    def wait(self, channel: str, after: int, timeout: float) -> Message | None:
        topic = self._keys(channel)[0]
        pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
        try:
            pubsub.subscribe(topic)
            found = self.latest(channel)  # a change between the page and the subscription
            if found is not None and found.seq > after:
                return found
            deadline = time.monotonic() + timeout
            while (left := deadline - time.monotonic()) > 0:
                raw = pubsub.get_message(timeout=left)
                if raw is None or raw.get("type") != "message":
                    continue
                message = json.loads(raw["data"])
                if int(message["seq"]) > after:
                    return Message(int(message["seq"]), str(message["data"]))
            return None
        finally:
            pubsub.close()


_broker: Broker | None = None
_broker_lock = threading.Lock()


def broker() -> Broker:
    global _broker
    with _broker_lock:
        if _broker is None:
            url = getattr(settings, "REDIS_URL", "")
            _broker = RedisBroker(url) if url else LocalBroker()
        return _broker


def publish(channel: str, data: str = "") -> None:
    """Tell the pages open on ``channel`` that something changed, once the current
    transaction commits (before, a page would fetch the old state)."""
    transaction.on_commit(lambda: broker().publish(channel, data), robust=True)


def _events(
    channel: str, after: int, seconds: float, probe: Callable[[], str] | None
) -> Iterator[bytes]:
    yield b"retry: 3000\n\n"
    deadline = time.monotonic() + seconds
    source = broker()
    # In one process's memory, a message published by another process (the task worker
    # beside `./dev run`) never arrives: there the stream asks ``probe`` once a second.
    polling = probe is not None and isinstance(source, LocalBroker)
    seen = probe() if polling and probe is not None else ""
    quiet_since = time.monotonic()
    while (left := deadline - time.monotonic()) > 0:
        found = source.wait(
            channel, after, min(PROBE_SECONDS if polling else KEEPALIVE_SECONDS, left)
        )
        if found is not None:
            after = found.seq
            data = found.data.replace("\n", " ")
            yield f"id: {found.seq}\ndata: {data}\n\n".encode()
            quiet_since = time.monotonic()
            continue
        if polling and probe is not None and (now := probe()) != seen:
            seen = now
            yield f"data: {now}\n\n".encode()
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since >= KEEPALIVE_SECONDS:
            yield b": keep-alive\n\n"
            quiet_since = time.monotonic()


def stream(
    request: HttpRequest,
    channel: str,
    *,
    seconds: float = STREAM_SECONDS,
    probe: Callable[[], str] | None = None,
) -> StreamingHttpResponse:
    """The server-sent events of ``channel`` from the client's ``Last-Event-ID`` on (a new
    page gets nothing old: it has just rendered the current state). ``probe`` returns a
    stamp of what the page shows, asked once a second where messages cannot cross
    processes (no Redis)."""
    try:
        after = int(request.headers.get("Last-Event-ID", ""))
    except ValueError:
        latest = broker().latest(channel)
        after = latest.seq if latest else 0
    response = StreamingHttpResponse(
        _events(channel, after, seconds, probe), content_type="text/event-stream"
    )
    response["Cache-Control"] = "no-cache, no-store"
    response["X-Accel-Buffering"] = "no"  # nginx: pass each event on at once
    response["Content-Encoding"] = "identity"  # GZipMiddleware would hold events back
    return response
