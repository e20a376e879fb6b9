"""PostgreSQL plans a search query that stops early (a capped count, the most recent candidates)
without sequential scans (the planner prices a vector match as cheap, but each row's vector must
be decompressed), for that query only."""

import pytest
from django.db import DataError, connection, transaction

from apps.search.backends import backend_for

needs_pg = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner")


@needs_pg
@pytest.mark.django_db
def test_a_query_that_stops_early_is_planned_without_sequential_scans(db):
    backend = backend_for(connection)
    assert backend.fetch("SELECT current_setting('enable_seqscan')", [], stops_early=True) == [("off",)]
    with connection.cursor() as cursor:  # reset after it, inside the caller's transaction
        cursor.execute("SELECT current_setting('enable_seqscan')")
        assert cursor.fetchone() == ("on",)


@needs_pg
@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_setting_ends_with_the_query():
    backend = backend_for(connection)
    assert not connection.in_atomic_block
    assert backend.fetch("SELECT current_setting('enable_seqscan')", [], stops_early=True) == [("off",)]
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('enable_seqscan')")
        assert cursor.fetchone() == ("on",)


@needs_pg
@pytest.mark.django_db
def test_a_failed_search_query_leaves_the_setting_as_it_was(db):
    backend = backend_for(connection)
    with pytest.raises(DataError), transaction.atomic():
        backend.fetch("SELECT 1 / 0", [], stops_early=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('enable_seqscan')")
        assert cursor.fetchone() == ("on",)


@needs_pg
@pytest.mark.django_db
def test_a_query_that_reads_every_hit_is_planned_as_usual(db):
    assert backend_for(connection).fetch("SELECT current_setting('enable_seqscan')", []) == [("on",)]
