"""The boundary budget of issue 8: the choropleth of every municipality of Sweden, Norway and
Finland (956 areas, straight from the reference files that `manage.py import_reference`
stores as AreaShape rows) must reach the browser in at most 1 MB compressed. Prints the
SVG's bytes raw, gzip -9, gzip -6 (what Django's GZipMiddleware sends for the page it sits
in) and brotli (quality 11, what a proxy in front may send), the points drawn and the draw
time; and the same for the demo mapping (the 15 municipalities of Dalarna).

The map is inline SVG in the comparison page, not a static file: its bytes on the wire are
the page's compression, so gzip -6 is the figure that counts today.

    .venv/bin/python bench/bench_boundaries.py [--runs 20] [--out bench/out/boundaries.svg]
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import median_ms, verdict  # noqa: E402

TARGET_BYTES = 1_000_000
DALARNA = "20"  # the county code the demo mapping's 15 municipalities start with


def _shapes() -> dict[tuple[str, str], dict]:
    """(country, code) -> GeoJSON geometry, read by the importer's own reader (Django is set
    up for it, no database is touched)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "platsa.config.settings")
    os.environ.setdefault("PLATSA_VAR_DIR", tempfile.mkdtemp(prefix="bench-boundaries-"))
    import django

    django.setup()
    from platsa.core.io.reference import REFERENCE_DIR
    from platsa.places.reference_import import _shapes as read_shapes

    return {key: geometry for key, (geometry, _) in read_shapes(REFERENCE_DIR).items()}


def _points(svg: str) -> int:
    """Points drawn: every pair in a path follows "M", "l" or a space."""
    return sum(len(re.findall(r"[Ml ]", d)) for d in re.findall(r' d="([^"]*)"', svg))


def measure(label: str, areas: list, runs: int, out: Path | None) -> int:
    from platsa.core.render import charts

    def draw() -> str:
        return charts.choropleth(
            areas,
            title=label,
            low=1.0,
            high=5.0,
            legend=["1–1,8", "1,8–2,6", "2,6–3,4", "3,4–4,2", "4,2–5"],
        )

    svg = draw()
    ms, _ = median_ms(draw, runs)
    raw = svg.encode()
    sizes = {
        "raw": len(raw),
        "gzip -9": len(gzip.compress(raw, 9, mtime=0)),
        "gzip -6": len(gzip.compress(raw, 6, mtime=0)),
    }
    try:
        import brotli  # type: ignore[import-untyped]

        sizes["brotli q11"] = len(brotli.compress(raw, quality=11))
    except ImportError:  # not a dependency: whitenoise uses it when installed
        pass
    points_in = sum(
        len(ring) for a in areas for ring in charts._rings(a.geometry)
    )  # closing points included, as in the files
    print(f"{label}: {len(areas)} areas, {points_in} points in the files, {_points(svg)} drawn")
    print("  " + ", ".join(f"{k} {v:,} B" for k, v in sizes.items()))
    print(f"  draw (median of {runs}): {ms:.1f} ms")
    worst = sizes["gzip -6"]
    print(
        f"  compressed (gzip -6) {worst / 1e6:.3f} MB; target <= {TARGET_BYTES / 1e6:g} MB: "
        f"{verdict(worst, TARGET_BYTES)}"
    )
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(raw)
        print(f"  written to {out}")
    return worst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--out", type=Path, default=None, help="write the big SVG here")
    args = parser.parse_args()

    shapes = _shapes()
    from platsa.core.io.reference import load_reference
    from platsa.core.render.charts import MapArea

    _, municipalities = load_reference()
    areas = []
    for i, m in enumerate(sorted(municipalities, key=lambda m: (m.country, m.code))):
        geometry = shapes.get((m.country, m.code))
        if geometry is None:
            continue
        value = 1 + (i * 37 % 41) / 10  # every class, neighbours different
        label = f"{m.name}: {value:.1f}".replace(".", ",")
        areas.append(
            MapArea(key=f"{m.country}-{m.code}", label=label, geometry=geometry, value=value)
        )
    by_country = {c: sum(1 for a in areas if a.key.startswith(c)) for c in ("SE", "NO", "FI")}
    print(f"municipalities with a boundary: {by_country} of {len(municipalities)}")
    measure("all of SE, NO and FI", areas, args.runs, args.out)
    dalarna = [a for a in areas if a.key.startswith(f"SE-{DALARNA}")]
    measure("the demo mapping (Dalarna)", dalarna, args.runs, None)


if __name__ == "__main__":
    main()
