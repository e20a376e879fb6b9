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


# ---------------------------------------------------------------- the library, with a corpus loaded


def corpus(n_sources=31, passages=600):
    """Reports enough to fill the library, one of them long (600 passages) and cited by a record."""
    from apps.kb.models import Passage, Place, Source

    place = Place.objects.get(slug="四川省")
    sources = Source.objects.bulk_create([
        Source(slug=f"report-{i}", title=f"2026年第{i}号政府工作报告", text=f"报告{i}", content_hash=f"{i:064d}",
               document_type="政府工作报告", publisher=f"第{i}省人民政府", region=place)
        for i in range(n_sources)
    ])
    long = sources[0]
    Passage.objects.bulk_create([
        Passage(source=long, position=n, kind="heading" if n % 20 == 1 else "paragraph",
                text=f"一、第{n}部分" if n % 20 == 1 else f"第{n}段：推动成渝地区双城经济圈建设。")
        for n in range(1, passages + 1)
    ])
    project = Project.objects.get(slug="渝昆高铁川渝段")
    project.evidence.add(*Passage.objects.filter(source=long, position__in=[2, 300, 599]))
    return long


def test_the_library_list_costs_the_same_with_31_documents(plan, client, django_assert_max_num_queries):
    corpus()
    with django_assert_max_num_queries(12):  # sources, facets (one each), choices, the as-of date
        response = client.get(reverse("kb:source-list"), {"document_type": "政府工作报告"})
    assert response.status_code == 200 and len(response.context["object_list"]) == 25


def test_a_600_passage_document_reads_in_a_bounded_number_of_queries(plan, client, django_assert_max_num_queries):
    long = corpus()
    with django_assert_max_num_queries(8):  # the source, its passages, each kind of record drawn from them
        response = client.get(long.get_absolute_url())
    body = response.content.decode()
    assert body.count('class="passage paragraph"') == 570 and 'id="p600"' in body
    assert Project.objects.get(slug="渝昆高铁川渝段").get_absolute_url() in body
