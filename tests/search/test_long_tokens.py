"""Index and query tokens stay short in bytes on both databases (PostgreSQL refuses a lexeme or
a tsquery word over 2047 bytes), and literal recall inside long runs of letters stays exact."""

import json
import random
import string
from collections import Counter

import pytest
from django.urls import reverse

from apps.core.text import normalise
from apps.kb.models import Passage
from apps.search.engine import search
from apps.search.query import MAX_QUERY_BYTES, parse_query
from apps.search.text import MAX_DOCUMENT_INDEX_BYTES, MAX_TOKEN_BYTES, index_size, index_tokens, literal_tokens

pytestmark = pytest.mark.django_db

# Letters in no pattern, so that no piece of the run repeats elsewhere in it.
RUN = "".join(random.Random(9).choices(string.ascii_lowercase, k=2100))


def passage_ids(q):
    return {r.id for r in search(q, kinds=["passage"], limit=100).results}


def test_a_passage_with_a_2100_letter_run_is_saved_and_found(small_plan):
    passage = Passage.objects.create(source=small_plan["source"], position=3, text=f"附件编码{RUN}。泸州")
    assert passage_ids(RUN) == {passage.pk}  # the query keeps its first 500 characters
    for start, end in [(0, 24), (5, 30), (777, 1200), (1000, 1003), (2090, 2100), (100, 101)]:
        assert passage_ids(RUN[start:end]) == {passage.pk}, (start, end)
    assert passage_ids(RUN[700:1100] + "x") == set()  # not in the text: the containment check holds


def test_the_admin_saves_a_passage_with_a_long_run(small_plan, client, superuser):
    client.force_login(superuser)
    passage = small_plan["passages"][0]
    response = client.post(reverse("admin:kb_passage_change", args=[passage.pk]), {
        "source": passage.source_id, "position": passage.position, "kind": passage.kind, "section": "",
        "text": f"瀘州{RUN}", "base_version": passage.version,
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    assert passage_ids(RUN[300:700]) == {passage.pk}


@pytest.mark.parametrize("q", ["㌀" * 171, "㌀" * 500, "ﷺ" * 300, "a" * 5000, "ﬃ" * 500])
def test_queries_that_nfkc_expands_are_answered(small_plan, client, q):
    response = client.get(reverse("search:api"), {"q": q})
    assert response.status_code == 200 and json.loads(response.content)["count"] == 0


@pytest.mark.parametrize("q", ["㌀" * 500, "ﷺ" * 500, "泸州" * 250, "a" * 500, '"' + "㌀" * 400 + '"'])
def test_a_query_is_bounded_in_bytes_after_normalisation(q):
    query = parse_query(q)
    assert sum(len(term.encode()) for term in query.terms + query.excluded) <= MAX_QUERY_BYTES
    assert all(len(token.encode()) <= MAX_TOKEN_BYTES for term in query.terms for token in literal_tokens(term))


def test_500_typed_chinese_characters_are_not_cut():
    assert parse_query("泸" * 500).terms == ["泸" * 500]


@pytest.mark.parametrize("text", ["㌀" * 3000, "a" * 5000, "𠀀" * 1000, "Ж" * 3000, "ﷺ" * 200, "泸州" * 2000])
def test_every_index_token_is_short_in_bytes(text):
    assert all(len(token.encode()) <= MAX_TOKEN_BYTES for token in index_tokens(normalise(text)))


def test_a_passage_too_big_for_one_index_row_is_saved_and_its_start_found(small_plan):
    # 60,000 random letters are 1.4 MB of distinct 24-letter tokens, past PostgreSQL's 1 MB
    # for a tsvector: the save must succeed and the start of the text stay searchable.
    run = "".join(random.Random(5).choices(string.ascii_lowercase, k=60000))
    passage = Passage.objects.create(source=small_plan["source"], position=4, text=f"开头{run}")
    assert passage_ids(run[:300]) == {passage.pk}
    assert passage_ids(run[10000:10100]) == {passage.pk}


def test_the_index_of_one_document_is_bounded_in_bytes():
    rng = random.Random(6)
    for text in ["".join(rng.choices(string.ascii_lowercase, k=80000)),
                 "".join(chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(200000))]:
        assert index_size(Counter(index_tokens(normalise(text)))) <= MAX_DOCUMENT_INDEX_BYTES


@pytest.mark.parametrize("text", [
    "泸州市积极融入成渝地区双城经济圈建设，渝昆高铁川渝段开工。",
    "S33泸永高速2020年建成，GDP增长5.2%，Ж字",
    "瀘州與永川、江津簽署《合作協議》",
])
def test_every_index_token_is_one_a_query_asks_for(text):
    # Queries are made of literal tokens: a token that no literal query produces as itself
    # is never matched and only costs time and space (jieba's words were such tokens).
    tokens = index_tokens(normalise(text))
    assert tokens
    assert [t for t in tokens if literal_tokens(t) != [t]] == []
