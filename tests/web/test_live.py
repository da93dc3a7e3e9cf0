"""Live updates: a message published on a channel reaches a stream that waits for it, in
one process and through Redis (several processes), and a page that subscribes late or
reconnects still gets the latest."""

from __future__ import annotations

import threading
import time
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from platsa.web.live import LocalBroker, RedisBroker
from tests.web.test_conversations import conversation  # noqa: F401  (fixture)

REDIS = "redis://127.0.0.1:6379/15"


@pytest.mark.parametrize("make", [LocalBroker, lambda: RedisBroker(REDIS)], ids=["local", "redis"])
def test_a_waiting_stream_gets_the_message_published_meanwhile(make):
    broker = make()
    channel = f"test:{uuid.uuid4().hex}"
    assert broker.latest(channel) is None
    assert broker.wait(channel, 0, timeout=0.2) is None  # nothing yet: waits, then gives up
    got = []
    waiter = threading.Thread(target=lambda: got.append(broker.wait(channel, 0, timeout=5)))
    waiter.start()
    time.sleep(0.2)
    started = time.monotonic()
    sent = broker.publish(channel, "ny analys")
    waiter.join(timeout=6)
    assert got == [sent]
    assert time.monotonic() - started < 1.0  # well within the second the issue asks for
    assert sent.seq == 1
    second = broker.publish(channel, "igen")
    assert second.seq == 2
    # late or reconnecting: the latest one after the seq it saw, at once
    assert broker.wait(channel, 1, timeout=0.1) == second
    assert broker.wait(channel, 2, timeout=0.1) is None


@pytest.mark.django_db
def test_the_projector_gets_an_event_when_a_new_analysis_is_kept(
    conversation,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    from platsa.conversations.analysis import analysis_run
    from tests.web.test_conversations import _planted_votes

    public = conversation.public_id
    page = Client().get(reverse("conversations_public:results", args=[public]) + "?live=1")
    assert b"data-live-stream" in page.content
    assert b"live-results" in page.content  # the small script that listens
    _planted_votes(conversation, n_per_group=3)
    with django_capture_on_commit_callbacks(execute=True):
        analysis_run(conversation.pk)
    response = Client().get(
        reverse("conversations_public:results_events", args=[public]), HTTP_LAST_EVENT_ID="0"
    )
    assert response["Content-Type"] == "text/event-stream"
    chunks = iter(response.streaming_content)
    assert next(chunks) == b"retry: 3000\n\n"
    event = next(chunks).decode()
    assert event.startswith("id: 1\ndata: ")
    response.close()


def test_without_redis_a_stream_asks_the_probe_since_the_worker_is_another_process():
    from platsa.web.live import _events

    state = {"stamp": "a"}
    events = _events(f"test:{uuid.uuid4().hex}", 0, 3.0, lambda: state["stamp"])
    assert next(events) == b"retry: 3000\n\n"
    threading.Timer(0.3, lambda: state.update(stamp="b")).start()
    started = time.monotonic()
    assert next(events) == b"data: b\n\n"  # the worker kept a new analysis
    assert time.monotonic() - started < 2.0
