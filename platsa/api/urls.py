"""The open-data API under /api/ (its schema at /api/openapi.json, see platsa.api.api), and
the page where a signed-in person makes and revokes their API tokens."""

from django.urls import path, re_path

from platsa.api import views
from platsa.api.api import api

urlpatterns = [
    path("nycklar/", views.tokens, name="api_tokens"),
    path("nycklar/<int:token_id>/aterkalla/", views.revoke, name="api_token_revoke"),
    path("", api.urls),
    # Only addresses ending in "/": one without it is sent on to its "/" form first
    # (APPEND_SLASH), as everywhere on the site.
    re_path(r"^(?P<rest>.*/)$", views.not_found),
]
