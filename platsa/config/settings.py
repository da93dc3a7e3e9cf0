"""Platsa's one settings module, read from the environment.

Defaults give the embedded setup (SQLite, in-process cache, e-mail to the console) so the
quick start needs nothing running. Production sets ``DATABASE_URL`` (PostgreSQL),
``REDIS_URL``, ``SECRET_KEY`` and ``ALLOWED_HOSTS``.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

# NumPy's BLAS on one thread per process: the web and worker processes are many already, and
# starting BLAS threads made a small opinion analysis up to ten times slower here.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

BASE_DIR = Path(__file__).resolve().parent.parent  # the platsa package
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("PLATSA_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off", ""):
        return False
    raise ValueError(f"{name} must be true or false, not {value!r}")


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _secret_key() -> str:
    """SECRET_KEY from the environment, or one generated once and kept in var/ (development)."""
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "platsa.web",
    "platsa.accounts",
    "platsa.places",
    "platsa.processes",
    "platsa.catalogue",
    "platsa.assessments",
    "platsa.mappings",
    "platsa.conversations",
    "platsa.workshops",
    "platsa.innovation",
    "platsa.plans",
    "platsa.api",
    "platsa.jobs",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "platsa.web.middleware.SwedishFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "platsa.web.limits.BodySizeLimitMiddleware",  # before anything reads the body
    "django.middleware.csrf.CsrfViewMiddleware",
    "platsa.web.access_memo.AuthenticationMiddleware",  # Django's, remembering users
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "platsa.web.middleware.SecurityHeadersMiddleware",
    "platsa.processes.middleware.PhaseClosedMiddleware",
]

ROOT_URLCONF = "platsa.config.urls"
WSGI_APPLICATION = "platsa.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    }
]

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'platsa.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        # Off by default (Django's default): a check costs a round trip on every request; turn
        # it on where connections can go stale (a pooler, a database that restarts often).
        conn_health_checks=env_bool("DB_CONN_HEALTH_CHECKS", False),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "DB_PREPARED_STATEMENTS", True
):
    # Server-side binding lets psycopg prepare a statement the fifth time a connection runs
    # it: the public pages' version query took 1.8 ms to plan and 0.3 ms to run. Turn off
    # behind a pooler in transaction mode (PgBouncer), which cannot keep prepared statements.
    DATABASES["default"]["OPTIONS"] = {"server_side_binding": True, "prepare_threshold": 5}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the survey write while results are read; IMMEDIATE avoids "database is locked"
    # on concurrent writers (Django 5.1+ init_command / transaction_mode).
    DATABASES["default"]["OPTIONS"] = {
        # A survey answer waits up to 20 s for the write lock: a 50,000-row import holds it
        # for several seconds, and a respondent should wait rather than get an error.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Tests on a file, as the embedded default runs: a shared in-memory database locks whole
    # tables, so a background worker thread beside the live server would fail where the real
    # worker process (WAL, busy timeout) waits its turn.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-db.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "platsa.web.redis_cache.RedisCache", "LOCATION": REDIS_URL}}
    # Signed-in pages read the session from Redis, not the database (written to both). Only
    # with a shared cache: with each process's own memory, a sign-out in one process would
    # leave the session alive in another's.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Each process remembers who a signed-in visitor is and what they may open until a user,
# membership, place or process is written (platsa.web.access_memo): only with a shared cache,
# which carries the stamp such a write moves to every process.
ACCESS_MEMO = bool(REDIS_URL)

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "places:list"
LOGOUT_REDIRECT_URL = "home"

# django-allauth: e-mail and password, or a one-time code sent by e-mail.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
# Every address is proven before its account can be used: with a code sent at sign-up,
# entered on the next page. Otherwise anyone could sign up with an organiser's address,
# learn from the sign-up form which addresses have accounts, and sit in an account that the
# real person later enters by code (see platsa.accounts.security).
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = True
ACCOUNT_ADAPTER = "platsa.accounts.adapter.PlatsaAccountAdapter"
ACCOUNT_RATE_LIMITS = {
    # Failed password logins: per client address, and per client *and* account (the adapter
    # builds that key), so that knowing someone's address is not enough to lock them out.
    # A looser per-account ceiling still caps a brute force spread over many addresses at
    # 300 guesses an hour (10-character passwords, common ones refused); locking someone
    # out with it takes 60 addresses, and login by e-mailed code keeps working meanwhile.
    "login_failed": "10/m/ip,5/5m/key",
    "login_failed_account": "300/h/key",
    "signup": "20/h/ip",
    # Codes asked for: per client, and per address (at most 10 an hour to one inbox).
    "request_login_code": "20/m/ip,3/m/key,10/h/key",
}
# A code typed from a phone's mail app takes longer than allauth's three minutes.
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 600
# Participants' sign-in by code (platsa.accounts.code_signin): requests per client address.
PLATSA_CODE_SIGNIN_RATE = os.environ.get("PLATSA_CODE_SIGNIN_RATE", "30/600")
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Platsa] "

# Outgoing e-mail (login codes, invitations, password resets). SMTP when EMAIL_HOST is set.
# Printing e-mails to the terminal is for development only (they carry login codes and
# reset links): it must be asked for with EMAIL_TO_CONSOLE=true, and the web server refuses
# to start with neither (platsa.config.checks).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_TO_CONSOLE = env_bool("EMAIL_TO_CONSOLE", False)
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST or not EMAIL_TO_CONSOLE
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Platsa <noreply@localhost>")

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "platsa_lang"
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Hashed names (cached for a year by browsers and proxies) and gzip/brotli copies, made once
# by `collectstatic` (./dev run, ./dev test, the bench scripts and a deploy run it). Before it
# has run, plain names served from the apps' folders: a missing build step costs speed, not
# a broken page.
# (`STATIC_MANIFEST=true manage.py collectstatic` makes the first manifest.)
STATIC_MANIFEST = env_bool("STATIC_MANIFEST", (STATIC_ROOT / "staticfiles.json").exists())
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", True)

CSRF_FAILURE_VIEW = "platsa.web.views.csrf_failure"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY") else None
# HTTPS only, once the site is served over HTTPS: redirect plain HTTP and tell browsers to
# never try it again (start with a short SECURE_HSTS_SECONDS, e.g. 3600, then a year).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# --- Platsa ----------------------------------------------------------------------------------
# Survey submissions allowed per client (hashed IP) and round within the window. A meeting
# where 40 people answer on the same Wi-Fi must pass; a script stuffing ballots must not.
PLATSA_SURVEY_RATE = os.environ.get("PLATSA_SURVEY_RATE", "120/600")  # count/seconds
# A conversation's votes and statements per participant, and per client address for all
# of them together (a room on one Wi-Fi, a town behind one mobile operator's address).
PLATSA_OPINION_VOTE_RATE = os.environ.get("PLATSA_OPINION_VOTE_RATE", "600/600")
PLATSA_OPINION_WRITE_RATE = os.environ.get("PLATSA_OPINION_WRITE_RATE", "15/600")
PLATSA_OPINION_VOTE_RATE_ADDRESS = os.environ.get("PLATSA_OPINION_VOTE_RATE_ADDRESS", "60000/600")
PLATSA_OPINION_WRITE_RATE_ADDRESS = os.environ.get("PLATSA_OPINION_WRITE_RATE_ADDRESS", "1500/600")
# A live workshop's answers per phone, and for a whole room behind one address.
PLATSA_ROOM_ANSWER_RATE = os.environ.get("PLATSA_ROOM_ANSWER_RATE", "120/600")
PLATSA_ROOM_ANSWER_RATE_ADDRESS = os.environ.get("PLATSA_ROOM_ANSWER_RATE_ADDRESS", "60000/600")
PLATSA_ROOM_JOIN_RATE = os.environ.get(
    "PLATSA_ROOM_JOIN_RATE", "300/600"
)  # codes typed, per address
# New phones in one session per address (a room's size: a browser that drops its cookie is a
# new phone, so this bounds how many +1s one person can give by clearing cookies), and the
# ideas and questions written in a session per address.
PLATSA_ROOM_NEW_RATE = os.environ.get("PLATSA_ROOM_NEW_RATE", "2000/600")
# ... and of those, phones whose first act is a +1 (a room's phones join by answering,
# writing or choosing a group; a script clearing its cookie to upvote does not).
PLATSA_ROOM_NEW_VOTER_RATE = os.environ.get("PLATSA_ROOM_NEW_VOTER_RATE", "300/600")
PLATSA_ROOM_WRITE_RATE_ADDRESS = os.environ.get("PLATSA_ROOM_WRITE_RATE_ADDRESS", "3000/600")
# Seconds between a vote and the analysis it asks for (votes meanwhile join the same run).
# Open innovation: writes (supports, comments, likes, pledges) per person and per client
# address (a municipality's office or a mobile operator shares one), new ideas per person,
# and the "similar ideas" lookups while typing, per address.
PLATSA_IDEAS_WRITE_RATE = os.environ.get("PLATSA_IDEAS_WRITE_RATE", "120/600")
PLATSA_IDEAS_WRITE_RATE_ADDRESS = os.environ.get("PLATSA_IDEAS_WRITE_RATE_ADDRESS", "30000/600")
PLATSA_IDEAS_POST_RATE = os.environ.get("PLATSA_IDEAS_POST_RATE", "10/600")
PLATSA_IDEAS_SIMILAR_RATE = os.environ.get("PLATSA_IDEAS_SIMILAR_RATE", "3000/600")
# The open-data API's writes (with a token): ideas and supports per token's person, and all
# writes per client address.
PLATSA_API_IDEA_RATE = os.environ.get("PLATSA_API_IDEA_RATE", "10/600")
PLATSA_API_SUPPORT_RATE = os.environ.get("PLATSA_API_SUPPORT_RATE", "120/600")
PLATSA_API_WRITE_RATE_ADDRESS = os.environ.get("PLATSA_API_WRITE_RATE_ADDRESS", "3000/600")
PLATSA_OPINION_DELAY = float(os.environ.get("PLATSA_OPINION_DELAY", "3"))
PLATSA_PUBLIC_MIN_GROUP = 5  # groups smaller than this are never shown publicly
PLATSA_IMPORT_MAX_BYTES = env_int("PLATSA_IMPORT_MAX_BYTES", 10 * 1024 * 1024)
PLATSA_IMPORT_MAX_ROWS = env_int("PLATSA_IMPORT_MAX_ROWS", 50_000)
PLATSA_IMPORT_SECONDS = env_int("PLATSA_IMPORT_SECONDS", 90)  # a worker stops reading after this
# Reverse proxies in front of the app that append to X-Forwarded-For (0: use REMOTE_ADDR).
PLATSA_PROXY_HOPS = env_int("PLATSA_PROXY_HOPS", 1 if env_bool("BEHIND_PROXY", False) else 0)
PLATSA_SITE_URL = os.environ.get("PLATSA_SITE_URL", "")  # for links in QR codes and letters
# The largest body a form may send (the import form excepted): the survey's 28 comments of
# 2,000 characters, percent-encoded (up to 9 bytes a character), fit with room to spare.
PLATSA_PUBLIC_POST_MAX_BYTES = env_int("PLATSA_PUBLIC_POST_MAX_BYTES", 640 * 1024)
# How long a reverse proxy or CDN may serve a public page without asking again (s-maxage).
# 0: it keeps the page but revalidates every time (a 304 while nothing changed), so that an
# answer or a moderation is visible on the next request; raise it to shed more load.
PLATSA_PROXY_CACHE_SECONDS = env_int("PLATSA_PROXY_CACHE_SECONDS", 0)

# Background work (imports, PDF reports): django-tasks with its database backend, so the
# embedded default needs no broker; `manage.py db_worker` runs the tasks (./dev run starts one).
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # A refused request (403, 404, 400) is the client's affair: one line, no traceback.
    "filters": {"client_errors": {"()": "platsa.web.logs.ClientErrorsWithoutTraceback"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["client_errors"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # Request lines carry paths only: survey keys are not personal data, and no IPs are logged.
    "loggers": {
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
