"""One vocabulary: kinds, statuses, precisions and their labels are the models' own, and every
other place reads them from there. Each test changes the model's definition and checks that the
page, list or query follows: a copy typed a second time would not."""

import ast
import datetime
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.db import models
from django.urls import reverse

from apps.kb import labels
from apps.kb.groups import PLANNERS, VIEWERS
from apps.kb.models import Agreement, Initiative, Milestone, Organization, Place, PolicyDocument, Project

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def extended(choices, after, name, value, label):
    """``choices`` with one more member, inserted after the member ``after``."""
    members = []
    for member in choices:
        members.append((member.name, (member.value, member.label)))
        if member.name == after:
            members.append((name, (value, label)))
    return models.TextChoices(choices.__name__, members)


def test_a_status_added_to_project_status_is_ranked_where_it_was_added(small_plan, monkeypatch):
    Status = extended(Project.Status, "APPROVED", "TENDERING", "tender", "招标中")
    monkeypatch.setattr(Project, "Status", Status)
    for status in Status.values:
        Project.objects.create(slug=f"p-{status}", name=f"项目{status}", status=status)
    ranked = Project.objects.for_list().order_by("status_rank", "name")
    statuses = list(dict.fromkeys(p.status for p in ranked))
    assert statuses == Status.values  # "tender" between "approved" and "building"
    assert statuses.index("tender") == statuses.index("approved") + 1


def test_sorting_by_status_follows_the_declared_order_not_the_codes(small_plan, client):
    # The codes sort open < planned < unknown; progress is unknown → planned → … → open.
    for status in Project.Status.values:
        Project.objects.create(slug=f"p-{status}", name=f"项目{status}", status=status)
    shown = [p.status for p in client.get(reverse("kb:project-list"), {"ordering": "status"}).context["object_list"]]
    assert list(dict.fromkeys(shown)) == Project.Status.values != sorted(Project.Status.values)


def test_milestone_queries_filter_on_the_status_choices(small_plan, monkeypatch):
    Status = models.TextChoices("Status", [("PLANNED", ("plan", "计划")), ("DONE", ("did", "已完成"))])
    monkeypatch.setattr(Milestone, "Status", Status)
    made = {}
    for status in Status:
        made[status] = Milestone.objects.create(
            slug=f"m-{status.value}", title=f"事项{status.value}", date=datetime.date(2020, 5, 1),
            date_precision=Milestone.Precision.MONTH, status=status,
        )
    assert list(Milestone.objects.planned()) == [made[Status.PLANNED]]
    assert list(Milestone.objects.upcoming(datetime.date(2020, 5, 31))) == [made[Status.PLANNED]]
    assert list(Milestone.objects.done()) == [made[Status.DONE]]


def test_staff_groups_cover_every_record_model_and_no_history_table():
    names = {m._meta.model_name for m in apps.get_app_config("kb").get_models()}
    records = {name for name in names if not name.startswith("historical")}
    assert "historicalproject" in names and "project" in records
    for name, codenames in [(PLANNERS, {"add", "change", "delete", "view"}), (VIEWERS, {"view"})]:
        perms = Group.objects.get(name=name).permissions.filter(content_type__app_label="kb")
        assert {p.content_type.model for p in perms} == records
        assert {p.codename.split("_", 1)[0] for p in perms} == codenames


# ---------------------------------------------------------------- labels on the pages


@pytest.mark.parametrize("model", [Initiative, Project, Agreement, PolicyDocument, Milestone, Place, Organization])
def test_every_detail_page_is_the_one_record_page(small_plan, client, model):
    record = model.objects.first()
    response = client.get(record.get_absolute_url())
    names = [t.name for t in response.templates]
    assert f"kb/{model._meta.model_name}_detail.html" in names and "kb/record_detail.html" in names


def test_detail_pages_label_kinds_and_fields_as_the_model_does(small_plan, client, monkeypatch):
    monkeypatch.setattr(Project._meta, "verbose_name", "工程（测试）")
    monkeypatch.setattr(Project._meta.get_field("status"), "verbose_name", "进度（测试）")
    monkeypatch.setattr(Project._meta.get_field("initiatives"), "verbose_name", "所服务的举措（测试）")
    body = client.get(small_plan["project"].get_absolute_url()).content.decode()
    assert '<p class="kind">工程（测试） · 铁路</p>' in body
    assert "<dt>进度（测试）</dt>" in body and "<h2>所服务的举措（测试）</h2>" in body
    assert "<dt>状态</dt>" not in body and "服务的举措</h2>" not in body


def test_choice_labels_come_from_the_choices(small_plan, client, monkeypatch):
    monkeypatch.setattr(Project._meta.get_field("status"), "choices", [(Project.Status.APPROVED, "已获批（测试）")])
    body = client.get(small_plan["project"].get_absolute_url()).content.decode()
    assert '<dd class="status">已获批（测试）</dd>' in body


def test_list_facets_are_labelled_with_the_fields_labels(small_plan, client, monkeypatch):
    monkeypatch.setattr(Project._meta.get_field("status"), "verbose_name", "进度（测试）")
    monkeypatch.setattr(Project._meta.get_field("places"), "verbose_name", "所在（测试）")
    small_plan["project"].places.add(small_plan["places"][2])
    body = client.get(reverse("kb:project-list")).content.decode()
    assert '<h2 class="facet-heading" id="facet-status">进度（测试）</h2>' in body
    assert '<h2 class="facet-heading" id="facet-place">所在（测试）</h2>' in body


def test_a_place_page_names_what_it_links_to_by_their_kind(small_plan, client, monkeypatch):
    Project.objects.get(slug="yukun").places.add(small_plan["places"][1])
    monkeypatch.setattr(Project._meta, "verbose_name_plural", "工程（测试）")
    body = client.get(small_plan["places"][1].get_absolute_url()).content.decode()
    assert "<h2>工程（测试）</h2>" in body and "<h2>项目</h2>" not in body


def test_navigation_and_source_page_name_kinds_as_the_model_does(small_plan, client, monkeypatch):
    monkeypatch.setattr(PolicyDocument._meta, "verbose_name_plural", "文件（测试）")
    monkeypatch.setattr(Milestone._meta, "verbose_name", "节点（测试）")
    home = client.get(reverse("kb:home")).content.decode()
    assert f'<a href="{reverse("kb:document-list")}">文件（测试）</a>' in home
    source = client.get(small_plan["source"].get_absolute_url()).content.decode()
    assert "<li>节点（测试）：" in source and "<li>里程碑：" not in source


def test_the_timeline_and_its_feed_name_milestones_as_the_model_does(small_plan, client, monkeypatch):
    monkeypatch.setattr(Milestone._meta, "verbose_name_plural", "节点（测试）")
    assert "<h1>节点（测试）时间线</h1>" in client.get(reverse("kb:timeline")).content.decode()
    assert "<title>泸州政策知识库 · 节点（测试）</title>" in client.get(reverse("kb:milestone-feed")).content.decode()


# ---------------------------------------------------------------- no copy comes back


def choice_values():
    """The status and precision codes: distinctive words that only the models should spell.
    (day/month/year are also Django's date parts, so they are left out.)"""
    choices = [Project.Status, Milestone.Status, PolicyDocument.Status, Milestone.Precision]
    return {v for c in choices for v in c.values} - {"day", "month", "year"}


# The parser and its dataclasses are being rewritten elsewhere; the model defines the codes.
NOT_SCANNED = {"apps/core/vocabulary.py"}  # where the codes are defined


def python_files():
    for path in sorted((ROOT / "apps").rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        if "/migrations/" not in name and name not in NOT_SCANNED:
            yield name, path


def test_no_status_or_precision_code_is_typed_outside_the_models():
    codes = choice_values()
    found = []
    for name, path in python_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and node.value in codes:
                found.append(f"{name}:{node.lineno} {node.value!r}")
    for path in sorted((ROOT / "templates").rglob("*.html")):
        for match in re.finditer(r"""["']([a-z_]+)["']""", path.read_text(encoding="utf-8")):
            if match[1] in codes:
                found.append(f"{path.relative_to(ROOT)} {match[0]}")
    assert found == []


def test_what_a_milestone_concerns_has_one_label_on_its_page_and_in_the_export(small_plan, client, monkeypatch):
    monkeypatch.setitem(labels.COMPUTED, ("milestone", "concerns"), "涉及（测试）")
    body = client.get(small_plan["milestone"].get_absolute_url()).content.decode()
    assert "<h2>涉及（测试）</h2>" in body and "相关记录" not in body
    header = client.get(reverse("kb:timeline"), {"format": "csv"}).content.decode().splitlines()[0]
    assert "涉及（测试）" in header and "相关记录" not in header

