"""Published, aggregated results under /p/<place>/<round>/."""

from django.urls import path

from platsa.assessments.views import public

app_name = "public"
urlpatterns = [
    path("<slug:place_slug>/<slug:round_slug>/", public.public_results, name="results"),
]
