"""Duplicate ideas: paraphrases and translations are found while typing, opposite and
different proposals on the same topic are not, and hostile input stays cheap and safe."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from platsa.core.analysis.idea_similarity import MAX_CHARS, IdeaIndex, Match, analyse, clean

DATA = Path(__file__).resolve().parent.parent / "data" / "ideas_labelled.json"

IDEAS = [
    (
        1,
        "Bygg hyresrätter för inflyttare\nMånga som vill flytta hit hittar ingen lägenhet att hyra. "
        "Bostadsbolaget borde bygga hyresrätter i Hammarstrand.",
    ),
    (
        2,
        "Fler bussar till Östersund\nBussen till Östersund går för sällan. Vi behöver fler avgångar "
        "morgon och kväll så att man kan pendla.",
    ),
    (
        3,
        "Fiber till de sista byarna\nFlera byar saknar fiber. Sök stöd så att de sista hushållen ansluts.",
    ),
    (
        4,
        "Gör gamla skolan till coworking\nDen tomma skolan kan bli ett kontorshotell med skrivbord att "
        "hyra och snabbt nät för distansarbetare.",
    ),
    (5, "Rusta upp badplatsen\nLaga bryggan vid sjön, bygg en bastu och ordna toaletter."),
    (
        6,
        "Sommarjobb för alla ungdomar\nGarantera alla ungdomar ett sommarjobb i kommunen eller hos "
        "lokala företag.",
    ),
    (7, "Lokalt sågverk\nTimret körs till kusten. Ett litet sågverk här skulle ge jobb i bygden."),
    (
        8,
        "Barnomsorg på kvällar och helger\nSkiftarbetare inom vården behöver barnomsorg på obekväm tid.",
    ),
]


@pytest.fixture(scope="module")
def index() -> IdeaIndex:
    return IdeaIndex(IDEAS)


def ids(matches: list[Match]) -> list[int]:
    return [m.id for m in matches]


def test_a_swedish_paraphrase_with_other_words_and_inflections_is_found(index):
    found = index.similar("Vi behöver fler hyreslägenheter för folk som flyttar hit")
    assert ids(found)[:1] == [1]


def test_the_same_idea_in_english_and_norwegian_is_found(index):
    assert ids(index.similar("More buses to Östersund: the bus runs too rarely to commute"))[
        :1
    ] == [2]
    assert ids(index.similar("Sommerjobb til all ungdom i kommunen"))[:1] == [6]
    assert ids(index.similar("Fibre broadband for the last villages"))[:1] == [3]


def test_a_typo_still_finds_the_idea(index):
    assert ids(index.similar("fibber till sista byarna, sök stöd för hushålen"))[:1] == [3]


def test_the_opposite_proposal_is_not_a_duplicate(index):
    found = index.similar("Kommunen ska inte bygga hyresrätter\nLåt privata byggherrar ta risken.")
    assert 1 not in ids(found)
    # ...while the same words without the negation are.
    assert ids(index.similar("Kommunen ska bygga hyresrätter\nLåt inte privata ta risken."))[
        :1
    ] == [1]


def test_a_different_proposal_on_the_same_topic_is_not_a_duplicate(index):
    found = index.similar(
        "Lägg ner busslinjen och satsa på anropsstyrd trafik som man bokar i en app"
    )
    assert 2 not in ids(found)


def test_another_topic_finds_nothing(index):
    assert index.similar("Ett konstnärsresidens i prästgården för konstnärer från Norge") == []


def test_exclude_leaves_out_the_idea_being_edited(index):
    text = IDEAS[1][1]
    assert ids(index.similar(text))[:1] == [2]
    assert 2 not in ids(index.similar(text, exclude=2))


def test_results_are_sorted_limited_and_above_the_threshold(index):
    found = index.similar(IDEAS[0][1] + " " + IDEAS[3][1], limit=1)
    assert len(found) == 1
    found = index.similar(IDEAS[0][1] + " " + IDEAS[3][1], limit=5)
    scores = [m.score for m in found]
    assert scores == sorted(scores, reverse=True)
    assert all(s >= index.config.threshold - 1e-9 for s in scores)
    assert index.similar(IDEAS[0][1], limit=0) == []


def test_pairs_lists_duplicates_once_with_the_smaller_id_first():
    index = IdeaIndex(
        [*IDEAS, (20, "More buses to Östersund\nPlease add morning and evening departures.")]
    )
    pairs = index.pairs()
    assert (2, 20) in {(a, b) for a, b, _s in pairs}
    assert all(a < b for a, b, _s in pairs)
    assert len({(a, b) for a, b, _s in pairs}) == len(pairs)
    assert index.pairs(threshold=1.01) == []


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t ",
        "🚌🚌🏠🌲🔥" * 50,
        "\u200b\u200c\u200d\u2060\ufeff" * 100,
        "\u202e\u202d\u2066\u2067\u2069" * 100,
        "och i på att det",
        "123 456 789",
    ],
)
def test_empty_and_hostile_input_gives_nothing(index, text):
    assert index.similar(text) == []


def test_zero_width_and_bidi_characters_do_not_hide_a_duplicate(index):
    sneaky = "\u202eFl\u200ber bu\u200dssar till Öst\u2066ersund, fler avgångar för att pendla"
    assert ids(index.similar(sneaky))[:1] == [2]
    assert "\u202e" not in clean(sneaky)
    assert "\u200b" not in clean(sneaky)


def test_a_huge_text_is_cut_and_stays_fast(index):
    huge = ("Fler bussar till Östersund behövs verkligen. " * 400)[:10_000] + "x" * 100_000
    start = time.process_time()
    found = index.similar(huge)
    elapsed = time.process_time() - start
    assert ids(found)[:1] == [2]
    assert elapsed < 0.5
    assert sum(analyse(huge).keys.values()) <= MAX_CHARS  # bounded work


def test_an_empty_index_answers_nothing():
    empty = IdeaIndex([])
    assert empty.similar("Fler bussar") == []
    assert empty.pairs() == []


def test_one_query_among_3000_ideas_is_fast():
    items = json.loads(DATA.read_text(encoding="utf-8"))
    docs = [
        (k, f"{items[k % len(items)]['title']} {k}\n{items[k % len(items)]['body']}")
        for k in range(3000)
    ]
    index = IdeaIndex(docs)
    query = "Vi behöver fler hyreslägenheter för folk som flyttar hit till byn"
    index.similar(query)
    times = []
    for _ in range(20):
        start = time.process_time()
        index.similar(query)
        times.append(time.process_time() - start)
    assert sorted(times)[10] < 0.020


def test_the_labelled_set_is_well_formed():
    items = json.loads(DATA.read_text(encoding="utf-8"))
    assert len(items) >= 240
    assert len({it["id"] for it in items}) == len(items)
    groups = {it["group"] for it in items if it["group"]}
    assert len(groups) >= 70
    assert {it["lang"] for it in items} == {"sv", "en", "nb"}
    for it in items:
        assert set(it) == {"id", "lang", "title", "body", "group", "theme"}
        assert 20 <= len(it["title"]) + len(it["body"]) <= 800
