"""Search results that answer (issue 12, item 7): a record whose name is the query comes first as
a card; every hit shows its own snippet, cut between words, under a line of facts."""

import html
import re

import pytest
from django.urls import reverse

from apps.core.text import normalise
from apps.kb.models import Milestone, Project
from apps.search.engine import search
from apps.search.text import jieba_words

pytestmark = pytest.mark.django_db

QUERIES = ["高铁", "渝昆高铁", "泸州", "泸永江融合发展示范区", "合作", "协议", "十四五", "2020", "高速"]


def plain(snippet: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", str(snippet))).strip("…")


def get(client, q, **params):
    response = client.get(reverse("search:search"), {"q": q, **params})
    assert response.status_code == 200
    return response, response.content.decode()


@pytest.mark.parametrize("q", ["渝昆高铁川渝段", "渝昆高鐵川渝段", " 渝昆高铁川渝段 "])
def test_a_name_query_shows_the_record_first_as_a_card_and_only_once(plan, client, q):
    project = Project.objects.get(name__in=["渝昆高鐵川渝段", "渝昆高铁川渝段"])
    response, body = get(client, q)
    card = response.context["card"]
    assert card and card["record"] == project
    url = project.get_absolute_url()
    answer = body.index('class="answer"')
    assert answer < body.index('class="hit"')  # first: before every hit
    assert body.count(f'href="{url}"') == 2  # the card's title and its 详情 link, no hit besides
    answer_html = body[answer:body.index("</article>", answer)]
    assert project.get_status_display() in answer_html
    assert project.get_kind_display() in answer_html
    planned = project.milestones.planned().order_by("date").first()
    assert planned and planned.date_display in answer_html  # the next milestone


def test_a_query_that_is_no_name_shows_no_card(plan, client):
    for q in ["高铁", "渝昆", "渝昆高", "泸州 高铁", "川渝段"]:  # a short beginning, or the middle, names nothing
        response, body = get(client, q)
        assert response.context["card"] is None and 'class="answer"' not in body


@pytest.mark.parametrize("q", ["渝昆高铁", "渝昆高鐵", "渝昆高铁川"])
def test_the_one_record_whose_name_begins_so_is_the_card(plan, client, q):
    # 渝昆高铁 is how the 2026 reports name the line; its milestones begin so too, but are events of it.
    response, body = get(client, q)
    card = response.context["card"]
    assert card and card["record"] == Project.objects.get(slug="渝昆高铁川渝段")
    assert "开头" in str(card["how"]) and "开头" in body


def test_a_beginning_that_two_records_share_is_no_card(plan, client):
    Project.objects.create(slug="渝昆高铁二期", name="渝昆高铁二期", kind="railway")
    response, _ = get(client, "渝昆高铁")
    assert response.context["card"] is None


def test_an_alias_is_a_name(plan, client):
    project = Project.objects.get(slug="渝昆高铁川渝段")
    project.aliases.create(name="重庆至昆明高速铁路川渝段", kind="full")
    for q in ["重庆至昆明高速铁路川渝段", "重慶至昆明高速鐵路川渝段"]:
        response, body = get(client, q)
        assert response.context["card"]["record"] == project and "别名相符" in body


def test_a_document_is_named_without_its_title_marks(plan, client):
    response, _ = get(client, "泸永江融合发展示范区总体方案")
    assert response.context["card"]["kind"] == "document"


def test_the_card_is_on_the_first_page_only(plan, client):
    response, _ = get(client, "渝昆高铁川渝段", page=2)
    assert response.context["card"] is None


@pytest.mark.parametrize("q", QUERIES)
def test_no_two_hits_share_a_snippet_unless_their_texts_are_the_same(plan, q):
    results = search(q).results
    assert len(results) >= 2
    seen = {}
    for r in results:
        if not r.snippet:
            continue
        text = plain(r.snippet)
        if text in seen:
            assert seen[text].text == r.text, (q, text)
        seen.setdefault(text, r)
    # Nor the same sentence with something added: the marked words and what is around them.
    contexts = {}
    for r in results:
        for m in re.finditer(r"(.{0,10})<mark>(.*?)</mark>(.{0,10})", str(r.snippet)):
            key = m.group(0)
            if len(key) > 25 and key in contexts:
                assert contexts[key].text == r.text, (q, key)
            contexts.setdefault(key, r)


def boundaries(text: str) -> set[int]:
    norm = normalise(text)
    assert len(norm) == len(text)
    cuts, at = {0}, 0
    for word in jieba_words(norm):
        at += len(word)
        cuts.add(at)
    return cuts


@pytest.mark.parametrize("q", QUERIES)
def test_a_snippet_never_cuts_inside_a_word(plan, q):
    checked = 0
    for r in search(q).results:
        shown = plain(r.snippet).strip()
        text = r.text or r.title
        if not shown:
            continue
        start = text.find(shown)
        assert start >= 0
        cuts = boundaries(text)
        # (spaces around the window are trimmed from it; a cut before a space is a word's end)
        lead = len(text[start:]) - len(text[start:].lstrip())
        assert start - lead in cuts or start in cuts, (q, shown[:20])
        end = start + len(shown)
        assert end in cuts or end == len(text), (q, shown[-20:])
        checked += 1
    assert checked


def test_a_milestone_snippet_opens_on_its_sentence_not_on_its_date(plan):
    for q in ["高铁", "十四五", "泸州", "2020"]:
        for r in search(q).results:
            if r.kind == "milestone" and r.snippet:
                milestone = Milestone.objects.get(pk=r.id)
                assert not plain(r.snippet).startswith(milestone.date_display), (q, r.title)
                assert not re.match(r"\s*\d{4}年\d+月\S*\s+\d+月", plain(r.snippet))


def test_each_hit_has_a_line_of_status_and_date(plan, client):
    response, body = get(client, "高铁")
    hits = response.context["hits"]
    facts = {r.kind: f for r, f in hits}
    project = Project.objects.get(name__in=["渝昆高鐵川渝段", "渝昆高铁川渝段"])
    assert project.get_status_display() in facts["project"]
    milestone = next(Milestone.objects.get(pk=r.id) for r, _ in hits if r.kind == "milestone")
    assert any(milestone.date_display in f for r, f in hits if r.kind == "milestone")
    assert body.count('class="hit-facts"') == len([f for _, f in hits if f]) >= 4


def test_the_results_come_before_the_facets_which_fold_away(plan, client):
    _, body = get(client, "高铁")
    assert body.index('class="hits"') < body.index('<details class="refine"')
    assert "<details class=\"refine\" open" not in body
    # Kinds with no hit are not offered.
    _, body = get(client, "渝昆高铁川渝段")
    assert "协议（0）" not in body and "举措（0）" not in body


@pytest.mark.parametrize("q", ["《》", "\"\"", "-高铁", "高铁 OR", "'", "%", "\x00", "a" * 400])
def test_odd_queries_still_answer(plan, client, q):
    response, _ = get(client, q)
    assert response.context["card"] is None
