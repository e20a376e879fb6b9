"""Two staff editing one record: the second save is refused with what the first changed."""

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from apps.kb.groups import PLANNERS

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_planner(db):
    user = User.objects.create_user("planner2", password="pw-planner-2", is_staff=True)
    user.groups.add(Group.objects.get(name=PLANNERS))
    return user


def opened_form(client, url):
    """The change form's fields as the browser would post them back unchanged."""
    form = client.get(url).context["adminform"].form
    data = {}
    for name, _field in form.fields.items():
        value = form[name].value()
        if value is None:
            continue
        data[name] = [str(v) for v in value] if isinstance(value, (list, tuple)) else str(value)
    return {**data, "milestones-TOTAL_FORMS": "0", "milestones-INITIAL_FORMS": "0",
            "kb-alias-content_type-object_id-TOTAL_FORMS": "0", "kb-alias-content_type-object_id-INITIAL_FORMS": "0"}


def test_the_second_of_two_overlapping_saves_is_refused(client, planner, second_planner, small_plan):
    project = small_plan["project"]
    url = reverse("admin:kb_project_change", args=[project.pk])
    other = client.__class__()
    client.force_login(planner)
    other.force_login(second_planner)
    mine, theirs = opened_form(client, url), opened_form(other, url)  # both open the page

    assert other.post(url, {**theirs, "name": "渝昆高鐵（川渝段）"}).status_code == 302
    response = client.post(url, {**mine, "status": "building"})

    assert response.status_code == 200
    message = response.content.decode()
    assert "保存未成功" in message and "planner2" in message
    assert "名称：渝昆高铁川渝段 → 渝昆高铁（川渝段）" in message
    project.refresh_from_db()
    assert (project.name, project.status) == ("渝昆高鐵（川渝段）", "approved")  # theirs kept, mine not written
    # Reloaded, the page carries the new version and the same edit goes through.
    assert client.post(url, {**opened_form(client, url), "status": "building"}).status_code == 302
    project.refresh_from_db()
    assert (project.name, project.status) == ("渝昆高鐵（川渝段）", "building")


def test_a_bulk_action_in_between_also_refuses_the_stale_form(client, planner, small_plan):
    project = small_plan["project"]
    url = reverse("admin:kb_project_change", args=[project.pk])
    client.force_login(planner)
    stale = opened_form(client, url)
    client.post(reverse("admin:kb_project_changelist"),
                {"action": "mark_open", "index": 0, "_selected_action": [project.pk]})
    response = client.post(url, {**stale, "description": "说明"})
    assert response.status_code == 200 and "保存未成功" in response.content.decode()
    project.refresh_from_db()
    assert (project.status, project.description) == ("open", "")


def test_a_save_that_does_not_say_which_version_it_edits_is_refused(client, planner, small_plan):
    project = small_plan["project"]
    url = reverse("admin:kb_project_change", args=[project.pk])
    client.force_login(planner)
    data = opened_form(client, url)
    del data["base_version"]
    assert client.post(url, {**data, "name": "改名"}).status_code == 200
    project.refresh_from_db()
    assert project.name == "渝昆高鐵川渝段"


def test_a_revert_from_a_stale_page_is_refused(client, planner, second_planner, small_plan):
    project = small_plan["project"]
    project.save()
    first = project.history.first()
    revert_url = reverse("admin:kb_project_simple_history", args=[project.pk, first.history_id])
    client.force_login(planner)
    stale = opened_form(client, revert_url)
    project.status = "open"
    project.save()  # someone else's edit after the revert page was opened
    assert client.post(revert_url, stale).status_code == 200
    project.refresh_from_db()
    assert project.status == "open"
    # Opened afresh, the revert applies and counts on from the current version.
    assert client.post(revert_url, opened_form(client, revert_url)).status_code == 302
    project.refresh_from_db()
    assert (project.status, project.version) == ("approved", 4)


def test_every_save_counts_a_version(small_plan):
    project = small_plan["project"]
    assert project.version == 1
    project.save()
    project.save(update_fields=["status"])
    project.refresh_from_db()
    assert project.version == 3
