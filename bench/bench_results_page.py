"""Results page of a round with 10,000 responses, server time, median of 20 (target 150 ms),
on SQLite and on PostgreSQL.

"Cold" clears the results cache before every request, so each one loads all 10,000 answers
from the database and scores and ranks them; "warm" is what visitors see between changes.
Server time is the Django request cycle (middleware, view, template) through the test client.

    .venv/bin/python bench/bench_results_page.py
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import OUT, median_ms, pg_reachable, recreate_pg_database, verdict  # noqa: E402

N = 10_000
RUNS = 20


def child(database_url: str, label: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "platsa.config.settings"
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from platsa.accounts.models import User
    from platsa.assessments.generated import round_fill_generated
    from platsa.assessments.services import default_groups, round_create
    from platsa.core.schema.frameworks import get_framework
    from platsa.places.models import Area
    from platsa.places.reference_import import import_reference
    from platsa.places.services import place_create

    call_command("migrate", verbosity=0)
    import_reference(shapes=False)
    user = User.objects.create_user(email="bench@example.org", password="x" * 12)
    borlange = Area.objects.get(kind="municipality", country="SE", code="2081")
    place = place_create(
        user=user,
        name="Bänk",
        municipality=borlange,
        population_estimate=5000,
        has_industry_employer="yes",
    )
    fw = get_framework("place-attractiveness")
    round_ = round_create(
        place=place, user=user, name="Bänk", framework=fw, groups=default_groups(fw), open_now=True
    )
    round_fill_generated(
        round_, N, seed=7, comment_rate=0.2, comments=["Bra", "Mer bussar", "Fler bostäder"]
    )
    assert round_.responses.count() == N

    client = Client()
    client.force_login(user)
    url = reverse("assessments:results", args=[place.slug, round_.slug])
    assert client.get(url).status_code == 200

    def cold() -> None:
        cache.clear()
        assert client.get(url).status_code == 200

    def warm() -> None:
        assert client.get(url).status_code == 200

    cold_ms, cold_all = median_ms(cold, RUNS)
    warm_ms, _ = median_ms(warm, RUNS)
    size = len(client.get(url, HTTP_ACCEPT_ENCODING="gzip").content)
    print(
        f"{label}: results page, {N:,} responses ({round_.comments.count():,} comments), median of {RUNS}"
    )
    print(
        f"  cold (cache cleared each time): {cold_ms:.0f} ms (min {min(cold_all):.0f}, max {max(cold_all):.0f}); target <= 150 ms: {verdict(cold_ms, 150)}"
    )
    print(f"  warm (results cached until answers change): {warm_ms:.0f} ms")
    print(f"  page size gzipped: {size / 1024:.1f} KB")


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
        return
    OUT.mkdir(parents=True, exist_ok=True)
    sqlite = OUT / "bench_results.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{sqlite}{suffix}").unlink(missing_ok=True)
    targets = [(f"sqlite:///{sqlite}", "SQLite")]
    if pg_reachable():
        targets.append((recreate_pg_database("platsa_bench_results"), "PostgreSQL"))
    else:
        print("PostgreSQL not reachable: SQLite only")
    for url, label in targets:
        subprocess.run([sys.executable, __file__, "--child", url, label], check=True, cwd=ROOT)


if __name__ == "__main__":
    main()
