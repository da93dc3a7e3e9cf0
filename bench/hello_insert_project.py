"""A bare Django project whose one view inserts a row: the yardstick the participants'
writes (supports, comments) are measured against, served by the same gunicorn on the same
machine in the same run. Django's default middleware (as ``startproject`` writes it, CSRF
on), PostgreSQL from ``DATABASE_URL``, one ORM ``create`` in a transaction into a table with
a unique constraint (``bench/bench_ideas.py`` creates it: ``TABLE_SQL``), and a redirect, as a
form's POST ends. A second row for the same pair is refused by the constraint (409).

    DATABASE_URL=postgres://... DJANGO_SETTINGS_MODULE=bench.hello_insert_project \
        gunicorn bench.hello_insert_project:application
"""

from __future__ import annotations

import functools
import os
from typing import Any

import dj_database_url
from django.core.wsgi import get_wsgi_application
from django.db import IntegrityError, models, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path

SECRET_KEY = "bench-only-not-a-secret"  # noqa: S105  (a local benchmark, never deployed)
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = __name__
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
        conn_max_age=60,  # as platsa's settings: a connection kept per worker
    )
}
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


@functools.cache
def row_model() -> Any:
    """The model, declared once the apps are loaded (this module is the settings too)."""
    from django.utils import timezone

    class Row(models.Model):
        who = models.IntegerField()
        what = models.IntegerField()
        body = models.TextField()
        created_at = models.DateTimeField(default=timezone.now)

        class Meta:
            app_label = "hello"
            db_table = "hello_row"
            constraints = [models.UniqueConstraint(fields=["who", "what"], name="hello_row_unique")]

        def __str__(self) -> str:
            return f"row {self.who} {self.what}"

    return Row


def insert(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return HttpResponse("post a row", status=405)
    try:
        who, what = int(request.POST["who"]), int(request.POST["what"])
    except (KeyError, ValueError):
        return HttpResponse("who and what", status=400)
    try:
        with transaction.atomic():
            row = row_model().objects.create(
                who=who, what=what, body=request.POST.get("body", "")[:2000]
            )
    except IntegrityError:
        return HttpResponse("already there", status=409)
    return HttpResponseRedirect(f"/#row-{row.pk}")


def form(request: HttpRequest) -> HttpResponse:
    """A page with the CSRF cookie, as the form a participant posts from."""
    from django.middleware.csrf import get_token

    return HttpResponse(f'<input name="csrfmiddlewaretoken" value="{get_token(request)}">')


urlpatterns = [path("", form), path("rad/", insert)]
application = get_wsgi_application()
