"""PostgreSQL's index (issue 14, item 1): GIN by default, RUM where settings choose it and the
extension is installed; the same hits either way, and ``manage.py check`` says which is in use."""

from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

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


def switch_index(setting: str, installed: bool = True):
    """Build the index the setting chooses, as if the extension were (not) installed: what the
    migration does."""
    connection.check_constraints()  # fire the load's deferred checks: the table may be altered now
    with (
        override_settings(SEARCH_POSTGRES_INDEX=setting),
        mock.patch.object(pg, "rum_installed", return_value=installed),
        connection.schema_editor(atomic=False) as editor,
    ):
        return backend_for(connection).use_chosen_index(editor)


def index_names():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'search_searchentry'")
        return {row[0] for row in cursor.fetchall()}


def needs_rum():
    if not pg.rum_installed(connection):
        pytest.skip("the rum extension is not installed in the test database (CI creates it in template1)")


@needs_pg
def test_gin_is_the_default_even_with_the_extension_installed(plan, settings):
    assert settings.SEARCH_POSTGRES_INDEX == "gin"
    assert backend_for(connection).index_kind() == "gin"
    assert pg.GIN_INDEX in index_names() and pg.RUM_INDEX not in index_names()
    assert switch_index("gin", installed=True) == "gin"


@needs_pg
def test_rum_when_chosen_gives_the_same_hits_as_gin(plan):
    needs_rum()
    with_gin = snapshot()
    assert switch_index("rum") == "rum"
    assert pg.RUM_INDEX in index_names() and pg.GIN_INDEX not in index_names()
    assert backend_for(connection).index_kind() == "rum"
    assert snapshot() == with_gin
    # Chosen but not installed: GIN, the same hits.
    assert switch_index("rum", installed=False) == "gin"
    assert pg.GIN_INDEX in index_names() and pg.RUM_INDEX not in index_names()
    assert snapshot() == with_gin


@needs_pg
def test_rum_ranks_the_page_from_the_index(plan):
    needs_rum()
    # On a copy of the entries: an index made inside the test's transaction, after that same
    # transaction updated the table's rows, is not usable by it (PostgreSQL's broken HOT chains).
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE rum_entries AS SELECT id, vector FROM search_searchentry")
        cursor.execute("CREATE INDEX rum_entries_vector ON rum_entries USING rum (vector rum_tsvector_ops)")
        cursor.execute("ANALYZE rum_entries")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM rum_entries e WHERE e.vector @@ CAST('泸州' AS tsquery) "
            "ORDER BY e.vector <=> CAST('泸州' AS tsquery) LIMIT 20"
        )
        plan_text = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET LOCAL enable_seqscan TO DEFAULT")
    assert "rum_entries_vector" in plan_text and "Sort" not in plan_text


def messages_with(settings, setting, kind, installed=True, available=True):
    settings.SEARCH_POSTGRES_INDEX = setting
    connection.search_index_kind = None
    with (
        mock.patch.object(pg.PostgresBackend, "index_kind", return_value=kind),
        mock.patch.object(pg, "rum_installed", return_value=installed),
        mock.patch.object(checks, "rum_available", return_value=available),
    ):
        return checks.search_index_in_use(None)


@needs_pg
def test_check_says_which_index_is_in_use(plan, settings):
    [message] = messages_with(settings, "gin", "gin")
    assert message.id == "search.I004" and "GIN" in message.msg
    [message] = messages_with(settings, "rum", "rum")
    assert message.id == "search.I001" and "RUM" in message.msg
    [message] = messages_with(settings, "rum", "gin", installed=False)
    assert message.id == "search.I002" and "CREATE EXTENSION rum" in message.hint
    [message] = messages_with(settings, "rum", "gin", installed=False, available=False)
    assert message.id == "search.I002" and "postgresql-15-rum" in message.hint
    # The index in use is not the chosen one (a setting changed since the last migrate): say so.
    [message] = messages_with(settings, "rum", "gin", installed=True)
    assert message.id == "search.I003" and "RUM" in message.msg
    [message] = messages_with(settings, "gin", "rum")
    assert message.id == "search.I003" and "rebuild_search_index" in message.hint


def test_check_refuses_a_setting_that_names_no_index(settings):
    settings.SEARCH_POSTGRES_INDEX = "brin"
    [message] = checks.search_index_in_use(None)
    assert message.id == "search.E001" and "brin" in message.msg


@needs_pg
def test_manage_py_check_prints_it(plan):
    out = StringIO()
    call_command("check", stdout=out, stderr=out)
    assert "search.I00" in out.getvalue()
