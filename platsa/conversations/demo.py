"""A demo conversation with generated votes (``seed_demo``): three camps of residents who
vote alike within a camp, some statements everyone shares, a statement from a participant
waiting for review; the analysis is run at once so its page shows groups."""

from __future__ import annotations

import numpy as np

from platsa.accounts.models import User
from platsa.conversations.analysis import analysis_run
from platsa.conversations.models import Conversation, Statement
from platsa.conversations.services import (
    conversation_create,
    participant_for,
    statement_submit,
    statements_seed,
    vote_cast,
)
from platsa.places.models import Place
from platsa.processes.services import process_set_phase

QUESTION = "Vad behöver centrum för att fler ska vilja bo och stanna här?"
# (text, how each of the three camps leans: +1 agree, -1 disagree, 0 split)
STATEMENTS = [
    ("Centrum behöver fler bostäder, även hyresrätter", (1, 1, 0)),
    ("Bilar ska få köra och parkera i hela centrum", (-1, 1, 1)),
    ("Gågatan ska bli längre och grönare", (1, -1, 0)),
    ("Det behövs fler caféer och restauranger som har öppet på kvällen", (1, 0, 1)),
    ("Kommunen ska satsa på evenemang och marknader på torget", (1, 0, -1)),
    ("Det känns otryggt att gå genom centrum på kvällen", (0, 1, 1)),
    ("Belysningen i parker och gångtunnlar måste bli bättre", (1, 1, 1)),
    ("Tomma lokaler ska kunna hyras billigt av nya företag", (1, 0, 1)),
    ("Bussarna från byarna in till centrum går för sällan", (1, 1, 1)),
    ("Köpcentret utanför stan har gjort centrum tomt", (0, 1, -1)),
    ("Ungdomar behöver en egen mötesplats i centrum", (1, 0, 1)),
    ("Cykelvägarna in till centrum räcker som de är", (-1, 1, 0)),
    ("Skyltar och information ska finnas på fler språk", (1, -1, 0)),
    ("Torget ska bli en park", (1, -1, -1)),
    ("Fastighetsägarna måste ta större ansvar för sina fasader", (1, 1, 1)),
]
CAMPS = (55, 45, 30)


def demo_conversation(place: Place, user: User, *, seed: int = 2026) -> Conversation:
    conversation = conversation_create(
        place=place,
        user=user,
        question=QUESTION,
        description=(
            "Demo: påhittade påståenden och genererade röster. Håll med, håll inte med eller "
            "hoppa över, ett påstående i taget, och skriv gärna egna."
        ),
    )
    statements_seed(conversation=conversation, user=user, texts=[t for t, _lean in STATEMENTS])
    process_set_phase(process=conversation.process, phase="open", actor=user)
    statements = list(Statement.objects.filter(conversation=conversation).order_by("pk"))
    rng = np.random.default_rng(seed)
    n = 0
    for camp, size in enumerate(CAMPS):
        for _ in range(size):
            n += 1
            participant = participant_for(
                conversation, user=None, token=f"demo-{n:05d}".ljust(43, "x")
            )
            assert participant is not None
            for statement, (_text, lean) in zip(statements, STATEMENTS, strict=True):
                if rng.random() < 0.2:
                    continue  # not everybody votes on everything
                leaning = lean[camp]
                p_agree = {1: 0.85, 0: 0.45, -1: 0.12}[leaning]
                draw = rng.random()
                value = 1 if draw < p_agree else (0 if draw < p_agree + 0.1 else -1)
                vote_cast(participant=participant, statement_id=statement.pk, value=value)
    author = participant_for(conversation, user=None, token="demo-author".ljust(43, "x"))
    assert author is not None
    statement_submit(participant=author, text="Det behövs en lekplats nära torget")
    analysis_run(conversation.pk)
    return conversation
