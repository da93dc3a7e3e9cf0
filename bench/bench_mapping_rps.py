"""The coordinator's comparison page under load when nothing changed, as a share of a bare
Django "hello" view in the same run (target: at least 30 %), on PostgreSQL and Redis with
several gunicorn workers: a mapping of 300 municipalities x 40 respondents, a signed-in
coordinator (wrk sends the session cookie).

A network meeting where 40 people open the comparison on their laptops, or a coordinator
flicking between dimensions, asks for the same page again and again between answers.

    .venv/bin/python bench/bench_mapping_rps.py [--units 300] [--per-unit 40] [--seconds 5]
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_public_pages import (  # noqa: E402
    REDIS_URL,
    platsa_and_hello,
    run,
    wait_for,
    wrk,
)
from bench.common import pg_reachable, recreate_pg_database, verdict  # noqa: E402

PLATSA_PORT, HELLO_PORT = 8776, 8777

PREPARE = r"""
import sys
import django
django.setup()
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
call_command("migrate", verbosity=0)
from platsa.accounts.models import User
from platsa.assessments.generated import round_fill_generated
from platsa.catalogue.selectors import frameworks
from platsa.mappings.services import Participant, mapping_create, mapping_rounds
from platsa.places.models import Area, Place
from platsa.places.reference_import import import_reference
from platsa.places.services import place_create
units, per_unit = int(sys.argv[1]), int(sys.argv[2])
import_reference(shapes=True)
user = User.objects.create_user(email="bench@example.org", password="x" * 12)
home = Area.objects.get(kind="municipality", country="SE", code="2081")
region = place_create(user=user, name="Bänkregion", municipality=home, kind=Place.Kind.OTHER)
fw = frameworks()["innovation-capacity"]
areas = list(Area.objects.filter(kind="municipality").order_by("country", "code")[:units])
mapping, _created = mapping_create(place=region, user=user, title="Bänk", framework=fw,
    participants=[Participant(municipality=a) for a in areas], base_url="http://127.0.0.1/")
for i, round_ in enumerate(mapping_rounds(mapping)):
    round_fill_generated(round_, per_unit, seed=i + 1)
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
print(region.slug, mapping.slug, session.session_key)
"""


def fetch(url: str, cookie: str) -> tuple[int, int]:
    request = urllib.request.Request(  # noqa: S310  (our own http://127.0.0.1 URLs)
        url, headers={"Accept-Encoding": "gzip", "Cookie": cookie}
    )
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
        return response.status, len(response.read())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=300)
    parser.add_argument("--per-unit", type=int, default=40)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    if not pg_reachable():
        raise SystemExit("PostgreSQL is not reachable at 127.0.0.1:5432: cannot run this benchmark")
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk)")
    env = {
        **os.environ,
        "DATABASE_URL": recreate_pg_database("platsa_bench_mapping_rps"),
        "REDIS_URL": REDIS_URL,
        "DJANGO_SETTINGS_MODULE": "platsa.config.settings",
        "PLATSA_VAR_DIR": str(ROOT / "var" / "bench-mapping-rps"),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "EMAIL_TO_CONSOLE": "true",
        "WHITENOISE_USE_FINDERS": "false",
        "LOG_LEVEL": "WARNING",
    }
    subprocess.run(["redis-cli", "-u", REDIS_URL, "flushdb"], check=False, capture_output=True)
    run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        {**env, "STATIC_MANIFEST": "true"},
    )
    out = run([sys.executable, "-c", PREPARE, str(args.units), str(args.per_unit)], env)
    place, mapping, session = out.split()[-3:]
    cookie = f"sessionid={session}"
    servers = platsa_and_hello(env, args.workers, PLATSA_PORT, HELLO_PORT)
    page = f"http://127.0.0.1:{PLATSA_PORT}/platser/{place}/kartlaggningar/{mapping}/"
    hello = f"http://127.0.0.1:{HELLO_PORT}/"
    try:
        wait_for(hello)
        wait_for(f"http://127.0.0.1:{PLATSA_PORT}/integritet/")
        status, size = fetch(page, cookie)  # also warms the caches
        if status != 200:
            raise SystemExit(f"the comparison page answered {status}")
        shares, rates, p95s, bad = [], [], [], 0
        for _ in range(args.rounds):
            base = wrk(hello, 20, args.seconds)
            mine = wrk(page, 20, args.seconds, headers={"Cookie": cookie})
            shares.append(mine["rps"] / base["rps"])
            rates.append((base["rps"], mine["rps"]))
            p95s.append(mine["p95_ms"])
            bad += int(mine["bad"])
    finally:
        for server in servers:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=20)
    med = statistics.median
    share = med(shares)
    print(
        f"gunicorn -w {args.workers} (sync), PostgreSQL + Redis; mapping of {args.units} "
        f"municipalities x {args.per_unit} respondents, signed-in coordinator; "
        f"{args.rounds} rounds of interleaved wrk runs at 20 connections, {args.seconds} s each"
    )
    print(f"bare Django hello view: {med(r[0] for r in rates):,.0f} req/s")
    print(
        f"comparison page, nothing changed: {med(r[1] for r in rates):,.0f} req/s = {share:.0%} "
        f"of bare Django (target >= 30 %: {verdict(share, 0.30, higher_is_better=True)}); "
        f"p95 {med(p95s):.1f} ms; {size:,} bytes gzipped; non-200 or socket errors: {bad}"
    )


if __name__ == "__main__":
    main()
