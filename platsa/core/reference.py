"""Reference data: the real municipalities of Sweden, Norway and Finland with their facts.

The files in ``platsa/data/reference`` are byte-for-byte copies of ``shared/data`` (see
``SOURCES.md`` there for provenance and licences). This module only reads and reshapes them;
no figure is typed in by hand. The web app imports these records into the database with
``manage.py import_reference``; the command line reads them directly.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from platsa.core.catalogue import Remoteness
from platsa.core.context import Fact, PlaceContext, size_class_for
from platsa.core.messages import Translate, gettext_noop, identity

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "data" / "reference"


@dataclass(frozen=True)
class DataSource:
    key: str
    title: str
    publisher: str
    url: str
    licence: str
    # What the licence asks us to show, as an English message id: the reader sees it in
    # their own language ("Källa: SCB" in Swedish) through :meth:`credit` or the template's
    # ``{% translate %}``. Names with no words to translate ("© Kartverket") stay as they are.
    attribution: str

    def credit(self, _: Translate = identity) -> str:
        """The attribution in the reader's language."""
        return _(self.attribution)


SOURCES: dict[str, DataSource] = {
    s.key: s
    for s in (
        DataSource(
            "scb_population",
            "Folkmängd i Sveriges kommuner 31 december 1950–2022 (2020–2022 via Kolada, "
            "N01951) och 1 november 2024",
            "SCB",
            "https://www.scb.se/vara-tjanster/oppna-data/",
            "CC0 1.0",
            gettext_noop("Source: SCB"),
        ),
        DataSource(
            "scb_age",
            "Folkmängd efter region, ålder och kön 2019",
            "SCB",
            "https://www.scb.se/vara-tjanster/oppna-data/",
            "CC0 1.0",
            gettext_noop("Source: SCB"),
        ),
        DataSource(
            "scb_area",
            "Landareal per kommun 2015 (SCB, via Wikipedia och marcusasplund/kommundata)",
            "SCB",
            "https://www.scb.se/",
            "CC0 1.0",
            gettext_noop("Source: SCB"),
        ),
        DataSource(
            "scb_geo",
            "Digitala gränser (kommuner), förenklade",
            "SCB",
            "https://www.scb.se/vara-tjanster/oppna-data/",
            "CC0 1.0",
            gettext_noop("Source: SCB"),
        ),
        DataSource(
            "skr_groups",
            "Kommungruppsindelning 2023",
            "SKR",
            "https://skr.se/",
            "Free to use with the source named",
            gettext_noop("Source: SKR"),
        ),
        DataSource(
            "no_kommuner",
            "Norwegian municipalities 2025 (aprestmo/norge-data; population believed to be "
            "SSB's 1 Jan 2024, not yet verified)",
            "aprestmo/norge-data",
            "https://github.com/aprestmo/norge-data",
            "MIT (repository)",
            "aprestmo/norge-data",
        ),
        DataSource(
            "kartverket",
            "Kommuner 2024 (Kartverket, S quality)",
            "Kartverket",
            "https://www.kartverket.no/",
            "CC BY 4.0",
            "© Kartverket",
        ),
        DataSource(
            "fi_population",
            "Population of Finnish municipalities 31.12.2020 (via Yle geodata)",
            "Statistics Finland",
            "https://stat.fi/",
            "CC BY 4.0",
            "© Statistics Finland",
        ),
        DataSource(
            "mml",
            "Kuntajako 1:4 500 000, 2023",
            "Maanmittauslaitos (MML)",
            "https://www.maanmittauslaitos.fi/",
            "CC BY 4.0",
            "© Maanmittauslaitos",
        ),
    )
}

SKR_REMOTENESS = {
    "A1": Remoteness.URBAN,
    "A2": Remoteness.URBAN,
    "B3": Remoteness.URBAN,
    "B4": Remoteness.NEAR_TOWN,
    "B5": Remoteness.NEAR_TOWN,
    "C6": Remoteness.NEAR_TOWN,
    "C7": Remoteness.NEAR_TOWN,
    "C8": Remoteness.RURAL,
    "C9": Remoteness.RURAL,
}
# Norway and Finland have no SKR groups: density (inhabitants per km² of land) stands in.
RURAL_BELOW_DENSITY = 10.0
URBAN_ABOVE_DENSITY = 100.0


@dataclass(frozen=True)
class Region:
    country: str
    code: str
    name: str


@dataclass
class Municipality:
    """One municipality and every fact the reference files hold about it."""

    country: str  # "SE", "NO", "FI"
    code: str
    name: str
    region_code: str
    population: int | None = None
    population_date: str = ""
    population_source: str = ""
    # 31 December values only. A figure for another date (SCB's 1 November 2024) is
    # ``population`` with its ``population_date``, never a year of this series.
    population_series: dict[int, int] = field(default_factory=dict)
    share_65_plus_pct: float | None = None
    share_0_19_pct: float | None = None
    age_year: str = ""
    age_bands: dict[str, int] = field(default_factory=dict)  # "0_4" -> people, 5-year bands
    skr_group_code: str = ""
    skr_group_name: str = ""
    land_area_km2: float | None = None
    area_source: str = ""
    lat: float | None = None
    lon: float | None = None

    @property
    def key(self) -> str:
        return f"{self.country}-{self.code}"

    @property
    def density(self) -> float | None:
        if self.population and self.land_area_km2:
            return self.population / self.land_area_km2
        return None

    @property
    def population_change(self) -> tuple[float, str] | None:
        """Percentage change over the last ten years of the 31 Dec series, with its period."""
        if not self.population_series:
            return None
        last = max(self.population_series)
        first = last - 10
        if first not in self.population_series or not self.population_series[first]:
            return None
        start, end = self.population_series[first], self.population_series[last]
        return 100.0 * (end - start) / start, f"{first}–{last}"

    @property
    def remoteness(self) -> Remoteness | None:
        if self.skr_group_code:
            return SKR_REMOTENESS.get(self.skr_group_code)
        density = self.density
        if density is None:
            return None
        if density < RURAL_BELOW_DENSITY:
            return Remoteness.RURAL
        if density > URBAN_ABOVE_DENSITY:
            return Remoteness.URBAN
        return Remoteness.NEAR_TOWN


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _num(value: str) -> float | None:
    return float(value) if value not in ("", None) else None


def _load_sweden(root: Path) -> tuple[list[Region], list[Municipality]]:
    se = root / "se"
    regions = [
        Region("SE", r["county_code"], r["county_name"]) for r in _read_csv(se / "counties.csv")
    ]
    series: dict[str, dict[int, int]] = {}
    for row in _read_csv(se / "population_1950_2019.csv"):
        code = row.pop("municipality_code")
        row.pop("municipality_name")
        series[code] = {int(y): int(v) for y, v in row.items() if v}
    # SCB's 31 Dec figures for 2020-2022 via Kolada (N01951): same municipal division, and
    # Kolada's 2009 and 2019 equal SCB's file, so they continue the series without a break.
    for row in _read_csv(se / "population_2020_2022.csv"):
        years = series.setdefault(row["municipality_code"], {})
        for column, value in row.items():
            if column.startswith("pop_") and column.endswith("_12_31") and value:
                years[int(column[4:8])] = int(value)
    ages = {r["municipality_code"]: r for r in _read_csv(se / "age_structure_2019.csv")}
    out = []
    for row in _read_csv(se / "municipality_overview.csv"):
        code = row["municipality_code"]
        age = ages[code]
        bands = {k[4:]: int(v) for k, v in age.items() if k.startswith("age_") and "_" in k[4:]}
        bands = {k: v for k, v in bands.items() if k not in ("0_19", "20_64", "65_plus", "80_plus")}
        out.append(
            Municipality(
                country="SE",
                code=code,
                name=row["municipality_name"],
                region_code=row["county_code"],
                population=int(row["pop_2024_11_01"]),
                population_date="2024-11-01",
                population_source="scb_population",
                population_series=series.get(code, {}),
                share_65_plus_pct=_num(row["share_65_plus_pct_2019"]),
                share_0_19_pct=_num(row["share_0_19_pct_2019"]),
                age_year="2019",
                age_bands=bands,
                skr_group_code=row["skr_group_2023_code"],
                skr_group_name=row["skr_group_2023_name"],
                land_area_km2=_num(row["area_land_km2_2015"]),
                area_source="scb_area",
                lat=_num(row["interior_point_lat"]),
                lon=_num(row["interior_point_lon"]),
            )
        )
    return regions, out


def _load_norway(root: Path) -> tuple[list[Region], list[Municipality]]:
    no = root / "no"
    fylker = json.loads((no / "fylker_2025_norge_data.json").read_text(encoding="utf-8"))
    regions = [Region("NO", f["f_id"], f["f_name"]) for f in fylker]
    kommuner = json.loads((no / "kommuner_2025_norge_data.json").read_text(encoding="utf-8"))
    out = [
        Municipality(
            country="NO",
            code=k["k_id"],
            name=k["k_name"],
            region_code=k["k_id"][:2],
            population=int(k["k_population"]) if k.get("k_population") else None,
            population_date="2024-01-01",
            population_source="no_kommuner",
            land_area_km2=float(k["k_area"]) if k.get("k_area") else None,
            area_source="no_kommuner",
        )
        for k in kommuner
    ]
    return regions, out


def _load_finland(root: Path) -> tuple[list[Region], list[Municipality]]:
    fi = root / "fi"
    topo = json.loads((fi / "finland_hva_2021_yle.topo.json").read_text(encoding="utf-8"))
    regions = []
    for g in topo["objects"]["hva"]["geometries"]:
        props = g["properties"]
        if not props.get("hva_id"):  # Helsinki: in no wellbeing services county
            continue
        name = props["short_name_fi"]
        if props.get("short_name_sv") and props["short_name_sv"] != name:
            name = f"{name} / {props['short_name_sv']}"
        regions.append(Region("FI", props["hva_id"], name))
    areas = {}
    geo = json.loads((fi / "kuntarajat_2023_mml.geojson").read_text(encoding="utf-8"))
    for feature in geo["features"]:
        props = feature["properties"]
        areas[props["NATCODE"]] = float(props["LANDAREA"])
    out = []
    for row in _read_csv(fi / "kunnat_population_2020.csv"):
        code = row["municipality_code"]
        name = row["name_fi"]
        if row["name_sv"] and row["name_sv"] != name:
            name = f"{name} / {row['name_sv']}"
        out.append(
            Municipality(
                country="FI",
                code=code,
                name=name,
                # Helsinki belongs to no wellbeing services county: it is its own region.
                region_code=row["hva_id"] or "HEL",
                population=int(row["population_2020_12_31"]),
                population_date="2020-12-31",
                population_source="fi_population",
                land_area_km2=areas.get(code),
                area_source="mml",
            )
        )
    if any(m.region_code == "HEL" for m in out):
        regions.append(Region("FI", "HEL", "Helsinki"))
    return regions, out


@cache
def load_reference(
    root: Path = REFERENCE_DIR,
) -> tuple[tuple[Region, ...], tuple[Municipality, ...]]:
    """Every region and municipality of the three countries."""
    regions: list[Region] = []
    municipalities: list[Municipality] = []
    for loader in (_load_sweden, _load_norway, _load_finland):
        r, m = loader(root)
        regions += r
        municipalities += m
    return tuple(regions), tuple(municipalities)


@cache
def national_share_65_plus(country: str, root: Path = REFERENCE_DIR) -> float | None:
    """The country's share aged 65+ from the same files (Sweden only: others lack ages)."""
    if country != "SE":
        return None
    rows = _read_csv(root / "se" / "age_structure_2019.csv")
    total = sum(int(r["pop_total"]) for r in rows)
    old = sum(int(r["age_65_plus"]) for r in rows)
    return 100.0 * old / total if total else None


def find_municipality(code: str, root: Path = REFERENCE_DIR) -> Municipality | None:
    """By code; ``"2081"`` or ``"SE-2081"``, ``"NO-5001"``, ``"FI-091"``. A bare 4-digit code
    is Swedish, a bare 3-digit code Finnish."""
    code = code.strip().upper()
    if "-" in code:
        country, code = code.split("-", 1)
    else:
        country = "FI" if len(code) == 3 else "SE"
    _, municipalities = load_reference(root)
    return next((m for m in municipalities if m.country == country and m.code == code), None)


def municipality_facts(m: Municipality, national_65: float | None = None) -> list[Fact]:
    """The facts shown on a place page and used by the engine, each with source and period."""
    area = m.name
    facts: list[Fact] = []
    if m.population is not None:
        facts.append(Fact("population", m.population, m.population_date, m.population_source, area))
    change = m.population_change
    if change is not None:
        facts.append(
            Fact("population_change_pct", round(change[0], 2), change[1], "scb_population", area)
        )
    if m.share_65_plus_pct is not None:
        facts.append(
            Fact(
                "share_65_plus_pct",
                m.share_65_plus_pct,
                m.age_year,
                "scb_age",
                area,
                compare=round(national_65, 2) if national_65 is not None else None,
            )
        )
    if m.share_0_19_pct is not None:
        facts.append(Fact("share_0_19_pct", m.share_0_19_pct, m.age_year, "scb_age", area))
    if m.land_area_km2 is not None:
        facts.append(
            Fact(
                "land_area_km2",
                m.land_area_km2,
                "2015" if m.country == "SE" else "",
                m.area_source,
                area,
            )
        )
    if m.skr_group_code:
        facts.append(
            Fact("skr_group", f"{m.skr_group_code} {m.skr_group_name}", "2023", "skr_groups", area)
        )
    if m.remoteness is not None:
        source = "skr_groups" if m.skr_group_code else m.population_source
        facts.append(Fact("remoteness", m.remoteness.value, "", source, area))
    return facts


def context_for_municipality(
    m: Municipality,
    *,
    place_name: str = "",
    place_population: int | None = None,
    is_whole_municipality: bool = True,
    has_industry_employer: bool | None = None,
    remoteness: Remoteness | None = None,
) -> PlaceContext:
    """The engine's context for a place in municipality ``m``.

    The size class is the place's own: the municipality's population only when the place is
    the whole municipality, otherwise the population the organiser gave (or unknown)."""
    national = national_share_65_plus(m.country)
    facts = municipality_facts(m, national)
    population = m.population if is_whole_municipality else place_population
    if place_population is not None and not is_whole_municipality:
        facts.append(Fact("place_population", place_population, "", "organiser", place_name))
    change = m.population_change
    return PlaceContext(
        name=place_name or m.name,
        population=population,
        size_class=size_class_for(population),
        population_change_pct=change[0] if change else None,
        share_65_plus_pct=m.share_65_plus_pct,
        national_share_65_plus_pct=national,
        remoteness=remoteness or m.remoteness,
        has_industry_employer=has_industry_employer,
        facts=tuple(facts),
    )
