"""Reasons, guardrail notices and the summary as sentences: what every surface prints.

The texts are checked in English (the message ids), so that a test does not depend on the
Swedish catalogue being compiled; Swedish goes through the same functions with another
translator."""

from __future__ import annotations

import re

import pytest

from platsa.core.analysis.recommend import (
    Notice,
    Reason,
    Recommendation,
    RecommendationSet,
    recommend,
)
from platsa.core.analysis.scoring import score
from platsa.core.render.explain import (
    cost_label,
    currency_for,
    describe_notice,
    describe_reason,
    explain_list,
    group_name,
    size_phrase,
    summarise,
)
from platsa.core.schema.catalogue import Action
from platsa.core.schema.dataset import GroupInfo
from tests.core.helpers import responses, uniform

RAW_IDS = ("industry_management", "industry_employees", "young_people", "municipal_staff")


def _action(action_id: str, themes: dict[str, int], **extra) -> Action:
    text = {"sv": action_id, "en": action_id}
    return Action.model_validate(
        {
            "id": action_id,
            "title": text,
            "summary": text,
            "description": text,
            "themes": themes,
            "effort": "low",
            "cost_band": "low",
            "horizon": "short",
            "lead_actors": ["municipality"],
            **extra,
        }
    )


def _need(theme: str, score: float, share: float = 0.3) -> Reason:
    return Reason(
        "theme_need",
        theme,
        {
            "score": score,
            "low": score - 0.2,
            "high": score + 0.2,
            "n": 40,
            "priority_share": share,
            "scale_min": 1,
            "scale_max": 7,
        },
    )


def _rec(rank: int, action: Action, reasons: list[Reason]) -> Recommendation:
    return Recommendation(
        action=action,
        rank=rank,
        score=1.0,
        standalone_score=1.0,
        base=1.0,
        joint=0.0,
        context_multiplier=1.0,
        reasons=tuple(reasons),
        in_portfolio=True,
    )


# --- group labels -------------------------------------------------------------------------


def test_a_group_is_named_by_its_label_never_by_its_id(framework):
    assert group_name("industry_management", framework, "en") == "Employer or industry management"
    assert group_name("industry_management", framework, "sv") == (
        "Arbetsgivare eller företagsledning"
    )
    # The round's own label wins; a free-text group from a file is its own label.
    assert group_name("residents", framework, "en", {"residents": "Byborna"}) == "Byborna"
    assert group_name("Sommargäster", framework, "en") == "Sommargäster"


def test_gap_reason_names_groups_by_label_even_without_a_mapping(framework):
    gap = Reason(
        "group_gap",
        "skills_supply",
        {"high_group": "residents", "high_score": 4.0, "low_group": "industry_management"}
        | {"low_score": 1.0},
    )
    text = describe_reason(gap, framework, language="en")
    assert "Employer or industry management: 1.0" in text
    assert not any(raw in text for raw in RAW_IDS)


# --- the new kinds of reasons ---------------------------------------------------------------


def test_comment_match_quotes_the_comment_and_says_where_it_was_written(framework):
    one = Reason(
        "comment_match",
        "services",
        {"quote": "Affären stängde i våras.", "comment_kind": "better", "matches": 1},
    )
    text = describe_reason(one, framework, language="en")
    assert "“Affären stängde i våras.”" in text
    assert "“What could be better?”" in text
    assert "Services" in text
    many = Reason("comment_match", "services", {**one.values, "matches": 4})
    assert describe_reason(many, framework, language="en").startswith("4 comments on Services")


@pytest.mark.parametrize(
    ("allowed", "expected"),
    [
        (["village", "small_town"], "fewer than 10,000 inhabitants"),
        (["town", "city"], "at least 10,000 inhabitants"),
        (["small_town", "town"], "1,000–49,999 inhabitants"),
        (["village"], "fewer than 1,000 inhabitants"),
    ],
)
def test_sizes_are_said_as_inhabitants(allowed, expected):
    assert size_phrase(allowed, "en") == expected


def test_an_unknown_precondition_says_what_to_check(framework):
    size = Reason(
        "precondition_unknown", values={"what": "size_class", "allowed": ["village", "small_town"]}
    )
    assert describe_reason(size, framework, language="en") == (
        "Check that the place has fewer than 10,000 inhabitants: its size is not known."
    )
    trend = Reason("precondition_unknown", values={"what": "trend", "allowed": ["declining"]})
    assert "Check that the population is declining" in describe_reason(
        trend, framework, language="en"
    )
    country = Reason("precondition_unknown", values={"what": "country", "allowed": ["NO", "FI"]})
    assert "Norway and Finland" in describe_reason(country, framework, language="en")
    employer = Reason("precondition_unknown", values={"what": "large_employer"})
    assert describe_reason(employer, framework, language="en").startswith(
        "Check whether the place has a large employer"
    )


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (
            {"what": "trend", "allowed": ["declining"], "actual": "growing"},
            "population is declining, and here it is growing",
        ),
        ({"what": "country", "allowed": ["SE"], "actual": "NO"}, "in Sweden, and this place is"),
        ({"what": "large_employer"}, "needs a large employer"),
        ({"what": "industry_employer"}, "needs a large employer"),  # the old key
    ],
)
def test_failed_preconditions_say_why_the_action_is_left_out(framework, values, expected):
    text = describe_reason(Reason("precondition_failed", values=values), framework, language="en")
    assert text.startswith("Left out:")
    assert expected in text


def test_a_density_rule_is_platsas_and_only_the_data_are_credited(framework):
    skr = Reason("context", values={"tag": "remote", "source": "skr_groups", "area": "Ragunda"})
    text = describe_reason(skr, framework, language="en")
    assert "SKR" in text
    assert "Platsa counts" in text
    assert "SCB" not in text
    density = Reason(
        "context", values={"tag": "remote", "source": "fi_population", "area": "Savukoski"}
    )
    text = describe_reason(density, framework, language="en")
    assert "fewer than 10 inhabitants per km²" in text
    assert "Platsa counts that as rural" in text
    assert "Statistics Finland" in text  # the figures' publisher, named as the data's source


# --- notices -------------------------------------------------------------------------------


def test_every_notice_has_a_sentence(framework):
    few = describe_notice(Notice("few_respondents", {"respondents": 6, "minimum": 30}), framework)
    assert few.startswith("Based on 6 answers: treat the list as tentative")
    none = describe_notice(Notice("no_ratings", {"respondents": 4}), framework)
    assert none.startswith("No recommendations")
    strong = describe_notice(Notice("all_strong", {"threshold": 5.5}), framework, "en")
    assert "5.5 or more of 7" in strong
    assert "keep what works" in strong
    assert "scores 5,5" in describe_notice(Notice("all_strong", {"threshold": 5.5}), framework)
    small = describe_notice(
        Notice("small_group", {"groups": ["industry_management"], "minimum": 10}),
        framework,
        "en",
    )
    assert "fewer than 10 people" in small
    assert "Employer or industry management" in small
    assert "industry_management" not in small
    unnamed = describe_notice(Notice("small_group", {"groups": [], "minimum": 10}), framework)
    assert "some groups" in unnamed
    unclear = describe_notice(Notice("no_clear_need", {"threshold": 5.5}), framework)
    assert unclear.startswith("No theme stands out")


def test_a_tiny_round_is_labelled_tentative(framework, catalogue):
    """Engine-dependent: six answers give the ``few_respondents`` notice."""
    rows = uniform(framework, 6, 3, priorities=["housing"])
    results = score(responses(framework, rows))
    recs = recommend(results, catalogue)
    assert recs.tentative
    summary = summarise(results, recs, framework, language="en")
    [notice] = [n for n in summary.notices if n.key == "few_respondents"]
    assert notice.text.startswith("Based on 6 answers")


def test_nothing_rated_gives_no_list_and_says_why(framework, catalogue):
    """Engine-dependent: all "don't know" gives ``no_ratings`` and no recommendations."""
    rows = uniform(framework, 40, "?")
    results = score(responses(framework, rows))
    recs = recommend(results, catalogue)
    assert recs.recommendations == ()
    summary = summarise(results, recs, framework, language="en")
    assert [n.key for n in summary.notices] == ["no_ratings"]
    assert summary.actions == ()
    assert summary.weakest == ()


# --- one card per action, no sentence twice -------------------------------------------------


def test_at_most_three_reasons_shown_and_the_rest_kept(framework):
    action = _action("a", {"housing": 3, "mobility": 2, "services": 2, "safety": 1})
    reasons = [
        _need("housing", 2.0),
        _need("mobility", 2.5),
        _need("services", 3.0),
        _need("safety", 3.5),
        Reason("quick_win", None, {"horizon": "short"}),
    ]
    [card] = explain_list([_rec(1, action, reasons)], framework, language="en")
    assert len(card.shown) == 3
    assert card.shown[0].startswith("Housing scores 2.0")  # strongest first, as given
    assert len(card.more) == 1
    assert card.tags == ("Quick win",)  # a tag, not a sentence repeated on every quick win


def test_a_sentence_is_said_once_down_the_list(framework):
    first = _action("a", {"housing": 3})
    second = _action("b", {"housing": 2, "mobility": 3})
    check = Reason(
        "precondition_unknown", values={"what": "size_class", "allowed": ["village", "small_town"]}
    )
    gap = Reason(
        "group_gap",
        "housing",
        {"high_group": "residents", "high_score": 4.0, "low_group": "industry_management"}
        | {"low_score": 2.0},
    )
    cards = explain_list(
        [
            _rec(1, first, [_need("housing", 2.0), gap, check]),
            _rec(2, second, [_need("mobility", 2.5), _need("housing", 2.0), gap, check]),
        ],
        framework,
        language="en",
    )
    sentences = [s for card in cards for s in (*card.shown, *card.more)]
    assert len(sentences) == len(set(sentences))
    assert [s.split(" scores")[0] for s in cards[1].shown] == ["Getting around"]
    assert cards[1].tags == ("To check: the place's size",)


def test_a_well_rated_theme_is_never_given_as_a_need(framework):
    """The engine decides what is weak (one rule, in recommend.py); its reasons read as
    sentences never name a theme at 5.6 as a need, however strongly the action works on it."""
    from platsa.core.schema.catalogue import Catalogue

    rows = uniform(framework, 40, 4, "residents", housing=2, community=6, priorities=["housing"])
    rows = [dict(r, community=5 if i % 5 == 0 else 6) for i, r in enumerate(rows)]  # 5.8
    action = _action("a", {"housing": 3, "community": 3})
    recs = recommend(score(responses(framework, rows)), Catalogue(framework.id, [action]))
    assert recs.need("community").is_strong
    [card] = explain_list(recs.recommendations, framework, language="en")
    assert any("Housing" in s for s in card.shown)
    assert not any("Community" in s for s in (*card.shown, *card.more))


def test_hidden_reasons_are_left_out(framework):
    action = _action("a", {"housing": 3})
    [card] = explain_list(
        [_rec(1, action, [_need("housing", 2.5)])],
        framework,
        language="en",
        keep=lambda reason: reason.kind != "theme_need",
    )
    assert card.shown == ()


# --- the summary ------------------------------------------------------------------------


def _gap_round(framework):
    rows = uniform(framework, 15, 5, group="residents", housing=2, skills_supply=6)
    rows += uniform(framework, 15, 5, group="industry_management", housing=3, skills_supply=1)
    for row in rows[:20]:
        row["priorities"] = ["housing"]
    return score(responses(framework, rows))


def test_summary_has_the_weakest_themes_the_biggest_disagreement_and_five_actions(
    framework, catalogue
):
    """Engine-dependent (the portfolio): five actions, each one line."""
    results = _gap_round(framework)
    recs = recommend(results, catalogue)
    summary = summarise(results, recs, framework, language="en", currency="NOK")
    assert [i.key for i in summary.weakest][:2] == ["housing", "skills_supply"]
    assert len(summary.weakest) == 3
    assert summary.weakest[0].text == "Housing: 2.5 of 7, a priority for 100 %"
    assert summary.disagreement is not None
    assert summary.disagreement.text == (
        "Skills supply: Residents give 6.0, Employer or industry management 1.0"
    )
    assert len(summary.actions) == 5
    assert all("NOK" in a.text and "\n" not in a.text for a in summary.actions)
    assert len({a.text for a in summary.actions}) == 5
    data = summary.as_dict()
    assert set(data) == {"weakest_themes", "disagreement", "actions"}


def test_summary_shows_only_what_the_rules_allow(framework, catalogue):
    results = _gap_round(framework)
    recs = RecommendationSet((), (), (), recommend(results, catalogue).params)
    hidden = summarise(
        results,
        recs,
        framework,
        language="en",
        shows_theme=lambda t: t != "skills_supply",
        shows_cell=lambda t, g: g != "industry_management",
    )
    assert "skills_supply" not in [i.key for i in hidden.weakest]
    assert hidden.disagreement is None


def test_costs_in_the_places_currency():
    assert currency_for("NO") == "NOK"
    assert currency_for("FI") == "EUR"
    assert currency_for(None) == "SEK"
    assert cost_label("low", "EUR", "en") == "Under 10,000 EUR"
    assert cost_label("high", "SEK", "en") == "1–10 million SEK"
    assert cost_label("medium", "NOK", "en") == "100,000–1 million NOK"
    assert re.fullmatch(r"Under 100\s000 SEK", cost_label("low", "SEK", "sv"))


def test_engine_reasons_read_as_sentences_for_every_profile(framework, catalogue):
    """Engine-dependent: on the realistic profiles, every reason of the portfolio has a text,
    no raw group id, and the cards repeat no sentence."""
    from tests.core.profiles import load_profile, profile_names

    for key in profile_names():
        profile = load_profile(key, framework)
        results = score(profile.responses)
        recs = recommend(results, catalogue, profile.context, comments=profile.responses.comments)
        labels = {g.group.key: g.group.label for g in results.groups}
        cards = explain_list(recs.portfolio, framework, language="en", group_labels=labels)
        sentences = [s for card in cards for s in (*card.shown, *card.more)]
        assert sentences, key
        assert len(sentences) == len(set(sentences)), key
        assert all(len(card.shown) <= 3 for card in cards), key
        for rec in recs.portfolio:
            for reason in rec.reasons:
                text = describe_reason(reason, framework, language="en", group_labels=labels)
                assert text, (key, reason)
                assert text != reason.kind, (key, reason)
                assert not any(raw in text for raw in RAW_IDS), (key, text)


def test_group_info_without_a_side_is_named_as_written(framework):
    groups = [GroupInfo("Sommargäster", "Sommargäster"), GroupInfo("residents", "residents")]
    labels = {g.key: group_name(g.label, framework, "en") for g in groups}
    assert labels == {"Sommargäster": "Sommargäster", "residents": "Residents"}
