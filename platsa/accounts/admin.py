from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from platsa.accounts.models import User


@admin.register(User)
class PlatsaUserAdmin(UserAdmin):
    list_display = ("email", "display_name", "is_staff", "date_joined")
    search_fields = ("email", "display_name")
    fieldsets = (*UserAdmin.fieldsets, ("Platsa", {"fields": ("display_name",)}))
