
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.kb.models import Agreement, Initiative, Milestone, Organization, Place, PolicyDocument, Project, Source

pytestmark = pytest.mark.django_db



LISTS = ["kb:home", "kb:initiative-list", "kb:project-list", "kb:agreement-list", "kb:document-list",
         "kb:place-list", "kb:organization-list", "kb:timeline", "kb:source-list", "search:search"]


@pytest.mark.parametrize("name", LISTS)
def test_list_pages_render(plan, client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert "泸州政策知识库" in response.content.decode()


@pytest.mark.parametrize("model", [Initiative, Project, Agreement, PolicyDocument, Milestone, Place, Organization, Source])
def test_every_record_has_a_page(plan, client, model):
    for obj in model.objects.all():
        assert client.get(obj.get_absolute_url()).status_code == 200, obj


@pytest.mark.parametrize("name", ["kb:project-detail", "kb:initiative-detail", "kb:source-detail", "kb:milestone-detail"])
def test_unknown_slugs_are_404(plan, client, name):
    assert client.get(reverse(name, args=["没有这个"])).status_code == 404


def test_project_page_answers_the_status_question(plan, client):
    """USERS.md task 2: kind, status, milestones with honest dates, the sentence that says so."""
    body = client.get(Project.objects.get(slug="渝昆高铁川渝段").get_absolute_url()).content.decode()
    assert "已批复/入选" in body and "2020年12月底（预计）" in body
    assert "“十四五”期间（2021—2025年）（预计）" in body
    assert "加快渝昆高铁川渝段建设" in body  # the evidence sentence, in Simplified by default


def test_script_toggle_shows_the_original(plan, client):
    url = Project.objects.get(slug="渝昆高铁川渝段").get_absolute_url()
    assert "渝昆高铁川渝段" in client.get(url).content.decode()
    client.cookies["script"] = "orig"
    assert "渝昆高鐵川渝段" in client.get(url).content.decode()


def test_source_page_links_passages_to_their_records(plan, client):
    source = Source.objects.get()
    body = client.get(source.get_absolute_url()).content.decode()
    assert 'id="p21"' in body and Project.objects.get(slug="s33泸永高速").get_absolute_url() in body


@pytest.mark.parametrize("name", ["kb:project-list", "kb:timeline", "kb:home"])
def test_lists_do_not_query_per_row(plan, client, name):
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse(name))
    assert len(queries) <= 12, [q["sql"][:120] for q in queries]


def test_source_page_queries_are_bounded(plan, client):
    with CaptureQueriesContext(connection) as queries:
        client.get(Source.objects.get().get_absolute_url())
    assert len(queries) <= 12


def test_sorting_projects_by_status_follows_their_progress(plan, client):
    progress = ["unknown", "planned", "approved", "building", "open"]
    names = [p.name for p in client.get(reverse("kb:project-list"), {"ordering": "status"}).context["object_list"]]
    statuses = [Project.objects.get(name=n).status for n in names]
    assert statuses == sorted(statuses, key=progress.index) and len(set(statuses)) > 2
