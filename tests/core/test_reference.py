"""The open reference data, read as published (spot checks from shared/data/README.md)."""

from __future__ import annotations

import json

import pytest

from platsa.core.io.reference import (
    REFERENCE_DIR,
    SOURCES,
    context_for_municipality,
    find_municipality,
    load_reference,
    municipality_facts,
    national_share_65_plus,
)
from platsa.core.schema.catalogue import ContextTag, Country, Remoteness, SizeClass, Trend


def test_all_municipalities_of_three_countries():
    regions, municipalities = load_reference()
    by_country = {c: sum(1 for m in municipalities if m.country == c) for c in ("SE", "NO", "FI")}
    assert by_country == {"SE": 290, "NO": 357, "FI": 309}
    assert sum(1 for r in regions if r.country == "SE") == 21
    assert len({m.key for m in municipalities}) == len(municipalities)


@pytest.mark.parametrize(
    ("code", "pop_2009", "pop_2019", "pop_2024", "skr"),
    [
        ("2303", 5609, 5284, 5150, "C8"),
        ("2081", 48681, 52590, 51384, "B3"),
        ("2321", 10278, 11727, 12626, "C9"),
        ("0180", 829417, 974073, 995600, "A1"),
    ],
)
def test_swedish_spot_checks(code, pop_2009, pop_2019, pop_2024, skr):
    m = find_municipality(code)
    assert m.population_series[2009] == pop_2009
    assert m.population_series[2019] == pop_2019
    assert m.population == pop_2024
    assert (m.population_date, m.population_source) == ("2024-11-01", "scb_population")
    assert m.skr_group_code == skr
    assert sum(m.age_bands.values()) == pop_2019  # 5-year bands add up to the 2019 total
    assert (m.age_bands_year, m.age_bands_source) == ("2019", "scb_age")


@pytest.mark.parametrize(
    ("code", "share_65", "share_0_19"),
    [  # shared/data/README.md, the 2022 spot checks (SCB via Kolada)
        ("2303", 29.07, 20.53),
        ("2081", 20.85, 24.33),
        ("2321", 17.74, 23.14),
        ("0180", 15.76, 21.34),
    ],
)
def test_swedish_age_shares_are_the_newest_2022_via_kolada(code, share_65, share_0_19):
    m = find_municipality(code)
    assert (m.share_65_plus_pct, m.share_0_19_pct) == (share_65, share_0_19)
    assert (m.age_year, m.age_source) == ("2022", "kolada_age")
    fact = next(f for f in municipality_facts(m) if f.key == "share_65_plus_pct")
    assert (fact.period, fact.source) == ("2022", "kolada_age")
    assert SOURCES["kolada_age"].credit() == "Source: Kolada"  # Kolada's terms


def test_norway_and_finland():
    trondheim = find_municipality("NO-5001")
    assert trondheim.population == 218460  # SSB, 1 January 2026
    assert (trondheim.population_date, trondheim.population_source) == (
        "2026-01-01",
        "ssb_population",
    )
    assert trondheim.region_code == "50"
    municipalities = load_reference()[1]
    assert sum(m.population for m in municipalities if m.country == "NO") == 5_627_400
    assert sum(m.population for m in municipalities if m.country == "FI") == 5_563_970
    assert find_municipality("091").name.startswith("Helsinki")


def test_norwegian_2024_figures_agree_with_the_second_source():
    """README: norge-data's population equals SSB's 1 January 2024 for all 357."""
    listing = json.loads(
        (REFERENCE_DIR / "no" / "kommuner_2025_norge_data.json").read_text(encoding="utf-8")
    )
    for row in listing:
        assert find_municipality(f"NO-{row['k_id']}").population_series[2024] == row["k_population"]


@pytest.mark.parametrize(
    ("code", "years", "share_65", "share_0_19"),
    [  # shared/data/README.md, Norway's spot checks (SSB, 1 January)
        ("0301", {2005: 529846, 2015: 647676, 2020: 693494, 2024: 717710, 2025: 724290,
                  2026: 728714}, 13.39, 20.24),
        ("5001", {2005: 161440, 2015: 190955, 2020: 205163, 2024: 214565, 2025: 216518,
                  2026: 218460}, 15.87, 20.91),
        ("1811", {2005: 1778, 2015: 1482, 2020: 1426, 2024: 1399, 2025: 1374, 2026: 1361},
         32.39, 20.60),
        ("1508", {2024: 58509, 2025: 59198, 2026: 59663}, 18.49, 22.59),
    ],
)  # fmt: skip
def test_norwegian_spot_checks(code, years, share_65, share_0_19):
    m = find_municipality(f"NO-{code}")
    assert {y: m.population_series[y] for y in years} == years
    assert m.population_series_day == "01-01"  # SSB counts on 1 January
    assert m.population == years[2026]
    assert (m.share_65_plus_pct, m.share_0_19_pct) == (share_65, share_0_19)
    assert (m.age_year, m.age_source, m.age_bands_year) == ("2025", "ssb_age", "2025")
    assert sum(m.age_bands.values()) == years[2025]  # the 2025 bands, whole


def test_norwegian_national_totals():
    no = [m for m in load_reference()[1] if m.country == "NO"]
    assert [sum(m.population_series[y] for m in no) for y in (2024, 2025, 2026)] == [
        5_550_203,
        5_594_340,
        5_627_400,
    ]


@pytest.mark.parametrize(
    ("code", "pop_2000", "pop_2010", "pop_2019", "pop_2022", "share_65", "share_0_19"),
    [  # shared/data/README.md, Finland's spot checks (31 December)
        ("091", 555474, 588549, 653835, 664028, 17.22, 18.57),
        ("049", 213271, 247970, 289731, 305274, 14.82, 24.72),
        ("214", 15188, 14013, 12906, 12528, 27.53, 19.59),
        ("035", 514, 488, 445, 450, 34.83, 12.58),
    ],
)
def test_finnish_spot_checks(code, pop_2000, pop_2010, pop_2019, pop_2022, share_65, share_0_19):
    m = find_municipality(f"FI-{code}")
    series = m.population_series
    assert (series[2000], series[2010], series[2019], series[2022]) == (
        pop_2000,
        pop_2010,
        pop_2019,
        pop_2022,
    )
    assert (m.population, m.population_date) == (pop_2022, "2022-12-31")
    assert m.population_source == "statfi_population"
    assert (m.share_65_plus_pct, m.share_0_19_pct) == (share_65, share_0_19)
    assert (m.age_year, m.age_source) == ("2019", "statfi_age")
    assert sum(m.age_bands.values()) == pop_2019


def test_finnish_national_totals():
    fi = [m for m in load_reference()[1] if m.country == "FI"]
    totals = [sum(m.population_series[y] for m in fi) for y in (2000, 2010, 2019, 2022)]
    assert totals == [5_181_115, 5_375_276, 5_525_292, 5_563_970]


@pytest.mark.parametrize("country", ["SE", "NO", "FI"])
def test_national_share_65_plus_comes_from_the_same_table(country):
    """The country's share is the population-weighted mean of its municipalities' shares
    (the shares in the file are rounded to 2 decimals, hence the tolerance)."""
    ms = [m for m in load_reference()[1] if m.country == country]
    # Each age table's total equals the series in its year (README's checks).
    people = {m.key: m.population_series[int(m.age_year)] for m in ms}
    weighted = sum(m.share_65_plus_pct * people[m.key] for m in ms) / sum(people.values())
    assert national_share_65_plus(country) == pytest.approx(weighted, abs=0.01)
    assert len({m.age_year for m in ms}) == 1  # one year for the whole country


def test_every_fact_has_a_period_and_a_known_source():
    """Facts never go stale silently: each says which period it describes and where from."""
    for m in load_reference()[1]:
        for fact in municipality_facts(m, national_share_65_plus(m.country)):
            assert fact.period, (m.key, fact.key)
            assert fact.source in SOURCES, (m.key, fact.key, fact.source)


def test_context_from_open_data():
    ragunda = find_municipality("2303")
    context = context_for_municipality(ragunda)
    assert context.size_class == SizeClass.SMALL_TOWN  # 5 150 inhabitants
    assert context.remoteness == Remoteness.RURAL  # SKR C8
    tags = context.tags()
    assert ContextTag.DECLINING_POPULATION in tags  # 5 609 -> 5 284
    assert ContextTag.AGEING in tags  # 29.1 % (2022) against the country's 20.4 %
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
    from platsa.core.analysis.recommend import Reason
    from platsa.core.io.reference import SOURCES
    from platsa.core.render.explain import describe_reason
    from platsa.core.schema.frameworks import get_framework

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


@pytest.mark.parametrize("code", ["NO-5001", "NO-1811", "FI-035", "FI-091"])
def test_norwegian_and_finnish_places_get_trend_and_age_context(code):
    m = find_municipality(code)
    context = context_for_municipality(m, has_large_employer=True)
    assert context.country == Country(code[:2])
    assert context.has_large_employer is True
    change = context.fact("population_change_pct")
    series, day = m.population_series, m.population_series_day
    last = max(series)
    first = last - 10
    expected = 100 * (series[last] - series[first]) / series[first]
    assert context.population_change_pct == pytest.approx(expected)
    assert change.value == round(expected, 2)
    assert change.period == (f"{first}–{last}" if day == "12-31" else f"{first}-01-01–{last}-01-01")
    assert change.source == {"NO": "ssb_population", "FI": "statfi_population"}[code[:2]]
    assert context.trend is not None
    share = context.fact("share_65_plus_pct")
    assert share.value == m.share_65_plus_pct == context.share_65_plus_pct
    assert share.compare == round(national_share_65_plus(code[:2]), 2)
    assert context.national_share_65_plus_pct == national_share_65_plus(code[:2])
    assert share.source == {"NO": "ssb_age", "FI": "statfi_age"}[code[:2]]
    population = context.fact("population")
    assert population.period == f"{last}-{day}"  # the most recent year, dated
    assert population.value == series[last]


def test_bindal_and_brando_are_declining_and_ageing():
    """README: Bindal 1,778 (2005) -> 1,361 (2026), 32.39 % aged 65+; Brändö 34.83 %."""
    bindal = context_for_municipality(find_municipality("NO-1811"))
    assert bindal.population == 1361
    assert bindal.trend == Trend.DECLINING
    assert ContextTag.AGEING in bindal.tags()
    assert bindal.remoteness == Remoteness.RURAL  # about one inhabitant per km² of land
    brando = context_for_municipality(find_municipality("FI-035"))
    assert brando.population == 450
    assert ContextTag.AGEING in brando.tags()
    assert brando.size_class == SizeClass.VILLAGE


def test_split_municipalities_blank_cells():
    """Ålesund and Haram (split on 1 January 2024) have figures from 2024 only: too short for
    a ten-year change, which stays unknown; Narvik (2020 split of Tysfjord) starts in 2020,
    and the period says so."""
    for code in ("NO-1508", "NO-1580"):
        m = find_municipality(code)
        assert min(m.population_series) == 2024
        assert m.population_change is None
        context = context_for_municipality(m)
        assert context.population_change_pct is None
        assert context.trend is None
        assert context.fact("population_change_pct") is None
        assert context.fact("population").period == "2026-01-01"
        assert context.share_65_plus_pct is not None  # the age profile is whole
    narvik = find_municipality("NO-1806")
    change = narvik.population_change_detail
    assert (change.first, change.last, change.start_moved) == (2020, 2026, True)
    assert change.period == "2020-01-01–2026-01-01"
    series = narvik.population_series
    assert change.pct == pytest.approx(100 * (series[2026] - series[2020]) / series[2020])
    vindafjord = find_municipality("NO-1160")  # only 2005 blank: the change is whole
    assert 2005 not in vindafjord.population_series
    assert vindafjord.population_change_detail.start_moved is False


def test_swedish_change_credits_scb_and_kolada():
    """2012 is in SCB's file, 2022 comes from Kolada: both are named."""
    fact = context_for_municipality(find_municipality("2303")).fact("population_change_pct")
    assert (fact.period, fact.source) == ("2012–2022", "scb_kolada_population")
    assert "Kolada" in SOURCES[fact.source].credit()
    ragunda = find_municipality("2303")
    assert ragunda.population_series[2022] == 5174  # README: Ragunda 2022
    assert ragunda.series_source(2022) == "kolada_population"
    assert ragunda.series_source(2019) == "scb_population"
