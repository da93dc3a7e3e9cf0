"""What respondents wrote, matched against an action's keywords.

An action lists a few words (``keywords: {sv: [butik, lanthandel], en: [shop]}``); when the
comments people wrote under a weak theme use those words, the action is what they are
asking for, and the engine says so with a quote. Matching is on Snowball stems, both ways
round Swedish compounds: a keyword's stem matches a comment word that starts with it
("butik" finds "butiken") or that ends with it plus at most a short inflection ("butik" finds
"matbutiken", "bredband" finds "fiberbredbandet"). Stems shorter than four letters match only
a whole word or a word's start, so "bo" does not find "ebola".

Work is bounded: at most ``MAX_COMMENTS_PER_THEME`` comments of a theme are read, each cut
to ``MAX_COMMENT_CHARS``; a big file's thousands of comments say no more than its first
hundreds about which words people use, and the ranking must stay fast.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from platsa.core.analysis.textsearch import normalise, snowball
from platsa.core.schema.dataset import CommentEntry

MAX_COMMENTS_PER_THEME = 500
MAX_COMMENT_CHARS = 1_000
MIN_INFIX_STEM = 4  # shorter stems match only at a word's start
MAX_INFLECTION = 4  # letters a compound may carry after the stem ("-bandet" is 3 after "band")
MAX_WORD_CHARS = 40

_STEMMERS = {"sv": "swedish", "en": "english", "nb": "norwegian", "fi": "finnish"}
_WORD = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=4096)
def keyword_stem(word: str, language: str) -> str:
    """A keyword cut to its stem in its own language (unknown languages: the word itself)."""
    word = normalise(word).strip()
    algorithm = _STEMMERS.get(language)
    if algorithm is None:
        return word
    return snowball(algorithm).stemWord(word)


@dataclass(frozen=True)
class CommentIndex:
    """For each theme, which of its comments use each keyword stem: built once, word by
    word (each distinct word is cut into the few pieces a stem could match), so matching
    an action is a handful of dictionary lookups however many actions there are."""

    comments: dict[str, tuple[CommentEntry, ...]]  # theme -> the comments read
    hits: dict[str, dict[str, frozenset[int]]]  # theme -> stem -> positions in comments

    def matches(self, theme_id: str, stems: frozenset[str]) -> list[CommentEntry]:
        """The comments of ``theme_id`` that use one of ``stems``, in file order."""
        hits = self.hits.get(theme_id)
        if not hits:
            return []
        found: set[int] = set()
        for stem in stems:
            found |= hits.get(stem, frozenset())
        entries = self.comments[theme_id]
        return [entries[i] for i in sorted(found)]


def _pieces(word: str, lengths: frozenset[int]) -> set[str]:
    """The parts of ``word`` that a stem of one of ``lengths`` letters would match: its
    starts, and (for stems of MIN_INFIX_STEM letters or more) the parts that end at most
    MAX_INFLECTION letters before the word's end, as the head of a compound does."""
    out = {word[:k] for k in lengths if k <= len(word)}
    for end in range(max(1, len(word) - MAX_INFLECTION), len(word) + 1):
        for k in lengths:
            start = end - k
            if k >= MIN_INFIX_STEM and start > 0:
                out.add(word[start:end])
    return out


def index_comments(
    comments: Iterable[CommentEntry],
    kinds: Sequence[str] | None,
    stems: Iterable[str],
    themes: Iterable[str] | None = None,
) -> CommentIndex:
    """Index the comments of ``themes`` (all when ``None``) and ``kinds`` (all when
    ``None``) against ``stems``, the keyword stems of every action; bounded."""
    wanted = frozenset(stems)
    lengths = frozenset(len(s) for s in wanted)
    only = None if themes is None else frozenset(themes)
    by_theme: dict[str, list[CommentEntry]] = {}
    words: dict[str, dict[str, list[int]]] = {}
    for entry in comments:
        if kinds is not None and entry.kind not in kinds:
            continue
        if only is not None and entry.theme_id not in only:
            continue
        bucket = by_theme.setdefault(entry.theme_id, [])
        if len(bucket) >= MAX_COMMENTS_PER_THEME:
            continue
        position = len(bucket)
        bucket.append(entry)
        vocabulary = words.setdefault(entry.theme_id, {})
        for word in set(_WORD.findall(normalise(entry.text[:MAX_COMMENT_CHARS]))):
            if len(word) <= MAX_WORD_CHARS:
                vocabulary.setdefault(word, []).append(position)
    hits: dict[str, dict[str, frozenset[int]]] = {}
    for theme_id, vocabulary in words.items():
        found: dict[str, set[int]] = {}
        for word, positions in vocabulary.items():
            for piece in _pieces(word, lengths) & wanted:
                found.setdefault(piece, set()).update(positions)
        hits[theme_id] = {stem: frozenset(p) for stem, p in found.items()}
    return CommentIndex({k: tuple(v) for k, v in by_theme.items()}, hits)


def quote(text: str, limit: int = 200) -> str:
    """A comment as it is quoted: whitespace tidied, cut at a word before ``limit``."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",.;:") + "…"
