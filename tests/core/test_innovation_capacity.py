"""The innovation-capacity framework and its actions (issue 8): the dimension and statement
ids other tools rely on, a described maturity scale, the roles, a catalogue that covers every
dimension with resolvable funders, and a whole round through the engine and the command."""

from __future__ import annotations

import gc
import json

import pytest

from platsa.cli import main
from platsa.core.analysis.recommend import Params, recommend
from platsa.core.analysis.scoring import score
from platsa.core.io.importer import parse_table
from platsa.core.io.synthetic import generate_rows
from platsa.core.io.tabular import read_table, write_csv
from platsa.core.schema.catalogue import Country, load_catalogue, load_funding
from platsa.core.schema.frameworks import (
    Side,
    default_framework,
    get_framework,
    load_frameworks,
)

FRAMEWORK_ID = "innovation-capacity"
DIMENSIONS = ("competence", "digital_technology", "delivery_models", "innovation_procurement")
ROLES = ("management", "digital_it", "procurement", "operations_welfare", "business_development")
COUNTRIES = ("SE", "NO", "FI")
# Everyone rates every other dimension well (a shift on the 1-7 scale the generator uses)
# and procurement of innovative solutions badly.
WEAK_PROCUREMENT = {
    "competence": 3.0,
    "digital_technology": 3.0,
    "delivery_models": 3.0,
    "innovation_procurement": -1.5,
}
OBSTACLE = "Vi vet inte hur man gör en innovationsupphandling, och reglerna i LOU känns svåra."


@pytest.fixture(scope="module")
def fw():
    return get_framework(FRAMEWORK_ID)


@pytest.fixture(scope="module")
def actions(fw):
    return load_catalogue(fw)


@pytest.fixture
def gc_restored():
    """``main`` turns the garbage collector off for the short-lived command; the test
    process lives on, so it is turned back on afterwards."""
    yield
    gc.enable()


def _rows(fw, n: int = 120, seed: int = 7) -> tuple[list[str], list[list[str]]]:
    return generate_rows(
        fw,
        n,
        seed=seed,
        profile_shift=WEAK_PROCUREMENT,
        comment_rate=0.3,
        comments=[("innovation_procurement", "better", OBSTACLE)],
    )


# --- the framework ------------------------------------------------------------------------------


def test_it_loads_and_is_not_the_default(fw):
    frameworks = load_frameworks()
    assert frameworks[FRAMEWORK_ID] == fw
    assert fw.default is False
    assert default_framework(frameworks).id == "place-attractiveness"


def test_the_four_dimensions_in_order(fw):
    assert fw.theme_ids == DIMENSIONS


@pytest.mark.parametrize("dimension", DIMENSIONS)
def test_each_dimension_has_four_to_six_statements_named_after_it(fw, dimension):
    theme = fw.theme(dimension)
    assert 4 <= len(theme.questions) <= 6
    for question in theme.questions:
        assert question.id.startswith(f"{dimension}_"), question.id
        assert question.text.sv.strip(), question.id
        assert question.text.en.strip(), question.id
    for text in (theme.title, theme.description):
        assert text.sv
        assert text.en


def test_every_level_of_the_maturity_scale_is_described_in_both_languages(fw):
    scale = fw.scale
    assert (scale.min, scale.max, scale.dont_know) == (1, 5, True)
    assert [label.value for label in scale.labels] == [1, 2, 3, 4, 5]
    for value in scale.values:
        assert scale.label_for(value, "sv"), value
        assert scale.label_for(value, "en"), value
    assert scale.label_for(1, "en").lower().startswith("not started")
    assert "share" in scale.label_for(5, "en").lower()
    assert "delar" in scale.label_for(5, "sv").lower()


def test_roles_are_municipal_staff(fw):
    assert tuple(g.id for g in fw.groups) == ROLES
    assert {g.side for g in fw.groups} == {Side.PUBLIC}
    assert 1 <= fw.max_priorities <= 3


def test_obstacles_are_the_comments_the_engine_matches(fw):
    """Obstacles are asked under the comment kind the engine reads for what people ask for,
    good examples under another one: a renamed kind would silently stop the matching."""
    kinds = [c.id for c in fw.comments]
    assert set(kinds) == {"better", "good"}
    assert set(Params().comment_kinds) == {"better"}
    obstacles = next(c for c in fw.comments if c.id == "better")
    assert "hind" in obstacles.prompt.sv.lower()
    assert "obstacle" in obstacles.prompt.en.lower()


def test_sources_name_the_seed_and_have_https_links(fw):
    assert any("Västernorrland" in s.title for s in fw.sources)
    linked = [s for s in fw.sources if s.url]
    assert len(linked) >= 5
    assert all(s.url.startswith("https://") for s in linked)


# --- its catalogue ------------------------------------------------------------------------------


def test_the_catalogue_validates_and_is_its_own(actions, fw):
    assert actions.framework_id == FRAMEWORK_ID
    assert 14 <= len(actions) <= 18
    for action in actions:
        assert set(action.themes) <= set(fw.theme_ids), action.id
        assert 1 <= len(action.themes) <= 4, action.id
        for text in (action.title, action.summary, action.description):
            assert text.sv.strip(), action.id
            assert text.en.strip(), action.id
        assert action.keywords.sv, action.id
        assert action.keywords.en, action.id


def test_no_action_id_is_shared_with_the_place_catalogue(actions, catalogue):
    """Action pages and stored recommendations find an action by its id alone."""
    assert not set(actions.actions) & set(catalogue.actions)


@pytest.mark.parametrize("dimension", DIMENSIONS)
def test_every_dimension_has_actions_aimed_at_it(actions, dimension):
    assert len(actions.for_theme(dimension)) >= 5
    assert len([a for a in actions if a.primary_theme == dimension]) >= 3


def test_every_funding_id_resolves_and_every_country_sees_a_funder(actions):
    funding = load_funding()
    for action in actions:
        assert action.funding, action.id
        assert set(action.funding) <= set(funding), action.id
        countries = [c.value for c in action.preconditions.countries] or list(COUNTRIES)
        for country in countries:
            assert actions.funding_for(action, country), (action.id, country)
        if action.id.startswith("se_"):
            assert action.preconditions.countries == (Country.SE,), action.id


def test_examples_and_sources_are_linked_over_https(actions):
    for action in actions:
        for example in action.examples:
            assert example.text.sv, action.id
            assert example.text.en, action.id
            if example.source.url:
                assert example.source.url.startswith("https://"), (action.id, example.place)
        for source in action.sources:
            assert source.url, (action.id, source.title)
            assert source.url.startswith("https://"), (action.id, source.title)


def test_example_municipality_codes_exist(actions):
    from platsa.core.io.reference import find_municipality

    for action in actions:
        for example in action.examples:
            if example.municipality_code:
                found = find_municipality(example.municipality_code)
                assert found is not None, (action.id, example.place)
                assert found.name == example.place, (action.id, example.place)


# --- a round through the engine ----------------------------------------------------------------


def test_weak_procurement_puts_procurement_actions_first(fw, actions):
    header, rows = _rows(fw)
    imported = parse_table(read_table(write_csv(header, rows), "svar.csv"), fw)
    results = score(imported.responses)
    by_id = {t.theme_id: t for t in results.themes}
    assert by_id["innovation_procurement"].score < 2.5
    assert all(by_id[d].score > 3.5 for d in DIMENSIONS if d != "innovation_procurement")

    recs = recommend(results, actions, comments=imported.responses.comments)
    needs = {n.theme_id: n for n in recs.needs}
    assert needs["innovation_procurement"].is_need
    assert not any(needs[d].is_need for d in DIMENSIONS if d != "innovation_procurement")
    top = recs.recommendations[:3]
    assert all(r.action.primary_theme == "innovation_procurement" for r in top), [
        r.action.id for r in top
    ]
    # What respondents wrote about obstacles is matched against the actions' keywords.
    first = recs.recommendations[0]
    assert any(reason.kind == "comment_match" for reason in first.reasons)


def test_the_command_writes_a_template_and_assesses_a_round(fw, tmp_path, capsys, gc_restored):
    template = tmp_path / "mall.csv"
    assert main(["template", "--framework", FRAMEWORK_ID, "--out", str(template)]) == 0
    columns = template.read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    header, rows = _rows(fw, n=90, seed=11)
    assert columns == header  # the generated round is in the template's format

    answers = tmp_path / "svar.csv"
    answers.write_bytes(write_csv(header, rows))
    capsys.readouterr()
    code = main(
        [
            "assess",
            "--framework",
            FRAMEWORK_ID,
            "--responses",
            str(answers),
            "--format",
            "json",
            "--top",
            "5",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    report = json.loads(out)
    assert report["framework"] == FRAMEWORK_ID
    assert report["scale"] == {"min": 1, "max": 5}
    assert [t["id"] for t in report["themes"]] == list(DIMENSIONS)
    assert report["respondents"] == 90
    recommended = [r["action"] for r in report["recommendations"]]
    assert recommended
    own = set(load_catalogue(fw).actions)
    assert set(recommended) <= own
    assert report["recommendations"][0]["themes"][0] == "innovation_procurement"
