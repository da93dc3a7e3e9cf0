"""Open innovation under the Ragunda crowd (issue 9): anonymous reads of a process page and
an idea page, and signed-in participants' supports and comments, under gunicorn on
PostgreSQL and Redis, each as a share of a bare Django view measured in the same run; then
a kill -9 of the whole server in the middle of a write run.

* Reads: wrk at 50 connections on the process page and an idea page (a process of 300
  ideas, 20,000 supports, 100,000 likes, 3,000 comments), beside the bare "hello" view
  (bench/hello_project.py). Targets: at least 30 % of its requests per second, p95 at most
  100 ms. And a change of an idea is visible on the next read (checked once).
* Writes: wrk at 50 connections, every request a signed-in participant's support (or
  comment) of an idea, by 2,000 different people with their own session cookies, each
  request a new (person, idea) pair (bench/idea_write.lua), beside a bare Django view that
  inserts one row under a unique constraint with CSRF on (bench/hello_insert_project.py).
  Targets: at least 30 % of the bare insert's requests per second, p95 at most 150 ms;
  every acknowledged write stored (rows counted after each run).
* Crash: 50 Python clients write supports and comments, each logging what was acknowledged;
  the gunicorn master and its workers are killed with SIGKILL halfway. Then every
  acknowledged support and comment must be in the database, no (person, idea) pair twice,
  and every idea's counts equal to its rows.

The per-person and per-address write limits are raised for the run (PLATSA_IDEAS_WRITE_RATE,
PLATSA_IDEAS_WRITE_RATE_ADDRESS): every participant here shares one address.

    .venv/bin/python bench/bench_ideas.py [--seconds 8] [--rounds 3] [--workers 4]
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
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

NAME = "crowd"
PLATSA_PORT, HELLO_PORT, INSERT_PORT = 8150, 8151, 8152
REDIS_URL = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/11")
VAR = Path(os.environ.get("BENCH_VAR", f"/tmp/{NAME}/var/ideas"))  # noqa: S108  (a helper's own directory)
WRITERS = 2000
CONNECTIONS = 50
REGION = 100_000  # request numbers each write run may use (pairs never repeat across runs)

# The table bench/hello_insert_project.py writes to, made before its server starts.
TABLE_SQL = """
CREATE TABLE IF NOT EXISTS hello_row (
    id bigserial PRIMARY KEY,
    who integer NOT NULL,
    what integer NOT NULL,
    body text NOT NULL,
    created_at timestamptz NOT NULL,
    CONSTRAINT hello_row_unique UNIQUE (who, what)
)
"""

PREPARE = (
    PREPARE_PLACE
    + r"""
import os, sys
sys.path.insert(0, os.getcwd())
from django.contrib.sessions.backends.cached_db import SessionStore
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret
from bench.ideas_data import fill_process, make_users
from platsa.accounts.models import User
from platsa.innovation.models import Idea
from platsa.innovation.services import challenge_save, innovation_create
from platsa.processes.services import process_set_phase

process = innovation_create(place=place, title="Ragunda 2027", user=user,
                            intro="Vi delar **våra** utmaningar med världen.").process
for i in range(3):
    challenge_save(process=process, title=f"Utmaning {i}", owner_name="Ragunda kommun",
                   owner_kind="municipality", problem="Det finns jobb men inga lediga lägenheter.")
process_set_phase(process=process, phase="ideas", actor=user)
crowd = make_users(1500, prefix="crowd")
filled = fill_process(process, crowd, ideas=300, supports=20_000, likes=100_000, comments=3_000)
writers = make_users(WRITERS, prefix="writer")
with open(SESSIONS_FILE, "w") as out:
    for writer in User.objects.filter(pk__in=writers).order_by("pk"):
        session = SessionStore()
        session[SESSION_KEY] = str(writer.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = writer.get_session_auth_hash()
        session.create()
        out.write(session.session_key + "\n")
secret = _get_new_csrf_string()
top = Idea.objects.filter(process=process).order_by("-comment_count").first()
print("PREPARED", place.slug, process.slug, secret, _mask_cipher_secret(secret), top.pk,
      ",".join(str(i) for i in filled.idea_ids))
"""
)


def run(cmd: list[str], env: dict[str, str]) -> str:
    return subprocess.run(cmd, env=env, cwd=ROOT, check=True, capture_output=True, text=True).stdout


def wait_for(url: str) -> bytes:
    for _ in range(300):
        try:
            request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})  # noqa: S310  (our own http://127.0.0.1 URLs)
            with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
                return response.read()
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer")


def parse(out: str, ok: int) -> dict[str, float]:
    figures = {k: float(v) for k, v in re.findall(r"^(\w+): ([\d.]+)$", out, re.M)}
    statuses = {int(c): int(n) for c, n in re.findall(r"status (\d+): (\d+)", out)}
    figures["statuses"] = statuses  # type: ignore[assignment]
    figures["bad"] = sum(n for c, n in statuses.items() if c != ok) + figures.get("errors", 0)
    figures["rps"] = figures["requests"] / figures["seconds"]
    return figures


def wrk_read(url: str, seconds: int) -> dict[str, float]:
    out = run(
        [
            "wrk",
            "-t",
            "2",
            "-c",
            str(CONNECTIONS),
            "-d",
            f"{seconds}s",
            "-s",
            str(ROOT / "bench" / "latency.lua"),
            url,
        ],
        dict(os.environ),
    )
    return parse(out, 200)


class LockSampler(threading.Thread):
    """Samples pg_stat_activity of the bench's database every 50 ms during a write run: how
    many of its backends are busy, and how many of those wait for a lock (a row that every
    write updates makes them queue one behind the other's commit)."""

    def __init__(self, database_url: str) -> None:
        super().__init__(daemon=True)
        self.database_url = database_url
        self.stop = threading.Event()
        self.busy = 0
        self.waiting = 0
        self.samples = 0

    def run(self) -> None:
        import psycopg

        name = self.database_url.rsplit("/", 1)[1]
        with psycopg.connect(self.database_url, autocommit=True) as conn:
            while not self.stop.is_set():
                busy, waiting = conn.execute(
                    "select count(*) filter (where state = 'active' or state like 'idle in%%'),"
                    " count(*) filter (where wait_event_type = 'Lock')"
                    " from pg_stat_activity where datname = %s and pid <> pg_backend_pid()",
                    (name,),
                ).fetchone()
                self.busy += busy
                self.waiting += waiting
                self.samples += 1
                time.sleep(0.05)


def wrk_write(
    base: str, kind: str, offset: int, seconds: int, extra: dict[str, str], database_url: str
) -> dict[str, float]:
    sampler = LockSampler(database_url)
    sampler.start()
    out = run(
        [
            "wrk",
            "-t",
            "2",
            "-c",
            str(CONNECTIONS),
            "-d",
            f"{seconds}s",
            "-s",
            str(ROOT / "bench" / "idea_write.lua"),
            base,
        ],
        {
            **os.environ,
            **extra,
            "BENCH_KIND": kind,
            "BENCH_OFFSET": str(offset),
            "BENCH_THREADS": "2",
        },
    )
    sampler.stop.set()
    sampler.join()
    figures = parse(out, 302)
    figures["busy"] = sampler.busy / max(sampler.samples, 1)
    figures["lock_waits"] = sampler.waiting / max(sampler.samples, 1)
    if figures["requests"] >= REGION:
        raise SystemExit(f"a write run used {figures['requests']:.0f} requests, more than REGION")
    return figures


def sql(database_url: str, query: str, params: tuple[object, ...] = ()) -> list[tuple]:
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as conn:
        cursor = conn.execute(query, params)
        return cursor.fetchall() if cursor.description else []


def counts(database_url: str) -> dict[str, int]:
    row = sql(
        database_url,
        "select (select count(*) from innovation_support), (select count(*) from innovation_comment),"
        " (select count(*) from hello_row)",
    )[0]
    return {"support": row[0], "comment": row[1], "insert": row[2]}


def supporters_shown(html: bytes) -> int:
    import gzip

    text = gzip.decompress(html).decode() if html[:2] == b"\x1f\x8b" else html.decode()
    found = re.search(r"<p><strong>([\d\s\u00a0]+)\D", text)
    return int(re.sub(r"\D", "", found.group(1))) if found else -1


class Writer(threading.Thread):
    """One client of the crash run: posts supports (even request numbers) and comments
    (odd ones), logging each acknowledged one (a 302 to its anchor)."""

    def __init__(self, numbers: itertools.count, stop: threading.Event, setup: dict) -> None:
        super().__init__(daemon=True)
        self.numbers, self.stop, self.setup = numbers, stop, setup
        self.acked_supports: list[tuple[int, int]] = []  # (idea, writer user index)
        self.acked_comments: list[tuple[int, str]] = []  # (comment id, body)
        self.failed = 0
        self.refused = 0

    def run(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", PLATSA_PORT, timeout=10)
        s = self.setup
        ideas, sessions = s["ideas"], s["sessions"]
        while not self.stop.is_set():
            g = next(self.numbers)
            idea = ideas[g % len(ideas)]
            person = (g // len(ideas)) % len(sessions)
            if g % 2 == 0:
                path, body = f"{s['prefix']}{idea}/stod/", "support=1"
            else:
                text = f"crash-{g}"
                path, body = f"{s['prefix']}{idea}/kommentar/", f"body={text}"
            headers = {
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={s['cookie']}; sessionid={sessions[person]}",
            }
            try:
                conn.request("POST", path, f"csrfmiddlewaretoken={s['token']}&{body}", headers)
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                self.failed += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", PLATSA_PORT, timeout=10)
                time.sleep(0.05)
                continue
            location = response.getheader("Location") or ""
            if response.status == 302 and location.endswith("#support"):
                self.acked_supports.append((idea, person))
            elif response.status == 302 and "#comment-" in location:
                self.acked_comments.append((int(location.rsplit("-", 1)[1]), text))
            else:
                self.refused += 1


def crash_run(
    env: dict[str, str], wsgi: str, workers: int, setup: dict, database_url: str, seconds: float
) -> None:
    server = gunicorn(wsgi, PLATSA_PORT, workers, env)
    wait_for(f"http://127.0.0.1:{PLATSA_PORT}{setup['prefix']}")
    session_users = setup["session_users"]
    stop = threading.Event()
    numbers = itertools.count(setup["crash_offset"])
    clients = [Writer(numbers, stop, setup) for _ in range(CONNECTIONS)]
    for client in clients:
        client.start()
    time.sleep(seconds / 2)
    children = [
        int(p)
        for p in subprocess.run(
            ["pgrep", "-P", str(server.pid)], capture_output=True, text=True
        ).stdout.split()
    ]
    os.killpg(server.pid, signal.SIGKILL)  # the master and every worker at once, as a crash
    server.wait(timeout=20)
    time.sleep(seconds / 2)
    stop.set()
    for client in clients:
        client.join(timeout=15)
    supports = [pair for c in clients for pair in c.acked_supports]
    comments = [pair for c in clients for pair in c.acked_comments]
    failed = sum(c.failed for c in clients)
    refused = sum(c.refused for c in clients)
    time.sleep(2)  # PostgreSQL rolls back what the dead workers left open
    stored_pairs = set(
        sql(
            database_url,
            "select idea_id, user_id from innovation_support where user_id = any(%s)",
            (session_users,),
        )
    )
    missing_supports = [
        (idea, person)
        for idea, person in supports
        if (idea, session_users[person]) not in stored_pairs
    ]
    stored_comments = dict(
        sql(database_url, "select id, body from innovation_comment where body like 'crash-%%'")
    )
    missing_comments = [(pk, body) for pk, body in comments if stored_comments.get(pk) != body]
    doubles = sql(
        database_url,
        "select count(*) from (select 1 from innovation_support group by idea_id, user_id having count(*) > 1) d",
    )[0][0]
    wrong = sql(
        database_url,
        """select count(*) from innovation_idea i
           where support_count <> (select count(*) from innovation_support s where s.idea_id = i.id)
              or comment_count <> (select count(*) from innovation_comment c
                                   where c.idea_id = i.id and c.visibility = 'shown')""",
    )[0][0]
    crash_supports = (
        sum(1 for pair in stored_pairs if pair[1] in set(session_users))
        - setup["supports_before_crash"]
    )
    print(
        f"kill -9 of the gunicorn master and its {len(children)} workers after {seconds / 2:.0f} s of "
        f"{CONNECTIONS} clients writing (supports and comments):"
    )
    print(
        f"  acknowledged supports: {len(supports):,}; stored from this run: {crash_supports:,}; "
        f"acknowledged but missing: {len(missing_supports)}"
    )
    print(
        f"  acknowledged comments: {len(comments):,}; stored from this run: {len(stored_comments):,}; "
        f"acknowledged but missing: {len(missing_comments)}"
    )
    print(
        f"  failed requests (server dead): {failed:,}; refused: {refused}; (person, idea) pairs "
        f"supported twice: {doubles}; ideas whose counts differ from their rows: {wrong}"
    )
    ok = (
        bool(supports and comments)  # a run that acknowledged nothing proves nothing
        and not missing_supports
        and not missing_comments
        and doubles == 0
        and wrong == 0
    )
    print(
        f"  every acknowledged write stored, no double support, counts right: {'meets target' if ok else 'MISSES target'}"
    )


def report_reads(rounds: list[dict[str, dict[str, float]]], sizes: dict[str, int]) -> None:
    med = statistics.median
    hello = [r["hello"] for r in rounds]
    print(
        f"bare Django hello view: {med(h['rps'] for h in hello):,.0f} req/s, "
        f"p50 {med(h['p50_ms'] for h in hello):.1f} ms, p95 {med(h['p95_ms'] for h in hello):.1f} ms"
    )
    for name in ("process page", "idea page"):
        share = med(r[name]["rps"] / r["hello"]["rps"] for r in rounds)
        p95 = med(r[name]["p95_ms"] for r in rounds)
        bad = sum(int(r[name]["bad"]) for r in rounds)
        print(
            f"{name}: {med(r[name]['rps'] for r in rounds):,.0f} req/s = {share:.0%} of bare Django "
            f"(target >= 30 %: {verdict(share, 0.30, higher_is_better=True)}); p50 "
            f"{med(r[name]['p50_ms'] for r in rounds):.1f} ms, p95 {p95:.1f} ms (target <= 100 ms: "
            f"{verdict(p95, 100)}); {sizes[name]:,} bytes gzipped; non-200 or socket errors: {bad}"
        )


def report_writes(rounds: list[dict[str, dict[str, float]]]) -> None:
    med = statistics.median
    inserts = [r["insert"] for r in rounds]
    print(
        f"bare Django insert view: {med(h['rps'] for h in inserts):,.0f} req/s, "
        f"p50 {med(h['p50_ms'] for h in inserts):.1f} ms, p95 {med(h['p95_ms'] for h in inserts):.1f} ms; "
        f"acknowledged {sum(int(h['ack']) for h in inserts):,}, "
        f"stored {sum(int(h['stored']) for h in inserts):,}"
    )
    for kind in ("support", "comment"):
        share = med(r[kind]["rps"] / r["insert"]["rps"] for r in rounds)
        p95 = med(r[kind]["p95_ms"] for r in rounds)
        acked = [int(r[kind]["ack"]) for r in rounds]
        stored = [int(r[kind]["stored"]) for r in rounds]
        all_stored = all(a <= s <= a + CONNECTIONS for a, s in zip(acked, stored, strict=True))
        statuses = [r[kind]["statuses"] for r in rounds]
        print(
            f"{kind}s: {med(r[kind]['rps'] for r in rounds):,.0f} req/s = {share:.0%} of the bare insert "
            f"(target >= 30 %: {verdict(share, 0.30, higher_is_better=True)}); p50 "
            f"{med(r[kind]['p50_ms'] for r in rounds):.1f} ms, p95 {p95:.1f} ms (target <= 150 ms: "
            f"{verdict(p95, 150)}); acknowledged per run {acked}, stored {stored} (stored may exceed "
            f"acknowledged by what was in flight when wrk stopped, at most {CONNECTIONS}): "
            f"{'every acknowledged write stored' if all_stored else 'NOT every acknowledged write stored'}; "
            f"statuses {statuses}; busy database sessions on average "
            f"{med(r[kind]['busy'] for r in rounds):.1f}, of them waiting for a lock "
            f"{med(r[kind]['lock_waits'] for r in rounds):.1f} (bare insert: "
            f"{med(r['insert']['lock_waits'] for r in rounds):.1f} of "
            f"{med(r['insert']['busy'] for r in rounds):.1f})"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--crash-seconds", type=float, default=8)
    parser.add_argument(
        "--parts",
        default="reads,writes,crash",
        help="any of reads, writes, crash (comma-separated)",
    )
    parser.add_argument(
        "--platsa-wsgi",
        default="platsa.config.wsgi",
        help="the WSGI module served (an A/B copy with a change, on PYTHONPATH)",
    )
    args = parser.parse_args()
    parts = set(args.parts.split(","))
    if not pg_reachable():
        raise SystemExit("PostgreSQL is not reachable at 127.0.0.1:5432: cannot run this benchmark")
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk)")
    database_url = recreate_pg_database(f"platsa_{NAME}_ideas")
    VAR.mkdir(parents=True, exist_ok=True)
    sessions_file = VAR / "sessions.txt"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "DJANGO_SETTINGS_MODULE": "platsa.config.settings",
        "PLATSA_VAR_DIR": str(VAR),
        "SECRET_KEY": "bench-only-not-a-secret",  # the sessions made here are read by gunicorn
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "EMAIL_TO_CONSOLE": "true",  # nothing is mailed in this run
        "WHITENOISE_USE_FINDERS": "false",
        "LOG_LEVEL": "WARNING",
        "PLATSA_IDEAS_WRITE_RATE": "100000000/600",
        "PLATSA_IDEAS_WRITE_RATE_ADDRESS": "100000000/600",
    }
    subprocess.run(["redis-cli", "-u", REDIS_URL, "flushdb"], check=False, capture_output=True)
    run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        {**env, "STATIC_MANIFEST": "true"},
    )
    started = time.perf_counter()
    script = PREPARE.replace("WRITERS", str(WRITERS)).replace(
        "SESSIONS_FILE", repr(str(sessions_file))
    )
    line = next(
        x for x in run([sys.executable, "-c", script], env).splitlines() if x.startswith("PREPARED")
    )
    _, place, process, cookie, token, read_idea, idea_list = line.split()
    print(f"prepared in {time.perf_counter() - started:.0f} s", flush=True)
    sql(database_url, TABLE_SQL)
    ideas = [int(i) for i in idea_list.split(",")]
    sessions = sessions_file.read_text().split()
    session_users = [
        r[0]
        for r in sql(
            database_url, "select id from accounts_user where email like 'writer%%' order by id"
        )
    ]
    assert len(session_users) == len(sessions) == WRITERS
    prefix = f"/i/{place}/{process}/"
    hello_env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.hello_project"}
    insert_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.hello_insert_project",
        "DATABASE_URL": database_url,
    }
    servers = [
        gunicorn(args.platsa_wsgi, PLATSA_PORT, args.workers, env),
        gunicorn("bench.hello_project", HELLO_PORT, args.workers, hello_env),
        gunicorn("bench.hello_insert_project", INSERT_PORT, args.workers, insert_env),
    ]
    base = f"http://127.0.0.1:{PLATSA_PORT}"
    reads = {
        "hello": f"http://127.0.0.1:{HELLO_PORT}/",
        "process page": f"{base}{prefix}",
        "idea page": f"{base}{prefix}{read_idea}/",
    }
    write_env = {
        "BENCH_SESSIONS_FILE": str(sessions_file),
        "BENCH_IDEAS": ",".join(map(str, ideas)),
        "BENCH_PREFIX": prefix,
        "BENCH_CSRF_COOKIE": cookie,
        "BENCH_CSRF_TOKEN": token,
    }
    writes = {
        "insert": f"http://127.0.0.1:{INSERT_PORT}",
        "support": base,
        "comment": base,
    }
    rounds: list[dict[str, dict[str, float]]] = []
    if (args.rounds + 1) * REGION > WRITERS * len(ideas):
        raise SystemExit("too many rounds for the (person, idea) pairs there are")
    try:
        sizes = {name: len(wait_for(url)) for name, url in reads.items()}
        wait_for(f"http://127.0.0.1:{INSERT_PORT}/")
        # An idea's change is visible on the next request: a support, then an anonymous read.
        shown_before = supporters_shown(wait_for(reads["idea page"]))
        check = subprocess.run(
            [
                "curl",
                "-s",
                "-o",
                "/dev/null",
                "-w",
                "%{http_code} %{redirect_url}",
                "-X",
                "POST",
                "-b",
                f"csrftoken={cookie}; sessionid={sessions[-1]}",
                "-d",
                f"csrfmiddlewaretoken={token}&support=1",
                f"{base}{prefix}{read_idea}/stod/",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        shown_after = supporters_shown(wait_for(reads["idea page"]))
        print(
            f"support by a new person -> {check}; the next anonymous read shows {shown_before} -> "
            f"{shown_after} supporters: {'visible at once' if shown_after == shown_before + 1 else 'NOT visible'}"
        )
        for n in range(args.rounds):
            one: dict[str, dict[str, float]] = {}
            for name, url in reads.items() if "reads" in parts else ():
                one[name] = wrk_read(url, args.seconds)
            for kind, url in writes.items() if "writes" in parts else ():
                before = counts(database_url)
                # Round n's requests are numbered from n * REGION: no pair is written twice.
                one[kind] = wrk_write(url, kind, n * REGION, args.seconds, write_env, database_url)
                time.sleep(1)  # what was in flight when wrk stopped
                one[kind]["stored"] = counts(database_url)[kind] - before[kind]
            rounds.append(one)
            print(f"round {n + 1} done", flush=True)
    finally:
        for server in servers:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=20)
    print(f"platsa served as {args.platsa_wsgi}")
    print(
        f"gunicorn -w {args.workers} (sync) each, PostgreSQL + Redis, {os.cpu_count()} CPUs shared with wrk "
        f"and PostgreSQL; a process of 300 ideas; {args.rounds} rounds of interleaved wrk runs, "
        f"{args.seconds} s each, {CONNECTIONS} connections; medians over rounds"
    )
    if "reads" in parts:
        report_reads(rounds, sizes)
    if "writes" in parts:
        report_writes(rounds)
    setup = {
        "ideas": ideas,
        "sessions": sessions,
        "session_users": session_users,
        "prefix": prefix,
        "cookie": cookie,
        "token": token,
        "crash_offset": args.rounds * REGION,
        "supports_before_crash": sql(
            database_url,
            "select count(*) from innovation_support where user_id = any(%s)",
            (session_users,),
        )[0][0],
    }
    if "crash" in parts:
        crash_run(env, args.platsa_wsgi, args.workers, setup, database_url, args.crash_seconds)


if __name__ == "__main__":
    main()
