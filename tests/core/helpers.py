"""Build ResponseSets from small literal tables, for readable core tests."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from platsa.core.schema.dataset import GroupInfo, ResponseSet
from platsa.core.schema.frameworks import Framework

DK = "?"


def responses(
    framework: Framework,
    rows: Sequence[dict],
    *,
    groups: Sequence[GroupInfo] | None = None,
) -> ResponseSet:
    """``rows`` like ``{"group": "residents", "housing": 3, "mobility": "?", "priorities": [...]}``;
    a question left out is unanswered."""
    groups = list(groups or [GroupInfo(g.id, g.label.sv, g.side) for g in framework.groups])
    index = {g.key: i for i, g in enumerate(groups)}
    n, q, t = len(rows), len(framework.questions), len(framework.themes)
    values = np.full((n, q), np.nan)
    dont_know = np.zeros((n, q), dtype=bool)
    priorities = np.zeros((n, t), dtype=bool)
    group = np.full(n, -1, dtype=np.int64)
    for r, row in enumerate(rows):
        for c, qid in enumerate(framework.question_ids):
            value = row.get(qid)
            if value == DK:
                dont_know[r, c] = True
            elif value is not None:
                values[r, c] = value
        for theme in row.get("priorities", []):
            priorities[r, framework.theme_ids.index(theme)] = True
        if row.get("group") is not None:
            group[r] = index[row["group"]]
    return ResponseSet(
        framework=framework,
        values=values,
        dont_know=dont_know,
        group=group,
        groups=groups,
        priorities=priorities,
        age_band=np.full(n, -1, dtype=np.int64),
    )


def uniform(
    framework: Framework, n: int, value: int, group: str = "residents", **overrides
) -> list[dict]:
    row = dict.fromkeys(framework.question_ids, value)
    row.update(overrides)
    row["group"] = group
    return [dict(row) for _ in range(n)]
