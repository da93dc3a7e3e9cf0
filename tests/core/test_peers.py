"""Peer places (platsa.core.analysis.peers): properties on generated municipalities, the
distance against a plain-Python reading of the documented formula, and the real data."""

from __future__ import annotations

import math
import random
import statistics

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from platsa.core.analysis.peers import (
    CLOSE_WITHIN_SD,
    FEATURES,
    MIN_SHARED_FEATURES,
    SKR_MISMATCH,
    SKR_WEIGHT,
    SPREAD_EPSILON,
    WEIGHTS,
    PeerIndex,
    peer_index,
    reference_peer_index,
)
from platsa.core.io.reference import Municipality, load_reference

# --- generated municipalities ---------------------------------------------------------


@st.composite
def municipality(draw: st.DrawFn, number: int) -> Municipality:
    country = draw(st.sampled_from(["SE", "NO", "FI"]))
    maybe = st.none() | st.floats(1.0, 60.0)
    population = draw(st.none() | st.integers(1, 1_000_000))
    # Two years of a series: the change is from the first to the last (ten years apart).
    series = draw(st.none() | st.tuples(st.integers(1, 1_000_000), st.integers(1, 1_000_000)))
    return Municipality(
        country=country,
        code=f"{number:04d}",
        name=f"M{number}",
        region_code=draw(st.sampled_from(["01", "02"])),
        population=population,
        population_series={2012: series[0], 2022: series[1]} if series else {},
        share_65_plus_pct=draw(maybe),
        share_0_19_pct=draw(maybe),
        skr_group_code=draw(st.sampled_from(["", "C8", "C9"])) if country == "SE" else "",
        land_area_km2=draw(st.none() | st.floats(0.5, 20_000.0)),
    )


@st.composite
def municipalities(draw: st.DrawFn, min_size: int = 2) -> list[Municipality]:
    n = draw(st.integers(min_size, 14))
    return [draw(municipality(i)) for i in range(n)]


def reference_distance(ms: list[Municipality], a: int, b: int) -> float:
    """The docstring's formula, read literally, in plain Python: z-scores over the known
    values of each fact, the weighted mean of squared differences over the facts known on
    both sides (plus the SKR group when both have one), its square root; infinity when
    fewer than MIN_SHARED_FEATURES measured facts are shared."""

    def values(m: Municipality) -> list[float | None]:
        change = m.population_change_detail
        density = m.density
        return [
            math.log10(m.population) if m.population else None,
            math.log10(density) if density else None,
            change.pct if change else None,
            m.share_65_plus_pct,
            m.share_0_19_pct,
        ]

    table = [values(m) for m in ms]
    num = den = 0.0
    shared = 0
    for f, w in enumerate(WEIGHTS):
        known = [row[f] for row in table if row[f] is not None]
        mean = statistics.fmean(known) if known else 0.0
        sd = statistics.pstdev(known) if len(known) > 1 else 0.0
        sd = sd if sd > SPREAD_EPSILON * max(1.0, abs(mean)) else 1.0
        x, y = table[a][f], table[b][f]
        if x is None or y is None:
            continue
        shared += 1
        num += w * ((x - mean) / sd - (y - mean) / sd) ** 2
        den += w
    if ms[a].skr_group_code and ms[b].skr_group_code:
        num += SKR_WEIGHT * SKR_MISMATCH * (ms[a].skr_group_code != ms[b].skr_group_code)
        den += SKR_WEIGHT
    return math.sqrt(num / den) if shared >= MIN_SHARED_FEATURES else math.inf


def matrix(index: PeerIndex) -> np.ndarray:
    return np.vstack([index.distances(key) for key in index.keys])


PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(ms=municipalities(), data=st.data())
def test_the_order_of_the_municipalities_changes_no_result(ms, data):
    order = data.draw(st.permutations(range(len(ms))))
    first = peer_index(ms)
    second = peer_index([ms[i] for i in order])
    for m in ms:
        # Equal to the last bit, ties included (they are broken by key).
        assert first.nearest(m.key, k=len(ms)) == second.nearest(m.key, k=len(ms))
        for filters in ({"same_group": True}, {"same_region": True}, {"country": "NO"}):
            assert first.nearest(m.key, 3, **filters) == second.nearest(m.key, 3, **filters)


@PROPERTY
@given(ms=municipalities())
def test_distances_are_symmetric_and_a_municipality_is_its_own_nearest(ms):
    index = peer_index(ms)
    d = matrix(index)
    assert not np.isnan(d).any()
    assert np.array_equal(d, d.T)  # exactly: the same sums in the same order
    assert (d >= 0).all()
    for i, key in enumerate(index.keys):
        if index.known[i].sum() >= MIN_SHARED_FEATURES:
            assert d[i, i] == 0.0
            assert d[i].min() == 0.0
        else:  # too little known to compare, even with itself
            assert np.isinf(d[i]).all()
        peers = index.nearest(key, k=len(ms))
        assert key not in [p.key for p in peers]
        assert [p.distance for p in peers] == sorted(p.distance for p in peers)
        assert all(math.isfinite(p.distance) for p in peers)


@PROPERTY
@given(ms=municipalities())
def test_the_distance_is_the_documented_formula(ms):
    index = peer_index(ms)
    for a in range(len(ms)):
        for b in range(len(ms)):
            expected = reference_distance(ms, a, b)
            got = index.distance(ms[a].key, ms[b].key)
            if math.isinf(expected):
                assert math.isinf(got)
            else:
                assert got == pytest.approx(expected, rel=1e-9, abs=1e-9)


@PROPERTY
@given(ms=municipalities())
def test_shared_features_and_reasons_say_what_was_compared(ms):
    index = peer_index(ms)
    for i, m in enumerate(ms):
        for peer in index.nearest(m.key, k=len(ms)):
            j = index.position(peer.key)
            both = [f for f, k in zip(FEATURES, index.known[i] & index.known[j], strict=True) if k]
            grouped = bool(m.skr_group_code and ms[j].skr_group_code)
            assert peer.shared_features == tuple(both) + (("skr_group",) if grouped else ())
            assert len(both) >= MIN_SHARED_FEATURES
            for reason in peer.reasons:
                assert reason.feature in peer.shared_features
                assert reason.difference_sd <= CLOSE_WITHIN_SD
                if reason.feature == "skr_group":
                    assert reason.value == reason.peer_value == m.skr_group_code


# --- missing values, groups and filters, by hand -----------------------------------------


def place(
    code: str,
    *,
    country: str = "SE",
    population: int | None = 5000,
    change: tuple[int, int] | None = (5000, 4500),
    area: float | None = 1000.0,
    old: float | None = 28.0,
    young: float | None = 19.0,
    group: str = "",
    region: str = "24",
) -> Municipality:
    return Municipality(
        country=country,
        code=code,
        name=code,
        region_code=region,
        population=population,
        population_series={2012: change[0], 2022: change[1]} if change else {},
        share_65_plus_pct=old,
        share_0_19_pct=young,
        skr_group_code=group,
        land_area_km2=area,
    )


# A spread of other municipalities, so that every fact has a standard deviation.
BACKGROUND = [
    place(
        f"9{i:03d}",
        country="NO",
        population=500 * 3**i,
        change=(1000, 900 + 60 * i),
        old=15 + 3 * i,
        region="99",
    )
    for i in range(6)
]


def test_a_missing_fact_is_left_out_not_taken_for_a_likeness():
    query = place("0001")
    # The same on the three facts it has, nothing known of its age: distance 0 over three.
    partial = place("0002", old=None, young=None)
    # Known on all five, a little off on one of them.
    full = place("0003", old=30.0)
    index = peer_index([query, partial, full, *BACKGROUND])
    assert index.distance("0001", "0002") == 0.0
    peers = {p.key: p for p in index.nearest("0001", 10)}
    assert peers["SE-0002"].shared_features == ("population", "density", "population_change_pct")
    assert len(peers["SE-0003"].shared_features) == 5
    assert index.distance("0001", "0003") > 0


def test_a_missing_fact_rescales_the_distance_to_the_facts_compared():
    # b differs from a on population only; c likewise, and c's age is unknown. Compared on
    # fewer facts, the same difference weighs more: 4 weights (1+1+1+0.5+0.5) against 3.
    a = place("0001")
    b = place("0002", population=20_000, area=4000.0)  # density kept the same
    c = place("0003", population=20_000, area=4000.0, old=None, young=None)
    index = peer_index([a, b, c, *BACKGROUND])
    assert index.distance("0001", "0003") == pytest.approx(
        index.distance("0001", "0002") * math.sqrt(4 / 3)
    )


def test_too_few_shared_facts_give_no_distance_and_no_peer():
    query = place("0001", old=None, young=None)  # three facts
    # Two facts in common with the query (population and density), its age only besides.
    thin = place("0002", change=None)
    index = peer_index([query, thin, *BACKGROUND])
    assert math.isinf(index.distance("0001", "0002"))
    assert math.isinf(index.distance("0002", "0001"))
    assert "SE-0002" not in [p.key for p in index.nearest("0001", 20)]


def test_the_same_skr_group_counts_as_closer():
    query = place("0001", group="C9")
    same = place("0002", group="C9", old=29.0)
    other = place("0003", group="C8", old=29.0)
    norway = place("0004", country="NO", old=29.0)  # no group: compared without one
    index = peer_index([query, same, other, norway, *BACKGROUND])
    d = {p.key: p.distance for p in index.nearest("0001", 10)}
    assert d["SE-0002"] < d["NO-0004"] < d["SE-0003"]
    reasons = index.nearest("0001", 1)[0].reasons
    assert reasons[0].feature == "skr_group"
    assert reasons[0].value == "C9"


def test_filters_narrow_the_candidates():
    ms = [
        place("0001", group="C9", region="24"),
        place("0002", group="C9", region="25"),
        place("0003", group="C8", region="24"),
        place("0004", country="NO", region="18"),
        place("0005", country="FI", region="LA"),
        *BACKGROUND,
    ]
    index = peer_index(ms)
    assert {p.key for p in index.nearest("0001", 20, same_group=True)} == {"SE-0002"}
    assert {p.key for p in index.nearest("0001", 20, same_region=True)} == {"SE-0003"}
    assert {p.key for p in index.nearest("0001", 20, same_country=True)} == {"SE-0002", "SE-0003"}
    assert [p.key for p in index.nearest("0001", 20, country="fi")] == ["FI-0005"]
    assert index.nearest("NO-0004", 20, same_group=True) == []  # Norway has no SKR groups
    assert index.nearest("0001", 0) == []
    with pytest.raises(ValueError, match="k must be"):
        index.nearest("0001", -1)
    with pytest.raises(KeyError):
        index.nearest("SE-9999", 5)


def test_a_municipality_twice_is_refused():
    with pytest.raises(ValueError, match="more than once"):
        peer_index([place("0001"), place("0001")])


# --- the real data -----------------------------------------------------------------------


def test_the_reference_index_holds_all_municipalities_and_codes_in_every_form():
    index = reference_peer_index()
    assert len(index) == len(load_reference()[1]) == 956
    assert index.position("2081") == index.position("SE-2081") == index.position("se-2081")
    assert index.position("091") == index.position("FI-091")
    assert "NO-5001" in index
    assert "NO-0000" not in index
    assert reference_peer_index() is index  # built once a process


def test_a_small_shrinking_inland_norrland_municipality_has_small_shrinking_peers():
    index = reference_peer_index()
    sorsele = index.municipalities[index.position("2422")]
    # The premise: small and shrinking.
    assert sorsele.population < 3000
    assert sorsele.population_change[0] < -5
    peers = index.nearest("2422", 10)
    assert len(peers) == 10
    by_key = {m.key: m for m in index.municipalities}
    for peer in peers:
        m = by_key[peer.key]
        assert m.population < 10_000, m.name
        assert m.population_change[0] < 0, m.name
        assert m.density < 5, m.name
    # Peers across the borders too: it is not a Swedish list.
    assert {p.country for p in peers} >= {"SE", "NO", "FI"}


def test_a_city_has_cities_for_peers():
    index = reference_peer_index()
    by_key = {m.key: m for m in index.municipalities}
    for peer in index.nearest("NO-5001", 5):  # Trondheim
        assert by_key[peer.key].population > 100_000, peer.name


def test_the_real_index_in_another_order_gives_the_same_peers():
    _, ms = load_reference()
    shuffled = list(ms)
    random.Random(8).shuffle(shuffled)
    first, second = reference_peer_index(), peer_index(shuffled)
    for code in ("2422", "2081", "NO-5001", "NO-1508", "FI-091", "FI-890"):
        assert first.nearest(code, 10) == second.nearest(code, 10)
        assert first.nearest(code, 5, same_region=True) == second.nearest(code, 5, same_region=True)


def test_alesund_without_a_change_is_compared_on_the_other_facts():
    index = reference_peer_index()
    peers = index.nearest("NO-1508", 5)  # split in 2024: no ten years' change
    assert len(peers) == 5
    assert all("population_change_pct" not in p.shared_features for p in peers)
    assert all(len(p.shared_features) >= MIN_SHARED_FEATURES for p in peers)
