"""What a phone's answer means, for each kind of question, checked before anything is
written: a broken answer (a rank given twice, 90 points of 100, an unknown municipality)
leaves nothing behind and comes back to the phone with what was typed.

The phone's form sends ``answer`` for one value (an option, a point, a text, a place's
name) and numbered fields for answers in parts: ``rank-<i>``, ``points-<i>``, ``x-<i>`` and
``y-<i>``, ``theme-<i>``, ``<i>`` an option's (or theme's) index.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from platsa.conversations.services import clean_text
from platsa.places.models import Area
from platsa.workshops.models import ANSWER_MAX, POINTS_TOTAL, SCALE_POINTS, Question

Kind = Question.Kind


class WorkshopError(ValueError):
    """A refused write; ``code`` names the reason (the views have its words) and ``detail``
    the numbers in them."""

    def __init__(self, code: str, **detail: Any) -> None:
        super().__init__(code)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class Parsed:
    choice: int | None = None
    value: int | None = None
    text: str = ""
    data: Any = field(default=None)


def _number(raw: str | None, low: int, high: int) -> int | None:
    """A whole number from low to high typed in ASCII digits, else None (so "２", "+1",
    "1e3" and "" are not numbers here)."""
    raw = (raw or "").strip()
    if not raw or len(raw) > 4 or not (raw.isascii() and raw.isdecimal()):
        return None
    n = int(raw)
    return n if low <= n <= high else None


def _ranking(question: Question, fields: Mapping[str, str]) -> Parsed:
    n = len(question.options)
    ranks = [_number(fields.get(f"rank-{i}"), 1, n) for i in range(n)]
    if None in ranks or len(set(ranks)) != n:
        raise WorkshopError("ranks", n=n)
    order = sorted(range(n), key=lambda i: ranks[i] or 0)
    return Parsed(data=order)


def _points(question: Question, fields: Mapping[str, str]) -> Parsed:
    given = []
    for i in range(len(question.options)):
        raw = (fields.get(f"points-{i}") or "").strip()
        points = 0 if raw == "" else _number(raw, 0, POINTS_TOTAL)
        if points is None:
            raise WorkshopError("points_number", total=POINTS_TOTAL)
        given.append(points)
    if sum(given) != POINTS_TOTAL:
        raise WorkshopError("points_sum", total=POINTS_TOTAL, given=sum(given))
    return Parsed(data=given)


def _matrix(question: Question, fields: Mapping[str, str]) -> Parsed:
    placed = []
    for i in range(len(question.options)):
        x = _number(fields.get(f"x-{i}"), 1, SCALE_POINTS)
        y = _number(fields.get(f"y-{i}"), 1, SCALE_POINTS)
        if x is None or y is None:
            raise WorkshopError("matrix")
        placed.append([x, y])
    return Parsed(data=placed)


def theme_scale(question: Question) -> tuple[int, int]:
    """The points of a themes question: its framework's scale (1–7 for the place's
    attractiveness, 1–5 for innovation capacity), so that its answers can become an
    assessment round; 1–7 when the framework is gone."""
    from platsa.catalogue.selectors import frameworks

    found = frameworks().get(question.framework)
    return (found.scale.min, found.scale.max) if found is not None else (1, SCALE_POINTS)


def _themes(question: Question, fields: Mapping[str, str]) -> Parsed:
    values = []
    low, high = theme_scale(question)
    for i in range(len(question.options)):
        raw = (fields.get(f"theme-{i}") or "").strip()
        value = None if raw == "" else _number(raw, low, high)
        if raw != "" and value is None:
            raise WorkshopError("bad_answer")
        values.append(value)
    if all(v is None for v in values):
        raise WorkshopError("themes_none")
    return Parsed(data=values)


def _name_key(text: str) -> str:
    """A name as compared: letter case, hyphens and spaces do not count ("Upplands-Väsby",
    "upplands väsby")."""
    return " ".join(text.casefold().replace("-", " ").split())


_SUFFIXES = (" kommune", " kommun", " kunta", " stad", " municipality")


def _name_keys(text: str) -> list[str]:
    """The ways a person may write a municipality's name, as keys to try in turn: as
    written; without "kommun", "stad" (and Norwegian, Finnish, English) or "Region"; and
    the official genitive undone ("Säters kommun", "Stockholms stad", "Falu kommun")."""
    key = _name_key(text)
    tries = [key]
    for suffix in _SUFFIXES:
        if key.endswith(suffix):
            base = key[: -len(suffix)].strip()
            tries += [base, base[:-1] if base.endswith("s") else base, base + "n"]
    if key.startswith("region "):
        tries.append(key[len("region ") :])
    return [t for t in dict.fromkeys(tries) if t]


def _area_index() -> dict[str, list[tuple[str, int]]]:
    """Every municipality's keys (each part of a two-language name such as "Helsinki /
    Helsingfors" too) with its country and id, read once per version of the table."""
    from django.core.cache import cache

    stamp = Area.objects.filter(kind=Area.Kind.MUNICIPALITY).count()
    cache_key = f"platsa:area-index:{stamp}"
    index = cache.get(cache_key)
    if index is None:
        index = {}
        for pk, name, country in Area.objects.filter(kind=Area.Kind.MUNICIPALITY).values_list(
            "pk", "name", "country"
        ):
            for part in {name, *name.split("/")}:
                index.setdefault(_name_key(part), []).append((country, pk))
        cache.set(cache_key, index, 3600)
    return index


def area_named(name: str) -> Area | None:
    """The municipality of that name, however it is written (see _name_keys). Of two with
    one name, the Swedish one first (then by country code: a room in Sweden names Swedish
    municipalities), which the phone's list of names makes clear."""
    text = clean_text(name).strip()
    if not text:
        return None
    index = _area_index()
    for key in _name_keys(text):
        found = index.get(key)
        if found:
            _country, pk = min(found, key=lambda c: (c[0] != "SE", c[0]))
            return Area.objects.filter(pk=pk).first()
    return None


def _places(question: Question, fields: Mapping[str, str]) -> Parsed:
    from platsa.workshops import pins

    try:
        pin = pins.parse_pin(fields)
    except pins.BadPinError:
        raise WorkshopError("bad_pin") from None
    if pin is not None:  # the point decides, whatever name the phone's script filled in
        lat, lon = pin
        country = pins.country_of(question.workshop.process.place)
        found = pins.area_at(country, lat, lon)
        if found is None:
            raise WorkshopError("pin_outside")
        point = [round(lat, 5), round(lon, 5)]
        return Parsed(text=found.name, data={"area": found.pk, "point": point})
    name = (fields.get("answer") or "")[: ANSWER_MAX * 2]
    if not clean_text(name):
        raise WorkshopError("empty")
    area = area_named(name)
    if area is None:
        raise WorkshopError("unknown_place", name=clean_text(name)[:80])
    return Parsed(text=area.name, data={"area": area.pk})


def _one_number(question: Question, fields: Mapping[str, str]) -> Parsed:
    raw = fields.get("answer")
    if question.kind == Kind.CHOICE:
        choice = _number(raw, 0, len(question.options) - 1)
        if choice is None:
            raise WorkshopError("bad_answer")
        return Parsed(choice=choice)
    value = _number(raw, 1, SCALE_POINTS)
    if value is None:
        raise WorkshopError("bad_answer")
    return Parsed(value=value)


def parse_text(raw: str | None) -> str:
    """An open answer, an idea or a question from the room: invisible characters out, at
    most ANSWER_MAX characters (not cut: refused, so nobody's words are shortened)."""
    text = clean_text((raw or "")[: ANSWER_MAX * 4])
    if not text:
        raise WorkshopError("empty")
    if len(text) > ANSWER_MAX:
        raise WorkshopError("too_long", n=ANSWER_MAX)
    return text


PARSERS: dict[str, Callable[[Question, Mapping[str, str]], Parsed]] = {
    Kind.CHOICE: _one_number,
    Kind.SCALE: _one_number,
    Kind.RANKING: _ranking,
    Kind.POINTS: _points,
    Kind.MATRIX: _matrix,
    Kind.THEMES: _themes,
    Kind.PLACES: _places,
}


def parse_answer(question: Question, fields: Mapping[str, str]) -> Parsed:
    """The answer the phone's form sent, or WorkshopError. Brainstorm and Q&A questions
    take entries, not answers (platsa.workshops.entries)."""
    if question.kind in (Kind.IDEAS, Kind.QA):
        raise WorkshopError("bad_answer")
    parser = PARSERS.get(question.kind)
    if parser is not None:
        return parser(question, fields)
    return Parsed(text=parse_text(fields.get("answer")))
