"""Survey submissions per second on PostgreSQL with 20 concurrent clients on loopback
(target >= 300/s sustained), every one stored.

The app runs under gunicorn as in production; wrk (Debian's package) is the load: 20
connections, each request a new respondent (unique submission id, no device cookie). The
per-client rate limit is raised for the run (PLATSA_SURVEY_RATE) because all clients share
one address here; everything else is the production path (CSRF, form validation, the
service's idempotency checks, the insert).

    .venv/bin/python bench/bench_survey_submit.py [--seconds 30] [--workers 4]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    csrf_from,
    gunicorn,
    pg_reachable,
    recreate_pg_database,
    verdict,
)

PORT = 8765


def prepare(database_url: str) -> str:
    """Migrate, import the reference data, and open a round; returns its survey key."""
    code = r"""
import django, os
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from platsa.places.reference_import import import_reference
import_reference(shapes=False)
from platsa.accounts.models import User
from platsa.places.models import Area
from platsa.places.services import place_create
from platsa.assessments.services import round_create, default_groups
from platsa.core.schema.frameworks import get_framework
user = User.objects.create_user(email="bench@example.org", password="x" * 12)
place = place_create(user=user, name="Bänk", municipality=Area.objects.get(kind="municipality", country="SE", code="2081"))
fw = get_framework("place-attractiveness")
round_ = round_create(place=place, user=user, name="Bänk", framework=fw, groups=default_groups(fw), open_now=True)
print(round_.survey_key)
"""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "platsa.config.settings",
    }
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, check=True, capture_output=True, text=True
    )
    return out.stdout.strip().splitlines()[-1]


def count_responses(database_url: str) -> int:
    import psycopg

    with psycopg.connect(database_url) as conn:
        return conn.execute("select count(*) from assessments_response").fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument(
        "--threads", type=int, default=1, help="gunicorn gthread threads per worker"
    )
    args = parser.parse_args()
    if not pg_reachable():
        print("PostgreSQL is not reachable at 127.0.0.1:5432: cannot run this benchmark")
        sys.exit(1)
    wrk = shutil.which("wrk")
    if wrk is None:
        print("wrk is not installed (Debian: apt-get install wrk): cannot run this benchmark")
        sys.exit(1)
    database_url = recreate_pg_database("platsa_bench_submit")
    key = prepare(database_url)
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "platsa.config.settings",
        "PLATSA_SURVEY_RATE": "100000000/600",
        "EMAIL_TO_CONSOLE": "true",  # nothing is mailed in this run
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
    }
    server = gunicorn("platsa.config.wsgi", PORT, args.workers, env, threads=args.threads)
    try:
        url = f"http://127.0.0.1:{PORT}/s/{key}/"
        token, cookie = csrf_from(url)
        fields = [
            ("csrfmiddlewaretoken", token),
            ("group", "residents"),
            ("age_band", "35_44"),
            ("priorities", "housing"),
        ]
        from platsa.core.schema.frameworks import get_framework

        questions = get_framework("place-attractiveness").question_ids
        fields += [(f"q_{q}", str(1 + i % 7)) for i, q in enumerate(questions)]
        body = urllib.parse.urlencode(fields)
        wrk_env = {**os.environ, "BENCH_CSRF_COOKIE": cookie, "BENCH_BODY": body}
        before = count_responses(database_url)
        start = time.perf_counter()
        result = subprocess.run(
            [
                wrk,
                "-t",
                "4",
                "-c",
                str(args.connections),
                "-d",
                f"{args.seconds}s",
                "--latency",
                "-s",
                str(ROOT / "bench" / "survey_post.lua"),
                url,
            ],
            env=wrk_env,
            capture_output=True,
            text=True,
            check=True,
        )
        elapsed = time.perf_counter() - start
        stored = count_responses(database_url) - before
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
    print(result.stdout)
    statuses = {int(c): int(n) for c, n in re.findall(r"status (\d+): (\d+)", result.stdout)}
    ok = statuses.get(302, 0)
    other = sum(n for c, n in statuses.items() if c != 302)
    rate = stored / elapsed
    kind = f"gthread x {args.threads}" if args.threads > 1 else "sync"
    print(
        f"survey submissions on PostgreSQL, {args.connections} concurrent clients, {args.seconds} s, gunicorn -w {args.workers} ({kind}):"
    )
    print(f"  accepted (302): {ok:,}; other statuses: {other}; stored in the database: {stored:,}")
    # wrk stops counting at the deadline; requests still in flight then are stored but not
    # counted, so "stored" may exceed "accepted" by up to the number of connections.
    every = other == 0 and ok <= stored <= ok + args.connections
    print(f"  every accepted submission stored: {'yes' if every else 'NO'}")
    print(
        f"  sustained rate: {rate:.0f} stored submissions/s; target >= 300/s: {verdict(rate, 300, higher_is_better=True)}"
    )


if __name__ == "__main__":
    main()
