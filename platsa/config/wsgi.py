"""WSGI entry point (gunicorn platsa.config.wsgi; also what runserver serves)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "platsa.config.settings")
application = get_wsgi_application()

from platsa.config.checks import require_real_email  # noqa: E402  (needs settings loaded)

require_real_email()
