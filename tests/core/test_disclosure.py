"""Public figures never rest on fewer than k people, not even by subtraction."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from platsa.core.analysis import disclosure
from platsa.core.analysis.scoring import score
from tests.core.helpers import DK, responses, uniform

K = 5


def test_small_group_hidden_and_its_complement_too(framework):
    # 20 residents and 1 employer: showing residents would reveal the employer by subtraction.
    rows = uniform(framework, 20, 4, "residents") + uniform(framework, 1, 1, "industry_management")
    rules = disclosure.public(score(responses(framework, rows)), K)
    assert rules.groups == ()
    assert rules.hidden_groups == 2
    assert rules.shows_theme("housing")  # the total of 21 people is fine


def test_groups_shown_when_the_rest_is_large_enough(framework):
    rows = (
        uniform(framework, 20, 4, "residents")
        + uniform(framework, 8, 3, "young_people")
        + uniform(framework, 2, 1, "industry_management")
        + uniform(framework, 4, 2, "municipal_staff")
    )
    rules = disclosure.public(score(responses(framework, rows)), K)
    # Hidden: 2 + 4 = 6 people >= 5, so residents and young people can be shown.
    assert rules.groups == ("residents", "young_people")
    assert rules.shows_cell("housing", "residents")


def test_cells_with_few_ratings_are_hidden_with_their_complement(framework):
    rows = uniform(framework, 10, 4, "residents") + uniform(framework, 10, 5, "young_people")
    for row in rows[10:17]:
        row["mobility"] = DK  # only 3 young people rate mobility
    rules = disclosure.public(score(responses(framework, rows)), K)
    assert not rules.shows_cell("mobility", "young_people")
    assert not rules.shows_cell("mobility", "residents")  # else 13 - 10 = 3 would be exposed
    assert rules.shows_cell("housing", "young_people")


def test_too_few_respondents_show_nothing(framework):
    rules = disclosure.public(score(responses(framework, uniform(framework, 4, 4, "residents"))), K)
    assert rules.groups == ()
    assert not rules.themes


groups = st.sampled_from(["residents", "young_people", "industry_management", None])


@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_no_shown_figure_or_remainder_below_k(framework, data):
    n = data.draw(st.integers(1, 40))
    rows = []
    for _ in range(n):
        row = {"group": data.draw(groups)}
        row["housing"] = data.draw(st.one_of(st.integers(1, 7), st.just(DK)))
        row["mobility"] = data.draw(st.one_of(st.integers(1, 7), st.just(DK)))
        rows.append(row)
    results = score(responses(framework, rows))
    rules = disclosure.public(results, K)
    shown = [g for g in results.groups if rules.shows_group(g.group.key)]
    assert all(g.respondents >= K for g in shown)
    rest = results.respondents - sum(g.respondents for g in shown)
    assert rest == 0 or rest >= K or not rules.themes  # below K in all, nothing is shown
    for theme in results.themes:
        tid = theme.theme_id
        if not rules.shows_theme(tid):
            assert not any(rules.shows_cell(tid, g.group.key) for g in results.groups)
            continue
        assert theme.n >= K
        visible = [g.theme(tid).n for g in shown if rules.shows_cell(tid, g.group.key)]
        assert all(v >= K for v in visible)
        remainder = theme.n - sum(visible)
        assert remainder == 0 or remainder >= K


def test_organisers_see_every_group_but_no_score_of_under_three_ratings(framework):
    rows = uniform(framework, 12, 5, "residents") + uniform(framework, 2, 2, "young_people")
    rules = disclosure.everything(score(responses(framework, rows)))
    assert rules.shows_group("young_people")  # the group and its count are shown
    assert not rules.shows_cell("housing", "young_people")  # its mean of two is not
    assert rules.shows_cell("housing", "residents")
    assert rules.shows_theme("housing")
