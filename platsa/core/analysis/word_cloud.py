"""The words of a room's open answers, counted so that inflections and spelling variants of
one word count as one: "bredband", "Bredbandet" and "bredbandsutbyggnad" are not three
words a facilitator has to add up in their head.

Each answer is cut into words by the rules of :mod:`textsearch` (the same tokens the search
uses); stop words and a few words of quantity and frequency (``FILLER``) are left out. Each
word is lemmatised with simplemma (its Swedish,
Norwegian and English dictionaries ship inside the package: nothing is downloaded), which
knows the definite and plural forms Snowball leaves alone ("skolan", "skolorna" -> "skola"),
and the lemma is then cut to its Snowball stem, which joins what the dictionary lacks;
words with the same key are one entry, shown in the form people wrote most often. A person's answer counts
a word once however often they repeat it ("bredband bredband bredband" is one vote for it).
Slido's word cloud matches exact words only.

Pure Python; no Django.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import simplemma

from platsa.core.analysis.textsearch import STOP_WORDS, stem, words

MIN_CHARS = 2
# Words that say how much or how often, and the commonest verbs: not stop words to a search
# engine (PostgreSQL's lists lack them, and the search keeps those lists), but in a room's
# cloud "fler bussar" and "bussarna går för sällan" are about buses, and "fler", "går" and
# "sällan" would stand as large as "buss". Matched on the written form and on its lemma.
_FILLER_SV = (
    "fler flera mer mera mest många mycket lite mindre färre sällan ofta alltid aldrig "
    "bara också gå går gick få får fick göra gör gjorde finnas finns fanns bli blir "
    "behöva behöver ska kan vill måste"
)
_FILLER_EN = (
    "more most many much less fewer few often rarely always never just also get gets "
    "got make makes need needs go goes"
)
FILLER: dict[str, frozenset[str]] = {
    "sv": frozenset(_FILLER_SV.split()),
    "en": frozenset(_FILLER_EN.split()),
}
_LEMMA_LANGUAGES = {"sv": "sv", "en": "en", "nb": "nb", "no": "nb", "nn": "nn"}


def _lemma(word: str, language: str) -> str:
    return simplemma.lemmatize(word, lang=_LEMMA_LANGUAGES.get(language, "sv")).lower()


def _key(lemma: str, language: str) -> str:
    return stem(lemma, language if language in ("sv", "en") else "sv")


@dataclass(frozen=True)
class Word:
    text: str  # the form written most often
    count: int  # answers that used it
    variants: tuple[str, ...]  # every form written, most often first


def count_words(answers: Iterable[str], *, language: str = "sv", limit: int = 60) -> list[Word]:
    """The words of ``answers``, most used first (then alphabetically)."""
    # Both languages' lists whatever ``language`` is: a Swedish room writes English words
    # too ("coworking"), and an English reader's cloud of Swedish answers keeps "för".
    stop = STOP_WORDS["sv"] | STOP_WORDS["en"]
    filler = FILLER["sv"] | FILLER["en"]
    stop |= filler
    by_stem: Counter[str] = Counter()
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    for answer in answers:
        seen: set[str] = set()
        for word in words(answer):
            if len(word) < MIN_CHARS or word in stop or word.isdigit():
                continue
            lemma = _lemma(word, language)
            if lemma in filler:  # not the stop lists: "byn" is "by", an English stop word
                continue
            key = _key(lemma, language)
            forms[key][word] += 1
            if key not in seen:
                seen.add(key)
                by_stem[key] += 1
    found = []
    for key, count in by_stem.items():
        variants = sorted(forms[key].items(), key=lambda item: (-item[1], item[0]))
        found.append(Word(variants[0][0], count, tuple(v for v, _n in variants)))
    found.sort(key=lambda w: (-w.count, w.text))
    return found[:limit]
