"""Differences between roles in innovation capacity (issue 8).

Every role of the innovation-capacity framework is municipal staff (side ``public``), so the
comparisons built for the place and its industry must neither misfire nor describe the roles
badly: a clear difference between two roles is shown as "Management 4.5, Operations and
welfare 2.0" in the framework's own names, it never becomes a "gap between sides" that lifts
jointly led actions, and the ranking is the one the same answers give without any roles."""

from __future__ import annotations

import pytest

from platsa.core.analysis.recommend import ReasonKind, recommend
from platsa.core.analysis.scoring import MIN_GAP_N, score
from platsa.core.render.explain import describe_notice, describe_reason, summarise
from platsa.core.render.messages import catalogue_translator
from platsa.core.render.report import build_report, format_text
from platsa.core.schema.catalogue import load_catalogue
from platsa.core.schema.dataset import GroupInfo
from platsa.core.schema.frameworks import Side, get_framework
from tests.core.helpers import responses

ROLES = ("management", "digital_it", "procurement", "operations_welfare", "business_development")
# What a reader must never meet for a framework whose groups are all on one side: ids, or
# the wording of the place-and-industry comparison.
IDS = ROLES
# (the "group gap" reason: "The groups see ... differently ... An action led jointly can bridge
# the gap" / "Grupperna ser olika på ... En åtgärd som leds gemensamt kan minska skillnaden").
SIDE_WORDS = ("industry", "differently", "jointly", "bridge", "ser olika", "leds gemensamt")


@pytest.fixture(scope="module")
def fw():
    return get_framework("innovation-capacity")


@pytest.fixture(scope="module")
def catalogue(fw):
    return load_catalogue(fw)


def _rows(fw, per_role: int) -> list[dict]:
    """Management rates digital technology 4.5 (5 and 4 in turn), operations and welfare 2.0,
    the other roles 3; everyone finds procurement of innovative solutions weak (2) and the
    rest under way (3)."""
    rows = []
    for role in ROLES:
        for i in range(per_role):
            row: dict = {"group": role}
            for theme in fw.themes:
                value = 2 if theme.id == "innovation_procurement" else 3
                if theme.id == "digital_technology":
                    value = {"management": 5 - i % 2, "operations_welfare": 2}.get(role, 3)
                for q in theme.questions:
                    row[q.id] = value
            rows.append(row)
    return rows


def _groups(fw, **sides: Side) -> list[GroupInfo]:
    return [GroupInfo(g.id, g.label.sv, sides.get(g.id, g.side)) for g in fw.groups]


def test_every_role_is_on_one_side(fw):
    assert {g.side for g in fw.groups} == {Side.PUBLIC}
    assert tuple(g.id for g in fw.groups) == ROLES


def test_a_clear_role_difference_is_a_gap_but_not_a_gap_between_sides(fw):
    results = score(responses(fw, _rows(fw, 12)))
    (gap,) = results.gaps  # only digital technology differs
    assert (gap.theme_id, gap.high_group, gap.low_group) == (
        "digital_technology",
        "management",
        "operations_welfare",
    )
    assert (gap.high_score, gap.low_score, gap.difference) == (4.5, 2.0, 2.5)
    assert (gap.high_n, gap.low_n) == (12, 12)
    assert not gap.cross_side
    assert results.side_gaps == ()


def test_the_engine_gives_role_differences_no_joint_weight(fw, catalogue):
    """No theme carries a gap, no action a "group gap" reason or a joint score, and the
    ranking is exactly the one the same answers give with everybody in a single group."""
    with_roles = recommend(score(responses(fw, _rows(fw, 12))), catalogue)
    assert all(n.gap == 0 and n.gap_detail is None for n in with_roles.needs)
    assert with_roles.recommendations
    assert all(r.joint == 0 for r in with_roles.recommendations)
    reasons = [reason for r in with_roles.recommendations for reason in r.reasons]
    assert ReasonKind.GROUP_GAP not in {reason.kind for reason in reasons}
    joint = [r for r in with_roles.recommendations if r.action.is_joint]
    assert joint  # the catalogue has a jointly led action, so the check above means something

    one_group = [dict(row, group="management") for row in _rows(fw, 12)]
    without = recommend(score(responses(fw, one_group)), catalogue)
    assert [(r.action_id, r.score, r.in_portfolio) for r in with_roles.recommendations] == [
        (r.action_id, r.score, r.in_portfolio) for r in without.recommendations
    ]


def test_the_same_difference_across_sides_does_lift_a_jointly_led_action(fw, catalogue):
    """The control: were management to speak for another side (an organiser's choice under
    "Speaks for"), the difference would be a gap between sides and the jointly led test bed,
    which works on digital technology, would cite it. So the test above can fail."""
    groups = _groups(fw, management=Side.INDUSTRY)
    results = score(responses(fw, _rows(fw, 12), groups=groups))
    assert [g.theme_id for g in results.side_gaps] == ["digital_technology"]
    recs = recommend(results, catalogue)
    test_bed = next(
        r for r in recs.recommendations if r.action_id == "test_bed_with_local_companies"
    )
    assert test_bed.joint > 0
    (said,) = [
        describe_reason(reason, fw, language="en")
        for reason in test_bed.reasons
        if reason.kind == ReasonKind.GROUP_GAP
    ]
    assert any(word in said for word in SIDE_WORDS)  # the words the next test rules out


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            "Digital technology: Management give 4.5, Operations and welfare (for example "
            "care, school, social services) 2.0",
        ),
        (
            "sv",
            "Digital teknik: Ledning och chefer ger 4,5, Verksamhet och välfärd (till exempel "
            "omsorg, skola, socialtjänst) 2,0",
        ),
    ],
)
def test_the_summary_names_the_roles_in_the_framework_terms(fw, catalogue, language, expected):
    results = score(responses(fw, _rows(fw, 12)))
    recs = recommend(results, catalogue)
    _ = catalogue_translator(language)
    summary = summarise(results, recs, fw, language=language, _=_)
    assert summary.disagreement is not None
    assert summary.disagreement.text == expected
    texts = [summary.disagreement.text] + [
        describe_reason(reason, fw, language=language, _=_)
        for r in recs.recommendations
        for reason in r.reasons
    ]
    texts += [describe_notice(n, fw, language, _) for n in recs.notices]
    for text in texts:
        for role in IDS:  # ids are lower case with underscores; "Management" is a label
            assert role not in text, (role, text)
        for word in SIDE_WORDS:
            assert word not in text.lower(), (word, text)


def test_the_round_names_of_the_roles_are_used_when_given(fw, catalogue):
    results = score(responses(fw, _rows(fw, 12)))
    recs = recommend(results, catalogue)
    labels = {"management": "Ledningen", "operations_welfare": "Verksamhet/välfärd"}
    summary = summarise(
        results, recs, fw, language="sv", _=catalogue_translator("sv"), group_labels=labels
    )
    assert summary.disagreement is not None
    assert summary.disagreement.text.endswith("Ledningen ger 4,5, Verksamhet/välfärd 2,0")


def test_the_text_report_lists_the_role_difference_by_name(fw, catalogue):
    """``platsa assess`` labels the roles in the report's language (as its importer does)."""
    groups = [GroupInfo(g.id, g.label.en, g.side) for g in fw.groups]
    results = score(responses(fw, _rows(fw, 12), groups=groups))
    recs = recommend(results, catalogue)
    report = build_report(fw, results, recs, language="en", catalogue=catalogue)
    (gap,) = report["gaps"]
    assert not gap["cross_side"]
    text = format_text(report, language="en")
    lines = [x.strip() for x in text.splitlines() if "Digital technology:" in x]
    assert (
        "Digital technology: Management 4.5, Operations and welfare (for example care, "
        "school, social services) 2.0"
    ) in lines
    for line in lines:
        for role in IDS:
            assert role not in line


def test_six_people_per_role_are_too_few_to_compare(fw, catalogue):
    """With six people per role the difference is real but rests on too few people to be
    called a disagreement (``MIN_GAP_N``): no gap at all, and the guardrail names the roles."""
    assert MIN_GAP_N > 6
    results = score(responses(fw, _rows(fw, 6)))
    assert results.gaps == ()
    assert results.side_gaps == ()
    recs = recommend(results, catalogue)
    summary = summarise(results, recs, fw, language="en")
    assert summary.disagreement is None
    (small,) = [n for n in recs.notices if n.code == "small_group"]
    text = describe_notice(small, fw, "en")
    assert "Management" in text
    assert "Operations and welfare" in text
    assert "operations_welfare" not in text
