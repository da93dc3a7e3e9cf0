"""Respondents' answers as arrays: the single input shape of every computation in the core.

Both the web app (from the database) and the command line (from a CSV or XLSX file) build a
:class:`ResponseSet`; scoring and recommendations never know where the answers came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from platsa.core.schema.frameworks import Framework, Side


@dataclass(frozen=True)
class GroupInfo:
    """A respondent group: ``key`` identifies it, ``label`` is shown, ``side`` is the party it
    speaks for, or ``None`` when unknown (free-text groups in a file).

    A side given as its stored text (``RoundGroup.side`` is a plain column) becomes the
    :class:`Side` it names, so that every group the core works with has a real one; a text
    that names no side is refused here rather than compared as a side of its own."""

    key: str
    label: str
    side: Side | None = None
    aliases: tuple[str, ...] = ()  # other labels that name the group in an import (e.g. English)

    def __post_init__(self) -> None:
        if self.side is not None and not isinstance(self.side, Side):
            object.__setattr__(self, "side", Side(self.side))


@dataclass(frozen=True)
class CommentEntry:
    respondent: int  # row index into the ResponseSet
    theme_id: str
    kind: str  # a framework comment id, e.g. "good" or "better"
    text: str


@dataclass
class ResponseSet:
    """Answers of ``n`` respondents to one framework.

    - ``values``: float ``(n, Q)``, the rating per question, NaN where there is none.
    - ``dont_know``: bool ``(n, Q)``, True where the respondent chose "don't know".
      A NaN that is not "don't know" means the question was not answered.
    - ``group``: int ``(n,)``, index into ``groups``; -1 for no group.
    - ``priorities``: bool ``(n, T)``, True where the respondent named the theme among those
      that matter most.
    - ``age_band``: int ``(n,)``, index into ``framework.age_bands``; -1 when not given.
    """

    framework: Framework
    values: np.ndarray
    dont_know: np.ndarray
    group: np.ndarray
    groups: list[GroupInfo]
    priorities: np.ndarray
    age_band: np.ndarray
    comments: list[CommentEntry] = field(default_factory=list)

    def __post_init__(self) -> None:
        n = self.values.shape[0]
        q = len(self.framework.questions)
        t = len(self.framework.themes)
        if self.values.shape != (n, q) or self.dont_know.shape != (n, q):
            raise ValueError("values and dont_know must be (respondents, questions)")
        if self.group.shape != (n,) or self.age_band.shape != (n,):
            raise ValueError("group and age_band must have one entry per respondent")
        if self.priorities.shape != (n, t):
            raise ValueError("priorities must be (respondents, themes)")

    @property
    def n(self) -> int:
        return int(self.values.shape[0])

    @classmethod
    def empty(cls, framework: Framework, groups: list[GroupInfo] | None = None) -> ResponseSet:
        q, t = len(framework.questions), len(framework.themes)
        return cls(
            framework=framework,
            values=np.empty((0, q)),
            dont_know=np.zeros((0, q), dtype=bool),
            group=np.empty(0, dtype=np.int64),
            groups=groups or [],
            priorities=np.zeros((0, t), dtype=bool),
            age_band=np.empty(0, dtype=np.int64),
        )

    def take(self, index: np.ndarray) -> ResponseSet:
        """A subset (or reordering) of respondents; comments follow their respondents."""
        index = np.asarray(index)
        position = {int(old): new for new, old in enumerate(index)}
        comments = [
            CommentEntry(position[c.respondent], c.theme_id, c.kind, c.text)
            for c in self.comments
            if c.respondent in position
        ]
        return ResponseSet(
            framework=self.framework,
            values=self.values[index],
            dont_know=self.dont_know[index],
            group=self.group[index],
            groups=self.groups,
            priorities=self.priorities[index],
            age_band=self.age_band[index],
            comments=comments,
        )

    def theme_matrix(self) -> tuple[np.ndarray, np.ndarray]:
        """Per respondent and theme: the mean of the theme's rated questions (NaN if none),
        and whether the respondent said "don't know" to the theme (no rating, at least one
        "don't know")."""
        fw = self.framework
        if all(len(t.questions) == 1 for t in fw.themes):
            return self.values, self.dont_know & np.isnan(self.values)
        index = np.asarray(fw.question_theme_index)
        n, t = self.n, len(fw.themes)
        rated = ~np.isnan(self.values)
        sums = np.zeros((n, t))
        counts = np.zeros((n, t))
        dks = np.zeros((n, t))
        for theme in range(t):
            cols = index == theme
            sums[:, theme] = np.where(rated[:, cols], self.values[:, cols], 0.0).sum(axis=1)
            counts[:, theme] = rated[:, cols].sum(axis=1)
            dks[:, theme] = self.dont_know[:, cols].sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            means = np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)
        return means, (counts == 0) & (dks > 0)
