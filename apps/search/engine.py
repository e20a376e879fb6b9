"""Searching: a user's query string in, a page of results with snippets and counts out.
The one entry point for the search page, the JSON API and the admin."""

from dataclasses import dataclass, field

from django.conf import settings
from django.db import connections, router

from apps.core.numerals import count_display
from apps.core.text import name_key

from .backends import backend_for
from .highlight import snippet
from .index import kind_labels
from .models import SearchEntry
from .query import Query, parse_query

ORDERS = ("relevance", "date")


@dataclass
class Result:
    kind: str
    id: int
    title: str
    url: str
    snippet: str
    text: str
    score: float
    date: object = None

    @property
    def kind_label(self):
        return kind_labels().get(self.kind, self.kind)


def reading() -> str:
    """The database alias searches read: a replica when there are any (luzhou_kb/routers.py)."""
    return router.db_for_read(SearchEntry)


def count_cap() -> int:
    return settings.SEARCH_COUNT_CAP


@dataclass
class SearchPage:
    query: Query
    results: list[Result] = field(default_factory=list)
    # Per kind, the hits counted: exact up to the cap; a kind in ``capped`` has more than its count.
    counts: dict[str, int] = field(default_factory=dict)
    capped: set[str] = field(default_factory=set)

    @property
    def count(self):
        return sum(self.counts.values())

    @property
    def count_is_exact(self) -> bool:
        return not self.capped

    def count_of(self, kind: str = "") -> tuple[int, bool]:
        """(count, exact) of one kind, or of all kinds when ``kind`` is empty."""
        if kind:
            return self.counts.get(kind, 0), kind not in self.capped
        return self.count, self.count_is_exact

    def count_display(self, kind: str = "") -> str:
        return count_display(*self.count_of(kind))


def search(raw: str, *, kinds=(), source_id=None, order="relevance", limit=20, offset=0) -> SearchPage:
    query = parse_query(raw)
    if not query:
        return SearchPage(query)
    alias = reading()
    backend = backend_for(connections[alias])
    cap = count_cap()
    found = backend.counts(query, source_id=source_id, cap=cap, kinds=tuple(kind_labels()))
    counts = {kind: min(n, cap) for kind, n in found.items()}
    capped = {kind for kind, n in found.items() if n > cap}
    hits = backend.search(query, kinds=kinds, source_id=source_id, order=order, limit=limit, offset=offset,
                          counts=found, candidates=settings.SEARCH_RANK_CANDIDATES)
    entries = SearchEntry.objects.using(alias).shown([h.id for h in hits])
    results = []
    # Each hit shows its own window: never one another hit shows, unless their texts are the same.
    taken: set[str] = set()
    shown: dict[str, str] = {}
    for hit in hits:
        e = entries.get(hit.id)
        if e is None:  # deleted between the two queries
            continue
        text = e.text or e.title
        if text not in shown:
            shown[text] = snippet(text, query.terms, taken=taken)
        results.append(Result(
            kind=e.kind, id=e.object_id, title=e.title, url=e.url, text=e.text,
            snippet=shown[text], score=hit.score, date=e.date,
        ))
    return SearchPage(query, results, counts, capped)


def matching_ids(raw: str, kind: str, limit: int = 10000) -> list[int]:
    """Object ids of one kind that match (for the admin's search box)."""
    query = parse_query(raw)
    if not query:
        return []
    alias = reading()
    hits = backend_for(connections[alias]).search(query, kinds=[kind], limit=limit)
    entries = SearchEntry.objects.using(alias).filter(pk__in=[h.id for h in hits])
    return list(entries.values_list("object_id", flat=True))


def name_matches(raw: str, kinds=(), limit: int = 50, prefix: bool = False) -> list[tuple[str, int]]:
    """(kind, object id) of the records (of ``kinds``, or any) whose name is the query itself
    (with ``prefix``: begins with it), in either script: a lookup of the entries' name keys,
    in the order the kinds are declared, then the first recorded. It was a ranked search over
    the record kinds, whose index walk read every passage that contains the query too (15–23 ms
    for one character at 10⁵ passages on SQLite, on every search page)."""
    key = name_key(raw)
    if not key:
        return []
    found = SearchEntry.objects.using(reading()).named(key, kinds=kinds, prefix=prefix)
    order = {kind: i for i, kind in enumerate(kind_labels())}
    rows = found.order_by("object_id").values_list("kind", "object_id")[:limit]
    return sorted(rows, key=lambda m: (order.get(m[0], len(order)), m[1]))
