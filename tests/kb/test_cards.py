"""Issue 12 item 6: each record page opens with a card — kind, status and the sentence that
says so (its status words marked), places, parent and children, dates, the description."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.kb.cards import status_sentence
from apps.kb.models import Initiative, Passage, Project, Source

pytestmark = pytest.mark.django_db


def card_of(client, record) -> str:
    body = client.get(record.get_absolute_url()).content.decode()
    found = re.search(r'<section class="card".*?</section>', body, re.S)
    assert found, "the page has no card"
    return found.group(0)


def test_project_card_marks_the_sentence_that_supports_its_status(plan, client):
    """USERS.md task 2: 已批复 is said by 「已完成施工图审核」 (paragraph 21), not by the stored quote
    「加快渝昆高铁川渝段建设，力争“十四五”期间建成通车」 (paragraph 6), which says nothing of approval."""
    card = card_of(client, Project.objects.get(slug="渝昆高铁川渝段"))
    assert '<dd class="status">已批复/入选</dd>' in card
    assert '<dt>类型</dt><dd class="card-kind">铁路</dd>' in card
    (sentence,) = re.findall(r'<blockquote class="status-sentence".*?</blockquote>', card, re.S)
    assert '渝昆高铁川渝段已<mark class="status-words">完成施工图审核</mark>现场检查' in sentence
    assert "加快渝昆高铁川渝段建设" not in sentence and "建成通车" not in sentence
    assert sentence.count("<mark") == 1  # 预计12月底动工 in the same sentence is not marked
    assert "2020年12月底（预计） 渝昆高铁川渝段动工" in card  # the next planned milestone


def test_card_marks_the_clause_of_its_own_project(plan, client):
    card = card_of(client, Project.objects.get(slug="s33泸永高速"))
    assert '<dd class="status">在建</dd>' in card
    assert 'S33泸永高速、G246泸永公路<mark class="status-words">已开工建设</mark>' in card


def test_initiative_card_lists_its_parent_and_children(plan, client):
    parent = Initiative.objects.get(slug="两中心两区两地")
    card = card_of(client, parent)
    children = re.search(r'<dd class="card-children">(.*?)</dd>', card, re.S).group(1)
    for child in ["内陆开放新高地", "区域医药健康中心", "长江上游航运贸易中心", "高品质生活宜居地"]:
        assert child in children
    assert "泸东新城" not in children  # a grandchild, not a child
    assert "card-parent" not in card  # it has none
    card = card_of(client, Initiative.objects.get(slug="内陆开放新高地"))
    assert f'<dd class="card-parent"><a href="{parent.get_absolute_url()}">两中心两区两地</a></dd>' in card
    assert "card-children" not in card


def test_a_record_without_description_shows_no_description_block(plan, client):
    project = Project.objects.get(slug="s33泸永高速")
    assert project.description == ""
    assert 'class="description"' not in card_of(client, project)
    project.description = "連接瀘州與永川的高速公路。"
    project.save()
    assert '<p class="description">连接泸州与永川的高速公路。</p>' in card_of(client, project)


def test_a_record_without_status_words_shows_no_status_sentence(plan, client):
    card = card_of(client, Initiative.objects.get(slug="泸永江融合发展示范区"))
    assert "status-sentence" not in card and 'class="status"' not in card


def test_html_in_a_passage_is_escaped_on_the_card(db, client):
    source = Source.objects.create(slug="s", title="t", script=Source.Script.SIMPLIFIED, reference_year=2020,
                                   text="x")
    passage = Passage.objects.create(source=source, position=1,
                                     text="<script>alert(1)</script>X<b>高速</b>已开工建设。")
    project = Project.objects.create(slug="x", name="X<b>高速</b>", status=Project.Status.UNDER_CONSTRUCTION,
                                     description="<img src=x onerror=alert(2)>")
    project.evidence.add(passage)
    card = card_of(client, project)
    assert "<script>" not in card and "<b>" not in card and "<img" not in card
    assert "&lt;script&gt;alert(1)&lt;/script&gt;X&lt;b&gt;高速&lt;/b&gt;" in card
    assert '<mark class="status-words">已开工建设</mark>' in card
    assert "&lt;img src=x onerror=alert(2)&gt;" in card


def test_the_sentence_naming_the_record_wins_over_another_with_the_same_status(db):
    source = Source.objects.create(slug="s", title="t", reference_year=2020, text="x")
    passage = Passage.objects.create(source=source, position=1, text="甲公路已获批复；乙高速预计明年开工。乙高速已获批复。")
    project = Project.objects.create(slug="b", name="乙高速", status=Project.Status.APPROVED, quote="乙高速预计明年开工。")
    project.evidence.add(passage)
    sentence, words = status_sentence(project)
    assert sentence == "乙高速已获批复。" and sorted(words) == ["批复", "获批"]
    project.status = Project.Status.UNKNOWN
    assert status_sentence(project) == ("乙高速预计明年开工。", [])


@pytest.mark.parametrize("slug, model", [("渝昆高铁川渝段", Project), ("两中心两区两地", Initiative)])
def test_detail_page_queries_do_not_grow_with_the_card(plan, client, slug, model):
    record = model.objects.get(slug=slug)
    # Once first: what a process counts once a minute for every page (the kinds' sizes,
    # search/backends/sizes.py) is not the card's, and was counted here or not by the order of tests.
    client.get(record.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        client.get(record.get_absolute_url())
    assert len(queries) <= 12, [q["sql"][:120] for q in queries]
