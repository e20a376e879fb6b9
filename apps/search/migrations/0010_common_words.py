"""PostgreSQL: the most common words' hits counted ahead, per kind, and kept current by triggers
on the entries (``apps.search.backends.common_words``), then counted from the vectors already
written, as a rebuild counts them. Nothing on SQLite."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from apps.search.backends import backend_for, common_words

    for statement in common_words.CREATE:
        schema_editor.execute(statement)
    backend_for(schema_editor.connection).count_common_words()


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from apps.search.backends import common_words

    for statement in common_words.DROP:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0009_vector_buckets")]
    operations = [migrations.RunPython(create, drop)]
