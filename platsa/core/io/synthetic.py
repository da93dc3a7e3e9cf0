"""Generated answers for the demo place, the benchmarks and tests.

These are clearly artificial (the demo says so): each group has its own view of each theme,
drawn around a profile so that the results page shows realistic gaps, e.g. industry seeing
skills supply far worse than residents do.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from platsa.core.io.importer import template_columns
from platsa.core.schema.frameworks import Framework

# Mean rating per theme on a 1-7 scale for an imagined industrial town; groups shift it.
BASE_PROFILE = {
    "housing": 3.2,
    "work_business": 4.6,
    "skills_supply": 3.6,
    "mobility": 3.4,
    "digital_connectivity": 4.8,
    "services": 3.9,
    "schools_childcare": 4.9,
    "culture_leisure": 4.3,
    "nature_environment": 6.0,
    "community": 4.9,
    "identity_image": 3.5,
    "safety": 4.8,
    "influence": 3.1,
    "collaboration": 3.8,
    "public_spaces": 3.7,
}
GROUP_SHIFTS = {
    "industry_employees": {"skills_supply": -1.0, "housing": -0.6, "work_business": 0.8},
    "industry_management": {"skills_supply": -2.0, "housing": -1.2, "identity_image": -0.8},
    "young_people": {"culture_leisure": -1.3, "mobility": -1.0, "influence": -0.8},
    "residents": {"skills_supply": 0.8},
    "municipal_staff": {"influence": 1.0, "collaboration": 0.6},
    "associations": {"community": 0.5, "collaboration": -0.6},
}
PRIORITY_WEIGHT = {"housing": 3.0, "skills_supply": 2.0, "mobility": 2.0, "services": 1.5}


def generate_rows(
    framework: Framework,
    n: int,
    *,
    groups: Sequence[str] = (),
    seed: int = 2026,
    dont_know_rate: float = 0.06,
    comment_rate: float = 0.0,
    comments: Sequence[str | tuple[str, str, str]] = (),
    profile_shift: dict[str, float] | None = None,
) -> tuple[list[str], list[list[str]]]:
    """A template header and ``n`` rows of plausible answers (as text, like a typed sheet).

    ``comments`` are texts put under a random theme and question, or ``(theme, question,
    text)`` triples that stay where they belong (the demo: a comment on buses under
    "what could be better" for transport)."""
    rng = np.random.default_rng(seed)
    overall = profile_shift or {}  # for everyone, e.g. how the place looked a year earlier
    groups = list(groups) or [g.id for g in framework.groups]
    header = template_columns(framework)
    lo, hi = framework.scale.min, framework.scale.max
    group_of = rng.integers(0, len(groups), size=n)
    theme_ids = framework.theme_ids
    weights = np.array([PRIORITY_WEIGHT.get(t, 1.0) for t in theme_ids])
    weights = weights / weights.sum()
    ages = [a.id for a in framework.age_bands]
    rows: list[list[str]] = []
    noise = rng.normal(0, 1.3, size=(n, len(framework.questions)))
    dk = rng.random(size=(n, len(framework.questions))) < dont_know_rate
    index = {h: i for i, h in enumerate(header)}
    for r in range(n):
        group = groups[group_of[r]]
        group_shift = GROUP_SHIFTS.get(group, {})
        row = [""] * len(header)
        row[index["respondent"]] = f"R{r + 1:06d}"
        row[index["group"]] = group
        if ages and rng.random() < 0.8:
            row[index["age_band"]] = ages[int(rng.integers(0, len(ages)))]
        for q, question in enumerate(framework.questions):
            theme = theme_ids[framework.question_theme_index[q]]
            # Profiles, shifts and noise are on the 1-7 scale (a theme without a profile sits
            # at its midpoint, 4), then carried over to the framework's own scale.
            centre = (
                BASE_PROFILE.get(theme, 4.0)
                + group_shift.get(theme, 0.0)
                + overall.get(theme, 0.0)
                + noise[r, q]
            )
            centre = lo + (centre - 1) * (hi - lo) / 6 if (lo, hi) != (1, 7) else centre
            value = int(np.clip(np.rint(centre), lo, hi))
            row[index[question.id]] = "" if dk[r, q] else str(value)
        k = int(rng.integers(0, framework.max_priorities + 1))
        if k:
            picks = rng.choice(len(theme_ids), size=k, replace=False, p=weights)
            for p, pick in enumerate(picks, start=1):
                row[index[f"priority_{p}"]] = theme_ids[pick]
        if comments and comment_rate and rng.random() < comment_rate:
            picked = comments[int(rng.integers(0, len(comments)))]
            if isinstance(picked, tuple):
                theme, kind, text = picked
            else:
                theme = theme_ids[int(rng.integers(0, len(theme_ids)))]
                kind = framework.comments[int(rng.integers(0, len(framework.comments)))].id
                text = picked
            if f"{kind}_{theme}" in index:
                row[index[f"{kind}_{theme}"]] = text
        rows.append(row)
    return header, rows
