"""Each entry's name key (apps.core.text.name_key of its title), which the search page's name card
looks up instead of running a ranked search over the record kinds. Filled here from the stored
titles: an entry indexed without a title (a passage: its normalised text begins with the line
break after an empty title) has none, as the index writes it. A nullable column is added in place
on SQLite (a default would remake the table and drop the FTS trigger)."""

from django.db import migrations, models

from apps.core.text import name_key


def fill_names(apps, schema_editor):
    entries = apps.get_model("search", "SearchEntry").objects.using(schema_editor.connection.alias)
    titled = entries.exclude(normalised__startswith="\n").only("id", "title")
    batch = []
    for entry in titled.iterator(chunk_size=2000):
        entry.name = name_key(entry.title)[:400] or None
        batch.append(entry)
        if len(batch) == 2000:
            entries.bulk_update(batch, ["name"])
            batch = []
    entries.bulk_update(batch, ["name"])


class Migration(migrations.Migration):
    dependencies = [("search", "0007_index_by_setting")]

    operations = [
        migrations.AddField(
            model_name="searchentry",
            name="name",
            field=models.CharField(blank=True, max_length=400, null=True, verbose_name="名称键"),
        ),
        migrations.RunPython(fill_names, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="searchentry",
            index=models.Index(condition=models.Q(("name__isnull", False)), fields=["name"], name="search_entry_name"),
        ),
    ]
