"""Ideas like the one being written, shown while a participant types and before posting,
and the likely duplicates organisers are offered to merge.

The index of a process's shown ideas (``platsa.core.analysis.idea_similarity``) is kept in
this process's memory. Analysing the texts is most of its cost (3,000 ideas: 4.6 s of 5.4 s),
so each idea's analysis is kept too, here and in the shared cache, keyed on its text's stamp:
a new idea costs its own analysis, and the index is rebuilt from the kept ones (3,000 ideas:
under a second). While ideas arrive in a large process (``STALE_FROM`` ideas or more), an
index is reused for up to ``STALE_SECONDS`` before it is rebuilt, so a crowd posting at once
does not rebuild it on every keystroke; a new idea is offered as "similar" within that time.
A small process's index is rebuilt at every change (tens of milliseconds).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.core.cache import cache
from django.db.models import Count, Max

from platsa.core.analysis.idea_similarity import Analysed, IdeaIndex, analyse
from platsa.innovation.models import Idea
from platsa.innovation.selectors import shown_ideas

STALE_SECONDS = 20
STALE_FROM = 500  # ideas: below this a rebuild is cheap (tens of ms) and always done
_KEEP_INDEXES = 16
_KEEP_ANALYSED = 50_000
ANALYSIS_VERSION = "1"  # bump when idea_similarity's analysis changes

_LOCK = threading.Lock()


@dataclass
class _Built:
    version: str
    built_at: float
    index: IdeaIndex
    pairs: list[tuple[int, int, float]] | None = field(default=None)


_INDEXES: OrderedDict[int, _Built] = OrderedDict()
_ANALYSED: OrderedDict[str, Analysed] = OrderedDict()


def idea_text(title: str, body: str) -> str:
    """An idea as the analysis reads it: the first line is the title."""
    return f"{title}\n{body}"


def texts_version(process_id: int) -> str:
    """The version of a process's shown ideas' texts: how many, the newest, the last edit
    (the similarity index and the machine themes are made once per version)."""
    found = shown_ideas(process_id).aggregate(
        n=Count("id"), last=Max("id"), edited=Max("text_changed_at")
    )
    return f"{found['n']}:{found['last']}:{found['edited']}"


def _key(pk: int, stamp: datetime) -> str:
    return f"platsa:idea-analysis:{ANALYSIS_VERSION}:{pk}:{stamp.isoformat()}"


def _analysed(rows: Sequence[tuple[int, str, str, datetime]]) -> list[Analysed]:
    """Each idea's analysis: from this process's memory, the shared cache, or made now."""
    keys = [_key(pk, stamp) for pk, _t, _b, stamp in rows]
    with _LOCK:
        found = {k: _ANALYSED[k] for k in keys if k in _ANALYSED}
    missing = [k for k in keys if k not in found]
    if missing:
        found.update(cache.get_many(missing))
    made: dict[str, Analysed] = {}
    for key, (_pk, title, body, _stamp) in zip(keys, rows, strict=True):
        if key not in found:
            made[key] = found[key] = analyse(idea_text(title, body))
    if made:
        cache.set_many(made, 7 * 24 * 3600)
    with _LOCK:
        for key in keys:
            _ANALYSED[key] = found[key]
            _ANALYSED.move_to_end(key)
        while len(_ANALYSED) > _KEEP_ANALYSED:
            _ANALYSED.popitem(last=False)
    return [found[k] for k in keys]


def _built(process_id: int) -> _Built:
    version = texts_version(process_id)
    now = time.monotonic()
    with _LOCK:
        kept = _INDEXES.get(process_id)
        fresh_enough = (
            kept is not None
            and len(kept.index) >= STALE_FROM
            and now - kept.built_at < STALE_SECONDS
        )
        if kept is not None and (kept.version == version or fresh_enough):
            _INDEXES.move_to_end(process_id)
            return kept
    rows = list(shown_ideas(process_id).values_list("pk", "title", "body", "text_changed_at"))
    index = IdeaIndex(
        [(pk, idea_text(title, body)) for pk, title, body, _stamp in rows],
        analysed=_analysed(rows),
    )
    built = _Built(version, now, index)
    with _LOCK:
        _INDEXES[process_id] = built
        while len(_INDEXES) > _KEEP_INDEXES:
            _INDEXES.popitem(last=False)
    return built


def index_for(process_id: int) -> IdeaIndex:
    return _built(process_id).index


def similar_ideas(
    process_id: int, title: str, body: str, *, exclude: int | None = None, limit: int = 5
) -> list[tuple[Idea, float]]:
    """The shown ideas most like ``title`` and ``body``, best first, with their scores."""
    text = idea_text(title, body).strip()
    if len(text) < 8:
        return []
    matches = index_for(process_id).similar(text[:6000], limit=limit, exclude=exclude)
    ideas = shown_ideas(process_id).in_bulk([m.id for m in matches])
    return [(ideas[m.id], m.score) for m in matches if m.id in ideas]


def likely_duplicates(process_id: int, limit: int = 30) -> list[tuple[Idea, Idea, float]]:
    """Pairs of shown ideas that seem to say the same, most alike first (for merging);
    computed once per index."""
    built = _built(process_id)
    if built.pairs is None:
        built.pairs = built.index.pairs()
    pairs = built.pairs[:limit]
    ideas = shown_ideas(process_id).in_bulk({i for a, b, _s in pairs for i in (a, b)})
    return [(ideas[a], ideas[b], s) for a, b, s in pairs if a in ideas and b in ideas]


def forget() -> None:
    """Drop the kept indexes and analyses (tests)."""
    with _LOCK:
        _INDEXES.clear()
        _ANALYSED.clear()
