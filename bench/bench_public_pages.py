"""Public pages under a crowd, as a share of a bare Django "hello" view in the same run.

A results link shared in a village's Facebook group, or 1,500 phones opening the survey at
a meeting, is the normal peak. Both apps run under gunicorn with the same workers on this
machine; the platsa one as in production (PostgreSQL, Redis, collected and compressed static
files, the demo round of 300 answers, published). wrk asks with a browser's
Accept-Encoding. Targets: the public results page and the survey page at least 30 % of the
bare view's throughput, p95 at most 100 ms at 50 connections; a static page at least 60 %.

    .venv/bin/python bench/bench_public_pages.py [--seconds 5] [--rounds 3] [--workers 4]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import gunicorn, pg_reachable, recreate_pg_database, verdict  # noqa: E402

PLATSA_PORT, HELLO_PORT = 8766, 8767
REDIS_URL = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/7")

PREPARE = r"""
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from platsa.processes.models import Process
from platsa.places.reference_import import import_reference
import_reference(shapes=True)
from platsa.accounts.models import User
from platsa.assessments.generated import round_fill_generated
from platsa.assessments.models import Comment, Round
from platsa.assessments.services import default_groups, round_create
from platsa.core.schema.frameworks import get_framework
from platsa.places.models import Area
from platsa.places.services import place_create
user = User.objects.create_user(email="bench@example.org", password="x" * 12)
place = place_create(user=user, name="Domnarvet", population_estimate=8000,
                     municipality=Area.objects.get(kind="municipality", country="SE", code="2081"))
fw = get_framework("place-attractiveness")
round_ = round_create(place=place, user=user, name="Hösten 2026", framework=fw,
                      groups=default_groups(fw), open_now=True)
round_fill_generated(round_, 300, seed=4, comment_rate=0.3)
Comment.objects.filter(round=round_).update(status="approved")
Process.objects.filter(round__pk=round_.pk).update(is_public=True)
from platsa.processes.services import process_set_phase
from platsa.workshops.services import question_add, workshop_create, workshop_show
w = workshop_create(place=place, user=user, title="Nätverksträff")
q = question_add(workshop=w, kind="choice", prompt="Var bor du?", options=["I byn", "I stan"])
process_set_phase(process=w.process, phase="live", actor=user)
workshop_show(workshop=w, question=q)
print(place.slug, round_.slug, round_.survey_key, w.code)
"""


def run(cmd: list[str], env: dict[str, str]) -> str:
    return subprocess.run(cmd, env=env, cwd=ROOT, check=True, capture_output=True, text=True).stdout


def platsa_and_hello(
    env: dict[str, str], workers: int, platsa_port: int, hello_port: int
) -> list[subprocess.Popen]:
    """Platsa as in production and the bare Django yardstick, the same gunicorn each."""
    return [
        gunicorn("platsa.config.wsgi", platsa_port, workers, env),
        gunicorn(
            "bench.hello_project",
            hello_port,
            workers,
            {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.hello_project"},
        ),
    ]


def wait_for(url: str) -> bytes:
    for _ in range(150):
        try:
            request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})  # noqa: S310  (our own http://127.0.0.1 URLs)
            with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
                return response.read()
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer")


def wrk(
    url: str, connections: int, seconds: int, headers: dict[str, str] | None = None
) -> dict[str, float]:
    extra = [arg for name, value in (headers or {}).items() for arg in ("-H", f"{name}: {value}")]
    out = run(
        [
            "wrk",
            "-t",
            "2",
            "-c",
            str(connections),
            "-d",
            f"{seconds}s",
            "-s",
            str(ROOT / "bench" / "latency.lua"),
            *extra,
            url,
        ],
        dict(os.environ),
    )
    figures = {k: float(v) for k, v in re.findall(r"^(\w+): ([\d.]+)$", out, re.M)}
    statuses = {int(c): int(n) for c, n in re.findall(r"status (\d+): (\d+)", out)}
    figures["ok"] = statuses.get(200, 0)
    figures["bad"] = sum(n for c, n in statuses.items() if c != 200) + figures.get("errors", 0)
    figures["rps"] = figures["requests"] / figures["seconds"]
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    if not pg_reachable():
        raise SystemExit("PostgreSQL is not reachable at 127.0.0.1:5432: cannot run this benchmark")
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk)")
    database_url = recreate_pg_database("platsa_bench_pages")
    var = ROOT / "var" / "bench-pages"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "DJANGO_SETTINGS_MODULE": "platsa.config.settings",
        "PLATSA_VAR_DIR": str(var),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "EMAIL_TO_CONSOLE": "true",  # nothing is mailed in this run
        "WHITENOISE_USE_FINDERS": "false",
        "LOG_LEVEL": "WARNING",
    }
    subprocess.run(["redis-cli", "-u", REDIS_URL, "flushdb"], check=False, capture_output=True)
    run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        {**env, "STATIC_MANIFEST": "true"},
    )
    place, round_slug, key, room = run([sys.executable, "-c", PREPARE], env).split()[-4:]
    servers = platsa_and_hello(env, args.workers, PLATSA_PORT, HELLO_PORT)
    base = f"http://127.0.0.1:{PLATSA_PORT}"
    pages = {
        "public results page": f"{base}/p/{place}/{round_slug}/",
        "survey page": f"{base}/s/{key}/",
        "static page (privacy)": f"{base}/integritet/",
        # a phone joining a live workshop: the question on the screen, a new cookie each time
        "workshop phone page": f"{base}/w/{room}/",
    }
    targets = {
        "public results page": 0.30,
        "survey page": 0.30,
        "static page (privacy)": 0.60,
        "workshop phone page": 0.30,
    }
    try:
        hello_url = f"http://127.0.0.1:{HELLO_PORT}/"
        wait_for(hello_url)
        sizes = {name: len(wait_for(url)) for name, url in pages.items()}  # also warms caches
        # Rounds of interleaved runs: each page is compared with the bare view measured right
        # before it, so that a neighbour's load on this shared machine hits both alike.
        rounds = []
        for _ in range(args.rounds):
            one: dict[str, dict[int, dict[str, float]]] = {}
            for connections in (20, 50):
                for name, url in {"hello": hello_url, **pages}.items():
                    one.setdefault(name, {})[connections] = wrk(url, connections, args.seconds)
            rounds.append(one)
    finally:
        for server in servers:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=20)
    med = statistics.median
    print(
        f"gunicorn -w {args.workers} (sync), PostgreSQL + Redis, demo round of 300 answers, "
        f"published; {args.rounds} rounds of interleaved wrk runs, {args.seconds} s each; medians"
    )
    for connections in (20, 50):
        hello = [r["hello"][connections] for r in rounds]
        print(
            f"bare Django hello view, {connections} connections: "
            f"{med(h['rps'] for h in hello):,.0f} req/s, p95 {med(h['p95_ms'] for h in hello):.1f} ms"
        )
    for name in pages:
        share20 = med(r[name][20]["rps"] / r["hello"][20]["rps"] for r in rounds)
        share50 = med(r[name][50]["rps"] / r["hello"][50]["rps"] for r in rounds)
        rps = med(r[name][20]["rps"] for r in rounds)
        p50 = med(r[name][50]["p50_ms"] for r in rounds)
        p95 = med(r[name][50]["p95_ms"] for r in rounds)
        bad = sum(int(r[name][c]["bad"]) for r in rounds for c in (20, 50))
        target = targets[name]
        print(
            f"{name}: {rps:,.0f} req/s at 20 connections = {share20:.0%} of bare Django "
            f"(target >= {target:.0%}: {verdict(share20, target, higher_is_better=True)}); "
            f"{share50:.0%} at 50 connections; p50 {p50:.1f} ms, p95 {p95:.1f} ms at 50 "
            f"(target <= 100 ms: {verdict(p95, 100)}); {sizes[name]:,} bytes gzipped; "
            f"non-200 or socket errors: {bad}"
        )


if __name__ == "__main__":
    main()
