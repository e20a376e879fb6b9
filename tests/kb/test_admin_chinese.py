"""The admin reads in Chinese throughout (issue 12, item 8): history in field and choice labels
under Chinese headers and breadcrumbs, change forms in the order a planner corrects a record,
date fields without a time-zone note, and an import whose title may be left to the article."""

import html as html_entities
import re

import pytest
from django.urls import reverse

from apps.kb.models import Project, Source

from .importing import ARTICLE, upload

pytestmark = pytest.mark.django_db


def text_of(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


def breadcrumbs(html: str) -> str:
    crumbs = re.search(r'<div class="breadcrumbs">(.*?)</div>', html, re.S).group(1)
    return " ".join(html_entities.unescape(text_of(crumbs)).split())


@pytest.fixture
def edited_project(client, planner, small_plan):
    """The small plan's project, once saved as approved and then changed to 在建 (building)."""
    client.force_login(planner)
    project = small_plan["project"]
    project.save()  # a first history row: status approved
    project.status = Project.Status.UNDER_CONSTRUCTION
    project.save()
    return project


def test_history_shows_field_and_choice_labels_under_chinese_headers(client, edited_project):
    html = client.get(reverse("admin:kb_project_history", args=[edited_project.pk])).content.decode()
    text = text_of(html)
    assert "状态" in text and "已批复" in text and "在建" in text
    assert "<strong>状态：</strong>已批复/入选&nbsp;&rarr;&nbsp;在建" in html
    assert "改动内容" in text
    for english in ("building", "approved", "Changes", "CHANGES", "Historical", "historical", "Date/time"):
        assert english not in text, english


def test_history_breadcrumb_is_chinese(client, edited_project):
    html = client.get(reverse("admin:kb_project_history", args=[edited_project.pk])).content.decode()
    crumbs = breadcrumbs(html)
    assert crumbs.startswith("首页 › 知识库 › 项目 › 渝昆高铁川渝段 › 修改历史"), crumbs


def test_revert_page_breadcrumb_names_the_record_not_its_history_model(client, edited_project):
    version = edited_project.history.earliest()
    url = reverse("admin:kb_project_simple_history", args=[edited_project.pk, version.history_id])
    html = client.get(url).content.decode()
    crumbs = breadcrumbs(html)
    assert crumbs == "首页 › 知识库 › 项目 › 渝昆高铁川渝段 › 修改历史 › 恢复到此前版本", crumbs
    assert "Kb" not in crumbs and "istorical" not in crumbs
    assert "Revert" not in text_of(html).replace("还原", "")


def field_order(html: str) -> list[str]:
    """The names of the change form's visible fields, in the order the page shows them."""
    names = re.findall(r'<div class="[^"]*\bfield-([a-z_]+)\b', html)
    return list(dict.fromkeys(names))


@pytest.mark.parametrize(("model", "first"), [
    ("project", ["name", "kind", "status"]),
    ("initiative", ["name", "kind"]),
    ("agreement", ["name", "kind"]),
    ("policydocument", ["title", "status"]),
    ("milestone", ["title", "status", "date", "date_precision", "date_text", "quote"]),
])
def test_change_form_starts_with_what_planners_correct(client, planner, small_plan, model, first):
    client.force_login(planner)
    records = [r for value in small_plan.values() for r in (value if isinstance(value, list) else [value])]
    obj = next(r for r in records if r._meta.model_name == model)
    html = client.get(reverse(f"admin:kb_{model}_change", args=[obj.pk])).content.decode()
    order = field_order(html)
    assert order[: len(first)] == first, order
    assert order[-3:] == ["evidence", "evidence_passages", "slug"], order
    if "description" in order:
        assert order.index("description") < order.index("quote") < order.index("evidence")
    # the slug sits in a collapsed 高级 group; the optimistic lock's version is still posted
    assert re.search(r'<fieldset class="module aligned collapse"[^>]*>.*?高级.*?field-slug', html, re.S)
    assert 'name="base_version"' in html


def test_milestone_dates_carry_no_time_zone_note(client, planner, small_plan):
    """The note itself is written by the browser (see tests/browser); here: the date input uses
    the widget whose script leaves date inputs out of it, on the form and in the inline."""
    client.force_login(planner)
    milestone = small_plan["milestone"]
    html = client.get(reverse("admin:kb_milestone_change", args=[milestone.pk])).content.decode()
    scripts = re.findall(r'<script src="([^"]+)"', html)
    shortcuts = next(i for i, s in enumerate(scripts) if s.endswith("DateTimeShortcuts.js"))
    plain = next(i for i, s in enumerate(scripts) if s.endswith("kb/admin/plain_dates.js"))
    assert plain > shortcuts
    assert "时区" not in html and "服务器时间" not in html
    project_html = client.get(reverse("admin:kb_project_change", args=[small_plan["project"].pk])).content.decode()
    assert "kb/admin/plain_dates.js" in project_html  # the milestones inline has dates too


def test_import_without_a_title_takes_the_articles_first_line(client, planner, plan):
    client.force_login(planner)
    response = upload(client, title="", text="\n  \n瀘州新聞：合作加快推進\n" + ARTICLE)
    assert response.status_code == 302, response.content.decode()[:2000]
    review = client.get(response["Location"]).content.decode()
    assert "泸州新闻：合作加快推进" in review
    assert not Source.objects.filter(title="瀘州新聞：合作加快推進").exists()  # saved only after review


def test_a_given_title_wins_over_the_first_line(client, planner, plan):
    client.force_login(planner)
    response = upload(client, title="我的标题", text="第一行\n" + ARTICLE)
    assert response.status_code == 302
    assert "我的标题" in client.get(response["Location"]).content.decode()


def test_the_title_field_says_it_may_be_left_empty(client, planner):
    client.force_login(planner)
    html = client.get(reverse("admin:kb_source_import")).content.decode()
    assert "不填则取全文的第一行" in html
