"""Helpers shared by the benchmark scripts: timing and a clean Django database per run."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PG_SERVER = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")


def median_ms(fn: Callable[[], object], runs: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), times


def verdict(value: float, target: float, *, higher_is_better: bool = False) -> str:
    ok = value >= target if higher_is_better else value <= target
    return "meets target" if ok else "MISSES target"


def pg_reachable() -> bool:
    try:
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", connect_timeout=3) as conn:
            conn.execute("select 1")
        return True
    except Exception:
        return False


def recreate_pg_database(name: str) -> str:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{PG_SERVER}/{name}"


def manage(*args: str, env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        check=True,
        env={**os.environ, **env},
        cwd=ROOT,
    )


def gunicorn(
    module: str, port: int, workers: int, env: dict[str, str], *, threads: int = 1
) -> subprocess.Popen:
    """The app under gunicorn as in production (sync workers, or gthread with ``threads``),
    in its own process group so that the caller can stop all of it."""
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            module,
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "--keep-alive",
            "5",
            *(["-k", "gthread", "--threads", str(threads)] if threads > 1 else []),
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )


def csrf_from(url: str, tries: int = 100) -> tuple[str, str]:
    """A form page's CSRF token and cookie, as a browser gets them (waits for the server)."""
    import http.cookiejar
    import re
    import urllib.request

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    for _ in range(tries):
        try:
            html = opener.open(url, timeout=5).read().decode()
            break
        except OSError:
            time.sleep(0.2)
    else:
        raise SystemExit(f"{url} did not answer")
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if found is None:
        raise SystemExit(f"{url} has no form with a CSRF token")
    return found.group(1), next(c.value for c in jar if c.name == "csrftoken")


# The start of a bench's preparation script (run with ``python -c``): a migrated database
# with the reference data, a user and a place in Borlänge, as `user` and `place`.
PREPARE_PLACE = r"""
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from platsa.places.reference_import import import_reference
import_reference(shapes=False)
from platsa.accounts.models import User
from platsa.places.models import Area
from platsa.places.services import place_create
user = User.objects.create_user(email="bench@example.org", password="x" * 12)
place = place_create(user=user, name="Bänk", municipality=Area.objects.get(kind="municipality", country="SE", code="2081"))
"""
