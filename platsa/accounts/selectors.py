"""Reads about an organiser's own data: what the account page and the data export show."""

from __future__ import annotations

from typing import Any

from platsa.accounts.models import User


def personal_data(user: User) -> dict[str, Any]:
    """Everything stored about the organiser and everything recorded as made by them
    (GDPR art. 15 and 20), as plain JSON-ready values."""
    from allauth.account.models import EmailAddress

    from platsa.api.models import ApiToken
    from platsa.assessments.models import ImportBatch, Round
    from platsa.catalogue.models import LocalAction, LocalExample
    from platsa.innovation.selectors import participant_data
    from platsa.places.models import Membership, Place
    from platsa.processes.models import Process, ProcessEvent

    return {
        "email": user.email,
        "email_addresses": [
            {"email": e.email, "verified": e.verified, "primary": e.primary}
            for e in EmailAddress.objects.filter(user=user)
        ],
        "name": user.display_name,
        "joined": user.date_joined.isoformat(),
        "last_login": user.last_login.isoformat() if user.last_login else None,
        "places": [
            {"place": m.place.name, "role": m.role, "since": m.created_at.isoformat()}
            for m in Membership.objects.filter(user=user).select_related("place")
        ],
        "open_innovation": participant_data(user),
        "action_plans": _plans_data(user),
        "api_tokens": [
            {
                "name": t.name,
                "created": t.created_at.isoformat(),
                "revoked": t.revoked_at.isoformat() if t.revoked_at else None,
            }
            for t in ApiToken.objects.filter(user=user)
        ],
        "created": {
            "places": list(Place.objects.filter(created_by=user).values_list("name", flat=True)),
            "rounds": [
                f"{r.place.name}: {r.name}"
                for r in Round.objects.filter(process__created_by=user).select_related(
                    "process__place"
                )
            ],
            # Every process of every kind, rounds included, and the changes made to them.
            "processes": [
                {"place": p.place.name, "kind": p.kind, "title": p.title}
                for p in Process.objects.filter(created_by=user).select_related("place")
            ],
            "process_changes": [
                {
                    "process": e.process.title,
                    "action": e.action,
                    "before": e.before,
                    "after": e.after,
                    "when": e.at.isoformat(),
                }
                for e in ProcessEvent.objects.filter(actor=user).select_related("process")
            ],
            "imports": [
                {
                    "round": b.round.name,
                    "file": b.filename,
                    "rows": b.rows,
                    "when": b.created_at.isoformat(),
                }
                for b in ImportBatch.objects.filter(uploaded_by=user).select_related(
                    "round__process"
                )
            ],
            "actions": list(
                LocalAction.objects.filter(created_by=user).values_list("title_sv", flat=True)
            ),
            "examples": list(
                LocalExample.objects.filter(created_by=user).values_list("example_place", flat=True)
            ),
        },
    }


def _plans_data(user: User) -> dict[str, Any]:
    from platsa.plans.selectors import person_data

    return person_data(user)
