"""Give the agreements and documents a database already holds the dates the fixtures now read
for them (kb migration 0007 added the fields), without undoing staff work.

A load leaves the fields of records already there as staff left them, so a field new to the
model would stay empty in every database loaded before it. While this migration runs nobody
can have edited the new fields yet, so filling them from the fixtures undoes nothing: only
records the ledger says the load made (not staff's own records, not ones staff deleted) whose
date is still empty get it. A record that once had a date (``signed_on``/``issued_on``, kept by
kb 0007) and has none now had it cleared by staff: it stays undated. A kept date the fixtures
agree with gains the fixture's phrase as written and precision.

It reads fixtures/*.json as they are when it runs, by itself (migrations must not depend on
code that changes later), as migration 0002 does; missing or unreadable files are skipped.
"""

import datetime
import json
from pathlib import Path

from django.conf import settings
from django.db import migrations

MODELS = {"kb.agreement": "Agreement", "kb.policydocument": "PolicyDocument"}
PRECISIONS = {"day", "late_month", "month", "quarter", "half_year", "year", "plan_period"}


def fill_dates(apps, schema_editor):
    LoadedRecord = apps.get_model("ingest", "LoadedRecord")
    made = {
        (row.model, row.key): row.object_id
        for row in LoadedRecord.objects.filter(model__in=MODELS, object_id__isnull=False)
    }
    if not made:
        return
    for item in fixture_records():
        model, fields = item["model"].lower(), item["fields"]
        key = json.dumps([fields.get("slug")], ensure_ascii=False)
        object_id = made.get((model, key))
        written = fixture_date(fields)
        if object_id is None or written is None:
            continue
        Model = apps.get_model("kb", MODELS[model])
        History = apps.get_model("kb", f"Historical{MODELS[model]}")
        record = Model.objects.filter(pk=object_id).first()
        if record is None:
            continue
        date, precision, text = written
        if record.date is None and not record.date_precision and not record.date_text:
            if History.objects.filter(id=object_id, date__isnull=False).exists():
                continue  # it had a date once: staff cleared it
            record.date, record.date_precision, record.date_text = date, precision, text
        elif record.date == date and not record.date_text:
            record.date_precision, record.date_text = precision, text
        else:
            continue
        record.save(update_fields=["date", "date_precision", "date_text"])


def fixture_date(fields):
    """(date, precision, phrase) as the fixture gives them, or None when it gives no whole date."""
    try:
        date = datetime.date.fromisoformat(fields.get("date") or "")
    except (TypeError, ValueError):
        return None
    precision, text = fields.get("date_precision"), fields.get("date_text") or ""
    if precision not in PRECISIONS or not isinstance(text, str):
        return None
    return date, precision, text[:50]


def fixture_records():
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
            yield from (
                r
                for r in records
                if isinstance(r, dict)
                and isinstance(r.get("model"), str)
                and r["model"].lower() in MODELS
                and isinstance(r.get("fields"), dict)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("ingest", "0003_import_draft"),
        ("kb", "0007_agreement_and_document_dates"),
    ]

    operations = [migrations.RunPython(fill_dates, migrations.RunPython.noop)]
