"""Realistic place profiles (tests/data/profiles/*.yaml) turned into answers and context.

Answers are drawn once per profile from a seeded generator: each respondent's rating of a
theme is the group's mean plus normal noise of ``spread``, rounded and kept on the scale;
each names its priorities with the group's shares; the profile's comments go to the first
respondents. The context comes from the real municipality's open data.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from platsa.core.analysis.context import PlaceContext
from platsa.core.io.reference import context_for_municipality, find_municipality
from platsa.core.schema.catalogue import Country
from platsa.core.schema.dataset import CommentEntry, GroupInfo, ResponseSet
from platsa.core.schema.frameworks import Framework

PROFILE_DIR = Path(__file__).resolve().parent.parent / "data" / "profiles"
DEFAULT_SCORE = 4.5


@dataclass(frozen=True)
class Profile:
    key: str
    data: dict[str, Any]
    responses: ResponseSet
    context: PlaceContext

    @property
    def expect(self) -> dict[str, Any]:
        return self.data.get("expect", {})


def profile_names() -> list[str]:
    return sorted(p.stem for p in PROFILE_DIR.glob("*.yaml"))


def _answers(fw: Framework, data: dict[str, Any]) -> ResponseSet:
    rng = np.random.default_rng(int(data["seed"]))
    spread = float(data.get("spread", 1.0))
    specs = {g.id: g for g in fw.groups}
    groups: list[GroupInfo] = []
    values: list[np.ndarray] = []
    priorities: list[np.ndarray] = []
    group_index: list[int] = []
    lo, hi = fw.scale.min, fw.scale.max
    for key, spec in data["groups"].items():
        g = specs[key]
        groups.append(GroupInfo(key, g.label.sv, g.side))
        n = int(spec["n"])
        means = np.array([float(spec["scores"].get(t, DEFAULT_SCORE)) for t in fw.theme_ids])
        ratings = np.clip(np.rint(means + rng.normal(0.0, spread, (n, len(means)))), lo, hi)
        values.append(ratings)
        shares = data.get("priorities", {}).get(key, {})
        named = np.zeros((n, len(fw.theme_ids)), dtype=bool)
        for theme, share in shares.items():
            named[:, fw.theme_ids.index(theme)] = rng.random(n) < float(share)
        # At most three priorities each: keep the first three named in the profile's order.
        order = [fw.theme_ids.index(t) for t in shares]
        for row in named:
            picked = [i for i in order if row[i]][:3]
            row[:] = False
            row[picked] = True
        priorities.append(named)
        group_index += [len(groups) - 1] * n
    all_values = np.vstack(values)
    comments = [
        CommentEntry(i, c["theme"], c.get("kind", "better"), c["text"])
        for i, c in enumerate(data.get("comments", []))
    ]
    return ResponseSet(
        framework=fw,
        values=all_values,
        dont_know=np.zeros(all_values.shape, dtype=bool),
        group=np.array(group_index, dtype=np.int64),
        groups=groups,
        priorities=np.vstack(priorities),
        age_band=np.full(len(group_index), -1, dtype=np.int64),
        comments=comments,
    )


def _context(data: dict[str, Any]) -> PlaceContext:
    municipality = find_municipality(str(data["municipality"]))
    assert municipality is not None, data["municipality"]
    population = data.get("place_population")
    context = context_for_municipality(
        municipality,
        place_name=data["name"],
        place_population=population,
        is_whole_municipality=population is None,
    )
    large = data.get("large_employer")
    return replace(
        context,
        has_large_employer=large if large is not None else context.has_large_employer,
        country=context.country or Country(municipality.country),
    )


def load_profile(key: str, fw: Framework) -> Profile:
    data = yaml.safe_load((PROFILE_DIR / f"{key}.yaml").read_text(encoding="utf-8"))
    return Profile(key, data, _answers(fw, data), _context(data))
