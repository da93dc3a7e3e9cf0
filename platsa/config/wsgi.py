"""WSGI entry point (gunicorn platsa.config.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "platsa.config.settings")
application = get_wsgi_application()
