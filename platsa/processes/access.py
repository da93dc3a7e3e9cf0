"""Who may do what with a process, now: the only way views load a process.

One call checks membership of the organising place (404 for a non-member: a process's
existence is not revealed), the role (403 when too low) and, when a view names the feature
it is about to use, the phase and dates (:class:`PhaseClosed`, shown as a page that says
which phase the process is in and when the feature opens, status 409).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from platsa.accounts.models import User
from platsa.places.access import check_role, member_role
from platsa.places.models import Role
from platsa.processes.kinds import Feature
from platsa.processes.models import Process
from platsa.web import access_memo


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
    rows = queryset if queryset is not None else Process.objects.all()
    rows = rows.select_related("place__municipality__parent").filter(
        place__slug=place_slug, slug=process_slug
    )
    if kind is not None:
        rows = rows.filter(kind=kind)
    # One query for the process, its place and the visitor's role there.
    process = rows.annotate(member_role=member_role(request.user, "place_id")).first()
    if process is None:
        raise Http404
    role = check_role(process.member_role, needs)
    if feature is not None:
        require_feature(process, feature)
    return process, role


@dataclass(frozen=True)
class Access:
    """What a cached member page needs to know before it is served: which process, its
    change stamp, and the visitor's role (checked as :func:`get_process_for_user` does)."""

    process_id: int
    changed_at: datetime
    role: Role


_ACCESS = """
SELECT pr.id, pr.changed_at,
  (SELECT m.role FROM places_membership m
   WHERE m.place_id = p.id AND m.user_id = %s ORDER BY m.id LIMIT 1)
FROM processes_process pr JOIN places_place p ON p.id = pr.place_id
WHERE p.slug = %s AND pr.slug = %s AND pr.kind = %s
"""


def process_access(
    request: HttpRequest, place_slug: str, process_slug: str, *, kind: str, needs: Role
) -> Access:
    """The access check of :func:`get_process_for_user` without loading the objects: one
    small query (building the ORM's query with its joins costs more than running it), for a
    page that is served from the cache when nothing changed."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise Http404

    def find() -> tuple[int, datetime, str | None] | None:
        with connection.cursor() as cursor:
            cursor.execute(_ACCESS, [user.pk, place_slug, process_slug, kind])
            row = cursor.fetchone()
        if row is None:
            return None
        process_id, changed_at, role = row
        if isinstance(changed_at, str):  # SQLite without the ORM's converters
            changed_at = datetime.fromisoformat(changed_at)
        return process_id, changed_at, role

    # Remembered until a user, membership, place or process is written (access_memo).
    found = access_memo.remembered(
        request, f"process:{user.pk}:{kind}:{place_slug}:{process_slug}", find
    )
    if found is None:
        raise Http404
    process_id, changed_at, role = found
    return Access(process_id=process_id, changed_at=changed_at, role=check_role(role, needs))
