"""Reference data: the real municipalities of Sweden, Norway and Finland with their facts.

The files in ``platsa/data/reference`` are byte-for-byte copies of ``shared/data`` (see
``SOURCES.md`` there for provenance and licences). This module only reads and reshapes them;
no figure is typed in by hand, and the years and dates the figures describe are read from
the files' column and file names. The web app imports these records into the database with
``manage.py import_reference``; the command line reads them directly.

What each municipality gets, in all three countries:

- a population series, year -> inhabitants, with the day of the year it describes: Sweden
  and Finland 31 December, Norway 1 January (SSB counts on 1 January). Each stretch of years
  keeps its own source (Sweden: SCB's file to 2019, Kolada 2020-2022);
- its most recent population with its date: Sweden's 1 November 2024 (SCB), which is not a
  year of the 31 December series; Norway's and Finland's newest year of the series;
- an age profile from the newest table: Sweden 2022 (Kolada) for the shares 65+ and 0-19,
  with SCB's 2019 five-year bands kept for the age chart; Norway 2025; Finland 2019;
- a population change over ten years, computed from the series (:class:`PopulationChange`).

Facts never go stale silently: every :class:`Fact` carries its period and source key.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from platsa.core.analysis.context import Fact, PlaceContext, size_class_for
from platsa.core.render.messages import Translate, gettext_noop, identity
from platsa.core.schema.catalogue import Country, Remoteness

REFERENCE_DIR = Path(__file__).resolve().parents[2] / "data" / "reference"


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
            "Folkmängd i Sveriges kommuner 31 december 1950–2019 (indelningen 1 januari 2020) "
            "och 1 november 2024",
            "SCB",
            "https://www.scb.se/vara-tjanster/oppna-data/",
            "CC0 1.0",
            gettext_noop("Source: SCB"),
        ),
        DataSource(
            "kolada_population",
            "Folkmängd 31 december 2020–2022, Kolada N01951 (SCB:s siffror, via "
            "open-numbers/ddf--kolada--dump)",
            "Kolada (RKA), figures from SCB",
            "https://www.kolada.se/",
            "CC0 1.0 (SCB's figures); Kolada asks for its name to be shown",
            gettext_noop("Source: Kolada"),
        ),
        # A change computed from a start year in SCB's file and an end year from Kolada
        # names both: Kolada's terms ask for "Källa: Kolada" wherever its figures are used.
        DataSource(
            "scb_kolada_population",
            "Folkmängd 31 december: SCB 1950–2019, Kolada N01951 2020–2022 (SCB:s siffror)",
            "SCB; Kolada (RKA)",
            "https://www.kolada.se/",
            "CC0 1.0 (SCB's figures); Kolada asks for its name to be shown",
            gettext_noop("Source: SCB and Kolada"),
        ),
        DataSource(
            "scb_age",
            "Folkmängd efter region, ålder och kön 31 december 2019 (5-årsklasser)",
            "SCB",
            "https://www.scb.se/vara-tjanster/oppna-data/",
            "CC0 1.0",
            gettext_noop("Source: SCB"),
        ),
        DataSource(
            "kolada_age",
            "Folkmängd efter ålder 31 december 2022, Kolada N01951–N01957 (SCB:s siffror)",
            "Kolada (RKA), figures from SCB",
            "https://www.kolada.se/",
            "CC0 1.0 (SCB's figures); Kolada asks for its name to be shown",
            gettext_noop("Source: Kolada"),
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
            "ssb_population",
            "Befolkning per kommune 1. januar 2005–2026, kommuneinndelingen 2024 (SSB tabell "
            "07459, via niphr/csdata)",
            "Statistisk sentralbyrå (SSB)",
            "https://www.ssb.no/statbank/table/07459",
            "NLOD (Norsk lisens for offentlige data)",
            gettext_noop("Source: Statistisk sentralbyrå (SSB)"),
        ),
        DataSource(
            "ssb_age",
            "Befolkning etter alder og kjønn per kommune 1. januar 2025 (SSB tabell 07459, "
            "via niphr/csdata)",
            "Statistisk sentralbyrå (SSB)",
            "https://www.ssb.no/statbank/table/07459",
            "NLOD (Norsk lisens for offentlige data)",
            gettext_noop("Source: Statistisk sentralbyrå (SSB)"),
        ),
        DataSource(
            "no_kommuner",
            "Norwegian municipalities 2025 (aprestmo/norge-data): names and land area. Its "
            "population equals SSB's 1 January 2024 for all 357 (verified); Platsa uses SSB's "
            "own series instead",
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
            "statfi_population",
            "Väkiluku 31.12.2000–2022, nykyinen kuntajako (Tilastokeskus; THL Sotkanet "
            "indikaattori 127, via rOpenGov/geofi)",
            "Tilastokeskus / THL Sotkanet",
            "https://sotkanet.fi/",
            "CC BY 4.0",
            gettext_noop("Source: Tilastokeskus / THL Sotkanet"),
        ),
        DataSource(
            "statfi_age",
            "Väestö iän ja sukupuolen mukaan 31.12.2019 (Tilastokeskus, taulu 11re, via "
            "kausaltech/reina-model)",
            "Tilastokeskus (Statistics Finland)",
            "https://stat.fi/",
            "CC BY 4.0",
            gettext_noop("Source: Statistics Finland"),
        ),
        DataSource(
            "fi_population",
            "Finnish municipalities and wellbeing services counties 2021, population "
            "31.12.2020 (Yle geodata; Statistics Finland's figures)",
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
# One key for a figure computed from two sources (a change from one year to another).
JOINED_SOURCES = {("scb_population", "kolada_population"): "scb_kolada_population"}

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
# A modelling choice, not data: see Municipality.remoteness.
RURAL_BELOW_DENSITY = 10.0
URBAN_ABOVE_DENSITY = 100.0

# The population change looks ten years back from the newest year of the series. Where the
# year ten years back has no figure (a municipality split on 1 January 2024 cannot be summed
# exactly before it), the first later year with one is used and the period says so; a span
# shorter than five years is too short to compare with the ten-year thresholds of
# platsa.core.analysis.context, so the change is then unknown. Both are modelling choices.
CHANGE_YEARS = 10
MIN_CHANGE_YEARS = 5

# The newest age table per country (shares 65+ and 0-19, and the national share), and the
# table whose five-year bands the age chart draws. The year is in the file name.
AGE_TABLES = {
    "SE": ("se/age_structure_2022.csv", "municipality_code", "kolada_age"),
    "NO": ("no/age_structure_2025.csv", "kommunenummer", "ssb_age"),
    "FI": ("fi/age_structure_2019.csv", "municipality_code", "statfi_age"),
}
AGE_BAND_TABLES = {
    "SE": ("se/age_structure_2019.csv", "municipality_code", "scb_age"),
    "NO": AGE_TABLES["NO"],
    "FI": AGE_TABLES["FI"],
}
_BROAD_BANDS = ("0_19", "20_64", "65_plus", "80_plus")
_POP_COLUMN = re.compile(r"^pop_(\d{4})_(\d{2})_(\d{2})$")
_YEAR_IN_NAME = re.compile(r"_(\d{4})(?:_|\.)")


@dataclass(frozen=True)
class Region:
    country: str
    code: str
    name: str


@dataclass(frozen=True)
class PopulationChange:
    """The change over (about) ten years of a municipality's population series."""

    pct: float
    first: int  # years of the series used
    last: int
    period: str  # "2012–2022" (31 December) or "2016-01-01–2026-01-01" (other days)
    source: str
    # True when the year ten years back had no figure and a later first year was used.
    start_moved: bool = False


def period_for(first: int, last: int, day: str) -> str:
    """Years alone mean 31 December (Platsa's convention since the first SCB series); any
    other day is written out as ISO dates, so that 1 January is never taken for 31 December."""
    if day in ("", "12-31"):
        return f"{first}–{last}"
    return f"{first}-{day}–{last}-{day}"


@dataclass
class Municipality:
    """One municipality and every fact the reference files hold about it."""

    country: str  # "SE", "NO", "FI"
    code: str
    name: str
    region_code: str
    # The most recent population and the day it describes (ISO), with its source key.
    population: int | None = None
    population_date: str = ""
    population_source: str = ""
    # Year -> inhabitants on ``population_series_day`` ("12-31" or "01-01") of that year.
    # A figure for another day (SCB's 1 November 2024) is ``population`` with its
    # ``population_date``, never a year of this series. Blank cells are left out.
    population_series: dict[int, int] = field(default_factory=dict)
    population_series_day: str = "12-31"
    # (first year, last year, source key) for each stretch of the series.
    population_series_sources: tuple[tuple[int, int, str], ...] = ()
    share_65_plus_pct: float | None = None
    share_0_19_pct: float | None = None
    age_year: str = ""
    age_source: str = ""
    age_bands: dict[str, int] = field(default_factory=dict)  # "0_4" -> people, 5-year bands
    age_bands_year: str = ""
    age_bands_source: str = ""
    skr_group_code: str = ""
    skr_group_name: str = ""
    land_area_km2: float | None = None
    area_year: str = ""
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

    def series_source(self, year: int) -> str:
        """The source key of one year of the population series."""
        for first, last, source in self.population_series_sources:
            if first <= year <= last:
                return source
        return self.population_source

    @property
    def population_change_detail(self) -> PopulationChange | None:
        """The change from ten years before the newest year of the series to that year.

        Blank cells are skipped honestly: if the year ten years back has no figure, the
        first later year that has one is the start (``start_moved``); a span shorter than
        ``MIN_CHANGE_YEARS`` gives no change at all."""
        years = sorted(y for y, v in self.population_series.items() if v)
        if not years:
            return None
        last = years[-1]
        target = last - CHANGE_YEARS
        first = next(y for y in years if y >= target)
        if last - first < MIN_CHANGE_YEARS:
            return None
        start, end = self.population_series[first], self.population_series[last]
        sources = (self.series_source(first), self.series_source(last))
        source = sources[0] if sources[0] == sources[1] else JOINED_SOURCES.get(sources, sources[1])
        return PopulationChange(
            pct=100.0 * (end - start) / start,
            first=first,
            last=last,
            period=period_for(first, last, self.population_series_day),
            source=source,
            start_moved=first != target,
        )

    @property
    def population_change(self) -> tuple[float, str] | None:
        """Percentage change over the last ten years of the series, with its period."""
        change = self.population_change_detail
        return (change.pct, change.period) if change else None

    @property
    def remoteness(self) -> Remoteness | None:
        """Urban, near a town or rural.

        Sweden: from SKR's municipality group (2023). Norway and Finland have no such
        classification in the reference files, so a transparent stand-in is used, a
        modelling choice rather than data: inhabitants per km² of land, from the most
        recent population and the land area. Under 10 per km² is rural, over 100 urban,
        anything between near a town. It cannot tell a remote village in a dense
        municipality; a place's own answer would be better where it is known."""
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


def _num(value: str | None) -> float | None:
    return float(value) if value not in ("", None) else None


def _year_of(name: str) -> str:
    """The year in a file name such as ``age_structure_2022.csv``."""
    found = _YEAR_IN_NAME.search(Path(name).name)
    return found.group(1) if found else ""


def _series(rows: list[dict[str, str]], key: str) -> tuple[dict[str, dict[int, int]], str]:
    """Code -> {year: value} from ``pop_YYYY_MM_DD`` columns (blank cells left out), and the
    day of the year ("MM-DD") the columns describe."""
    out: dict[str, dict[int, int]] = {}
    days = set()
    for row in rows:
        years = out.setdefault(row[key], {})
        for column, value in row.items():
            found = _POP_COLUMN.match(column)
            if found:
                days.add(f"{found.group(2)}-{found.group(3)}")
                if value:
                    years[int(found.group(1))] = int(value)
    if len(days) > 1:
        raise ValueError(f"one series, several days of the year: {sorted(days)}")
    return out, days.pop() if days else ""


def _span(series: dict[str, dict[int, int]]) -> tuple[int, int]:
    years = [y for values in series.values() for y in values]
    return min(years), max(years)


def _newest(values: dict[int, int], day: str) -> tuple[int | None, str]:
    if not values:
        return None, ""
    year = max(values)
    return values[year], f"{year}-{day}"


@dataclass(frozen=True)
class AgeProfile:
    share_65_plus_pct: float | None
    share_0_19_pct: float | None
    year: str
    source: str


def _age_profiles(root: Path, country: str) -> dict[str, AgeProfile]:
    path, key, source = AGE_TABLES[country]
    year = _year_of(path)
    return {
        r[key]: AgeProfile(_num(r["share_65_plus_pct"]), _num(r["share_0_19_pct"]), year, source)
        for r in _read_csv(root / path)
    }


def _age_bands(root: Path, country: str) -> tuple[dict[str, dict[str, int]], str, str]:
    """Code -> five-year bands ("0_4" -> people), with the table's year and source key."""
    path, key, source = AGE_BAND_TABLES[country]
    out = {}
    for row in _read_csv(root / path):
        bands = {c[4:]: int(v) for c, v in row.items() if c.startswith("age_") and v != ""}
        out[row[key]] = {k: v for k, v in bands.items() if k not in _BROAD_BANDS}
    return out, _year_of(path), source


def _age_fields(
    code: str,
    age: AgeProfile | None,
    bands: tuple[dict[str, dict[str, int]], str, str],
) -> dict[str, Any]:
    """A municipality's age fields from its country's two tables (shares and five-year
    bands), empty where a table has no row for it."""
    table, year, source = bands
    return {
        "share_65_plus_pct": age.share_65_plus_pct if age else None,
        "share_0_19_pct": age.share_0_19_pct if age else None,
        "age_year": age.year if age else "",
        "age_source": age.source if age else "",
        "age_bands": table.get(code, {}),
        "age_bands_year": year if code in table else "",
        "age_bands_source": source if code in table else "",
    }


def _load_sweden(root: Path) -> tuple[list[Region], list[Municipality]]:
    se = root / "se"
    regions = [
        Region("SE", r["county_code"], r["county_name"]) for r in _read_csv(se / "counties.csv")
    ]
    rows = _read_csv(se / "population_1950_2019.csv")
    scb: dict[str, dict[int, int]] = {
        r["municipality_code"]: {
            int(y): int(v) for y, v in r.items() if y.isdigit() and len(y) == 4 and v
        }
        for r in rows
    }
    # SCB's 31 Dec figures for 2020-2022 via Kolada (N01951): same municipal division, and
    # Kolada's 2009 and 2019 equal SCB's file, so they continue the series without a break.
    kolada, day = _series(_read_csv(se / "population_2020_2022.csv"), "municipality_code")
    if day != "12-31":
        raise ValueError(f"Kolada's series is for {day}, SCB's for 12-31")
    stretches = ((*_span(scb), "scb_population"), (*_span(kolada), "kolada_population"))
    ages = _age_profiles(root, "SE")
    bands, bands_year, bands_source = _age_bands(root, "SE")
    overview = _read_csv(se / "municipality_overview.csv")
    # The most recent figure, SCB's population on another day than 31 December.
    latest = next(c for c in overview[0] if _POP_COLUMN.match(c) and not c.endswith("_12_31"))
    latest_date = "-".join(_POP_COLUMN.match(latest).groups())  # type: ignore[union-attr]
    area_column = next(c for c in overview[0] if c.startswith("area_land_km2_"))
    area_year = area_column.rsplit("_", 1)[1]
    out = []
    for row in overview:
        code = row["municipality_code"]
        age = ages[code]
        out.append(
            Municipality(
                country="SE",
                code=code,
                name=row["municipality_name"],
                region_code=row["county_code"],
                population=int(row[latest]),
                population_date=latest_date,
                population_source="scb_population",
                population_series={**scb.get(code, {}), **kolada.get(code, {})},
                population_series_day="12-31",
                population_series_sources=stretches,
                **_age_fields(code, age, (bands, bands_year, bands_source)),
                skr_group_code=row["skr_group_2023_code"],
                skr_group_name=row["skr_group_2023_name"],
                land_area_km2=_num(row[area_column]),
                area_year=area_year,
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
    listing = "kommuner_2025_norge_data.json"  # names and land areas of the 2025 list
    kommuner = json.loads((no / listing).read_text(encoding="utf-8"))
    series, day = _series(_read_csv(no / "population_1jan_2005_2026.csv"), "kommunenummer")
    stretches = ((*_span(series), "ssb_population"),)
    ages = _age_profiles(root, "NO")
    bands, bands_year, bands_source = _age_bands(root, "NO")
    out = []
    for k in kommuner:
        code = k["k_id"]
        values = series.get(code, {})
        population, population_date = _newest(values, day)
        population_source = "ssb_population"
        if population is None and k.get("k_population"):
            # Not in SSB's series: norge-data's figure, SSB's 1 January 2024 (verified).
            population, population_date = int(k["k_population"]), "2024-01-01"
            population_source = "no_kommuner"
        age = ages.get(code)
        out.append(
            Municipality(
                country="NO",
                code=code,
                name=k["k_name"],
                region_code=code[:2],
                population=population,
                population_date=population_date,
                population_source=population_source,
                population_series=values,
                population_series_day=day,
                population_series_sources=stretches,
                **_age_fields(code, age, (bands, bands_year, bands_source)),
                land_area_km2=float(k["k_area"]) if k.get("k_area") else None,
                area_year=_year_of(listing) if k.get("k_area") else "",
                area_source="no_kommuner",
            )
        )
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
    mml = "kuntarajat_2023_mml.geojson"
    geo = json.loads((fi / mml).read_text(encoding="utf-8"))
    for feature in geo["features"]:
        props = feature["properties"]
        areas[props["NATCODE"]] = float(props["LANDAREA"])
    series, day = _series(_read_csv(fi / "population_2000_2022_sotkanet.csv"), "municipality_code")
    stretches = ((*_span(series), "statfi_population"),)
    ages = _age_profiles(root, "FI")
    bands, bands_year, bands_source = _age_bands(root, "FI")
    out = []
    for row in _read_csv(fi / "kunnat_population_2020.csv"):
        code = row["municipality_code"]
        name = row["name_fi"]
        if row["name_sv"] and row["name_sv"] != name:
            name = f"{name} / {row['name_sv']}"
        values = series.get(code, {})
        population, population_date = _newest(values, day)
        population_source = "statfi_population"
        if population is None:  # not in Sotkanet's series: Yle's 31.12.2020
            population, population_date = int(row["population_2020_12_31"]), "2020-12-31"
            population_source = "fi_population"
        age = ages.get(code)
        out.append(
            Municipality(
                country="FI",
                code=code,
                name=name,
                # Helsinki belongs to no wellbeing services county: it is its own region.
                region_code=row["hva_id"] or "HEL",
                population=population,
                population_date=population_date,
                population_source=population_source,
                population_series=values,
                population_series_day=day,
                population_series_sources=stretches,
                **_age_fields(code, age, (bands, bands_year, bands_source)),
                land_area_km2=areas.get(code),
                area_year=_year_of(mml) if code in areas else "",
                area_source="mml",
            )
        )
    if any(m.region_code == "HEL" for m in out):
        regions.append(Region("FI", "HEL", "Helsinki"))
    return regions, out


_LOADERS = {"SE": _load_sweden, "NO": _load_norway, "FI": _load_finland}


@cache
def load_country(
    country: str, root: Path = REFERENCE_DIR
) -> tuple[tuple[Region, ...], tuple[Municipality, ...]]:
    """The regions and municipalities of one country (none for an unknown country): looking
    up one place reads a third of the files (``platsa assess --place`` is a new process)."""
    loader = _LOADERS.get(country)
    if loader is None:
        return (), ()
    regions, municipalities = loader(root)
    return tuple(regions), tuple(municipalities)


@cache
def load_reference(
    root: Path = REFERENCE_DIR,
) -> tuple[tuple[Region, ...], tuple[Municipality, ...]]:
    """Every region and municipality of the three countries."""
    regions: list[Region] = []
    municipalities: list[Municipality] = []
    for country in _LOADERS:
        r, m = load_country(country, root)
        regions += r
        municipalities += m
    return tuple(regions), tuple(municipalities)


@cache
def national_share_65_plus(country: str, root: Path = REFERENCE_DIR) -> float | None:
    """The country's share aged 65+, from the same table as its municipalities' shares (so
    that both describe the same year): the sum over all municipalities of the table."""
    if country not in AGE_TABLES:
        return None
    rows = _read_csv(root / AGE_TABLES[country][0])
    total = sum(int(r["pop_total"]) for r in rows)
    old = sum(int(r["age_65_plus"]) for r in rows)
    return 100.0 * old / total if total else None


def split_code(text: str) -> tuple[str, str]:
    """``(country, code)`` of a municipality code as people write it: ``"2081"`` or
    ``"SE-2081"``, ``"NO-5001"``, ``"FI-091"``. A bare 4-digit code is Swedish, a bare 3-digit
    code Finnish. The one rule for the command line, peers and the mapping form."""
    text = text.strip().upper()
    if "-" in text:
        country, code = text.split("-", 1)
        return country, code
    return ("FI" if len(text) == 3 else "SE"), text


def find_municipality(code: str, root: Path = REFERENCE_DIR) -> Municipality | None:
    """By code, in any form :func:`split_code` reads."""
    country, code = split_code(code)
    _, municipalities = load_country(country, root)
    return next((m for m in municipalities if m.code == code), None)


def municipality_facts(m: Municipality, national_65: float | None = None) -> list[Fact]:
    """The facts shown on a place page and used by the engine, each with source and period."""
    area = m.name
    facts: list[Fact] = []
    if m.population is not None:
        facts.append(Fact("population", m.population, m.population_date, m.population_source, area))
    change = m.population_change_detail
    if change is not None:
        facts.append(
            Fact("population_change_pct", round(change.pct, 2), change.period, change.source, area)
        )
    if m.share_65_plus_pct is not None:
        facts.append(
            Fact(
                "share_65_plus_pct",
                m.share_65_plus_pct,
                m.age_year,
                m.age_source,
                area,
                compare=round(national_65, 2) if national_65 is not None else None,
            )
        )
    if m.share_0_19_pct is not None:
        facts.append(Fact("share_0_19_pct", m.share_0_19_pct, m.age_year, m.age_source, area))
    if m.land_area_km2 is not None:
        facts.append(Fact("land_area_km2", m.land_area_km2, m.area_year, m.area_source, area))
    if m.skr_group_code:
        facts.append(
            Fact("skr_group", f"{m.skr_group_code} {m.skr_group_name}", "2023", "skr_groups", area)
        )
    if m.remoteness is not None:
        if m.skr_group_code:
            facts.append(Fact("remoteness", m.remoteness.value, "2023", "skr_groups", area))
        else:  # from density: the population's date and source
            facts.append(
                Fact("remoteness", m.remoteness.value, m.population_date, m.population_source, area)
            )
    return facts


def context_for_municipality(
    m: Municipality,
    *,
    place_name: str = "",
    place_population: int | None = None,
    is_whole_municipality: bool = True,
    has_large_employer: bool | None = None,
    remoteness: Remoteness | None = None,
) -> PlaceContext:
    """The engine's context for a place in municipality ``m``.

    The size class is the place's own: the municipality's population only when the place is
    the whole municipality, otherwise the population the organiser gave (or unknown). The
    trend and the age profile are the municipality's, in all three countries, compared with
    the country's share 65+ from the same table."""
    national = national_share_65_plus(m.country)
    facts = municipality_facts(m, national)
    population = m.population if is_whole_municipality else place_population
    if place_population is not None and not is_whole_municipality:
        facts.append(Fact("place_population", place_population, "", "organiser", place_name))
    change = m.population_change_detail
    return PlaceContext(
        name=place_name or m.name,
        population=population,
        size_class=size_class_for(population),
        population_change_pct=change.pct if change else None,
        share_65_plus_pct=m.share_65_plus_pct,
        national_share_65_plus_pct=national,
        remoteness=remoteness or m.remoteness,
        has_large_employer=has_large_employer,
        country=Country(m.country),
        facts=tuple(facts),
    )
