import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from luzhou_kb.database_url import parse_database_url

ROOT = Path(__file__).resolve().parent.parent


def test_no_database_url_means_sqlite_in_project_folder(tmp_path):
    config = parse_database_url(None, default_sqlite=tmp_path / "db.sqlite3")
    assert (config["ENGINE"], config["NAME"]) == ("django.db.backends.sqlite3", str(tmp_path / "db.sqlite3"))
    # Writers wait for each other instead of failing (tests/test_sqlite_writers.py shows why).
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE" and config["OPTIONS"]["timeout"] >= 5
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]


def test_postgres_url_is_parsed_for_psycopg():
    config = parse_database_url("postgres://kb:p%40ss@db.example:6543/plan?sslmode=require", default_sqlite=Path("x"))
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["NAME"], config["USER"], config["PASSWORD"], config["HOST"], config["PORT"]) == (
        "plan", "kb", "p@ss", "db.example", "6543")
    assert config["OPTIONS"] == {"sslmode": "require"}


@pytest.mark.parametrize("url", ["mysql://x@y/z", "postgres://host/"])
def test_unsupported_urls_are_refused(url):
    with pytest.raises(ImproperlyConfigured):
        parse_database_url(url, default_sqlite=Path("x"))


def test_the_running_suite_uses_the_database_in_database_url():
    expected = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite3"
    assert settings.DATABASES["default"]["ENGINE"].endswith(expected)


def run_manage(*args, **env):
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    full_env.update(env)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=full_env,
                          capture_output=True, text=True, timeout=120)


def test_production_without_secret_refuses_to_start():
    result = run_manage("check", DJANGO_DEBUG="0", DJANGO_ALLOWED_HOSTS="kb.example.org")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_check_deploy_is_clean_with_production_variables():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", DJANGO_DEBUG="0",
                        DJANGO_SECRET_KEY="x" * 20 + "-a-long-random-production-secret-" + "y" * 20,
                        DJANGO_ALLOWED_HOSTS="kb.example.org")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_migrations_are_in_sync_with_models():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
