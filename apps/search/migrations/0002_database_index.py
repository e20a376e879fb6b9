"""The full-text index beside search_searchentry, one kind per database vendor."""

from django.db import migrations


def create(apps, schema_editor):
    from apps.search.backends import backend_for

    backend_for(schema_editor.connection).create_index(schema_editor)


def drop(apps, schema_editor):
    from apps.search.backends import backend_for

    backend_for(schema_editor.connection).drop_index(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
