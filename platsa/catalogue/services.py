"""Writes for a place's own actions and good examples: one function per action.

Each marks the place as changed: its recommendations (and so its public results page)
now read differently.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.text import slugify

from platsa.accounts.models import User
from platsa.catalogue.models import LocalAction, LocalExample
from platsa.core.schema.catalogue import validate_action
from platsa.core.schema.frameworks import Framework
from platsa.places.models import Place
from platsa.places.services import place_touch


def _unique_key(place: Place, title: str) -> str:
    base = slugify(title).replace("-", "_")[:60] or "atgard"
    key, n = base, 2
    while LocalAction.objects.filter(place=place, key=key).exists():
        key, n = f"{base}_{n}", n + 1
    return key


@transaction.atomic
def local_action_save(
    *,
    action: LocalAction,
    themes: dict[str, int],
    lead_actors: list[str],
    user: User,
    framework: Framework,
) -> LocalAction:
    """Create or update a place's own action (validated like a catalogue action)."""
    action.themes = themes
    action.lead_actors = lead_actors
    if not action.key:
        action.key = _unique_key(action.place, action.title_sv)
    action.created_by = action.created_by or user
    validate_action(action.to_action([]), framework)
    action.save()
    place_touch(action.place_id)
    return action


@transaction.atomic
def local_action_delete(*, action: LocalAction) -> None:
    """Delete the action and the examples written for it."""
    LocalExample.objects.filter(place_id=action.place_id, action_id=action.action_id).delete()
    action.delete()
    place_touch(action.place_id)


@transaction.atomic
def local_example_save(*, example: LocalExample, place: Place, user: User) -> LocalExample:
    """Save a good example for one of the place's actions (shared or its own)."""
    example.place = place
    example.created_by = example.created_by or user
    example.save()
    place_touch(place.pk)
    return example


@transaction.atomic
def local_example_delete(*, example: LocalExample) -> None:
    example.delete()
    place_touch(example.place_id)
