"""What else moves a plan's pages: its places' assessment rounds (frozen, published, taken
down), a place renamed or a set of places changed. Each marks the plans that show them as
changed (``Plan.changed_at``, the key of their cached public pages and documents), so the
public follow-up never shows a round its place took down.

Signals rather than calls from the assessments app: the rounds know nothing of plans, and a
plan follows whatever the places it covers do.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.db.models.signals import m2m_changed, post_save
from django.utils import timezone


def touch_plans_of(place_ids: set[int]) -> None:
    from platsa.plans.models import Plan

    if not place_ids:
        return
    Plan.objects.filter(
        Q(process__place_id__in=place_ids) | Q(process__place_set__places__in=place_ids)
    ).update(changed_at=timezone.now())


def _round_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    if getattr(instance, "kind", None) == "assessment":
        touch_plans_of({instance.place_id})


def _snapshot_made(sender: Any, instance: Any, **kwargs: Any) -> None:
    from platsa.processes.models import Process

    place_id = (
        Process.objects.filter(round__pk=instance.round_id)
        .values_list("place_id", flat=True)
        .first()
    )
    if place_id is not None:
        touch_plans_of({place_id})


def _place_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    touch_plans_of({instance.pk})


def _set_changed(sender: Any, instance: Any, action: str, **kwargs: Any) -> None:
    if action.startswith("post_"):
        from platsa.plans.models import Plan

        Plan.objects.filter(process__place_set=instance).update(changed_at=timezone.now())


def connect() -> None:
    from platsa.assessments.models import ResultSnapshot
    from platsa.places.models import Place
    from platsa.processes.models import PlaceSet, Process

    post_save.connect(_round_changed, sender=Process, dispatch_uid="plans-round-changed")
    post_save.connect(_snapshot_made, sender=ResultSnapshot, dispatch_uid="plans-snapshot")
    post_save.connect(_place_changed, sender=Place, dispatch_uid="plans-place-changed")
    m2m_changed.connect(
        _set_changed, sender=PlaceSet.places.through, dispatch_uid="plans-set-changed"
    )
