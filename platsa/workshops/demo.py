"""A demo workshop session (``seed_demo``): the network meeting of the seed, with a question
of most kinds and generated answers (marked demo: made up, from a fixed seed), the open
question on the screen now."""

from __future__ import annotations

import random

from platsa.accounts.models import User
from platsa.core.geo import AreaIndex
from platsa.places.models import Area, AreaShape, Place
from platsa.processes.services import process_set_phase
from platsa.workshops.answers import Parsed
from platsa.workshops.entries import entry_submit, entry_vote
from platsa.workshops.models import Participant, Question, Workshop
from platsa.workshops.services import (
    answer_submit,
    participant_for,
    question_add,
    workshop_create,
    workshop_show,
)

ANSWERS = [
    "Bredband",
    "bredbandet",
    "fler bussar",
    "Bussarna går för sällan",
    "en affär",
    "Affären",
    "skolan",
    "förskola",
    "bostäder",
    "hyresrätter",
    "mötesplats för unga",
    "bredband till alla",
    "Kollektivtrafik",
    "jobb",
    "Fler jobb",
    "vårdcentral",
]
IDEAS = [
    "Ett byahus med coworking och fiber",
    "Samåkningsapp för pendlare",
    "Lokal matbutik som ägs av byn",
    "Sommarjobb för unga i lokala företag",
    "Välkomstpaket till nyinflyttade",
]
PRIORITIES = ["Bredband", "Kollektivtrafik", "Bostäder", "Service", "Mötesplatser"]


def demo_workshop(place: Place, user: User) -> Workshop:
    workshop = workshop_create(
        place=place, user=user, title="Nätverksträff Smarta landsbygder (demo)"
    )
    question_add(
        workshop=workshop,
        kind="choice",
        prompt="Vilka smarta landsbygder finns i er region?",
        options=["Många", "Några", "Inga än", "Vet inte"],
    )
    words = question_add(workshop=workshop, kind="words", prompt="Vad behöver byn mest?")
    question_add(
        workshop=workshop,
        kind="scale",
        prompt="Hur väl känner du till Smart Village-strategin?",
        low_label="inte alls",
        high_label="mycket väl",
    )
    ranking = question_add(
        workshop=workshop,
        kind="ranking",
        prompt="Vad ska nätverket prioritera?",
        options=PRIORITIES,
    )
    points = question_add(
        workshop=workshop,
        kind="points",
        prompt="Fördela 100 poäng på det som behövs mest",
        options=PRIORITIES,
    )
    matrix = question_add(
        workshop=workshop,
        kind="matrix",
        prompt="Vilka insatser ger mest och är enklast?",
        options=["Byahus", "Samåkning", "Bybutik", "Sommarjobb"],
        x_label="Nytta",
        y_label="Enkelt att göra",
    )
    places = question_add(
        workshop=workshop, kind="places", prompt="Var finns en smart landsbygd som inspirerar dig?"
    )
    ideas = question_add(
        workshop=workshop, kind="ideas", prompt="Idéer för en smartare by: skriv och ge +1"
    )
    question_add(workshop=workshop, kind="qa", prompt="Frågor till panelen")
    themes = question_add(
        workshop=workshop,
        kind="themes",
        prompt="Hur bra är vår ort i dag, tema för tema?",
        framework="place-attractiveness",
    )
    process_set_phase(process=workshop.process, phase="live", actor=user)
    phones = [_phone(workshop, i) for i in range(len(ANSWERS))]
    _answers(workshop, phones, [ranking, points, matrix, places, ideas, themes])
    workshop_show(workshop=workshop, question=words)
    for phone, text in zip(phones, ANSWERS, strict=True):
        answer_submit(participant=phone, question=words, parsed=Parsed(text=text))
    return workshop


def _phone(workshop: Workshop, i: int) -> Participant:
    phone = participant_for(workshop, f"demo{i:05d}".ljust(43, "x"))
    assert phone is not None
    return phone


def _pin_in(shapes: AreaIndex, pk: int, rng: random.Random) -> list[float] | None:
    """A made-up pin inside the municipality (a point of its box that lies in it), or None
    when its boundary is not imported."""
    box = shapes.box(pk)
    if box is None:
        return None
    west, south, east, north = box
    for _ in range(50):
        lat, lon = rng.uniform(south, north), rng.uniform(west, east)
        if shapes.locate(lat, lon) == pk:
            return [round(lat, 5), round(lon, 5)]
    return None


def _answers(workshop: Workshop, phones: list[Participant], questions: list[Question]) -> None:
    """Made-up answers to the other questions, each shown in turn as the room would."""
    rng = random.Random(2026)
    ranking, points, matrix, places, ideas, themes = questions
    towns = list(
        Area.objects.filter(kind=Area.Kind.MUNICIPALITY, country="SE")
        .order_by("name")
        .values_list("pk", "name")[:40]
    )
    shapes = AreaIndex(
        AreaShape.objects.filter(area_id__in=[pk for pk, _name in towns]).values_list(
            "area_id", "geometry"
        )
    )
    for question in questions:
        workshop_show(workshop=workshop, question=question)
        if question is ideas:
            for i, phone in enumerate(phones[: len(IDEAS)]):
                entry_submit(participant=phone, question=ideas, raw=IDEAS[i])
            board = list(ideas.entries.all())
            for phone in phones:
                for entry in rng.sample(board, 2):
                    entry_vote(participant=phone, entry_id=entry.pk, up=True)
        for phone in phones:
            if question is ranking:
                order = sorted(range(5), key=lambda i: i + rng.random() * 3)
                answer_submit(participant=phone, question=question, parsed=Parsed(data=order))
            elif question is points:
                cut = sorted(rng.sample(range(1, 100), 4))
                given = [b - a for a, b in zip([0, *cut], [*cut, 100], strict=True)]
                answer_submit(participant=phone, question=question, parsed=Parsed(data=given))
            elif question is matrix:
                xy = [[rng.randint(2 + i, 7), rng.randint(1, 7 - i)] for i in range(4)]
                answer_submit(participant=phone, question=question, parsed=Parsed(data=xy))
            elif question is themes:
                rated = [
                    min(7, max(1, round(rng.gauss(3.5 + (i % 3), 1.2))))
                    if rng.random() > 0.15
                    else None
                    for i in range(len(themes.options))
                ]
                answer_submit(participant=phone, question=question, parsed=Parsed(data=rated))
            elif question is places and towns:
                pk, name = towns[min(int(rng.expovariate(0.3)), len(towns) - 1)]
                data: dict[str, object] = {"area": pk}
                point = _pin_in(shapes, pk, rng) if rng.random() < 0.4 else None
                if point is not None:  # some phones drop a pin instead of typing
                    data["point"] = point
                answer_submit(
                    participant=phone,
                    question=question,
                    parsed=Parsed(text=name, data=data),
                )
