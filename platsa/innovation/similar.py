"""Ideas like the one being written, shown while a participant types and before posting,
and the likely duplicates organisers are offered to merge.

The index of a process's shown ideas (``platsa.core.analysis.idea_similarity``) is built
once per version of its texts (how many ideas, the newest, the newest edit) and kept in this
process's memory: building it for 3,000 ideas costs more than a query of it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from django.db.models import Count, Max

from platsa.core.analysis.idea_similarity import IdeaIndex
from platsa.innovation.models import Idea
from platsa.innovation.selectors import shown_ideas

_LOCK = threading.Lock()
_INDEXES: OrderedDict[tuple[int, int, int, str], IdeaIndex] = OrderedDict()
_KEEP = 16


def idea_text(title: str, body: str) -> str:
    return f"{title}\n{body}"


def index_for(process_id: int) -> IdeaIndex:
    rows = shown_ideas(process_id)
    version = rows.aggregate(n=Count("id"), last=Max("id"), edited=Max("text_changed_at"))
    key = (process_id, version["n"] or 0, version["last"] or 0, str(version["edited"]))
    with _LOCK:
        found = _INDEXES.get(key)
        if found is not None:
            _INDEXES.move_to_end(key)
            return found
    index = IdeaIndex(
        [
            (pk, idea_text(title, body))
            for pk, title, body in rows.values_list("pk", "title", "body")
        ]
    )
    with _LOCK:
        _INDEXES[key] = index
        while len(_INDEXES) > _KEEP:
            _INDEXES.popitem(last=False)
    return index


def similar_ideas(
    process_id: int, title: str, body: str, *, exclude: int | None = None, limit: int = 5
) -> list[tuple[Idea, float]]:
    """The shown ideas most like ``title`` and ``body``, best first, with their scores."""
    text = idea_text(title, body).strip()
    if len(text) < 8:
        return []
    matches = index_for(process_id).similar(text[:6000], limit=limit, exclude=exclude)
    ideas = Idea.objects.in_bulk([m.id for m in matches])
    return [(ideas[m.id], m.score) for m in matches if m.id in ideas]


def likely_duplicates(process_id: int, limit: int = 30) -> list[tuple[Idea, Idea, float]]:
    """Pairs of shown ideas that seem to say the same, most alike first (for merging)."""
    pairs = sorted(index_for(process_id).pairs(), key=lambda p: -p[2])[:limit]
    ideas = Idea.objects.in_bulk({i for a, b, _s in pairs for i in (a, b)})
    return [(ideas[a], ideas[b], s) for a, b, s in pairs if a in ideas and b in ideas]
