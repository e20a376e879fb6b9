"""Where else a record is mentioned: the passages of every document that contain its name or
one of its aliases (either script, as search finds them), other than its own evidence,
grouped by document with counts.

A bounded read, whatever the size of the library: the search engine's literal search (every
passage that contains the name is found, 1–2 characters included, and only those) gives the
passages in two queries, one more counts them by document, and one reads the few passages shown.
"""

from dataclasses import dataclass, field

from django.db.models import F

from apps.core.text import normalise, normalise_aligned
from apps.search.engine import matching_ids

from .models import Passage

PER_DOCUMENT = 5  # passages shown under each document
DOCUMENTS = 20  # documents listed
MAX_PASSAGES = 5000  # passages counted (a name that common is mentioned "5000+" times)
MAX_NAMES = 12
MARGIN = 40  # characters shown either side of the name


@dataclass
class Mention:
    passage: Passage
    before: str
    name: str  # the name as the passage writes it (its script)
    after: str


@dataclass
class DocumentMentions:
    source: object
    count: int
    mentions: list[Mention] = field(default_factory=list)


@dataclass
class Mentions:
    documents: list[DocumentMentions]
    total: int  # passages, in all documents
    document_count: int
    capped: bool  # more passages than were counted
    query: str = ""  # the search that finds them all

    @property
    def more_documents(self) -> int:
        return self.document_count - len(self.documents)


def record_names(record) -> list[str]:
    """The record's name and its aliases, each once (as a normalised name), longest first."""
    names = record.names if hasattr(record, "names") else [getattr(record, "name", "")]
    unique = {}
    for name in names:
        key = normalise(name or "").strip()
        if len(key) >= 2:  # one character would match half the library
            unique.setdefault(key, name.strip())
    return sorted(unique.values(), key=len, reverse=True)[:MAX_NAMES]


def phrase_query(names: list[str]) -> str:
    """ "name one" OR "name two": each name a literal phrase (the query syntax's only quote
    character is dropped from a name; the engine treats everything else in it as text)."""
    return " OR ".join(f'"{name.replace(chr(34), " ")}"' for name in names)


def mentions_of(record) -> Mentions:
    names = record_names(record)
    if not names:
        return Mentions([], 0, 0, False)
    query = phrase_query(names)
    ids = matching_ids(query, "passage", limit=MAX_PASSAGES + 1)
    own = {p.pk for p in record.evidence.all()} if hasattr(record, "evidence") else set()
    rows = list(
        Passage.objects.filter(pk__in=ids[:MAX_PASSAGES])
        .exclude(pk__in=own)
        .order_by(F("source__published").desc(nulls_last=True), "source__title", "source_id", "position")
        .values_list("pk", "source_id")
    )
    counts: dict[int, int] = {}
    shown: dict[int, list[int]] = {}
    for pk, source_id in rows:
        counts[source_id] = counts.get(source_id, 0) + 1
        if len(shown) < DOCUMENTS or source_id in shown:
            if len(shown.setdefault(source_id, [])) < PER_DOCUMENT:
                shown[source_id].append(pk)
    passages = Passage.objects.select_related("source").in_bulk([pk for pks in shown.values() for pk in pks])
    documents = []
    for source_id, pks in shown.items():
        found = [passages[pk] for pk in pks if pk in passages]
        if found:
            documents.append(DocumentMentions(found[0].source, counts[source_id], [excerpt(p, names) for p in found]))
    return Mentions(documents, len(rows), len(counts), len(ids) > MAX_PASSAGES, query)


def excerpt(passage: Passage, names: list[str]) -> Mention:
    """The passage around the first name it contains, cut to MARGIN characters either side, in
    the passage's own script (found on the normalised text, mapped back)."""
    text = passage.text
    normalised, index = normalise_aligned(text)
    for name in names:
        at = normalised.find(normalise(name))
        if at >= 0:
            end = at + len(normalise(name))
            start, stop = index[at], (index[end] if end < len(index) else len(text))
            before = text[max(0, start - MARGIN) : start]
            after = text[stop : stop + MARGIN]
            return Mention(
                passage,
                ("…" if start > MARGIN else "") + before,
                text[start:stop],
                after + ("…" if stop + MARGIN < len(text) else ""),
            )
    return Mention(passage, "", "", text[: 2 * MARGIN] + ("…" if len(text) > 2 * MARGIN else ""))
