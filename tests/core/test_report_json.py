"""The command line's JSON: its shape, the guardrail notices and the summary, funding for
the place's country and costs in its currency, and group labels instead of ids."""

from __future__ import annotations

import json

from platsa.core.analysis.context import PlaceContext
from platsa.core.analysis.recommend import recommend
from platsa.core.analysis.scoring import score
from platsa.core.render.report import build_report, format_text
from platsa.core.schema.catalogue import Country
from platsa.core.schema.dataset import GroupInfo
from tests.core.helpers import responses, uniform

RAW_IDS = ("industry_management", "industry_employees", "young_people", "municipal_staff")


def _texts(value):
    """Every ``text`` and every group name in the report, wherever it sits."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ("text", "high_group", "low_group") and isinstance(item, str):
                yield item
            yield from _texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)


def _file_round(framework):
    """Answers as a file gives them: groups written as the template's ids, with no side."""
    groups = [
        GroupInfo("residents", "residents"),
        GroupInfo("industry_management", "industry_management"),
        GroupInfo("young_people", "young_people"),
    ]
    rows = uniform(framework, 20, 5, group="residents", housing=2, skills_supply=6)
    rows += uniform(framework, 20, 5, group="industry_management", housing=3, skills_supply=1)
    rows += uniform(framework, 4, 4, group="young_people")
    for row in rows[:30]:
        row["priorities"] = ["housing", "skills_supply"]
    return score(responses(framework, rows, groups=groups))


def test_report_keeps_its_shape_and_adds_notices_and_summary(framework, catalogue):
    """Engine-dependent: the small group of four gives a ``small_group`` notice."""
    results = _file_round(framework)
    recs = recommend(results, catalogue)
    report = build_report(framework, results, recs, language="en", catalogue=catalogue)
    json.dumps(report)  # JSON-ready
    first = report["recommendations"][0]
    strengths = first["strengths"]
    assert first["themes"] == sorted(strengths, key=lambda t: (-strengths[t], t))
    assert all(set(w) >= {"kind", "theme", "text"} for w in first["why"])
    assert all(w["text"] for r in report["recommendations"] for w in r["why"])
    codes = [n["code"] for n in report["notices"]]
    assert "small_group" in codes
    assert all(set(n) >= {"code", "text"} and n["text"] for n in report["notices"])
    small = next(n for n in report["notices"] if n["code"] == "small_group")
    assert "Young people (16–25)" in small["text"]
    summary = report["summary"]
    assert len(summary["weakest_themes"]) == 3
    assert summary["weakest_themes"][0]["key"] == "housing"
    assert summary["disagreement"]["key"] == "skills_supply"
    assert len(summary["actions"]) == 5
    assert [a["key"] for a in summary["actions"]] == [
        r["action"] for r in report["recommendations"][:5]
    ]


def test_no_raw_group_id_in_the_report(framework, catalogue):
    results = _file_round(framework)
    recs = recommend(results, catalogue)
    report = build_report(framework, results, recs, language="en", catalogue=catalogue)
    texts = list(_texts(report))
    assert texts
    assert not [t for t in texts if any(raw in t for raw in RAW_IDS)]
    assert "Employer or industry management" in report["groups"]
    assert not any(raw in key for key in report["groups"] for raw in RAW_IDS)
    terminal = format_text(report, language="en")
    assert not any(raw in terminal for raw in RAW_IDS)


def test_funding_is_filtered_to_the_country_and_costs_are_in_its_currency(framework, catalogue):
    results = _file_round(framework)
    norway = PlaceContext(name="Vardø", country=Country.NO)
    recs = recommend(results, catalogue, norway)
    report = build_report(framework, results, recs, norway, language="en", catalogue=catalogue)
    assert report["currency"] == "NOK"
    listed = [f for r in report["recommendations"] for f in r["funding"]]
    assert listed
    assert all(set(f) == {"id", "name", "url"} for f in listed)
    assert all(f["url"].startswith("https://") for f in listed)
    assert all("NO" in catalogue.funding[f["id"]].countries for f in listed)
    # An action that names a Swedish-only funder does not show it to a Norwegian place.
    swedish_only = {k for k, f in catalogue.funding.items() if f.countries == ("SE",)}
    named = {f for r in report["recommendations"] for f in catalogue.get(r["action"]).funding}
    assert named & swedish_only
    assert not {f["id"] for f in listed} & swedish_only
    costs = {r["cost"]["currency"] for r in report["recommendations"]}
    assert costs == {"NOK"}
    assert all(r["cost"]["text"].endswith("NOK") for r in report["recommendations"])


def test_terminal_text_starts_with_the_notices_and_the_summary(framework, catalogue):
    """Engine-dependent: six answers give the ``few_respondents`` notice."""
    results = score(responses(framework, uniform(framework, 6, 3, priorities=["housing"])))
    recs = recommend(results, catalogue)
    report = build_report(framework, results, recs, language="en", catalogue=catalogue)
    assert report["notices"][0]["code"] == "few_respondents"
    assert report["notices"][0]["text"].startswith("Based on 6 answers")
    text = format_text(report, language="en")
    head = text.split("Themes")[0]
    assert "! Based on 6 answers" in head
    assert "Summary" in head
    lines = [line.strip() for line in text.split("Recommended actions\n")[-1].splitlines()]
    reasons = [line for line in lines if line.startswith("- ")]
    assert len(reasons) == len(set(reasons))  # each sentence once
