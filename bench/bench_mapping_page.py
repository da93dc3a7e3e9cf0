"""The comparison page of a mapping of 300 municipalities x 40 respondents each, server time,
median of 20 (target 300 ms) on PostgreSQL (and SQLite for reference).

"Cold" clears the caches before every request: all 12,000 answers are read in one query,
decoded and scored with NumPy, ranked and drawn (table and map); "rendered again" is the page
after the coordinator changed something (scores and map still cached); "kept" is a member's
copy between changes. Server time is the Django request cycle through the test client. The
PDF is timed as the background worker makes it.

    .venv/bin/python bench/bench_mapping_page.py [--units 300] [--per-unit 40]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import OUT, median_ms, pg_reachable, recreate_pg_database, verdict  # noqa: E402

RUNS = 20
TARGET_MS = 300.0


def child(database_url: str, label: str, units: int, per_unit: int) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "platsa.config.settings"
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("EMAIL_TO_CONSOLE", "true")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from platsa.accounts.models import User
    from platsa.assessments.generated import round_fill_generated
    from platsa.catalogue.selectors import frameworks
    from platsa.core.schema.frameworks import default_framework
    from platsa.mappings.selectors import comparison, data_key, units_of
    from platsa.mappings.services import Participant, mapping_create, mapping_rounds
    from platsa.mappings.views import comparison_pdf
    from platsa.places.models import Area, Place
    from platsa.places.reference_import import import_reference
    from platsa.places.services import place_create
    from platsa.processes.services import process_touch
    from platsa.web.pagecache import forget_all

    call_command("migrate", verbosity=0)
    import_reference(shapes=True)
    user = User.objects.create_user(email="bench@example.org", password="x" * 12)
    home = Area.objects.get(kind="municipality", country="SE", code="2081")
    region = place_create(user=user, name="Bänkregion", municipality=home, kind=Place.Kind.OTHER)
    available = frameworks()
    fw = available.get("innovation-capacity") or default_framework(available)
    areas = list(Area.objects.filter(kind="municipality").order_by("country", "code")[:units])
    mapping, _created = mapping_create(
        place=region,
        user=user,
        title="Bänk",
        framework=fw,
        participants=[Participant(municipality=a) for a in areas],
        base_url="http://testserver/",
    )
    for i, round_ in enumerate(mapping_rounds(mapping)):
        round_fill_generated(round_, per_unit, seed=i + 1)

    client = Client()
    client.force_login(user)
    url = reverse("mappings:detail", args=[region.slug, mapping.slug])
    first = client.get(url)
    assert first.status_code == 200, first.content[:500]

    def cold() -> None:
        forget_all()  # the scores, the map and each member's kept page
        assert client.get(url).status_code == 200

    def rendered() -> None:
        process_touch(mapping.pk)  # the coordinator changed something; the answers did not
        assert client.get(url).status_code == 200

    def kept() -> None:
        assert client.get(url).status_code == 200

    cold_ms, cold_all = median_ms(cold, RUNS)
    rendered_ms, _ = median_ms(rendered, RUNS)
    kept_ms, _ = median_ms(kept, RUNS)
    programme = reverse("mappings:programme", args=[region.slug, mapping.slug])

    def programme_cold() -> None:
        forget_all()
        assert client.get(programme).status_code == 200

    programme_ms, _ = median_ms(programme_cold, 10)

    def pdf_cold() -> None:  # what the background worker does for one report
        forget_all()
        units = units_of(mapping)
        key = data_key(units)
        data = comparison_pdf(mapping, units, comparison(mapping, units, key), key, None)
        pdf_sizes.append(len(data))

    pdf_sizes: list[int] = []
    pdf_ms, _ = median_ms(pdf_cold, 3)
    size = len(client.get(url, HTTP_ACCEPT_ENCODING="gzip").content)
    print(f"{label}: mapping comparison page, {units} municipalities x {per_unit} respondents")
    print(
        f"  cold (cache cleared each time): {cold_ms:.0f} ms (min {min(cold_all):.0f}, max "
        f"{max(cold_all):.0f}); target <= {TARGET_MS:.0f} ms: {verdict(cold_ms, TARGET_MS)}"
    )
    print(
        f"  rendered again, scores and map cached (until an answer changes): {rendered_ms:.0f} ms"
    )
    print(
        f"  a member's kept copy (a minute, or until the coordinator changes something): {kept_ms:.1f} ms"
    )
    print(f"  page size gzipped: {size / 1024:.1f} KB")
    print(
        f"  the actions on most lists (loaded after the page; the engine once per "
        f"municipality), cold: {programme_ms:.0f} ms"
    )
    print(
        f"  the comparison PDF (table, a map per dimension, what they share; made by the "
        f"background worker), cold: "
        f"{pdf_ms:.0f} ms, {pdf_sizes[-1] / 1024:.0f} KB"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=300)
    parser.add_argument("--per-unit", type=int, default=40)
    parser.add_argument("--child", nargs=2)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], args.units, args.per_unit)
        return
    OUT.mkdir(parents=True, exist_ok=True)
    sqlite = OUT / "bench_mapping.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{sqlite}{suffix}").unlink(missing_ok=True)
    targets = []
    if pg_reachable():
        targets.append((recreate_pg_database("platsa_bench_mapping"), "PostgreSQL"))
    else:
        print("PostgreSQL not reachable: SQLite only (the target is for PostgreSQL)")
    targets.append((f"sqlite:///{sqlite}", "SQLite"))
    for url, label in targets:
        subprocess.run(
            [
                sys.executable,
                __file__,
                "--units",
                str(args.units),
                "--per-unit",
                str(args.per_unit),
                "--child",
                url,
                label,
            ],
            check=True,
            cwd=ROOT,
        )


if __name__ == "__main__":
    main()
