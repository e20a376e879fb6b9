"""The one way records enter the knowledge base: fixture-shaped records, one transaction.

The admin import checks and saves records here, one at a time. ``make load`` (the
committed fixtures, ``loading.py``) reads its files and reports its refusals here, and
keeps the same rules — natural keys, all or nothing, the search index kept current — in
bulk (``bulk.py``).
"""

import json
from dataclasses import dataclass
from pathlib import Path

from django.core import serializers
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, ValidationError
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, transaction

from apps.core.fingerprint import text_fingerprint
from apps.kb.models import Source
from apps.search.index import batch

from .fixtures import to_fixture
from .queue import propose


class ImportRefused(Exception):
    """The records cannot be imported; the message names the problem. Nothing was saved."""


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int

    @property
    def total(self):
        return self.created + self.updated


def read_fixture(path: Path) -> list[dict]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ImportRefused(f"{path}: file not found") from None
    except UnicodeDecodeError as exc:
        raise ImportRefused(f"{path}: not UTF-8 ({exc.reason} at byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise ImportRefused(f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise ImportRefused(f"{path}: a fixture is a JSON list of {{model, fields}} objects")
    return data


def deserialize_record(item: dict, *, where: str):
    """Deserialise: one fixture-shaped record as an unsaved ``DeserializedObject``, its
    references resolved by natural key. A record already there (same natural key) comes back
    with its primary key set. ``where`` ("file: record 3") starts the message when refused."""
    if "model" not in item or not isinstance(item.get("fields"), dict):
        raise ImportRefused(f"{where} lacks 'model' or a 'fields' object")
    try:
        (obj,) = serializers.deserialize("python", [item], handle_forward_references=False)
    except (DeserializationError, FieldDoesNotExist, ObjectDoesNotExist, AttributeError,
            TypeError, ValueError) as exc:
        # Unknown models or fields, missing references, values of the wrong type.
        raise ImportRefused(f"{where} ({item.get('model')}): {type(exc).__name__}: {exc}") from None
    return obj


def is_existing(obj) -> bool:
    """Found by natural key: the record is already in the knowledge base."""
    return obj.object.pk is not None


def validate_record(obj, *, where: str) -> None:
    """Validate a new record: field choices and check constraints, with a message.
    Uniqueness is the natural key's business: a record already there is merged, not
    validated, since none of its fields are written."""
    try:
        obj.object.full_clean(validate_unique=False)
    except ValidationError as exc:
        raise ImportRefused(f"{where}: {'; '.join(exc.messages)}") from None


def merge_record(obj) -> None:
    """Merge: a record already there keeps its fields as staff may have corrected them and
    only gains the new links (evidence from another article, more parties)."""
    current = type(obj.object)._default_manager.get(pk=obj.object.pk)
    for name, values in obj.m2m_data.items():
        getattr(current, name).add(*values)


def save_record(obj, *, raw: bool) -> None:
    """Save a new record: as ``loaddata`` does when ``raw`` (no history rows), else through
    ``save()`` so the history names the person importing."""
    if raw:
        obj.save()
    else:
        obj.object.save()
        for name, values in obj.m2m_data.items():
            getattr(obj.object, name).set(values)


def import_records(*, records: list[dict], label: str = "records", raw: bool = True) -> ImportResult:
    """Save fixture-shaped ``records`` (as ``dumpdata --natural-foreign --natural-primary``
    writes them) in one transaction, each one deserialised → validated (when new) → merged
    into the record already there, or saved.

    ``raw`` saves as ``loaddata`` does (no history rows for the records themselves); an
    import by a person passes ``raw=False`` so the history says who added each record.
    The committed fixtures are loaded by ``apps.ingest.loading`` instead, which also
    remembers what staff deleted."""
    created = updated = 0
    try:
        with transaction.atomic(), batch():  # the search index written once, at the end
            for position, item in enumerate(records, start=1):
                where = f"{label}: record {position}"
                # Records are deserialised one at a time, after the ones before them are
                # saved: a reference to a record of the same import resolves only then.
                obj = deserialize_record(item, where=where)
                where = f"{where} ({item['model']})"
                try:
                    if is_existing(obj):
                        merge_record(obj)
                        updated += 1
                    else:
                        validate_record(obj, where=where)
                        save_record(obj, raw=raw)
                        created += 1
                except ValidationError as exc:
                    raise ImportRefused(f"{where}: {'; '.join(exc.messages)}") from None
                except DatabaseError as exc:
                    raise ImportRefused(f"{where}: the database refused it: {exc}") from None
    except DatabaseError as exc:  # e.g. a many-to-many reference that does not exist
        raise ImportRefused(f"{label}: the database refused the records: {exc}") from None
    return ImportResult(created=created, updated=updated)


def check_new_article(article) -> None:
    """Refuse an article imported before (same text) or whose key another source has."""
    earlier = Source.objects.filter(content_hash=text_fingerprint(article.text)).first()
    if earlier:
        raise ImportRefused(f"这篇文章已经导入过：{earlier.title}")
    if Source.objects.filter(slug=article.key).exists():
        raise ImportRefused(f"已有标识为“{article.key}”的文章，请换一个标题")


def import_article(*, article, user_label: str = ""):
    """A parsed (and reviewed) article into the knowledge base, in one transaction, with
    history rows for the person importing. Refused if the same text was imported before."""
    with transaction.atomic():
        check_new_article(article)
        import_records(records=to_fixture(article), label=user_label or article.title, raw=False)
        return Source.objects.get(slug=article.key)


def queue_article(*, article, merged=(), user_label: str = ""):
    """A parsed (and reviewed) article's text and passages into the knowledge base, and its
    candidates into the review queue instead of the public records, in one transaction
    (``merged``: the (kind, slug) the reviewer matched to records there). Returns (the source,
    the number of candidates queued)."""
    with transaction.atomic():
        check_new_article(article)
        text_only = [r for r in to_fixture(article) if r["model"] in ("kb.source", "kb.passage")]
        import_records(records=text_only, label=user_label or article.title, raw=False)
        source = Source.objects.get(slug=article.key)
        return source, propose(source, article, merged=set(merged))
