"""Loading the committed fixtures (``make load``) without undoing staff work.

The ledger (``LoadedRecord``) remembers, for each fixture record, which database record the
load made of it and which links it added, so a later load tells its own work from staff's:

- a record it made that is gone was deleted by staff: it is not made again;
- a link it added that is gone was removed by staff: it is not added again;
- references go through the ledger, so a record whose slug staff changed is still the one
  the fixture means (kept, never duplicated);
- fields of records already there stay as staff left them; only new links are added.

A load is not an edit: for records already there it writes no history rows. A record it
creates gets one, without a user, saying where it came from, so staff's first correction
has a version to go back to. ``replace=True`` (``load_plan --replace``) is the one way to
overwrite: fields from the fixture, links set exactly, deleted records made again; each
record it changes gets one history row whose reason says so, so the admin history shows
what the overwrite changed and can revert it.
"""

import json
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import DatabaseError, transaction

from apps.search.index import batch

from .models import LoadedRecord
from .services import ImportRefused, deserialize_record, read_fixture

# A fixture names a record by its natural key: the slug, or for a passage its source and position.
KEY_FIELDS = {"kb.passage": ("source", "position")}
LOADED = "load_plan：从数据文件载入"
REPLACED = "load_plan --replace：按数据文件覆盖"
RECREATED = "load_plan --replace：按数据文件重建（曾被删除）"
GONE = "gone"  # what the ledger says of a record the load made and staff deleted


@dataclass
class LoadReport:
    created: int = 0
    recreated: int = 0
    replaced: int = 0
    kept: int = 0
    links_added: int = 0
    left_deleted: list[str] = field(default_factory=list)
    left_unlinked: list[str] = field(default_factory=list)
    no_longer_in_fixtures: list[str] = field(default_factory=list)


def load_fixtures(*, paths: list[Path], replace: bool = False) -> LoadReport:
    """Load fixture files, all or none, in one transaction (ledger included)."""
    report, ledger, seen = LoadReport(), Ledger(), set()
    try:
        with transaction.atomic(), batch():  # the search index written once, at the end
            for path in paths:
                for position, item in enumerate(read_fixture(path), start=1):
                    where = f"{path}: record {position}"
                    seen.add(_load_record(item, fixture=path.name, where=where, ledger=ledger,
                                          replace=replace, report=report))
    except DatabaseError as exc:
        raise ImportRefused(f"the database refused the records: {exc}") from None
    report.no_longer_in_fixtures = ledger.not_seen(seen, fixtures={path.name for path in paths})
    return report


class Ledger:
    """The ledger, read once per load: fixture keys → the records the load made of them."""

    def __init__(self):
        self.rows = {(row.model, row.key): row for row in LoadedRecord.objects.all()}
        self._ids = {}

    def record(self, model: str, key: str):
        """The id the fixture record became, ``GONE`` if staff deleted it, None if unknown."""
        row = self.rows.get((model, key))
        if row is None:
            return None
        return row.object_id if row.object_id in self._existing(model) else GONE

    def links(self, model: str, key: str) -> dict[str, set[str]]:
        row = self.rows.get((model, key))
        return {name: {as_json(ref) for ref in refs} for name, refs in (row.links if row else {}).items()}

    def remember(self, *, model: str, key: str, fixture: str, object_id, links: dict[str, list[str]] | None):
        row = self.rows.get((model, key)) or LoadedRecord(model=model, key=key)
        if links is not None:  # stored as the fixture writes keys, for a person reading the table
            links = {name: [json.loads(ref) for ref in refs] for name, refs in links.items()}
        values = {"fixture": fixture, "object_id": object_id, "links": row.links if links is None else links}
        if row.pk is None or any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            row.save()
        self.rows[(model, key)] = row
        if object_id is not None:
            self._existing(model).add(object_id)

    def not_seen(self, seen: set, *, fixtures: set[str]) -> list[str]:
        """Records these files made before, still in the database, that the files no longer name."""
        return [
            f"{shown(model, key)} (id {row.object_id})"
            for (model, key), row in sorted(self.rows.items())
            if row.fixture in fixtures and (model, key) not in seen and self.record(model, key) not in (None, GONE)
        ]

    def _existing(self, model: str) -> set[int]:
        if model not in self._ids:
            self._ids[model] = set(apps.get_model(model)._base_manager.values_list("pk", flat=True))
        return self._ids[model]


def _load_record(item: dict, *, fixture, where, ledger: Ledger, replace: bool, report: LoadReport):
    if "model" not in item or not isinstance(item.get("fields"), dict):
        raise ImportRefused(f"{where} lacks 'model' or a 'fields' object")
    model, key = item["model"].lower(), fixture_key(item)
    if key is None:
        raise ImportRefused(f"{where} ({model}): no natural key ({', '.join(key_fields(model))})")
    own = ledger.record(model, key)
    item, link_keys, lost_parent = _with_ledger_ids(item, ledger)
    if not replace and (own is GONE or lost_parent):
        ledger.remember(model=model, key=key, fixture=fixture, object_id=None, links=None)
        report.left_deleted.append(shown(model, key))
        return model, key
    if lost_parent:
        raise ImportRefused(f"{where} ({model}): it belongs to {lost_parent}, which staff deleted")
    if isinstance(own, int):
        item = {**item, "pk": own}
    obj = deserialize_record(item, where=where)
    links = {name: dict(zip(link_keys.get(name, []), pks)) for name, pks in obj.m2m_data.items()}
    made = {name: list(pairs) for name, pairs in links.items()}
    try:
        if obj.object.pk is None and own is GONE:
            _save_with_one_history_row(obj, reason=RECREATED)
            report.recreated += 1
        elif obj.object.pk is None:
            _save_with_one_history_row(obj, reason=LOADED)
            report.created += 1
        elif replace and not _matches_database(obj):
            _save_with_one_history_row(obj, reason=REPLACED)
            report.replaced += 1
        else:
            if not replace:
                _add_new_links(obj, links, ledger.links(model, key), report, shown(model, key))
            report.kept += 1
    except DatabaseError as exc:
        raise ImportRefused(f"{where} ({model}): the database refused it: {exc}") from None
    ledger.remember(model=model, key=key, fixture=fixture, object_id=obj.object.pk, links=made)
    return model, key


def _with_ledger_ids(item: dict, ledger: Ledger):
    """The record with the references the ledger knows replaced by ids, so a slug staff
    changed still leads to the record the fixture means. References to records staff
    deleted are dropped. Returns the record, the fixture keys of its remaining links per
    field (in the order Django deserialises them), and the required parent staff deleted."""
    try:
        fields_of = apps.get_model(item["model"])._meta
    except (LookupError, ValueError):
        return item, {}, None  # deserialize_record names the problem
    fields, link_keys, lost_parent = {}, {}, None
    for name, value in item["fields"].items():
        try:
            relation = fields_of.get_field(name)
        except FieldDoesNotExist:
            relation = None
        if relation is not None and relation.many_to_many and isinstance(value, list):
            target = relation.related_model._meta.label_lower
            refs = [(ref, ledger.record(target, as_json(ref))) for ref in value]
            refs = [(ref, found) for ref, found in refs if found is not GONE]
            fields[name] = [ref if found is None else found for ref, found in refs]
            link_keys[name] = [as_json(ref) for ref, _ in refs]
        elif relation is not None and relation.many_to_one and isinstance(value, list):
            target = relation.related_model._meta.label_lower
            found = ledger.record(target, as_json(value))
            if found is GONE:
                fields[name] = None  # as if the deletion had reached it (SET_NULL)
                lost_parent = lost_parent if relation.null else shown(target, as_json(value))
            else:
                fields[name] = value if found is None else found
        else:
            fields[name] = value
    return {**item, "fields": fields}, link_keys, lost_parent


def _add_new_links(obj, links: dict[str, dict[str, int]], made_before: dict[str, set[str]], report, name):
    """Add the fixture's links the load never made; a link it made that is gone was removed by staff."""
    for field_name, pairs in links.items():
        related = getattr(obj.object, field_name)
        linked = set(related.values_list("pk", flat=True))
        before = made_before.get(field_name, set())
        new = [pk for ref, pk in pairs.items() if ref not in before and pk not in linked]
        if new:
            with history_skipped(obj.object):
                related.add(*new)
        report.links_added += len(new)
        report.left_unlinked += [
            f"{name} → {field_name} {shown(None, ref)}"
            for ref, pk in pairs.items() if ref in before and pk not in linked
        ]


def _matches_database(obj) -> bool:
    instance = obj.object
    stored = type(instance)._base_manager.get(pk=instance.pk)
    # The version counts saves; it is bookkeeping, not what the fixture says.
    fields = [f.attname for f in instance._meta.concrete_fields if not f.primary_key and f.attname != "version"]
    return all(getattr(stored, name) == getattr(instance, name) for name in fields) and all(
        set(getattr(stored, name).values_list("pk", flat=True)) == set(pks) for name, pks in obj.m2m_data.items()
    )


def _save_with_one_history_row(obj, *, reason: str):
    stored = type(obj.object)._base_manager.filter(pk=obj.object.pk).values_list("version", flat=True).first()
    if stored is not None:
        obj.object.version = stored  # an overwrite is a new version: forms opened before it are stale
    with history_skipped(obj.object):
        obj.save()  # raw, as loaddata saves: fields and links exactly as the fixture has them
    # Saved once more as an edit, so that one history row holds the fields and the links
    # (a row written at the insert would lack the links, and reverting to it would drop them).
    obj.object._change_reason = reason
    obj.object.save()


@contextmanager
def history_skipped(instance):
    """django-simple-history writes no row for saves and link changes of an instance that
    carries this attribute (its supported switch, as ``save_without_historical_record``)."""
    instance.skip_history_when_saving = True
    try:
        yield
    finally:
        del instance.skip_history_when_saving


def key_fields(model: str) -> tuple[str, ...]:
    return KEY_FIELDS.get(model, ("slug",))


def fixture_key(item: dict) -> str | None:
    """The record's natural key as the fixture writes it, as JSON: '["渝昆高铁川渝段"]'."""
    key = []
    for name in key_fields(item["model"].lower()):
        value = item["fields"].get(name)
        if value in (None, "", []):
            return None
        if isinstance(value, list):
            key.extend(value)  # a reference: the parent's own natural key
        else:
            key.append(value)
    return as_json(key)


def as_json(key) -> str:
    return json.dumps(key, ensure_ascii=False)


def shown(model: str | None, key: str) -> str:
    """'kb.project 渝昆高铁川渝段', 'kb.passage luzhou-chengyu-integration-2020/18'."""
    text = "/".join(str(part) for part in json.loads(key)) if key.startswith("[") else key
    return f"{model} {text}" if model else text
