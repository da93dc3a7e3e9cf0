"""Statements that say nearly the same thing, found before a new one is shown.

Pol.is's facilitators at national scale ask for strict moderation without duplicates
(polis#1550): a room of 200 writes "more buses" in twenty ways. A new statement is compared
with the shown ones on their word stems (Snowball, the rules of :mod:`textsearch`, stop
words left out), each stem weighted by how rare it is among the conversation's statements
(TF-IDF, so "bygden" in every statement counts for little), by cosine similarity. Words of
negation are kept (a search drops them), so a statement and its opposite are not alike.
"Fler bussar till Ragunda" and "Det behövs fler bussar i Ragunda" share their rare stems;
"bussar" and "skolor" do not. The person writing is shown the near ones and decides; the
moderators see which shown statement a new one seemed to repeat.

Pure Python; no Django.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from platsa.core.analysis.textsearch import STOP_WORDS, index_words, stem

THRESHOLD = 0.5  # cosine at or above which two statements are shown as near duplicates
# Stop words for search, but not here: "Torget ska inte bli en park" says the opposite of
# "Torget ska bli en park" (Swedish, Norwegian, English).
NEGATIONS = frozenset(
    [
        "inte",
        "icke",
        "ej",
        "aldrig",
        "ingen",
        "inget",
        "inga",
        "ikke",
        "ikkje",
        "aldri",
        "ingen",
        "not",
        "no",
        "never",
        "none",
        "nor",
    ]
)


def _terms(text: str, language: str) -> list[str]:
    stop = STOP_WORDS[language] - NEGATIONS
    return [w if w in NEGATIONS else stem(w, language) for w in index_words(text) if w not in stop]


LIMIT = 3


@dataclass(frozen=True)
class Near:
    id: str
    text: str
    similarity: float


def _negated(terms: Sequence[str]) -> bool:
    """An odd number of negations ("inte", "not"): the statement denies what it names."""
    return sum(1 for t in terms if t in NEGATIONS) % 2 == 1


def _vector(terms: Sequence[str], idf: dict[str, float]) -> dict[str, float]:
    counts = Counter(terms)
    vector = {t: n * idf.get(t, 0.0) for t, n in counts.items()}
    norm = math.sqrt(sum(v * v for v in vector.values()))
    return {t: v / norm for t, v in vector.items()} if norm else {}


def near_duplicates(
    text: str,
    others: Sequence[tuple[str, str]],
    *,
    language: str = "sv",
    threshold: float = THRESHOLD,
    limit: int = LIMIT,
) -> list[Near]:
    """The ``others`` (id, text) most like ``text``, most alike first, at or above
    ``threshold``; an identical text (after normalising) is always among them."""
    mine = _terms(text, language)
    if not mine or not others:
        return []
    theirs = [_terms(t, language) for _id, t in others]
    documents = [mine, *theirs]
    df = Counter(t for doc in documents for t in set(doc))
    n = len(documents)
    idf = {t: math.log((1 + n) / (1 + k)) + 1.0 for t, k in df.items()}  # smoothed, as sklearn
    a = _vector(mine, idf)
    found = []
    negated = _negated(mine)
    for (other_id, other_text), terms in zip(others, theirs, strict=True):
        if _negated(terms) != negated:  # one says the opposite of the other
            continue
        b = _vector(terms, idf)
        cosine = sum(v * b.get(t, 0.0) for t, v in a.items())
        if cosine >= threshold - 1e-9:
            found.append(Near(other_id, other_text, round(min(cosine, 1.0), 3)))
    found.sort(key=lambda near: (-near.similarity, near.id))
    return found[:limit]
