"""Themes found in a process's ideas by the machine, labelled as machine-made wherever they
are shown, each linking to the verbatim ideas it came from and listing the comments nearest
it, word for word (an organiser reads the ideas, not a paraphrase: Talk to the City #9).

Grouping 3,000 ideas takes seconds, so it runs in the task worker: a page that finds the
stored grouping older than the ideas asks for a new one (at most one waiting per process)
and shows the stored one meanwhile, saying when it was made.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import Count, Max, QuerySet
from django.utils import timezone
from django_tasks import task

from platsa.core.analysis.idea_themes import MIN_DOCS, group_themes
from platsa.innovation.models import Comment, ThemeRun
from platsa.innovation.selectors import shown_comments, shown_ideas
from platsa.innovation.similar import idea_text, texts_version

QUEUED_SECONDS = 300


def _comments(process_id: int) -> QuerySet[Comment]:
    """The shown comments on the shown ideas: what a reader of the ideas can read."""
    return shown_comments().filter(idea__in=shown_ideas(process_id))


def version(process_id: int) -> str:
    """The ideas' texts and the comments on them (count, newest, a hidden one changes the
    count): a new comment places itself in the themes at the next grouping."""
    found = _comments(process_id).aggregate(n=Count("id"), last=Max("id"))
    return f"{texts_version(process_id)}|{found['n']}:{found['last']}"


def stored(process_id: int) -> ThemeRun | None:
    return ThemeRun.objects.filter(process_id=process_id).first()


def refresh_if_stale(process_id: int) -> bool:
    """Queue a new grouping when the stored one is older than the ideas and comments (at
    most one waiting per process); True while it is older, so that every look says a new
    one is coming, not only the look that asked for it."""
    run = stored(process_id)
    if run is not None and run.version == version(process_id):
        return False
    if cache.add(f"platsa:idea-themes-queued:{process_id}", 1, QUEUED_SECONDS):
        idea_themes_task.enqueue(process_id)
    return True


def make(process_id: int) -> ThemeRun:
    """Group the shown ideas now and store the result."""
    current = version(process_id)
    docs = [
        (pk, idea_text(title, body))
        for pk, title, body in shown_ideas(process_id).values_list("pk", "title", "body")
    ]
    comments = list(_comments(process_id).values_list("pk", "body"))
    result = group_themes(docs, max_themes=8, min_size=3, seed=0, comments=comments)
    run, _created = ThemeRun.objects.update_or_create(
        process_id=process_id,
        defaults={
            "version": current,
            "made_at": timezone.now(),
            "ideas": len(docs),
            "themes": [
                {
                    "words": list(t.words),
                    "members": list(t.member_ids),
                    "representatives": list(t.representative_ids),
                    "comments": list(t.comment_ids),
                }
                for t in result.themes
            ],
            "unthemed": list(result.unthemed),
        },
    )
    return run


@task()
def idea_themes_task(process_id: int) -> None:
    try:
        make(process_id)
    finally:
        cache.delete(f"platsa:idea-themes-queued:{process_id}")


__all__ = ["MIN_DOCS", "make", "refresh_if_stale", "stored", "version"]
