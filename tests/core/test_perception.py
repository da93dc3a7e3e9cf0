"""Perception beside statistics: which figures sit beside which theme, and a disagreement
only when the answers and a figure are both clear."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from platsa.core.analysis.context import Fact
from platsa.core.analysis.disclosure import MIN_RATINGS
from platsa.core.analysis.perception import (
    CLEAR_DECLINE_PCT,
    FACTS,
    FAST_GROWTH_PCT,
    LINKS,
    MIN_MUNICIPALITIES,
    Figure,
    Rated,
    among,
    figures_from_facts,
    kolada_figure,
    perception,
    rated,
)
from platsa.core.analysis.scoring import ThemeScore
from platsa.core.render.perception_text import (
    FINDINGS,
    describe_perception,
    figure_label,
    method_note,
)
from platsa.core.schema.frameworks import get_framework

FW = get_framework("place-attractiveness")
SCALE = (1, 7)


def theme(theme_id: str, score: float, half: float = 0.3, n: int = 40) -> ThemeScore:
    return ThemeScore(
        theme_id=theme_id,
        score=score,
        n=n,
        low=max(1.0, score - half),
        high=min(7.0, score + half),
        sd=1.0,
        dont_know=0,
        dont_know_share=0.0,
        priority_count=0,
        priority_share=0.0,
    )


def change(pct: float) -> Figure:
    return Figure("population_change_pct", pct, "2012–2022", "scb_population", "Borlänge")


def ranked(key: str, value: float, rank: float, peers: int = 290) -> Figure:
    return Figure(key, value, "2023", "kolada", "Borlänge", reference=80.0, rank=rank, peers=peers)


def findings(themes, figures):
    return [f for t in perception(FW.id, themes, figures, SCALE) for f in t.findings]


def test_the_links_name_real_themes_facts_and_sentences():
    theme_ids = set(FW.theme_ids)
    for link in LINKS:
        assert link.theme_id in theme_ids, link
        assert link.fact in FACTS, link
        assert link.why.strip()
        for rule in link.rules:
            assert rule.code in FINDINGS, rule
    # every fact has a name a reader can read
    for key in FACTS:
        assert figure_label(key)
        assert not figure_label(key).startswith(key)


def test_innovation_capacity_gets_nothing():
    fw = get_framework("innovation-capacity")
    themes = [theme(t, 4.5) for t in fw.theme_ids]
    assert perception(fw.id, themes, [change(-8.0)], (1, 5)) == ()


def test_work_rated_high_while_the_population_falls_is_a_disagreement():
    [found] = findings([theme("work_business", 5.6)], [change(-4.3)])
    assert found.code == "work_decline"
    assert found.rated is Rated.HIGH
    [line] = describe_perception(
        perception(FW.id, [theme("work_business", 5.6)], [change(-4.3)], SCALE),
        {"work_business": "Work and business"},
        {"work_business": 5.6},
        7,
        language="en",
    )
    [text] = [f.text for f in line.findings]
    assert text.startswith("Respondents rate Work and business 5.6 of 7")
    assert "fell 4.3\u00a0% in 2012–2022" in text
    assert "Source: SCB" in text
    assert "Borlänge" in text


def test_the_finding_flips_with_the_sign_of_the_fact():
    work = theme("work_business", 5.6)
    assert findings([work], [change(-4.3)])
    assert not findings([work], [change(+4.3)])
    housing = theme("housing", 5.6)
    assert not findings([housing], [change(-12.0)])
    assert [f.code for f in findings([housing], [change(+12.0)])] == ["housing_fast_growth"]


def test_thresholds_are_inclusive_and_stated():
    work = theme("work_business", 5.6)
    assert findings([work], [change(CLEAR_DECLINE_PCT)])
    assert not findings([work], [change(CLEAR_DECLINE_PCT + 0.01)])
    housing = theme("housing", 5.6)
    assert findings([housing], [change(FAST_GROWTH_PCT)])
    assert not findings([housing], [change(FAST_GROWTH_PCT - 0.01)])
    text = method_note(
        SCALE, min_ratings=MIN_RATINGS, decline=CLEAR_DECLINE_PCT, growth=FAST_GROWTH_PCT
    )
    assert "the score is 5 or more (or 3 or less)" in text
    assert "\u22123\u00a0%" in text
    assert "+10\u00a0%" in text


def test_no_finding_without_the_fact():
    result = perception(FW.id, [theme("work_business", 5.6)], [], SCALE)
    assert result == ()  # and no row either: nothing speaks to the theme
    # another theme's figure is no evidence about this one
    assert not findings([theme("work_business", 5.6)], [ranked("broadband_100", 40.0, 0.05)])


@pytest.mark.parametrize("n", range(MIN_RATINGS))
def test_no_finding_under_min_ratings(n):
    # even a score whose interval looks clear says nothing from fewer than three ratings
    few = theme("work_business", 6.5, half=0.1, n=n)
    assert rated(few, SCALE) is None
    assert not findings([few], [change(-9.0)])
    # the figure is still shown beside the theme
    [row] = perception(FW.id, [few], [change(-9.0)], SCALE)
    assert [r.figure.key for r in row.related] == ["population_change_pct"]


def test_the_score_must_be_clear_on_its_side_of_the_middle():
    # interval crossing the middle: no finding, however high the score
    assert not findings([theme("work_business", 5.0, half=1.2)], [change(-9.0)])
    # interval above the middle but the score barely so: "neither good nor bad"
    assert rated(theme("work_business", 4.5, half=0.2), SCALE) is None
    assert rated(theme("work_business", 5.0, half=0.2), SCALE) is Rated.HIGH
    assert rated(theme("work_business", 3.0, half=0.2), SCALE) is Rated.LOW


def test_a_rank_needs_enough_municipalities():
    digital_high = theme("digital_connectivity", 5.8)
    assert [f.code for f in findings([digital_high], [ranked("broadband_100", 60.0, 0.1)])] == [
        "digital_low_broadband"
    ]
    few = ranked("broadband_100", 60.0, 0.1, peers=MIN_MUNICIPALITIES - 1)
    assert not findings([digital_high], [few])
    # both directions: rated low while the figure is among the highest quarter
    digital_low = theme("digital_connectivity", 2.5)
    codes = [f.code for f in findings([digital_low], [ranked("broadband_100", 99.0, 0.9)])]
    assert codes == ["digital_high_broadband"]
    assert not findings([digital_low], [ranked("broadband_100", 60.0, 0.1)])


def test_a_kolada_figure_outside_its_plausible_range_is_left_out():
    country = [float(v) for v in range(3, 12)] * 10  # an "employment rate" of 3-12 %: not one
    assert kolada_figure("employment_rate", 5.0, 2023, country) is None
    shares = [60.0 + i * 0.1 for i in range(290)]
    figure = kolada_figure("employment_rate", 61.0, 2023, shares, area="Borlänge")
    assert figure is not None
    assert figure.rank is not None
    assert figure.rank < 0.25
    [found] = findings([theme("work_business", 5.6)], [figure])
    assert found.code == "work_low_employment"
    # too few municipalities: the figure is shown, without rank or median
    thin = kolada_figure("employment_rate", 61.0, 2023, shares[:10])
    assert thin is not None
    assert thin.rank is None
    assert thin.reference is None


def test_facts_of_the_context_become_figures():
    facts = [
        Fact("population", 52_000, "2024-11-01", "scb_population", "Borlänge"),
        Fact("population_change_pct", -4.3, "2012–2022", "scb_population", "Borlänge"),
        Fact("share_65_plus_pct", 24.0, "2022", "kolada_age", "Borlänge", compare=20.4),
        Fact("remoteness", "rural", "2023", "skr_groups", "Borlänge"),
    ]
    figures = {f.key: f for f in figures_from_facts(facts)}
    assert set(figures) == {"population_change_pct", "share_65_plus_pct", "remoteness"}
    assert figures["share_65_plus_pct"].reference == 20.4
    [row] = describe_perception(
        perception(FW.id, [theme("services", 5.0)], list(figures.values()), SCALE),
        {"services": "Services"},
        {"services": 5.0},
        7,
        language="en",
    )
    # an older population is context for services, never a "disagreement"
    assert row.findings == ()
    values = {f.key: (f.value, f.reference, f.period, f.credit) for f in row.figures}
    assert values["share_65_plus_pct"] == (
        "24.0\u00a0%",
        "the country: 20.4\u00a0%",
        "2022",
        "Source: Kolada",
    )
    assert values["population_change_pct"][0] == "\u22124.3\u00a0%"
    assert values["remoteness"][0] == "rural"
    for line in row.figures:  # every figure carries its year and source
        assert line.period
        assert line.credit.startswith("Source")


def test_median_and_rank():
    assert among(5.0, [1.0, 5.0, 9.0]) == (5.0, 0.5)
    assert among(1.0, [1.0, 5.0, 9.0])[1] == pytest.approx(1 / 6)


ratings = st.floats(min_value=1.0, max_value=7.0, allow_nan=False)
halves = st.floats(min_value=0.0, max_value=3.0, allow_nan=False)
changes = st.floats(min_value=-30.0, max_value=30.0, allow_nan=False)


@given(score=ratings, half=halves, pct=changes, n=st.integers(0, 400))
def test_a_finding_always_has_both_sides_clear(score, half, pct, n):
    themes = [theme(t, score, half, n) for t in ("housing", "work_business", "services")]
    for f in findings(themes, [change(pct)]):
        assert f.n >= MIN_RATINGS
        if f.rated is Rated.HIGH:
            assert f.low > 4.0
            assert f.score >= 5.0
        else:
            assert f.high < 4.0
            assert f.score <= 3.0
        assert pct <= CLEAR_DECLINE_PCT or pct >= FAST_GROWTH_PCT
        # and never the same direction: a falling population with work rated low is no finding
        if f.code == "work_decline":
            assert f.rated is Rated.HIGH
            assert pct < 0
        if f.code == "housing_fast_growth":
            assert f.rated is Rated.HIGH
            assert pct > 0


@given(pct=changes, score=ratings)
def test_sentences_keep_their_numbers(pct, score):
    items = perception(FW.id, [theme("work_business", score)], [change(pct)], SCALE)
    for line in describe_perception(
        items, {"work_business": "Arbete"}, {"work_business": score}, 7, language="sv"
    ):
        for f in line.findings:
            assert "{" not in f.text
            assert "}" not in f.text
            assert re.search(r"\d,\d av 7|\d,\d of 7", f.text)
