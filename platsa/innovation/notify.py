"""Telling people that an idea moved: its author, those who commented and those who
supported it get one e-mail each when the organisers change its status (selected, in the
plan, done…). Sent by the task worker, never in the request; each in the person's own
words of the site's language at the time (Swedish first)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mass_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from platsa.accounts.models import User


def recipients(idea_id: int) -> list[str]:
    """Addresses of the author, commenters and supporters of an idea, each once."""
    from platsa.innovation.models import Comment, Idea, Support, Visibility

    idea = Idea.objects.filter(pk=idea_id).only("author_id").first()
    if idea is None:
        return []
    ids = set(Support.objects.filter(idea_id=idea_id).values_list("user_id", flat=True))
    ids |= set(
        Comment.objects.filter(idea_id=idea_id, visibility=Visibility.SHOWN)
        .exclude(author=None)
        .values_list("author_id", flat=True)
    )
    if idea.author_id:
        ids.add(idea.author_id)
    return sorted(User.objects.filter(pk__in=ids, is_active=True).values_list("email", flat=True))


def status_changed(idea_id: int, before: str) -> None:
    """Queue the e-mails (called on commit by ``idea_set_status``)."""
    idea_status_mail.enqueue(idea_id, before)


@task()
def idea_status_mail(idea_id: int, before: str) -> None:
    from platsa.innovation.models import Idea

    idea = Idea.objects.select_related("process__place").filter(pk=idea_id).first()
    if idea is None:
        return
    process = idea.process
    path = reverse(
        "innovation_public:idea",
        kwargs={"place_slug": process.place.slug, "process_slug": process.slug, "idea_id": idea.pk},
    )
    link = f"{settings.PLATSA_SITE_URL.rstrip('/')}{path}" if settings.PLATSA_SITE_URL else path
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("[Platsa] “{title}” is now: {status}").format(
            title=idea.title[:60], status=idea.get_status_display()
        )
        lines = [
            _("The idea “{title}” in {process} has a new status: {status}.").format(
                title=idea.title, process=process.title, status=idea.get_status_display()
            ),
        ]
        if idea.official_answer:
            lines += ["", _("The organisers' answer:"), idea.official_answer]
        lines += [
            "",
            _("Read it: {link}").format(link=link),
            "",
            _(
                "You get this because you wrote, commented on or supported the idea. "
                "To stop, withdraw your support or delete your account on Platsa."
            ),
        ]
    body = "\n".join(lines)
    sender = settings.DEFAULT_FROM_EMAIL
    send_mass_mail(
        [(subject, body, sender, [address]) for address in recipients(idea_id)],
        fail_silently=False,
    )
