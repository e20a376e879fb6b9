"""Two staff saving at the same moment on the embedded SQLite database both succeed."""

import threading
import time

import pytest
from django.db import connections, transaction

from luzhou_kb.database_url import sqlite_database

WRITES_EACH = 150


@pytest.fixture
def sqlite_file_alias(tmp_path, django_db_blocker):
    """A database alias configured exactly as settings configure SQLite, on a real file
    (the test database is in memory, where locking does not arise)."""
    alias = "concurrent_writers"
    configured = {"default": connections.settings["default"], alias: sqlite_database(str(tmp_path / "office.sqlite3"))}
    connections.settings[alias] = connections.configure_settings(configured)[alias]
    with django_db_blocker.unblock():
        with connections[alias].cursor() as cursor:
            cursor.execute("CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)")
            cursor.execute("INSERT INTO counter VALUES (1, 0)")
        yield alias
        connections[alias].close()
    del connections.settings[alias]


def test_two_writers_that_read_before_writing_both_succeed(sqlite_file_alias, django_db_blocker):
    # Each transaction reads first, then writes: the pattern of an admin save, which failed
    # at once with "database is locked" under deferred transactions and a rollback journal.
    errors = []
    start_together = threading.Barrier(2)

    def planner():
        with django_db_blocker.unblock():
            try:
                start_together.wait()
                for _ in range(WRITES_EACH):
                    with transaction.atomic(using=sqlite_file_alias):
                        with connections[sqlite_file_alias].cursor() as cursor:
                            cursor.execute("SELECT n FROM counter WHERE id = 1")
                            (n,) = cursor.fetchone()
                            time.sleep(0.001)  # the form is validated between the read and the write
                            cursor.execute("UPDATE counter SET n = %s WHERE id = 1", [n + 1])
            except Exception as exc:
                errors.append(repr(exc))
            finally:
                connections[sqlite_file_alias].close()

    threads = [threading.Thread(target=planner) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with django_db_blocker.unblock(), connections[sqlite_file_alias].cursor() as cursor:
        cursor.execute("SELECT n FROM counter")
        # No lost update either: the read and the write of each transaction were one unit.
        assert cursor.fetchone() == (2 * WRITES_EACH,)
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone() == ("wal",)
