"""Words for full-text search: one set of rules for tokenising, stop words and stemming.

A search index stores stems, not words, so that "föreningar" finds "förening" and
"bredband" finds "bredbandsföreningar" (by prefix). PostgreSQL stems with its own Snowball
dictionaries ('swedish', 'english'); everywhere else these functions do the same job with the
same Snowball algorithms (the ``snowballstemmer`` package), so a word is cut alike on either
engine. Tokenising and the stop words copy PostgreSQL's defaults closely enough that a query
means the same thing on both, and the query side is parsed here for both engines: what counts
as a word, which words are dropped, how many terms a query may have.

Pure Python; no Django. Reused by every search in the app (the catalogue, later ideas).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

import snowballstemmer

# Bump when tokenising, stop words or stemming change: indexes built under other rules rebuild.
RULES_VERSION = "1"

# Language code -> the Snowball algorithm and PostgreSQL text search configuration of that name.
CONFIGS: dict[str, str] = {"sv": "swedish", "en": "english"}

# A query is cut to this many terms and this many characters: enough for any real search,
# and a bound on the SQL a hostile query can make us run.
MAX_QUERY_TERMS = 8
MAX_QUERY_CHARS = 200
# A query term shorter than this would prefix-match half the catalogue ("e" -> "e*").
MIN_TERM_CHARS = 2
# Longer "words" are noise (URLs, pasted hashes); PostgreSQL ignores words over 2047 bytes.
MAX_TERM_CHARS = 60

# PostgreSQL's stop word lists (tsearch_data/swedish.stop and english.stop, from the Snowball
# project), so both engines drop the same words from documents and queries.
_SWEDISH_STOP = """
och det att i en jag hon som han på den med var sig för så till är men ett om hade de av icke
mig du henne då sin nu har inte hans honom skulle hennes där min man ej vid kunde något från ut
när efter upp vi dem vara vad över än dig kan sina här ha mot alla under någon eller allt
mycket sedan ju denna själv detta åt utan varit hur ingen mitt ni bli blev oss din dessa några
deras blir mina samma vilken er sådan vår blivit dess inom mellan sådant varför varje vilka
ditt vem vilket sitta sådana vart dina vars vårt våra ert era vilkas
"""
_ENGLISH_STOP = """
i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she
her hers herself it its itself they them their theirs themselves what which who whom this that
these those am is are was were be been being have has had having do does did doing a an the and
but if or because as until while of at by for with about against between into through during
before after above below to from up down in out on off over under again further then once here
there when where why how all any both each few more most other some such no nor not only own
same so than too very s t can will just don should now
"""
STOP_WORDS: dict[str, frozenset[str]] = {
    "sv": frozenset(_SWEDISH_STOP.split()),
    "en": frozenset(_ENGLISH_STOP.split()),
}

# Letters and digits, maybe joined by single hyphens ("e-post", "5G-mast"); everything else
# (punctuation, quotes, tsquery operators such as & | ! : * ( ), LIKE wildcards % and _)
# separates words and never reaches a database.
_RUN = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
_LETTER = re.compile(r"[^\W\d_]")

# PostgreSQL's ts_rank: default weights of D, C, B and A, positions kept per lexeme, and the
# sum of 1/i² (pi²/6) that it divides by.
TS_RANK_WEIGHTS = {"A": 1.0, "B": 0.4, "C": 0.2, "D": 0.1}
_MAX_POSITIONS = 256
_PI2_6 = 1.64493406685

_local = threading.local()  # Snowball stemmer objects keep state between calls: one per thread


def language_of(code: str | None) -> str:
    """A language code ("sv", "en", "en-gb") as one these rules know; Swedish otherwise."""
    base = (code or "sv").split("-")[0].lower()
    return base if base in CONFIGS else "sv"


def normalise(text: str) -> str:
    """Unicode-normalised and lowercased (done here, not left to the database: PostgreSQL
    lowercases only ASCII letters in a database whose character type is "C")."""
    return unicodedata.normalize("NFKC", text).lower()


def _runs(text: str) -> list[list[str]]:
    """Hyphen-joined runs of words, split where PostgreSQL's parser splits them: a part
    without a letter ("2018-11-06", "beta-1") does not join a hyphenated word."""
    runs: list[list[str]] = []
    for match in _RUN.finditer(normalise(text)):
        current: list[str] = []
        for part in match.group().split("-"):
            if _LETTER.search(part):
                current.append(part)
                continue
            if current:
                runs.append(current)
            runs.append([part])
            current = []
        if current:
            runs.append(current)
    return [[w for w in run if len(w) <= MAX_TERM_CHARS] for run in runs]


def words(text: str) -> list[str]:
    """The words of a text, normalised, in order, hyphenated words split into their parts
    ("e-post" -> "e", "post"); stop words included. What a query is made of."""
    return [w for run in _runs(text) for w in run]


def index_words(text: str) -> list[str]:
    """The words of a text as PostgreSQL indexes them: a hyphenated word whole, then each
    part ("e-post", "e", "post"), so "post" and "e-po" both find it, as in a tsvector."""
    found: list[str] = []
    for run in _runs(text):
        if len(run) > 1:
            found.append("-".join(run))
        found.extend(run)
    return found


class Stemmer(Protocol):
    """What Platsa uses of a Snowball stemmer (snowballstemmer publishes no types)."""

    def stemWord(self, word: str) -> str: ...  # noqa: N802 - the library's name


def snowball(algorithm: str) -> Stemmer:
    """A new Snowball stemmer for ``algorithm`` ("swedish"); not safe to share between
    threads."""
    stemmer: Stemmer = snowballstemmer.stemmer(algorithm)
    return stemmer


def _stemmer(language: str) -> Stemmer:
    stemmers: dict[str, Stemmer] | None = getattr(_local, "stemmers", None)
    if stemmers is None:
        stemmers = _local.stemmers = {}
    if language not in stemmers:
        stemmers[language] = snowball(CONFIGS[language])
    return stemmers[language]


@lru_cache(maxsize=65536)
def stem(word: str, language: str) -> str:
    """One normalised word cut to its Snowball stem ("föreningar" -> "förening")."""
    return _stemmer(language).stemWord(word)


def stems(text: str, language: str) -> list[str]:
    """The stems of a text's words, stop words left out: what an index stores for it."""
    stop = STOP_WORDS[language]
    return [stem(w, language) for w in index_words(text) if w not in stop]


@dataclass(frozen=True)
class Query:
    """A user's search, parsed the same way for every engine.

    ``words`` go to PostgreSQL, which stems them with its own dictionary (so query and index
    are cut by the same stemmer); ``stems`` are the same words stemmed here, for an index of
    stems built with :func:`stems`. Every term matches as a prefix, and all must match.
    """

    language: str
    words: tuple[str, ...]
    stems: tuple[str, ...]

    def __bool__(self) -> bool:
        return bool(self.words)

    def tsquery(self) -> str:
        """All the words as prefixes, all required, in PostgreSQL's to_tsquery syntax."""
        return prefix_tsquery(self.words)


def prefix_tsquery(terms: Sequence[str]) -> str:
    """Words as a to_tsquery expression: each a prefix (``'bredband':*``), all required.

    Safe as a raw tsquery (still passed as a parameter) for words from :func:`words`: they
    hold only letters and digits, so no operator or quote a user typed survives into it.
    """
    return " & ".join(f"'{w}':*" for w in terms)


def parse_query(text: str, language: str) -> Query:
    """A search box's text as terms: words, without stop words, duplicates or too-short
    words, at most :data:`MAX_QUERY_TERMS` of them. Empty if nothing searchable is left."""
    language = language_of(language)
    stop = STOP_WORDS[language]
    kept: list[str] = []
    for word in words(text[:MAX_QUERY_CHARS]):
        if len(word) < MIN_TERM_CHARS or word in stop or word in kept:
            continue
        kept.append(word)
        if len(kept) == MAX_QUERY_TERMS:
            break
    found = tuple(kept)
    return Query(language, found, tuple(dict.fromkeys(stem(w, language) for w in found)))


def rank(fields: Sequence[tuple[float, Sequence[str]]], terms: Sequence[str]) -> float:
    """How well a document matches prefix terms, scored as PostgreSQL's ``ts_rank`` scores
    a one-term query, summed over the terms.

    ``fields`` are the document's stems by weight, in document order (title first). Every
    stem that starts with a term counts; for each such stem its occurrences count less and
    less (the j-th by 1/j²), so a word said once in a title beats one said often in a long
    description. Doing the arithmetic of PostgreSQL (its ``calc_rank_or``) means an index of
    stems ranks like a ``tsvector``, and both engines put the same actions on top.
    """
    total = 0.0
    for term in terms:
        occurrences: dict[str, list[float]] = {}
        for weight, field in fields:
            for token in field:
                if token.startswith(term):
                    occurrences.setdefault(token, []).append(weight)
        for found in occurrences.values():
            weights = found[:_MAX_POSITIONS]
            summed = sum(w / (j + 1) ** 2 for j, w in enumerate(weights))
            best = max(weights)
            first_best = weights.index(best)
            total += (best + summed - best / (first_best + 1) ** 2) / _PI2_6
    return total
