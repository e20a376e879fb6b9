"""Searching one kind finds that kind's hits and no other's, however the filter is written: on
SQLite the kind holding most entries (passages) is kept by excluding the other kinds' facet
tokens, the rest by their own token (backends/sqlite.py, ``of_kinds``)."""

import pytest
from django.db import connection

from apps.kb.models import Passage, Source
from apps.search.backends import backend_for, sizes
from apps.search.engine import search
from apps.search.index import kind_labels
from apps.search.models import SearchEntry

pytestmark = pytest.mark.django_db

QUERIES = ["高铁", "泸州", "发展", "川南"]


@pytest.fixture
def fresh_sizes(plan, monkeypatch):
    # Passages the most entries, as in any real database (the plan alone has more records).
    source = Source.objects.create(slug="more", title="更多", text="更多段落。")
    for i in range(60):
        Passage.objects.create(source=source, position=i + 1, text=["川南高鐵", "瀘州發展", "其他"][i % 3] + f"第{i}段。")
    sizes.kind_sizes.forget()  # counted from this test's entries


def test_each_kind_finds_its_own_hits_only(plan, fresh_sizes):
    for kind in kind_labels():
        for q in QUERIES:
            page = search(q, kinds=[kind], limit=1000)
            expected = set(SearchEntry.objects.filter(kind=kind, normalised__contains=q)
                           .values_list("object_id", flat=True))
            assert {r.id for r in page.results} == expected, (kind, q)
            assert {r.kind for r in page.results} <= {kind}
            assert page.counts.get(kind, 0) == len(expected)  # (every kind is counted, for the facets)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's facet tokens")
def test_sqlite_keeps_the_largest_kind_by_excluding_the_others(plan, fresh_sizes):
    backend = backend_for(connection)
    kept = backend.of_kinds("x", ["passage"])
    assert kept.startswith("(x) NOT facets") and '"kpassage"' not in kept
    assert all(f'"k{k}"' in kept for k in kind_labels() if k != "passage")
    assert backend.of_kinds("x", ["project"]) == '(x) AND facets : ("kproject")'
    assert backend.of_kinds("x", list(kind_labels())) == "x"  # every kind: nothing to filter


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's facet tokens")
def test_sqlite_counts_each_kind_only_up_to_a_cap(plan, fresh_sizes, monkeypatch):
    # Enough to tell the largest kind; a full count read the whole kind index once a minute.
    monkeypatch.setattr(sizes, "KIND_SIZE_CAP", 60)
    counted = sizes.kind_sizes(connection)
    assert counted["passage"] == 60 and counted["initiative"] == SearchEntry.objects.filter(kind="initiative").count()
    assert backend_for(connection).of_kinds("x", ["passage"]).startswith("(x) NOT facets")
