"""Import the open reference data (municipalities, regions, boundaries) into the database.

Idempotent: running it again updates every row in place (``bulk_create`` with
``update_conflicts``), so the quick start can run it every time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from platsa.core.reference import REFERENCE_DIR, load_reference
from platsa.places.models import Area, AreaShape, Place

COUNTRY_NAMES = {"SE": "Sverige", "NO": "Norge", "FI": "Suomi / Finland"}
FACT_FIELDS = [
    "name",
    "parent",
    "population",
    "population_date",
    "population_source",
    "population_series",
    "share_65_plus_pct",
    "share_0_19_pct",
    "age_year",
    "age_bands",
    "skr_group_code",
    "skr_group_name",
    "land_area_km2",
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


@transaction.atomic
def import_reference(root: Path = REFERENCE_DIR, *, shapes: bool = True) -> ImportSummary:
    regions, municipalities = load_reference(root)
    Area.objects.bulk_create(
        [Area(kind=Area.Kind.COUNTRY, country=c, code=c, name=n) for c, n in COUNTRY_NAMES.items()],
        update_conflicts=True,
        unique_fields=["country", "kind", "code"],
        update_fields=["name"],
    )
    countries = {a.country: a for a in Area.objects.filter(kind=Area.Kind.COUNTRY)}
    Area.objects.bulk_create(
        [
            Area(
                kind=Area.Kind.REGION,
                country=r.country,
                code=r.code,
                name=r.name,
                parent=countries[r.country],
            )
            for r in regions
        ],
        update_conflicts=True,
        unique_fields=["country", "kind", "code"],
        update_fields=["name", "parent"],
    )
    region_ids = {(a.country, a.code): a for a in Area.objects.filter(kind=Area.Kind.REGION)}
    rows = []
    for m in municipalities:
        rows.append(
            Area(
                kind=Area.Kind.MUNICIPALITY,
                country=m.country,
                code=m.code,
                name=m.name,
                parent=region_ids.get((m.country, m.region_code)) or countries[m.country],
                population=m.population,
                population_date=m.population_date,
                population_source=m.population_source,
                population_series={str(y): v for y, v in m.population_series.items()},
                share_65_plus_pct=m.share_65_plus_pct,
                share_0_19_pct=m.share_0_19_pct,
                age_year=m.age_year,
                age_bands=m.age_bands,
                skr_group_code=m.skr_group_code,
                skr_group_name=m.skr_group_name,
                land_area_km2=m.land_area_km2,
                area_source=m.area_source,
                lat=m.lat,
                lon=m.lon,
            )
        )
    Area.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["country", "kind", "code"],
        update_fields=FACT_FIELDS,
        batch_size=200,
    )
    shape_count = 0
    if shapes:
        geometry = _shapes(root)
        ids = {
            (a["country"], a["code"]): a["id"]
            for a in Area.objects.filter(kind=Area.Kind.MUNICIPALITY).values(
                "id", "country", "code"
            )
        }
        objs = [
            AreaShape(area_id=ids[key], geometry=geom, source=source)
            for key, (geom, source) in geometry.items()
            if key in ids
        ]
        AreaShape.objects.bulk_create(
            objs,
            update_conflicts=True,
            unique_fields=["area"],
            update_fields=["geometry", "source"],
            batch_size=100,
        )
        shape_count = len(objs)
    # Facts may have changed: every place's pages show its municipality's facts.
    Place.objects.update(changed_at=timezone.now())
    return ImportSummary(len(countries), len(regions), len(municipalities), shape_count)
