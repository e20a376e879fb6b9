"""Fill the load ledger of a database loaded before the ledger existed, so that its next
``make load`` keeps staff work instead of undoing it.

A fixture record counts as loaded when a record with its key is in the database. Where the
key is gone, the history tells what happened: a record that once had that slug and still
exists was re-slugged by staff (the ledger points at it); one that no longer exists was
deleted (the ledger says so, and loads leave it deleted). Every link the fixture names on a
loaded record counts as made: the old loader re-added all of them on each load, so one that
is missing now was removed by staff.

It reads fixtures/*.json as they are when it runs, by itself (migrations must not depend on
code that changes later); missing or unreadable files are skipped, and the ledger then fills
on the next load.
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import migrations

DELETED = "deleted"


def fill_ledger(apps, schema_editor):
    LoadedRecord = apps.get_model("ingest", "LoadedRecord")
    known = {(row.model, row.key) for row in LoadedRecord.objects.all()}
    found = {}  # (model, key) → id, so passages find a source whose slug staff changed
    rows = []
    for fixture, records in fixture_files():
        for item in records:
            model, key = item["model"].lower(), key_of(item)
            if key is None or (model, key) in known or (model, key) in found:
                continue
            try:
                Model = apps.get_model(model)
            except (LookupError, ValueError):
                continue
            object_id = find(apps, Model, json.loads(key), found)
            if object_id is None:
                continue  # never loaded: the next load makes it
            found[(model, key)] = object_id
            rows.append(LoadedRecord(
                fixture=fixture, model=model, key=key,
                object_id=None if object_id == DELETED else object_id,
                links={} if object_id == DELETED else fixture_links(Model, item),
            ))
    LoadedRecord.objects.bulk_create(rows)


def fixture_files():
    folder = Path(settings.BASE_DIR) / "fixtures"
    if not folder.is_dir():
        return
    for path in sorted(folder.glob("*.json")):
        if path.name == "corrections.json":
            continue
        try:
            records = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(records, list):
            yield path.name, [
                r for r in records
                if isinstance(r, dict) and isinstance(r.get("model"), str) and isinstance(r.get("fields"), dict)
            ]


def key_of(item):
    """As ``apps.ingest.loading.fixture_key`` writes it."""
    fields = item["fields"]
    if item["model"].lower() == "kb.passage":
        source, position = fields.get("source"), fields.get("position")
        key = [*source, position] if isinstance(source, list) and position else None
    else:
        key = [fields["slug"]] if isinstance(fields.get("slug"), str) and fields["slug"] else None
    return None if key is None else json.dumps(key, ensure_ascii=False)


def find(apps, Model, key, found):
    if Model._meta.label_lower == "kb.passage":
        source_id = found.get(("kb.source", json.dumps(key[:-1], ensure_ascii=False)))
        if source_id in (None, DELETED):
            return source_id
        where = {"source_id": source_id, "position": key[-1]}
    else:
        where = {"slug": key[0]}
    live = Model.objects.filter(**where).values_list("pk", flat=True).first()
    if live is not None:
        return live
    try:
        History = apps.get_model(Model._meta.app_label, f"Historical{Model.__name__}")
    except LookupError:
        return None
    once = list(History.objects.filter(**where).order_by("-history_date").values_list("id", flat=True))
    renamed = Model.objects.filter(pk__in=once).values_list("pk", flat=True).first()
    return renamed if renamed is not None else DELETED if once else None


def fixture_links(Model, item):
    links = {}
    for name, value in item["fields"].items():
        try:
            is_link = Model._meta.get_field(name).many_to_many
        except FieldDoesNotExist:
            continue
        if is_link and isinstance(value, list):
            links[name] = [ref for ref in value if isinstance(ref, list)]
    return links


class Migration(migrations.Migration):
    dependencies = [
        ("ingest", "0001_initial"),
        ("kb", "0001_initial"),
    ]

    operations = [migrations.RunPython(fill_ledger, migrations.RunPython.noop)]
