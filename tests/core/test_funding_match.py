"""The funding matcher: which programmes an action of a plan is shown, in what order, why.

Most tests build their own small programmes, so that they test the rules and not today's
data; the last ones run the matcher on the real catalogue and funding file."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest

from platsa.core.analysis.funding_match import (
    APPLICANT_WEIGHT,
    NAMED_WEIGHT,
    Budget,
    FundingMatch,
    ReasonKind,
    currency_of,
    match_action,
    match_funding,
)
from platsa.core.schema.catalogue import FundingSource, load_catalogue
from platsa.core.schema.frameworks import load_frameworks


def source(key: str, **fields: Any) -> FundingSource:
    data: dict[str, Any] = {
        "id": key,
        "name": {"sv": key, "en": key},
        "publisher": "Test",
        "countries": ["SE"],
        "funds": {"sv": "Något.", "en": "Something."},
        "url": "https://example.org/",
    }
    data.update(fields)
    return FundingSource.model_validate(data)


def ids(matches: tuple[FundingMatch, ...]) -> list[str]:
    return [m.source.id for m in matches]


def by_id(matches: tuple[FundingMatch, ...], key: str) -> FundingMatch:
    return next(m for m in matches if m.source.id == key)


def test_only_programmes_of_the_places_country():
    sources = [
        source("se_fund", themes=["housing"]),
        source("no_fund", countries=["NO"], themes=["housing"]),
        source("nordic", countries=["SE", "NO", "FI"], themes=["housing"]),
        # named by the action, but it does not exist in Sweden
        source("fi_named", countries=["FI"]),
    ]
    got = match_funding(sources, country="SE", themes={"housing": 3}, named=["fi_named"])
    assert set(ids(got)) == {"se_fund", "nordic"}
    got_no = match_funding(sources, country="NO", themes={"housing": 3})
    assert set(ids(got_no)) == {"no_fund", "nordic"}


def test_a_programme_named_by_the_action_comes_first_even_without_themes():
    sources = [
        source("strong_fit", themes=["housing", "services", "community"]),
        source("named", themes=[]),
    ]
    got = match_funding(
        sources,
        country="SE",
        themes={"housing": 3, "services": 3, "community": 3},
        named=["named"],
    )
    assert ids(got) == ["named", "strong_fit"]
    assert got[0].kinds == (ReasonKind.NAMED_BY_ACTION,)
    assert got[0].score == NAMED_WEIGHT


def test_a_named_programme_the_lead_cannot_apply_to_still_comes_before_unnamed_ones():
    sources = [
        source("municipal_only", applicants=["municipality"]),
        source(
            "perfect",
            themes=["housing", "services", "community", "safety"],
            applicants=["association"],
        ),
    ]
    got = match_funding(
        sources,
        country="SE",
        themes={"housing": 3, "services": 3, "community": 3, "safety": 3},
        lead="association",
        named=["municipal_only"],
    )
    assert ids(got) == ["municipal_only", "perfect"]
    assert got[0].score < got[1].score  # the score tells the truth, the order the editor's
    assert got[0].named
    assert not got[1].named


def test_programmes_that_fit_the_main_theme_rank_above_side_themes():
    sources = [
        source("side", themes=["community", "culture_leisure"]),
        source("main", themes=["housing"]),
        source("unrelated", themes=["mobility"]),
        source("one_side_theme", themes=["community"]),
    ]
    themes = {"housing": 3, "community": 1, "culture_leisure": 1}
    got = match_funding(sources, country="SE", themes=themes)
    # one side theme alone (strength 1) is too weak to show; no shared theme never shows
    assert ids(got) == ["main", "side"]
    side = by_id(got, "side").reason(ReasonKind.THEME)
    assert side is not None
    assert side.values["themes"] == ("community", "culture_leisure")


def test_shared_themes_are_listed_strongest_first():
    got = match_funding(
        [source("broad", themes=["community", "housing", "services"])],
        country="SE",
        themes={"community": 1, "housing": 3, "services": 2},
    )
    reason = got[0].reason(ReasonKind.THEME)
    assert reason is not None
    assert reason.values["themes"] == ("housing", "services", "community")


def test_a_list_of_themes_counts_each_as_a_main_theme():
    got = match_funding(
        [source("a", themes=["housing"]), source("b", themes=["mobility"])],
        country="SE",
        themes=["housing"],
    )
    assert ids(got) == ["a"]


def test_a_lead_who_cannot_apply_excludes_an_unnamed_programme():
    sources = [
        source("for_associations", themes=["community"], applicants=["association"]),
        source("for_municipalities", themes=["community"], applicants=["municipality"]),
        source("not_stated", themes=["community"]),
    ]
    got = match_funding(sources, country="SE", themes={"community": 3}, lead="association")
    assert ids(got) == ["for_associations", "not_stated"]
    fits = by_id(got, "for_associations")
    assert fits.score == by_id(got, "not_stated").score + APPLICANT_WEIGHT
    reason = fits.reason(ReasonKind.APPLICANT)
    assert reason is not None
    assert reason.values == {"lead": "association", "via": "association"}
    assert by_id(got, "not_stated").reason(ReasonKind.APPLICANT) is None


def test_a_named_programme_the_lead_cannot_apply_to_stays_lowered_and_flagged():
    sources = [
        source("lona_like", themes=["nature_environment"], applicants=["municipality"]),
        source("open", themes=["nature_environment"], applicants=["association"]),
    ]
    got = match_funding(
        sources,
        country="SE",
        themes={"nature_environment": 3},
        lead="association",
        named=["lona_like", "open"],
    )
    assert ids(got) == ["open", "lona_like"]
    mismatch = by_id(got, "lona_like").reason(ReasonKind.APPLICANT_MISMATCH)
    assert mismatch is not None
    assert mismatch.values == {"lead": "association", "applicants": ("municipality",)}
    assert by_id(got, "lona_like").score < by_id(got, "open").score


def test_industry_leads_apply_as_companies():
    sources = [
        source("companies", themes=["work_business"], applicants=["company"]),
        source("associations", themes=["work_business"], applicants=["association"]),
    ]
    got = match_funding(sources, country="SE", themes={"work_business": 2}, lead="industry")
    assert ids(got) == ["companies"]


def test_a_joint_action_prefers_partnerships_but_a_partner_can_apply():
    sources = [
        source("partners", themes=["collaboration"], applicants=["partnership"]),
        source("municipal", themes=["collaboration"], applicants=["municipality"]),
        source("research_only", themes=["collaboration"], applicants=["research"]),
    ]
    got = match_funding(sources, country="SE", themes={"collaboration": 3}, lead="jointly")
    assert ids(got) == ["partners", "municipal"]
    via = by_id(got, "municipal").reason(ReasonKind.APPLICANT)
    assert via is not None
    assert via.values == {"lead": "jointly", "via": "municipality"}
    assert by_id(got, "partners").score - by_id(got, "municipal").score == APPLICANT_WEIGHT / 2


AMOUNTS = {"min": 20_000, "max": 50_000, "currency": "SEK", "source": "https://example.org/a"}


@pytest.mark.parametrize(
    ("budget", "kind"),
    [
        (30_000, ReasonKind.AMOUNT_FITS),
        (20_000, ReasonKind.AMOUNT_FITS),
        (50_000, ReasonKind.AMOUNT_FITS),
        (400_000, ReasonKind.AMOUNT_TOO_SMALL),
        (5_000, ReasonKind.AMOUNT_TOO_LARGE),
    ],
)
def test_amount_reasons(budget, kind):
    got = match_funding(
        [source("sized", themes=["community"], amounts=AMOUNTS)],
        country="SE",
        themes={"community": 3},
        budget=Budget(budget, "SEK"),
    )
    reason = got[0].reason(kind)
    assert reason is not None, got[0].kinds
    assert reason.values == {"budget": budget, "currency": "SEK", "min": 20_000, "max": 50_000}
    others = {ReasonKind.AMOUNT_FITS, ReasonKind.AMOUNT_TOO_SMALL, ReasonKind.AMOUNT_TOO_LARGE}
    assert [k for k in got[0].kinds if k in others] == [kind]


def test_a_fitting_amount_ranks_above_a_misfit_and_an_unknown_amount_is_neutral():
    sources = [
        source("fits", themes=["community"], amounts=AMOUNTS),
        source("floor_too_high", themes=["community"], amounts={**AMOUNTS, "min": 45_000}),
        source("too_small", themes=["community"], amounts={**AMOUNTS, "max": 25_000}),
        source("unknown", themes=["community"]),
    ]
    got = match_funding(
        sources, country="SE", themes={"community": 3}, budget=Budget(40_000, "SEK")
    )
    assert ids(got) == ["fits", "unknown", "too_small", "floor_too_high"]
    assert by_id(got, "unknown").kinds == (ReasonKind.THEME,)


def test_no_amount_reason_without_a_budget_or_in_another_currency():
    fund = source("sized", themes=["community"], amounts=AMOUNTS)
    for budget in (None, Budget(30_000, "EUR")):
        got = match_funding([fund], country="SE", themes={"community": 3}, budget=budget)
        assert got[0].kinds == (ReasonKind.THEME,)


def test_staged_payment_is_flagged():
    sources = [
        source("stages", themes=["community"], staged=True),
        source("afterwards", themes=["community"], staged=False),
        source("unsaid", themes=["community"]),
    ]
    got = match_funding(sources, country="SE", themes={"community": 3})
    assert ReasonKind.STAGED in by_id(got, "stages").kinds
    assert ReasonKind.PAID_AFTERWARDS in by_id(got, "afterwards").kinds
    assert by_id(got, "unsaid").kinds == (ReasonKind.THEME,)
    # staged payment breaks the tie in its favour
    assert ids(got)[0] == "stages"


def test_the_order_is_deterministic():
    sources = [source(f"fund_{n}", themes=["community"]) for n in range(12)]
    first = match_funding(sources, country="SE", themes={"community": 2})
    shuffled = sources[:]
    random.Random(4).shuffle(shuffled)
    again = match_funding(shuffled, country="SE", themes={"community": 2})
    assert ids(first) == ids(again) == sorted(ids(first))
    assert ids(match_funding(sources, country="SE", themes={"community": 2}, limit=3)) == [
        "fund_0",
        "fund_1",
        "fund_10",
    ]


def test_reasons_are_json_ready():
    got = match_funding(
        [
            source(
                "all",
                themes=["community", "housing"],
                applicants=["association"],
                amounts=AMOUNTS,
                staged=True,
            )
        ],
        country="SE",
        themes={"community": 2, "housing": 1},
        lead="association",
        budget=Budget(30_000, "SEK"),
        named=["all"],
    )
    data = [r.as_dict() for r in got[0].reasons]
    assert json.loads(json.dumps(data)) == [
        {"kind": "named_by_action"},
        {"kind": "theme", "themes": ["community", "housing"]},
        {"kind": "applicant", "lead": "association", "via": "association"},
        {"kind": "amount_fits", "budget": 30_000, "currency": "SEK", "min": 20_000, "max": 50_000},
        {"kind": "staged"},
    ]


def test_bad_input_is_refused():
    fund = [source("a", themes=["community"])]
    with pytest.raises(ValueError, match="unknown lead"):
        match_funding(fund, country="SE", themes=["community"], lead="church")
    with pytest.raises(ValueError, match="unknown country"):
        match_funding(fund, country="DK", themes=["community"])
    with pytest.raises(ValueError, match="negative"):
        Budget(-1, "SEK")
    with pytest.raises(ValueError, match="currency"):
        Budget(1, "DKK")


def test_currency_of():
    assert [currency_of(c) for c in ("SE", "no", "FI")] == ["SEK", "NOK", "EUR"]


# --- With the real catalogue and funding file ---------------------------------------------


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue(load_frameworks()["place-attractiveness"])


def test_every_catalogue_action_gets_its_named_funders_first(catalogue):
    for action in catalogue:
        countries = [c.value for c in action.preconditions.countries] or ["SE", "NO", "FI"]
        for country in countries:
            got = match_action(action, catalogue.funding, country=country)
            named_here = {f.id for f in catalogue.funding_for(action, country)}
            assert set(ids(got)[: len(named_here)]) == named_here, (action.id, country)
            assert all(country in m.source.countries for m in got), (action.id, country)


def test_a_village_association_in_sweden_finds_leader_with_its_advance(catalogue):
    action = next(a for a in catalogue if "leader" in a.funding and "community" in a.themes)
    got = match_action(action, catalogue.funding, country="SE", lead="association")
    leader = by_id(got, "leader")
    assert ReasonKind.STAGED in leader.kinds
    assert leader.source.staged_source
    assert "leader" not in ids(match_action(action, catalogue.funding, country="NO"))


def test_a_small_neighbourhood_project_fits_the_neighbourhood_grant(catalogue):
    got = match_funding(
        catalogue.funding,
        country="SE",
        themes={"community": 3, "public_spaces": 2},
        lead="association",
        budget=Budget(30_000, "SEK"),
    )
    assert ReasonKind.AMOUNT_FITS in by_id(got, "postkodstiftelsen_grannskap").kinds
    assert ReasonKind.AMOUNT_TOO_LARGE in by_id(got, "postkodstiftelsen").kinds
    assert ids(got).index("postkodstiftelsen_grannskap") < ids(got).index("postkodstiftelsen")
    # a municipality-only programme is not offered to an association that does not name it
    assert "hemsandningsbidrag" not in ids(got)
