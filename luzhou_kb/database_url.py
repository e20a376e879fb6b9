"""Turn ``DATABASE_URL`` into a Django ``DATABASES['default']`` entry.

Small on purpose: the project supports exactly two engines (SQLite embedded,
PostgreSQL in production), so a dependency for the general case is not worth it.
"""

from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured


def sqlite_database(name: str) -> dict:
    """SQLite set up for a small office, where two staff may save at the same moment.

    WAL lets pages be read while someone writes. IMMEDIATE transactions take the write lock
    when they begin, so a second writer waits for the busy timeout instead of failing at
    once with "database is locked" (a transaction that read first cannot upgrade its lock
    when another writer got there first: SQLite gives up immediately to avoid a deadlock)."""
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": name,
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }


def parse_database_url(url: str | None, *, default_sqlite: Path) -> dict:
    if not url:
        return sqlite_database(str(default_sqlite))
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        # sqlite:///relative.db and sqlite:////absolute.db, as dj-database-url reads them.
        path = unquote(parts.path[1:]) if parts.path.startswith("/") else unquote(parts.path)
        return sqlite_database(path or ":memory:")
    if parts.scheme in {"postgres", "postgresql", "pgsql"}:
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise ImproperlyConfigured(f"DATABASE_URL names no database: {url!r}")
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "OPTIONS": dict(parse_qsl(parts.query)),
            "CONN_MAX_AGE": 60,
        }
    raise ImproperlyConfigured(
        f"DATABASE_URL scheme {parts.scheme!r} is not supported; use sqlite:// or postgres://"
    )
