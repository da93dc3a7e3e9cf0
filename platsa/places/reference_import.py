"""Import the open reference data (municipalities, regions, boundaries) into the database.

Idempotent, and quiet when nothing changed: every row is compared with what the files say,
and only new or changed rows are written. A second run therefore changes nothing (not even
the places' ``changed_at``, which is part of their pages' cache keys), and a run after a data
update writes exactly the municipalities whose figures changed and marks their places as
changed, so that no page keeps showing an old figure.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from platsa.core.io.reference import REFERENCE_DIR, Municipality, load_reference
from platsa.places.models import Area, AreaShape, Place

COUNTRY_NAMES = {"SE": "Sverige", "NO": "Norge", "FI": "Suomi / Finland"}
FACT_FIELDS = [
    "name",
    "parent",
    "population",
    "population_date",
    "population_source",
    "population_series",
    "population_series_day",
    "population_series_sources",
    "share_65_plus_pct",
    "share_0_19_pct",
    "age_year",
    "age_source",
    "age_bands",
    "age_bands_year",
    "age_bands_source",
    "skr_group_code",
    "skr_group_name",
    "land_area_km2",
    "area_year",
    "area_source",
    "lat",
    "lon",
]


@dataclass
class ImportSummary:
    countries: int
    regions: int
    municipalities: int
    shapes: int
    # Rows written by this run (new or changed); 0 when the database already matched.
    changed: int = 0


def _shapes(root: Path) -> dict[tuple[str, str], tuple[dict, str]]:
    """(country, code) -> (GeoJSON geometry, source key)."""
    out: dict[tuple[str, str], tuple[dict, str]] = {}
    specs = [
        ("SE", root / "se" / "kommuner_scb_simplified.geojson", "code", "scb_geo"),
        ("NO", root / "no" / "kommuner_2024_kartverket_S.geojson", "kommunenummer", "kartverket"),
        ("FI", root / "fi" / "kuntarajat_2023_mml.geojson", "NATCODE", "mml"),
    ]
    for country, path, field, source in specs:
        if not path.exists():
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        for feature in data["features"]:
            out[(country, str(feature["properties"][field]))] = (feature["geometry"], source)
    return out


def _municipality_values(m: Municipality, parent_id: int) -> dict[str, Any]:
    """The row's fields as the database gives them back (JSON keys are strings, tuples
    are lists), so that an unchanged row compares equal."""
    return {
        "name": m.name,
        "parent": parent_id,
        "population": m.population,
        "population_date": m.population_date,
        "population_source": m.population_source,
        "population_series": {str(y): v for y, v in sorted(m.population_series.items())},
        "population_series_day": m.population_series_day,
        "population_series_sources": [list(s) for s in m.population_series_sources],
        "share_65_plus_pct": m.share_65_plus_pct,
        "share_0_19_pct": m.share_0_19_pct,
        "age_year": m.age_year,
        "age_source": m.age_source,
        "age_bands": dict(m.age_bands),
        "age_bands_year": m.age_bands_year,
        "age_bands_source": m.age_bands_source,
        "skr_group_code": m.skr_group_code,
        "skr_group_name": m.skr_group_name,
        "land_area_km2": m.land_area_km2,
        "area_year": m.area_year,
        "area_source": m.area_source,
        "lat": m.lat,
        "lon": m.lon,
    }


def _sync_areas(kind: str, wanted: dict[tuple[str, str], dict[str, Any]]) -> tuple[int, set[int]]:
    """Create the missing areas of ``kind`` and update those whose fields differ.

    Returns the number of rows written and the ids of the updated (not the new) ones."""
    fields = sorted({f for values in wanted.values() for f in values})
    columns = ["parent_id" if f == "parent" else f for f in fields]
    existing = {
        (row["country"], row["code"]): row
        for row in Area.objects.filter(kind=kind).values("id", "country", "code", *columns)
    }
    new, changed = [], []
    changed_ids: set[int] = set()
    for (country, code), values in wanted.items():
        attrs = {("parent_id" if f == "parent" else f): v for f, v in values.items()}
        row = existing.get((country, code))
        if row is None:
            new.append(Area(kind=kind, country=country, code=code, **attrs))
        elif any(row[c] != v for c, v in attrs.items()):
            changed.append(Area(kind=kind, country=country, code=code, **attrs))
            changed_ids.add(row["id"])
    Area.objects.bulk_create(new, batch_size=200)
    if changed:
        # An upsert on the unique code: far faster than bulk_update's CASE per field.
        Area.objects.bulk_create(
            changed,
            update_conflicts=True,
            unique_fields=["country", "kind", "code"],
            update_fields=fields,
            batch_size=200,
        )
    return len(new) + len(changed), changed_ids


def _sync_shapes(root: Path) -> tuple[int, int, set[int]]:
    """Boundaries: (shapes in the files, rows written, ids of areas whose shape changed)."""
    geometry = _shapes(root)
    ids = {
        (a["country"], a["code"]): a["id"]
        for a in Area.objects.filter(kind=Area.Kind.MUNICIPALITY).values("id", "country", "code")
    }
    existing = {s["area_id"]: s for s in AreaShape.objects.values("area_id", "geometry", "source")}
    new, changed = [], []
    for key, (geom, source) in geometry.items():
        area_id = ids.get(key)
        if area_id is None:
            continue
        row = existing.get(area_id)
        if row is None:
            new.append(AreaShape(area_id=area_id, geometry=geom, source=source))
        elif row["geometry"] != geom or row["source"] != source:
            changed.append(AreaShape(area_id=area_id, geometry=geom, source=source))
    AreaShape.objects.bulk_create(new, batch_size=100)
    for shape in changed:
        AreaShape.objects.filter(area_id=shape.area_id).update(
            geometry=shape.geometry, source=shape.source, changed_at=timezone.now()
        )
    shown = sum(1 for key in geometry if key in ids)
    return shown, len(new) + len(changed), {s.area_id for s in changed}


@transaction.atomic
def import_reference(root: Path = REFERENCE_DIR, *, shapes: bool = True) -> ImportSummary:
    regions, municipalities = load_reference(root)
    written, _ = _sync_areas(
        Area.Kind.COUNTRY, {(c, c): {"name": n} for c, n in COUNTRY_NAMES.items()}
    )
    countries = {a.country: a.id for a in Area.objects.filter(kind=Area.Kind.COUNTRY)}
    count, _ = _sync_areas(
        Area.Kind.REGION,
        {(r.country, r.code): {"name": r.name, "parent": countries[r.country]} for r in regions},
    )
    written += count
    region_ids = {
        (a["country"], a["code"]): a["id"]
        for a in Area.objects.filter(kind=Area.Kind.REGION).values("id", "country", "code")
    }
    count, touched = _sync_areas(
        Area.Kind.MUNICIPALITY,
        {
            (m.country, m.code): _municipality_values(
                m, region_ids.get((m.country, m.region_code)) or countries[m.country]
            )
            for m in municipalities
        },
    )
    written += count
    shape_count = 0
    if shapes:
        shape_count, count, reshaped = _sync_shapes(root)
        written += count
        touched |= reshaped
    # Facts changed: the pages of the places in those municipalities show them.
    if touched:
        Place.objects.filter(municipality_id__in=touched).update(changed_at=timezone.now())
    return ImportSummary(len(countries), len(regions), len(municipalities), shape_count, written)
