from django.contrib import admin

from platsa.places.models import Area, Membership, Place
from platsa.places.services import place_touch
from platsa.web.admin_stamps import StampsPagesAdmin


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "country", "code", "population")
    list_filter = ("kind", "country")
    search_fields = ("name", "code")


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ("user",)


@admin.register(Place)
class PlaceAdmin(StampsPagesAdmin):
    stamp = staticmethod(lambda obj: place_touch(obj.pk))
    list_display = ("name", "municipality", "kind", "created_at")
    search_fields = ("name",)
    raw_id_fields = ("municipality", "created_by")
    inlines = [MembershipInline]
