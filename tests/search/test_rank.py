"""Candidates ranked in Python (apps/search/rank.py) as FTS5's bm25 ranks them, without its walk
of every posting list for the IDF (SQLite's search page)."""

import pytest
from django.db import connection
from django.db.models import Max
from django.test.utils import CaptureQueriesContext

from apps.search.backends import backend_for
from apps.search.engine import search
from apps.search.models import SearchEntry
from apps.search.query import parse_query
from apps.search.rank import bm25, idf

BODY = "泸州推进港口建设，加快发展。"


def test_a_title_hit_ranks_above_the_same_hit_in_the_body():
    scores = bm25({1: f"\n泸州{BODY}", 2: f"泸州\n{BODY}"}, [["泸州"]], [1.0], 10.0, 1.0)
    assert scores[2] > scores[1] > 0


def test_more_occurrences_rank_higher_and_a_longer_text_lower():
    more = bm25({1: "\n泸州港口", 2: "\n泸州港口泸州", 3: "\n港口港口港口港口泸州"}, [["泸州"]], [1.0], 10.0, 1.0)
    assert more[2] > more[1] > more[3]


def test_a_rare_group_weighs_more_than_a_common_one():
    texts = {1: "\n泸州泸州泸州高铁", 2: "\n泸州高铁高铁高铁"}
    scores = bm25(texts, [["泸州"], ["高铁"]], [idf(10**6, 500_000), idf(10**6, 10)], 10.0, 1.0)
    assert scores[2] > scores[1]  # 高铁, the rare one, three times
    assert idf(10**6, 10) > idf(10**6, 10_000) > idf(10**6, 900_000) == 1e-6


def test_alternatives_add_up_and_text_without_the_query_scores_nothing():
    scores = bm25({1: "\n瀘州泸州", 2: "\n泸州", 3: "\n重庆"}, [["泸州", "瀘州"]], [1.0], 10.0, 1.0)
    assert scores[1] > scores[2] > scores[3] == 0.0
    assert bm25({}, [["泸州"]], [1.0], 10.0, 1.0) == {}


# What each database's search page must not rank with, and what it ranks with: FTS5's bm25() first
# walks every query phrase's whole posting list for its IDF; ts_rank_cd's covers of a literal's
# bigrams cost 20 µs a candidate for five of them (the 500 candidates of a six-character phrase
# ranked in 15.6 ms against ts_rank's 6.4 at 10⁵ passages).
RANKED_WITHOUT = {"sqlite": ("bm25(", None), "postgresql": ("ts_rank_cd(", "ts_rank(")}


@pytest.mark.django_db
@pytest.mark.parametrize("q", ["泸州", "渝昆高铁", "\"成渝地区双城\"", "泸州 高铁", "泸州 -高铁"])
def test_the_search_page_ranks_without_the_costly_function(plan, q):
    avoided, used = RANKED_WITHOUT[connection.vendor]
    with CaptureQueriesContext(connection) as queries:
        page = search(q)
    assert page.results
    assert not any(avoided in query["sql"] for query in queries)
    assert used is None or any(used in query["sql"] for query in queries)
    scores = [r.score for r in page.results]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.django_db
def test_each_group_weighs_by_the_entries_that_contain_it(plan):
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL ranks with ts_rank")
    rows = SearchEntry.objects.aggregate(Max("id"))["id__max"]
    hits = [SearchEntry.objects.filter(normalised__contains=term).count() for term in ("泸州", "高铁")]
    assert hits[0] != hits[1] and min(hits) > 0
    weights = backend_for(connection).group_weights(parse_query("泸州 高铁"))
    assert weights == pytest.approx([idf(rows, n) for n in hits])
