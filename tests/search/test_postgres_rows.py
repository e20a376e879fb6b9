"""PostgreSQL keeps an entry's row whole in its page (migration search 0011): a passage whose row
passes 2 kB keeps its vector in the table, not in TOAST, where ranking would read it through
another index; and the migration's rewrite of the vectors already written moves them back into
their rows and changes none of them, nor the counts of common words."""

import importlib

import pytest
from django.db import connection

from apps.kb.models import Passage, Source
from apps.search.backends import backend_for

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's storage"),
    pytest.mark.django_db,
]

migration = importlib.import_module("apps.search.migrations.0011_entry_rows_kept_whole")

# 200 different characters: a vector of some 400 lexemes (about 3 kB), a row of some 4 kB.
TEXT = "".join(chr(0x4E00 + 37 * i) for i in range(200))


def vectors_out_of_line() -> list[bool]:
    """Per passage of TEXT, whether its vector is stored out of line: the size of a value moved
    out (TOAST's pointer says) leaves out the 4 bytes of its header, which the same value made
    anew, in memory, counts."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_column_size(vector) < pg_column_size(vector || ''::tsvector) "
                       "FROM search_searchentry WHERE normalised LIKE %s ORDER BY id", [f"%{TEXT[:10]}%"])
        return [out for (out,) in cursor.fetchall()]


def default_layout():
    """The migration taken back: PostgreSQL's default layout for the rows written next."""
    with connection.schema_editor() as schema_editor:
        migration.back(None, schema_editor)


def test_a_row_past_2_kb_keeps_its_vector_in_the_table():
    source = Source.objects.create(slug="rows", title="rows", text="rows")
    Passage.objects.create(source=source, position=1, text=TEXT)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_column_size(e.*) FROM search_searchentry e WHERE normalised LIKE %s",
                       [f"%{TEXT[:10]}%"])
        assert 2500 < cursor.fetchone()[0] < 8000  # past the default's 2 kB, within a page
    assert vectors_out_of_line() == [False]
    # Under the default, the same row moves its vector out (the check above can fail).
    default_layout()
    Passage.objects.create(source=source, position=2, text=TEXT)
    assert vectors_out_of_line() == [False, True]


def test_the_migration_moves_every_vector_back_as_it_was(plan, settings):
    settings.SEARCH_COUNT_CAP = 6  # words in 3 entries or more counted ahead
    default_layout()
    Passage.objects.create(source=Source.objects.first(), position=9001, text=TEXT)
    backend_for(connection).count_common_words()

    def vectors_and_counts():
        with connection.cursor() as cursor:
            cursor.execute("SELECT id, vector::text FROM search_searchentry ORDER BY id")
            vectors = cursor.fetchall()
            cursor.execute("SELECT word, kind, SUM(n) FROM search_commonword GROUP BY word, kind ORDER BY 1, 2")
            return vectors, cursor.fetchall()

    before = vectors_and_counts()
    assert vectors_out_of_line() == [True] and before[1]
    with connection.schema_editor() as schema_editor:
        migration.keep_rows_whole(None, schema_editor)
    assert vectors_out_of_line() == [False]
    assert vectors_and_counts() == before
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE oid = 'search_searchentry'::regclass")
        assert cursor.fetchone()[0] == [f"toast_tuple_target={migration.WHOLE_ROW_BYTES}"]
