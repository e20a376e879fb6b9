"""The read-replica router and its read-your-writes rule (issue 14, item 5): unit tests of the
routing, without replicas configured (the aliases are patched in)."""

from unittest import mock

import pytest
from django.contrib.auth.models import User
from django.http import HttpResponse
from django.test import RequestFactory

from apps.search.models import SearchEntry
from luzhou_kb import routers
from luzhou_kb.middleware import ReadYourWritesMiddleware

router = routers.ReplicaRouter()


@pytest.fixture
def replicas():
    with mock.patch.object(routers, "replica_aliases", return_value=["replica1", "replica2"]):
        yield


class Cache:  # what DatabaseCache routes: a model-like class with app_label "django_cache"
    class _meta:
        app_label = "django_cache"


def test_without_replicas_everything_is_the_primary():
    assert router.db_for_read(SearchEntry) == "default"
    assert router.db_for_write(SearchEntry) == "default"


def test_reads_go_to_a_replica_and_writes_to_the_primary(replicas):
    assert {router.db_for_read(SearchEntry) for _ in range(50)} == {"replica1", "replica2"}
    assert router.db_for_read(User) in {"replica1", "replica2"}
    assert router.db_for_write(SearchEntry) == "default" and router.db_for_write(User) == "default"


def test_what_must_not_be_stale_reads_the_primary(replicas):
    assert router.db_for_read(Cache) == "default"  # the login throttle counts in the cache table
    with routers.read_primary():
        assert router.db_for_read(SearchEntry) == "default"
    assert router.db_for_read(SearchEntry) != "default"


def test_migrations_run_on_the_primary_only():
    assert router.allow_migrate("default", "kb")
    assert not router.allow_migrate("replica1", "kb")


def seen(method, path, cookies=None):
    """(whether the view read the primary, the response) for one request through the middleware."""
    read = {}

    def view(request):
        read["primary"] = routers.reading_primary()
        read["db"] = router.db_for_read(SearchEntry)
        return HttpResponse("ok")

    request = getattr(RequestFactory(), method)(path)
    request.COOKIES.update(cookies or {})
    response = ReadYourWritesMiddleware(view)(request)
    return read, response


def test_a_read_goes_to_a_replica(replicas):
    read, response = seen("get", "/search/?q=泸州")
    assert read == {"primary": False, "db": read["db"]} and read["db"].startswith("replica")
    assert ReadYourWritesMiddleware.COOKIE not in response.cookies
    assert not routers.reading_primary()  # nothing leaks past the request


def test_a_write_reads_the_primary_and_marks_the_writer(replicas, settings):
    read, response = seen("post", "/admin/kb/project/1/change/")
    assert read == {"primary": True, "db": "default"}
    cookie = response.cookies[ReadYourWritesMiddleware.COOKIE]
    assert cookie["max-age"] == settings.READ_YOUR_WRITES_SECONDS and cookie["httponly"]
    # the writer's next page reads its own write, from the primary
    read, _ = seen("get", "/search/?q=泸州", cookies={ReadYourWritesMiddleware.COOKIE: "1"})
    assert read == {"primary": True, "db": "default"}
    # another client (no cookie) keeps reading a replica
    read, _ = seen("get", "/search/?q=泸州")
    assert read["db"].startswith("replica")


def test_the_admin_reads_the_primary(replicas):
    read, _ = seen("get", "/admin/kb/project/")
    assert read == {"primary": True, "db": "default"}


def test_without_replicas_no_cookie_is_set():
    read, response = seen("post", "/admin/login/")
    assert read == {"primary": False, "db": "default"}
    assert ReadYourWritesMiddleware.COOKIE not in response.cookies
