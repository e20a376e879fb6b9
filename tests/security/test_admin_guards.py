"""Malformed admin URLs: a 4xx or the list with its "wrong parameters" notice, never a 500
(apps/kb/admin_guards.py)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, superuser, small_plan):
    client.force_login(superuser)
    return client


@pytest.mark.parametrize(("name", "query"), [
    ("admin:kb_source_changelist", "published__year=99999999999"),
    ("admin:kb_source_changelist", "published__year=2020&published__month=99999999999"),
    ("admin:kb_milestone_changelist", "date__year=99999999999999999999"),
])
def test_overflowing_dates_show_the_wrong_parameters_notice(admin_client, name, query):
    response = admin_client.get(reverse(name), QUERY_STRING=query)
    assert response.status_code == 302 and response["Location"].endswith("?e=1")


@pytest.mark.parametrize(("name", "query"), [
    ("admin:kb_initiative_changelist", "parent_id=99999999999999999999"),
    ("admin:kb_passage_changelist", "source_id=-99999999999999999999"),
])
def test_ids_past_64_bits_are_no_server_error(admin_client, name, query):
    # PostgreSQL compares them and finds nothing; SQLite refuses them: the notice.
    response = admin_client.get(reverse(name), QUERY_STRING=query)
    assert response.status_code == 200 or response["Location"].endswith("?e=1")


@pytest.mark.parametrize("version", ["abc", "1e309", "99999999999999999999", "-"])
def test_history_entry_with_a_malformed_id_is_a_404(admin_client, small_plan, version):
    project = small_plan["project"]
    url = reverse("admin:kb_project_simple_history", args=[project.pk, "X"]).replace("X", version)
    assert admin_client.get(url).status_code == 404
    url = reverse("admin:kb_project_simple_history", args=["X", project.history.first().pk]).replace("X", version)
    assert admin_client.get(url).status_code == 404


def test_history_entry_is_still_shown(admin_client, small_plan):
    project = small_plan["project"]
    url = reverse("admin:kb_project_simple_history", args=[project.pk, project.history.first().pk])
    assert admin_client.get(url).status_code == 200


@pytest.mark.parametrize("object_id", ["abc", "1.5", "%22"])
def test_history_of_a_malformed_id_is_a_404(admin_client, object_id):
    url = reverse("admin:kb_project_history", args=["X"]).replace("X", object_id)
    assert admin_client.get(url).status_code == 404


@pytest.mark.parametrize("value", ["abc", "99999999999999999999", "1,abc", "1e309"])
def test_add_form_ignores_malformed_initial_ids(admin_client, small_plan, value):
    response = admin_client.get(reverse("admin:kb_project_add"), QUERY_STRING=f"evidence={value}&name=x")
    assert response.status_code == 200


def test_add_form_keeps_valid_initial_ids(admin_client, small_plan):
    passage = small_plan["passages"][1]
    response = admin_client.get(reverse("admin:kb_project_add"), {"evidence": f"{passage.pk},abc"})
    assert response.context["adminform"].form.initial["evidence"] == [str(passage.pk)]


def test_empty_to_field_is_ignored(admin_client, small_plan):
    url = reverse("admin:kb_project_change", args=[small_plan["project"].pk])
    assert admin_client.get(url, {"_to_field": ""}).status_code == 200
