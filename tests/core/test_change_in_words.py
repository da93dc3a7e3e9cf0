"""Change since the previous round, in words: biggest clear changes first, then the rest."""

from __future__ import annotations

from platsa.core.analysis.scoring import ThemeChange
from platsa.core.render.explain import CHANGES, describe_changes

TITLES = {
    "housing": "Boende",
    "mobility": "Kollektivtrafik",
    "schools": "Skola",
    "safety": "Trygghet",
    "culture": "Kultur",
}


def test_clear_changes_come_first_biggest_first_in_plain_words():
    changes = [
        ThemeChange("mobility", 4.0, 4.1, 0.1, False),
        ThemeChange("housing", 3.1, 3.8, 0.7, True),
        ThemeChange("schools", 5.0, 4.0, -1.0, True),
        ThemeChange("safety", 4.0, 4.6, 0.6, False),  # not clear: after every clear change
        ThemeChange("culture", None, 4.0, None, False),  # nothing to compare
    ]
    lines = describe_changes(changes, TITLES, previous="Hösten 2025")
    assert [line.theme_id for line in lines] == ["schools", "housing", "safety", "mobility"]
    assert [line.direction for line in lines] == ["worse", "better", "same", "same"]
    assert lines[1].text == (
        "Boende: 3,1 → 3,8, better since Hösten 2025. "
        "The difference is clear (probably not chance)."
    )
    assert lines[3].text == "Kollektivtrafik: about the same as last time (4,0 → 4,1)."
    assert "Welch" not in " ".join(line.text for line in lines)  # the note says that, once


def test_sentences_are_translated_and_numbers_follow_the_language():
    swedish = {
        CHANGES["better"]: "{theme}: {before} → {after}, bättre sedan {round}. "
        "Skillnaden är tydlig (troligen inte slumpen).",
    }
    [line] = describe_changes(
        [ThemeChange("housing", 3.1, 3.8, 0.7, True)],
        TITLES,
        previous="Hösten 2025",
        language="sv",
        _=lambda s: swedish.get(s, s),
    )
    assert line.text == (
        "Boende: 3,1 → 3,8, bättre sedan Hösten 2025. Skillnaden är tydlig (troligen inte slumpen)."
    )
    [english] = describe_changes(
        [ThemeChange("housing", 3.1, 3.8, 0.7, True)], TITLES, previous="2025", language="en"
    )
    assert english.text.startswith("Boende: 3.1 → 3.8, better since 2025.")
