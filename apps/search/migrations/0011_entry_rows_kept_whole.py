"""PostgreSQL: an entry's row kept whole in its page up to a page's size (``toast_tuple_target``),
where the default moves a row's largest value out of line (TOAST) once the row passes 2 kB. Half
the passages' rows did (1.7 kB of vector beside their texts), and every vector so moved was read
through the TOAST table's index: to rank hits, and on the walk down the newest ids. At 10⁵
passages (copies of the table side by side, medians of 5): ranking 498 hits 16.1 -> 7.8 ms, the
500 newest of a common word ranked 29.5 -> 15.4 ms, a capped count unchanged (30.3 / 31.9 ms);
the same bytes in all (241 / 237 MB), and writing them 4.7 -> 3.0 s. Larger rows are still moved
out, their largest values first.

The vectors already written are written again, as they are, to take the new layout; the counts
of common words do not change, so their trigger is not run for it (at 10⁶ passages it would
unnest every vector twice). Nothing on SQLite."""

from django.db import migrations

TABLE = "search_searchentry"
WHOLE_ROW_BYTES = 8160  # the most PostgreSQL allows: a page less its header


def keep_rows_whole(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # (ALTER TABLE refuses a table with checks pending)
    schema_editor.execute(f"ALTER TABLE {TABLE} SET (toast_tuple_target = {WHOLE_ROW_BYTES})")
    schema_editor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER search_commonword_update")
    # A new value (the vector joined with nothing): an UPDATE of the same value keeps it where it was.
    schema_editor.execute(f"UPDATE {TABLE} SET vector = vector || ''::tsvector WHERE vector IS NOT NULL")
    schema_editor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER search_commonword_update")
    schema_editor.execute("SET CONSTRAINTS ALL DEFERRED")


def back(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    schema_editor.execute(f"ALTER TABLE {TABLE} RESET (toast_tuple_target)")
    schema_editor.execute("SET CONSTRAINTS ALL DEFERRED")


class Migration(migrations.Migration):
    dependencies = [("search", "0010_common_words")]
    operations = [migrations.RunPython(keep_rows_whole, back)]
