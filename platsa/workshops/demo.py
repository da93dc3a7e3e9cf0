"""A demo workshop session (``seed_demo``): the network meeting of the seed, with three
questions and generated answers to the open one, on the screen now."""

from __future__ import annotations

from platsa.accounts.models import User
from platsa.places.models import Place
from platsa.processes.services import process_set_phase
from platsa.workshops.models import Workshop
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
    process_set_phase(process=workshop.process, phase="live", actor=user)
    workshop_show(workshop=workshop, question=words)
    for i, text in enumerate(ANSWERS):
        phone = participant_for(workshop, f"demo{i:05d}".ljust(43, "x"))
        assert phone is not None
        answer_submit(participant=phone, question=words, raw=text)
    return workshop
