from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils import timezone

from platsa.assessments.models import (
    Comment,
    ImportBatch,
    RespondentCode,
    Response,
    Round,
    RoundGroup,
)
from platsa.assessments.services import round_touch
from platsa.web.admin_stamps import StampsPagesAdmin


class GroupInline(admin.TabularInline):
    model = RoundGroup
    extra = 0


@admin.register(Round)
class RoundAdmin(StampsPagesAdmin):
    stamp = staticmethod(lambda obj: round_touch(obj.pk))
    list_display = ("name", "place", "framework_id", "status", "created_at")
    list_filter = ("process__phase", "framework_id")
    search_fields = ("process__title", "process__place__name")
    raw_id_fields = ("process",)
    inlines = [GroupInline]
    exclude = ("framework_snapshot",)


@admin.register(Response)
class ResponseAdmin(StampsPagesAdmin):
    stamp = staticmethod(lambda obj: round_touch(obj.round_id))

    def save_model(self, request: HttpRequest, obj: Response, form: Any, change: bool) -> None:
        obj.updated_at = timezone.now()  # an edited answer is a newer answer (the results' key)
        super().save_model(request, obj, form, change)

    list_display = ("id", "round", "group", "source", "created_at")
    list_filter = ("source",)
    raw_id_fields = ("round", "group", "code", "import_batch")
    exclude = ("device_hash",)


@admin.register(Comment)
class CommentAdmin(StampsPagesAdmin):
    stamp = staticmethod(lambda obj: round_touch(obj.round_id))
    list_display = ("id", "round", "theme_id", "kind", "status")
    list_filter = ("status",)
    raw_id_fields = ("round", "response")


@admin.register(ImportBatch)
class ImportBatchAdmin(StampsPagesAdmin):
    stamp = staticmethod(lambda obj: round_touch(obj.round_id))


admin.site.register(RespondentCode)
