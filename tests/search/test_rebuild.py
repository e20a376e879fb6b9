"""The index kept by edits is the index a rebuild writes; rebuilding with two segmenting
processes writes the same one as with one (issue 14, item 4)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from apps.kb.models import Passage, Project, Source
from apps.search.engine import search
from apps.search.index import rebuild
from apps.search.models import SearchEntry

pytestmark = pytest.mark.django_db


def snapshot() -> dict:
    """(kind, object id) → what is shown and what is indexed, for every entry."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT id, vector::text FROM search_searchentry")
        else:
            cursor.execute("SELECT rowid, title || '|' || body || '|' || facets FROM search_fts")
        indexed = dict(cursor.fetchall())
    return {
        (e.kind, e.object_id): (e.title, e.text, e.url, e.date, e.source_id, e.source_ids, e.normalised,
                                e.name, indexed.get(e.pk))
        for e in SearchEntry.objects.all()
    }


def test_an_index_kept_by_edits_equals_a_rebuilt_one(plan):
    source = Source.objects.get()
    project = Project.objects.get(slug="渝昆高铁川渝段")
    project.name = "渝昆高铁川渝段（改）"
    project.description = "新增的描述文字"
    project.save()
    passage = Passage.objects.filter(source=source).order_by("position").first()
    passage.text = passage.text + "补充一句话。"
    passage.save()
    Passage.objects.create(source=source, position=990, text="新加的一段：泸州港 café S33")
    Passage.objects.filter(source=source).order_by("-position")[1].delete()
    # Evidence from a second source: the record is indexed under both (its facets change, its
    # shown source does not); and a record evidenced in the second source alone.
    other = Source.objects.create(slug="other", title="另一篇", text="泸州港扩能。")
    elsewhere = Passage.objects.create(source=other, position=1, text="泸州港扩能。")
    project.evidence.add(elsewhere)
    Project.objects.create(slug="port", name="泸州港扩能").evidence.add(elsewhere)
    assert len(SearchEntry.objects.get(kind="project", object_id=project.pk).source_ids) == 2
    kept = snapshot()
    assert all(row[-1] for row in kept.values())  # every entry has its index row
    call_command("rebuild_search_index", stdout=StringIO())
    rebuilt = snapshot()
    differ = {
        key: [
            (i, a, b) for i, (a, b) in enumerate(zip(kept[key], rebuilt.get(key, (None,) * 9), strict=True)) if a != b
        ]
        for key in kept
        if kept[key] != rebuilt.get(key)
    }
    assert rebuilt == kept, differ


def test_two_jobs_write_the_same_index_as_one(plan):
    rebuild(jobs=1)
    one = snapshot()
    rebuild(jobs=2, batch_size=7)  # small batches: many handed between the processes
    assert snapshot() == one
    assert len(one) == SearchEntry.objects.count() > 50


def test_rebuild_command_takes_jobs(plan):
    out = StringIO()
    call_command("rebuild_search_index", "--jobs", "2", stdout=out)
    assert f"Indexed {SearchEntry.objects.count()} entries." in out.getvalue()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL's counts: test_common_words.py")
def test_common_words_are_not_counted_ahead_on_sqlite(plan):
    before = snapshot()
    out = StringIO()
    call_command("rebuild_search_index", "--common-words", stdout=out)
    assert "nothing to do" in out.getvalue() and snapshot() == before


def test_a_rebuild_that_fails_leaves_the_entries_and_the_index_as_they_were(plan, monkeypatch):
    # The rebuild empties the table at once (TRUNCATE on PostgreSQL, a DELETE without the
    # per-row trigger on SQLite): a failure after it must still give every entry back.
    before = snapshot()
    calls = []

    def failing(title, text):
        calls.append(1)
        if len(calls) > 30:
            raise RuntimeError("tokeniser failed")
        return [], []

    monkeypatch.setattr("apps.search.index.tokens_of", lambda pair: failing(*pair))
    with pytest.raises(RuntimeError, match="tokeniser failed"):
        rebuild(batch_size=10)
    assert len(calls) > 30  # it failed after some batches were written
    assert snapshot() == before
    assert search("渝昆高铁").counts  # and the index still answers


def test_entries_written_in_many_statements_are_the_same(plan, monkeypatch):
    # SQLite writes new entries INSERT_ROWS a statement and matches the returned ids by key: each
    # index row must land on its own entry (a wrong id would show another entry's text indexed).
    rebuild()
    whole = snapshot()
    if connection.vendor == "sqlite":
        monkeypatch.setattr("apps.search.backends.sqlite.SQLiteBackend.INSERT_ROWS", 3)
    rebuild(batch_size=7)
    assert snapshot() == whole


@pytest.mark.skipif(connection.vendor != "sqlite", reason="FTS5's segments")
def test_a_rebuilt_sqlite_index_is_one_segment(plan):
    # A query reads a term from every segment it is in: a rebuild writes many, then merges them.
    rebuild(batch_size=5)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(DISTINCT segid) FROM search_fts_idx")
        assert cursor.fetchone()[0] == 1
    assert search("渝昆高铁").count  # still answers


def test_new_entries_are_made_with_every_field_in_its_place():
    """``_prepare`` makes a new entry from its values by position: SHOWN must follow the model's
    fields after the id, kind and object id (a field added to the model fails here first)."""
    from apps.search.index import SHOWN, _prepare

    assert [f.attname for f in SearchEntry._meta.concrete_fields] == ["id", "kind", "object_id", *SHOWN]
    source = Source.objects.create(slug="s", title="来源", text="泸州港。")
    passage = Passage.objects.create(source=source, position=1, text="泸州港。")
    _, (entry,), _ = _prepare([passage], created=True)
    doc = passage.search_document()
    assert (entry.pk, entry.kind, entry.object_id) == (None, Passage.search_kind, passage.pk)
    assert (entry.source_id, entry.source_ids, entry.text, entry.url) == (source.pk, [source.pk], doc.text, doc.url)
