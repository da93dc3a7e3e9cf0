"""What the screen shows for a question, drawn as SVG: counts per option or scale point
(counted in the database); a ranking's points; the mean of 100 points per option; a 2×2
matrix of means; a mean per framework theme; the places named, on a map; the words of the
open answers; the top list of a brainstorm or a Q&A. For the whole room or one group."""

from __future__ import annotations

from collections import Counter
from statistics import fmean
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.utils.formats import number_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from platsa.core.analysis.word_cloud import count_words
from platsa.core.render import charts
from platsa.core.render.count_bars import count_bars, scale_columns
from platsa.core.render.group_bars import GroupColumn, group_bars
from platsa.core.render.matrix_2x2 import matrix_2x2
from platsa.core.render.word_cloud import word_cloud
from platsa.places.models import Area, AreaShape, Place
from platsa.workshops import pins
from platsa.workshops.models import SCALE_POINTS, Answer, Question

ANSWERS_LISTED = 500  # the newest, each with its take-down button
TOP_LISTED = 10  # a brainstorm's or a Q&A's top list on the screen
MATRIX_SIZE, MATRIX_SIZE_GROUP = 720, 380  # a group's matrix is a third of the screen or less
WORDS_WIDTH = 960
Kind = Question.Kind


def _fmt(x: float) -> str:
    return number_format(x, 1)


def labels_of(question: Question, language: str = "sv") -> list[str]:
    """The options' texts; for a themes question the framework's theme titles (a theme
    gone from the framework keeps its id)."""
    if question.kind != Kind.THEMES:
        return list(question.options)
    from platsa.catalogue.selectors import frameworks

    found = frameworks().get(question.framework)
    titles = {t.id: t.title.get(language) for t in found.themes} if found is not None else {}
    return [titles.get(theme_id, theme_id) for theme_id in question.options]


def country_of(place: Place) -> str:
    """The place's country (its municipality's); Sweden when it has none."""
    return place.municipality.country if place.municipality_id else "SE"


def place_names(place: Place) -> list[str]:
    """The municipalities a phone's list offers: those of the place's country (others are
    still understood when typed)."""
    country = country_of(place)
    key = f"platsa:area-names:{country}"
    names = cache.get(key)
    if names is None:
        names = list(
            Area.objects.filter(kind=Area.Kind.MUNICIPALITY, country=country)
            .order_by("name")
            .values_list("name", flat=True)
        )
        cache.set(key, names, 3600)
    return list(names)


def _answers(question: Question, group: int | None) -> QuerySet[Answer]:
    answers = Answer.objects.filter(question=question)
    return answers if group is None else answers.filter(group=group)


def _counted(question: Question, answers: QuerySet[Answer], out: dict[str, Any]) -> None:
    field = "choice" if question.kind == Kind.CHOICE else "value"
    counted = dict(
        answers.exclude(**{f"{field}__isnull": True})
        .values_list(field)
        .annotate(n=Count("pk"))
        .values_list(field, "n")
    )
    if question.kind == Kind.CHOICE:
        labels = list(question.options)
        counts = [counted.get(i, 0) for i in range(len(labels))]
    else:
        labels = [str(v) for v in range(1, SCALE_POINTS + 1)]
        labels[0] = f"1 {question.low_label}".strip()
        labels[-1] = f"{SCALE_POINTS} {question.high_label}".strip()
        counts = [counted.get(v, 0) for v in range(1, SCALE_POINTS + 1)]
        total = sum(counts)
        out["mean"] = (
            sum(v * c for v, c in zip(range(1, SCALE_POINTS + 1), counts, strict=True)) / total
            if total
            else None
        )
    out["rows"] = list(zip(labels, counts, strict=True))
    out["svg"] = mark_safe(
        count_bars(labels, counts, title=question.prompt)
        if question.kind == Kind.CHOICE
        else scale_columns(
            counts,
            title=question.prompt,
            low_label=question.low_label,
            high_label=question.high_label,
        )
    )


def _lists(answers: QuerySet[Answer], width: int) -> list[list[Any]]:
    """The answers' data that fits the question (a changed question's old answers, or a
    hand-edited row, are left out rather than counted wrong)."""
    return [
        d
        for d in answers.exclude(data__isnull=True).values_list("data", flat=True)
        if isinstance(d, list) and len(d) == width
    ]


def _ranking(question: Question, labels: list[str], answers: QuerySet[Answer], out: dict) -> None:
    n = len(labels)
    orders = [o for o in _lists(answers, n) if sorted(o) == list(range(n))]
    # Borda points: first place n - 1, last 0; the mean place beside them.
    points = [0] * n
    places: list[list[int]] = [[] for _ in range(n)]
    for order in orders:
        for place, option in enumerate(order):
            points[option] += n - 1 - place
            places[option].append(place + 1)
    rows = sorted(
        ((labels[i], points[i], fmean(places[i]) if places[i] else None) for i in range(n)),
        key=lambda r: -r[1],
    )
    out["ranked"] = rows
    out["svg"] = mark_safe(
        count_bars(
            [r[0] for r in rows],
            [r[1] for r in rows],
            title=question.prompt,
            texts=[
                _("place %(mean)s on average") % {"mean": _fmt(r[2])} if r[2] else "–" for r in rows
            ],
        )
    )


def _points(question: Question, labels: list[str], answers: QuerySet[Answer], out: dict) -> None:
    given = [g for g in _lists(answers, len(labels)) if all(isinstance(p, int) for p in g)]
    means = [fmean(g[i] for g in given) if given else 0.0 for i in range(len(labels))]
    rows = sorted(zip(labels, means, strict=True), key=lambda r: -r[1])
    out["means"] = rows
    out["svg"] = mark_safe(
        count_bars(
            [r[0] for r in rows],
            [r[1] for r in rows],
            title=question.prompt,
            texts=[_("%(points)s points") % {"points": _fmt(r[1])} for r in rows],
        )
    )


def _matrix(
    question: Question, labels: list[str], answers: QuerySet[Answer], out: dict, size: int
) -> None:
    placed = _lists(answers, len(labels))
    points: list[tuple[float, float] | None] = []
    for i in range(len(labels)):
        xy = [p[i] for p in placed if isinstance(p[i], list) and len(p[i]) == 2]
        points.append((fmean(v[0] for v in xy), fmean(v[1] for v in xy)) if xy else None)
    out["placed"] = [
        (i + 1, label, point) for i, (label, point) in enumerate(zip(labels, points, strict=True))
    ]
    out["svg"] = mark_safe(
        matrix_2x2(
            labels,
            points,
            title=question.prompt,
            x_label=question.x_label or _("across"),
            y_label=question.y_label or _("up"),
            size=size,
        )
    )


def _themes(question: Question, labels: list[str], answers: QuerySet[Answer], out: dict) -> None:
    from platsa.workshops.answers import theme_scale

    given = _lists(answers, len(labels))
    out["scale"] = theme_scale(question)
    rows = []
    for i, label in enumerate(labels):
        values = [g[i] for g in given if isinstance(g[i], int)]
        rows.append((label, fmean(values) if values else None, len(values)))
    out["themes"] = rows
    out["svg"] = mark_safe(
        count_bars(
            [r[0] for r in rows],
            [r[1] or 0 for r in rows],
            title=question.prompt,
            top=out["scale"][1],
            texts=[f"{_fmt(r[1])} ({r[2]})" if r[1] is not None else _("no answers") for r in rows],
        )
    )


def _count_legend(top: int) -> list[str]:
    """The counts each of the map's colours stands for ("1", "2–3", ...; "" for a colour
    no count falls in, which the map leaves out of its legend). The scale starts at 1, the
    fewest a named place can have, so one answer gets the first colour."""
    classes: dict[int, list[int]] = {}
    for v in range(1, top + 1):
        classes.setdefault(charts.heat_class(v, 1, top) or 0, []).append(v)
    return [
        (f"{c[0]}–{c[-1]}" if len(c) > 1 else str(c[0])) if (c := classes.get(i)) else ""
        for i in range(len(charts.HEAT))
    ]


def _pin(data: dict) -> tuple[float, float] | None:
    point = data.get("point")
    if isinstance(point, list) and len(point) == 2:
        lat, lon = point
        if isinstance(lat, int | float) and isinstance(lon, int | float):
            return float(lat), float(lon)
    return None


def _places(
    question: Question, answers: QuerySet[Answer], out: dict, group: int | None = None
) -> None:
    found = [
        d
        for d in answers.exclude(data__isnull=True).values_list("data", flat=True)
        if isinstance(d, dict) and isinstance(d.get("area"), int)
    ]
    counts: Counter[int] = Counter(d["area"] for d in found)
    # Where pins were dropped, besides the municipalities they are counted in.
    every = sorted(p for p in map(_pin, found) if p is not None)
    out["pins"] = len(every)
    # More dots than that are one blot: an even sample of them, the same on every update.
    step = max(1, -(-len(every) // pins.PINS_DRAWN))
    points = every[::step]
    areas = {a.pk: a for a in Area.objects.filter(pk__in=list(counts))}
    out["named"] = sorted(
        ((areas[pk].name, n) for pk, n in counts.items() if pk in areas),
        key=lambda r: (-r[1], r[0]),
    )
    if not counts:
        out["svg"] = ""
        return
    top = max(counts.values())
    drawn_from = (tuple(sorted(counts.items())), tuple(points))
    # Each group's map on the screen side by side is its own drawing, with its own ids.
    chart_id = f"places-{question.pk}" if group is None else f"places-{question.pk}-g{group}"
    key = f"platsa:workshop-map:{chart_id}:{hash(drawn_from)}"
    svg = cache.get(key)
    if svg is None:
        # The whole country of the place in grey for the eye to find its way, the
        # places named in colour (a named place abroad is drawn too).
        country = country_of(question.workshop.process.place)
        shapes = AreaShape.objects.filter(
            Q(area__kind=Area.Kind.MUNICIPALITY, area__country=country) | Q(area_id__in=list(areas))
        ).values_list("area_id", "area__name", "geometry")
        drawn = [
            charts.MapArea(
                key=str(pk),
                label=f"{name}: {counts[pk]}" if pk in counts else name,
                geometry=geometry,
                value=counts.get(pk),
            )
            for pk, name, geometry in shapes
        ]
        # A group's map is a third of the screen or less: its colour key would be drawn at
        # 2-4 px, noise rather than a key; the list of places beside it has the numbers.
        legend = _count_legend(top) if group is None else []
        svg = (
            charts.choropleth(
                drawn,
                title=question.prompt,
                low=1,
                high=top,
                legend=legend,
                chart_id=chart_id,
                points=points,
            )
            if drawn
            else ""
        )
        cache.set(key, svg, 600)
    out["svg"] = mark_safe(svg)


def _words(
    question: Question, answers: QuerySet[Answer], out: dict, language: str, width: int
) -> None:
    shown = list(answers.filter(hidden=False).order_by("-answered_at").values_list("pk", "text"))
    # The words are cut and lemmatised in the room's language (its place's country), not
    # in the language of the page showing them: English pages show Swedish answers too.
    found = count_words([t for _pk, t in shown], language=_answers_language(question))
    out["words"] = found
    out["answers"] = shown[:ANSWERS_LISTED]
    out["svg"] = mark_safe(
        word_cloud(
            found,
            title=question.prompt,
            desc=_("The words of the answers; the bigger, the more people wrote them."),
            width=width,
        )
    )


def _answers_language(question: Question) -> str:
    return {"NO": "nb"}.get(country_of(question.workshop.process.place), "sv")


def question_results(
    question: Question, *, language: str = "sv", group: int | None = None
) -> dict[str, Any]:
    """Everything the screen and the facilitator's page show of one question, for the room
    (``group`` None) or one themed group."""
    from platsa.workshops.entries import TAKES_ENTRIES, ranked
    from platsa.workshops.models import Entry

    answers = _answers(question, group)
    out: dict[str, Any] = {"question": question, "group": group}
    if question.kind in TAKES_ENTRIES:
        board = list(ranked(question, group=group))
        names = question.workshop.groups
        for e in board:
            e.group_name = names[e.group - 1] if 0 < e.group <= len(names) else ""  # type: ignore[attr-defined]
        out["n"] = len(board)
        out["board"] = board
        out["top"] = [e for e in board if not e.done][:TOP_LISTED]
        taken = Entry.objects.filter(question=question, hidden=True)
        out["taken_down"] = list(taken if group is None else taken.filter(group=group))
        return out
    out["n"] = answers.count()
    labels = labels_of(question, language)
    if question.kind in (Kind.CHOICE, Kind.SCALE):
        _counted(question, answers, out)
    elif question.kind == Kind.RANKING:
        _ranking(question, labels, answers, out)
    elif question.kind == Kind.POINTS:
        _points(question, labels, answers, out)
    elif question.kind == Kind.MATRIX:
        _matrix(question, labels, answers, out, MATRIX_SIZE if group is None else MATRIX_SIZE_GROUP)
    elif question.kind == Kind.THEMES:
        _themes(question, labels, answers, out)
    elif question.kind == Kind.PLACES:
        _places(question, answers, out, group)
    else:
        # A group's cloud is a third of the screen: drawn narrower, its words stay large.
        _words(question, answers, out, language, WORDS_WIDTH if group is None else WORDS_WIDTH // 3)
    return out


def by_group(question: Question, groups: list[str], *, language: str = "sv") -> list[dict]:
    """The question's results for each themed group, side by side on the screen; first a
    column of what was given without a group (before the groups were made), if anything."""
    from platsa.workshops.models import Entry

    columns = [
        {**question_results(question, language=language, group=number), "name": name}
        for number, name in enumerate(groups, start=1)
    ]
    ungrouped = (
        Answer.objects.filter(question=question, group=0).exists()
        or Entry.objects.filter(question=question, group=0, hidden=False).exists()
    )
    if ungrouped:
        columns.insert(
            0, {**question_results(question, language=language, group=0), "name": _("No group")}
        )
    return columns


COMPARED = (Kind.CHOICE, Kind.SCALE, Kind.RANKING, Kind.POINTS, Kind.THEMES)


def _row_values(kind: str, result: dict[str, Any]) -> dict[str, tuple[float | None, str]]:
    """One group's value and text per row label, for the comparison."""
    if kind in (Kind.CHOICE, Kind.SCALE):
        total = sum(n for _label, n in result["rows"])
        if not total:  # a group without answers yet: no bars, not a row of "0 (0 %)"
            return {label: (None, "–") for label, _n in result["rows"]}
        return {
            label: (n, f"{n}\u00a0({round(100 * n / total)}\u00a0%)") for label, n in result["rows"]
        }
    if kind == Kind.RANKING:
        return {
            label: (points, _("place %(mean)s") % {"mean": _fmt(mean)} if mean else "–")
            for label, points, mean in result["ranked"]
        }
    if kind == Kind.POINTS:
        return {label: (mean, _fmt(mean)) for label, mean in result["means"]}
    return {
        label: (mean, f"{_fmt(mean)} ({n})" if mean is not None else "–")
        for label, mean, n in result["themes"]
    }


def compared(room: dict[str, Any], columns: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The groups' answers to a bar-chart question in one drawing (rows in the room's
    order, a column per group) and the same as rows of text for a screen reader; None for
    the kinds shown group by group."""
    question: Question = room["question"]
    if question.kind not in COMPARED:
        return None
    if question.kind in (Kind.RANKING, Kind.POINTS):  # the room's best first
        ranked = room["ranked"] if question.kind == Kind.RANKING else room["means"]
        order = [row[0] for row in ranked]
    else:
        order = list(_row_values(question.kind, room))
    groups = []
    for column in columns:
        found = _row_values(question.kind, column)
        cells = [found.get(label, (None, "–")) for label in order]
        groups.append(
            GroupColumn(
                name=f"{column['name']} ({column['n']})",
                values=[value for value, _text in cells],
                texts=[text for _value, text in cells],
            )
        )
    top = room["scale"][1] if question.kind == Kind.THEMES else None
    return {
        "svg": mark_safe(group_bars(order, groups, title=question.prompt, top=top)),
        "groups": [g.name for g in groups],
        "rows": [(label, [g.texts[i] for g in groups]) for i, label in enumerate(order)],
    }
