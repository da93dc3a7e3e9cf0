"""A workshop's scale per theme made into an assessment round of the place: each phone that
answered is one response, so the room's ratings get the round's results page (means,
spread, the compass, recommendations) and sit beside the place's surveys over time.

Only for a framework with one question per theme (the place's attractiveness): a theme
rated in the room is then exactly the survey's question. A theme the phone left is "don't
know" where the framework has it, else unanswered."""

from __future__ import annotations

import numpy as np
from django.db import transaction
from django.utils import timezone

from platsa.accounts.models import User
from platsa.assessments.models import Response, ResultSnapshot, Round
from platsa.assessments.services import (
    default_groups,
    round_create,
    round_set_status,
    round_touch,
)
from platsa.assessments.snapshots import results_freeze
from platsa.catalogue.selectors import frameworks
from platsa.core.io.encoding import encode_matrix
from platsa.workshops.answers import WorkshopError
from platsa.workshops.models import Answer, Question

REF_PREFIX = "workshop-"


def can_make_round(question: Question) -> bool:
    found = frameworks().get(question.framework)
    return (
        question.kind == Question.Kind.THEMES
        and found is not None
        and list(found.question_ids) == list(found.theme_ids)
        and question.options == list(found.theme_ids)
    )


@transaction.atomic
def round_from_question(*, question: Question, user: User) -> tuple[Round, int]:
    """The round of the question's answers (made the first time), with every answer not yet
    in it added; returns the round and how many responses were added. A phone's answer is
    added once: its participant number is the response's reference."""
    if not can_make_round(question):
        raise WorkshopError("no_round")
    framework = frameworks()[question.framework]
    workshop = question.workshop
    Question.objects.select_for_update().filter(pk=question.pk).first()
    question.refresh_from_db(fields=["round"])
    round_ = question.round
    if round_ is None:
        round_ = round_create(
            place=workshop.process.place,
            user=user,
            name=f"{workshop.process.title} (workshop)"[:120],
            framework=framework,
            groups=default_groups(framework),
        )
        Round.objects.filter(pk=round_.pk).update(from_workshop=True)
        round_.from_workshop = True
        question.round = round_
        question.save(update_fields=["round"])
        made = True
    else:
        made = False
    taken = set(
        Response.objects.filter(round=round_, respondent_ref__startswith=REF_PREFIX).values_list(
            "respondent_ref", flat=True
        )
    )
    n = len(framework.theme_ids)
    low, high = framework.scale.min, framework.scale.max
    rows = []
    for participant_id, data in Answer.objects.filter(question=question).values_list(
        "participant_id", "data"
    ):
        ref = f"{REF_PREFIX}{participant_id}"
        if ref in taken or not isinstance(data, list) or len(data) != n:
            continue
        rows.append((ref, [v if isinstance(v, int) and low <= v <= high else None for v in data]))
    if rows:
        values = np.array([[np.nan if v is None else v for v in r] for _ref, r in rows], float)
        unknown = np.isnan(values) & framework.scale.dont_know
        encoded = encode_matrix(values, unknown, low)
        now = timezone.now()
        Response.objects.bulk_create(
            [
                Response(
                    round=round_,
                    answers=encoded[i],
                    source=Response.Source.WORKSHOP,
                    respondent_ref=ref,
                    created_at=now,
                    updated_at=now,
                )
                for i, (ref, _values) in enumerate(rows)
            ]
        )
        round_touch(round_.pk)
    if made:  # no survey to open: the room's ratings, closed and frozen as they are
        round_set_status(round_=round_, status=Round.Status.OPEN, actor=user)
        round_set_status(round_=round_, status=Round.Status.CLOSED, actor=user)
    elif rows:
        results_freeze(round_, reason=ResultSnapshot.Reason.CLOSED, actor=user, if_changed=True)
    return round_, len(rows)
