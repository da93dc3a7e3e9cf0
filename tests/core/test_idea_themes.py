"""Themes of ideas: deterministic, tied to the verbatim ids, readable labels, and nothing
made up for a handful of ideas."""

from __future__ import annotations

import json
from pathlib import Path

from platsa.core.analysis.idea_themes import MIN_DOCS, group_themes, themes

DATA = Path(__file__).resolve().parent.parent / "data" / "ideas_labelled.json"
# Five ideas about buses and five about fibre, in Swedish, English and Norwegian.
BUS = [
    (1, "Fler bussar till Östersund\nBussen går för sällan för att pendla."),
    (2, "Tätare busstrafik mot Östersund\nFler bussturer i rusningstid för pendlare."),
    (3, "More buses to Östersund\nThe bus runs too rarely to commute."),
    (4, "Busstrafik på kvällen\nEn sen buss från Östersund så man kan pendla hem."),
    (5, "Flere busser til Östersund\nBussen går for sjelden til å pendle."),
]
FIBRE = [
    (11, "Fiber till byarna\nFlera byar saknar fiber och bredband."),
    (12, "Bredband till alla\nSnabbt bredband och fiber till varje hushåll."),
    (13, "Fibre broadband for every village\nThe last households need fibre."),
    (14, "Fiber til alle bygder\nFlere grender mangler fiber og bredbånd."),
    (15, "Fiberföreningen behöver stöd\nByanätet behöver bidrag för fiber och bredband."),
]


def labelled() -> list[tuple[int, str]]:
    items = json.loads(DATA.read_text(encoding="utf-8"))
    return [(int(it["id"]), f"{it['title']}\n{it['body']}") for it in items]


def test_the_same_input_and_seed_give_the_same_themes():
    docs = labelled()
    assert themes(docs, seed=3) == themes(docs, seed=3)


def test_members_are_the_verbatim_ids_and_no_idea_is_lost_or_doubled():
    docs = labelled()
    result = group_themes(docs, max_themes=8, min_size=3)
    assert 1 <= len(result.themes) <= 8
    members = [i for t in result.themes for i in t.member_ids]
    assert len(members) == len(set(members))
    assert sorted(members + list(result.unthemed)) == sorted(i for i, _t in docs)
    for t in result.themes:
        assert len(t.member_ids) >= 3
        assert list(t.member_ids) == sorted(t.member_ids)
        assert 1 <= len(t.representative_ids) <= 3
        assert set(t.representative_ids) <= set(t.member_ids)


def test_labels_are_three_to_five_words_people_wrote():
    docs = labelled()
    written = {w for _i, text in docs for w in text.lower().replace("\n", " ").split()}
    written |= {w.strip(".,:;!?()") for w in written}
    for t in themes(docs):
        assert 3 <= len(t.words) <= 5
        assert len(set(t.words)) == len(t.words)
        assert all(w in written for w in t.words), t.words  # readable forms, not stems


def test_ideas_about_the_same_thing_land_together():
    found = themes(BUS + FIBRE, max_themes=2, min_size=3)
    groups = [set(t.member_ids) for t in found]
    assert {1, 2, 3, 4, 5} in groups or any(
        {1, 2, 3, 4}.issubset(g) and not g & {11, 12, 13, 14, 15} for g in groups
    )
    assert any({11, 12, 13, 15}.issubset(g) and not g & {1, 2, 3, 4, 5} for g in groups)


def test_a_comment_goes_with_the_theme_of_its_words_and_moves_no_theme():
    comments = [
        (101, "Ja! Bussen till Östersund går alldeles för sällan, jag vill kunna pendla."),
        (102, "Vi saknar också fiber och bredband i vår by."),
        (103, "Bra idé!"),  # shares no theme's words: in none
    ]
    alone = group_themes(BUS + FIBRE, max_themes=2, min_size=3)
    found = group_themes(BUS + FIBRE, max_themes=2, min_size=3, comments=comments)
    assert [t.member_ids for t in found.themes] == [t.member_ids for t in alone.themes]
    by_comment = {c: set(t.member_ids) for t in found.themes for c in t.comment_ids}
    assert {1, 2, 3}.issubset(by_comment[101])
    assert {11, 12, 13}.issubset(by_comment[102])
    assert 103 not in by_comment


def test_too_few_ideas_give_no_themes():
    docs = labelled()[: MIN_DOCS - 1]
    assert themes(docs) == []
    result = group_themes(docs)
    assert result.themes == ()
    assert sorted(result.unthemed) == sorted(i for i, _t in docs)


def test_texts_without_words_give_no_themes():
    assert themes([(i, "🚌 \u200b 123") for i in range(40)]) == []
