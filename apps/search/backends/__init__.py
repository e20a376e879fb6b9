"""One interface, one module per database vendor (as wagtail's search backends)."""

from django.db import connection as default_connection

from .base import SearchBackend


def backend_for(connection=None) -> SearchBackend:
    connection = connection or default_connection
    if connection.vendor == "postgresql":
        from .postgres import PostgresBackend

        return PostgresBackend(connection)
    if connection.vendor == "sqlite":
        from .sqlite import SQLiteBackend

        return SQLiteBackend(connection)
    raise NotImplementedError(f"no search backend for {connection.vendor}")
