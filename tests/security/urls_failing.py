"""Test-only URLs: views that fail the way production fails."""

from django.db import InterfaceError, OperationalError
from django.urls import include, path


def database_down(request):
    raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')


def connection_closed(request):
    raise InterfaceError("connection already closed")


def query_too_long(request):
    from psycopg.errors import ProgramLimitExceeded

    raise OperationalError("word is too long in tsquery") from ProgramLimitExceeded("word is too long in tsquery")


def broken(request):
    raise RuntimeError("a bug")


urlpatterns = [
    path("database-down/", database_down),
    path("connection-closed/", connection_closed),
    path("query-too-long/", query_too_long),
    path("broken/", broken),
    path("", include("luzhou_kb.urls")),
]
