from django.contrib import admin
from django.utils import timezone

from platsa.places.models import Area, Membership, Place
from platsa.places.services import place_touch
from platsa.web.admin_stamps import StampsPagesAdmin


def _touch_places_in(area: Area) -> None:
    """A municipality's facts are on every page of the places in it."""
    Place.objects.filter(municipality=area).update(changed_at=timezone.now())


@admin.register(Area)
class AreaAdmin(StampsPagesAdmin):
    stamp = staticmethod(_touch_places_in)
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
