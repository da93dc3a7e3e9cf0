"""URL map. Paths are Swedish (the default language); pages switch language by cookie."""

from django.contrib import admin
from django.urls import include, path

from platsa.innovation import showcase
from platsa.places import views as places
from platsa.web import views as web

urlpatterns = [
    path("", web.home, name="home"),
    path("integritet/", web.privacy, name="privacy"),
    path("tillganglighet/", web.accessibility, name="accessibility"),
    path("datakallor/", web.sources, name="sources"),
    path("designsystem/", web.designsystem, name="designsystem"),
    path("sprak/<slug:code>/", web.set_language, name="set_language"),
    path("konto/", include("allauth.urls")),
    path("konto/mitt/", include("platsa.accounts.urls")),
    path("inbjudan/<str:token>/", places.invitation, name="invitation"),
    path("platser/", include("platsa.places.urls")),
    path("platser/<slug:slug>/omgangar/", include("platsa.assessments.urls")),
    path("platser/<slug:slug>/atgarder/", include("platsa.catalogue.place_urls")),
    path("platser/<slug:slug>/kartlaggningar/", include("platsa.mappings.urls")),
    path("platser/<slug:slug>/samtal/", include("platsa.conversations.urls")),
    path("samtal/", include("platsa.conversations.public_urls")),
    path("platser/<slug:slug>/workshoppar/", include("platsa.workshops.urls")),
    path("w/", include("platsa.workshops.public_urls")),
    path("platser/<slug:slug>/innovation/", include("platsa.innovation.urls")),
    path("i/", include("platsa.innovation.public_urls")),
    path("platser/<slug:slug>/planer/", include("platsa.plans.urls")),
    path("uppfoljning/", include("platsa.plans.public_urls")),
    path("visning/<slug:place_slug>/", showcase.showcase, name="showcase"),
    path("visning/<slug:place_slug>/widget/", showcase.widget, name="showcase_widget"),
    path("api/", include("platsa.api.urls")),
    path("katalog/", include("platsa.catalogue.urls")),
    path("s/", include("platsa.assessments.survey_urls")),
    path("p/", include("platsa.assessments.public_urls")),
    path("admin/", admin.site.urls),
]
