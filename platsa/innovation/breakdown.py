"""Who supports what: supports counted by the supporters' own answers about themselves
(group, age band, country), per idea and in all. Go Vocal keeps this behind a paid plan; here
it is open, and safe to show: every count under five is suppressed (shown as "fewer than
5"), and where a row has one suppressed cell only, which the total and the other cells
would give away, its smallest shown cell is suppressed too.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count

from platsa.innovation.models import Idea, Profile, Support
from platsa.processes.models import Process

MIN_CELL = 5
DIMENSIONS = {
    "group": Profile.Group,
    "age_band": Profile.AgeBand,
    "country": Profile.Country,
}


@dataclass(frozen=True)
class Row:
    idea: Idea | None  # None: all ideas together
    total: int
    cells: tuple[int | None, ...]  # per category, then "not said"; None = suppressed


@dataclass(frozen=True)
class Table:
    dimension: str
    labels: tuple[str, ...]
    rows: tuple[Row, ...]


def suppress(total: int, counts: list[int]) -> tuple[int | None, ...]:
    """Counts under MIN_CELL hidden; if exactly one is hidden and the total is shown, one
    more (the smallest shown) is hidden too, so the hidden one cannot be subtracted out."""
    cells: list[int | None] = [c if c == 0 or c >= MIN_CELL else None for c in counts]
    hidden = [i for i, c in enumerate(cells) if c is None]
    if len(hidden) == 1:
        shown = [(c, i) for i, c in enumerate(cells) if c]
        if shown:
            cells[min(shown)[1]] = None
    return tuple(cells)


def breakdown(process: Process, dimension: str, *, ideas: int = 10) -> Table:
    """The supports of the ``ideas`` most supported shown ideas of ``process``, and of all,
    by ``dimension`` (one query per part, whatever the number of supports)."""
    choices = DIMENSIONS[dimension]
    keys = [*choices.values, ""]
    field = f"user__idea_profile__{dimension}"
    top = list(
        Idea.objects.filter(process=process, visibility="shown", merged_into=None)
        .order_by("-support_count", "-id")
        .only("id", "title", "support_count")[:ideas]
    )
    counts: dict[int, Counter[str]] = {i.pk: Counter() for i in top}
    for idea_id, value, n in (
        Support.objects.filter(idea__in=top).values_list("idea_id", field).annotate(n=Count("id"))
    ):
        counts[idea_id][value or ""] += n
    everything: Counter[str] = Counter()
    for value, n in (
        Support.objects.filter(idea__process=process, idea__visibility="shown")
        .values_list(field)
        .annotate(n=Count("id"))
    ):
        everything[value or ""] += n
    total_all = sum(everything.values())
    rows = [Row(None, total_all, suppress(total_all, [everything[k] for k in keys]))]
    for idea in top:
        found = counts[idea.pk]
        total = sum(found.values())
        rows.append(Row(idea, total, suppress(total, [found[k] for k in keys])))
    labels = (*tuple(str(label) for label in choices.labels), "—")
    return Table(dimension, labels, tuple(rows))
