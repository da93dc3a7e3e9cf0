"""Edits made in the Django admin move the same change stamps as the services do.

Public pages are cached under keys built from ``Round.changed_at``, ``Place.changed_at`` and
the answers' ``updated_at`` (platsa.web.pagecache); the services move them on every write. An
edit in the admin would otherwise leave a cached page showing the old data for a day.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin
from django.http import HttpRequest


class StampsPagesAdmin(admin.ModelAdmin):
    """A ModelAdmin whose saves and deletes call ``stamp(obj)`` (set per admin class)."""

    stamp: Callable[[Any], None] = staticmethod(lambda obj: None)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        type(self).stamp(obj)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        type(self).stamp(form.instance)  # inline rows (a round's groups) changed too

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        super().delete_model(request, obj)
        type(self).stamp(obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        objects = list(queryset)
        super().delete_queryset(request, queryset)
        for obj in objects:
            type(self).stamp(obj)
