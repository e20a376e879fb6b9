"""Entries indexed before 0005 are filtered by the source of the record's first evidence only
(SQLite's facets hold one s<id> token; PostgreSQL's vectors no source at all). An existing index
is rebuilt here, so the source filter finds a record under every source it is evidenced in; a
new database (nothing indexed yet) has nothing to do. On SQLite, the trigger that rewrote the
facets from the shown source alone (dropping the others' tokens) goes, and the one that deletes
an entry's index row with the entry is made again (0005 remade the entry table, without it).

The rebuild reads the live models (a record's evidence is the domain's to say), so it must run
with the schema they have: if a later migration changes them, run ``rebuild_search_index``
after migrating instead (this one then finds it cannot read them and says so)."""

from django.db import DEFAULT_DB_ALIAS, DatabaseError, migrations, transaction


def reindex(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        # 0005 remade the entry table on SQLite (a new column with a default), which dropped its
        # triggers: the one that deletes an entry's index row is made again; the other goes.
        from apps.search.backends import backend_for

        schema_editor.execute("DROP TRIGGER IF EXISTS search_fts_entry_source")
        backend_for(connection).create_index(schema_editor)
    entries = apps.get_model("search", "SearchEntry").objects.using(connection.alias)
    if not entries.exists():
        return
    if connection.alias != DEFAULT_DB_ALIAS:  # rebuild() writes through the default connection
        print(f"\n  Run manage.py rebuild_search_index for the database {connection.alias!r}.")
        return
    from apps.search.index import rebuild

    try:
        with transaction.atomic(using=connection.alias):
            rebuild()
    except DatabaseError as error:
        print(f"\n  The search index was not rebuilt ({error}): run manage.py rebuild_search_index.")


class Migration(migrations.Migration):
    dependencies = [("search", "0005_entry_every_source"), ("kb", "0009_source_library_fields")]
    operations = [migrations.RunPython(reindex, migrations.RunPython.noop)]
