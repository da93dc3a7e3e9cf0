"""The browser for end-to-end tests: Debian's chromium, driven by Playwright (nothing is
downloaded), one per test module; and static files served to it as visitors get them.

pytest-django's live server serves /static/ with Django's development handler, which sends
files raw (uncompressed) and knows only their source names. In production WhiteNoise serves
the hashed, gzip- and brotli-compressed copies that collectstatic makes. Two differences that
matter to these tests: the survey's byte budget (measured in the browser, bytes on the wire)
would count CSS uncompressed, and after collectstatic (./dev test) the pages ask for hashed
names that the development handler cannot find, so every page would be tested unstyled.
"""

from __future__ import annotations

import shutil

import pytest
from django.conf import settings
from django.contrib.staticfiles import handlers
from django.http import Http404
from django.middleware.gzip import GZipMiddleware
from django.views.static import serve as serve_file

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield browser
        browser.close()


class ProductionLikeStaticFilesHandler(handlers.StaticFilesHandler):
    """Static files compressed with gzip (as WhiteNoise sends its .gz copies; brotli over
    HTTPS is smaller still), and hashed names served from the collected files."""

    def serve(self, request):
        try:
            return super().serve(request)
        except Http404:
            return serve_file(
                request, self.file_path(request.path), document_root=settings.STATIC_ROOT
            )

    def get_response(self, request):
        response = super().get_response(request)
        return GZipMiddleware(lambda _request: response)(request)


handlers.StaticFilesHandler = ProductionLikeStaticFilesHandler  # read when the live server starts


@pytest.fixture
def worker(live_server):
    """A background worker beside the live server, as `./dev run` starts one: imports and
    PDF reports are done by it, not by the web request."""
    import threading
    from unittest import mock

    from django_tasks_db.management.commands.db_worker import Worker

    runner = Worker(
        queue_names=["default"],
        interval=0.2,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="e2e",
        excluded_queue_names=[],
    )
    # The test database lives in this process; closing "old" connections would drop it.
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        thread = threading.Thread(target=runner.run, daemon=True)
        thread.start()
        yield runner
        runner.running = False
        thread.join(timeout=10)


def sign_up(page, base: str, email: str, password: str) -> None:
    """Sign up in the browser as a person does: the form, then the code from the e-mail
    (read from Django's test outbox: the live server runs in this process)."""
    import re

    from django.core import mail

    page.goto(f"{base}/konto/signup/")
    page.fill("input[name=email]", email)
    page.fill("input[name=password1]", password)
    page.fill("input[name=password2]", password)
    page.press("input[name=password2]", "Enter")
    page.wait_for_url(re.compile(r"/konto/confirm-email/"))
    body = next(m.body for m in reversed(mail.outbox) if email in m.to)
    page.fill("input[name=code]", re.search(r"\b([A-Z0-9]{4}-[A-Z0-9]{4})\b", body).group(1))
    page.press("input[name=code]", "Enter")
    page.wait_for_url(re.compile(r"/platser/"))
