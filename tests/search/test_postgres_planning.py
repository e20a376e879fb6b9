"""PostgreSQL plans a search query that stops early (a capped count, the most recent candidates)
without sequential scans (the planner prices a vector match as cheap, but each row's vector is
read from out of line), for that query only."""

import pytest
from django.db import DataError, OperationalError, connection, transaction
from psycopg.pq import TransactionStatus

from apps.search.backends import backend_for

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner"),
    pytest.mark.django_db,
]

SETTING = "SELECT current_setting('enable_seqscan')"


def setting_now() -> str:
    with connection.cursor() as cursor:
        cursor.execute(SETTING)
        return cursor.fetchone()[0]


def test_a_query_that_stops_early_is_planned_without_sequential_scans():
    assert backend_for(connection).fetch(SETTING, [], stops_early=True) == [("off",)]
    assert setting_now() == "on"  # reset after it, inside the caller's transaction


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_setting_ends_with_the_query():
    assert not connection.in_atomic_block
    assert backend_for(connection).fetch(SETTING, [], stops_early=True) == [("off",)]
    assert setting_now() == "on"


def test_a_failed_search_query_leaves_the_setting_as_it_was():
    with pytest.raises(DataError), transaction.atomic():
        backend_for(connection).fetch("SELECT 1 / 0", [], stops_early=True)
    assert setting_now() == "on"


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_a_failed_query_ends_its_own():
    with pytest.raises(DataError):
        backend_for(connection).fetch("SELECT 1 / 0", [], stops_early=True)
    assert connection.connection.info.transaction_status == TransactionStatus.IDLE  # not left failed
    assert setting_now() == "on"


@pytest.mark.django_db(transaction=True)
def test_a_query_that_loses_its_connection_raises_its_own_error():
    # Its server process ends: the query fails, and so would the ROLLBACK after it; the query's
    # error is the one raised.
    try:
        with pytest.raises(OperationalError, match="terminat"):
            backend_for(connection).fetch("SELECT pg_terminate_backend(pg_backend_pid())", [], stops_early=True)
    finally:
        connection.close()  # the next test connects again
    assert setting_now() == "on"


def test_a_query_that_reads_every_hit_is_planned_as_usual():
    assert backend_for(connection).fetch(SETTING, []) == [("on",)]


WORK_MEM = "SELECT current_setting('work_mem')"


@pytest.mark.parametrize("transactional", [False, True])
def test_a_search_query_has_room_for_its_bitmap_and_the_connection_keeps_its_own(settings, transactional):
    # Under the default 4 MB a common term's bitmap of hits turned lossy (rows read and checked again).
    settings.SEARCH_WORK_MEM = "24MB"
    before = backend_for(connection).fetch(WORK_MEM, [])[0][0]
    assert before != "24MB"
    if transactional:
        with transaction.atomic():
            assert backend_for(connection).fetch(WORK_MEM, [], stops_early=True) == [("24MB",)]
    else:
        assert backend_for(connection).fetch(WORK_MEM, [], stops_early=True) == [("24MB",)]
    assert backend_for(connection).fetch(WORK_MEM, [])[0][0] == before
