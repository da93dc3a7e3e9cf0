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
