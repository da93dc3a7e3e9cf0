"""The `platsa` command: through its real entry point, without a database or Django."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from platsa.core.frameworks import get_framework
from platsa.core.synthetic import generate_rows
from platsa.core.tabular import write_csv

PLATSA = [sys.executable, "-m", "platsa.cli"]


def run(*args: str, env_extra: dict | None = None) -> subprocess.CompletedProcess:
    import os

    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(env_extra or {})
    return subprocess.run(
        [*PLATSA, *args], capture_output=True, text=True, env=env, timeout=120, check=False
    )


@pytest.fixture
def answers(tmp_path) -> Path:
    fw = get_framework("place-attractiveness")
    header, rows = generate_rows(fw, 200, seed=3, groups=["Invånare", "Industrin"])
    path = tmp_path / "svar.csv"
    path.write_bytes(write_csv(header, rows))
    return path


def test_frameworks_lists_both(tmp_path):
    result = run("frameworks")
    assert result.returncode == 0
    assert "place-attractiveness" in result.stdout
    assert "test-mini" in result.stdout


def test_template_csv_and_xlsx(tmp_path):
    csv_path, xlsx_path = tmp_path / "t.csv", tmp_path / "t.xlsx"
    assert (
        run("template", "--framework", "place-attractiveness", "--out", str(csv_path)).returncode
        == 0
    )
    assert csv_path.read_text(encoding="utf-8-sig").startswith("respondent,group,age_band,housing,")
    assert (
        run("template", "--framework", "place-attractiveness", "--out", str(xlsx_path)).returncode
        == 0
    )
    assert load_workbook(xlsx_path)["Answers"]["D1"].value == "housing"
    bad = run("template", "--framework", "place-attractiveness", "--out", str(tmp_path / "t.txt"))
    assert bad.returncode == 2
    assert ".csv or .xlsx" in bad.stderr


def test_assess_json_contract(answers):
    result = run(
        "assess",
        "--framework",
        "place-attractiveness",
        "--responses",
        str(answers),
        "--place",
        "2081",
        "--format",
        "json",
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["framework"] == "place-attractiveness"
    assert data["respondents"] == 200
    theme = data["themes"][0]
    assert {"id", "score", "n", "low", "high"} <= set(theme)
    assert 1 <= theme["low"] <= theme["score"] <= theme["high"] <= 7
    assert set(data["groups"]) == {"Invånare", "Industrin"}  # free-text groups, as written
    rec = data["recommendations"][0]
    assert {"action", "title", "themes", "score", "why"} <= set(rec)
    assert rec["why"]
    assert all("text" in w and "kind" in w for w in rec["why"])
    assert data["context"]["facts"][0]["source"] == "scb_population"
    assert sum(r["in_portfolio"] for r in data["recommendations"]) == 10


def test_assess_text_in_swedish(answers):
    result = run(
        "--lang", "sv", "assess", "--framework", "place-attractiveness", "--responses", str(answers)
    )
    assert result.returncode == 0
    assert "Bostäder" in result.stdout
    assert "Rekommenderade åtgärder" in result.stdout


def test_assess_second_framework_from_a_data_file(tmp_path):
    fw = get_framework("test-mini")
    header, rows = generate_rows(fw, 30, seed=1, groups=["A", "B"])
    path = tmp_path / "mini.xlsx"
    from platsa.core.tabular import Sheet, write_xlsx

    path.write_bytes(write_xlsx([Sheet("Answers", header, rows)]))
    result = run("assess", "--framework", "test-mini", "--responses", str(path), "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["scale"] == {"min": 1, "max": 5}
    assert [t["id"] for t in data["themes"]] == ["competence", "digital"]


def test_bad_input_exits_non_zero_naming_row_and_column(tmp_path, answers):
    lines = answers.read_text(encoding="utf-8-sig").splitlines()
    cells = lines[3].split(",")
    cells[4] = "12"  # work_business on spreadsheet row 4
    lines[3] = ",".join(cells)
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(lines), encoding="utf-8")
    result = run("assess", "--framework", "place-attractiveness", "--responses", str(bad))
    assert result.returncode == 2
    assert "Row 4, column E (work_business)" in result.stderr
    assert "12" in result.stderr
    assert result.stdout == ""
    missing = run(
        "assess", "--framework", "place-attractiveness", "--responses", str(tmp_path / "nope.csv")
    )
    assert missing.returncode == 2
    assert "cannot read" in missing.stderr
    unknown = run("assess", "--framework", "nope", "--responses", str(answers))
    assert unknown.returncode == 2
    assert "unknown framework" in unknown.stderr


def test_cli_does_not_import_django(answers):
    code = (
        "import sys; from platsa.cli import main; "
        f"main(['assess','--framework','place-attractiveness','--responses',r'{answers}','--format','json']); "
        "sys.stderr.write(str(any(m == 'django' or m.startswith('django.') for m in sys.modules)))"
    )
    import os

    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().endswith("False")
