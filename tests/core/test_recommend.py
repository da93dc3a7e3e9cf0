"""The recommendation engine: needs, portfolio, preconditions, context and explanations."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from platsa.core.catalogue import Action, Catalogue, ContextTag, Horizon, Remoteness, SizeClass
from platsa.core.context import Fact, PlaceContext
from platsa.core.recommend import DEFAULT_PARAMS, Params, recommend, theme_needs
from platsa.core.scoring import score
from platsa.core.texts import LocalText
from tests.core.helpers import responses, uniform


def _text(s: str) -> LocalText:
    return LocalText(sv=s, en=s)


def action(aid: str, themes: dict[str, int], **kw) -> Action:
    return Action(
        id=aid,
        title=_text(aid),
        summary=_text(aid),
        description=_text(aid),
        themes=themes,
        effort=kw.pop("effort", "low"),
        cost_band=kw.pop("cost_band", "low"),
        horizon=kw.pop("horizon", "short"),
        lead_actors=kw.pop("lead_actors", ("municipality",)),
        **kw,
    )


def test_need_follows_score_priority_and_certainty(framework):
    rows = uniform(framework, 20, 6, "residents", housing=2, priorities=["housing"])
    needs = {n.theme_id: n for n in theme_needs(score(responses(framework, rows)))}
    assert needs["housing"].deficit == pytest.approx((7 - 2) / 6)
    assert needs["housing"].need > needs["mobility"].need
    # Shrinkage: with n ratings the deficit is pulled towards 0.5 by n0 / (n + n0).
    n0 = DEFAULT_PARAMS.n0
    assert needs["housing"].shrunk_deficit == pytest.approx((20 * 5 / 6 + n0 * 0.5) / (20 + n0))
    assert needs["housing"].need == pytest.approx(
        (1 + DEFAULT_PARAMS.alpha * 1.0) * needs["housing"].shrunk_deficit
    )
    # A theme nobody rated is "unsure" (0.5), not "fine" and not "terrible".
    few = {
        n.theme_id: n for n in theme_needs(score(responses(framework, [{"group": "residents"}])))
    }
    assert few["housing"].shrunk_deficit == pytest.approx(0.5)


def test_worked_example_from_the_docs(framework):
    """docs/recommendations.md works this case by hand; keep the two in step."""
    rows = uniform(
        framework, 10, 4, "residents", housing=2, skills_supply=4, priorities=["housing"]
    ) + uniform(
        framework,
        10,
        4,
        "industry_management",
        housing=3,
        skills_supply=1,
        priorities=["skills_supply"],
    )
    results = score(responses(framework, rows))
    cat = Catalogue(
        framework.id,
        [
            action("homes", {"housing": 3}, horizon="long"),
            action(
                "skills_pact",
                {"skills_supply": 3, "collaboration": 2},
                lead_actors=("jointly",),
                horizon="medium",
            ),
            action("cafe", {"community": 2}),
        ],
    )
    recs = recommend(
        results, cat, PlaceContext(), Params(size=3, min_quick_wins=0, min_long_term=0)
    )
    by_id = {r.action_id: r for r in recs.recommendations}
    # housing: mean 2.5, n 20, priority 0.5 -> deficit 0.75, shrunk (20*0.75+5*0.5)/25 = 0.7, need 0.7*2 = 1.4
    assert recs.need("housing").need == pytest.approx(1.4)
    assert by_id["homes"].standalone_score == pytest.approx(1.4)
    # skills: mean 2.5 as well -> need 1.4; collaboration: mean 4, no priority -> (20*0.5+2.5)/25 = 0.5
    # base = 1.0*1.4 + 0.5 * (2/3)*0.5 = 1.5667; gap 3.0 points / 6 = 0.5 -> joint = 1.0 * 1.0 * 0.5 = 0.5
    assert by_id["skills_pact"].base == pytest.approx(1.4 + 0.5 * (2 / 3) * 0.5)
    assert by_id["skills_pact"].joint == pytest.approx(0.5)
    assert recs.recommendations[0].action_id == "skills_pact"
    assert by_id["cafe"].standalone_score == pytest.approx((2 / 3) * 0.5)


def test_portfolio_spreads_over_themes_and_mixes_horizons(framework, catalogue):
    rows = uniform(framework, 40, 5, "residents", housing=1, priorities=["housing"])
    recs = recommend(score(responses(framework, rows)), catalogue, PlaceContext())
    top = recs.portfolio
    assert len(top) == DEFAULT_PARAMS.size
    primaries = [r.action.primary_theme for r in top]
    assert max(primaries.count(t) for t in set(primaries)) <= DEFAULT_PARAMS.max_per_theme
    assert sum(r.action.horizon == Horizon.SHORT for r in top) >= DEFAULT_PARAMS.min_quick_wins
    assert sum(r.action.horizon == Horizon.LONG for r in top) >= DEFAULT_PARAMS.min_long_term
    assert top[0].action.themes.get("housing", 0) >= 2  # the worst theme leads the list


def test_housing_need_ranks_housing_actions_above_unrelated_ones(framework, catalogue):
    rows = uniform(framework, 40, 6, "residents", housing=1, priorities=["housing"])
    recs = recommend(score(responses(framework, rows)), catalogue, PlaceContext())
    ranks = {r.action_id: r.rank for r in recs.recommendations}
    housing_best = min(ranks[a.id] for a in catalogue if a.themes.get("housing", 0) == 3)
    safety_best = min(ranks[a.id] for a in catalogue if a.primary_theme == "safety")
    assert housing_best < safety_best


def test_preconditions_exclude_with_reason(framework):
    cat = Catalogue(
        framework.id,
        [
            action("village_only", {"housing": 3}, preconditions={"size_classes": ["village"]}),
            action(
                "needs_mill", {"housing": 3}, preconditions={"requires_industry_employer": True}
            ),
            action("rural_only", {"housing": 3}, preconditions={"remoteness": ["rural"]}),
            action("any", {"housing": 1}),
        ],
    )
    results = score(responses(framework, uniform(framework, 10, 3, "residents")))
    city = PlaceContext(
        size_class=SizeClass.CITY, has_industry_employer=False, remoteness=Remoteness.URBAN
    )
    recs = recommend(results, cat, city)
    assert [r.action_id for r in recs.recommendations] == ["any"]
    reasons = {e.action.id: e.reasons[0].values["what"] for e in recs.excluded}
    assert reasons == {
        "village_only": "size_class",
        "needs_mill": "industry_employer",
        "rural_only": "remoteness",
    }
    # Unknown context never excludes; it is said instead.
    unknown = recommend(results, cat, PlaceContext())
    assert len(unknown.recommendations) == 4
    kinds = {r.kind for rec in unknown.recommendations for r in rec.reasons}
    assert "precondition_unverified" in kinds


def test_context_tags_boost_fitting_actions(framework):
    cat = Catalogue(
        framework.id,
        [action("plain", {"services": 3}), action("for_ageing", {"services": 3}, fits=["ageing"])],
    )
    results = score(responses(framework, uniform(framework, 10, 3, "residents")))
    fact = Fact("share_65_plus_pct", 29.2, "2019", "scb_age", "Ragunda", compare=20.0)
    old = PlaceContext(share_65_plus_pct=29.2, national_share_65_plus_pct=20.0, facts=(fact,))
    assert ContextTag.AGEING in old.tags()
    recs = recommend(results, cat, old, Params(min_quick_wins=0, min_long_term=0))
    assert recs.recommendations[0].action_id == "for_ageing"
    context_reason = next(r for r in recs.recommendations[0].reasons if r.kind == "context")
    assert context_reason.values["value"] == 29.2
    assert context_reason.values["source"] == "scb_age"


def test_gap_between_place_and_industry_favours_joint_actions(framework):
    rows = uniform(framework, 10, 4, "residents", skills_supply=6) + uniform(
        framework, 10, 4, "industry_management", skills_supply=1
    )
    cat = Catalogue(
        framework.id,
        [
            action("alone", {"skills_supply": 3}),
            action("together", {"skills_supply": 3}, lead_actors=("jointly",)),
        ],
    )
    recs = recommend(
        score(responses(framework, rows)),
        cat,
        PlaceContext(),
        Params(min_quick_wins=0, min_long_term=0),
    )
    assert recs.recommendations[0].action_id == "together"
    gap = next(r for r in recs.recommendations[0].reasons if r.kind == "group_gap")
    assert (gap.values["high_group"], gap.values["low_group"]) == (
        "residents",
        "industry_management",
    )


def test_deterministic(framework, catalogue):
    rows = uniform(framework, 15, 4, "residents", housing=2, mobility=3)
    results = score(responses(framework, rows))
    first = [r.action_id for r in recommend(results, catalogue).recommendations]
    assert first == [r.action_id for r in recommend(results, catalogue).recommendations]


@st.composite
def scored(draw, framework):
    n = draw(st.integers(3, 25))
    rows = []
    for _ in range(n):
        row = {"group": draw(st.sampled_from(["residents", "industry_employees", "young_people"]))}
        for qid in framework.question_ids:
            row[qid] = draw(st.one_of(st.integers(1, 7), st.just("?")))
        row["priorities"] = draw(
            st.lists(st.sampled_from(list(framework.theme_ids)), max_size=3, unique=True)
        )
        rows.append(row)
    return score(responses(framework, rows))


@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_every_reason_refers_to_real_inputs(framework, catalogue, data):
    results = data.draw(scored(framework))
    recs = recommend(results, catalogue, PlaceContext())
    groups = {g.group.key for g in results.groups}
    for rec in recs.recommendations:
        for reason in rec.reasons:
            if reason.theme is not None:
                assert reason.theme in rec.action.themes  # only themes the action addresses
            if reason.kind == "theme_need":
                theme = results.theme(reason.theme)
                assert reason.values["score"] == pytest.approx(round(theme.score, 2))
                assert reason.values["n"] == theme.n
                assert reason.values["priority_share"] == pytest.approx(
                    round(theme.priority_share, 3)
                )
            if reason.kind == "group_gap":
                gap = results.gap(reason.theme)
                assert gap is not None
                assert {reason.values["high_group"], reason.values["low_group"]} <= groups
                assert reason.values["difference"] == pytest.approx(round(gap.difference, 2))
            if reason.kind == "no_data":
                assert results.theme(reason.theme).n == 0
    ranks = [r.rank for r in recs.recommendations]
    assert ranks == list(range(1, len(ranks) + 1))
    assert len({r.action_id for r in recs.recommendations}) == len(ranks)


def test_scores_are_not_nan(framework, catalogue):
    recs = recommend(score(responses(framework, [{"group": "residents"}])), catalogue)
    assert all(np.isfinite(r.score) for r in recs.recommendations)
