"""A session carried from one installation to another: the facilitator's laptop (the
embedded install, no internet) to the main one, as a ZIP with one ``session.json``.

The file names no one: participants are numbers 1..n (their token hashes stay behind, and
the imported ones get fresh random ones, so no phone of the room can act as them again).
Places answers name their municipality by country and code, which are the same in every
installation (database ids are not).

An import trusts nothing in the file: the upload, the ZIP's members and their unpacked
sizes, the JSON's size and depth and every count are bounded before anything is read
further, then each field is checked (kinds, options, a choice within the options, a
ranking that is a ranking, 100 points, group numbers within the groups, text lengths).
Everything is checked before the first row is written, and written in one transaction: a
broken file leaves nothing behind and says what is wrong, with a code the view words.
"""

from __future__ import annotations

import io
import json
import math
import re
import secrets
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from platsa.accounts.models import User
from platsa.conversations.services import clean_text
from platsa.places.models import Area, Place
from platsa.processes.services import process_create, process_touch
from platsa.workshops.answers import WorkshopError, area_named
from platsa.workshops.entries import TAKES_ENTRIES, text_key
from platsa.workshops.kind import WORKSHOP
from platsa.workshops.models import (
    ANSWER_MAX,
    GROUPS_MAX,
    OPTIONS_MAX,
    POINTS_TOTAL,
    SCALE_POINTS,
    Answer,
    Entry,
    EntryVote,
    Participant,
    Question,
    Workshop,
)
from platsa.workshops.services import (
    QUESTIONS_MAX,
    WITH_OPTIONS,
    _new_code,
    question_add,
    workshop_configure,
)

FORMAT = "platsa-workshop"
VERSION = 1
MEMBER = "session.json"

MAX_UPLOAD = 16 * 1024 * 1024  # the ZIP as uploaded
# session.json, unpacked: 100,000 answers of a session take about 15 MB.
MAX_UNPACKED = 16 * 1024 * 1024
MAX_MEMBERS = 5
EARLIEST, LATEST = 2000, 2100  # the years an answer can have been given in
MAX_DEPTH = 6  # root, a list, an item, its data, a 2×2 pair: 5 (one to spare)
# Objects and numbers in the whole document, counted while it is parsed (json's hooks), so
# that a small file of millions of "{}" is refused before it takes the server's memory.
MAX_NODES = 2_000_000
MAX_PARTICIPANTS = 5_000
MAX_ANSWERS = 100_000
MAX_ENTRIES = 20_000
MAX_VOTES = 200_000
MAX_THEMES = 100
TITLE_MAX = 120
PROMPT_MAX = 200
OPTION_MAX = 80
LABEL_MAX = 60
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$")  # a framework's or a theme's id

Kind = Question.Kind


class TransferError(ValueError):
    """A refused import; ``code`` names the reason (the view has its words), ``detail``
    where in the file (``where``) and the numbers in them."""

    def __init__(self, code: str, **detail: Any) -> None:
        super().__init__(f"{code} {detail}" if detail else code)
        self.code = code
        self.detail = detail


# --- export --------------------------------------------------------------------------------


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _area_refs(workshop: Workshop) -> dict[int, dict[str, str]]:
    ids = {
        data.get("area")
        for data in Answer.objects.filter(
            question__workshop=workshop, question__kind=Kind.PLACES
        ).values_list("data", flat=True)
        if isinstance(data, dict)
    }
    return {
        pk: {"country": country, "code": code}
        for pk, country, code in Area.objects.filter(
            pk__in=[i for i in ids if isinstance(i, int)]
        ).values_list("pk", "country", "code")
    }


def session_document(workshop: Workshop) -> dict[str, Any]:
    """The session as one JSON-ready dict (see the module's docstring)."""
    questions = list(workshop.questions.all())
    q_number = {q.pk: n for n, q in enumerate(questions, 1)}
    kinds = {q.pk: q.kind for q in questions}
    people = list(workshop.participants.order_by("joined_at", "pk"))
    p_number = {p.pk: n for n, p in enumerate(people, 1)}
    areas = _area_refs(workshop)
    answers = []
    for a in Answer.objects.filter(question__workshop=workshop).order_by(
        "question__position", "question__pk", "answered_at", "pk"
    ):
        data = a.data
        if kinds[a.question_id] == Kind.PLACES:  # ids differ between installs; codes do not
            area = data.get("area") if isinstance(data, dict) else None
            point = data.get("point") if isinstance(data, dict) else None
            data = {"area": areas[area]} if area in areas else None
            if data is not None and point is not None:  # a pin: where it was dropped
                data["point"] = point
        answers.append(
            {
                "question": q_number[a.question_id],
                "participant": p_number[a.participant_id],
                "choice": a.choice,
                "value": a.value,
                "text": a.text,
                "data": data,
                "group": a.group,
                "hidden": a.hidden,
                "answered_at": _stamp(a.answered_at),
            }
        )
    entries = list(
        Entry.objects.filter(question__workshop=workshop).order_by(
            "question__position", "question__pk", "created_at", "pk"
        )
    )
    e_number = {e.pk: n for n, e in enumerate(entries, 1)}
    votes = [
        {
            "entry": e_number[v.entry_id],
            "participant": p_number[v.participant_id],
            "voted_at": _stamp(v.voted_at),
        }
        for v in EntryVote.objects.filter(entry__question__workshop=workshop).order_by(
            "entry__question__position", "entry__created_at", "entry__pk", "voted_at", "pk"
        )
    ]
    return {
        "format": FORMAT,
        "version": VERSION,
        "title": workshop.process.title,
        "pace": workshop.pace,
        "groups": list(workshop.groups),
        "side_by_side": workshop.side_by_side,
        "results_hidden": workshop.results_hidden,
        "exported_at": _stamp(timezone.now()),
        "questions": [
            {
                "number": n,
                "kind": q.kind,
                "prompt": q.prompt,
                "options": list(q.options),
                "low_label": q.low_label,
                "high_label": q.high_label,
                "framework": q.framework,
                "x_label": q.x_label,
                "y_label": q.y_label,
            }
            for n, q in enumerate(questions, 1)
        ],
        "participants": [
            {"number": n, "group": p.group, "joined_at": _stamp(p.joined_at)}
            for n, p in enumerate(people, 1)
        ],
        "answers": answers,
        "entries": [
            {
                "number": n,
                "question": q_number[e.question_id],
                "participant": p_number[e.participant_id],
                "group": e.group,
                "text": e.text,
                "hidden": e.hidden,
                "done": e.done,
                "created_at": _stamp(e.created_at),
            }
            for n, e in enumerate(entries, 1)
        ],
        "votes": votes,
    }


def export_session(workshop: Workshop) -> bytes:
    """The session as a ZIP with ``session.json``, for :func:`import_session` elsewhere."""
    text = json.dumps(session_document(workshop), ensure_ascii=False, indent=1)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MEMBER, text.encode("utf-8"))
    return out.getvalue()


# --- reading the file ----------------------------------------------------------------------


def _unzip(data: bytes) -> bytes:
    """session.json from the ZIP, never more than MAX_UNPACKED bytes of it (a member's
    declared size may lie: the read itself is bounded)."""
    if len(data) > MAX_UPLOAD:
        raise TransferError("too_big")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, OSError):
        raise TransferError("not_zip") from None
    if len(members) > MAX_MEMBERS:
        raise TransferError("too_many_files", n=MAX_MEMBERS)
    if sum(m.file_size for m in members) > MAX_UNPACKED:
        raise TransferError("too_big")
    found = [m for m in members if not m.is_dir() and m.filename.rsplit("/", 1)[-1] == MEMBER]
    if len(found) != 1:
        raise TransferError("missing_file")
    try:
        with archive.open(found[0]) as member:
            content = member.read(MAX_UNPACKED + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, OSError):
        raise TransferError("not_zip") from None  # corrupt, encrypted, an unknown method
    if len(content) > MAX_UNPACKED:
        raise TransferError("too_big")
    return content


def _no_constant(name: str) -> Any:
    raise ValueError(name)  # NaN, Infinity: not JSON


def _check_shape(document: Any) -> None:
    """Depth and size of the parsed document, walked without recursion."""
    stack: list[tuple[Any, int]] = [(document, 1)]
    nodes = 0
    while stack:
        value, depth = stack.pop()
        nodes += 1
        if nodes > MAX_NODES:
            raise TransferError("too_big")
        if isinstance(value, dict | list):
            if depth > MAX_DEPTH:
                raise TransferError("too_deep")
            children = value.values() if isinstance(value, dict) else value
            stack.extend((child, depth + 1) for child in children)


def read_document(data: bytes) -> dict[str, Any]:
    """The parsed, size-checked session.json of an uploaded ZIP."""
    content = _unzip(data)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TransferError("encoding") from None
    counted = [0]

    def count(made: Any) -> Any:
        counted[0] += 1
        if counted[0] > MAX_NODES:
            raise TransferError("too_many_values")
        return made

    try:
        document = json.loads(
            text,
            parse_constant=_no_constant,
            object_pairs_hook=lambda pairs: count(dict(pairs)),
            parse_int=lambda raw: count(int(raw)),
            parse_float=lambda raw: count(float(raw)),
        )
    except TransferError:
        raise
    except (ValueError, RecursionError):  # a number of 5,000 digits is a ValueError too
        raise TransferError("json") from None
    _check_shape(document)
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise TransferError("format")
    if type(document.get("version")) is not int or document["version"] != VERSION:
        raise TransferError("version", version=str(document.get("version"))[:20])
    return document


# --- checking it field by field ------------------------------------------------------------


def _fail(code: str, where: str, **detail: Any) -> TransferError:
    return TransferError(code, where=where, **detail)


def _obj(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _fail("type", where)
    return value


def _list(value: Any, where: str, limit: int, what: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise _fail("type", where)
    if len(value) > limit:
        raise TransferError("too_many", what=what, n=limit)
    return value


def _int(value: Any, where: str, low: int, high: int, code: str = "range") -> int:
    if type(value) is not int:  # bool is an int in Python; not here
        raise _fail("type", where)
    if not low <= value <= high:
        raise _fail(code, where)
    return value


def _bool(value: Any, where: str) -> bool:
    if value is None:
        return False
    if type(value) is not bool:
        raise _fail("type", where)
    return value


def _text(value: Any, where: str, limit: int, *, required: bool = False) -> str:
    """Cleaned as the forms clean it; too long is refused, not cut (nobody's words are
    shortened on the way)."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise _fail("type", where)
    if len(value) > limit * 4:
        raise _fail("too_long", where, n=limit)
    try:
        value.encode("utf-8")  # JSON's "\ud800", half a character: no database stores it
    except UnicodeEncodeError:
        raise _fail("characters", where) from None
    cleaned = clean_text(value)
    if len(cleaned) > limit:
        raise _fail("too_long", where, n=limit)
    if required and not cleaned:
        raise _fail("empty", where)
    return cleaned


def _moment(value: Any, where: str) -> datetime:
    if value is None:
        return timezone.now()
    if not isinstance(value, str) or len(value) > 40:
        raise _fail("date", where)
    try:
        moment = datetime.fromisoformat(value)
        moment = (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)
    except (ValueError, OverflowError):  # "9999-12-31T23:59:59-05:00" is past the calendar
        raise _fail("date", where) from None
    if not EARLIEST <= moment.year <= LATEST:
        raise _fail("date", where)
    return moment


def _number(item: dict[str, Any], where: str, expected: int) -> None:
    if "number" in item and item["number"] != expected:
        raise _fail("reference", f"{where}.number")


@dataclass
class Plan:
    """What will be written, every part of it checked."""

    title: str
    pace: str
    groups: list[str]
    side_by_side: bool
    results_hidden: bool
    questions: list[dict[str, Any]] = field(default_factory=list)
    participants: list[tuple[int, datetime]] = field(default_factory=list)
    answers: list[dict[str, Any]] = field(default_factory=list)
    entries: list[dict[str, Any]] = field(default_factory=list)
    votes: list[tuple[int, int, datetime]] = field(default_factory=list)


def _options(kind: str, raw: Any, where: str) -> list[str]:
    if kind in WITH_OPTIONS:
        options = [
            _text(o, f"{where}[{i}]", OPTION_MAX, required=True)
            for i, o in enumerate(_list(raw, where, OPTIONS_MAX, "options"))
        ]
        if len(options) < 2:
            raise _fail("options", where)
    elif kind == Kind.THEMES:
        # The themes as they were in the session: the answers follow their order. An id
        # the framework here lacks (or a framework it lacks) keeps its id as its label.
        options = []
        for i, o in enumerate(_list(raw, where, MAX_THEMES, "themes")):
            if not isinstance(o, str) or not _ID.match(o):
                raise _fail("options", f"{where}[{i}]")
            options.append(o)
        if not options:
            raise _fail("options", where)
    else:
        if _list(raw, where, OPTIONS_MAX, "options"):
            raise _fail("options", where)
        return []
    if len(set(options)) != len(options):  # two the same: which one did an answer mean?
        raise _fail("duplicate", where)
    return options


def _question(raw: Any, n: int) -> dict[str, Any]:
    where = f"questions[{n}]"
    item = _obj(raw, where)
    _number(item, where, n)
    kind = item.get("kind")
    if not isinstance(kind, str) or kind not in Kind.values:
        raise _fail("kind", f"{where}.kind")
    framework: Any = ""
    if kind == Kind.THEMES:  # a framework this installation lacks is kept (see _options)
        framework = item.get("framework")
        if not isinstance(framework, str) or not _ID.match(framework):
            raise _fail("framework", f"{where}.framework")
    return {
        "kind": kind,
        "prompt": _text(item.get("prompt"), f"{where}.prompt", PROMPT_MAX, required=True),
        "options": _options(kind, item.get("options"), f"{where}.options"),
        "framework": framework,
        **{
            name: _text(item.get(name), f"{where}.{name}", LABEL_MAX)
            for name in ("low_label", "high_label", "x_label", "y_label")
        },
    }


def _groups(raw: Any) -> list[str]:
    names = [
        _text(g, f"groups[{i}]", LABEL_MAX, required=True)
        for i, g in enumerate(_list(raw, "groups", GROUPS_MAX, "groups"))
    ]
    if len(names) == 1:
        raise _fail("groups", "groups")
    if len(set(names)) != len(names):
        raise _fail("duplicate", "groups")
    return names


def _data(question: dict[str, Any], data: Any, where: str) -> Any:
    """An answer's ``data`` in the shape platsa.workshops.answers's parsers give it."""
    kind, n = question["kind"], len(question["options"])
    if not isinstance(data, list) or len(data) != n:
        raise _fail("data", where)
    if kind == Kind.RANKING:
        order = [_int(i, f"{where}[{k}]", 0, n - 1, "data") for k, i in enumerate(data)]
        if len(set(order)) != n:
            raise _fail("data", where)
        return order
    if kind == Kind.POINTS:
        points = [_int(p, f"{where}[{k}]", 0, POINTS_TOTAL, "data") for k, p in enumerate(data)]
        if sum(points) != POINTS_TOTAL:
            raise _fail("data", where)
        return points
    if kind == Kind.MATRIX:
        placed = []
        for k, xy in enumerate(data):
            if not isinstance(xy, list) or len(xy) != 2:
                raise _fail("data", f"{where}[{k}]")
            placed.append([_int(v, f"{where}[{k}]", 1, SCALE_POINTS, "data") for v in xy])
        return placed
    values = [
        None if v is None else _int(v, f"{where}[{k}]", 1, SCALE_POINTS, "data")
        for k, v in enumerate(data)
    ]
    if all(v is None for v in values):
        raise _fail("data", where)
    return values


def _area(data: Any, text: str, where: str, areas: dict[tuple[str, str], Area | None]) -> Area:
    """The municipality by its country and code, else by its name (an area this
    installation lacks, or a file written by hand); looked up once each."""
    ref = data.get("area") if isinstance(data, dict) else None
    if data is not None and not isinstance(ref, dict):
        raise _fail("data", where)
    found = None
    if isinstance(ref, dict):
        country, code = ref.get("country"), ref.get("code")
        if isinstance(country, str) and isinstance(code, str) and len(country + code) <= 20:
            key = ("ref", f"{country}:{code}")
            if key not in areas:
                areas[key] = Area.objects.filter(
                    kind=Area.Kind.MUNICIPALITY, country=country, code=code
                ).first()
            found = areas[key]
    if found is None and text:
        key = ("name", text)
        if key not in areas:
            areas[key] = area_named(text)
        found = areas[key]
    if found is None:
        raise _fail("area", where, name=text[:80])
    return found


def _point(data: Any, where: str) -> list[float] | None:
    """A pin's ``[lat, lon]``, when the answer has one: two numbers on the Earth."""
    point = data.get("point") if isinstance(data, dict) else None
    if point is None:
        return None
    if not (
        isinstance(point, list)
        and len(point) == 2
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in point)
        and all(math.isfinite(v) for v in point)
        and -90 <= point[0] <= 90
        and -180 <= point[1] <= 180
    ):
        raise _fail("data", where)
    return [round(float(point[0]), 5), round(float(point[1]), 5)]


def _answer(
    raw: Any, n: int, plan: Plan, areas: dict[tuple[str, str], Area | None]
) -> dict[str, Any]:
    where = f"answers[{n}]"
    item = _obj(raw, where)
    q = _int(item.get("question"), f"{where}.question", 1, len(plan.questions), "reference")
    p = _int(
        item.get("participant"), f"{where}.participant", 1, len(plan.participants), "reference"
    )
    question = plan.questions[q - 1]
    kind = question["kind"]
    answer: dict[str, Any] = {
        "question": q,
        "participant": p,
        "choice": None,
        "value": None,
        "text": "",
        "data": None,
        "group": _int(item.get("group", 0), f"{where}.group", 0, len(plan.groups), "group"),
        "hidden": _bool(item.get("hidden"), f"{where}.hidden"),
        "answered_at": _moment(item.get("answered_at"), f"{where}.answered_at"),
    }
    if kind in TAKES_ENTRIES:
        raise _fail("kind", f"{where}.question")
    given = {k for k in ("choice", "value", "data") if item.get(k) is not None}
    if kind == Kind.CHOICE:
        needed = {"choice"}
        answer["choice"] = _int(
            item.get("choice"), f"{where}.choice", 0, len(question["options"]) - 1
        )
    elif kind == Kind.SCALE:
        needed = {"value"}
        answer["value"] = _int(item.get("value"), f"{where}.value", 1, SCALE_POINTS)
    elif kind == Kind.WORDS:
        needed = set()
        answer["text"] = _text(item.get("text"), f"{where}.text", ANSWER_MAX, required=True)
    elif kind == Kind.PLACES:
        needed = given & {"data"}
        text = _text(item.get("text"), f"{where}.text", ANSWER_MAX)
        area = _area(item.get("data"), text, f"{where}.data", areas)
        answer["text"], answer["data"] = area.name, {"area": area.pk}
        point = _point(item.get("data"), f"{where}.data.point")
        if point is not None:
            answer["data"]["point"] = point
    else:
        needed = {"data"}
        answer["data"] = _data(question, item.get("data"), f"{where}.data")
    if given != needed:  # a choice on a scale, data on a choice: not this kind's answer
        raise _fail("data", where)
    return answer


def _entry(raw: Any, n: int, plan: Plan) -> dict[str, Any]:
    where = f"entries[{n}]"
    item = _obj(raw, where)
    _number(item, where, n)
    q = _int(item.get("question"), f"{where}.question", 1, len(plan.questions), "reference")
    if plan.questions[q - 1]["kind"] not in TAKES_ENTRIES:
        raise _fail("kind", f"{where}.question")
    text = _text(item.get("text"), f"{where}.text", ANSWER_MAX, required=True)
    return {
        "question": q,
        "participant": _int(
            item.get("participant"),
            f"{where}.participant",
            1,
            len(plan.participants),
            "reference",
        ),
        "group": _int(item.get("group", 0), f"{where}.group", 0, len(plan.groups), "group"),
        "text": text,
        "text_key": text_key(text),
        "hidden": _bool(item.get("hidden"), f"{where}.hidden"),
        "done": _bool(item.get("done"), f"{where}.done"),
        "created_at": _moment(item.get("created_at"), f"{where}.created_at"),
    }


def _unique(keys: Iterator[tuple[Any, ...]], where: str) -> None:
    seen: set[tuple[Any, ...]] = set()
    for n, key in enumerate(keys, 1):
        if key in seen:
            raise _fail("duplicate", f"{where}[{n}]")
        seen.add(key)


def check_document(document: dict[str, Any]) -> Plan:
    """Every field of the session, or TransferError naming the first one that is wrong."""
    pace = document.get("pace", Workshop.Pace.PRESENTER)
    if not isinstance(pace, str) or pace not in Workshop.Pace.values:
        raise _fail("pace", "pace")
    plan = Plan(
        title=_text(document.get("title"), "title", TITLE_MAX, required=True),
        pace=pace,
        groups=_groups(document.get("groups")),
        side_by_side=_bool(document.get("side_by_side"), "side_by_side"),
        results_hidden=_bool(document.get("results_hidden"), "results_hidden"),
    )
    plan.side_by_side = plan.side_by_side and bool(plan.groups)
    raw_questions = _list(document.get("questions"), "questions", QUESTIONS_MAX, "questions")
    plan.questions = [_question(q, n) for n, q in enumerate(raw_questions, 1)]
    raw_people = _list(
        document.get("participants"), "participants", MAX_PARTICIPANTS, "participants"
    )
    for n, raw in enumerate(raw_people, 1):
        where = f"participants[{n}]"
        item = _obj(raw, where)
        _number(item, where, n)
        plan.participants.append(
            (
                _int(item.get("group", 0), f"{where}.group", 0, len(plan.groups), "group"),
                _moment(item.get("joined_at"), f"{where}.joined_at"),
            )
        )
    areas: dict[tuple[str, str], Area | None] = {}
    raw_answers = _list(document.get("answers"), "answers", MAX_ANSWERS, "answers")
    plan.answers = [_answer(a, n, plan, areas) for n, a in enumerate(raw_answers, 1)]
    _unique(((a["question"], a["participant"]) for a in plan.answers), "answers")
    raw_entries = _list(document.get("entries"), "entries", MAX_ENTRIES, "entries")
    plan.entries = [_entry(e, n, plan) for n, e in enumerate(raw_entries, 1)]
    _unique(((e["question"], e["group"], e["text_key"]) for e in plan.entries), "entries")
    for n, raw in enumerate(_list(document.get("votes"), "votes", MAX_VOTES, "votes"), 1):
        where = f"votes[{n}]"
        item = _obj(raw, where)
        plan.votes.append(
            (
                _int(item.get("entry"), f"{where}.entry", 1, len(plan.entries), "reference"),
                _int(
                    item.get("participant"),
                    f"{where}.participant",
                    1,
                    len(plan.participants),
                    "reference",
                ),
                _moment(item.get("voted_at"), f"{where}.voted_at"),
            )
        )
    _unique(((e, p) for e, p, _at in plan.votes), "votes")
    return plan


# --- writing it ----------------------------------------------------------------------------


def _new_workshop(place: Place, user: User, plan: Plan) -> Workshop:
    """Like workshop_create, but the session arrives closed: it happened elsewhere."""
    process = process_create(
        place=place,
        kind=WORKSHOP.id,
        title=plan.title,
        user=user,
        phase="closed",
        slug_fallback="workshop",
    )
    for _attempt in range(20):
        code = _new_code()
        if not Workshop.objects.filter(code=code).exists():
            return Workshop.objects.create(process=process, code=code)
    raise TransferError("no_code")


def _write_questions(workshop: Workshop, plan: Plan) -> list[Question]:
    made = []
    for position, q in enumerate(plan.questions, 1):
        if q["kind"] == Kind.THEMES:  # the session's themes kept as given (see _options)
            made.append(Question.objects.create(workshop=workshop, position=position, **q))
            continue
        question = question_add(workshop=workshop, **q)
        if question.options != q["options"] or question.position != position:
            raise TransferError("options", where=f"questions[{position}]")
        made.append(question)
    return made


def _write_rows(workshop: Workshop, plan: Plan, questions: list[Question]) -> None:
    hashes = [secrets.token_hex(32) for _ in plan.participants]
    Participant.objects.bulk_create(
        [
            Participant(workshop=workshop, token_hash=h, group=group, joined_at=at)
            for h, (group, at) in zip(hashes, plan.participants, strict=True)
        ],
        batch_size=1000,
    )
    pk_of = dict(Participant.objects.filter(workshop=workshop).values_list("token_hash", "pk"))
    people = [pk_of[h] for h in hashes]
    Answer.objects.bulk_create(
        [
            Answer(
                question=questions[a["question"] - 1],
                participant_id=people[a["participant"] - 1],
                **{k: v for k, v in a.items() if k not in ("question", "participant")},
            )
            for a in plan.answers
        ],
        batch_size=1000,
    )
    Entry.objects.bulk_create(
        [
            Entry(
                question=questions[e["question"] - 1],
                participant_id=people[e["participant"] - 1],
                **{k: v for k, v in e.items() if k not in ("question", "participant")},
            )
            for e in plan.entries
        ],
        batch_size=1000,
    )
    entry_pk = {
        (question_id, group, key): pk
        for pk, question_id, group, key in Entry.objects.filter(
            question__workshop=workshop
        ).values_list("pk", "question_id", "group", "text_key")
    }
    entries = [
        entry_pk[(questions[e["question"] - 1].pk, e["group"], e["text_key"])] for e in plan.entries
    ]
    EntryVote.objects.bulk_create(
        [
            EntryVote(entry_id=entries[e - 1], participant_id=people[p - 1], voted_at=at)
            for e, p, at in plan.votes
        ],
        batch_size=2000,
    )


def import_session(*, place: Place, user: User, data: bytes) -> Workshop:
    """A session exported by :func:`export_session`, as a new, closed session of
    ``place``; TransferError (and nothing written) when the file is not one."""
    plan = check_document(read_document(data))
    with transaction.atomic():
        workshop = _new_workshop(place, user, plan)
        try:
            workshop_configure(workshop=workshop, pace=plan.pace, groups=plan.groups)
            questions = _write_questions(workshop, plan)
        except WorkshopError as exc:  # checked above already; a rule added there since
            raise TransferError(exc.code, where="questions") from None
        workshop.side_by_side = plan.side_by_side
        workshop.results_hidden = plan.results_hidden
        workshop.save(update_fields=["side_by_side", "results_hidden"])
        _write_rows(workshop, plan, questions)
        process_touch(workshop.process_id)
    return workshop
