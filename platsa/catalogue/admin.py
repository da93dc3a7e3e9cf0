from django.contrib import admin

from platsa.catalogue.models import LocalAction, LocalExample

admin.site.register(LocalAction)
admin.site.register(LocalExample)
