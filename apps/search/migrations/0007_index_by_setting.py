"""PostgreSQL's index as settings choose it: GIN unless ``SEARCH_POSTGRES_INDEX = "rum"`` (and
the extension is installed). A database that migration 0004 gave RUM goes back to GIN under the
default (see backends/postgres.py for the measurements); nothing changes on SQLite."""

from django.db import migrations


def chosen_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from apps.search.backends import backend_for

    backend_for(schema_editor.connection).use_chosen_index(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("search", "0006_reindex_every_source")]
    operations = [migrations.RunPython(chosen_index, migrations.RunPython.noop)]
