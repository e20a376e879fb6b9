import warnings

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.paginator import UnorderedObjectListWarning
from django.urls import reverse

from apps.kb.groups import PLANNERS, VIEWERS
from apps.kb.models import Organization, Project, Source

pytestmark = pytest.mark.django_db

KB_MODELS = [m for m in admin.site._registry if m._meta.app_label == "kb"]


def test_every_kb_model_has_an_admin():
    names = {m.__name__ for m in KB_MODELS}
    assert names >= {"Source", "Passage", "Initiative", "Project", "Agreement", "Milestone",
                     "PolicyDocument", "Organization", "Place"}


@pytest.mark.parametrize("model", KB_MODELS, ids=lambda m: m.__name__)
def test_admin_pages_render_for_planners(client, planner, small_plan, model):
    client.force_login(planner)
    info = model._meta.app_label, model._meta.model_name
    assert client.get(reverse("admin:%s_%s_changelist" % info)).status_code == 200
    assert client.get(reverse("admin:%s_%s_add" % info)).status_code == 200
    obj = model.objects.first()
    assert client.get(reverse("admin:%s_%s_change" % info, args=[obj.pk])).status_code == 200
    assert client.get(reverse("admin:%s_%s_history" % info, args=[obj.pk])).status_code == 200


@pytest.mark.parametrize("model", KB_MODELS, ids=lambda m: m.__name__)
def test_anonymous_users_are_sent_to_login(client, model):
    url = reverse("admin:%s_%s_changelist" % (model._meta.app_label, model._meta.model_name))
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_staff_groups_exist_after_migrate():
    planners = set(Group.objects.get(name=PLANNERS).permissions.values_list("codename", flat=True))
    viewers = set(Group.objects.get(name=VIEWERS).permissions.values_list("codename", flat=True))
    for action in ("add", "change", "delete", "view"):
        assert f"{action}_project" in planners
    assert "view_project" in viewers and "change_project" not in viewers


def test_viewer_can_look_but_not_change(client, viewer, small_plan):
    client.force_login(viewer)
    project = small_plan["project"]
    change_url = reverse("admin:kb_project_change", args=[project.pk])
    assert client.get(change_url).status_code == 200
    response = client.post(change_url, {"name": "改名", "slug": project.slug, "kind": "railway", "status": "open"})
    assert response.status_code == 403
    project.refresh_from_db()
    assert project.name == "渝昆高鐵川渝段"


def test_admin_search_finds_records(client, planner, small_plan):
    Project.objects.create(slug="s33", name="S33瀘永高速", kind=Project.Kind.EXPRESSWAY)  # must not match
    client.force_login(planner)
    body = client.get(reverse("admin:kb_project_changelist"), {"q": "渝昆高铁"}).content.decode()
    assert "渝昆高铁川渝段" in body and "S33泸永高速" not in body


def test_admin_passage_search_finds_traditional_text_from_simplified(client, planner, small_plan):
    client.force_login(planner)
    body = client.get(reverse("admin:kb_passage_changelist"), {"q": "签署"}).content.decode()
    assert "泸州与永川签署合作协议" in body and "渝昆高铁川渝段预计" not in body


def test_organization_search_and_autocomplete_work_in_either_script(client, planner, small_plan):
    client.force_login(planner)
    Organization.objects.create(slug="yc-gov", name="永川區人民政府", kind="government")  # must not match
    body = client.get(reverse("admin:kb_organization_changelist"), {"q": "泸州市发展改革委"}).content.decode()
    assert "泸州市发展改革委" in body and "永川区人民政府" not in body
    response = client.get(reverse("admin:autocomplete"), {
        "app_label": "kb", "model_name": "policydocument", "field_name": "issuer", "term": "发展改革委"})
    assert [r["text"] for r in response.json()["results"]] == ["泸州市发展改革委"]


def test_source_autocomplete_pages_sources_in_a_fixed_order(client, planner, small_plan):
    # The passage count's GROUP BY drops the model's default ordering: unordered, the pages of
    # the autocomplete could repeat one source and skip another.
    Source.objects.create(slug="earlier", title="早的来源", text="早的正文。", published="2019-01-20")
    Source.objects.create(slug="later", title="后来的来源", text="正文。", published="2026-01-20")
    Source.objects.create(slug="undated", title="无日期的来源", text="无日期的正文。")
    client.force_login(planner)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnorderedObjectListWarning)
        response = client.get(reverse("admin:autocomplete"), {
            "app_label": "kb", "model_name": "passage", "field_name": "source", "term": "来源"})
    titles = [r["text"] for r in response.json()["results"]]
    assert titles == ["后来的来源", "早的来源", "无日期的来源"]  # the newest first; undated last on both databases
