"""Votes in a conversation per second on PostgreSQL with 20 concurrent phones on loopback,
every acknowledged vote stored, under gunicorn as in production (several workers).

A room, or a town reached through a local Facebook group, votes at once: every request is a
real vote through the whole path (CSRF, the phase check, the rate limit, the participant
from the cookie, the vote upsert under its constraint, the analysis request). A quarter of
the requests are a new phone's first vote. The per-client rate limit is raised for the run
because every phone shares one address here.

    .venv/bin/python bench/bench_conversation_votes.py [--seconds 20] [--workers 4]
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    PREPARE_PLACE,
    csrf_from,
    gunicorn,
    pg_reachable,
    recreate_pg_database,
)

PORT = 8766

PREPARE = (
    PREPARE_PLACE
    + r"""
from platsa.conversations.models import Statement
from platsa.conversations.services import conversation_create, statements_seed
from platsa.processes.services import process_set_phase
c = conversation_create(place=place, user=user, question="Bänk?")
statements_seed(conversation=c, user=user, texts=[f"Påstående nummer {i}" for i in range(40)])
process_set_phase(process=c.process, phase="open", actor=user)
ids = ",".join(str(pk) for pk in Statement.objects.filter(conversation=c).values_list("pk", flat=True))
print(c.public_id, ids)
"""
)


def count_votes(database_url: str) -> int:
    import psycopg

    with psycopg.connect(database_url) as conn:
        return conn.execute("select count(*) from conversations_vote").fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--connections", type=int, default=20)
    args = parser.parse_args()
    if not pg_reachable():
        raise SystemExit("PostgreSQL is not reachable at 127.0.0.1:5432: cannot run this benchmark")
    wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk)")
    database_url = recreate_pg_database("platsa_bench_votes")
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "platsa.config.settings",
        "PLATSA_OPINION_VOTE_RATE": "100000000/600",
        "PLATSA_OPINION_VOTE_RATE_ADDRESS": "100000000/600",
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
    public_id, statements = out.stdout.strip().splitlines()[-1].split()
    server = gunicorn("platsa.config.wsgi", PORT, args.workers, env)
    try:
        url = f"http://127.0.0.1:{PORT}/samtal/{public_id}/"
        token, cookie = csrf_from(url)
        wrk_env = {
            **os.environ,
            "BENCH_CSRF_COOKIE": cookie,
            "BENCH_CSRF_TOKEN": token,
            "BENCH_STATEMENTS": statements,
        }
        before = count_votes(database_url)
        result = subprocess.run(
            [
                wrk,
                "-t",
                "4",
                "-c",
                str(args.connections),
                "-d",
                f"{args.seconds}s",
                "-s",
                str(ROOT / "bench" / "vote_post.lua"),
                f"{url}rosta/",
            ],
            env=wrk_env,
            capture_output=True,
            text=True,
            check=True,
        )
        time.sleep(1)
        stored = count_votes(database_url) - before
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
    statuses = {int(c): int(n) for c, n in re.findall(r"status (\d+): (\d+)", result.stdout)}
    p95 = float(re.search(r"p95_ms ([\d.]+)", result.stdout).group(1))
    ok = statuses.get(302, 0)
    other = sum(n for c, n in statuses.items() if c != 302)
    print(
        f"conversation votes on PostgreSQL, {args.connections} concurrent phones, {args.seconds} s, "
        f"gunicorn -w {args.workers} (sync):"
    )
    print(
        f"  acknowledged (302): {ok:,} = {ok / args.seconds:,.0f} votes/s; p95 {p95:.1f} ms; other statuses: {other}"
    )
    # A phone voting again on a statement changes its vote: fewer rows than requests. The
    # script's phones vote on distinct statements (4 requests per phone, 40 statements).
    print(
        f"  stored votes: {stored:,}; every acknowledged vote stored: {'yes' if ok <= stored <= ok + args.connections else 'NO'}"
    )


if __name__ == "__main__":
    main()
