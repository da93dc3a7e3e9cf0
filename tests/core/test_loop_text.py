"""The closed loop in words (platsa.core.render.loop_text), in Swedish and English."""

from __future__ import annotations

import pytest

from platsa.core.analysis.plan_followup import ActionStatus, LoopRow, Verdict, theme_loop
from platsa.core.analysis.scoring import ThemeScore
from platsa.core.render.loop_text import (
    LOOP,
    STATUS_COUNTS,
    describe_loop,
    loop_caveat,
    signed,
)
from platsa.core.render.messages import SUMMARY

# The Swedish the lead is to put in the catalogue; here a stand-in translator, so the test
# does not depend on makemessages having run.
SWEDISH = {
    LOOP["clear_rise"]: (
        "{theme} {before} → {after}, en tydlig ökning ({change}; 95 % intervall {low} till {high})."
    ),
    LOOP["clear_fall"]: (
        "{theme} {before} → {after}, en tydlig minskning ({change}; 95 % intervall {low} till "
        "{high})."
    ),
    LOOP["no_clear_change"]: (
        "{theme} {before} → {after}, ingen tydlig förändring ({change}; 95 % intervall {low} "
        "till {high})."
    ),
    LOOP["too_little_data"]: "{theme}: för få svar för att säga om det har förändrats.",
    LOOP["too_little_before"]: (
        "{theme} {after} nu; för få svar i utgångsomgången för att säga om det har förändrats."
    ),
    LOOP["too_little_after"]: (
        "{theme} {before} vid utgångsläget; för få svar i den senaste omgången för att säga om "
        "det har förändrats."
    ),
    LOOP["no_actions"]: "Ingen åtgärd i planen rör temat.",
    LOOP["actions_one"]: "En åtgärd rör temat: {statuses}.",
    LOOP["actions_many"]: "{count} åtgärder rör temat: {statuses}.",
    LOOP["caveat"]: (
        "Det visar vad som hände samtidigt med åtgärderna, inte att åtgärderna orsakade det."
    ),
    SUMMARY["and"]: "{first} och {last}",
}
SWEDISH_STATUS = {
    "done_one": "1 klar",
    "done_many": "{count} klara",
    "under_way_one": "1 pågår",
    "under_way_many": "{count} pågår",
    "planned_one": "1 planerad",
    "planned_many": "{count} planerade",
    "paused_one": "1 pausad",
    "paused_many": "{count} pausade",
    "stopped_one": "1 avbruten",
    "stopped_many": "{count} avbrutna",
}
SWEDISH.update({STATUS_COUNTS[key]: text for key, text in SWEDISH_STATUS.items()})


def sv(message: str) -> str:
    return SWEDISH.get(message, message)


def _ts(mean: float | None, n: int, sd: float | None = 0.5) -> ThemeScore:
    return ThemeScore("housing", mean, n, None, None, sd, 0, 0.0, 0, 0.0)


def _row(verdict: Verdict, **overrides: object) -> LoopRow:
    values: dict[str, object] = {
        "theme_id": "housing",
        "before": 2.6,
        "after": 3.4,
        "n_before": 40,
        "n_after": 38,
        "difference": 0.8,
        "low": 0.31,
        "high": 1.29,
        "verdict": verdict,
        "actions": 3,
        "by_status": {
            ActionStatus.DONE: 2,
            ActionStatus.UNDER_WAY: 1,
            ActionStatus.PLANNED: 0,
            ActionStatus.PAUSED: 0,
            ActionStatus.STOPPED: 0,
        },
    }
    values.update(overrides)
    return LoopRow(**values)  # type: ignore[arg-type]


def test_english_clear_rise_with_actions_and_caveat():
    words = describe_loop(_row(Verdict.CLEAR_RISE), "Housing", language="en")
    assert words.change == "Housing 2.6 → 3.4, a clear rise (+0.8; 95 % interval +0.3 to +1.3)."
    assert words.actions == "3 actions address this theme: 2 done and 1 under way."
    assert words.caveat == loop_caveat()
    assert "not that the actions caused it" in words.text
    assert words.text.startswith(words.change)


def test_message_ids_are_distinct():
    """One gettext id per text: a shared id could not be translated two ways."""
    ids = [*LOOP.values(), *STATUS_COUNTS.values()]
    assert len(ids) == len(set(ids))


def test_swedish_uses_the_decimal_comma_and_carries_the_caveat():
    translate = sv
    words = describe_loop(_row(Verdict.CLEAR_RISE), "Bostäder", language="sv", _=translate)
    assert words.change == (
        "Bostäder 2,6 → 3,4, en tydlig ökning (+0,8; 95 % intervall +0,3 till +1,3)."
    )
    assert words.actions == "3 åtgärder rör temat: 2 klara och 1 pågår."
    assert "inte att åtgärderna orsakade det" in words.text
    assert "2.6" not in words.text
    assert "0.8" not in words.text

    one = _row(
        Verdict.CLEAR_FALL,
        before=3.4,
        after=2.6,
        difference=-0.8,
        low=-1.29,
        high=-0.31,
        actions=1,
        by_status=dict.fromkeys(ActionStatus, 0) | {ActionStatus.STOPPED: 1},
    )
    words = describe_loop(one, "Bostäder", language="sv", _=translate)
    assert words.change == (
        "Bostäder 3,4 → 2,6, en tydlig minskning (−0,8; 95 % intervall −1,3 till −0,3)."
    )
    assert words.actions == "En åtgärd rör temat: 1 avbruten."
    assert words.caveat == SWEDISH[LOOP["caveat"]]


def test_no_clear_change_and_no_actions_still_carry_the_caveat():
    row = _row(
        Verdict.NO_CLEAR_CHANGE,
        after=2.7,
        difference=0.1,
        low=-0.4,
        high=0.6,
        actions=0,
        by_status=dict.fromkeys(ActionStatus, 0),
    )
    for language, translate in (("en", None), ("sv", sv)):
        kwargs = {"_": translate} if translate else {}
        words = describe_loop(row, "Bostäder", language=language, **kwargs)
        assert words.caveat
        assert words.caveat in words.text
    en = describe_loop(row, "Housing", language="en")
    assert en.change == "Housing 2.6 → 2.7, no clear change (+0.1; 95 % interval −0.4 to +0.6)."
    assert en.actions == "No action of the plan addresses this theme."
    swedish = describe_loop(row, "Bostäder", language="sv", _=sv)
    assert swedish.change.startswith("Bostäder 2,6 → 2,7, ingen tydlig förändring (+0,1;")


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        (None, None, "Housing: too few answers to tell whether it changed."),
        (None, 3.4, "Housing 3.4 now; too few answers in the baseline round"),
        (2.6, None, "Housing 2.6 at the baseline; too few answers in the latest round"),
    ],
)
def test_too_little_data_shows_no_difference(before, after, expected):
    row = _row(
        Verdict.TOO_LITTLE_DATA, before=before, after=after, difference=None, low=None, high=None
    )
    words = describe_loop(row, "Housing", language="en")
    assert words.change.startswith(expected)
    assert "interval" not in words.change
    assert words.caveat in words.text


def test_from_real_scores_end_to_end():
    row = theme_loop(_ts(2.6, 40), _ts(3.4, 38), ["done", "done", "under_way"])
    assert row.verdict == Verdict.CLEAR_RISE
    text = describe_loop(row, "Bostäder", language="sv", _=sv).text
    assert text.startswith("Bostäder 2,6 → 3,4, en tydlig ökning (+0,8; 95 % intervall +0,")
    assert text.endswith(SWEDISH[LOOP["caveat"]])


def test_signed_numbers():
    assert signed(0.84, "sv") == "+0,8"
    assert signed(-0.84, "en") == "−0.8"
    assert signed(-0.04, "sv") == "0,0"  # rounds to zero: no sign
    assert signed(0.0, "en") == "0.0"
