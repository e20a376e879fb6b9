import json
import os
import re
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


def test_no_environment_means_production_not_debug():
    # A server started with nothing set must not run with DEBUG and the development key.
    result = run_manage("check")
    assert result.returncode != 0 and "DJANGO_SECRET_KEY" in result.stderr
    result = run_manage("shell", "-c", "from django.conf import settings; print(settings.DEBUG)",
                        DJANGO_SECRET_KEY="k" * 50, DJANGO_ALLOWED_HOSTS="kb.example.org")
    assert result.stdout.strip().splitlines()[-1] == "False", result.stderr


def test_check_deploy_is_clean_with_production_variables():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", DJANGO_DEBUG="0",
                        DJANGO_SECRET_KEY="x" * 20 + "-a-long-random-production-secret-" + "y" * 20,
                        DJANGO_ALLOWED_HOSTS="kb.example.org")
    assert result.returncode == 0, result.stderr
    # On PostgreSQL the search index in use (RUM or GIN) is reported as an Info: nothing else.
    issues = set(re.findall(r"\((\w+\.[A-Z]\d+)\)", result.stdout + result.stderr))
    assert "no issues" in result.stdout or issues <= {"search.I001", "search.I002", "search.I003", "search.I004"}, result.stdout


@pytest.mark.django_db
def test_migrations_are_in_sync_with_models():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


PRODUCTION = {"DJANGO_DEBUG": "0", "DJANGO_ALLOWED_HOSTS": "kb.example.org",
              "DJANGO_SECRET_KEY": "x" * 20 + "-a-long-random-production-secret-" + "y" * 20}


def production_settings(*names, **env):
    """The named settings as a production process (DJANGO_DEBUG=0 plus env) reads them."""
    code = ("import json, django; from django.conf import settings; django.setup(); "
            f"print(json.dumps({{n: getattr(settings, n, None) for n in {list(names)!r}}}))")
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    full_env.update(PRODUCTION, DJANGO_SETTINGS_MODULE="luzhou_kb.settings", **env)
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=full_env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


HTTPS_SETTINGS = ("SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_HSTS_SECONDS")


def test_production_defaults_require_https():
    # The switch below must not weaken the defaults: https is on unless DJANGO_HTTPS=0 says otherwise.
    for env in ({}, {"DJANGO_HTTPS": "1"}, {"DJANGO_HTTPS": ""}):
        values = production_settings(*HTTPS_SETTINGS, **env)
        assert values == {"SECURE_SSL_REDIRECT": True, "SESSION_COOKIE_SECURE": True,
                          "CSRF_COOKIE_SECURE": True, "SECURE_HSTS_SECONDS": 31536000}, env


def test_https_off_lets_a_local_production_run_log_in_over_plain_http():
    values = production_settings(*HTTPS_SETTINGS, DJANGO_HTTPS="0")
    assert values == {"SECURE_SSL_REDIRECT": False, "SESSION_COOKIE_SECURE": False,
                      "CSRF_COOKIE_SECURE": False, "SECURE_HSTS_SECONDS": 0}


def test_proxy_header_is_trusted_only_when_configured():
    assert production_settings("SECURE_PROXY_SSL_HEADER") == {"SECURE_PROXY_SSL_HEADER": None}
    trusted = production_settings("SECURE_PROXY_SSL_HEADER", DJANGO_TRUST_PROXY_HEADER="1")
    assert trusted == {"SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"]}


def request_over_http_claiming_https(**env):
    """(is_secure, status) of a plain-http request whose client sends X-Forwarded-Proto: https,
    through SecurityMiddleware, in a production process."""
    code = ("import django; django.setup(); from django.http import HttpResponse; "
            "from django.middleware.security import SecurityMiddleware; "
            "from django.test import RequestFactory; "
            "r = RequestFactory().get('/', HTTP_HOST='kb.example.org', HTTP_X_FORWARDED_PROTO='https'); "
            "print(r.is_secure(), SecurityMiddleware(lambda r: HttpResponse())(r).status_code)")
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    full_env.update(PRODUCTION, DJANGO_SETTINGS_MODULE="luzhou_kb.settings", **env)
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=full_env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_client_sent_forwarded_proto_is_not_trusted_by_default():
    # Believed, it would skip the https redirect for anyone who sends the header.
    assert request_over_http_claiming_https() == ["False", "301"]
    assert request_over_http_claiming_https(DJANGO_TRUST_PROXY_HEADER="1") == ["True", "200"]


def static_url_in_production(static_root, name="css/site.css"):
    code = ("import django; django.setup(); from django.templatetags.static import static; "
            f"print(static({name!r}))")
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    full_env.update(PRODUCTION, DJANGO_SETTINGS_MODULE="luzhou_kb.settings", DJANGO_STATIC_ROOT=str(static_root))
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=full_env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout.strip(), result.stderr


def test_production_without_collectstatic_links_plain_names_instead_of_failing(tmp_path):
    # Before, every page raised "Missing staticfiles manifest entry" (a 500 on every page).
    url, log = static_url_in_production(tmp_path)
    assert url == "/static/css/site.css"
    assert "collectstatic" in log


def test_production_links_hashed_names_once_collected(tmp_path):
    result = run_manage("collectstatic", "--noinput", "-v0", **PRODUCTION, DJANGO_STATIC_ROOT=str(tmp_path))
    assert result.returncode == 0, result.stderr
    url, _ = static_url_in_production(tmp_path)
    assert url.startswith("/static/css/site.") and url != "/static/css/site.css"
