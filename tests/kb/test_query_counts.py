"""What one edit costs in queries: a save writes its record, its history and its search entry
in a handful of round trips, and an admin save writes the index once, at the end."""

import pytest
from django.urls import reverse

from apps.kb.models import Project
from apps.search.engine import search

from .test_edit_conflicts import opened_form

pytestmark = pytest.mark.django_db


def test_one_project_save_costs_at_most_8_queries(plan, django_assert_max_num_queries):
    project = Project.objects.get(slug="渝昆高铁川渝段")
    project.status = Project.Status.OPEN
    with django_assert_max_num_queries(8):  # record, history (+ its links), evidence, index entry
        project.save()


def test_a_renamed_project_is_searchable_after_at_most_10_queries(plan, django_assert_max_num_queries):
    project = Project.objects.get(slug="渝昆高铁川渝段")
    project.name = "渝昆高铁（改名计数）"
    with django_assert_max_num_queries(10):  # the entry and its index row rewritten, nothing more
        project.save()
    assert [r.title for r in search("改名计数").results] == ["渝昆高铁（改名计数）"]


def test_an_admin_save_of_a_renamed_project_costs_at_most_32_queries(plan, client, planner, django_assert_max_num_queries):
    project = Project.objects.get(slug="渝昆高铁川渝段")
    url = reverse("admin:kb_project_change", args=[project.pk])
    client.force_login(planner)
    form = {**opened_form(client, url), "name": "渝昆高铁（管理改名）"}
    # 30, and 2 for the aliases: the inline's own read, and the index entry that holds them.
    with django_assert_max_num_queries(32):
        assert client.post(url, form).status_code == 302
    # indexed in the same POST; the name keeps the source's spelling where the edit left it (渝昆高鐵)
    assert [r.title for r in search("管理改名").results] == ["渝昆高鐵（管理改名）"]
