"""Loading the committed fixtures (``make load``) without undoing staff work.

The ledger (``LoadedRecord``) remembers, for each fixture record, which database record the
load made of it and which links it added, so a later load tells its own work from staff's:

- a record it made that is gone was deleted by staff: it is not made again;
- a link it added that is gone was removed by staff: it is not added again;
- references go through the ledger, so a record whose slug staff changed is still the one
  the fixture means (kept, never duplicated);
- fields of records already there stay as staff left them; only new links are added.

A load is not an edit: for records already there it writes no history rows. A record it
creates gets one, without a user, saying where it came from, with its links, so staff's
first correction has a version to go back to. ``replace=True`` (``load_plan --replace``) is
the one way to overwrite: fields from the fixture, links set exactly, deleted records made
again; each record it changes gets one history row whose reason says so, so the admin
history shows what the overwrite changed and can revert it.

A load costs a few queries per model, not per record: the ledger and each model's records
(ids by natural key, ``RecordIndex``) are read once, so a reference is a dictionary look-up;
fields are checked in Python; each run of records of one model is written together
(``bulk.py``). Overwrites (``--replace`` over staff edits) are rare and go through
``save()`` one record at a time, so every signal of an ordinary edit follows them.
"""

import json
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.serializers.base import DeserializedObject
from django.db import DatabaseError, transaction

from apps.search.index import batch, reindex

from . import bulk
from .bulk import Planned, explain, pk_of
from .models import LoadedRecord
from .services import ImportRefused, read_fixture

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


@dataclass(frozen=True)
class Entry:
    """One record of a fixture file, as read: where it is and the key it is known by."""

    fixture: str  # the file's name, as the ledger keeps it
    where: str  # "fixtures/x.json: record 3"
    model: str  # "kb.project"
    key: str  # '["渝昆高铁川渝段"]'
    fields: dict


@dataclass
class Resolved:
    """A fixture record's fields with its references looked up (``Loader.resolve``)."""

    values: dict = field(default_factory=dict)  # attname → value, as the model takes it
    links: dict[str, dict[str, object]] = field(default_factory=dict)
    parents: dict = field(default_factory=dict)
    lost_parent: str | None = None
    problem: str | None = None

    def fail(self, problem: str):
        self.problem = self.problem or problem


def load_fixtures(*, paths: list[Path], replace: bool = False) -> LoadReport:
    """Load fixture files, all or none, in one transaction (ledger included)."""
    entries = read_entries(paths)
    report = LoadReport()
    try:
        with transaction.atomic(), batch():  # the search index written once, at the end
            loader = Loader(replace=replace, report=report)
            for run in runs(entries):
                loader.load(run)
            loader.ledger.save()
    except DatabaseError as exc:
        raise ImportRefused(f"the database refused the records: {exc}") from None
    seen = {(entry.model, entry.key) for entry in entries}
    report.no_longer_in_fixtures = loader.ledger.not_seen(seen, fixtures={path.name for path in paths})
    return report


def read_entries(paths: list[Path]) -> list[Entry]:
    entries = []
    for path in paths:
        for position, item in enumerate(read_fixture(path), start=1):
            where = f"{path}: record {position}"
            if not isinstance(item.get("model"), str) or not isinstance(item.get("fields"), dict):
                raise ImportRefused(f"{where} lacks 'model' or a 'fields' object")
            model = item["model"].lower()
            try:
                for name in key_fields(model):
                    apps.get_model(model)._meta.get_field(name)
            except (LookupError, ValueError):
                raise ImportRefused(f"{where} ({item['model']}): no such kind of record") from None
            except FieldDoesNotExist:
                raise ImportRefused(f"{where} ({model}): records of this kind have no natural key") from None
            key = fixture_key(item)
            if key is None:
                raise ImportRefused(f"{where} ({model}): no natural key ({', '.join(key_fields(model))})")
            entries.append(Entry(path.name, where, model, key, item["fields"]))
    return entries


def runs(entries: list[Entry]):
    """The entries in runs written together: consecutive records of one model. A key met
    again starts a new run, so its second mention finds the record the first one made, as
    it did when records were loaded one at a time."""
    run, keys = [], set()
    for entry in entries:
        if run and (entry.model != run[0].model or entry.key in keys):
            yield run
            run, keys = [], set()
        run.append(entry)
        keys.add(entry.key)
    if run:
        yield run


class RecordIndex:
    """The records of one model: their ids, and each id by natural key, read in one query
    when first needed and kept current with what the load adds. Keys are the current ones
    (a passage by its source's id and its position), as ``get_by_natural_key`` finds them."""

    def __init__(self, model, indexes):
        self.fields = [model._meta.get_field(name) for name in key_fields(model._meta.label_lower)]
        self.indexes = indexes  # model → its RecordIndex, for a key that names a parent
        self.ids, self.by_key = set(), {}
        for pk, *key in model._base_manager.values_list("pk", *(f.attname for f in self.fields)):
            self.ids.add(pk)
            self.by_key[tuple(key)] = pk

    def add(self, instance):
        self.ids.add(instance.pk)
        self.by_key[self.key_of(instance)] = instance.pk

    def key_of(self, instance) -> tuple:
        return tuple(getattr(instance, f.attname) for f in self.fields)

    def find(self, instance) -> int | None:
        return self.by_key.get(self.key_of(instance))

    def find_reference(self, parts: list) -> int | None:
        """The id a natural-key reference means: ["slug"], or ["source slug", position]."""
        values = []
        for key_field in self.fields:
            if key_field.is_relation:
                parent = self.indexes(key_field.related_model)
                size = len(parent.fields)
                values.append(parent.find_reference(parts[:size]))
                parts = parts[size:]
            elif parts:
                try:
                    values.append(key_field.to_python(parts[0]))
                except ValidationError:
                    return None
                parts = parts[1:]
            else:
                return None
        return None if parts or None in values else self.by_key.get(tuple(values))


class Ledger:
    """The ledger, read once per load: fixture keys → the records the load made of them."""

    def __init__(self, indexes):
        self.rows = {(row.model, row.key): row for row in LoadedRecord.objects.all()}
        self.indexes = indexes
        # (model, key) → (fixture, the record this load made or kept or None if it left it
        # deleted, its links or None to keep those the ledger has); written by ``save``.
        self.loaded = {}

    def record(self, model: str, key: str):
        """The id the fixture record became, ``GONE`` if staff deleted it, None if unknown;
        during a run, the new record (not inserted yet) this load made of it."""
        if (model, key) in self.loaded:
            instance = self.loaded[(model, key)][1]
            return GONE if instance is None else instance if instance.pk is None else instance.pk
        row = self.rows.get((model, key))
        if row is None:
            return None
        return row.object_id if row.object_id in self.indexes(apps.get_model(model)).ids else GONE

    def links(self, model: str, key: str) -> dict[str, set[str]]:
        made = self.loaded.get((model, key), (None, None, None))[2]
        if made is None:
            row = self.rows.get((model, key))
            made = row.links if row else {}
        return {name: {as_json(ref) for ref in refs} for name, refs in made.items()}

    def remember(self, entry: Entry, instance, *, links: dict[str, list[str]] | None):
        self.loaded[(entry.model, entry.key)] = (entry.fixture, instance, links)

    def save(self):
        """Write what changed: one INSERT for new rows, one UPDATE for the others."""
        new, changed = [], []
        for (model, key), (fixture, instance, links) in self.loaded.items():
            row = self.rows.get((model, key))
            if row is None:
                row = self.rows[(model, key)] = LoadedRecord(model=model, key=key)
                new.append(row)
            if links is not None:  # stored as the fixture writes keys, for a person reading the table
                links = {name: [json.loads(ref) for ref in refs] for name, refs in links.items()}
            values = {"fixture": fixture, "object_id": instance and instance.pk,
                      "links": row.links if links is None else links}
            if row.pk is not None and any(getattr(row, name) != value for name, value in values.items()):
                changed.append(row)
            for name, value in values.items():
                setattr(row, name, value)
        LoadedRecord.objects.bulk_create(new)
        LoadedRecord.objects.bulk_update(changed, ["fixture", "object_id", "links"])

    def not_seen(self, seen: set, *, fixtures: set[str]) -> list[str]:
        """Records these files made before, still in the database, that the files no longer name."""
        return [
            f"{shown(model, key)} (id {row.object_id})"
            for (model, key), row in sorted(self.rows.items())
            if row.fixture in fixtures and (model, key) not in seen and self.record(model, key) not in (None, GONE)
        ]


class Loader:
    """One load: decides, record by record, what each fixture record is and what to do with
    it; writes each run of records together."""

    def __init__(self, *, replace: bool, report: LoadReport):
        self.replace, self.report = replace, report
        self._indexes = {}
        self.ledger = Ledger(self.records)

    def records(self, model) -> RecordIndex:
        if model not in self._indexes:
            self._indexes[model] = RecordIndex(model, self.records)
        return self._indexes[model]

    def load(self, run: list[Entry]):
        model = apps.get_model(run[0].model)
        planned = [record for record in (self.plan(model, entry) for entry in run) if record is not None]
        new = [record for record in planned if record.instance.pk is None]
        there = [record for record in planned if record.instance.pk is not None]
        if new:
            self.create(model, new)
        if there:
            self.update(model, there)

    # ------------------------------------------------------------ deciding

    def plan(self, model, entry: Entry) -> Planned | None:
        own = self.ledger.record(entry.model, entry.key)
        resolved = self.resolve(model, entry)
        if not self.replace and (own is GONE or resolved.lost_parent):
            self.ledger.remember(entry, None, links=None)
            self.report.left_deleted.append(shown(entry.model, entry.key))
            return None
        if resolved.problem:
            raise ImportRefused(f"{entry.where} ({entry.model}): {resolved.problem}")
        if resolved.lost_parent:
            raise ImportRefused(f"{entry.where} ({entry.model}): it belongs to {resolved.lost_parent}, "
                                "which staff deleted")
        instance = build(model, resolved.values, entry)
        # Found in the ledger, or else by natural key (a record that was there before the
        # ledger). Never a new record of this run: ``runs`` starts a new run at a repeated key.
        instance.pk = own if isinstance(own, int) else self.records(model).find(instance)
        record = Planned(
            model=entry.model, key=entry.key, where=entry.where, instance=instance, links=resolved.links,
            parents=resolved.parents, before=self.ledger.links(entry.model, entry.key),
            reason="" if instance.pk is not None else RECREATED if own is GONE else LOADED,
        )
        self.ledger.remember(entry, instance, links={name: list(refs) for name, refs in resolved.links.items()})
        return record

    def resolve(self, model, entry: Entry) -> Resolved:
        """The fixture's fields with references replaced by what they mean (through the
        ledger first, so a slug staff changed still leads to the record the fixture means).
        References to records staff deleted are dropped; a required parent staff deleted is
        ``lost_parent``. A problem is reported, not raised: a record left deleted is not checked."""
        resolved = Resolved()
        for name, value in entry.fields.items():
            try:
                model_field = model._meta.get_field(name)
            except FieldDoesNotExist:
                resolved.fail(f"no field {name!r}")
                continue
            if model_field.many_to_many:
                self.resolve_links(model_field, value, resolved)
            elif model_field.many_to_one or model_field.one_to_one:
                self.resolve_parent(model_field, value, resolved)
            elif model_field.concrete:
                try:
                    resolved.values[model_field.attname] = model_field.to_python(value)
                except ValidationError as exc:
                    resolved.fail(f"{name}: {explain(exc)}")
            else:
                resolved.fail(f"{name!r} is not a field a fixture sets")
        return resolved

    def resolve_links(self, model_field, value, resolved: Resolved):
        if not isinstance(value, list):
            resolved.fail(f"{model_field.name}: a list of references, not {value!r}")
            return
        targets = resolved.links[model_field.name] = {}
        for ref in value:
            target = self.target(model_field.related_model, ref)
            if target is None:
                resolved.fail(f"{model_field.name}: no {model_field.related_model._meta.label_lower} {ref!r}")
            elif target is not GONE:
                targets.setdefault(as_json(ref), target)

    def resolve_parent(self, model_field, value, resolved: Resolved):
        target = None if value is None else self.target(model_field.related_model, value)
        if value is not None and target is None:
            resolved.fail(f"{model_field.name}: no {model_field.related_model._meta.label_lower} {value!r}")
        elif target is GONE:
            resolved.values[model_field.attname] = None  # as if the deletion had reached it (SET_NULL)
            if not model_field.null:
                resolved.lost_parent = shown(model_field.related_model._meta.label_lower, as_json(value))
        elif target is None or isinstance(target, int):
            resolved.values[model_field.attname] = target
        else:  # a new record of this run: its id is known once it is inserted
            resolved.values[model_field.attname] = None
            resolved.parents[model_field.attname] = target

    def target(self, model, ref):
        """What a reference means: an id, a new record of this run, ``GONE``, or None (nothing)."""
        if isinstance(ref, list):
            found = self.ledger.record(model._meta.label_lower, as_json(ref))
            return found if found is not None else self.records(model).find_reference(ref)
        try:
            pk = model._meta.pk.to_python(ref)  # a plain id, as dumpdata writes without natural keys
        except ValidationError:
            return None
        return pk if pk in self.records(model).ids else None

    # ------------------------------------------------------------ writing

    def create(self, model, new: list[Planned]):
        bulk.insert(model, new)
        index = self.records(model)
        for record in new:
            index.add(record.instance)
        links = bulk.add_links(model, {
            name: [(record.instance.pk, pk) for record in new for pk in record.link_ids(name)]
            for name in dict.fromkeys(name for record in new for name in record.links)
        })
        bulk.write_history(model, new, links)
        reindex([record.instance for record in new])
        for record in new:
            if record.reason == RECREATED:
                self.report.recreated += 1
            else:
                self.report.created += 1

    def update(self, model, there: list[Planned]):
        names = dict.fromkeys(name for record in there for name in record.links)
        linked = bulk.current_links(model, names, [record.instance.pk for record in there])
        if self.replace:
            self.overwrite(model, there, linked)
        else:
            self.add_new_links(model, there, linked)

    def add_new_links(self, model, there: list[Planned], linked):
        """Add the fixture's links the load never made; a link it made that is gone was removed by staff."""
        pairs, gained = {name: [] for name in linked}, []
        for record in there:
            pk = record.instance.pk
            for name, targets in record.links.items():
                now, before = linked[name][pk], record.before.get(name, set())
                new = [pk_of(t) for ref, t in targets.items() if ref not in before and pk_of(t) not in now]
                pairs[name] += [(pk, linked_id) for linked_id in dict.fromkeys(new)]
                self.report.links_added += len(new)
                self.report.left_unlinked += [
                    f"{shown(record.model, record.key)} → {name} {shown(None, ref)}"
                    for ref, t in targets.items() if ref in before and pk_of(t) not in now
                ]
                if new:
                    gained.append(record.instance)
            self.report.kept += 1
        bulk.add_links(model, pairs)  # a load is not an edit: no history rows for these
        reindex(gained)  # new evidence adds the sources a record is found under (and may change the one shown)

    def overwrite(self, model, there: list[Planned], linked):
        stored = model._base_manager.in_bulk([record.instance.pk for record in there])
        for record in there:
            record.settle()
            current = stored[record.instance.pk]
            links = {name: record.link_ids(name) for name in record.links}
            if same(record.instance, current, links, linked):
                self.report.kept += 1
                continue
            # An overwrite is a new version: forms opened before it are stale.
            record.instance.version = current.version
            try:
                save_with_one_history_row(DeserializedObject(record.instance, links), reason=REPLACED)
            except DatabaseError as exc:
                raise ImportRefused(f"{record.where} ({record.model}): the database refused it: {exc}") from None
            self.records(model).add(record.instance)
            self.report.replaced += 1


def build(model, values: dict, entry: Entry):
    """The record as an unsaved instance, checked in Python (choices, lengths, blanks): no
    query. References were resolved from the index; check constraints are the database's
    (``bulk.insert`` names the record it refuses)."""
    instance = model(**values)
    if hasattr(instance, "fill_derived_fields"):  # what save() would derive (kb.models.Versioned)
        instance.fill_derived_fields()
    try:
        instance.clean_fields(exclude=[f.name for f in model._meta.fields if f.is_relation])
        instance.clean()
    except ValidationError as exc:
        raise ImportRefused(f"{entry.where} ({entry.model}): {explain(exc)}") from None
    return instance


def same(instance, stored, links: dict[str, list[int]], linked) -> bool:
    """Whether the database already has the record as the fixture says it."""
    # The version counts saves; it is bookkeeping, not what the fixture says.
    names = [f.attname for f in instance._meta.concrete_fields if not f.primary_key and f.attname != "version"]
    return all(getattr(stored, name) == getattr(instance, name) for name in names) and all(
        set(linked[name][instance.pk]) == set(ids) for name, ids in links.items()
    )


def save_with_one_history_row(obj: DeserializedObject, *, reason: str):
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
