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
