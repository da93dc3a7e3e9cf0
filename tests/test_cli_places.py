"""`platsa places show`: through the real entry point, checked against the shipped files
read here with the csv module (never figures typed into the test)."""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

REFERENCE = Path(__file__).resolve().parent.parent / "platsa" / "data" / "reference"
PLATSA = [sys.executable, "-m", "platsa.cli"]


def run(*args: str, lang: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {
        k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "PLATSA_LANG")
    }
    if lang:
        env["PLATSA_LANG"] = lang
    return subprocess.run(
        [*PLATSA, *args], capture_output=True, text=True, env=env, timeout=120, check=False
    )


@cache
def show_json(code: str) -> dict:
    result = run("places", "show", code, "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def csv_row(path: Path, key: str, code: str) -> dict[str, str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return next(r for r in csv.DictReader(handle) if r[key] == code)


def test_json_has_the_facts_with_year_and_source():
    data = show_json("2081")
    assert (data["code"], data["key"], data["country"]) == ("2081", "SE-2081", "SE")
    overview = csv_row(REFERENCE / "se" / "municipality_overview.csv", "municipality_code", "2081")
    assert data["name"] == overview["municipality_name"]
    assert data["region"] == {"code": overview["county_code"], "name": overview["county_name"]}
    assert data["population_latest"] == {
        "value": int(overview["pop_2024_11_01"]),
        "date": "2024-11-01",
        "source": "scb_population",
    }
    age = csv_row(REFERENCE / "se" / "age_structure_2022.csv", "municipality_code", "2081")
    assert data["share_65_plus_pct"]["value"] == float(age["share_65_plus_pct"])
    assert data["share_0_19_pct"] == {
        "value": float(age["share_0_19_pct"]),
        "year": "2022",
        "source": "kolada_age",
    }
    area = float(overview["area_land_km2_2015"])
    assert data["land_area_km2"] == {"value": area, "year": "2015", "source": "scb_area"}
    assert data["density_per_km2"]["value"] == pytest.approx(
        int(overview["pop_2024_11_01"]) / area, abs=0.01
    )
    assert data["density_per_km2"]["sources"] == ["scb_population", "scb_area"]
    assert data["skr_group"] == {
        "code": overview["skr_group_2023_code"],
        "name": overview["skr_group_2023_name"],
        "year": "2023",
        "source": "skr_groups",
    }
    change = data["population_change"]
    assert (change["first"], change["last"], change["period"]) == (2012, 2022, "2012–2022")
    # Every source key used is described, with the credit its licence asks for.
    used = {row["source"] for row in data["population"]} | {
        data[k]["source"] for k in ("share_65_plus_pct", "land_area_km2", "skr_group")
    }
    assert used <= set(data["sources"])
    assert data["sources"]["kolada_population"]["credit"] == "Source: Kolada"


def test_the_population_series_is_the_shipped_csv_rows():
    data = show_json("SE-2081")
    scb = csv_row(REFERENCE / "se" / "population_1950_2019.csv", "municipality_code", "2081")
    kolada = csv_row(REFERENCE / "se" / "population_2020_2022.csv", "municipality_code", "2081")
    expected = [
        {"year": int(y), "date": f"{y}-12-31", "value": int(v), "source": "scb_population"}
        for y, v in scb.items()
        if re.fullmatch(r"\d{4}", y) and v
    ] + [
        {
            "year": int(c[4:8]),
            "date": f"{c[4:8]}-12-31",
            "value": int(v),
            "source": "kolada_population",
        }
        for c, v in kolada.items()
        if c.startswith("pop_") and v
    ]
    assert data["population"] == expected
    assert len(expected) == 2022 - 1950 + 1


def test_a_norwegian_series_is_ssbs_on_1_january_with_blank_cells_left_out():
    path = REFERENCE / "no" / "population_1jan_2005_2026.csv"
    for code in ("5001", "1508"):  # Trondheim; Ålesund, split in 2024 (blank before)
        row = csv_row(path, "kommunenummer", code)
        expected = [
            {
                "year": int(c[4:8]),
                "date": c[4:].replace("_", "-"),
                "value": int(v),
                "source": "ssb_population",
            }
            for c, v in row.items()
            if c.startswith("pop_") and v
        ]
        data = show_json(f"NO-{code}")
        assert data["population"] == expected
        assert data["population_latest"]["value"] == expected[-1]["value"]
    assert show_json("NO-1508")["population_change"] is None
    assert len(show_json("NO-1508")["population"]) < len(show_json("NO-5001")["population"])


def test_peers_are_the_five_nearest_without_the_municipality_itself():
    for code, key in (("2081", "SE-2081"), ("FI-091", "FI-091"), ("NO-5001", "NO-5001")):
        peers = show_json(code)["peers"]
        assert len(peers) == 5
        assert key not in [p["key"] for p in peers]
        distances = [p["distance"] for p in peers]
        assert distances == sorted(distances)
        assert distances[0] > 0
        for p in peers:
            assert {
                "code",
                "key",
                "name",
                "country",
                "distance",
                "shared_features",
                "reasons",
            } <= set(p)
            assert {r["feature"] for r in p["reasons"]} <= set(p["shared_features"])


def test_every_form_of_a_code_names_the_same_municipality():
    assert show_json("2081") == show_json("SE-2081") == show_json("se-2081")
    assert show_json("091") == show_json("FI-091")
    assert show_json("FI-091")["country"] == "FI"


@pytest.mark.parametrize("code", ["9999", "NO-0000", "XX-2081", "abc"])
def test_an_unknown_code_exits_non_zero_with_a_message(code):
    result = run("places", "show", code, "--format", "json")
    assert result.returncode == 2
    assert result.stdout == ""
    assert f"unknown municipality code {code!r}" in result.stderr
    assert "NO-5001" in result.stderr  # says what a code looks like


def test_text_names_each_figure_with_its_source_and_year():
    result = run("places", "show", "2422")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    overview = csv_row(REFERENCE / "se" / "municipality_overview.csv", "municipality_code", "2422")
    population = int(overview["pop_2024_11_01"])
    assert out.startswith(f"{overview['municipality_name']} (SE-2422) · Sweden · ")
    assert f"{population:,} (2024-11-01) · Source: SCB" in out
    assert "(2012–2022) · Source: SCB and Kolada" in out
    assert "Source: SCB 1950–2019, Source: Kolada 2020–2022" in out
    scb = csv_row(REFERENCE / "se" / "population_1950_2019.csv", "municipality_code", "2422")
    assert re.search(rf"^  1950 +{int(scb['1950']):,} ", out, re.M)  # the series by decade
    assert len(re.findall(r"^  \d\. .+\(\w\w-\d+, .+\): distance \d", out, re.M)) == 5


def test_text_in_swedish():
    for result in (
        run("--lang", "sv", "places", "show", "2422"),
        run("places", "show", "2422", lang="sv"),
    ):
        assert result.returncode == 0, result.stderr
        assert "Folkmängd" in result.stdout
        assert "Källa: SCB" in result.stdout
        assert "Sverige" in result.stdout


def test_the_other_commands_are_unchanged():
    result = run("--help")
    assert result.returncode == 0
    for command in ("frameworks", "template", "assess", "catalogue", "places"):
        assert command in result.stdout
