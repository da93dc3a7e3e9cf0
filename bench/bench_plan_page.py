"""A big plan's public follow-up page: server time to render it, its queries, and its
throughput when cached, as a share of a bare Django view in the same run (issue 11).

The plan has 200 actions, 600 milestones and 2,000 updates, 10 goals with 30 indicators
(an assessment theme's score, the municipality's population, a measure of its own with
values), and two published assessment rounds of 300 answers (so the closed loop is drawn).
A second plan of 20 actions, 60 milestones and 200 updates shows that the number of queries
does not grow with the plan.

1. Render: the page cache emptied before each request, through Django's test client (all
   the middleware), warm (three requests first), median of 20. Target: at most 150 ms on
   PostgreSQL with a constant number of queries.
2. Cached: gunicorn -w 4 (sync) with Redis, wrk at 20 and 50 connections, interleaved with
   the bare "hello" view, 3 rounds of 5 s. Target: at least 30 % of the bare view's
   requests per second.

    .venv/bin/python bench/bench_plan_page.py [--runs 20] [--seconds 5] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_public_pages import platsa_and_hello, wait_for, wrk  # noqa: E402
from bench.common import pg_reachable, recreate_pg_database, verdict  # noqa: E402

TARGET_MS = 150.0
TARGET_SHARE = 0.30
PLATSA_PORT, HELLO_PORT = 8776, 8777
REDIS_URL = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/8")
SIZES = {"big": (200, 3, 10), "small": (20, 3, 10)}  # actions, milestones and updates each


def build(place, user, title: str, actions: int, milestones: int, updates: int):
    """A plan in effect and published, its rows inserted in bulk (the services are what the
    suite tests; here the figure is the page)."""
    from datetime import date, timedelta

    from django.utils import timezone

    from platsa.plans import services
    from platsa.plans.models import Action, Milestone, Update
    from platsa.processes.services import process_set_phase, process_set_public

    plan = services.plan_create(place=place, title=title, user=user, vision="En levande ort.")
    services.plan_update(
        plan=plan, actor=user, starts_on=date(2026, 1, 1), ends_on=date(2029, 12, 31)
    )
    goals = []
    themes = ["housing", "work_business", "mobility", "services", "community"]
    for g in range(10):
        goal = services.goal_save(
            plan=plan, actor=user, title=f"Mål {g + 1}", theme_id=themes[g % 5]
        )
        services.indicator_save(
            goal=goal, actor=user, kind="theme", name=f"Tema {g}", theme_id=themes[g % 5]
        )
        services.indicator_save(
            goal=goal, actor=user, kind="fact", name="Befolkning", fact_key="population"
        )
        custom = services.indicator_save(
            goal=goal, actor=user, kind="custom", name=f"Eget {g}", baseline=0, target=100
        )
        for year in (2026, 2027, 2028):
            services.indicator_value_set(indicator=custom, actor=user, year=year, value=year - 2000)
        goals.append(goal)
    now = timezone.now()
    rows = Action.objects.bulk_create(
        Action(
            plan=plan,
            title=f"Åtgärd {i + 1}: bostäder, jobb och resor",
            description="Beskrivning " * 20,
            themes=[themes[i % 5], themes[(i + 2) % 5]],
            owner_org=f"Förening {i % 17}",
            owner_name=f"Person {i}",
            owner_public=i % 3 == 0,
            lead="association",
            status=["planned", "under_way", "done", "paused"][i % 4],
            progress=(i * 7) % 101 if i % 5 else None,
            position=i,
            starts_on=date(2026, 1 + i % 12, 1),
            ends_on=date(2028, 1 + i % 12, 1),
            budget=10_000 * (i + 1),
        )
        for i in range(actions)
    )
    through = Action.goals.through
    through.objects.bulk_create(
        through(action_id=a.pk, goal_id=goals[i % len(goals)].pk) for i, a in enumerate(rows)
    )
    stones = Milestone.objects.bulk_create(
        Milestone(
            action=a,
            title=f"Milstolpe {m + 1}",
            due_on=date(2026, 1, 1) + timedelta(days=40 * m + i % 30),
            done_on=date(2026, 2, 1) if m == 0 else None,
        )
        for i, a in enumerate(rows)
        for m in range(milestones)
    )
    Update.objects.bulk_create(
        Update(
            action=a,
            author=user,
            text=f"Vi har kommit en bit på väg, steg {u + 1}.",
            progress=10 * u,
            milestone=stones[i * milestones] if u == 0 else None,
            created_at=now - timedelta(days=u * 3 + i % 7),
        )
        for i, a in enumerate(rows)
        for u in range(updates)
    )
    process_set_phase(process=plan.process, phase="in_effect", actor=user)
    process_set_public(process=plan.process, public=True, actor=user)
    services.plan_touch(plan)
    return plan


def rounds(place, user) -> None:
    from datetime import datetime

    from django.utils import timezone

    from platsa.assessments.generated import round_fill_generated
    from platsa.assessments.services import default_groups, round_create, round_publish
    from platsa.core.schema.frameworks import get_framework
    from platsa.processes.models import Process

    fw = get_framework("place-attractiveness")
    for name, when, seed in (
        ("Hösten 2025", datetime(2025, 11, 1), 5),
        ("Hösten 2027", datetime(2027, 11, 1), 6),
    ):
        round_ = round_create(
            place=place,
            user=user,
            name=name,
            framework=fw,
            groups=default_groups(fw),
            open_now=True,
        )
        round_fill_generated(round_, 300, seed=seed)
        round_publish(round_=round_, public=True, actor=user)
        Process.objects.filter(pk=round_.process_id).update(closes_at=timezone.make_aware(when))


def child(runs: int) -> None:
    from bench.common import PREPARE_PLACE

    namespace: dict[str, object] = {}
    exec(PREPARE_PLACE, namespace)  # noqa: S102  (our own preparation script)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from platsa.plans.models import Milestone, Update
    from platsa.web import pagecache

    place, user = namespace["place"], namespace["user"]
    started = time.perf_counter()
    rounds(place, user)
    plans = {size: build(place, user, f"Plan {size}", *spec) for size, spec in SIZES.items()}
    print(f"  prepared in {time.perf_counter() - started:.0f} s", flush=True)
    client = Client(HTTP_ACCEPT_ENCODING="gzip", HTTP_ACCEPT_LANGUAGE="sv")
    out: dict[str, dict[str, object]] = {}
    for size, plan in plans.items():
        url = reverse("plans_public:plan", args=[place.slug, plan.process.slug])
        times, hits = [], []
        for i in range(3 + runs):
            pagecache.forget_all()
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                response = client.get(url)
                elapsed = (time.perf_counter() - start) * 1000
            assert response.status_code == 200, response.status_code
            queries = len(captured.captured_queries)
            start = time.perf_counter()
            assert client.get(url).status_code == 200
            hit = (time.perf_counter() - start) * 1000
            if i >= 3:
                times.append(elapsed)
                hits.append(hit)
        out[size] = {
            "url": url,
            "actions": plan.actions.count(),
            "milestones": Milestone.objects.filter(action__plan=plan).count(),
            "updates": Update.objects.filter(action__plan=plan).count(),
            "median_ms": statistics.median(times),
            "max_ms": max(times),
            "hit_ms": statistics.median(hits),
            "queries": queries,
            "bytes": len(response.content),
        }
    print("RESULTS " + json.dumps(out))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.runs)
        return
    if not pg_reachable():
        raise SystemExit("PostgreSQL is not reachable at 127.0.0.1:5432: cannot run this benchmark")
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk)")
    database_url = recreate_pg_database("platsa_bench_plan")
    var = ROOT / "var" / "bench-plan"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "platsa.config.settings",
        "PLATSA_VAR_DIR": str(var),
        "SECRET_KEY": "bench-only-not-a-secret",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "EMAIL_TO_CONSOLE": "true",
        "WHITENOISE_USE_FINDERS": "false",
        "LOG_LEVEL": "WARNING",
    }
    print("PostgreSQL: preparing the plans (bulk insert) and rendering", flush=True)
    done = subprocess.run(
        [sys.executable, __file__, "--child", "--runs", str(args.runs)],
        env={**env, "REDIS_URL": ""},  # renders measured with the cache in the process
        cwd=ROOT,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    line = next(x for x in done.stdout.splitlines() if x.startswith("RESULTS "))
    results = json.loads(line.removeprefix("RESULTS "))
    big, small = results["big"], results["small"]
    same = big["queries"] == small["queries"]
    print(
        f"render, PostgreSQL, median of {args.runs} warm requests (page cache emptied each time):\n"
        f"  {big['actions']} actions, {big['milestones']} milestones, {big['updates']} updates: "
        f"{big['median_ms']:.1f} ms (max {big['max_ms']:.1f}), {big['queries']} queries, "
        f"{big['bytes']:,} bytes gzipped; time {verdict(big['median_ms'], TARGET_MS)}\n"
        f"  {small['actions']} actions: {small['median_ms']:.1f} ms, {small['queries']} queries; "
        f"queries {'constant: meets target' if same else 'NOT constant: MISSES target'}\n"
        f"  cached, in-process: {big['hit_ms']:.2f} ms"
    )
    env_served = {**env, "REDIS_URL": REDIS_URL}
    subprocess.run(["redis-cli", "-u", REDIS_URL, "flushdb"], check=False, capture_output=True)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        env={**env_served, "STATIC_MANIFEST": "true"},
        cwd=ROOT,
        check=True,
    )
    servers = platsa_and_hello(env_served, args.workers, PLATSA_PORT, HELLO_PORT)
    page = f"http://127.0.0.1:{PLATSA_PORT}{big['url']}"
    hello = f"http://127.0.0.1:{HELLO_PORT}/"
    try:
        wait_for(hello)
        wait_for(page)
        measured = []
        for _ in range(args.rounds):
            one = {}
            for connections in (20, 50):
                one[("hello", connections)] = wrk(hello, connections, args.seconds)
                one[("page", connections)] = wrk(page, connections, args.seconds)
            measured.append(one)
    finally:
        for server in servers:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=20)
    med = statistics.median
    for connections in (20, 50):
        share = med(
            r[("page", connections)]["rps"] / r[("hello", connections)]["rps"] for r in measured
        )
        rps = med(r[("page", connections)]["rps"] for r in measured)
        base = med(r[("hello", connections)]["rps"] for r in measured)
        p95 = med(r[("page", connections)]["p95_ms"] for r in measured)
        bad = sum(int(r[("page", connections)]["bad"]) for r in measured)
        print(
            f"cached, gunicorn -w {args.workers} (sync) + Redis, {connections} connections: "
            f"{rps:,.0f} req/s against bare Django {base:,.0f} req/s = {share:.0%} "
            f"(target >= {TARGET_SHARE:.0%}: {verdict(share, TARGET_SHARE, higher_is_better=True)}); "
            f"p95 {p95:.1f} ms; non-200 or socket errors: {bad}"
        )


if __name__ == "__main__":
    main()
