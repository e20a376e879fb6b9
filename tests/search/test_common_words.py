"""PostgreSQL counts the most common words ahead (apps/search/backends/common_words.py): a search
of one of them looks its count up (past the cap and under it) instead of reading a row per hit. The counts
must equal the index's after every kind of write, and a query they do not answer exactly must
never take them. The cap is small here (6: words in 3 entries or more are counted ahead)."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.kb.models import Passage, Project, Source
from apps.search.backends import backend_for
from apps.search.backends.common_words import COUNTED_FROM, COUNTS_TABLE, CommonWords, counted_words
from apps.search.backends.postgres import PostgresBackend, quote_lexeme
from apps.search.engine import search
from apps.search.index import rebuild
from apps.search.models import SearchEntry
from apps.search.query import parse_query

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's counts"),
    pytest.mark.django_db,
]

CAP = 20  # a word is counted ahead from 2 entries (泸州 has 22 passages: past the cap)


@pytest.fixture(autouse=True)
def counted(plan, settings):
    settings.SEARCH_COUNT_CAP = CAP
    return backend_for(connection).count_common_words()


def table() -> dict[str, dict[str, int]]:
    """word → kind → its count, as the table sums it (kinds whose rows sum to 0 left out)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT word, kind, SUM(n) FROM {COUNTS_TABLE} GROUP BY word, kind")
        rows = cursor.fetchall()
    words: dict[str, dict[str, int]] = {}
    for word, kind, n in rows:
        words.setdefault(word, {})
        if n:
            words[word][kind] = int(n)
    return words


def in_index(word) -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT kind, COUNT(*) FROM search_searchentry WHERE vector @@ CAST(%s AS tsquery) "
                       "GROUP BY kind", [quote_lexeme(word)])
        return dict(cursor.fetchall())


def assert_counts_follow_the_index():
    words = table()
    assert words, "no word counted ahead"
    for word, kinds in words.items():
        assert kinds == in_index(word), word


def test_the_words_in_a_share_of_the_caps_entries_are_counted_from_the_vectors(counted):
    words = table()
    assert counted == len(words) > 0
    assert "泸州" in words and words["泸州"]["passage"] > CAP
    with connection.cursor() as cursor:  # every word in a tenth of the cap's entries, and no other
        cursor.execute("SELECT word FROM ts_stat('SELECT vector FROM search_searchentry') "
                       "WHERE ndoc >= 2 AND left(word, 1) <> '#'")
        assert {word for (word,) in cursor.fetchall()} == set(words)
    assert not any(word.startswith("#") for word in words)  # no bucket or source lexeme
    assert_counts_follow_the_index()


def test_every_write_is_followed(plan):
    source = Source.objects.first()
    before = table()
    # Inserted (COPY), edited (its vector rewritten), deleted: each statement's changes added.
    Passage.objects.create(source=source, position=9001, text="泸州与重庆共建川南渝西融合发展试验区。")
    Passage.objects.create(source=source, position=9002, text="泸州港。")
    assert table()["泸州"]["passage"] == before["泸州"]["passage"] + 2
    edited = Passage.objects.get(position=9001)
    edited.text = "宜宾港。"
    edited.save()
    assert table()["泸州"]["passage"] == before["泸州"]["passage"] + 1
    Passage.objects.filter(position=9002).delete()
    assert_counts_follow_the_index()
    assert table()["泸州"] == before["泸州"]
    # A record's entry (another kind) follows too; a word not counted ahead gets no rows.
    project = Project.objects.first()
    project.name = project.name + "泸州港区"
    project.save()
    assert_counts_follow_the_index()
    assert set(table()) == set(before)


def test_a_rebuild_counts_again_and_folds_each_words_rows(plan):
    Passage.objects.create(source=Source.objects.first(), position=9001, text="泸州港。")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {COUNTS_TABLE} WHERE word = '泸州'")
        assert cursor.fetchone()[0] > 1  # the count and a change
        rebuild()
        cursor.execute(f"SELECT COUNT(*) FROM {COUNTS_TABLE} WHERE word = '泸州'")
        assert cursor.fetchone()[0] == len(in_index("泸州"))  # one row per kind
    assert_counts_follow_the_index()


def test_an_empty_table_follows_nothing_and_is_not_looked_up(plan):
    CommonWords(connection).clear()
    Passage.objects.create(source=Source.objects.first(), position=9001, text="泸州港。")
    assert table() == {}
    search("泸州")  # reads which words are counted (none), once for a while
    with CaptureQueriesContext(connection) as queries:
        search("泸州")
    assert not any(COUNTS_TABLE in q["sql"] for q in queries.captured_queries)
    assert counted_words(connection) == frozenset()


def count_samples(queries) -> int:
    return sum("GROUP BY kind" in q["sql"] and "LIMIT" in q["sql"] for q in queries)


def estimates(queries) -> bool:
    return any(q["sql"].startswith("EXPLAIN") for q in queries)


def test_a_common_word_past_the_cap_is_looked_up_not_counted(plan, settings):
    settings.SEARCH_RANK_CANDIDATES = 2  # fewer than its hits: its most recent are found for ranking
    with CaptureQueriesContext(connection) as queries:
        page = search("泸州", limit=2)
    assert count_samples(queries.captured_queries) == 0
    assert any(COUNTS_TABLE in q["sql"] for q in queries.captured_queries)
    assert not estimates(queries.captured_queries)  # the plan takes the exact count
    assert page.counts["passage"] == CAP and "passage" in page.capped
    # The same page as when it is counted from the index (switched off: the table emptied).
    CommonWords(connection).clear()
    with CaptureQueriesContext(connection) as queries:
        counted = search("泸州", limit=2)
    assert count_samples(queries.captured_queries) == 1 and estimates(queries.captured_queries)
    assert (counted.counts, counted.capped) == (page.counts, page.capped)
    assert [(r.kind, r.id) for r in counted.results] == [(r.kind, r.id) for r in page.results]


def test_a_counted_word_under_the_cap_is_looked_up_too(plan, settings):
    settings.SEARCH_RANK_CANDIDATES = 1  # its most recent hits are found for ranking
    word = next(w for w, kinds in table().items() if sum(kinds.values()) <= CAP)
    with CaptureQueriesContext(connection) as queries:
        page = search(word, limit=2)
    assert count_samples(queries.captured_queries) == 0
    assert page.count_is_exact and not page.capped and page.counts == in_index(word)
    # The same page as when it is counted from the index (switched off: the table emptied).
    CommonWords(connection).clear()
    with CaptureQueriesContext(connection) as queries:
        counted = search(word, limit=2)
    assert count_samples(queries.captured_queries) == 1
    assert (counted.counts, counted.count_is_exact) == (page.counts, True)
    assert [(r.kind, r.id) for r in counted.results] == [(r.kind, r.id) for r in page.results]


def test_a_word_not_counted_ahead_is_counted_from_the_index(plan):
    with connection.cursor() as cursor:  # a Chinese character in fewer entries than that share
        cursor.execute("SELECT word FROM ts_stat('SELECT vector FROM search_searchentry') "
                       "WHERE ndoc < %s AND word ~ '^[一-鿿]$' ORDER BY ndoc DESC, word LIMIT 1", [CAP // COUNTED_FROM])
        (word,) = cursor.fetchone()
    assert word not in table()
    with CaptureQueriesContext(connection) as queries:
        page = search(word)
    assert count_samples(queries.captured_queries) == 1
    assert page.count_is_exact and page.counts == in_index(word)


@pytest.mark.parametrize(
    ("q", "word"),
    [
        ("泸州", "泸州"),
        ("瀘州", "泸州"),  # the Traditional form is the same token
        ("泸州 泸州", "泸州"),
        ('"泸州"', "泸州"),
        ("州", "州"),
        # Not one exact token: two words, a literal of two bigrams (checked against the text),
        # a repeated character's three (one bigram twice, still checked), a Latin run (a prefix),
        # an exclusion.
        ("泸州 重庆", None),
        ("泸州市", None),
        ("发发发", None),
        ("s33", None),
        ("泸州 -重庆", None),
    ],
)
def test_only_a_query_of_one_exact_token_is_answered_by_the_counts(q, word):
    assert PostgresBackend.single_word(parse_query(q)) == word


def test_a_source_filter_is_never_answered_by_the_counts(plan):
    source = Source.objects.first()
    with CaptureQueriesContext(connection) as queries:
        page = search("泸州", source_id=source.pk)
    assert not any(COUNTS_TABLE in q["sql"] for q in queries.captured_queries)
    assert page.counts["passage"] <= CAP


def test_the_command_counts_again_without_rebuilding(plan):
    Passage.objects.create(source=Source.objects.first(), position=9001, text="泸州港。")
    entries = list(SearchEntry.objects.order_by("pk").values_list("pk", flat=True))
    out = StringIO()
    call_command("rebuild_search_index", "--common-words", stdout=out)
    assert out.getvalue().startswith(f"Counted {len(table())} common words ahead.")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {COUNTS_TABLE} GROUP BY word, kind HAVING COUNT(*) > 1")
        assert cursor.fetchall() == []  # each word's rows folded into one a kind
    assert_counts_follow_the_index()
    assert list(SearchEntry.objects.order_by("pk").values_list("pk", flat=True)) == entries  # not rebuilt


def test_the_api_and_the_page_say_so_as_for_any_capped_count(plan, client):
    data = json.loads(client.get(reverse("search:api"), {"q": "泸州"}).content)
    assert data["count_is_exact"] is False and data["counts"]["passage"] == CAP
    assert data["counts_exact"]["passage"] is False
    assert data["counts_exact"]["project"] is True and data["counts"]["project"] == in_index("泸州")["project"]
    body = client.get(reverse("search:search"), {"q": "泸州"}).content.decode()
    assert f"（{CAP}+）" in body and "+ 条结果" in body


def test_a_recount_holds_back_writers_but_not_searches(plan):
    # This test's transaction has counted again (the fixture) and is still open: another
    # connection may read the counts (a search) but not add to them (a writer's trigger).
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SET lock_timeout = '2s'")
            cursor.execute(f"SELECT COUNT(*) FROM {COUNTS_TABLE}")  # read, not waited for
            with pytest.raises(OperationalError, match="lock timeout"):
                cursor.execute(f"INSERT INTO {COUNTS_TABLE} (word, kind, n) VALUES ('泸州', 'passage', 1)")
    finally:
        other.close()
