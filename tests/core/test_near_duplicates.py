"""Near-duplicate statements: rephrasings and inflections are found, other topics are not."""

from __future__ import annotations

from platsa.core.analysis.near_duplicates import near_duplicates

SHOWN = [
    ("1", "Det behövs fler bussar mellan byarna och centralorten"),
    ("2", "Skolan i byn ska finnas kvar"),
    ("3", "Kommunen borde satsa på bredband till alla hushåll"),
    ("4", "Fler hyresrätter behövs för unga som vill flytta hem"),
]


def test_a_rephrasing_with_other_inflections_is_found():
    found = near_duplicates("Vi behöver fler bussar mellan byn och centralorten", SHOWN)
    assert [n.id for n in found][:1] == ["1"]


def test_another_topic_is_not_flagged():
    assert near_duplicates("Badplatsen vid sjön behöver en brygga", SHOWN) == []


def test_the_same_text_is_always_found_and_ranks_first():
    found = near_duplicates("skolan i byn ska finnas kvar!", SHOWN)
    assert found[0].id == "2"
    assert found[0].similarity == 1.0


def test_nothing_to_compare_gives_nothing():
    assert near_duplicates("och i på", SHOWN) == []  # stop words only
    assert near_duplicates("Fler bussar", []) == []


def test_the_opposite_is_not_a_duplicate():
    shown = [("1", "Torget ska bli en park")]
    assert near_duplicates("Torget ska inte bli en park", shown) == []
    assert [n.id for n in near_duplicates("torget ska bli en park", shown)] == ["1"]
