"""Generated answers stored in a round through the real import path: for the demo place,
the tests and the benchmarks (one way to do it, so all three exercise the same code)."""

from __future__ import annotations

from collections.abc import Sequence

from platsa.assessments.models import ImportBatch, Response, Round
from platsa.assessments.services import import_apply
from platsa.core.io.importer import parse_table
from platsa.core.io.synthetic import generate_rows
from platsa.core.io.tabular import Table
from platsa.core.schema.dataset import GroupInfo
from platsa.core.schema.frameworks import Side


def round_fill_generated(
    round_: Round,
    n: int,
    *,
    seed: int = 1,
    groups: Sequence[str] | None = None,
    comment_rate: float = 0.0,
    comments: Sequence[str | tuple[str, str, str]] = ("Bra här", "Mer bussar"),
    profile_shift: dict[str, float] | None = None,
    user: object = None,
) -> ImportBatch:
    """Store ``n`` artificial answers (marked as web answers) in ``round_``; ``groups`` are
    group keys to draw from (default: all of the round's)."""
    fw = round_.framework
    keys = [g.key for g in round_.groups.all()] if groups is None else list(groups)
    header, rows = generate_rows(
        fw,
        n,
        seed=seed,
        groups=keys,
        comment_rate=comment_rate,
        comments=comments,
        profile_shift=profile_shift,
    )
    for row in rows:  # form numbers unique across several fills of one round
        row[0] = f"S{seed}-{row[0]}"
    infos = [GroupInfo(g.key, g.label_sv, Side(g.side)) for g in round_.groups.all()]
    imported = parse_table(Table(header, rows), fw, groups=infos)
    return import_apply(
        round_=round_,
        user=user,
        imported=imported,
        filename="generated",
        source=Response.Source.WEB,
    )
