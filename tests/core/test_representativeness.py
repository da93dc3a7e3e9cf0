"""Respondents beside the population's age structure, and scores weighted to it."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from platsa.core.analysis import student_t
from platsa.core.analysis.representativeness import (
    RepresentationCode,
    age_range,
    age_structure,
    cell_weights,
    population_shares,
    post_stratified,
    representativeness,
)
from platsa.core.analysis.scoring import score
from platsa.core.io.reference import find_municipality, load_reference
from platsa.core.render.messages import REPRESENTATIVENESS
from platsa.core.render.representativeness_text import (
    describe_representativeness,
    describe_weighted,
    population_source,
    weighted_label,
)
from platsa.core.schema.dataset import ResponseSet
from platsa.core.schema.frameworks import get_framework

FW = get_framework("place-attractiveness")
BANDS = [b.id for b in FW.age_bands]
N_THEMES = len(FW.themes)


def answers(bands, ratings, dont_know=None) -> ResponseSet:
    """A ResponseSet of the main framework (one question per theme) from age band indexes
    (-1: none) and a (respondents, themes) table of ratings (NaN: no rating)."""
    values = np.asarray(ratings, dtype=np.float64).reshape(len(bands), N_THEMES)
    dk = np.zeros(values.shape, dtype=bool) if dont_know is None else np.asarray(dont_know)
    n = len(bands)
    return ResponseSet(
        framework=FW,
        values=values,
        dont_know=dk & np.isnan(values),
        group=np.full(n, -1, dtype=np.int64),
        groups=[],
        priorities=np.zeros((n, N_THEMES), dtype=bool),
        age_band=np.asarray(bands, dtype=np.int64),
    )


# A round: each respondent an age band (or none) and a rating, "don't know" or nothing per
# theme. Integers 1-7, NaN for no rating.
respondent = st.tuples(
    st.integers(-1, len(BANDS) - 1),
    st.lists(
        st.one_of(st.integers(1, 7).map(float), st.just(math.nan)),
        min_size=N_THEMES,
        max_size=N_THEMES,
    ),
)
rounds = st.lists(respondent, min_size=1, max_size=60)
shares_strategy = st.lists(
    st.floats(0.01, 1.0, allow_nan=False), min_size=len(BANDS), max_size=len(BANDS)
).map(lambda xs: dict(zip(BANDS, xs, strict=True)))


def from_rows(rows) -> ResponseSet:
    return answers([b for b, _ in rows], [r for _, r in rows])


# The mapping onto the real age structure


def test_age_ranges_of_band_ids():
    assert age_range("16_24") == (16, 24)
    assert age_range("75_plus") == (75, None)
    assert age_range("100_plus") == (100, None)
    assert age_range("young") is None
    assert age_range("30_20") is None


def test_partial_five_year_bands_are_split_pro_rata_by_years():
    # Invented counts (not a municipality's): 15-19 split 4/5 into 16-24, 65-69 whole.
    bands = {"10_14": 500, "15_19": 100, "20_24": 200, "25_29": 300, "30_34": 400}
    people = {
        "0_4": 1,
        "5_9": 1,
        **bands,
        **{f"{a}_{a + 4}": 10 for a in range(35, 100, 5)},
        "100_plus": 7,
    }
    structure = age_structure(FW, people)
    assert structure.unmapped == ()
    assert structure.people["16_24"] == pytest.approx(0.8 * 100 + 200)  # 16-19 of 15-19
    assert structure.people["25_34"] == pytest.approx(300 + 400)
    assert structure.people["75_plus"] == pytest.approx(10 * 5 + 7)  # 75-99 and 100+
    assert sum(structure.shares.values()) == pytest.approx(1.0)
    total = sum(structure.people.values())
    # Everyone 16 and older once: the people under 16 are left out, nobody is counted twice.
    assert total == pytest.approx(sum(people.values()) - 1 - 1 - 500 - 0.2 * 100)
    assert (structure.youngest, structure.oldest) == (16, None)


def test_bands_the_data_do_not_cover_are_unmapped_not_guessed():
    # Data that stop at 79 (no open top band): 75_plus cannot be given its people.
    people = {f"{a}_{a + 4}": 10 for a in range(0, 80, 5)}
    structure = age_structure(FW, people)
    assert structure.unmapped == ("75_plus",)
    assert "75_plus" not in structure.shares
    assert sum(structure.shares.values()) == pytest.approx(1.0)
    assert structure.oldest == 74
    # An open reference band starting below a framework band cannot be split either.
    wide = {f"{a}_{a + 4}": 10 for a in range(0, 70, 5)} | {"70_plus": 50}
    # 65_74 too: its ages 70-74 are inside 70_plus, which has no width to split.
    assert age_structure(FW, wide).unmapped == ("65_74", "75_plus")


def test_overlapping_or_unreadable_reference_bands_are_refused():
    with pytest.raises(ValueError, match="overlap"):
        age_structure(FW, {"0_19": 100, "15_19": 20})
    with pytest.raises(ValueError, match="no range"):
        age_structure(FW, {"total": 100})


def test_a_real_municipality_maps_onto_the_framework_bands():
    m = find_municipality("2081")
    assert m is not None
    assert m.age_bands
    structure = age_structure(FW, m.age_bands)
    assert structure.unmapped == ()
    assert set(structure.shares) == set(BANDS)
    assert sum(structure.shares.values()) == pytest.approx(1.0, abs=1e-12)
    # The covered ages are 16 and older: everyone in the table from 20, 4/5 of 15-19.
    from_20 = sum(v for k, v in m.age_bands.items() if age_range(k)[0] >= 20)
    assert sum(structure.people.values()) == pytest.approx(from_20 + 0.8 * m.age_bands["15_19"])
    assert structure.people["16_24"] == pytest.approx(
        0.8 * m.age_bands["15_19"] + m.age_bands["20_24"]
    )
    assert population_shares(FW, m.age_bands) == structure.shares


def test_every_shipped_municipality_maps_with_shares_summing_to_one():
    _, municipalities = load_reference()
    assert {m.country for m in municipalities} == {"SE", "NO", "FI"}
    for m in municipalities:
        shares = population_shares(FW, m.age_bands)
        assert set(shares) == set(BANDS), m.key
        assert sum(shares.values()) == pytest.approx(1.0, abs=1e-12), m.key
        assert all(0 < s < 1 for s in shares.values()), m.key


# Representativeness


def test_under_represented_bands_are_flagged_with_their_figures():
    shares = dict.fromkeys(BANDS, 1.0)  # each band 1/7 of the population
    # 40 respondents: 2 aged 16-24 (6 %, under half of 14 %), none 25-34, 4 aged 65-74,
    # 4 with no band.
    bands = [0] * 2 + [2] * 8 + [3] * 9 + [4] * 9 + [5] * 4 + [6] * 4 + [-1] * 4
    rep = representativeness(answers(bands, np.full((40, N_THEMES), 4.0)), shares)
    assert rep.respondents == 40
    assert rep.without_band == 4
    assert rep.compared == 36
    young = rep.band("16_24")
    assert young.respondents == 2
    assert young.sample_share == pytest.approx(2 / 36)
    assert young.population_share == pytest.approx(1 / 7)
    assert young.weight == pytest.approx((1 / 7) / (2 / 36))
    codes = {f.band_id: f.code for f in rep.flags}
    assert codes["16_24"] == RepresentationCode.UNDER_REPRESENTED
    assert codes["25_34"] == RepresentationCode.NO_RESPONDENTS
    assert codes[None] == RepresentationCode.NO_AGE_BAND
    assert codes["65_74"] == RepresentationCode.FEW_RESPONDENTS  # 11 %: not under half
    assert "35_44" not in codes  # 8 of 36 = 22 %, more than its 14 %
    flag = next(f for f in rep.flags if f.band_id == "16_24")
    assert flag.values["respondents"] == 2
    assert flag.values["compared"] == 36
    assert flag.as_dict()["code"] == "under_represented"


def test_half_the_population_share_is_the_line():
    shares = {"16_24": 0.2, "25_34": 0.8}
    # 16-24: 10 of 100 = exactly half of 20 %: not flagged; 9 of 100 is.
    at_line = representativeness(
        answers([0] * 10 + [1] * 90, np.full((100, N_THEMES), 4.0)), shares
    )
    assert at_line.band("16_24").flag is None
    below = representativeness(answers([0] * 9 + [1] * 91, np.full((100, N_THEMES), 4.0)), shares)
    assert below.band("16_24").flag == RepresentationCode.UNDER_REPRESENTED


def test_few_respondents_in_a_large_band_are_flagged():
    shares = {"16_24": 0.1, "25_34": 0.9}
    # 4 of 30 people 16-24 (13 %, more than the population's 10 %) but under 5 people.
    rep = representativeness(answers([0] * 4 + [1] * 26, np.full((30, N_THEMES), 4.0)), shares)
    assert rep.band("16_24").flag == RepresentationCode.FEW_RESPONDENTS
    assert rep.flags[0].values["minimum"] == 5
    # A small band (under 10 % of the population) with few respondents is not flagged.
    small = {"16_24": 0.05, "25_34": 0.95}
    rep = representativeness(answers([0] * 2 + [1] * 28, np.full((30, N_THEMES), 4.0)), small)
    assert rep.band("16_24").flag is None


def test_nobody_with_an_age_says_so_once():
    rep = representativeness(
        answers([-1] * 6, np.full((6, N_THEMES), 4.0)), dict.fromkeys(BANDS, 1.0)
    )
    assert not rep.comparable
    assert [f.code for f in rep.flags] == [RepresentationCode.NO_KNOWN_AGES]


def test_unknown_band_ids_in_the_shares_are_refused():
    with pytest.raises(ValueError, match="not age bands"):
        representativeness(answers([0], np.full((1, N_THEMES), 4.0)), {"20_29": 1.0})


# Post-stratification


@settings(max_examples=80, deadline=None)
@given(
    counts=st.lists(st.integers(0, 6), min_size=len(BANDS), max_size=len(BANDS)).filter(
        lambda c: sum(c) >= 1
    ),
    data=st.data(),
)
def test_weighted_equals_raw_when_the_sample_matches_the_population(counts, data):
    bands = [b for b, c in enumerate(counts) for _ in range(c)]
    ratings = data.draw(
        st.lists(
            st.integers(1, 7).map(float),
            min_size=len(bands) * N_THEMES,
            max_size=len(bands) * N_THEMES,
        )
    )
    rs = answers(bands, ratings)
    total = sum(counts)
    shares = {BANDS[b]: c / total for b, c in enumerate(counts) if c}
    weighted = post_stratified(rs, shares)
    raw = score(rs)
    assert weighted.weighting == "age"
    assert weighted.left_out == 0
    for w in weighted.themes:
        r = raw.theme(w.theme_id)
        assert w.n == r.n
        assert w.n_effective == pytest.approx(r.n)
        assert w.score == pytest.approx(r.score, abs=1e-12)
        assert w.low == pytest.approx(r.low, abs=1e-9)
        assert w.high == pytest.approx(r.high, abs=1e-9)
        assert (w.sd is None) == (r.sd is None)
        if r.sd is not None:
            assert w.sd == pytest.approx(r.sd, abs=1e-9)
        assert w.missing_bands == ()
        assert w.covered_share == pytest.approx(1.0)


@settings(max_examples=60, deadline=None)
@given(rows=rounds, shares=shares_strategy, seed=st.integers(0, 2**32 - 1))
def test_permuting_respondents_changes_nothing(rows, shares, seed):
    rs = from_rows(rows)
    order = np.random.default_rng(seed).permutation(rs.n)
    shuffled = rs.take(order)
    # Exactly: every sum is of whole numbers per (band, theme) cell.
    assert post_stratified(shuffled, shares) == post_stratified(rs, shares)
    assert representativeness(shuffled, shares) == representativeness(rs, shares)
    np.testing.assert_array_equal(cell_weights(shuffled, shares), cell_weights(rs, shares)[order])


@settings(max_examples=60, deadline=None)
@given(rows=rounds, shares=shares_strategy, min_band=st.integers(1, 3))
def test_weights_sum_to_the_raters_and_give_each_band_its_share(rows, shares, min_band):
    rs = from_rows(rows)
    weights = cell_weights(rs, shares, min_band=min_band)
    weighted = post_stratified(rs, shares, min_band=min_band)
    total = sum(shares.values())
    values = np.nan_to_num(rs.values)
    for t, theme in enumerate(weighted.themes):
        w = weights[:, t]
        assert (w > 0).sum() == theme.n  # every share is positive here
        assert w.sum() == pytest.approx(theme.n)
        if theme.n == 0:
            assert theme.score is None
            continue
        # Each band present holds its population share, renormalised over those present.
        present = [b for b in range(len(BANDS)) if BANDS[b] not in theme.missing_bands]
        covered = sum(shares[BANDS[b]] for b in present) / total
        assert theme.covered_share == pytest.approx(covered)
        for b in present:
            in_band = w[rs.age_band == b]
            assert in_band.sum() == pytest.approx(shares[BANDS[b]] / total / covered * theme.n)
            assert np.ptp(in_band[in_band > 0]) == pytest.approx(0.0, abs=1e-12)  # one per cell
        for b in theme.missing_bands:
            raters = (rs.age_band == BANDS.index(b)) & ~np.isnan(rs.values[:, t])
            assert raters.sum() < min_band
            assert not w[rs.age_band == BANDS.index(b)].any()
        # The weighted mean with these weights is the score.
        assert (w * values[:, t]).sum() / w.sum() == pytest.approx(theme.score)
        assert theme.low <= theme.score <= theme.high


@settings(max_examples=60, deadline=None)
@given(rows=rounds, shares=shares_strategy)
def test_interval_is_the_t_interval_of_the_weighted_mean(rows, shares):
    """Per respondent, the textbook way: Kish's n_eff, the weighted variance with
    reliability weights and t with n_eff - 1 degrees of freedom, against the per-cell sums."""
    rs = from_rows(rows)
    weights = cell_weights(rs, shares)
    for t, theme in enumerate(post_stratified(rs, shares).themes):
        w = weights[:, t]
        x = rs.values[w > 0, t]
        w = w[w > 0]
        if len(w) < 2:
            continue
        mean = np.average(x, weights=w)
        n_eff = w.sum() ** 2 / (w**2).sum()
        assert theme.n_effective == pytest.approx(n_eff)
        if abs(n_eff - 2) < 1e-6:
            continue  # on the line, where rounding decides
        if n_eff < 2:
            assert (theme.low, theme.high) == (1.0, 7.0)
            continue
        sd = math.sqrt((w * (x - mean) ** 2).sum() / (w.sum() - (w**2).sum() / w.sum()))
        assert theme.sd == pytest.approx(sd, abs=1e-9)
        half = student_t.t_quantile(np.array([n_eff - 1]), 0.975)[0] * sd / math.sqrt(n_eff)
        assert theme.low == pytest.approx(max(1.0, mean - half), abs=1e-9)
        assert theme.high == pytest.approx(min(7.0, mean + half), abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(rows=rounds, shares=shares_strategy, empty=st.integers(0, len(BANDS) - 1))
def test_a_band_with_no_respondents_is_flagged_and_left_out(rows, shares, empty):
    rows = [(b, r) for b, r in rows if b != empty]
    if not rows:
        return
    rs = from_rows(rows)
    rep = representativeness(rs, shares)
    if rep.compared:
        assert rep.band(BANDS[empty]).flag == RepresentationCode.NO_RESPONDENTS
        assert any(
            f.band_id == BANDS[empty] and f.code == RepresentationCode.NO_RESPONDENTS
            for f in rep.flags
        )
    weighted = post_stratified(rs, shares)
    without = post_stratified(rs, {k: v for k, v in shares.items() if k != BANDS[empty]})
    for with_, left in zip(weighted.themes, without.themes, strict=True):
        if with_.n:
            assert BANDS[empty] in with_.missing_bands
            assert with_.covered_share < 1.0
        # Leaving the band out is the same as renormalising over the others.
        assert with_.n == left.n
        if with_.n:
            assert with_.score == pytest.approx(left.score)
            assert with_.low == pytest.approx(left.low)
            assert with_.high == pytest.approx(left.high)


def test_uneven_weights_widen_the_interval():
    # 75+: 30 respondents rating 6; 16-24: 3 rating 2. Each band half the population.
    bands = [6] * 30 + [0] * 3
    ratings = np.array([6.0] * 30 + [2.0, 3.0, 2.0])[:, None].repeat(N_THEMES, axis=1)
    rs = answers(bands, ratings)
    shares = {"16_24": 0.5, "75_plus": 0.5}
    housing = post_stratified(rs, shares).theme("housing")
    raw = score(rs).theme("housing")
    assert housing.score == pytest.approx(0.5 * 6 + 0.5 * 7 / 3)
    assert housing.n == 33
    assert housing.n_effective < 12
    assert housing.high - housing.low > raw.high - raw.low


def test_min_band_leaves_small_cells_out():
    bands = [0] * 2 + [1] * 10
    rs = answers(bands, np.full((12, N_THEMES), 4.0))
    weighted = post_stratified(rs, {"16_24": 0.5, "25_34": 0.5}, min_band=5)
    assert weighted.theme("housing").missing_bands == ("16_24",)
    assert weighted.theme("housing").n == 10
    assert weighted.min_band == 5


def test_respondents_without_a_band_count_only_in_the_raw_scores():
    rs = answers([-1, -1, 0, 0], np.array([[1.0] * N_THEMES] * 2 + [[5.0] * N_THEMES] * 2))
    weighted = post_stratified(rs, {"16_24": 1.0})
    assert weighted.left_out == 2
    assert weighted.weighted_respondents == 2
    assert weighted.theme("housing").score == 5.0
    assert score(rs).theme("housing").score == 3.0


# Sentences


def test_findings_read_as_sentences_with_the_place_and_the_figures():
    m = find_municipality("2081")
    shares = population_shares(FW, m.age_bands)
    bands = [0] * 2 + [3] * 20 + [5] * 20 + [-1] * 3
    rs = answers(bands, np.full((len(bands), N_THEMES), 4.0))
    rep = representativeness(rs, shares)
    lines = describe_representativeness(rep, FW, area=m.name, language="en")
    by_band = {line.band_id: line.text for line in lines}
    young = round(100 * shares["16_24"])
    assert by_band["16_24"] == (
        f"Aged 16–24: 2 of the 42 who gave their age (5 %), yet they are {young} % of the "
        "people aged 16 or older in Borlänge. Fewer than half as many answered as their share "
        "of the population would give."
    )
    assert by_band["25_34"].startswith("Aged 25–34: nobody answered, yet they are ")
    assert by_band[None].startswith("3 of the 45 respondents gave no age.")
    assert population_source(m.age_bands_year, m.age_bands_source) == (
        "Population by age: 2019. Source: SCB."
    )


def test_every_finding_has_a_sentence_in_both_languages():
    translations = {
        value: f"[sv] {value}" for value in REPRESENTATIVENESS.values()
    }  # a stand-in catalogue: every text passes through the translator
    cases = [
        ([0] * 1 + [1] * 30, {"16_24": 0.5, "25_34": 0.5}),  # under-represented
        ([1] * 30, {"16_24": 0.5, "25_34": 0.5}),  # no respondents
        ([0] * 3 + [1] * 3, {"16_24": 0.5, "25_34": 0.5}),  # few
        ([-1] * 3, {"16_24": 1.0}),  # no known ages
        ([0, 1, -1], {"16_24": 1.0}),  # no population share, no age band
    ]
    seen = set()
    for bands, shares in cases:
        rep = representativeness(answers(bands, np.full((len(bands), N_THEMES), 4.0)), shares)
        for language in ("sv", "en"):
            for line in describe_representativeness(
                rep, FW, area="Borlänge", language=language, _=lambda s: translations[s]
            ):
                assert line.text.startswith("[sv] ")
                assert "{" not in line.text
                seen.add(line.code)
    assert seen == set(RepresentationCode)


def test_weighted_scores_are_labelled_and_shown_beside_the_raw_ones():
    bands = [6] * 30 + [1] * 3
    rs = answers(bands, np.array([6.0] * 30 + [2.0] * 3)[:, None].repeat(N_THEMES, axis=1))
    shares = dict.fromkeys(BANDS, 1.0)
    lines = describe_weighted(post_stratified(rs, shares), score(rs), FW, language="sv")
    housing = next(line.text for line in lines if line.theme_id == "housing")
    assert housing.startswith("Bostäder: 4,0 weighted (95 % interval ")
    assert housing.endswith(
        "5,6 unweighted. Nobody aged 16–24 år, 35–44 år, 45–54 år, 55–64 år and 65–74 år "
        "rated it, so the other age bands stand in for them."
    )
    assert weighted_label() == "Weighted to the population's age structure"
    only = describe_weighted(post_stratified(rs, shares), score(rs), FW, themes=["housing"])
    assert [line.theme_id for line in only] == ["housing"]


def test_a_framework_without_age_bands_has_nothing_to_compare(mini_framework):
    rs = ResponseSet.empty(mini_framework)
    assert age_structure(mini_framework, {"0_4": 3, "5_plus": 10}).shares == {}
    rep = representativeness(rs, {})
    assert rep.bands == ()
    assert rep.flags == ()
    assert not rep.comparable
    weighted = post_stratified(rs, {})
    assert [t.score for t in weighted.themes] == [None, None]


def test_themes_of_several_questions_are_weighted_per_respondent_mean(mini_framework):
    """The general path (a theme's rating is the mean of its questions): the same as the
    weighted mean over respondents, and the raw score when the sample matches."""
    fw = mini_framework.model_copy(update={"age_bands": FW.age_bands[:2]})
    values = np.array(
        [[1, 2, 5], [2, 2, 4], [3, np.nan, np.nan], [5, 4, 1], [4, 4, 2], [5, 5, np.nan]],
        dtype=float,
    )
    n = len(values)
    rs = ResponseSet(
        framework=fw,
        values=values,
        dont_know=np.zeros(values.shape, dtype=bool),
        group=np.full(n, -1, dtype=np.int64),
        groups=[],
        priorities=np.zeros((n, len(fw.themes)), dtype=bool),
        age_band=np.array([0, 0, 0, 1, 1, 1]),
    )
    matching = post_stratified(rs, {"16_24": 0.5, "25_34": 0.5})
    for w, r in zip(matching.themes, score(rs).themes, strict=True):
        assert w.score == pytest.approx(r.score)
        assert w.low == pytest.approx(r.low)
        assert w.high == pytest.approx(r.high)
    shares = {"16_24": 0.8, "25_34": 0.2}
    weighted = post_stratified(rs, shares)
    weights = cell_weights(rs, shares)
    means, _ = rs.theme_matrix()
    competence = weighted.theme("competence")
    assert competence.score == pytest.approx(
        0.8 * np.mean([1.5, 2, 3]) + 0.2 * np.mean([4.5, 4, 5])
    )
    assert competence.score == pytest.approx(np.average(means[:, 0], weights=weights[:, 0]))
