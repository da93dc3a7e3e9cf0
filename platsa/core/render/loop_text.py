"""The closed loop of an action plan as sentences: how a theme moved since the baseline,
the actions that address it, and always the caveat that this is association, not proof.

The analysis (``platsa.core.analysis.plan_followup.theme_loop``) returns a ``LoopRow``;
this module phrases it in the reader's language, the same on the plan page, in the board
report and on the command line (only the translator differs, as in ``explain``). Numbers
are written as the reader writes them (``explain.number``: a decimal comma in Swedish).
"""

from __future__ import annotations

from dataclasses import dataclass

from platsa.core.analysis.plan_followup import ActionStatus, LoopRow, Verdict
from platsa.core.render.explain import join_words, number
from platsa.core.render.messages import Translate, gettext_noop, identity

# {theme} is the theme's title, {before} and {after} its scores at the baseline and now,
# {change} the difference with its sign, {low} and {high} its 95 % interval.
# xgettext:no-python-format
LOOP: dict[str, str] = {
    # xgettext:no-python-format
    "clear_rise": gettext_noop(
        "{theme} {before} → {after}, a clear rise ({change}; 95 % interval {low} to {high})."
    ),
    # xgettext:no-python-format
    "clear_fall": gettext_noop(
        "{theme} {before} → {after}, a clear fall ({change}; 95 % interval {low} to {high})."
    ),
    # xgettext:no-python-format
    "no_clear_change": gettext_noop(
        "{theme} {before} → {after}, no clear change ({change}; 95 % interval {low} to {high})."
    ),
    "too_little_data": gettext_noop("{theme}: too few answers to tell whether it changed."),
    "too_little_before": gettext_noop(
        "{theme} {after} now; too few answers in the baseline round to tell whether it changed."
    ),
    "too_little_after": gettext_noop(
        "{theme} {before} at the baseline; too few answers in the latest round to tell "
        "whether it changed."
    ),
    "no_actions": gettext_noop("No action of the plan addresses this theme."),
    "actions_one": gettext_noop("One action addresses this theme: {statuses}."),
    "actions_many": gettext_noop("{count} actions address this theme: {statuses}."),
    "caveat": gettext_noop(
        "This shows what happened alongside the actions, not that the actions caused it."
    ),
}

# A count of actions with a status, "2 done". One action has its own text, so that its
# message id differs from the many's and a language that inflects can say "1 klar" but
# "2 klara".
STATUS_COUNTS: dict[str, str] = {
    "done_one": gettext_noop("1 done"),
    "done_many": gettext_noop("{count} done"),
    "under_way_one": gettext_noop("1 under way"),
    "under_way_many": gettext_noop("{count} under way"),
    "planned_one": gettext_noop("1 planned"),
    "planned_many": gettext_noop("{count} planned"),
    "paused_one": gettext_noop("1 paused"),
    "paused_many": gettext_noop("{count} paused"),
    "stopped_one": gettext_noop("1 stopped"),
    "stopped_many": gettext_noop("{count} stopped"),
}
# The order statuses are named in: what is finished first, what was given up last.
STATUS_ORDER = (
    ActionStatus.DONE,
    ActionStatus.UNDER_WAY,
    ActionStatus.PLANNED,
    ActionStatus.PAUSED,
    ActionStatus.STOPPED,
)
MINUS = "\u2212"


@dataclass(frozen=True)
class LoopWords:
    """One theme's loop in words. ``caveat`` is always there; ``text`` is the three
    sentences together, for a place that shows one paragraph."""

    theme_id: str
    verdict: Verdict
    change: str
    actions: str
    caveat: str

    @property
    def text(self) -> str:
        return " ".join(part for part in (self.change, self.actions, self.caveat) if part)


def signed(value: float, language: str, decimals: int = 1) -> str:
    """A difference with its sign, "+0,8" or "−0,3" (a true minus); one that rounds to
    zero has none ("0,0", not "−0,0")."""
    rounded = round(value, decimals)
    text = number(abs(rounded), language, decimals)
    if rounded > 0:
        return f"+{text}"
    if rounded < 0:
        return f"{MINUS}{text}"
    return text


def loop_caveat(_: Translate = identity) -> str:
    """The sentence every view of the loop carries: association, not proof."""
    return _(LOOP["caveat"])


def describe_statuses(row: LoopRow, *, language: str = "sv", _: Translate = identity) -> str:
    """The actions' statuses as a list, "2 done and 1 under way"; statuses no action has
    are not named."""
    parts = []
    for status in STATUS_ORDER:
        count = row.by_status.get(status, 0)
        if count:
            key = f"{status.value}_{'one' if count == 1 else 'many'}"
            parts.append(_(STATUS_COUNTS[key]).format(count=number(count, language)))
    return join_words(parts, _)


def describe_loop(
    row: LoopRow, theme: str, *, language: str = "sv", _: Translate = identity
) -> LoopWords:
    """``row`` in words; ``theme`` is the theme's title in ``language`` (as
    ``describe_changes`` takes ``titles``): "Bostäder 2,6 → 3,4, en tydlig ökning (+0,8;
    95 % intervall +0,3 till +1,3). 3 åtgärder rör temat: 2 klara och 1 pågår." and the
    caveat."""

    def num(value: float | None) -> str:
        return number(value, language)

    if row.verdict == Verdict.TOO_LITTLE_DATA or row.difference is None:
        key = "too_little_data"
        if row.after is not None and row.before is None:
            key = "too_little_before"
        elif row.before is not None and row.after is None:
            key = "too_little_after"
        change = _(LOOP[key]).format(theme=theme, before=num(row.before), after=num(row.after))
    else:
        change = _(LOOP[row.verdict.value]).format(
            theme=theme,
            before=num(row.before),
            after=num(row.after),
            change=signed(row.difference, language),
            low=signed(row.low or 0.0, language),
            high=signed(row.high or 0.0, language),
        )
    if row.actions == 0:
        actions = _(LOOP["no_actions"])
    else:
        key = "actions_one" if row.actions == 1 else "actions_many"
        actions = _(LOOP[key]).format(
            count=number(row.actions, language),
            statuses=describe_statuses(row, language=language, _=_),
        )
    return LoopWords(
        theme_id=row.theme_id,
        verdict=row.verdict,
        change=change,
        actions=actions,
        caveat=loop_caveat(_),
    )
