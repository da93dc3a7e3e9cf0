"""The idea list of a crowd's process: server time and queries of the process page for each
sort, a theme filter, a status filter and page 50, at the scale of issue 9 (1,500
participants, 3,000 ideas, 100,000 supports, 1,000,000 likes, 30,000 comments).

Every support, like or comment moves the list's version stamp, so under a crowd's writes
the page is rendered again for the next reader: the figure that matters is a *render* (the
page cache emptied before each timed request), measured in-process through Django's test
client (all the middleware, warm: each case asked three times first). The cached read is
shown beside it. Queries are counted for the same cases on a process of 30 ideas and on the
one of 3,000: the target is the same count. Targets: at most 150 ms server time with a
constant number of queries.

The data is inserted in bulk by ``bench/ideas_data.py`` (COPY on PostgreSQL).

    .venv/bin/python bench/bench_ideas_list.py [--db pg|sqlite|both] [--runs 15]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import PREPARE_PLACE, pg_reachable, recreate_pg_database, verdict  # noqa: E402

NAME = "crowd"
TARGET_MS = 150.0
SIZES = {
    "big": {"ideas": 3000, "supports": 100_000, "likes": 1_000_000, "comments": 30_000},
    "small": {"ideas": 30, "supports": 300, "likes": 3000, "comments": 100},
}
CASES = {
    "sort new": {},
    "sort support": {"sort": "support"},
    "sort comments": {"sort": "comments"},
    "sort likes": {"sort": "likes"},
    "theme filter": {"theme": "THEME"},
    "status filter": {"status": "selected"},
    "page 50": {"page": "50"},
}


def child(runs: int) -> None:
    """Runs in a fresh interpreter whose environment names the database."""
    namespace: dict[str, object] = {}
    started = time.perf_counter()
    exec(PREPARE_PLACE, namespace)  # noqa: S102  (our own preparation script)
    print(f"  migrated and reference data in {time.perf_counter() - started:.0f} s", flush=True)
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from bench.ideas_data import counts_consistent, fill_process, make_users
    from platsa.innovation.models import Theme
    from platsa.innovation.services import challenge_save, innovation_create
    from platsa.processes.services import process_set_phase
    from platsa.web import pagecache

    place, user = namespace["place"], namespace["user"]
    processes = {}
    for size in SIZES:
        process = innovation_create(place=place, title=f"Ragunda {size}", user=user).process
        for i in range(3):
            challenge_save(
                process=process,
                title=f"Utmaning {i}",
                owner_name="Ragunda kommun",
                owner_kind="municipality",
                problem="Det finns jobb men inga lediga lägenheter.",
            )
        process_set_phase(process=process, phase="ideas", actor=user)
        processes[size] = process
    started = time.perf_counter()
    user_ids = make_users(1500)
    for size, process in processes.items():
        filled = fill_process(process, user_ids, **SIZES[size])
        print(
            f"  {size}: {len(filled.idea_ids):,} ideas, {filled.supports:,} supports, "
            f"{filled.likes:,} likes, {filled.comments:,} comments",
            flush=True,
        )
    print(f"  bulk insert of both processes: {time.perf_counter() - started:.1f} s")
    for size, process in processes.items():
        checked, wrong = counts_consistent(process)
        print(
            f"  {size}: counts on {checked:,} ideas match their rows: {'yes' if not wrong else f'NO ({wrong} differ)'}"
        )

    client = Client(HTTP_ACCEPT_ENCODING="gzip", HTTP_ACCEPT_LANGUAGE="sv")
    results: dict[str, dict[str, object]] = {}
    for case, params in CASES.items():
        row: dict[str, object] = {}
        for size, process in processes.items():
            url = reverse("innovation_public:process", args=[place.slug, process.slug])
            theme = Theme.objects.filter(process=process).order_by("pk").first()
            query = {k: (str(theme.pk) if v == "THEME" else v) for k, v in params.items()}
            times, hits = [], []
            for i in range(3 + runs):
                pagecache.forget_all()
                reset_queries()
                with CaptureQueriesContext(connection) as captured:
                    start = time.perf_counter()
                    response = client.get(url, query)
                    elapsed = (time.perf_counter() - start) * 1000
                assert response.status_code == 200, response.status_code
                # Read now: the next request empties the connection's log it is a view of.
                queries = list(captured.captured_queries)
                start = time.perf_counter()
                cached = client.get(url, query)
                hit = (time.perf_counter() - start) * 1000
                assert cached.status_code == 200
                if i >= 3:
                    times.append(elapsed)
                    hits.append(hit)
            slowest = max(queries, key=lambda q: float(q["time"]))
            row[size] = {
                "median_ms": statistics.median(times),
                "max_ms": max(times),
                "hit_ms": statistics.median(hits),
                "queries": len(queries),
                "sql": [q["sql"][:120] for q in queries],
                "slowest_ms": float(slowest["time"]) * 1000,
                "slowest_sql": slowest["sql"][:160],
                "bytes": len(response.content),
            }
        results[case] = row
    print("RESULTS " + json.dumps(results))


def report(backend: str, results: dict[str, dict[str, dict[str, object]]], runs: int) -> None:
    print(
        f"{backend}: process page, rendered (page cache emptied before each request), "
        f"median and max of {runs} warm requests, in-process through the test client"
    )
    for case, row in results.items():
        big, small = row["big"], row["small"]
        same = big["queries"] == small["queries"]
        print(
            f"  {case:<14} 3,000 ideas: {big['median_ms']:6.1f} ms (max {big['max_ms']:6.1f}), "
            f"{big['queries']} queries (30 ideas: {small['queries']}, {small['median_ms']:.1f} ms); "
            f"cached hit {big['hit_ms']:.2f} ms; slowest query {big['slowest_ms']:.1f} ms; "
            f"time {verdict(float(big['median_ms']), TARGET_MS)}, "
            f"queries {'constant: meets target' if same else 'NOT constant: MISSES target'}"
        )
    worst = max(results.items(), key=lambda kv: float(kv[1]["big"]["median_ms"]))
    print(f"  slowest case: {worst[0]}; its slowest query: {worst[1]['big']['slowest_sql']}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=("pg", "sqlite", "both"), default="both")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.runs)
        return
    var = Path(os.environ.get("BENCH_VAR", f"/tmp/{NAME}/var"))  # noqa: S108  (a helper's own directory)
    var.mkdir(parents=True, exist_ok=True)
    base = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "platsa.config.settings",
        "PLATSA_VAR_DIR": str(var),
        "SECRET_KEY": "bench-only-not-a-secret",
        "EMAIL_TO_CONSOLE": "true",
        "LOG_LEVEL": "WARNING",
        "REDIS_URL": "",  # the page cache in the process's memory: renders are measured
    }
    backends = []
    if args.db in ("pg", "both"):
        if not pg_reachable():
            raise SystemExit("PostgreSQL is not reachable at 127.0.0.1:5432")
        backends.append(("PostgreSQL", recreate_pg_database(f"platsa_{NAME}_list")))
    if args.db in ("sqlite", "both"):
        sqlite = var / "list.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{sqlite}{suffix}").unlink(missing_ok=True)
        backends.append(("SQLite", f"sqlite:///{sqlite}"))
    for backend, url in backends:
        print(f"{backend}: preparing", flush=True)
        out = subprocess.run(
            [sys.executable, __file__, "--child", "--runs", str(args.runs)],
            env={**base, "DATABASE_URL": url},
            cwd=ROOT,
            check=True,
            stdout=subprocess.PIPE,
            text=True,
        )
        lines = out.stdout.splitlines()
        for line in lines:
            if not line.startswith("RESULTS "):
                print(line)
        results = json.loads(next(x for x in lines if x.startswith("RESULTS "))[8:])
        report(backend, results, args.runs)


if __name__ == "__main__":
    main()
