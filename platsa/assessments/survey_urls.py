"""The public survey, under /s/<key>/ (the link and QR code that are shared)."""

from django.urls import path

from platsa.assessments.views import survey

app_name = "survey"
urlpatterns = [
    path("<str:key>/", survey.survey, name="form"),
    path("<str:key>/tack/", survey.thanks, name="thanks"),
    path("<str:key>/radera/", survey.delete_own, name="delete_own"),
    path("<str:key>/mitt-svar.json", survey.export_own, name="export_own"),
    path("<str:key>/ny/", survey.new_respondent, name="new_respondent"),
]
