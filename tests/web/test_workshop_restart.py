"""A server that dies during a session loses no acknowledged answer, and the phone resumes
where it was: a real server process (runserver) on the test database, killed with SIGKILL
right after a phone's answer was acknowledged, then started again."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from django.db import connection

from platsa.workshops.models import Answer
from platsa.workshops.services import question_add, workshop_create, workshop_show

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DJANGO_SETTINGS_MODULE": "platsa.config.settings",
        "ALLOWED_HOSTS": "127.0.0.1",
        "EMAIL_TO_CONSOLE": "true",
    }
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    for _attempt in range(150):
        try:
            httpx.get(f"http://127.0.0.1:{port}/w/", timeout=1)
            return server
        except httpx.HTTPError:
            time.sleep(0.1)
    server.kill()
    raise AssertionError("the server did not start")


def _kill(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGKILL)  # no shutdown: as a power cut or a crash
    server.wait(timeout=10)


def test_an_acknowledged_answer_survives_a_killed_server(place, owner):
    workshop = workshop_create(place=place, user=owner, title="Omstart")
    question = question_add(
        workshop=workshop, kind="choice", prompt="Var bor du?", options=["I byn", "I stan"]
    )
    from platsa.processes.services import process_set_phase

    process_set_phase(process=workshop.process, phase="live", actor=owner)
    workshop_show(workshop=workshop, question=question)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = _start(port)
    try:
        phone = httpx.Client(base_url=base, timeout=10)
        page = phone.get(f"/w/{workshop.code}/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        reply = phone.post(
            f"/w/{workshop.code}/svara/",
            data={"csrfmiddlewaretoken": token, "question": question.pk, "answer": "1"},
            headers={"X-Requested-With": "fetch", "Referer": f"{base}/w/{workshop.code}/"},
        )
        assert reply.status_code == 200
        assert reply.json()["ok"] is True
    finally:
        _kill(server)
    assert list(Answer.objects.values_list("choice", flat=True)) == [1]
    server = _start(port)
    try:
        again = phone.get(f"/w/{workshop.code}/").text  # the same phone, the same cookie
    finally:
        _kill(server)
    assert re.search(r'value="1" id="opt-1" checked', again)  # its answer, where it was
    assert "Var bor du?" in again
