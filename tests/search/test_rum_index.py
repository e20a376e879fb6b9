"""PostgreSQL's RUM index when the extension is installed, GIN when not (issue 14, item 1):
the same hits either way, and ``manage.py check`` says which is in use."""

from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection

from apps.search import checks
from apps.search.backends import backend_for
from apps.search.backends import postgres as pg
from apps.search.engine import search

pytestmark = pytest.mark.django_db

QUERIES = ["泸州", "泸", "渝昆高铁", '"成渝地区双城"', "泸州 合作", "高铁 -渝昆", "荣昌 OR 涪陵", "s33"]


def test_check_says_nothing_about_the_index_on_sqlite():
    if connection.vendor == "postgresql":
        pytest.skip("the SQLite side of the check")
    assert checks.search_index_in_use(None) == []


needs_pg = pytest.mark.skipif(connection.vendor != "postgresql", reason="RUM and GIN are PostgreSQL indexes")


def snapshot():
    return {q: (search(q).counts, {(r.kind, r.id) for r in search(q, limit=1000).results}) for q in QUERIES}


def switch_index(installed: bool):
    """Build the index as if the extension were (not) installed: what the migration does."""
    connection.check_constraints()  # fire the load's deferred checks: the table may be altered now
    with (
        mock.patch.object(pg, "rum_installed", return_value=installed),
        connection.schema_editor(atomic=False) as editor,
    ):
        return backend_for(connection).use_best_index(editor)


def index_names():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'search_searchentry'")
        return {row[0] for row in cursor.fetchall()}


@needs_pg
def test_without_the_extension_gin_gives_the_same_hits_as_rum(plan):
    if not pg.rum_installed(connection):
        pytest.skip("the rum extension is not installed in the test database (CI creates it in template1)")
    assert backend_for(connection).index_kind() == "rum"
    with_rum = snapshot()
    assert switch_index(installed=False) == "gin"
    assert pg.GIN_INDEX in index_names() and pg.RUM_INDEX not in index_names()
    assert backend_for(connection).index_kind() == "gin"
    assert snapshot() == with_rum
    assert switch_index(installed=True) == "rum"
    assert pg.RUM_INDEX in index_names() and pg.GIN_INDEX not in index_names()


@needs_pg
def test_rum_ranks_the_page_from_the_index(plan):
    if not pg.rum_installed(connection):
        pytest.skip("the rum extension is not installed in the test database")
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM search_searchentry e WHERE e.vector @@ CAST('泸州' AS tsquery) "
            "ORDER BY e.vector <=> CAST('泸州' AS tsquery) LIMIT 20"
        )
        plan_text = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("RESET enable_seqscan")
    assert pg.RUM_INDEX in plan_text and "Sort" not in plan_text


@needs_pg
def test_check_says_which_index_is_in_use(plan):
    connection.search_index_kind = None
    with (
        mock.patch.object(pg.PostgresBackend, "index_kind", return_value="gin"),
        mock.patch.object(checks, "rum_installed", return_value=False),
    ):
        [message] = checks.search_index_in_use(None)
    assert message.id == "search.I002" and "GIN" in message.msg and "rum" in message.hint
    with mock.patch.object(pg.PostgresBackend, "index_kind", return_value="rum"):
        [message] = checks.search_index_in_use(None)
    assert message.id == "search.I001" and "RUM" in message.msg
    with (
        mock.patch.object(pg.PostgresBackend, "index_kind", return_value="gin"),
        mock.patch.object(checks, "rum_installed", return_value=True),
    ):
        [message] = checks.search_index_in_use(None)
    assert message.id == "search.I003"


@needs_pg
def test_manage_py_check_prints_it(plan):
    out = StringIO()
    call_command("check", stdout=out, stderr=out)
    assert "search.I00" in out.getvalue()
