"""PostgreSQL: each entry's bucket of ids as a lexeme of its vector ('#b15', see
``apps.search.backends.postgres.BUCKET_BITS``), which a capped count reads the newest ids by.
Added in place to the vectors already written, as a rebuild would write them. Without it the
counts are the same, only slower (an entry with no bucket is counted with the whole table)."""

from django.db import migrations


def add_buckets(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from apps.search.backends.postgres import BUCKET_BITS

    schema_editor.execute(
        "UPDATE search_searchentry SET vector = vector || "
        f"array_to_tsvector(ARRAY['#b' || (id >> {BUCKET_BITS})]) WHERE vector IS NOT NULL"
    )


class Migration(migrations.Migration):
    dependencies = [("search", "0008_entry_name")]
    operations = [migrations.RunPython(add_buckets, migrations.RunPython.noop)]
