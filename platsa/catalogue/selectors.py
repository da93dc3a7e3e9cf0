"""Reads of the action catalogue: the shared data files plus a place's own additions."""

from __future__ import annotations

from functools import cache

from platsa.core.catalogue import Catalogue, load_catalogue
from platsa.core.frameworks import Framework, get_framework, load_frameworks
from platsa.places.models import Place


@cache
def shared_catalogue(framework_id: str, version: str) -> Catalogue:
    """The data-file catalogue for a framework (validated once per process)."""
    return load_catalogue(get_framework(framework_id))


@cache
def frameworks() -> dict[str, Framework]:
    return load_frameworks()


def catalogue_for_place(place: Place | None, framework: Framework) -> Catalogue:
    """The shared catalogue with the place's own actions and good examples added."""
    base = shared_catalogue(framework.id, framework.version)
    if place is None:
        return base
    from platsa.catalogue.models import LocalAction, LocalExample

    examples: dict[str, list] = {}
    for example in LocalExample.objects.filter(place=place):
        examples.setdefault(example.action_id, []).append(example.to_example())
    local = [
        a.to_action(examples.get(a.action_id, []))
        for a in LocalAction.objects.filter(place=place, framework_id=framework.id)
    ]
    if not local and not examples:
        return base
    merged = []
    for action in base:
        extra = examples.get(action.id)
        merged.append(
            action.model_copy(update={"examples": (*extra, *action.examples)}) if extra else action
        )
    return Catalogue(base.framework_id, [*merged, *local])


def catalogue_version(place: Place | None) -> str:
    """Changes whenever the place's own actions or examples change (a cache key part)."""
    if place is None:
        return "0"
    from django.db.models import Count, Max

    from platsa.catalogue.models import LocalAction, LocalExample

    a = LocalAction.objects.filter(place=place).aggregate(n=Count("id"), t=Max("updated_at"))
    e = LocalExample.objects.filter(place=place).aggregate(n=Count("id"), t=Max("updated_at"))
    return f"{a['n']}-{a['t']}-{e['n']}-{e['t']}"
