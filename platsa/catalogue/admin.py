from django.contrib import admin

from platsa.catalogue.models import LocalAction, LocalExample
from platsa.places.services import place_touch
from platsa.web.admin_stamps import StampsPagesAdmin


class PlaceOwnAdmin(StampsPagesAdmin):
    stamp = staticmethod(lambda obj: place_touch(obj.place_id))


admin.site.register(LocalAction, PlaceOwnAdmin)
admin.site.register(LocalExample, PlaceOwnAdmin)
