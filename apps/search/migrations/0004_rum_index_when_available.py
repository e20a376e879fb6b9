"""On PostgreSQL, the RUM index in place of GIN when the ``rum`` extension is installed in the
database (since 0007: and settings choose it) (``CREATE EXTENSION rum`` needs a superuser; the migration never runs it). Without
the extension, or on SQLite, nothing changes. ``manage.py check`` says which index is in use;
``rebuild_search_index`` switches later if the extension is installed afterwards."""

from django.db import migrations


def best_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from apps.search.backends import backend_for

    backend_for(schema_editor.connection).use_chosen_index(schema_editor)


def back_to_gin(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from apps.search.backends.postgres import GIN_INDEX, RUM_INDEX

    schema_editor.execute(f"DROP INDEX IF EXISTS {RUM_INDEX}")
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {GIN_INDEX} ON search_searchentry USING gin (vector)")
    schema_editor.connection.search_index_kind = None


class Migration(migrations.Migration):
    dependencies = [("search", "0003_kinds_from_the_models")]
    operations = [migrations.RunPython(best_index, back_to_gin)]
