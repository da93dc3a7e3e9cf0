"""The `platsa` command: through its real entry point, without a database or Django."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from platsa.core.io.synthetic import generate_rows
from platsa.core.io.tabular import write_csv
from platsa.core.schema.frameworks import get_framework

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
    # "Invånare" is the framework's group (labelled in the output's language, with its side);
    # "Industrin" is free text: a group of its own, as written, with no side.
    assert data["groups"]["Residents"]["key"] == "residents"
    assert data["groups"]["Residents"]["side"] == "place"
    assert data["groups"]["Industrin"]["side"] is None
    assert set(data["groups"]) == {"Residents", "Industrin"}
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
    from platsa.core.io.tabular import Sheet, write_xlsx

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


def _assess_json(answers: Path, *extra: str) -> dict:
    result = run(
        "assess",
        "--framework",
        "place-attractiveness",
        "--responses",
        str(answers),
        "--format",
        "json",
        *extra,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_large_employer_and_its_old_name_industry(answers):
    yes = _assess_json(answers, "--place", "2081", "--large-employer", "yes")
    assert "industry_town" in yes["context"]["tags"]
    assert _assess_json(answers, "--place", "2081", "--industry", "yes") == yes
    no = _assess_json(answers, "--place", "2081", "--large-employer", "no")
    assert "industry_town" not in no["context"]["tags"]
    assert _assess_json(answers, "--place", "2081", "--industry", "no") == no
    help_text = run("assess", "--help").stdout
    assert "--large-employer {yes,no}, --industry {yes,no}" in help_text


def test_describing_the_place_needs_a_municipality(answers):
    for option in (["--large-employer", "yes"], ["--place-population", "600"]):
        result = run(
            "assess", "--framework", "place-attractiveness", "--responses", str(answers), *option
        )
        assert result.returncode == 2
        assert "need --place" in result.stderr
        assert result.stdout == ""


@pytest.mark.parametrize(
    ("code", "name"), [("NO-5001", "Trondheim"), ("no-5001", "Trondheim"), ("FI-091", "Helsin")]
)
def test_nordic_municipality_codes_are_passed_through(answers, code, name):
    data = _assess_json(answers, "--place", code)
    assert data["context"]["name"].startswith(name)
    assert data["context"]["facts"]


def test_the_command_ends_with_everything_written(tmp_path, answers):
    """The program ends its process without the interpreter's teardown: the output must be
    whole all the same, into a pipe as into a file, and the exit status kept."""
    out = tmp_path / "out.json"
    with out.open("w") as handle:
        result = subprocess.run(
            [
                *PLATSA,
                "assess",
                "--framework",
                "place-attractiveness",
                "--responses",
                str(answers),
                "--format",
                "json",
            ],
            stdout=handle,
            stderr=subprocess.PIPE,
            check=False,
        )
    assert result.returncode == 0
    assert json.loads(out.read_text(encoding="utf-8"))["respondents"] == 200
    piped = run("assess", "--framework", "place-attractiveness", "--responses", str(answers))
    assert piped.returncode == 0
    assert piped.stdout.endswith("\n")
