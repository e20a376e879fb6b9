"""Counts capped, pages ranked without scoring every hit (issue 14, item 1).

The cap and the candidate bound are settings, set small here so the seed plan passes them."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.numerals import count_display
from apps.core.text import normalise
from apps.kb.models import Passage, Project, Source
from apps.search.engine import name_matches, search
from apps.search.index import kind_labels
from apps.search.models import SearchEntry

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("n", "exact", "shown"),
    [
        (10000, False, "1万+"),
        (20000, False, "2万+"),
        (5, False, "5+"),
        (12345, False, "12345+"),
        (42, True, "42"),
        (10000, True, "10000"),
        (0, True, "0"),
    ],
)
def test_count_display(n, exact, shown):
    assert count_display(n, exact) == shown


def passages_with(q):
    needle = normalise(q)
    return {p.pk for p in Passage.objects.all() if needle in normalise(p.text)}


@pytest.mark.parametrize("q", ["泸州", '"成渝地区"', "泸州 发展"])
def test_counts_stop_at_the_cap_and_say_so(plan, settings, q):
    expected = len(passages_with(q.strip('"').split()[0]))
    assert expected > 5
    settings.SEARCH_COUNT_CAP = 5
    page = search(q)
    assert page.counts["passage"] == 5 and "passage" in page.capped
    assert not page.count_is_exact and page.count_display("passage") == "5+"


def test_counts_below_the_cap_are_exact(plan, settings):
    settings.SEARCH_COUNT_CAP = 5
    page = search("渝昆高铁", kinds=["project"])
    assert page.counts["project"] == 1 and "project" not in page.capped
    settings.SEARCH_COUNT_CAP = 10_000
    page = search("泸州")
    assert page.count_is_exact and page.counts["passage"] == len(passages_with("泸州"))
    assert page.count_display() == str(page.count)


def test_api_says_whether_the_count_is_exact(plan, client, settings):
    url = reverse("search:api")
    data = json.loads(client.get(url, {"q": "泸州"}).content)
    assert data["count_is_exact"] is True and data["count"] == sum(data["counts"].values())
    settings.SEARCH_COUNT_CAP = 5
    data = json.loads(client.get(url, {"q": "泸州", "kind": "passage"}).content)
    assert data["count"] == 5 and data["count_is_exact"] is False
    assert data["counts_exact"]["passage"] is False
    assert len(data["results"]) == 20  # the page is not cut to the cap's count


def test_search_page_shows_the_capped_count(plan, client, settings):
    settings.SEARCH_COUNT_CAP = 5
    body = client.get(reverse("search:search"), {"q": "泸州"}).content.decode()
    assert "+ 条结果" in body  # all kinds: the sum of the kinds' counts, with a plus and "原文段落（5+）" in body
    settings.SEARCH_COUNT_CAP = 10_000
    body = client.get(reverse("search:search"), {"q": "泸州"}).content.decode()
    assert "+ 条结果" not in body and "+）" not in body


def test_a_bounded_candidate_set_still_ranks_the_name_first(plan, settings):
    settings.SEARCH_RANK_CANDIDATES = 1
    page = search("渝昆高铁", limit=1)  # candidates: max(bound, the page's end) = 1 per kind
    assert page.counts["passage"] > 1 and page.counts["milestone"] > 1  # so both are bounded
    assert page.results[0].kind in {"project", "milestone"}
    # the record named by the query is the answer shown first (the search page's card)
    project = Project.objects.get(name__in=["渝昆高鐵川渝段", "渝昆高铁川渝段"])
    assert name_matches("渝昆高铁川渝段")[0] == ("project", project.pk)


@pytest.mark.parametrize("q", ["泸", "泸州", "经济圈", '"成渝地区"', "泸州 合作", "发展 -泸州"])
def test_a_bounded_candidate_set_finds_only_hits(plan, settings, q):
    settings.SEARCH_RANK_CANDIDATES = 3
    page = search(q, kinds=["passage"], limit=2)
    literal = q.strip('"').split()[0]
    assert page.results and all(literal in normalise(r.text) for r in page.results)
    if "-" in q:
        assert all("泸州" not in normalise(r.text) for r in page.results)
    # the most recent hits are the candidates: the page is within them, not a random sample
    assert len(page.results) == min(2, page.counts["passage"])


def test_without_the_bound_the_page_is_ranked_over_every_hit(plan, settings):
    everything = [r.id for r in search("泸州", kinds=["passage"], limit=1000).results]
    settings.SEARCH_RANK_CANDIDATES = 10_000
    assert [r.id for r in search("泸州", kinds=["passage"], limit=1000).results] == everything


def test_capped_counts_agree_with_uncapped_counts_per_kind(plan, settings):
    for q in ["泸州", "发展", '"成渝地区"']:
        full = search(q).counts
        settings.SEARCH_COUNT_CAP = 2
        page = search(q)
        settings.SEARCH_COUNT_CAP = 10_000
        assert page.counts == {kind: min(n, 2) for kind, n in full.items()}, q
        assert page.capped == {kind for kind, n in full.items() if n > 2}, q


def test_a_kind_that_fills_the_count_sample_is_not_counted_again(plan, settings):
    # A query with an excluded word, which the index alone cannot answer, is counted by the shared
    # SQL on both databases: first a sample of cap + 1 hits, then each kind the sample leaves open.
    source = Source.objects.create(slug="sample", title="样本", text="甲乙丙丁。")
    for i in range(5):
        Passage.objects.create(source=source, position=i + 1, text=f"第{i}段写到甲乙丙丁。")
    # Passages alone hit: a hit of another kind could be among the sample's cap + 1, which are the
    # first found in the table's physical order (not the order written), and leave passages at the cap.
    Project.objects.create(slug="sample-2", name="甲乙丙丁戊工程")  # excluded
    settings.SEARCH_COUNT_CAP = 3
    with CaptureQueriesContext(connection) as queries:
        page = search('"甲乙丙丁" -戊')
    assert page.counts == {"passage": 3} and page.capped == {"passage"}
    counted = [x["sql"] for x in queries if "COUNT(*)" in x["sql"] and "甲乙" in x["sql"]]  # (not kind sizes)
    # the sample, then every kind but passages, in one statement
    assert len(counted) == 2 and counted[1].count("COUNT(*)") == len(kind_labels()) - 1
    assert "'passage'" not in counted[1]
    # each of those kinds counted up to the cap: as many as its entries that contain the query
    for kind in kind_labels():
        found = (SearchEntry.objects.filter(kind=kind, normalised__contains="甲乙丙丁")
                 .exclude(normalised__contains="戊").count())
        assert page.count_of(kind) == (min(found, 3), found <= 3)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite counts each kind from its FTS5 index")
def test_sqlite_counts_every_kind_in_one_statement(plan, settings):
    settings.SEARCH_COUNT_CAP = 2
    with CaptureQueriesContext(connection) as queries:
        page = search("高铁")
    counted = [x["sql"] for x in queries if "COUNT(*)" in x["sql"]]
    assert len(counted) == 1 and counted[0].count("COUNT(*)") == len(kind_labels())
    # Each kind counted on its own, up to the cap: as many as its entries that contain the query.
    for kind in kind_labels():
        found = SearchEntry.objects.filter(kind=kind, normalised__contains="高铁").count()
        assert page.count_of(kind) == (min(found, 2), found <= 2)
    assert page.capped == {"milestone"} and page.counts["milestone"] == 2
