"""E-mail digests for followers, and reminders of the moderation queue.

A follower gets at most one e-mail a day, and only when something happened since the last:
new ideas, ideas whose status changed, and updates in the live feed (titles and links, never
who wrote what). Organisers and the process's moderators are reminded when posts have waited
for review, or reports for an answer, longer than a day.

No scheduler is needed: ``due()`` runs at most once an hour, started by the first visit of
a process page after the hour (or by ``manage.py innovation_digests`` from cron), and does
its work in the task worker. E-mail goes to the console by default and by SMTP when
``EMAIL_HOST`` is set (see settings).
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mass_mail
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from platsa.innovation.models import (
    Comment,
    FeedPost,
    Follow,
    Idea,
    ModerationEntry,
    Moderator,
    Report,
    Visibility,
)
from platsa.places.models import Membership, Role
from platsa.processes.models import Process

EVERY = timedelta(days=1)
WAITING = timedelta(days=1)


def _link(path: str) -> str:
    base = settings.PLATSA_SITE_URL.rstrip("/")
    return f"{base}{path}" if base else path


_last_asked = 0.0  # this worker's last look at the shared stamp (time.monotonic())
ASK_EVERY = 60.0  # seconds: each write looked, which cost a cache round trip per write


def due() -> bool:
    """Queue the digests and reminders if an hour has passed since they last ran (each
    worker asks the shared cache at most once a minute)."""
    global _last_asked
    now = time.monotonic()
    if now - _last_asked < ASK_EVERY:
        return False
    _last_asked = now
    if not cache.add("platsa:innovation-digests", 1, 3600):
        return False
    send_digests.enqueue()
    return True


def digest_for(follow: Follow, now: datetime) -> tuple[str, str] | None:
    """The subject and text of one follower's digest, or None when nothing happened."""
    process = follow.process
    since = follow.last_sent
    new = list(
        Idea.objects.filter(
            process=process, visibility=Visibility.SHOWN, merged_into=None, created_at__gt=since
        ).order_by("-support_count")[:10]
    )
    decided = list(
        Idea.objects.filter(
            pk__in=ModerationEntry.objects.filter(
                process=process, action=ModerationEntry.Action.STATUS, at__gt=since
            ).values("idea_id"),
            visibility=Visibility.SHOWN,
        )[:10]
    )
    posts = FeedPost.objects.filter(process=process, created_at__gt=since).count()
    if not (new or decided or posts):
        return None
    place = process.place.slug
    lines = [
        _("News from {process} since {since}:").format(
            process=process.title, since=since.strftime("%Y-%m-%d")
        ),
        "",
    ]
    if new:
        lines.append(ngettext("{n} new idea:", "{n} new ideas:", len(new)).format(n=len(new)))
        lines += [
            f"- {i.title}: {_link(reverse('innovation_public:idea', args=[place, process.slug, i.pk]))}"
            for i in new
        ]
        lines.append("")
    if decided:
        lines.append(_("Decided:"))
        lines += [f"- {i.title}: {i.get_status_display()}" for i in decided]
        lines.append("")
    if posts:
        lines.append(
            ngettext(
                "{n} update in the live feed: {link}", "{n} updates in the live feed: {link}", posts
            ).format(
                n=posts, link=_link(reverse("innovation_public:feed", args=[place, process.slug]))
            )
        )
        lines.append("")
    lines.append(
        _("You get this because you follow the process. To stop: {link}").format(
            link=_link(reverse("innovation_public:process", args=[place, process.slug]))
        )
    )
    return _("[Platsa] News from {process}").format(process=process.title), "\n".join(lines)


def reminder_for(process: Process, now: datetime) -> tuple[str, str, list[str]] | None:
    """A reminder to the staff of ``process`` of posts and reports waiting over a day."""
    old = now - WAITING
    held = (
        Idea.objects.filter(process=process, visibility=Visibility.HELD, created_at__lt=old).count()
        + Comment.objects.filter(
            Q(idea__process=process) | Q(post__process=process),
            visibility=Visibility.HELD,
            created_at__lt=old,
        ).count()
    )
    reports = Report.objects.filter(
        Q(idea__process=process) | Q(comment__idea__process=process),
        handled_at=None,
        created_at__lt=old,
    ).count()
    if not (held or reports):
        return None
    staff = set(
        Membership.objects.filter(
            place=process.place, role__in=[Role.OWNER, Role.ORGANISER]
        ).values_list("user__email", flat=True)
    ) | set(Moderator.objects.filter(process=process).values_list("user__email", flat=True))
    text = "\n".join(
        [
            _(
                "In {process}, {held} posts wait for review and {reports} reports for an answer, for more than a day."
            ).format(process=process.title, held=held, reports=reports),
            "",
            _link(reverse("innovation:moderation", args=[process.place.slug, process.slug])),
        ]
    )
    return (
        _("[Platsa] Waiting for moderation: {process}").format(process=process.title),
        text,
        sorted(staff),
    )


@task()
def send_digests() -> None:
    """Every follower whose last digest is a day old and has news; every process whose
    moderation queue has waited a day."""
    now = timezone.now()
    sender = settings.DEFAULT_FROM_EMAIL
    messages = []
    with translation.override(settings.LANGUAGE_CODE):
        for follow in Follow.objects.filter(last_sent__lte=now - EVERY).select_related(
            "process__place", "user"
        ):
            made = digest_for(follow, now)
            if made is not None and follow.user.is_active:
                messages.append((made[0], made[1], sender, [follow.user.email]))
            Follow.objects.filter(pk=follow.pk).update(last_sent=now)
        for process in (
            Process.objects.filter(kind="innovation")
            .exclude(phase="preparing")
            .select_related("place")
        ):
            reminder = reminder_for(process, now)
            if (
                reminder is not None
                and reminder[2]
                and cache.add(f"platsa:moderation-reminder:{process.pk}", 1, 24 * 3600)
            ):
                subject, text, to = reminder
                messages += [(subject, text, sender, [address]) for address in to]
    if messages:
        send_mass_mail(messages, fail_silently=False)
