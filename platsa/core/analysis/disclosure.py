"""What aggregated results may be shown to the public without revealing anyone's answers.

Two rules, applied together:

1. **Threshold**: no figure based on fewer than ``k`` people (groups, per-theme cells, the
   whole round).
2. **Complementary suppression**: a figure that is shown must not let a reader compute a
   hidden one by subtraction. Everyone's score and n minus the shown groups' would give the
   hidden rest exactly, so the rest (hidden groups plus people without a group) must itself
   be 0 or at least ``k`` people, per group and per theme; otherwise more is hidden.

This is the standard practice of statistics offices for small-area tables, reduced to what
Platsa shows: one total and a few groups.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from platsa.core.analysis.scoring import Results


@dataclass(frozen=True)
class Disclosure:
    k: int
    groups: tuple[str, ...]  # group keys that may be shown at all
    hidden_groups: int  # groups with respondents that are not shown
    themes: frozenset[str]  # themes whose overall figures may be shown
    cells: frozenset[tuple[str, str]] = field(default_factory=frozenset)  # (theme, group) shown

    def shows_group(self, key: str) -> bool:
        return key in self.groups

    def shows_theme(self, theme_id: str) -> bool:
        return theme_id in self.themes

    def shows_cell(self, theme_id: str, key: str) -> bool:
        return (theme_id, key) in self.cells


# Below this many ratings a score is "too few answers" for every reader, organisers too: a
# mean of two people says nothing about a group (statistics, not privacy).
MIN_RATINGS = 3


def everything(results: Results) -> Disclosure:
    """No suppression for privacy: what organisers see; only scores of fewer than
    ``MIN_RATINGS`` ratings are left out."""
    keys = tuple(g.group.key for g in results.groups if g.respondents > 0)
    return Disclosure(
        k=1,
        groups=keys,
        hidden_groups=0,
        themes=frozenset(t.theme_id for t in results.themes if t.n == 0 or t.n >= MIN_RATINGS),
        cells=frozenset(
            (t.theme_id, g.group.key)
            for g in results.groups
            for t in g.themes
            if g.respondents and (t.n == 0 or t.n >= MIN_RATINGS)
        ),
    )


def public(results: Results, k: int) -> Disclosure:
    """What the public may see, by the two rules above."""
    if results.respondents < k:
        return Disclosure(k=k, groups=(), hidden_groups=0, themes=frozenset())
    present = [g for g in results.groups if g.respondents > 0]
    shown = sorted(
        (g for g in present if g.respondents >= k), key=lambda g: (g.respondents, g.group.key)
    )
    rest = results.respondents - sum(g.respondents for g in shown)
    while shown and 0 < rest < k:  # hide the smallest shown group until the rest is safe
        rest += shown.pop(0).respondents
    shown_keys = {g.group.key for g in shown}
    cells: set[tuple[str, str]] = set()
    themes: set[str] = set()
    for theme in results.themes:
        if theme.n >= k:
            themes.add(theme.theme_id)
        visible = [g for g in shown if g.theme(theme.theme_id).n >= k]
        remainder = theme.n - sum(g.theme(theme.theme_id).n for g in visible)
        while visible and 0 < remainder < k:
            smallest = min(visible, key=lambda g: (g.theme(theme.theme_id).n, g.group.key))
            visible.remove(smallest)
            remainder += smallest.theme(theme.theme_id).n
        if theme.theme_id in themes:
            cells.update((theme.theme_id, g.group.key) for g in visible)
    order = [g.group.key for g in results.groups if g.group.key in shown_keys]
    return Disclosure(
        k=k,
        groups=tuple(order),
        hidden_groups=len(present) - len(order),
        themes=frozenset(themes),
        cells=frozenset(cells),
    )
