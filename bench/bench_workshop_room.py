"""A room of phones answering one live question, on loopback against gunicorn and
PostgreSQL (issue 10's target: 1,500 phones within 10 s, every answer counted, and the
screen showing the final count within 2 s of the last answer).

Each simulated phone does what a phone does: opens the session page (which gives it its
token and the form's CSRF token) and sends its answer as the page's script does (in place,
the confirmation in a small JSON reply): two requests per phone. With ``--no-script``, as a
phone without JavaScript: the plain form, its redirect and the page it is sent back to
(three requests). At most ``--concurrency`` phones at a time (a venue's Wi-Fi does not
deliver 1,500 at once either). Then the count on the screen's part is read until it shows
every answer, as the projector does when told.

The phones are Node's (bench/room_phones.mjs: its own http, keep-alive), which leaves the
two cores to the server as wrk would (wrk cannot carry a phone's cookie and token from its
page to its answer); without Node, or with ``--python``, Python's httpx, which takes about
half of the machine itself.

    .venv/bin/python bench/bench_workshop_room.py [--phones 1500] [--concurrency 50]
        [--no-script] [--python]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    PREPARE_PLACE,
    gunicorn,
    pg_reachable,
    recreate_pg_database,
    verdict,
)

PORT = 8767

PREPARE = (
    PREPARE_PLACE
    + r"""
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from platsa.processes.services import process_set_phase
from platsa.workshops.services import question_add, workshop_create, workshop_show
w = workshop_create(place=place, user=user, title="Bänk")
q = question_add(workshop=w, kind="choice", prompt="Var bor du?", options=["I byn", "I stan", "Annat"])
process_set_phase(process=w.process, phase="live", actor=user)
workshop_show(workshop=w, question=q)
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
print(w.code, q.pk, session.session_key)
"""
)


async def phone(
    transport, base: str, code: str, question: int, i: int, script: bool
) -> tuple[int, float]:
    import httpx

    # Each phone its own cookies; the connections to the server are shared (keep-alive),
    # so the load generator measures the server, not its own connection set-up.
    # (not closed: closing a client closes the transport it shares)
    own = httpx.AsyncClient(base_url=base, timeout=60, transport=transport)
    page = await own.get(f"/w/{code}/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    headers = {"Referer": f"{base}/w/{code}/"}
    if script:
        headers["X-Requested-With"] = "fetch"
    response = await own.post(
        f"/w/{code}/svara/",
        data={"csrfmiddlewaretoken": token, "question": question, "answer": i % 3},
        headers=headers,
    )
    if response.status_code == 302:  # the phone shows its confirmation, as a browser does
        await own.get(response.headers["Location"])
        return 200, time.perf_counter()
    ok = response.status_code == 200 and response.json().get("ok") is True
    return (200 if ok else response.status_code), time.perf_counter()


async def room(base: str, code: str, question: int, phones: int, concurrency: int, script: bool):
    import httpx

    gate = asyncio.Semaphore(concurrency)
    transport = httpx.AsyncHTTPTransport(
        limits=httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    )

    async def one(i: int):
        async with gate:
            return await phone(transport, base, code, question, i, script)

    try:
        return await asyncio.gather(*(one(i) for i in range(phones)))
    finally:
        await transport.aclose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--phones", type=int, default=1500)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--no-script", action="store_true", help="phones without JavaScript")
    parser.add_argument("--python", action="store_true", help="httpx phones instead of Node's")
    args = parser.parse_args()
    if not pg_reachable():
        raise SystemExit("PostgreSQL is not reachable at 127.0.0.1:5432")
    env = {
        **os.environ,
        "DATABASE_URL": recreate_pg_database("platsa_bench_room"),
        "DJANGO_SETTINGS_MODULE": "platsa.config.settings",
        "EMAIL_TO_CONSOLE": "true",
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
    }
    out = subprocess.run(
        [sys.executable, "-c", PREPARE],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    code, question, session = out.stdout.split()[-3:]
    server = gunicorn("platsa.config.wsgi", PORT, args.workers, env)
    base = f"http://127.0.0.1:{PORT}"
    try:
        import httpx

        for _ in range(100):
            try:
                httpx.get(f"{base}/w/", timeout=2)
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        node = None if args.python else shutil.which("node")
        if node:
            run = subprocess.run(
                [
                    node,
                    str(ROOT / "bench" / "room_phones.mjs"),
                    base,
                    code,
                    question,
                    str(args.phones),
                    str(args.concurrency),
                    "0" if args.no_script else "1",
                ],
                check=True,
                capture_output=True,
                text=True,
            )
            report = json.loads(run.stdout.strip().splitlines()[-1])
            elapsed = (report["last"] - report["started"]) / 1000
            answered = report["answered"]
            last_epoch = report["last"] / 1000
            generator = "Node (bench/room_phones.mjs)"
        else:
            started = time.perf_counter()
            results = asyncio.run(
                room(base, code, int(question), args.phones, args.concurrency, not args.no_script)
            )
            last = max(t for _s, t in results)
            elapsed = last - started
            answered = sum(1 for s, _t in results if s == 200)
            last_epoch = time.time() - (time.perf_counter() - last)
            generator = "Python (httpx)"
        screen = httpx.Client(base_url=base, cookies={"sessionid": session}, timeout=10)
        shown_at = None
        while time.time() - last_epoch < 10:
            part = screen.get(f"/w/{code}/skarm/del/").text
            if f"{answered} svar" in part or f"{answered} answers" in part:
                shown_at = time.time()
                break
            time.sleep(0.05)
        import psycopg

        with psycopg.connect(env["DATABASE_URL"]) as conn:
            stored = conn.execute("select count(*) from workshops_answer").fetchone()[0]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
    print(
        f"{args.phones} phones, at most {args.concurrency} at a time, each opening the page and "
        + (
            "answering as a phone without JavaScript (form, redirect, page)"
            if args.no_script
            else "answering as the page's script does (in place, a JSON reply)"
        )
        + f"; gunicorn -w {args.workers} (sync), PostgreSQL, "
        f"no Redis; the load generator ({generator}) on the same two cores"
    )
    print(
        f"  all answered in {elapsed:.1f} s (target <= 10 s: {verdict(elapsed, 10.0)}); "
        f"acknowledged {answered:,}; stored {stored:,}; "
        f"every acknowledged answer stored: {'yes' if stored == answered else 'NO'}"
    )
    if shown_at is None:
        print(
            "  the screen did not show the final count within 10 s of the last answer: MISSES target"
        )
    else:
        lag = shown_at - last_epoch
        print(
            f"  the screen showed the final count {lag:.2f} s after the last answer (target <= 2 s: {verdict(lag, 2.0)})"
        )


if __name__ == "__main__":
    main()
