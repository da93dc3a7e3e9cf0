"""Six realistic places (tests/data/profiles): lists an expert would defend.

Each property here is one the expert review of issue 6 found broken: the main need starved,
quotas filled with actions for themes that work, a village shop for a town, higher
vocational education for a village, tools for declining places in a growing resort, rural
transport in a commuter town, Swedish instruments in Norway and Finland.
"""

from __future__ import annotations

import pytest

from platsa.core.analysis.recommend import RecommendationSet, recommend
from platsa.core.analysis.scoring import score
from tests.core.profiles import Profile, load_profile, profile_names


@pytest.fixture(scope="module")
def lists(framework, catalogue) -> dict[str, tuple[Profile, RecommendationSet]]:
    out = {}
    for key in profile_names():
        profile = load_profile(key, framework)
        recs = recommend(
            score(profile.responses),
            catalogue,
            profile.context,
            comments=profile.responses.comments,
        )
        out[key] = (profile, recs)
    return out


def test_there_are_six_profiles_from_three_countries(lists):
    assert len(lists) >= 6
    assert {p.context.country.value for p, _ in lists.values()} == {"SE", "NO", "FI"}


@pytest.mark.parametrize("key", profile_names())
def test_the_main_need_leads_and_takes_most_places(lists, key):
    profile, recs = lists[key]
    expect = profile.expect
    places = [r.theme for r in recs.portfolio]
    assert 5 <= len(recs.portfolio) <= 10
    assert recs.portfolio[0].theme == expect["dominant"]
    for theme, minimum in expect.get("min_places", {}).items():
        assert places.count(theme) >= minimum, (theme, places)
    assert places.count(expect["dominant"]) == max(places.count(t) for t in set(places))


@pytest.mark.parametrize("key", profile_names())
def test_every_portfolio_action_works_on_a_weak_theme(lists, key):
    _, recs = lists[key]
    weak = {n.theme_id for n in recs.needs if n.is_need}
    for rec in recs.portfolio:
        assert any(w >= 2 and t in weak for t, w in rec.action.themes.items()), rec.action_id
        assert any(r.kind == "theme_need" for r in rec.reasons), rec.action_id
    strong = {n.theme_id for n in recs.needs if n.is_strong}
    for rec in recs.recommendations:
        cited = {r.theme for r in rec.reasons if r.kind == "theme_need"}
        assert not cited & strong, rec.action_id


@pytest.mark.parametrize("key", profile_names())
def test_nothing_outside_its_country_size_or_trend(lists, key):
    profile, recs = lists[key]
    context = profile.context
    for rec in recs.recommendations:
        pre = rec.action.preconditions
        assert not pre.countries or context.country in pre.countries, rec.action_id
        assert not pre.size_classes or context.size_class in pre.size_classes, rec.action_id
        if pre.trends and context.trend is not None:
            assert context.trend in pre.trends, rec.action_id


@pytest.mark.parametrize("key", ["arctic_fishing_no", "remote_finnish_town"])
def test_norway_and_finland_get_their_own_funders(lists, catalogue, key):
    profile, recs = lists[key]
    country = profile.context.country.value
    for rec in recs.portfolio:
        funders = catalogue.funding_for(rec.action, country)
        assert funders, rec.action_id
        assert all(country in f.countries for f in funders)


def test_small_groups_are_named(lists):
    for profile, recs in lists.values():
        expected = profile.expect.get("small_group")
        notice = recs.notice("small_group")
        if expected:
            assert notice is not None
            assert sorted(notice.values["groups"]) == sorted(expected)


def test_the_village_that_lost_its_shop_is_offered_taking_it_over(lists):
    _, recs = lists["village_shop_closed"]
    ranks = {r.action_id: r.rank for r in recs.recommendations}
    assert ranks["svc_village_owned_shop"] <= 3
    comment = [r for r in recs.recommendations[0].reasons if r.kind == "comment_match"]
    shop = next(r for r in recs.recommendations if r.action_id == "svc_village_owned_shop")
    assert any(r.kind == "comment_match" for r in shop.reasons) or comment
    excluded = {e.action.id for e in recs.excluded}
    assert {"vocational_higher_education_yh", "local_learning_centre"} <= excluded


def test_a_town_is_not_offered_a_village_shop(lists):
    _, recs = lists["commuter_suburb"]
    ids = {r.action_id for r in recs.recommendations}
    assert "svc_village_owned_shop" not in ids


def test_a_growing_resort_gets_housing_not_empty_house_matching(lists):
    _, recs = lists["resort_housing"]
    portfolio = [r.action_id for r in recs.portfolio]
    assert "municipal_housing_programme" in portfolio
    assert "empty_house_matching" in {e.action.id for e in recs.excluded}


def test_a_commuter_town_gets_no_rural_transport(lists):
    _, recs = lists["commuter_suburb"]
    ids = {r.action_id for r in recs.recommendations}
    assert "demand_responsive_transport" not in ids
    assert "svc_school_transport_afterschool" not in ids


def test_a_mill_town_with_a_skills_gap_gets_a_joint_action(lists):
    _, recs = lists["bruksort_skills"]
    joint = [r for r in recs.portfolio if r.action.is_joint]
    assert joint
    assert any(r.kind == "group_gap" for rec in joint for r in rec.reasons)


def test_joint_actions_are_a_minority(catalogue):
    joint = sum(1 for a in catalogue if a.is_joint)
    assert joint / len(catalogue) < 0.3


@pytest.mark.parametrize("key", ["arctic_fishing_no", "remote_finnish_town"])
def test_their_own_national_instruments_are_in_the_list(lists, key):
    """Husbanken in Båtsfjord, the wellbeing county's service point in Salla: an instrument
    the place can apply to today beats a general idea of the same merit."""
    profile, recs = lists[key]
    own = [r for r in recs.portfolio if profile.context.country in r.action.preconditions.countries]
    assert own, [r.action_id for r in recs.portfolio]
    reason = next(x for x in own[0].reasons if x.values.get("tag") == "national_instrument")
    assert reason.values["country"] == profile.context.country.value
