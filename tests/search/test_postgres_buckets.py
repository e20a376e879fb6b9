"""PostgreSQL's capped count tries the newest ids first: each entry's vector holds its bucket of
ids as a lexeme, and when the newest buckets hold more hits than the cap, the table does too
(GIN's bitmap is built from their hits alone). Buckets of four ids here (BUCKET_BITS = 2)."""

import importlib
import math

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.kb.models import Passage, Project, Source
from apps.search.backends import backend_for, sizes
from apps.search.backends.postgres import newest_buckets
from apps.search.engine import search
from apps.search.models import SearchEntry
from apps.search.query import parse_query

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's vectors"),
    pytest.mark.django_db,
]


@pytest.fixture(autouse=True)
def small_buckets(monkeypatch, settings):
    monkeypatch.setattr("apps.search.backends.postgres.BUCKET_BITS", 2)
    settings.SEARCH_COUNT_CAP = 2


def add_passages(texts):
    source = Source.objects.create(slug=f"b{Source.objects.count()}", title="分桶", text="。".join(texts))
    for i, text in enumerate(texts, 1):
        Passage.objects.create(source=source, position=i, text=text)


def lexemes() -> dict[int, list[str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, tsvector_to_array(vector) FROM search_searchentry")
        return {pk: [x for x in words if x.startswith("#b")] for pk, words in cursor.fetchall()}


def samples(queries) -> dict[str, bool | int]:
    """Of the count samples run: how many read the buckets first, how many the whole table, and
    whether the older ids were read after the newest buckets (the statement run again under
    EXPLAIN ANALYZE: the scan of the older ids' index key ran or not)."""
    counted = [x["sql"] for x in queries if "GROUP BY kind" in x["sql"]]
    buckets = [s for s in counted if "#b" in s]
    older_read = False
    for sql in buckets:
        plan = backend_for(connection).fetch(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", [], stops_early=True)[0][0]
        nodes = [plan[0]["Plan"]]
        while nodes:
            node = nodes.pop()
            nodes += node.get("Plans", [])
            # the older ids' key, folded by the planner: '...' & !'#b3', or & !( '#b3' | '#b2' )
            cond = node.get("Index Cond", "")
            if node["Node Type"] == "Bitmap Index Scan" and "#b" in cond and "!" in cond:
                older_read = older_read or node["Actual Loops"] > 0
    return {"buckets": len(buckets), "older read": older_read, "whole": len(counted) - len(buckets)}


@pytest.mark.parametrize(("first", "last", "expected"), [
    (1, 15, ("'#b3'", 4)),  # the newest four ids, 12-15, fill bucket 3
    (1, 14, ("'#b3' | '#b2'", 7)),  # 11-14: buckets 2 and 3, ids 8-14
    (5, 6, None),  # every id is in the newest buckets: nothing to read first
    (9, 14, None),
    (0, 0, None),  # no entries
])
def test_the_newest_buckets_hold_the_newest_ids(first, last, expected):
    assert newest_buckets(first, last) == expected


@pytest.mark.parametrize(("ids", "expected"), [
    (2, ("'#b3'", 4)),
    (5, ("'#b3' | '#b2'", 8)),
    (9, ("'#b3' | '#b2' | '#b1'", 12)),
    (13, None),  # ids 3-15: every bucket of ids 1-15
])
def test_the_fewest_newest_buckets_that_hold_so_many_ids(ids, expected):
    assert newest_buckets(1, 15, ids) == expected


def candidates(q, hits):
    """The ids ranked_sql ranks for ``q`` with a bound of 2 and ``hits`` counted, and the buckets
    it read them from (None: walked or read from every hit)."""
    backend = backend_for(connection)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_searchentry")  # the rows the plan is chosen by
    sql, params = backend.ranked_sql(parse_query(q), ["passage"], None, 2, hits)
    buckets = next((p for p in params if isinstance(p, str) and "#b" in p), None)
    return sorted(pk for pk, _ in backend.fetch(sql, params, stops_early=True)), buckets


@pytest.mark.parametrize(("every", "read_from"), [(5, "buckets"), (1, "walk")])
def test_a_kinds_most_recent_candidates_come_from_the_fewest_buckets_that_should_hold_them(every, read_from):
    # One passage in five: 2 candidates are expected within the newest 1.5 × 2 × 5 = 15 ids (four or
    # five buckets), fewer rows than walking the ids down (10); in every passage, the walk reads 2.
    add_passages([f"第{i}段说{'癸' if i % every == 0 else '别的'}。" for i in range(60)])
    hits = SearchEntry.objects.filter(kind="passage", normalised__contains="癸").order_by("-pk")
    first, last = backend_for(connection).id_range()
    found, buckets = candidates("癸", hits.count())
    assert found == sorted(hits.values_list("pk", flat=True)[:2])  # the two most recent, either way
    if read_from == "buckets":
        assert buckets == newest_buckets(first, last, math.ceil(1.5 * 2 * (last - first + 1) / hits.count()))[0]
        assert buckets.count("#b") < (last >> 2) - (first >> 2) + 1  # not every bucket
    else:
        assert buckets is None


def test_every_entry_holds_its_bucket_of_ids():
    add_passages(["甲乙写在这里。", "丙丁写在那里。"])
    found = lexemes()
    assert found and found == {pk: [f"#b{pk >> 2}"] for pk in found}


def test_newest_ids_with_more_hits_than_the_cap_answer_the_count_alone():
    add_passages([f"第{i}段说甲乙。" for i in range(12)])
    with CaptureQueriesContext(connection) as queries:
        page = search("甲乙")
    assert page.counts == {"passage": 2} and page.capped == {"passage"}
    assert samples(queries) == {"buckets": 1, "older read": False, "whole": 0}


@pytest.mark.parametrize("without_buckets", [False, True])
def test_hits_among_older_ids_only_are_counted_in_what_the_cap_leaves(settings, without_buckets):
    add_passages([f"第{i}段说丙丁。" for i in range(6)] + [f"第{i}段说别的。" for i in range(9)])
    if without_buckets:  # as indexed before the buckets: every entry counted among the older ids
        with connection.cursor() as cursor:
            cursor.execute("UPDATE search_searchentry SET vector = ts_delete(vector, "
                           "ARRAY(SELECT w FROM unnest(tsvector_to_array(vector)) AS w WHERE w LIKE '#b%%'))")
        assert not any(lexemes().values())
    with CaptureQueriesContext(connection) as queries:
        page = search("丙丁")
    assert page.counts == {"passage": 2} and page.capped == {"passage"}
    assert samples(queries) == {"buckets": 1, "older read": True, "whole": 0}
    settings.SEARCH_COUNT_CAP = 100
    assert search("丙丁").counts == {"passage": 6}


@pytest.mark.parametrize("q", ["戊己", "庚", "戊己 庚"])
def test_hits_on_both_sides_are_counted_once_and_ranked_as_one_sample(settings, monkeypatch, q):
    # Hits among the older and the newest ids, fewer than the cap: the two samples make one, whose
    # newest ids (the newest buckets' first) give the candidates, as a sample of the whole table does.
    settings.SEARCH_COUNT_CAP, settings.SEARCH_RANK_CANDIDATES = 100, 3
    add_passages([f"第{i}段说戊己{'庚' * (i % 3)}。" for i in range(7)] + ["别的。"] * 3
                 + [f"又第{i}段说庚戊己。" for i in range(5)])
    with CaptureQueriesContext(connection) as queries:
        page = search(q, kinds=["passage"], limit=2)
    assert samples(queries) == {"buckets": 1, "older read": True, "whole": 0}
    monkeypatch.setattr("apps.search.backends.postgres.newest_buckets", lambda first, last: None)
    with CaptureQueriesContext(connection) as queries:
        whole = search(q, kinds=["passage"], limit=2)
    assert samples(queries) == {"buckets": 0, "older read": False, "whole": 1}
    expected = SearchEntry.objects.filter(kind="passage")
    for term in q.split():
        expected = expected.filter(normalised__contains=term)
    assert page.counts == whole.counts == {"passage": expected.count()}
    assert [(r.id, round(r.score, 6)) for r in page.results] == [(r.id, round(r.score, 6)) for r in whole.results]
    assert page.results


def test_the_migration_gives_vectors_written_before_it_their_buckets():
    add_passages(["甲乙写在这里。", "丙丁写在那里。", "戊己写在别处。"])
    expected = lexemes()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE search_searchentry SET vector = ts_delete(vector, "
                       "ARRAY(SELECT w FROM unnest(tsvector_to_array(vector)) AS w WHERE w LIKE '#b%%'))")
    migration = importlib.import_module("apps.search.migrations.0009_vector_buckets")
    with connection.schema_editor() as editor:
        migration.add_buckets(None, editor)
    assert lexemes() == expected
    assert SearchEntry.objects.count() == len(expected)


def candidate_scans(queries) -> int:
    """How many statements looked for a kind's most recent hits (not taking them from the count)."""
    return sum("ORDER BY e.id" in x["sql"] for x in queries)


@pytest.mark.parametrize(("newest_hits", "found_again"), [(True, False), (False, True)])
def test_past_the_cap_a_kind_read_whole_in_the_newest_buckets_is_ranked_from_them(
        settings, monkeypatch, newest_hits, found_again):
    # Twelve passages with the word (and, when the newest buckets must not hold enough of them,
    # three newer without it), and an older project with it; a cap the newest buckets stay under.
    Project.objects.create(slug="old", name="己庚工程")
    add_passages([f"第{i}段说己庚。" for i in range(12)] + ([] if newest_hits else ["别的。"] * 3))
    settings.SEARCH_COUNT_CAP, settings.SEARCH_RANK_CANDIDATES = 8, 3 if newest_hits else 5
    with CaptureQueriesContext(connection) as queries:
        page = search("己庚", limit=3)
    assert samples(queries) == {"buckets": 1, "older read": True, "whole": 0}
    assert page.capped == {"passage"} and page.counts["project"] == 1
    # The passages' candidates taken from the newest buckets' sample, or found again when it held
    # fewer than the pool: either way the page a count that kept nothing gives.
    assert candidate_scans(queries) == found_again
    monkeypatch.setattr("apps.search.backends.postgres.PostgresBackend.past_the_cap",
                        staticmethod(lambda sample, counts: counts))
    with CaptureQueriesContext(connection) as queries:
        again = search("己庚", limit=3)
    assert candidate_scans(queries) == 1
    assert [(r.kind, r.id, round(r.score, 6)) for r in page.results] == \
        [(r.kind, r.id, round(r.score, 6)) for r in again.results]
    assert {r.kind for r in page.results} == {"passage", "project"}


def test_the_older_ids_sample_makes_room_for_the_smaller_kinds(monkeypatch, settings):
    # The oldest hit is a project's: without room for it, the sample's passages stayed at the cap
    # and passages were counted again over the whole table.
    sizes.kind_sizes.forget()  # counted from this test's entries
    Project.objects.create(slug="old", name="辛壬工程")
    add_passages([f"第{i}段说辛壬。" for i in range(12)])
    settings.SEARCH_COUNT_CAP = 8
    with CaptureQueriesContext(connection) as queries:
        page = search("辛壬")
    assert page.counts == {"passage": 8, "project": 1} and page.capped == {"passage"}
    assert samples(queries) == {"buckets": 1, "older read": True, "whole": 0}
    assert not [x["sql"] for x in queries if "IN ('passage')" in x["sql"]]
