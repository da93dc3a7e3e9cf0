"""Reads of the action catalogue: the shared data files plus a place's own additions."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from functools import cache, partial
from typing import TYPE_CHECKING, TypeVar

from pydantic import ValidationError

from platsa.core.schema.catalogue import BUILTIN_DIR as CATALOGUE_DIR
from platsa.core.schema.catalogue import Action, Catalogue, Example, load_catalogue
from platsa.core.schema.frameworks import Framework, get_framework, load_frameworks
from platsa.places.models import Place

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from platsa.catalogue.models import LocalAction, LocalExample

log = logging.getLogger(__name__)
T = TypeVar("T")


@cache
def shared_catalogue(framework_id: str, version: str) -> Catalogue:
    """The data-file catalogue for a framework (validated once per process)."""
    return load_catalogue(get_framework(framework_id))


@cache
def shared_catalogue_digest() -> str:
    """Changes when the catalogue's data files change (a deploy): a part of the cache keys
    of pages that show recommendations. Read once per process."""
    digest = hashlib.sha1(usedforsecurity=False)
    for path in sorted(CATALOGUE_DIR.glob("*.yaml")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@cache
def frameworks() -> dict[str, Framework]:
    return load_frameworks()


def catalogue_for_place(place: Place | None, framework: Framework) -> Catalogue:
    """The shared catalogue with the place's own actions and good examples added."""
    base = shared_catalogue(framework.id, framework.version)
    if place is None:
        return base
    from platsa.catalogue.models import LocalAction, LocalExample

    examples: dict[str, list[Example]] = {}
    for example in LocalExample.objects.filter(place=place):
        made = _valid(example.to_example, "example", example.pk)
        if made is not None:
            examples.setdefault(example.action_id, []).append(made)
    local: list[Action] = []
    for record in LocalAction.objects.filter(place=place, framework_id=framework.id):
        action = _valid(
            partial(record.to_action, examples.get(record.action_id, [])), "action", record.pk
        )
        if action is not None:
            local.append(action)
    if not local and not examples:
        return base
    merged = []
    for action in base:
        extra = examples.get(action.id)
        merged.append(
            action.model_copy(update={"examples": (*extra, *action.examples)}) if extra else action
        )
    return Catalogue(base.framework_id, [*merged, *local])


def _valid(make: Callable[[], T], kind: str, pk: int) -> T | None:
    """A place's own record as the core's object, or None if it no longer validates.

    One bad record (written before a rule was tightened, or through the admin) must never
    take down every page of the place: it is left out and logged by id (no content).
    """
    try:
        return make()
    except (ValidationError, ValueError):
        log.warning("Left out local %s %s: it does not validate", kind, pk)
        return None


def catalogue_version(place: Place | None) -> str:
    """Changes whenever the place's own actions or examples change (a cache key part)."""
    if place is None:
        return "0"
    from django.db.models import Count, Max

    from platsa.catalogue.models import LocalAction, LocalExample

    a = LocalAction.objects.filter(place=place).aggregate(n=Count("id"), t=Max("updated_at"))
    e = LocalExample.objects.filter(place=place).aggregate(n=Count("id"), t=Max("updated_at"))
    return f"{a['n']}-{a['t']}-{e['n']}-{e['t']}"


def local_actions(place: Place) -> QuerySet[LocalAction]:
    """The place's own actions, by Swedish title (the model's order)."""
    from platsa.catalogue.models import LocalAction

    return LocalAction.objects.filter(place=place)


def local_examples(place: Place) -> QuerySet[LocalExample]:
    from platsa.catalogue.models import LocalExample

    return LocalExample.objects.filter(place=place)


def action_titles(place: Place, framework: Framework, language: str) -> dict[str, str]:
    """Every action a place's example may be for, id -> title in ``language``: the shared
    catalogue's and the place's own (in English only where an English title was written)."""
    titles = {
        a.id: a.title.get(language) for a in shared_catalogue(framework.id, framework.version)
    }
    for a in local_actions(place):
        titles[a.action_id] = a.title_sv if language == "sv" or not a.title_en else a.title_en
    return titles
