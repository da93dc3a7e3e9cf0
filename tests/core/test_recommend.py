"""The recommendation engine: needs, portfolio, preconditions, context and explanations."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from platsa.core.analysis.context import Fact, PlaceContext
from platsa.core.analysis.recommend import DEFAULT_PARAMS, Params, recommend, theme_needs
from platsa.core.analysis.scoring import score
from platsa.core.analysis.similarity import PlaceProfile
from platsa.core.schema.catalogue import (
    Action,
    Catalogue,
    ContextTag,
    Country,
    Example,
    Remoteness,
    SizeClass,
    SourceRef,
)
from platsa.core.schema.dataset import CommentEntry
from platsa.core.schema.texts import LocalText
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


NO_QUOTAS = Params(min_quick_wins=0, min_long_term=0, lead_quotas=())


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
        results,
        cat,
        PlaceContext(),
        Params(size=3, min_quick_wins=0, min_long_term=0, lead_quotas=()),
    )
    by_id = {r.action_id: r for r in recs.recommendations}
    # housing: mean 2.5, n 20, priority 0.5 -> deficit 0.75, shrunk (20*0.75+5*0.5)/25 = 0.7,
    # need 0.7*2 = 1.4; skills the same; collaboration and community at 4: not weak, need 0.5
    assert recs.need("housing").need == pytest.approx(1.4)
    assert recs.need("housing").is_need
    assert recs.need("skills_supply").is_need
    assert not recs.need("collaboration").is_need
    assert by_id["homes"].score == pytest.approx(1.4)
    # base = 1.0*1.4 + 0.5 * (2/3)*0.5 = 1.5667; gap 3.0 points / 6 = 0.5 -> joint 0.5
    assert by_id["skills_pact"].base == pytest.approx(1.4 + 0.5 * (2 / 3) * 0.5)
    assert by_id["skills_pact"].joint == pytest.approx(0.5)
    assert by_id["cafe"].score == pytest.approx((2 / 3) * 0.5)
    # Two weak themes, one place each; community is fine, so the cafe stays outside.
    assert [r.action_id for r in recs.portfolio] == ["skills_pact", "homes"]
    assert not by_id["cafe"].in_portfolio
    assert by_id["cafe"].rank == 3
    assert [r.kind for r in by_id["skills_pact"].reasons] == ["theme_need", "group_gap"]


def _no_quotas() -> dict:
    return {"min_quick_wins": 0, "min_long_term": 0, "lead_quotas": ()}


def test_allocation_follows_need(framework):
    """The theme that most people named and rated worst takes most places (up to four), and
    a theme that works well takes none, however many actions the catalogue has for it."""
    rows = uniform(framework, 40, 6, "residents", housing=1, mobility=3, priorities=["housing"])
    cat = Catalogue(
        framework.id,
        [action(f"housing_{i}", {"housing": 3}) for i in range(6)]
        + [action(f"mobility_{i}", {"mobility": 3}) for i in range(6)]
        + [action(f"safety_{i}", {"safety": 3}) for i in range(6)],
    )
    recs = recommend(score(responses(framework, rows)), cat, PlaceContext(), NO_QUOTAS)
    places = [r.theme for r in recs.portfolio]
    assert places.count("housing") == DEFAULT_PARAMS.max_per_theme
    assert 1 <= places.count("mobility") <= places.count("housing")
    assert places[:4] == ["housing"] * 4  # the dominant need first, then the next
    assert "safety" not in places
    assert recs.portfolio[0].theme == "housing"
    # Not padded with actions for themes that work: fewer than ten is honest.
    assert all(r.action.primary_theme != "safety" for r in recs.portfolio)


def test_ranks_after_the_portfolio_follow_stand_alone_merit(framework, catalogue):
    rows = uniform(framework, 40, 5, "residents", housing=1, services=2, priorities=["housing"])
    recs = recommend(score(responses(framework, rows)), catalogue, PlaceContext())
    rest = [r for r in recs.recommendations if not r.in_portfolio]
    assert [r.score for r in rest] == sorted((r.score for r in rest), reverse=True)
    # A strong housing action left outside the portfolio still ranks right after it.
    assert rest[0].action.themes.get("housing", 0) + rest[0].action.themes.get("services", 0) >= 2


def test_quotas_are_met_only_with_actions_for_a_real_need(framework):
    rows = uniform(framework, 40, 6, "residents", housing=1, priorities=["housing"])
    cat = Catalogue(
        framework.id,
        [action(f"housing_{i}", {"housing": 3}, horizon="medium") for i in range(5)]
        + [action("housing_quick", {"housing": 2}, horizon="short")]
        + [action("safety_walk", {"safety": 3}, horizon="short", lead_actors=("association",))],
    )
    recs = recommend(score(responses(framework, rows)), cat, PlaceContext())
    ids = [r.action_id for r in recs.portfolio]
    assert "housing_quick" in ids  # the quick-win quota, from a housing action
    assert "safety_walk" not in ids  # not from a theme that works (safety is 6 of 7)


def test_preconditions_work_both_ways_with_reasons(framework):
    cat = Catalogue(
        framework.id,
        [
            action("village_only", {"housing": 3}, preconditions={"size_classes": ["village"]}),
            action("towns_only", {"housing": 3}, preconditions={"size_classes": ["town", "city"]}),
            action(
                "needs_employer", {"housing": 3}, preconditions={"requires_large_employer": True}
            ),
            action("old_key", {"housing": 3}, preconditions={"requires_industry_employer": True}),
            action("rural_only", {"housing": 3}, preconditions={"remoteness": ["rural"]}),
            action("declining_only", {"housing": 3}, preconditions={"trends": ["declining"]}),
            action("norway_only", {"housing": 3}, preconditions={"countries": ["NO"]}),
            action("any", {"housing": 2}),
        ],
    )
    results = score(responses(framework, uniform(framework, 10, 3, "residents")))
    city = PlaceContext(
        size_class=SizeClass.CITY,
        has_large_employer=False,
        remoteness=Remoteness.URBAN,
        population_change_pct=8.0,
        country=Country.SE,
    )
    recs = recommend(results, cat, city, NO_QUOTAS)
    assert {r.action_id for r in recs.recommendations} == {"towns_only", "any"}
    reasons = {e.action.id: e.reasons[0].values["what"] for e in recs.excluded}
    assert reasons == {
        "village_only": "size_class",
        "needs_employer": "large_employer",
        "old_key": "large_employer",
        "rural_only": "remoteness",
        "declining_only": "trend",
        "norway_only": "country",
    }
    village = PlaceContext(size_class=SizeClass.VILLAGE, country=Country.NO)
    recs = recommend(results, cat, village, NO_QUOTAS)
    assert "towns_only" in {e.action.id for e in recs.excluded}  # too large for a village
    assert "village_only" in {r.action_id for r in recs.recommendations}


def test_an_unknown_precondition_lowers_the_score_and_says_what_to_check(framework):
    cat = Catalogue(
        framework.id,
        [
            action("checked", {"housing": 3}),
            action("village_only", {"housing": 3}, preconditions={"size_classes": ["village"]}),
        ],
    )
    results = score(responses(framework, uniform(framework, 10, 3, "residents")))
    recs = recommend(results, cat, PlaceContext(), NO_QUOTAS)
    by_id = {r.action_id: r for r in recs.recommendations}
    assert by_id["village_only"].score == pytest.approx(
        by_id["checked"].score * DEFAULT_PARAMS.unknown_penalty
    )
    unknown = [r for r in by_id["village_only"].reasons if r.kind == "precondition_unknown"]
    assert unknown
    assert unknown[0].values == {"what": "size_class", "allowed": ["village"]}
    assert recs.recommendations[0].action_id == "checked"


def test_context_tags_boost_fitting_actions(framework):
    cat = Catalogue(
        framework.id,
        [action("plain", {"services": 3}), action("for_ageing", {"services": 3}, fits=["ageing"])],
    )
    results = score(responses(framework, uniform(framework, 10, 3, "residents")))
    fact = Fact("share_65_plus_pct", 29.2, "2019", "scb_age", "Ragunda", compare=20.0)
    old = PlaceContext(share_65_plus_pct=29.2, national_share_65_plus_pct=20.0, facts=(fact,))
    assert ContextTag.AGEING in old.tags()
    recs = recommend(results, cat, old, NO_QUOTAS)
    assert recs.recommendations[0].action_id == "for_ageing"
    context_reason = next(r for r in recs.recommendations[0].reasons if r.kind == "context")
    assert context_reason.values["value"] == 29.2
    assert context_reason.values["source"] == "scb_age"


def test_gap_between_place_and_industry_favours_really_joint_actions(framework):
    rows = uniform(framework, 10, 4, "residents", skills_supply=6) + uniform(
        framework, 10, 4, "industry_management", skills_supply=1
    )
    cat = Catalogue(
        framework.id,
        [
            action("alone", {"skills_supply": 3}),
            action("either", {"skills_supply": 3}, lead_actors=("municipality", "industry")),
            action("together", {"skills_supply": 3}, lead_actors=("jointly",)),
        ],
    )
    recs = recommend(score(responses(framework, rows)), cat, PlaceContext(), NO_QUOTAS)
    by_id = {r.action_id: r for r in recs.recommendations}
    assert recs.recommendations[0].action_id == "together"
    assert by_id["either"].joint == 0  # several possible leads is not a joint effort
    gap = next(r for r in by_id["together"].reasons if r.kind == "group_gap")
    assert (gap.values["high_group"], gap.values["low_group"]) == (
        "residents",
        "industry_management",
    )
    assert (gap.values["high_side"], gap.values["low_side"]) == ("place", "industry")


def test_no_gap_bonus_within_a_side_or_below_ten(framework):
    together = Catalogue(
        framework.id, [action("together", {"skills_supply": 3}, lead_actors=("jointly",))]
    )
    same_side = uniform(framework, 10, 4, "residents", skills_supply=6) + uniform(
        framework, 10, 4, "young_people", skills_supply=1
    )
    few = uniform(framework, 10, 4, "residents", skills_supply=6) + uniform(
        framework, 9, 4, "industry_management", skills_supply=1
    )
    for rows in (same_side, few):
        recs = recommend(score(responses(framework, rows)), together, PlaceContext(), NO_QUOTAS)
        assert recs.recommendations[0].joint == 0


def test_comments_that_ask_for_the_action_strengthen_it_with_a_quote(framework):
    rows = uniform(framework, 40, 5, "residents", services=2, priorities=["services"])
    answers = responses(framework, rows)
    comments = [
        CommentEntry(0, "services", "better", "Affären stängde, vi vill ha en lanthandel igen."),
        CommentEntry(1, "services", "better", "Byn borde ta över butiken som förening."),
        CommentEntry(2, "services", "good", "Butiken var bra."),  # praise, not a request
        CommentEntry(3, "housing", "better", "Ingen butik här heller."),  # another theme
    ]
    cat = Catalogue(
        framework.id,
        [
            action("shop", {"services": 3}, keywords={"sv": ["butik", "lanthandel"]}),
            action("other", {"services": 3}, keywords={"sv": ["vårdcentral"]}),
        ],
    )
    recs = recommend(score(answers), cat, PlaceContext(), NO_QUOTAS, comments=comments)
    by_id = {r.action_id: r for r in recs.recommendations}
    assert by_id["shop"].score == pytest.approx(
        by_id["other"].score * (1 + 2 * DEFAULT_PARAMS.comment_boost)
    )
    reason = next(r for r in by_id["shop"].reasons if r.kind == "comment_match")
    assert reason.theme == "services"
    assert reason.values["matches"] == 2
    assert reason.values["quote"] in {c.text for c in comments[:2]}
    assert not [r for r in by_id["other"].reasons if r.kind == "comment_match"]


def _example(place: str, country: str, size: str | None, code: str | None = None) -> Example:
    return Example(
        place=place,
        country=country,
        size_class=size,
        municipality_code=code,
        text=_text(place),
        source=SourceRef(title=f"About {place}"),
    )


def test_good_examples_come_nearest_first(framework):
    examples = (
        _example("Storstad", "SE", "city", "0180"),
        _example("Norsk bygd", "NO", "village", "5632"),
        _example("Svensk by", "SE", "village", "2303"),
        _example("Svensk småort", "SE", "small_town", "2104"),
    )
    cat = Catalogue(framework.id, [action("a", {"services": 3}, examples=examples)])
    results = score(responses(framework, uniform(framework, 10, 3, "residents")))
    profiles = {
        ("SE", "2303"): PlaceProfile(Remoteness.RURAL, None),
        ("SE", "2104"): PlaceProfile(Remoteness.NEAR_TOWN, None),
    }
    village = PlaceContext(
        size_class=SizeClass.VILLAGE, country=Country.SE, remoteness=Remoteness.RURAL
    )
    recs = recommend(results, cat, village, NO_QUOTAS, profile_of=lambda c, m: profiles.get((c, m)))
    assert [e.place for e in recs.recommendations[0].examples] == [
        "Svensk by",
        "Svensk småort",
        "Norsk bygd",
        "Storstad",
    ]


def test_guardrail_few_respondents_marks_the_list_tentative(framework, catalogue):
    rows = uniform(framework, 5, 4, "residents", housing=2)
    recs = recommend(score(responses(framework, rows)), catalogue, PlaceContext())
    assert recs.tentative
    notice = recs.notice("few_respondents")
    assert notice.values == {"respondents": 5, "minimum": 30}


def test_guardrail_nothing_rated_gives_no_recommendations(framework, catalogue):
    rows = uniform(framework, 40, "?", "residents")
    recs = recommend(score(responses(framework, rows)), catalogue, PlaceContext())
    assert recs.recommendations == ()
    assert [n.code for n in recs.notices] == ["no_ratings"]


def test_guardrail_all_strong_invents_no_needs(framework, catalogue):
    rows = uniform(framework, 40, 7, "residents")
    recs = recommend(score(responses(framework, rows)), catalogue, PlaceContext())
    assert recs.notice("all_strong") is not None
    assert recs.portfolio == ()
    assert not [r for rec in recs.recommendations for r in rec.reasons if r.kind == "theme_need"]


def test_guardrail_small_groups_are_named(framework, catalogue):
    rows = uniform(framework, 40, 4, "residents", housing=2) + uniform(
        framework, 4, 2, "municipal_staff"
    )
    recs = recommend(score(responses(framework, rows)), catalogue, PlaceContext())
    assert recs.notice("small_group").values == {"groups": ["municipal_staff"], "minimum": 10}


def test_well_rated_themes_are_never_cited_as_needs(framework, catalogue):
    rows = uniform(framework, 40, 6, "residents", housing=2, community=5.4, priorities=["housing"])
    recs = recommend(score(responses(framework, rows)), catalogue, PlaceContext())
    cited = {r.theme for rec in recs.recommendations for r in rec.reasons if r.kind == "theme_need"}
    assert cited == {"housing"}


def test_existing_action_ids_stay_stable(catalogue):
    """Plans point at action ids: every id the catalogue ever had must still resolve."""
    from pathlib import Path

    listed = Path(__file__).resolve().parent.parent / "data" / "catalogue_ids_2026-11.txt"
    lines = listed.read_text(encoding="utf-8").splitlines()
    ids = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    assert len(ids) == 87
    missing = [i for i in ids if catalogue.get(i) is None]
    assert missing == []


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
                assert recs.need(reason.theme).is_need  # never a well-rated theme
                theme = results.theme(reason.theme)
                assert theme.score < 5.5
                assert reason.values["score"] == pytest.approx(round(theme.score, 4))
                assert reason.values["n"] == theme.n
                assert reason.values["priority_share"] == pytest.approx(
                    round(theme.priority_share, 4)
                )
            if reason.kind == "group_gap":
                gap = results.side_gap(reason.theme)
                assert gap is not None
                assert gap.cross_side
                assert min(gap.high_n, gap.low_n) >= 10
                assert {reason.values["high_group"], reason.values["low_group"]} <= groups
                assert reason.values["difference"] == pytest.approx(round(gap.difference, 2))
    ranks = [r.rank for r in recs.recommendations]
    assert ranks == list(range(1, len(ranks) + 1))
    assert len({r.action_id for r in recs.recommendations}) == len(ranks)


def test_scores_are_not_nan(framework, catalogue):
    recs = recommend(score(responses(framework, [{"group": "residents", "housing": 3}])), catalogue)
    assert recs.recommendations
    assert all(np.isfinite(r.score) for r in recs.recommendations)
