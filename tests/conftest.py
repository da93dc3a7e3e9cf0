"""Shared fixtures: frameworks, reference data, and personas for every permission check
(owner, organiser, viewer, someone from another place, anonymous)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

TEST_FRAMEWORKS = Path(__file__).parent / "data" / "frameworks"
os.environ.setdefault("PLATSA_FRAMEWORK_DIRS", str(TEST_FRAMEWORKS))
# Playwright's sync API runs an event loop in the test thread; Django's ORM is still used
# synchronously from that thread (and the live server thread), which is safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _fresh_caches(settings):
    """Each test starts with empty caches (results cache, rate limits) and a known rate."""
    from platsa.innovation.similar import forget
    from platsa.web.pagecache import forget_all
    from platsa.workshops import pins

    forget_all()
    forget()
    pins.forget()
    settings.PLATSA_SURVEY_RATE = "1000/600"
    # A test user's password is hashed in microseconds, not the quarter of a second the real
    # hasher takes on purpose: the personas of every test cost three of them. Production
    # keeps Django's hashers (tests/web/test_security.py checks the settings file's own).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    yield
    forget_all()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, with the real municipalities imported once for the session (a
    third of a second each time; most tests need them). Tests that run in transactions
    empty the tables: the ``reference`` fixture imports them again when they are missing,
    and pytest-django runs those tests last."""
    from platsa.places.reference_import import import_reference

    with django_db_blocker.unblock():
        import_reference(shapes=False)  # changes nothing in a kept database that is current


@pytest.fixture(scope="session")
def framework():
    from platsa.core.schema.frameworks import get_framework

    return get_framework("place-attractiveness")


@pytest.fixture(scope="session")
def mini_framework():
    from platsa.core.schema.frameworks import get_framework

    return get_framework("test-mini")


@pytest.fixture(scope="session")
def catalogue(framework):
    from platsa.core.schema.catalogue import load_catalogue

    return load_catalogue(framework)


@pytest.fixture
def reference(db):
    """The real municipalities in the test database (imported once, re-imported after a
    transactional test has flushed the tables)."""
    from platsa.places.models import Area
    from platsa.places.reference_import import import_reference

    if not Area.objects.filter(kind=Area.Kind.MUNICIPALITY).exists():
        import_reference(shapes=False)
    return Area.objects


@pytest.fixture
def borlange(reference):
    from platsa.places.models import Area

    return Area.objects.get(kind=Area.Kind.MUNICIPALITY, country="SE", code="2081")


def _user(django_user_model, email: str):
    """An organiser who signed up and proved her address, as every real one has."""
    from allauth.account.models import EmailAddress

    user = django_user_model.objects.create_user(email=email, password="a-long-test-password")
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


@pytest.fixture
def owner(django_user_model):
    return _user(django_user_model, "owner@example.org")


@pytest.fixture
def organiser(django_user_model):
    return _user(django_user_model, "organiser@example.org")


@pytest.fixture
def viewer(django_user_model):
    return _user(django_user_model, "viewer@example.org")


@pytest.fixture
def outsider(django_user_model):
    return _user(django_user_model, "outsider@example.org")


@pytest.fixture
def place(borlange, owner, organiser, viewer):
    from platsa.places.models import Membership, Place, Role
    from platsa.places.services import place_create

    place = place_create(
        user=owner,
        name="Domnarvet",
        municipality=borlange,
        population_estimate=8000,
        has_industry_employer=Place.Industry.YES,
    )
    Membership.objects.create(place=place, user=organiser, role=Role.ORGANISER)
    Membership.objects.create(place=place, user=viewer, role=Role.VIEWER)
    return place


@pytest.fixture
def round_(place, owner, framework):
    from platsa.assessments.services import default_groups, round_create

    return round_create(
        place=place,
        user=owner,
        name="Hösten 2026",
        framework=framework,
        groups=default_groups(framework),
        open_now=True,
    )


def fill_round(round_, n: int, *, seed: int = 1, comment_rate: float = 0.0, groups=None):
    """Store ``n`` generated answers in a round through the import path."""
    from platsa.assessments.generated import round_fill_generated

    return round_fill_generated(round_, n, seed=seed, groups=groups, comment_rate=comment_rate)


@pytest.fixture
def filled_round(round_):
    fill_round(round_, 120, comment_rate=0.3)
    return round_


def two_rounds(
    place, owner, framework, *, names=("2025", "2026"), sizes=(60, 60), comment_rate=0.0
):
    """A round a year ago and one now, both filled: for change between rounds."""
    from platsa.assessments.services import default_groups, round_create
    from platsa.processes.models import Process

    made = []
    for i, (name, size) in enumerate(zip(names, sizes, strict=True)):
        round_ = round_create(
            place=place,
            user=owner,
            name=name,
            framework=framework,
            groups=default_groups(framework),
            open_now=True,
        )
        fill_round(round_, size, seed=i + 1, comment_rate=comment_rate if i else 0.0)
        if i == 0:
            Process.objects.filter(round__pk=round_.pk).update(
                created_at=round_.created_at.replace(year=2025)
            )
        made.append(round_)
    return made


def run_jobs() -> None:
    """Run every queued background task, as `manage.py db_worker` does in production.

    The worker closes "old" database connections between tasks; inside a test's transaction
    on PostgreSQL that would close the test's own connection, so that one step is skipped."""
    from unittest import mock

    from django.core.management import call_command

    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)


@pytest.fixture
def jobs(django_capture_on_commit_callbacks):
    """Enqueue on commit (as in production) and run the worker when the test asks."""

    class Runner:
        def __init__(self) -> None:
            self._capture = django_capture_on_commit_callbacks

        def run(self) -> None:
            run_jobs()

    return Runner()


def fetch_report(client, round_):
    """Ask for the board report as a person does (see :func:`fetch_file`)."""
    from django.urls import reverse

    return fetch_file(
        client, reverse("assessments:export_pdf", args=[round_.place.slug, round_.slug])
    )


def fetch_file(client, url: str):
    """Ask for a file made in the background (the board report, letters, the responses'
    workbook): the request starts a job and shows its page; once the worker has run, the
    same link downloads the file."""
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        started = client.get(url)
    if started.status_code != 302:
        return started  # refused (404/403), or already made
    assert client.get(started["Location"]).status_code == 200  # the job's page
    run_jobs()
    return client.get(url)
