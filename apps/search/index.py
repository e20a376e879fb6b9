"""What is searchable, and keeping the index current. ``kb`` calls nothing here: the signal
handlers in ``signals.py`` follow every save and delete (admin, loaddata, import)."""

import functools
from dataclasses import dataclass

from django.db import connection, transaction

from .backends import backend_for
from .models import SearchEntry
from .text import index_tokens, normalise


@dataclass(frozen=True)
class Document:
    kind: str
    object_id: int
    source_id: int | None
    title: str
    text: str
    url: str
    date: object
    # What is indexed as the title. A passage is found by its own words only, not by the
    # title of its source, which it shows but which every passage of that source shares.
    indexed_title: str = ""


def _first_source_id(record):
    passage = next(iter(record.evidence.all()), None)  # uses a prefetch when there is one
    return passage.source_id if passage else None


def document_for(obj) -> Document | None:
    from apps.kb.models import Agreement, Milestone, Passage, PolicyDocument

    kind = kinds().get(type(obj))
    if kind is None:
        return None
    if isinstance(obj, Passage):
        section = f"{obj.section} · " if obj.section else ""
        return Document(kind, obj.pk, obj.source_id, f"{obj.source.title} · {section}第{obj.position}段",
                        obj.text, obj.get_absolute_url(), obj.source.published, indexed_title="")
    if isinstance(obj, PolicyDocument):
        title, text, date = str(obj), obj.quote, obj.issued_on
    elif isinstance(obj, Milestone):
        title, text, date = obj.title, f"{obj.date_display} {obj.date_text} {obj.quote}", obj.date
    elif isinstance(obj, Agreement):
        title, text, date = obj.name, f"{obj.description} {obj.quote}", obj.signed_on
    else:  # Initiative, Project
        title, text, date = obj.name, f"{obj.description} {obj.quote}", None
    return Document(kind, obj.pk, _first_source_id(obj), title, text.strip(), obj.get_absolute_url(), date,
                    indexed_title=title)


@functools.cache
def kinds() -> dict:
    """The searchable models and the kind each is listed under."""
    from apps.kb.models import Agreement, Initiative, Milestone, Passage, PolicyDocument, Project

    return {Passage: "passage", Initiative: "initiative", Project: "project", Agreement: "agreement",
            Milestone: "milestone", PolicyDocument: "document"}


def index_objects(objects) -> int:
    """Write (or rewrite) the index for these model instances, in a few queries per batch
    (not per object: a bulk import indexes thousands). Returns how many."""
    docs = [d for d in (document_for(o) for o in objects) if d is not None]
    if not docs:
        return 0
    backend = backend_for(connection)
    with transaction.atomic():
        existing = {}
        for kind in {d.kind for d in docs}:
            ids = [d.object_id for d in docs if d.kind == kind]
            for entry in SearchEntry.objects.filter(kind=kind, object_id__in=ids):
                existing[(kind, entry.object_id)] = entry
        entries, tokens = [], []
        for doc in docs:
            normalised_title, normalised_text = normalise(doc.indexed_title), normalise(doc.text)
            entry = existing.get((doc.kind, doc.object_id)) or SearchEntry(kind=doc.kind, object_id=doc.object_id)
            entry.source_id, entry.title, entry.text = doc.source_id, doc.title[:400], doc.text
            entry.url, entry.date = doc.url, doc.date
            entry.normalised = f"{normalised_title}\n{normalised_text}"
            entries.append(entry)
            tokens.append((index_tokens(normalised_title), index_tokens(normalised_text)))
        new = [e for e in entries if e.pk is None]
        changed = [e for e in entries if e.pk is not None]
        SearchEntry.objects.bulk_create(new)  # both backends return the new ids
        SearchEntry.objects.bulk_update(changed, ["source", "title", "text", "url", "date", "normalised"])
        backend.write([(e, title, body) for e, (title, body) in zip(entries, tokens)])
    return len(docs)


def remove_objects(kind: str, ids: list[int]):
    entries = list(SearchEntry.objects.filter(kind=kind, object_id__in=ids).values_list("pk", flat=True))
    if entries:
        backend_for(connection).delete(entries)
        SearchEntry.objects.filter(pk__in=entries).delete()


def rebuild(batch_size: int = 500) -> int:
    """Drop and rewrite the whole index."""
    backend = backend_for(connection)
    with transaction.atomic():
        backend.clear()
        SearchEntry.objects.all().delete()
        total = 0
        for model in kinds():
            queryset = model.objects.all()
            if hasattr(model, "evidence"):
                queryset = queryset.prefetch_related("evidence")
            else:
                queryset = queryset.select_related("source")
            batch = []
            for obj in queryset.iterator(chunk_size=batch_size):
                batch.append(obj)
                if len(batch) >= batch_size:
                    total += index_objects(batch)
                    batch = []
            total += index_objects(batch)
    return total
