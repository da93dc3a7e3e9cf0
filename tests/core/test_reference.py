"""The open reference data, read as published (spot checks from shared/data/README.md)."""

from __future__ import annotations

import pytest

from platsa.core.catalogue import ContextTag, Remoteness, SizeClass
from platsa.core.reference import (
    context_for_municipality,
    find_municipality,
    load_reference,
    national_share_65_plus,
)


def test_all_municipalities_of_three_countries():
    regions, municipalities = load_reference()
    by_country = {c: sum(1 for m in municipalities if m.country == c) for c in ("SE", "NO", "FI")}
    assert by_country == {"SE": 290, "NO": 357, "FI": 309}
    assert sum(1 for r in regions if r.country == "SE") == 21
    assert len({m.key for m in municipalities}) == len(municipalities)


@pytest.mark.parametrize(
    ("code", "pop_2009", "pop_2019", "pop_2024", "share_65", "skr"),
    [
        ("2303", 5609, 5284, 5150, 29.24, "C8"),
        ("2081", 48681, 52590, 51384, 19.92, "B3"),
        ("2321", 10278, 11727, 12626, 17.57, "C9"),
        ("0180", 829417, 974073, 995600, 15.02, "A1"),
    ],
)
def test_swedish_spot_checks(code, pop_2009, pop_2019, pop_2024, share_65, skr):
    m = find_municipality(code)
    assert m.population_series[2009] == pop_2009
    assert m.population_series[2019] == pop_2019
    assert m.population == pop_2024
    assert m.population_date == "2024-11-01"
    assert m.share_65_plus_pct == pytest.approx(share_65)
    assert m.skr_group_code == skr
    assert sum(m.age_bands.values()) == pop_2019  # 5-year bands add up to the 2019 total


def test_norway_and_finland():
    trondheim = find_municipality("NO-5001")
    assert trondheim.population == 214565
    assert trondheim.region_code == "50"
    assert sum(m.population for m in load_reference()[1] if m.country == "NO") == 5_550_203
    assert sum(m.population for m in load_reference()[1] if m.country == "FI") == 5_533_793
    assert find_municipality("091").name.startswith("Helsinki")


def test_context_from_open_data():
    ragunda = find_municipality("2303")
    context = context_for_municipality(ragunda)
    assert context.size_class == SizeClass.SMALL_TOWN  # 5 150 inhabitants
    assert context.remoteness == Remoteness.RURAL  # SKR C8
    tags = context.tags()
    assert ContextTag.DECLINING_POPULATION in tags  # 5 609 -> 5 284
    assert ContextTag.AGEING in tags  # 29.2 % against the country's 20 %
    assert national_share_65_plus("SE") == pytest.approx(20.0, abs=0.5)
    # A village in a big municipality is a village, not a city.
    village = context_for_municipality(
        find_municipality("2081"), place_population=400, is_whole_municipality=False
    )
    assert village.size_class == SizeClass.VILLAGE
    assert village.fact("place_population").value == 400


@pytest.mark.parametrize(
    ("code", "pop_2012", "pop_2020", "pop_2021", "pop_2022"),
    [  # 2020-2022 from shared/data/README.md's spot checks (SCB via Kolada N01951)
        ("2303", 5466, 5208, 5210, 5174),
        ("2081", 49482, 52394, 52254, 52178),
        ("2321", 10406, 12049, 12271, 12330),
        ("0180", 881235, 975551, 978770, 984748),
    ],
)
def test_swedish_series_runs_to_2022(code, pop_2012, pop_2020, pop_2021, pop_2022):
    m = find_municipality(code)
    assert sorted(m.population_series) == list(range(1950, 2023))  # 31 Dec, no gap
    assert (m.population_series[2020], m.population_series[2021]) == (pop_2020, pop_2021)
    assert m.population_series[2022] == pop_2022
    assert 2024 not in m.population_series  # 1 Nov 2024 is not a 31 Dec value
    change, period = m.population_change
    assert period == "2012–2022"
    assert change == pytest.approx(100 * (pop_2022 - pop_2012) / pop_2012)


def test_national_totals_2020_2022():
    """The README's national totals: nothing lost or doubled when the files are joined."""
    se = [m for m in load_reference()[1] if m.country == "SE"]
    totals = [sum(m.population_series[y] for m in se) for y in (2019, 2020, 2021, 2022)]
    assert totals == [10_327_589, 10_379_295, 10_452_326, 10_521_556]


def test_source_credits_are_translated():
    from platsa.core.explain import describe_reason
    from platsa.core.frameworks import get_framework
    from platsa.core.recommend import Reason
    from platsa.core.reference import SOURCES

    swedish = {"Source: SCB": "Källa: SCB", "Source: SKR": "Källa: SKR"}
    assert SOURCES["scb_population"].credit() == "Source: SCB"
    assert SOURCES["scb_population"].credit(lambda s: swedish.get(s, s)) == "Källa: SCB"
    assert SOURCES["skr_groups"].credit(lambda s: swedish.get(s, s)) == "Källa: SKR"
    assert SOURCES["kartverket"].credit(lambda s: swedish.get(s, s)) == "© Kartverket"
    reason = Reason(
        "context",
        values={
            "tag": "declining_population",
            "area": "Ragunda",
            "value": -5.3,
            "period": "2012–2022",
            "source": "scb_population",
        },
    )
    fw = get_framework("place-attractiveness")
    assert "(Source: SCB)" in describe_reason(reason, fw, language="en")
    assert "Källa" not in describe_reason(reason, fw, language="en")
    assert "(Källa: SCB)" in describe_reason(
        reason, fw, language="sv", _=lambda s: swedish.get(s, s)
    )
