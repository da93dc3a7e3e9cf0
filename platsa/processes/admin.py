from django.contrib import admin

from platsa.processes.models import PlaceSet, Process, ProcessEvent


class EventInline(admin.TabularInline):
    model = ProcessEvent
    extra = 0
    can_delete = False
    readonly_fields = ("at", "actor", "action", "before", "after", "details")

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # the log is written by the services, never by hand


@admin.register(Process)
class ProcessAdmin(admin.ModelAdmin):
    list_display = ("title", "place", "kind", "phase", "is_public", "created_at")
    list_filter = ("kind", "phase", "is_public")
    search_fields = ("title", "place__name")
    readonly_fields = ("kind", "phase")  # phases change through the services only
    inlines = [EventInline]


admin.site.register(PlaceSet)
