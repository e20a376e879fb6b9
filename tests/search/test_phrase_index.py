"""A Chinese literal of three characters or more is matched on SQLite as the phrase of its
bigrams, answered by the FTS5 index alone (no entry row read to check containment): it must
find exactly the texts that contain it, on both databases."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.kb.models import Passage, Source
from apps.search.engine import search
from apps.search.text import is_han_run

pytestmark = pytest.mark.django_db

TEXTS = {
    "whole": "泸州市全力实施乡村振兴。",
    "apart": "全力实现目标，全面实施计划。",  # 力实 and 实施, not adjacent
    "runs": "合作共赢泸州。州市联动",  # 泸州 and 州市, in two runs
    "twice": "发展发展，再发展",
    "once_each": "发展经济，展发新篇，发展",  # 发展 展发 发展, never in a row
    "reversed": "施实力全",
}


@pytest.fixture
def passages(db):
    source = Source.objects.create(slug="phrases", title="短语", text="\n".join(TEXTS.values()))
    return {key: Passage.objects.create(source=source, position=i + 1, text=text).pk
            for i, (key, text) in enumerate(TEXTS.items())}


def found(q, passages):
    ids = {r.id for r in search(q, kinds=["passage"], limit=50).results}
    return {key for key, pk in passages.items() if pk in ids}


@pytest.mark.parametrize(("q", "expected"), [
    ("力实施", {"whole"}),
    ('"全力实施"', {"whole"}),
    ("泸州市", {"whole"}),
    ("发展发展", {"twice"}),
    ("州市联动", {"runs"}),
    ("实施", {"whole", "apart"}),
    ("力实施 泸州", {"whole"}),
    ("施实力", {"reversed"}),
])
def test_a_chinese_literal_finds_exactly_the_texts_that_contain_it(passages, q, expected):
    assert found(q, passages) == expected
    assert all(any(term in TEXTS[k] for term in q.strip('"').split()) for k in expected)


def test_a_chinese_literal_is_answered_without_reading_the_entries(passages):
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL checks a long literal against the text (its positions are capped)")
    with CaptureQueriesContext(connection) as queries:
        search("力实施", kinds=["passage"])
    index_queries = [q["sql"] for q in queries if "MATCH" in q["sql"]]
    # the entries' text is read only for the page's candidates (ranking), never joined to the
    # index match to check containment
    assert index_queries and not any("instr(" in sql or "JOIN search_fts" in sql for sql in index_queries)


@pytest.mark.parametrize(("literal", "exact"), [
    ("泸州市", True), ("瀘", True), ("泸州 市", False), ("泸州。", False), ("s33线", False), ("", False),
])
def test_which_literals_are_one_run_of_chinese(literal, exact):
    assert is_han_run(literal) is exact
