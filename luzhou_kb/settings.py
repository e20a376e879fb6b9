"""Settings for the Luzhou policy knowledge base, read from the environment.

DJANGO_SECRET_KEY  required unless DJANGO_DEBUG=1
DJANGO_DEBUG       0 (default: production) or 1 (local development; the Makefile sets it)
DJANGO_ALLOWED_HOSTS  comma-separated; defaults to localhost in development
DJANGO_HTTPS       production only: 1 (default) https only; 0 for a local check over plain http
DJANGO_TRUST_PROXY_HEADER  1 behind a proxy that sets X-Forwarded-Proto; default 0 (never believe it)
DJANGO_STATIC_ROOT where collectstatic puts files; default staticfiles/ here
DATABASE_URL       absent: SQLite file db.sqlite3 here; postgres://user:pw@host:port/name
DATABASE_REPLICA_URLS  comma-separated postgres:// URLs of streaming read replicas (optional):
                   reads and search go to them, writes and the admin to DATABASE_URL
"""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from .database_url import parse_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


# Off unless asked for: a server started with no environment must not show tracebacks or run
# with a public key. `make run` and `make test` set DJANGO_DEBUG=1.
DEBUG = env_flag("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Production (the default) needs a long random secret; "
            "for local development set DJANGO_DEBUG=1 (the Makefile does)."
        )
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-luzhou-kb-0123456789"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.syndication",
    "django_filters",
    "simple_history",
    "apps.kb",
    "apps.search",
    "apps.ingest",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "luzhou_kb.middleware.RefuseNulMiddleware",
    "luzhou_kb.middleware.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside everything that renders: what any view, error page or admin page shows is
    # converted to the reader's script (apps/kb/script.py).
    "apps.kb.script.ScriptMiddleware",
    "luzhou_kb.middleware.ReadYourWritesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "luzhou_kb.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "apps.kb.context_processors.script",
                "apps.kb.context_processors.plan_as_of",
                "apps.kb.context_processors.today",
            ],
        },
    },
]

WSGI_APPLICATION = "luzhou_kb.wsgi.application"

DATABASES = {
    "default": parse_database_url(
        os.environ.get("DATABASE_URL"), default_sqlite=BASE_DIR / "db.sqlite3"
    )
}
# Read replicas: replica1, replica2… (luzhou_kb/routers.py). In tests they mirror the primary.
for number, url in enumerate(env_list("DATABASE_REPLICA_URLS", []), start=1):
    DATABASES[f"replica{number}"] = {
        **parse_database_url(url, default_sqlite=BASE_DIR / "db.sqlite3"), "TEST": {"MIRROR": "default"}
    }
DATABASE_ROUTERS = ["luzhou_kb.routers.ReplicaRouter"]
# After a write, the writer's requests read the primary this long (the replicas' lag is less).
READ_YOUR_WRITES_SECONDS = 10
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Search counts exactly up to this many hits and says "1万+" beyond (Elasticsearch's
# track_total_hits default); facet counts follow the same cap.
SEARCH_COUNT_CAP = 10_000
# A kind with more hits than this is ranked within its this-many most recent hits, so a page
# of a very common term never scores every hit (below it, ranking is exact).
SEARCH_RANK_CANDIDATES = 500
# PostgreSQL: the memory a search's bitmap of hits may take before it turns lossy (per query,
# for the search's queries only; see backends/postgres.py).
SEARCH_WORK_MEM = os.environ.get("SEARCH_WORK_MEM", "32MB")
# PostgreSQL's full-text index: "gin" (the default), or "rum" where the rum extension is
# installed (ranks from the index; writes some 12× slower). apps/search/backends/postgres.py
# has the measurements; `manage.py check` says which is in use, and `migrate` or
# `rebuild_search_index` switches.
SEARCH_POSTGRES_INDEX = os.environ.get("SEARCH_POSTGRES_INDEX", "gin").strip().lower()

# One cache shared by every gunicorn worker and kept across restarts: the login throttle
# counts in it. The table is created by migration kb 0002 (and by the test runner).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "kb_cache",
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "luzhou_kb.storage.StaticFilesStorage"
        )
    },
}

# The import review is paged (apps.ingest.review.PAGE_SIZE = 50 candidates a page), so this no
# longer grows with the article. The widest page is 50 projects, each up to 67 fields (7 of its
# own and up to MAX_LINKS = 30 values in each of its two link fields): ~3,360. Django's default
# of 1,000 would refuse such a page after the reviewer's work (tests/kb/test_import_review.py).
DATA_UPLOAD_MAX_NUMBER_FIELDS = 4_000

LOGIN_URL = "admin:login"
FORMS_URLFIELD_ASSUME_HTTPS = True

# Production hardening; `manage.py check --deploy` is clean with DJANGO_DEBUG=0 and the defaults.
if not DEBUG:
    # DJANGO_HTTPS=0 is for a local check over plain http on 127.0.0.1 (`make serve`): the browser
    # would be redirected to https, and would never send back Secure session or CSRF cookies, so
    # nobody could log in. Everything else stays as in production.
    https = env_flag("DJANGO_HTTPS", True)
    SECURE_SSL_REDIRECT = https and env_flag("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = https
    CSRF_COOKIE_SECURE = https
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000")) if https else 0
    SECURE_HSTS_INCLUDE_SUBDOMAINS = https
    SECURE_HSTS_PRELOAD = https
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"

# X-Forwarded-Proto is believed only when a proxy in front is known to set it (and to drop what
# clients send): otherwise any client could claim https and skip the redirect.
if env_flag("DJANGO_TRUST_PROXY_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}
