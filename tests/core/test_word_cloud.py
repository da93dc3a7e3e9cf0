"""The word cloud counts a word once per answer and its inflections as one word."""

from __future__ import annotations

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
