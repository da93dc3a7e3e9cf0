"""Who may do what with a process, now: the only way views load a process.

One call checks membership of the organising place (404 for a non-member: a process's
existence is not revealed), the role (403 when too low) and, when a view names the feature
it is about to use, the phase and dates (:class:`PhaseClosed`, shown as a page that says
which phase the process is in and when the feature opens, status 409).
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from platsa.places.access import get_place_for_user
from platsa.places.models import Role
from platsa.processes.kinds import Feature
from platsa.processes.models import Process


class PhaseClosed(Exception):  # noqa: N818 - named for what the user meets, like Http404
    """The process's phase (or its dates) does not open ``feature`` now."""

    def __init__(self, process: Process, feature: Feature) -> None:
        super().__init__(f"{process.kind}/{process.phase} does not open {feature}")
        self.process = process
        self.feature = feature


def require_feature(process: Process, feature: Feature) -> None:
    """Raise :class:`PhaseClosed` unless participants may do ``feature`` now. For views
    that load a process without a member (a public page, a participant's form)."""
    if not process.allows(feature):
        raise PhaseClosed(process, feature)


def get_process_for_user(
    request: HttpRequest,
    place_slug: str,
    process_slug: str,
    *,
    needs: Role = Role.VIEWER,
    kind: str | None = None,
    feature: Feature | None = None,
    queryset: QuerySet[Process] | None = None,
) -> tuple[Process, Role]:
    """The process ``process_slug`` of the place ``place_slug`` and the user's role there,
    if the role is at least ``needs``, the process is of ``kind`` (when given) and its phase
    opens ``feature`` (when given)."""
    place, role = get_place_for_user(request, place_slug, needs=needs)
    rows = queryset if queryset is not None else Process.objects.all()
    rows = rows.filter(place=place, slug=process_slug)
    if kind is not None:
        rows = rows.filter(kind=kind)
    process = rows.first()
    if process is None:
        raise Http404
    process.place = place  # already loaded, with its municipality
    if feature is not None:
        require_feature(process, feature)
    return process, role
