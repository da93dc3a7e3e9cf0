"""The funding file: a full set of programmes per country, every claim with its source, and
the optional fields added later still loading from older stored JSON."""

from __future__ import annotations

from collections import Counter

import pytest
import yaml
from pydantic import ValidationError

from platsa.core.analysis.frozen import dump, load
from platsa.core.schema.catalogue import (
    CURRENCY,
    FUNDING_DIR,
    Applicant,
    Country,
    FundingSource,
    load_catalogue,
    load_funding,
)
from platsa.core.schema.frameworks import load_frameworks

COUNTRIES = ("SE", "NO", "FI")
# Programmes an association and a municipality can each apply to, at least, per country.
MIN_PER_APPLICANT = 6

# The main programmes for rural and place development that each country must have.
MAIN_PROGRAMMES = {
    "SE": (
        "leader",
        "tillvaxtverket",
        "boverket",
        "boverket_samlingslokaler",
        "jordbruksverket",
        "arvsfonden",
        "pts",
        "energimyndigheten",
        "region",
        "postkodstiftelsen",
        "coompanion",
        "lona",
    ),
    "NO": (
        "distriktssenteret",
        "innovasjon_norge",
        "fylkeskommunen",
        "husbanken",
        "kulturdirektoratet",
        "sparebankstiftelsen_dnb",
        "nkom",
        "bygdeutviklingsmidler",
        "spillemidler",
    ),
    "FI": (
        "leader_fi",
        "ely_keskus",
        "business_finland",
        "varke",
        "traficom",
        "suomen_kylat",
        "sitra",
        "maakuntaliitto",
    ),
}


@pytest.fixture(scope="module")
def funding():
    return load_funding()


@pytest.fixture(scope="module")
def frameworks():
    return load_frameworks()


def test_ids_are_unique_across_the_files():
    ids = []
    for path in sorted(FUNDING_DIR.glob("*.yaml")):
        ids += [entry["id"] for entry in yaml.safe_load(path.read_text())["funding"]]
    repeated = [key for key, n in Counter(ids).items() if n > 1]
    assert not repeated
    assert len(ids) == len(load_funding())


@pytest.mark.parametrize("country", COUNTRIES)
def test_each_country_has_its_main_programmes(funding, country):
    for key in MAIN_PROGRAMMES[country]:
        assert key in funding, key
        assert [c.value for c in funding[key].countries] == [country], key


def test_leader_is_not_in_norway(funding):
    assert not [s.id for s in funding.values() if "leader" in s.id and Country.NO in s.countries]


@pytest.mark.parametrize("country", COUNTRIES)
@pytest.mark.parametrize("applicant", [Applicant.ASSOCIATION, Applicant.MUNICIPALITY])
def test_associations_and_municipalities_each_have_programmes(funding, country, applicant):
    found = [s.id for s in funding.values() if country in s.countries and applicant in s.applicants]
    assert len(found) >= MIN_PER_APPLICANT, (country, applicant, found)


@pytest.mark.parametrize("country", COUNTRIES)
def test_every_place_theme_has_a_programme_in_each_country(funding, frameworks, country):
    for theme in frameworks["place-attractiveness"].theme_ids:
        assert [s.id for s in funding.values() if country in s.countries and theme in s.themes], (
            country,
            theme,
        )


def test_themes_are_framework_themes(funding, frameworks):
    known = set().union(*(set(f.theme_ids) for f in frameworks.values()))
    for fund in funding.values():
        assert set(fund.themes) <= known, (fund.id, set(fund.themes) - known)


def test_amounts_are_valid_and_sourced(funding):
    with_amounts = [s for s in funding.values() if s.amounts is not None]
    assert with_amounts
    for fund in with_amounts:
        amounts = fund.amounts
        assert amounts is not None
        assert amounts.min is not None or amounts.max is not None, fund.id
        if amounts.min is not None and amounts.max is not None:
            assert amounts.min <= amounts.max, fund.id
        assert amounts.currency in {CURRENCY[c] for c in fund.countries}, fund.id
        assert amounts.source.startswith("https://"), fund.id


def test_staged_is_stated_only_with_a_source(funding):
    staged = [s for s in funding.values() if s.staged is not None]
    assert staged
    for fund in staged:
        assert fund.staged_source, fund.id
        assert fund.staged_source.startswith("https://"), fund.id
        assert fund.staged_note is not None, fund.id


def test_every_actions_funding_ids_exist(funding, frameworks):
    for framework in frameworks.values():
        catalogue = load_catalogue(framework)
        for action in catalogue:
            assert set(action.funding) <= set(funding), (framework.id, action.id)


# --- The schema ---------------------------------------------------------------------------

BASE = {
    "id": "test_fund",
    "name": {"sv": "Test", "en": "Test"},
    "publisher": "Test",
    "countries": ["SE"],
    "funds": {"sv": "Något.", "en": "Something."},
    "url": "https://example.org/",
}
SOURCE = "https://example.org/amounts"


def test_stored_json_from_before_the_new_fields_still_loads():
    old = dict(BASE)  # what a frozen recommendation stored before applicants/amounts/themes
    loaded = load(tuple[FundingSource, ...], [old])[0]
    assert loaded.applicants == ()
    assert loaded.amounts is None
    assert loaded.themes == ()
    assert loaded.staged is None
    full = FundingSource.model_validate(
        {
            **BASE,
            "applicants": ["association"],
            "amounts": {"min": 1, "max": 2, "currency": "SEK", "source": SOURCE},
            "staged": True,
            "staged_note": {"sv": "Förskott.", "en": "Advance."},
            "staged_source": SOURCE,
            "themes": ["community"],
        }
    )
    assert load(tuple[FundingSource, ...], dump(tuple[FundingSource, ...], (full,))) == (full,)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"amounts": {"min": 5, "max": 2, "currency": "SEK", "source": SOURCE}}, "above max"),
        ({"amounts": {"currency": "SEK", "source": SOURCE}}, "min, a max"),
        ({"amounts": {"max": 2, "currency": "NOK", "source": SOURCE}}, "applies in SE"),
        ({"amounts": {"max": 2, "currency": "SEK", "source": "http://x.se/"}}, "https"),
        ({"amounts": {"max": 2, "currency": "DKK", "source": SOURCE}}, "currency"),
        ({"amounts": {"max": -1, "currency": "SEK", "source": SOURCE}}, "greater than"),
        ({"staged_note": {"sv": "x", "en": "x"}}, "staged"),
        ({"staged": True, "staged_source": "ftp://x"}, "https"),
        ({"applicants": ["association", "association"]}, "repeat"),
        ({"applicants": ["church"]}, "applicants"),
        ({"themes": ["Not A Theme"]}, "theme id"),
    ],
)
def test_bad_funding_fields_are_refused(extra, message):
    with pytest.raises(ValidationError, match=message):
        FundingSource.model_validate({**BASE, **extra})


def test_a_nordic_source_may_give_amounts_in_any_of_its_currencies():
    fund = FundingSource.model_validate(
        {
            **BASE,
            "countries": ["SE", "NO", "FI"],
            "amounts": {"max": 2, "currency": "EUR", "source": SOURCE},
        }
    )
    assert fund.amounts is not None
    assert fund.amounts.currency == "EUR"
