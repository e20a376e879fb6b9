"""The search's source filter takes all of a record's evidence into account, not just the first
passage (issue 13, item 4): a record evidenced in sources A and B is shown under A (its first
evidence) and found when filtering by A or by B, never by a source it has no evidence in. On
both backends (the suite runs on SQLite and on PostgreSQL), by the index-only path (one token)
and by the path that reads the entries (a longer literal, or ordered by date)."""

import datetime

import pytest
from django.urls import reverse

from apps.kb.models import Passage, Project, Source
from apps.search.engine import search
from apps.search.models import SearchEntry

pytestmark = pytest.mark.django_db

# 渝昆 is one index token (answered from the index alone on SQLite); 渝昆高铁川渝段 is checked
# for containment against the entries; ordering by date reads the entries too.
SEARCHES = [("渝昆", "relevance"), ("渝昆高铁川渝段", "relevance"), ("渝昆", "date")]


def source(slug, title, text, year):
    # Dated sources: the first evidence is the newest source's (Passage.Meta.ordering), on
    # both backends alike (they sort undated sources differently).
    made = Source.objects.create(slug=slug, title=title, text=text, published=datetime.date(year, 1, 1))
    Passage.objects.create(source=made, position=1, text=text)
    return made


@pytest.fixture
def sources(small_plan):
    a = source("a", "甲文", "渝昆高铁川渝段开工建设。", 2022)
    b = source("b", "乙文", "渝昆高铁川渝段完成投资。", 2021)
    c = source("c", "丙文", "泸州港集装箱吞吐量增长。", 2020)
    project = Project.objects.create(slug="p", name="渝昆高铁川渝段（测试）", description="渝昆高铁川渝段")
    project.evidence.add(a.passages.get())
    return {"a": a, "b": b, "c": c, "project": project}


def projects(q, source_id, order="relevance"):
    return {r.id for r in search(q, kinds=["project"], source_id=source_id, order=order, limit=100).results}


def entry(record):
    return SearchEntry.objects.get(kind="project", object_id=record.pk)


@pytest.mark.parametrize(("q", "order"), SEARCHES)
def test_a_record_is_found_under_every_source_it_is_evidenced_in(sources, q, order):
    project, a, b, c = sources["project"], sources["a"], sources["b"], sources["c"]
    project.evidence.add(b.passages.get())
    assert entry(project).source_id == a.pk  # shown under its first evidence, as before
    assert project.pk in projects(q, a.pk, order)
    assert project.pk in projects(q, b.pk, order)  # the second source's filter finds it too
    assert project.pk not in projects(q, c.pk, order)  # no evidence in C: never under it


@pytest.mark.parametrize(("q", "order"), SEARCHES)
def test_adding_and_removing_evidence_moves_the_record_in_and_out_of_a_source(sources, q, order):
    project, b = sources["project"], sources["b"]
    assert project.pk not in projects(q, b.pk, order)
    project.evidence.add(b.passages.get())
    assert project.pk in projects(q, b.pk, order)
    project.evidence.remove(b.passages.get())
    assert project.pk not in projects(q, b.pk, order)
    assert project.pk in projects(q, sources["a"].pk, order)


def test_evidence_changed_from_the_passage_side_moves_the_record_too(sources):
    project, b = sources["project"], sources["b"]
    passage = b.passages.get()
    passage.projects.add(project)
    assert project.pk in projects("渝昆", b.pk)
    passage.projects.clear()  # sends no ids of the records it unlinks
    assert project.pk not in projects("渝昆", b.pk)
    assert project.pk in projects("渝昆", sources["a"].pk)


def test_a_passage_moved_to_another_source_moves_the_records_citing_it(sources):
    project, a, c = sources["project"], sources["a"], sources["c"]
    project.evidence.add(sources["b"].passages.get())
    passage = Passage.objects.get(pk=a.passages.get().pk)  # as the admin reads it
    passage.source = c
    passage.position = 2
    passage.save()
    assert project.pk in projects("渝昆", c.pk)
    assert project.pk not in projects("渝昆", a.pk)


def test_deleting_the_shown_source_keeps_the_record_under_its_other_source(sources):
    project, a, b = sources["project"], sources["a"], sources["b"]
    project.evidence.add(b.passages.get())
    deleted = a.pk
    a.delete()
    assert entry(project).source_id == b.pk  # now shown under the source it still has
    assert entry(project).source_ids == [b.pk]
    assert project.pk in projects("渝昆", b.pk)
    assert project.pk in projects("渝昆高铁川渝段", b.pk)
    assert project.pk not in projects("渝昆", deleted)


@pytest.mark.parametrize("cap", [10_000, 1])
def test_counts_with_a_source_follow_every_source(sources, settings, cap):
    # cap 1: the counts pass the cap, and each kind is counted on its own (another query).
    settings.SEARCH_COUNT_CAP = cap
    project, b, c = sources["project"], sources["b"], sources["c"]
    project.evidence.add(b.passages.get())
    for q in ("渝昆", "渝昆高铁川渝段"):
        counts = search(q, source_id=b.pk).counts
        assert counts.get("project") == 1, q
        assert counts.get("passage") == 1, q  # B's own passage
        assert search(q, source_id=c.pk).counts.get("project", 0) == 0, q


def test_search_page_lists_and_counts_a_record_under_its_second_source(sources, client):
    project, b, c = sources["project"], sources["b"], sources["c"]
    project.evidence.add(b.passages.get())
    body = client.get(reverse("search:search"), {"q": "渝昆", "source": b.pk, "kind": "project"}).content.decode()
    assert project.name in body
    body = client.get(reverse("search:search"), {"q": "渝昆", "source": c.pk, "kind": "project"}).content.decode()
    assert project.name not in body
    data = client.get(reverse("search:api"), {"q": "渝昆", "source": b.pk}).json()
    assert data["counts"]["project"] == 1


def test_the_migration_rebuilds_an_index_made_before_it(sources):
    """Migration 0006 on an existing database: entries indexed under their first source only
    (no source_ids; SQLite facets with one token, PostgreSQL vectors with none) are rebuilt."""
    import importlib
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import connection

    project, b = sources["project"], sources["b"]
    project.evidence.add(b.passages.get())
    SearchEntry.objects.update(source_ids=[])
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("UPDATE search_fts SET facets = 'k' || (SELECT kind FROM search_searchentry e "
                           "WHERE e.id = search_fts.rowid) || coalesce((SELECT ' s' || source_id FROM "
                           "search_searchentry e WHERE e.id = search_fts.rowid), '')")
        else:
            cursor.execute("UPDATE search_searchentry SET vector = ts_filter(vector, '{a,b}')")  # positionless go
    assert project.pk not in projects("渝昆", b.pk)  # the old index: under its first source only
    migration = importlib.import_module("apps.search.migrations.0006_reindex_every_source")
    with connection.cursor() as cursor:
        migration.reindex(apps, SimpleNamespace(connection=connection, execute=cursor.execute))
    assert project.pk in projects("渝昆", b.pk)
    assert project.pk not in projects("渝昆", sources["c"].pk)
    assert entry(project).source_ids == [sources["a"].pk, b.pk]


def test_an_entry_is_filtered_by_its_shown_source_first_then_the_others_once_each():
    from apps.search.index import SearchDocument, sources_of

    doc = SearchDocument(title="t", text="", url="/", source_id=5, source_ids=(7, 5, 3, 7))
    assert sources_of(doc) == [5, 3, 7]
    assert sources_of(SearchDocument(title="t", text="", url="/", source_id=None)) == []
    assert sources_of(SearchDocument(title="t", text="", url="/", source_id=4)) == [4]  # a passage
