"""What is searchable, and keeping the index current.

The engine knows no domain model. A model becomes searchable by subclassing ``Indexed``
(in the spirit of Wagtail's ``search_fields``): it names the kind its results are listed
under and says what a result shows. The signal handlers in ``signals.py`` follow every save
and delete of those models; ``batch()`` collects that work during a bulk operation (a load,
an import, an admin save with its links, a bulk action) and writes it once at the end,
inside the operation's own transaction, so search never lags a committed change.
"""

import contextlib
import functools
import multiprocessing
import threading
from dataclasses import dataclass

from django.apps import apps
from django.db import connection, transaction

from apps.core.text import name_key, normalise

from .backends import backend_for
from .models import SearchEntry
from .text import index_tokens


@dataclass(frozen=True)
class SearchDocument:
    """What one record contributes to the index and shows as a result."""

    title: str
    text: str
    url: str
    date: object = None
    # The source a result shows (a record: the source of its first evidence; a passage: its own).
    source_id: int | None = None
    # Every source it is evidenced in: the search's source filter finds it under any of them.
    source_ids: tuple[int, ...] = ()
    # What is indexed as the title: a passage is found by its own words, not by the title of
    # its source, which it shows but which every passage of that source shares.
    indexed_title: str | None = None


def sources_of(doc: SearchDocument) -> list[int]:
    """The sources an entry is filtered by: the shown one first, then the others in id order
    (a fixed order, so an index kept by edits equals a rebuilt one), each once."""
    shown = [doc.source_id] if doc.source_id is not None else []
    return shown + sorted({i for i in doc.source_ids if i is not None} - set(shown))


class Indexed:
    """Mixin for a searchable model.

    ``search_kind``: the kind its results are listed under ("project").
    ``search_related``: what ``search_document`` reads, as (select_related, prefetch_related)
    lookups, so that indexing many records costs a few queries, not a few per record.
    """

    search_kind: str = ""
    search_related: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())

    def search_document(self) -> SearchDocument:
        raise NotImplementedError


@functools.cache
def indexed_models() -> dict:
    """The searchable models, each with its kind, in the order the apps declare them."""
    return {m: m.search_kind for m in apps.get_models() if issubclass(m, Indexed)}


def kind_of(model) -> str:
    return indexed_models()[model]


def kind_labels() -> dict[str, str]:
    return {kind: model._meta.verbose_name for model, kind in indexed_models().items()}


def model_of(kind: str):
    return next(m for m, k in indexed_models().items() if k == kind)


def with_related(queryset):
    select, prefetch = queryset.model.search_related
    if select:  # select_related() with no names would join every non-null foreign key
        queryset = queryset.select_related(*select)
    return queryset.prefetch_related(*prefetch)


# ---------------------------------------------------------------- writing


def index_objects(objects, *, created=False) -> int:
    """Write (or rewrite) the index for these records in a few queries for the whole batch.
    ``created``: the records were created in this transaction, so none has an entry to look up."""
    with transaction.atomic(savepoint=False):  # all or nothing; no savepoint round trips
        count, entries, texts = _prepare(objects, created=created)
        if entries:
            encode = backend_for(connection).encode
            _write(entries, (encoded(pair, encode) for pair in texts))
    return count


def tokens_of(pair: tuple[str, str]) -> tuple[list[str], list[str]]:
    """The index tokens of a (normalised title, normalised text): the pure part of indexing,
    which ``rebuild(jobs=…)`` runs in worker processes."""
    title, text = pair
    return index_tokens(title), index_tokens(text)


def encoded(pair, encode):
    """``tokens_of`` as the backend stores them."""
    return encode(*tokens_of(pair))


def _prepare(objects, created=False):
    """(records seen, entries to write, their (normalised title, normalised text)): reads only.
    An entry whose shown and searchable text did not change is left out (no write at all)."""
    rows = [(kind_of(type(o)), o.pk, o.search_document()) for o in objects if type(o) in indexed_models()]
    existing = {}
    kinds = set() if created else {kind for kind, _, _ in rows}
    for kind in kinds:
        ids = [pk for k, pk, _ in rows if k == kind]
        for entry in SearchEntry.objects.filter(kind=kind, object_id__in=ids):
            existing[(kind, entry.object_id)] = entry
    entries, texts = [], []
    for kind, pk, doc in rows:
        indexed_title = doc.title if doc.indexed_title is None else doc.indexed_title
        normalised_title, normalised_text = normalise(indexed_title), normalise(doc.text)
        normalised = f"{normalised_title}\n{normalised_text}"
        name = (name_key(doc.title)[:400] or None) if normalised_title else None  # see SearchEntry.name
        shown = (doc.source_id, sources_of(doc), doc.title[:400], doc.text, doc.url, doc.date, normalised, name)
        entry = existing.get((kind, pk))
        if entry is None:
            # Values by position, the fields in the model's order: Django's fast path, as for rows
            # read (7 µs an entry against 17 by keywords; a second of a rebuild of 10⁵ passages).
            entry = SearchEntry(None, kind, pk, *shown)
        elif shown == _shown(entry):
            continue  # nothing searchable changed (a status, a version): no write at all
        else:
            for field, value in zip(SHOWN, shown, strict=True):
                setattr(entry, field, value)
        entries.append(entry)
        texts.append((normalised_title, normalised_text))
    return len(rows), entries, texts


def _write(entries, tokens):
    """One batch: the new entries with their index rows, the changed ones and theirs. ``tokens``
    may be a generator: when every entry is new (an import, a rebuild) the backend takes them
    as they are made (PostgreSQL stores rows while the next ones are tokenised)."""
    backend = backend_for(connection)
    if all(e.pk is None for e in entries):
        backend.insert(SearchEntry, entries, tokens)
        return
    rows = list(zip(entries, tokens, strict=True))
    changed = [(e, t) for e, t in rows if e.pk is not None]  # before the new ones get their ids
    new = [(e, t) for e, t in rows if e.pk is None]
    backend.insert(SearchEntry, [e for e, _ in new], [t for _, t in new])
    if changed:
        SearchEntry.objects.bulk_update([e for e, _ in changed], SHOWN)
        backend.write(changed)


# What an entry holds of its record's document, in the order _prepare builds it: the model's
# fields after its id, kind and object id, in their order (new entries are made by position).
SHOWN = ("source_id", "source_ids", "title", "text", "url", "date", "normalised", "name")


def _shown(entry):
    return tuple(getattr(entry, field) for field in SHOWN)


def remove_objects(kind: str, ids) -> None:
    entries = list(SearchEntry.objects.filter(kind=kind, object_id__in=ids).values_list("pk", flat=True))
    if entries:
        backend_for(connection).delete(entries)
        SearchEntry.objects.filter(pk__in=entries).delete()


def rebuild(batch_size: int = 500, jobs: int = 1) -> int:
    """Drop and rewrite the whole index. With ``jobs`` > 1, that many worker processes make the
    tokens while this one reads the records and writes (one writer: the database sees one
    connection); the next batch is tokenised while the last one is written."""
    backend = backend_for(connection)
    pool = None
    if jobs > 1:
        pool = multiprocessing.get_context("fork").Pool(jobs)
    try:
        with transaction.atomic():
            backend.prepare_rebuild()
            backend.clear()  # every entry and its index rows
            with backend.deferred_maintenance():
                return _rebuild_batches(batch_size, pool)
    finally:
        if pool is not None:
            pool.terminate()


def _rebuild_batches(batch_size, pool) -> int:
    total, pending = 0, None
    for objects in _batches(batch_size):
        count, entries, texts = _prepare(objects, created=True)  # the rebuild cleared every entry first
        total += count
        encode = functools.partial(encoded, encode=backend_for(connection).encode)
        if pool is not None:
            tokens = pool.map_async(encode, texts, chunksize=max(1, len(texts) // 8))
        else:
            tokens = map(encode, texts)  # made as the batch is written
        if pending is not None:
            _write(pending[0], pending[1].get() if pool is not None else pending[1])
        pending = (entries, tokens)
    if pending is not None:
        _write(pending[0], pending[1].get() if pool is not None else pending[1])
    return total


def _batches(batch_size):
    for model in indexed_models():
        batch_of = []
        for obj in with_related(model._default_manager.all()).iterator(chunk_size=batch_size):
            batch_of.append(obj)
            if len(batch_of) >= batch_size:
                yield batch_of
                batch_of = []
        if batch_of:
            yield batch_of


# ---------------------------------------------------------------- now, or at the end of a batch


class _Pending(threading.local):
    depth = 0

    def reset(self):
        self.saved: dict = {}  # model → {id: the instance saved}
        self.deleted: dict = {}  # kind → ids to remove


_pending = _Pending()


@contextlib.contextmanager
def batch():
    """Collect the index work of everything saved or deleted inside, and write it once, in
    bulk, when the block ends (inside the caller's transaction). Nested blocks join the
    outermost. If the block fails, nothing is written: its transaction is rolled back anyway."""
    if _pending.depth == 0:
        _pending.reset()
    _pending.depth += 1
    try:
        yield
        if _pending.depth == 1:
            _flush()
    finally:
        _pending.depth -= 1


def _flush():
    while _pending.saved or _pending.deleted:  # indexing never saves records, but be sure
        saved, deleted = _pending.saved, _pending.deleted
        _pending.reset()
        for kind, ids in deleted.items():
            remove_objects(kind, ids)
        for model, objects in saved.items():
            if len(objects) == 1:  # one record (an admin save): the instance is current, no refetch
                index_objects(list(objects.values()))
            else:  # many: read them back with what their documents need, a few queries in all
                index_objects(list(with_related(model._default_manager.filter(pk__in=list(objects)))))


def reindex(objects) -> None:
    """Index these records now, or at the end of the batch the caller is in."""
    objects = [o for o in objects if type(o) in indexed_models()]
    if _pending.depth:
        for obj in objects:
            _pending.saved.setdefault(type(obj), {})[obj.pk] = obj
    elif objects:
        index_objects(objects)


def unindex(model, ids) -> None:
    """Remove these records from the index now, or at the end of the batch."""
    if _pending.depth:
        _pending.deleted.setdefault(kind_of(model), set()).update(ids)
        for pk in ids:
            _pending.saved.get(model, {}).pop(pk, None)
    else:
        remove_objects(kind_of(model), ids)
