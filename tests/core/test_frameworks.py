"""Frameworks as data files: the contract theme ids, validation, and a second framework."""

from __future__ import annotations

import pytest

from platsa.core.schema.frameworks import FrameworkError, load_framework_file, load_frameworks

CONTRACT_THEMES = (
    "housing",
    "work_business",
    "skills_supply",
    "mobility",
    "digital_connectivity",
    "services",
    "schools_childcare",
    "culture_leisure",
    "nature_environment",
    "community",
    "identity_image",
    "safety",
    "influence",
    "collaboration",
    "public_spaces",
)


def test_place_attractiveness_contract(framework):
    assert framework.theme_ids == CONTRACT_THEMES
    assert (framework.scale.min, framework.scale.max, framework.scale.dont_know) == (1, 7, True)
    assert framework.max_priorities == 3
    assert [c.id for c in framework.comments] == ["good", "better"]
    assert {g.id for g in framework.groups} == {
        "residents",
        "young_people",
        "industry_employees",
        "industry_management",
        "municipal_staff",
        "associations",
    }
    for theme in framework.themes:
        assert theme.title.sv
        assert theme.title.en
        assert theme.questions[0].text.sv.endswith("?")


def test_the_test_framework_is_found_from_its_folder(mini_framework):
    assert "test-mini" in load_frameworks()
    assert mini_framework.question_theme_index == (0, 0, 1)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("id: x\n", "invalid framework"),
        ("id: [unclosed\n", "cannot read"),
    ],
)
def test_invalid_files_name_the_file(tmp_path, text, message):
    path = tmp_path / "x.yaml"
    path.write_text(text)
    with pytest.raises(FrameworkError, match=message) as info:
        load_framework_file(path)
    assert "x.yaml" in str(info.value)


def test_duplicate_ids_and_bad_scale_are_rejected(tmp_path, framework):
    import yaml

    data = framework.model_dump(mode="json")
    data["themes"][1]["id"] = "housing"
    (tmp_path / framework.id).with_suffix(".yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True)
    )
    with pytest.raises(FrameworkError, match="duplicate theme"):
        load_framework_file((tmp_path / framework.id).with_suffix(".yaml"))
    data = framework.model_dump(mode="json")
    data["scale"]["max"] = 0
    (tmp_path / "place-attractiveness.yaml").write_text(yaml.safe_dump(data, allow_unicode=True))
    with pytest.raises(FrameworkError, match="max must be greater"):
        load_framework_file(tmp_path / "place-attractiveness.yaml")


# --- what storage can hold ------------------------------------------------------------------


def _load_changed(tmp_path, framework, change):
    """``framework`` as a file, changed by ``change(data)``, loaded again."""
    import yaml

    data = framework.model_dump(mode="json")
    change(data)
    path = tmp_path / f"{data['id']}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return load_framework_file(path)


def _theme(theme_id: str, questions: int = 1) -> dict:
    text = {"sv": theme_id, "en": theme_id}
    return {
        "id": theme_id,
        "title": text,
        "description": text,
        "questions": [
            {"id": theme_id if questions == 1 else f"{theme_id}_{i}", "text": text}
            for i in range(questions)
        ],
    }


def test_the_storage_limits_are_the_columns_sizes():
    """The numbers the schema checks are the sizes of the columns that hold its ids: a
    column made smaller (or larger) must move its limit too."""
    from platsa.assessments.models import Comment, Response, Round, RoundGroup
    from platsa.core.schema import frameworks as fw

    size = lambda model, name: model._meta.get_field(name).max_length  # noqa: E731
    assert size(Response, "answers") == fw.MAX_QUESTIONS
    assert size(Comment, "theme_id") == fw.MAX_ID_LENGTH
    assert size(RoundGroup, "key") == fw.MAX_GROUP_ID_LENGTH
    assert RoundGroup._meta.get_field("key").get_internal_type() == "SlugField"
    assert size(RoundGroup, "label_sv") == size(RoundGroup, "label_en")
    assert size(RoundGroup, "label_sv") == fw.MAX_GROUP_LABEL_LENGTH
    assert size(Response, "priorities") == fw.MAX_PRIORITIES_LENGTH
    assert size(Response, "age_band") == fw.MAX_AGE_BAND_ID_LENGTH
    assert size(Comment, "kind") == fw.MAX_COMMENT_ID_LENGTH
    assert size(Round, "framework_id") == fw.MAX_FRAMEWORK_ID_LENGTH
    assert size(Round, "framework_version") == fw.MAX_VERSION_LENGTH
    assert max(len(s) for s in fw.Side) <= size(RoundGroup, "side")


def test_at_most_255_questions(tmp_path, framework):
    def questions(count):
        def change(data):
            data["themes"] = [_theme("many", count)]
            data["max_priorities"] = 1

        return change

    assert len(_load_changed(tmp_path, framework, questions(255)).questions) == 255
    with pytest.raises(FrameworkError, match=r"themes: 256 questions, at most 255"):
        _load_changed(tmp_path, framework, questions(256))


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d["themes"][0].update(id="t" * 65), "themes.0.id"),
        (lambda d: d["themes"][0]["questions"][0].update(id="q" * 65), "themes.0.questions.0.id"),
        (lambda d: d["groups"][0].update(id="g" * 65), "groups.0.id"),
        (lambda d: d["groups"][0].update(id="Invånare"), "groups.0.id"),  # not a slug
        (lambda d: d["groups"][0].update(id="with-dash"), "groups.0.id"),
        (lambda d: d["groups"][1]["label"].update(en="L" * 121), "groups.1.label"),
        (lambda d: d["groups"][1]["label"].update(sv="L" * 121), "groups.1.label"),
        (lambda d: d["age_bands"][0].update(id="a" * 17), "age_bands.0.id"),
        (lambda d: d["comments"][0].update(id="c" * 33), "comments.0.id"),
        (lambda d: d.update(version="1." * 17), "version"),
        (lambda d: d["groups"][0].update(side="neighbours"), "groups.0.side"),
    ],
)
def test_a_value_storage_cannot_hold_names_its_field(tmp_path, framework, change, field):
    with pytest.raises(FrameworkError, match="invalid framework") as info:
        _load_changed(tmp_path, framework, change)
    assert f"\n{field}\n" in str(info.value)


@pytest.mark.parametrize(
    ("change", "length"),
    [
        (lambda d: d["themes"][0].update(id="t" * 64), 64),
        (lambda d: d["themes"][0]["questions"][0].update(id="q" * 64), 64),
        (lambda d: d["groups"][0].update(id="g" * 64), 64),
        (lambda d: d["groups"][1]["label"].update(en="L" * 120), 120),
        (lambda d: d["age_bands"][0].update(id="a" * 16), 16),
        (lambda d: d["comments"][0].update(id="c" * 32), 32),
    ],
)
def test_values_at_the_limit_are_taken(tmp_path, framework, change, length):
    assert _load_changed(tmp_path, framework, change).id == framework.id


def test_priorities_must_fit_their_column(tmp_path, framework):
    """``max_priorities`` theme ids joined by commas must fit in 255 characters: with ten
    priorities, ids of 24 characters need 10 * 24 + 9 = 249, ids of 25 need 259."""

    def themes(length, priorities=10):
        def change(data):
            data["themes"] = [_theme(f"{chr(97 + i)}{'x' * (length - 1)}") for i in range(10)]
            data["max_priorities"] = priorities

        return change

    assert _load_changed(tmp_path, framework, themes(24)).max_priorities == 10
    with pytest.raises(FrameworkError, match=r"max_priorities: 10 priorities .* need 259"):
        _load_changed(tmp_path, framework, themes(25))
    assert _load_changed(tmp_path, framework, themes(25, priorities=9)).max_priorities == 9
    # No priorities asked: nothing stored, so any theme id length that fits Comment is fine.
    assert _load_changed(tmp_path, framework, themes(64, priorities=0)).max_priorities == 0
