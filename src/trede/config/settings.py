"""trede settings. Everything that differs between machines comes from environment variables.

TREDE_DATABASE_URL   sqlite:///path/to/db.sqlite3 (default: var/trede.sqlite3) or postgresql://user:pw@host:port/name
TREDE_SECRET_KEY     required when TREDE_DEBUG is off
TREDE_DEBUG          "1" for development (default "0")
TREDE_ALLOWED_HOSTS  comma-separated (default: localhost,127.0.0.1)
TREDE_VAR_DIR        where the SQLite database, uploads and simulation results live (default: ./var)
TREDE_SIMULATION_BACKGROUND  "0": a policy simulation started on a page runs within the request (default "1": in a
                     background thread of the web process, its page showing the progress)
TREDE_DASK_SCHEDULER a Dask scheduler address for the evaluation bootstrap and the simulation (default: none)
"""

import os
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("TREDE_VAR_DIR", Path.cwd() / "var")).resolve()

DEBUG = os.environ.get("TREDE_DEBUG", "0") == "1"
# development, the demo and the test suite run on this machine over plain http with throw-away secrets
LOCAL_ONLY = DEBUG or os.environ.get("TREDE_DEMO") == "1" or bool(os.environ.get("PYTEST_VERSION"))
SECRET_KEY = os.environ.get("TREDE_SECRET_KEY", "")
if not SECRET_KEY:
    if LOCAL_ONLY:
        SECRET_KEY = "trede-insecure-development-key-never-use-in-production"
    else:
        raise ImproperlyConfigured("Set TREDE_SECRET_KEY (or TREDE_DEBUG=1 for development).")
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("TREDE_ALLOWED_HOSTS", "localhost,127.0.0.1").split(",") if h]


def database_from_url(url: str) -> dict:
    """Turn a TREDE_DATABASE_URL into a Django DATABASES entry (sqlite or postgresql only)."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        name = unquote(parsed.path[1:] if parsed.path.startswith("//") else parsed.path) or ":memory:"
        if parsed.netloc:  # sqlite://relative/path
            name = parsed.netloc + parsed.path
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": name,
            "OPTIONS": {
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                # take the write lock when a transaction starts, so two writers queue instead of failing
                "transaction_mode": "IMMEDIATE",
            },
            "TEST": {"NAME": None},
        }
    if parsed.scheme in ("postgres", "postgresql"):
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")) or "trede",
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "CONN_MAX_AGE": 60,
            "TEST": {"NAME": os.environ.get("TREDE_TEST_DATABASE_NAME") or None},
        }
    raise ImproperlyConfigured(f"Unsupported TREDE_DATABASE_URL scheme: {parsed.scheme!r}")


if "TREDE_DATABASE_URL" not in os.environ:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": database_from_url(os.environ.get("TREDE_DATABASE_URL", f"sqlite:///{VAR_DIR / 'trede.sqlite3'}"))
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "trede.core",
    "trede.clients",
    "trede.obligations",
    "trede.caseload",
    "trede.intake",
    "trede.activation",
    "trede.employers",
    "trede.sanctions",
    "trede.outreach",
    "trede.outcomes",
    "trede.pilots",
    "trede.scenarios",
    "trede.api",
    "trede.web",
    "trede.synth",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "trede.core.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "trede.config.urls"
WSGI_APPLICATION = "trede.config.wsgi.application"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "trede.web.context_processors.navigation",
            ],
        },
    }
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("Engels"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Behind HTTPS in production: secure cookies, HSTS and a redirect to https. Off for development, the demo and
# the tests (plain http on localhost); TREDE_HTTPS=0 turns it off explicitly, e.g. behind a TLS-terminating proxy
# that sets X-Forwarded-Proto (then also set TREDE_PROXY_SSL_HEADER=1).
HTTPS = os.environ.get("TREDE_HTTPS", "0" if LOCAL_ONLY else "1") == "1"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
if os.environ.get("TREDE_PROXY_SSL_HEADER") == "1":
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the cookie-free meta tag; kept default for forms
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "trede.api.exceptions.exception_handler",
}
# Policy simulation runs started on a page are carried out in a background thread of the web process (their page
# shows the progress); TREDE_SIMULATION_BACKGROUND=0 runs them within the request instead.
TREDE_SIMULATION_BACKGROUND = os.environ.get("TREDE_SIMULATION_BACKGROUND", "1") != "0"

SPECTACULAR_SETTINGS = {
    "TITLE": "trede API",
    "DESCRIPTION": "REST API of trede: clients, benefit periods, circumstances, ladder measurements, exemptions, "
    "contacts, action plan items, assignments, intakes and route decisions, the activity catalogue, referrals to "
    "activities, participation and the tegenprestatie status, and a provider's own referrals; employer services: "
    "employers with their contact persons, vacancies, the shortlist of a vacancy, durability of exits to work, and in "
    "the dossier the client's vacancies, matches, referrals to vacancies, placements, exits to work with their "
    "follow-ups and work profiles. Same permission rules and audit/access logging as the screens.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("TREDE_LOG_LEVEL", "WARNING")},
}
