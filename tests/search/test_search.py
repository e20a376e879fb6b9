import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from apps.core.text import normalise
from apps.kb.models import Passage, Project, Source
from apps.search.engine import search
from apps.search.highlight import snippet
from apps.search.models import SearchEntry
from apps.search.query import parse_query

pytestmark = pytest.mark.django_db



def found(q, kind=None):
    page = search(q, kinds=[kind] if kind else (), limit=1000)
    return {(r.kind, r.title) for r in page.results}


@pytest.mark.parametrize(("trad", "simp"), [("瀘州", "泸州"), ("發展", "发展"), ("幹部", "干部"), ("籤訂", "签订")])
def test_traditional_and_simplified_find_the_same(plan, trad, simp):
    assert found(trad) == found(simp) != set()


def test_full_width_and_case_are_folded(plan):
    assert found("Ｓ３３") == found("s33") == found("S33") != set()


@pytest.mark.parametrize("q", ["昆高", "经济圈", "瀘", "圈", "川渝段", "s33瀘永"])
def test_literal_recall_of_substrings_jieba_never_emits(plan, q):
    needle = normalise(q)
    expected = {p.pk for p in Passage.objects.all() if needle in normalise(p.text)}
    got = {r.id for r in search(q, kinds=["passage"], limit=1000).results}
    assert expected and got == expected


def test_every_word_must_match(plan):
    both = found("永川 高铁", "passage")
    assert both and both <= found("永川", "passage") & found("高铁", "passage")
    assert found("永川 不存在的词") == set()


def test_phrase_exclude_and_or(plan):
    assert found('"渝昆高铁"', "project") == {("project", "渝昆高鐵川渝段")}
    assert found('"高铁 渝昆"') == set()  # a phrase is one literal
    with_gaoti = {r.id for r in search("高铁", kinds=["passage"], limit=1000).results}
    without = {r.id for r in search("高铁 -渝昆", kinds=["passage"], limit=1000).results}
    expected = {p.pk for p in Passage.objects.filter(pk__in=with_gaoti) if "渝昆" not in normalise(p.text)}
    assert without == expected and without < with_gaoti
    either = found("荣昌 OR 涪陵", "agreement")
    assert either == found("荣昌", "agreement") | found("涪陵", "agreement")


HOSTILE = ['"', '""', "(", ")", "*", ":", "NEAR", "AND", "OR", "-", "- -", "泸州 OR", "OR 泸州", '"泸州',
           "title:泸州", "泸州*", "NEAR(泸州 高铁)", "泸州" * 1000, "\x00\x01泸州\x7f", "😀泸州🚄", "'; DROP TABLE x; --",
           "\\", "%", "_", "泸%州", "^", "{}[]"]


@pytest.mark.parametrize("q", HOSTILE)
def test_hostile_queries_return_a_result_not_an_error(plan, client, q):
    assert isinstance(search(q).results, list)
    assert client.get(reverse("search:search"), {"q": q}).status_code == 200
    assert client.get(reverse("search:api"), {"q": q}).status_code == 200


def test_punctuation_separates_words_and_is_never_a_wildcard(plan):
    assert found("泸%州") == found("泸 州") == found("泸_州")
    assert found("%") == found("_") == set()


def test_snippets_escape_then_mark():
    html = snippet("<script>alert(1)</script>瀘州高鐵", ["泸州"])
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<mark>瀘州</mark>" in html  # the original script, not the normalised one


def test_snippet_window_is_around_the_hit():
    text = "甲" * 500 + "渝昆高鐵" + "乙" * 500
    html = snippet(text, ["渝昆高铁"], width=60)
    assert "<mark>渝昆高鐵</mark>" in html and html.startswith("…") and html.endswith("…")
    assert len(html) < 120


def test_a_passage_containing_markup_shows_as_text(plan, client):
    source = Source.objects.get()
    Passage.objects.create(source=source, position=999, text="<script>alert('x')</script> 测试标记")
    body = client.get(reverse("search:search"), {"q": "测试标记"}).content.decode()
    assert "<script>alert" not in body and "&lt;script&gt;" in body
    assert "<mark>测试标记</mark>" in body  # the snippet arrives as safe HTML: marked, not re-escaped


def test_an_edit_is_searchable_at_once(plan):
    project = Project.objects.get(slug="渝昆高铁川渝段")
    project.description = "已经完成可研批复的独特词语甲乙丙"
    project.save()
    assert found("独特词语甲乙丙") == {("project", "渝昆高鐵川渝段")}
    project.delete()
    assert found("独特词语甲乙丙") == set()


def test_admin_edit_is_searchable_at_once(plan, client, planner):
    client.force_login(planner)
    project = Project.objects.get(slug="s33泸永高速")
    response = client.post(reverse("admin:kb_project_change", args=[project.pk]), {
        "slug": project.slug, "name": "S33瀘永高速（改名测试）", "kind": project.kind, "status": "open",
        "base_version": project.version, "description": "", "quote": project.quote, "evidence": [p.pk for p in project.evidence.all()],
        "milestones-TOTAL_FORMS": "0", "milestones-INITIAL_FORMS": "0",
            "kb-alias-content_type-object_id-TOTAL_FORMS": "0", "kb-alias-content_type-object_id-INITIAL_FORMS": "0",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    assert ("project", "S33瀘永高速（改名测试）") in found("改名测试")


def test_admin_search_uses_the_engine(plan, client, planner):
    client.force_login(planner)
    # Simplified finds Traditional (the admin's own icontains could not), and only the match.
    body = client.get(reverse("admin:kb_project_changelist"), {"q": "泸永高速"}).content.decode()
    assert "S33泸永高速" in body and "渝昆高铁川渝段" not in body


def test_names_rank_above_body_text(plan):
    results = search("渝昆高铁").results
    assert results[0].kind in {"project", "milestone"}


def test_counts_per_kind_add_up(plan):
    page = search("泸州")
    expected = {kind: len(search("泸州", kinds=[kind], limit=1000).results) for kind in page.counts}
    assert page.counts == expected and page.counts["passage"] > 0


def test_a_result_shows_its_entry_as_the_model_reads_it(plan):
    page = search("泸州", limit=100)
    assert page.results and any(r.date for r in page.results)
    for r in page.results:
        entry = SearchEntry.objects.get(kind=r.kind, object_id=r.id)
        assert (r.title, r.url, r.text, r.date) == (entry.title, entry.url, entry.text, entry.date)
    entry = SearchEntry.objects.filter(date__isnull=False).first()
    shown = SearchEntry.objects.shown([entry.pk, entry.pk + 10**6])
    assert list(shown) == [entry.pk]  # an id deleted meanwhile is left out
    assert isinstance(shown[entry.pk].date, datetime.date)


def test_date_order(plan):
    dates = [r.date for r in search("泸州", kinds=["milestone"], order="date", limit=100).results]
    assert dates == sorted(dates, reverse=True)


def test_rebuild_gives_the_same_results(plan):
    before = found("泸州")
    call_command("rebuild_search_index", stdout=StringIO())
    assert found("泸州") == before


def test_query_parsing():
    q = parse_query('泸州 "渝昆 高铁" -永川 江津 OR 荣昌 ** :')
    assert q.groups == [["泸州"], ["渝昆 高铁"], ["江津", "荣昌"]]
    assert q.excluded == ["永川"]
    assert parse_query("* : ( )").groups == []
    assert parse_query("NEAR AND").groups == [["near"], ["and"]]  # words, not operators
    assert parse_query("a OR -b c").groups == [["a"], ["c"]]  # OR needs two positive words
    assert parse_query('"江津·合江"').groups == [["江津·合江"]]  # a phrase keeps its punctuation


def test_json_api(plan, client):
    response = client.get(reverse("search:api"), {"q": "渝昆高铁", "kind": "project"})
    data = json.loads(response.content)
    assert data["query"] == "渝昆高铁" and data["count"] == 1
    (hit,) = data["results"]
    assert set(hit) == {"kind", "id", "title", "url", "snippet", "text", "score"}
    assert hit["url"].endswith(Project.objects.get(pk=hit["id"]).get_absolute_url().replace("渝昆高铁川渝段", "%E6%B8%9D%E6%98%86%E9%AB%98%E9%93%81%E5%B7%9D%E6%B8%9D%E6%AE%B5"))


@pytest.mark.parametrize("params", [{"q": "x", "page": "abc"}, {"q": "x", "kind": "nope"}, {"q": "x", "order": "up"},
                                    {"q": "x", "page": "0"}, {"q": "x", "source": "abc"}])
def test_json_api_rejects_bad_parameters_with_400(client, params):
    response = client.get(reverse("search:api"), params)
    assert response.status_code == 400 and "error" in json.loads(response.content)


def test_phrase_with_punctuation_finds_it_as_written(plan):
    assert found('"江津·合江"', "project") == {("project", "川渝合作(江津·合江)工業園區")}


@pytest.mark.parametrize(("text", "q"), [("二〇二〇年统计", "二〇"), ("咖啡馆 café 开业", "café"), ("编号X7781", "7781")])
def test_other_characters_are_indexed_and_verified(plan, text, q):
    source = Source.objects.get()
    Passage.objects.create(source=source, position=900, text=text)
    Passage.objects.create(source=source, position=901, text="二二年 caf 778 x778")
    assert {r.title.endswith("第900段") for r in search(q, kinds=["passage"]).results} == {True}


def test_huge_source_parameter_is_a_400_not_a_500(client):
    assert client.get(reverse("search:api"), {"q": "x", "source": "9" * 30}).status_code == 400
    assert client.get(reverse("search:search"), {"q": "x", "source": "9" * 30}).status_code == 200


def test_deleting_a_source_keeps_the_records_it_cited_searchable(plan):
    Source.objects.get().delete()
    assert found("渝昆高铁", "project") == {("project", "渝昆高鐵川渝段")}
    assert found("渝昆高铁", "passage") == set()


def test_evidence_added_from_the_passage_side_reindexes_the_record(plan):
    project = Project.objects.create(name="新建码头工程")  # no evidence yet, so no source
    other = Source.objects.create(slug="s2", title="另一篇", text="新建码头工程开工。")
    passage = Passage.objects.create(source=other, position=1, text="新建码头工程开工。")
    assert search("码头工程", kinds=["project"], source_id=other.pk).results == []
    passage.projects.add(project)
    assert [r.id for r in search("码头工程", kinds=["project"], source_id=other.pk).results] == [project.pk]


def test_index_rows_go_with_their_entries_however_deleted(plan):
    from django.db import connection

    from apps.search.models import SearchEntry

    SearchEntry.objects.filter(kind="project").delete()  # bypassing the signal handlers
    assert found("渝昆高铁", "project") == set()
    assert search("渝昆高铁").counts.get("project", 0) == 0
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM search_fts WHERE search_fts MATCH 'facets : kproject'")
            assert cursor.fetchone()[0] == 0


def test_search_page_filters_by_source_and_keeps_it_in_links(plan, client):
    seed = Source.objects.get()
    other = Source.objects.create(slug="s2", title="另一篇文章", text="泸州港集装箱吞吐量增长。")
    Passage.objects.create(source=other, position=1, text="泸州港集装箱吞吐量增长。")
    body = client.get(reverse("search:search"), {"q": "泸州", "source": other.pk}).content.decode()
    assert "另一篇文章 · 第1段" in body and f"{seed.title} · 第" not in body
    assert f"source={other.pk}" in body  # facet and order links keep the filter
