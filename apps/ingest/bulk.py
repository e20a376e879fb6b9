"""Writing the records of one model in a few statements, with what ``save()`` would add.

The fixture load (``loading.py``) decides what to write; this module writes it: new records
in one INSERT per level of nesting, their links in one INSERT per relation, and the one
history row each new record gets (with its links, so that reverting to it restores them)
in one INSERT per history table. Nothing here reads a record more than once.

Check constraints are the database's to enforce: a bulk INSERT it refuses does not say
which record was wrong, so ``insert`` then retries that model's records one at a time, in
a savepoint, to name the record and the rule it breaks.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, models, transaction

from .services import ImportRefused


@dataclass(eq=False)
class Planned:
    """One fixture record as the load means to leave it."""

    model: str  # "kb.project"
    key: str  # its natural key as the fixture writes it, JSON
    where: str  # "fixtures/x.json: record 3", to start a refusal
    instance: models.Model  # built from the fixture; its pk is set when the record exists
    # Many-to-many field → {fixture reference (JSON) → the id it means, or the new record
    # of this same model (not inserted yet) it names}.
    links: dict[str, dict[str, object]] = field(default_factory=dict)
    # Foreign key (attname) → a new record of this same model it points at: inserted first.
    parents: dict[str, models.Model] = field(default_factory=dict)
    before: dict[str, set[str]] = field(default_factory=dict)  # links earlier loads made
    reason: str = ""  # the history reason of a record the load creates

    def settle(self):
        """Point the foreign keys at parents inserted since the record was built."""
        for attname, parent in self.parents.items():
            setattr(self.instance, attname, parent.pk)

    def link_ids(self, name: str) -> list[int]:
        return list(dict.fromkeys(pk_of(target) for target in self.links.get(name, {}).values()))


def pk_of(target) -> int:
    return target if isinstance(target, int) else target.pk


def by_level(records: list[Planned]) -> list[list[Planned]]:
    """The records in INSERT order: a record after the new records it points at (a place
    after its province). Fixtures name a parent before its children, so one pass does."""
    level, levels = {}, defaultdict(list)
    for record in records:
        level[id(record.instance)] = 1 + max((level[id(p)] for p in record.parents.values()), default=-1)
        levels[level[id(record.instance)]].append(record)
    return [levels[n] for n in sorted(levels)]


# ---------------------------------------------------------------- records


def insert(model, records: list[Planned]) -> None:
    """INSERT new records of one model (both databases return the new ids)."""
    try:
        with transaction.atomic():  # a savepoint: after a refusal, the database is usable again
            for level in by_level(records):
                for record in level:
                    record.settle()
                model._base_manager.bulk_create([record.instance for record in level])
    except DatabaseError as exc:
        raise ImportRefused(_refusal(model, records, exc)) from None


def _refusal(model, records: list[Planned], error: DatabaseError) -> str:
    """Which record the database refused, and why: the rules are checked one record at a
    time (the queries ``full_clean`` would have run for every record), then the records are
    inserted one at a time; the first that fails is named. Runs only when a load is refused."""
    for record in records:  # the bulk INSERT was rolled back: nothing of it is in the database
        record.instance.pk, record.instance._state.adding = None, True
    for record in records:  # fixture order: a parent before its children
        record.settle()
        try:
            record.instance.validate_constraints()
        except ValidationError as exc:
            return f"{record.where} ({record.model}): {explain(exc)}"
        try:
            with transaction.atomic():
                model._base_manager.bulk_create([record.instance])
        except DatabaseError as exc:
            return f"{record.where} ({record.model}): the database refused it: {exc}"
    return f"{records[0].where} and after ({records[0].model}): the database refused the records: {error}"


def explain(error: ValidationError) -> str:
    """'date_precision: …; title: …', or the messages alone when they name no field."""
    if hasattr(error, "error_dict"):
        return "; ".join(
            message if name == "__all__" else f"{name}: {message}"
            for name, messages in error.message_dict.items() for message in messages
        )
    return "; ".join(error.messages)


# ---------------------------------------------------------------- links


def _ends(model, name: str):
    """The through model of a many-to-many field and the attnames of its two ends."""
    relation = model._meta.get_field(name)
    through = relation.remote_field.through
    own = through._meta.get_field(relation.m2m_field_name()).attname
    other = through._meta.get_field(relation.m2m_reverse_field_name()).attname
    return through, own, other


def current_links(model, names, ids) -> dict[str, dict[int, dict[int, int]]]:
    """For each field: record id → {linked id → the through row's id}; one query per field."""
    found = {}
    for name in names:
        through, own, other = _ends(model, name)
        found[name] = defaultdict(dict)
        for row_id, record_id, linked_id in through._base_manager.filter(**{f"{own}__in": ids}).values_list(
            "pk", own, other
        ):
            found[name][record_id][linked_id] = row_id
    return found


def add_links(model, pairs: dict[str, list[tuple[int, int]]]) -> dict[str, list[models.Model]]:
    """INSERT (record id, linked id) pairs, one statement per field; the new through rows."""
    made = {}
    for name, field_pairs in pairs.items():
        if field_pairs:
            through, own, other = _ends(model, name)
            made[name] = through._base_manager.bulk_create(
                [through(**{own: record_id, other: linked_id}) for record_id, linked_id in field_pairs]
            )
    return made


# ---------------------------------------------------------------- history


def write_history(model, records: list[Planned], links: dict[str, list[models.Model]]) -> None:
    """One history row per new record, with its reason and no user, and the rows that
    record its links (as django-simple-history writes them at a save: the through row's
    fields, tied to the history row), so that reverting to this version restores them."""
    manager_name = getattr(model._meta, "simple_history_manager_attribute", None)
    if manager_name is None or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    history = getattr(model, manager_name)
    row_of = {}
    for reason in dict.fromkeys(record.reason for record in records):
        instances = [record.instance for record in records if record.reason == reason]
        rows = history.bulk_history_create(instances, default_change_reason=reason)
        row_of.update(zip((instance.pk for instance in instances), rows, strict=True))
    for relation in history.model._history_m2m_fields:
        m2m_history = getattr(history.model, relation.name).model
        through, own, _ = _ends(model, relation.name)
        columns = [f.attname for f in through._meta.fields]
        rows = [
            m2m_history(history=row_of[getattr(link, own)], **{column: getattr(link, column) for column in columns})
            for link in links.get(relation.name, [])
        ]
        if rows:
            m2m_history._base_manager.bulk_create(rows)
