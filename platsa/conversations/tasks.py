"""The analysis of a conversation's votes, by the worker: never on a vote's request (a
room of 1,500 phones votes faster than any page could recompute)."""

from __future__ import annotations

from django_tasks import task


@task()
def conversation_analyse(conversation_id: int) -> None:
    from platsa.conversations.analysis import analysis_run

    analysis_run(conversation_id)
