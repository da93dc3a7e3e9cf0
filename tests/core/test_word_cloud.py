"""The word cloud counts a word once per answer and its inflections as one word."""

from __future__ import annotations

import itertools

from platsa.core.analysis.word_cloud import count_words
from platsa.core.render.word_cloud import word_cloud


def test_inflections_are_one_word_shown_as_written_most():
    found = count_words(
        ["Bredband", "bredbandet!", "Bättre bredband och skolor", "skolan", "bredband bredband"]
    )
    first = found[0]
    assert first.text == "bredband"
    assert first.count == 4  # four answers; the repeat within one answer counts once
    assert set(first.variants) == {"bredband", "bredbandet"}
    assert {w.text for w in found} >= {"skolor"} or {w.text for w in found} >= {"skolan"}
    assert "och" not in {w.text for w in found}  # a stop word


def test_the_cloud_draws_every_word_escaped_and_nothing_for_no_answers():
    svg = word_cloud(count_words(["<script>alert(1)</script> byn", "byn"]), title="T", desc="D")
    assert "<script>" not in svg
    assert "byn" in svg
    assert word_cloud([], title="T", desc="D") == ""


def test_no_two_words_of_a_row_overlap_whatever_the_font():
    """Each word is drawn to exactly its estimated width (textLength), so a wider font than
    the estimate's (DejaVu Sans Bold in a PDF) cannot run two words into one."""
    import re

    words = count_words(["dalälven", "gemenskapen", "naturen", "Landsbygdsutveckling"])
    svg = word_cloud(words, title="T", desc="D")
    drawn = re.findall(r'<text x="([\d.]+)" y="([\d.]+)"[^>]*textLength="([\d.]+)"', svg)
    assert len(drawn) == 4
    boxes = sorted(
        (float(y), float(x) - float(w) / 2, float(x) + float(w) / 2) for x, y, w in drawn
    )
    for (y1, _a, end), (y2, start, _b) in itertools.pairwise(boxes):
        if y1 == y2:
            assert start - end >= 10  # a gap between words of one row
    assert 'lengthAdjust="spacingAndGlyphs"' in svg


def test_words_of_quantity_and_frequency_leave_the_cloud_to_what_the_answers_are_about():
    found = count_words(["fler bussar", "Bussarna går för sällan", "mer bredband", "flera jobb"])
    texts = {w.text for w in found}
    assert texts == {"bussar", "bredband", "jobb"}
    assert found[0].text == "bussar"
    assert found[0].count == 2  # "bussar" and "Bussarna" are one word
    english = {w.text for w in count_words(["more buses", "buses rarely go"], language="en")}
    assert english == {"buses"}


def test_both_languages_stop_words_leave_the_cloud_whatever_its_language():
    for language in ("sv", "en"):
        texts = {
            w.text for w in count_words(["Bussar för alla till byn", "the bus"], language=language)
        }
        assert not texts & {"för", "alla", "till", "the"}, language
        assert "byn" in texts
