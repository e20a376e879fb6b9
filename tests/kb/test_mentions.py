"""Aliases and mentions across documents: a record is found by its other names, and its page
lists the passages of every other document that name it, grouped by document."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.kb.mentions import PER_DOCUMENT, mentions_of
from apps.kb.models import Alias, Passage, Project, Source
from apps.search.engine import search
from apps.search.index import batch

pytestmark = pytest.mark.django_db
SLUG = "渝昆高铁川渝段"  # the seed names it in Traditional: 渝昆高鐵川渝段
ALIAS = "重庆至昆明高速铁路川渝段"
ALIAS_FORMS = "kb-alias-content_type-object_id"


def document(slug: str, *paragraphs: str) -> Source:
    with batch():
        source = Source.objects.create(slug=slug, title=f"文件{slug}", text="\n".join(paragraphs))
        for position, text in enumerate(paragraphs, start=1):
            Passage.objects.create(source=source, position=position, text=text)
    return source


def add_alias(project, name, kind=Alias.Kind.FULL):
    return Alias.objects.create(
        content_type=ContentType.objects.get_for_model(project), object_id=project.pk, name=name, kind=kind
    )


@pytest.fixture
def yukun(plan):
    return Project.objects.get(slug=SLUG)


# ---------------------------------------------------------------- aliases


def test_search_finds_a_record_by_its_alias_in_either_script(yukun):
    assert not search("重慶至昆明高速鐵路").counts.get("project")
    add_alias(yukun, ALIAS)
    for query in (ALIAS, "重慶至昆明高速鐵路", "至昆明高速"):
        result = search(query, kinds=["project"])
        assert [(r.kind, r.id) for r in result.results] == [("project", yukun.pk)], query
    # Shown under its own name.
    assert search(ALIAS, kinds=["project"]).results[0].title == yukun.name


def test_a_deleted_alias_no_longer_finds_the_record(yukun):
    alias = add_alias(yukun, ALIAS)
    alias.delete()
    assert not search(ALIAS).counts.get("project")


def change_form(client, project, **extra):
    url = reverse("admin:kb_project_change", args=[project.pk])
    data = {name: getattr(project, name) for name in ("slug", "name", "kind", "status", "description", "quote")}
    data.update(
        base_version=project.version,
        evidence=[p.pk for p in project.evidence.all()],
        initiatives=[i.pk for i in project.initiatives.all()],
        **{
            "milestones-TOTAL_FORMS": "0",
            "milestones-INITIAL_FORMS": "0",
            f"{ALIAS_FORMS}-TOTAL_FORMS": "0",
            f"{ALIAS_FORMS}-INITIAL_FORMS": "0",
        },
    )
    data.update(extra)
    return url, data


def test_aliases_are_edited_inline_in_the_admin(yukun, client, planner):
    client.force_login(planner)
    url, data = change_form(
        client,
        yukun,
        **{
            f"{ALIAS_FORMS}-TOTAL_FORMS": "2",
            f"{ALIAS_FORMS}-0-name": ALIAS,
            f"{ALIAS_FORMS}-0-kind": "full",
            f"{ALIAS_FORMS}-1-name": "渝昆高铁",
            f"{ALIAS_FORMS}-1-kind": "short",
        },
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert sorted(a.name for a in yukun.aliases.all()) == sorted([ALIAS, "渝昆高铁"])
    assert [r.id for r in search(ALIAS, kinds=["project"]).results] == [yukun.pk]  # indexed in the same POST


def test_the_same_alias_twice_is_a_form_error(yukun, client, planner):
    client.force_login(planner)
    add_alias(yukun, ALIAS)
    url, data = change_form(
        client,
        yukun,
        **{
            f"{ALIAS_FORMS}-TOTAL_FORMS": "2",
            f"{ALIAS_FORMS}-0-name": "渝昆高铁",
            f"{ALIAS_FORMS}-0-kind": "short",
            f"{ALIAS_FORMS}-1-name": "渝昆高鐵",
            f"{ALIAS_FORMS}-1-kind": "script",
        },
    )
    response = client.post(url, data)
    assert response.status_code == 200 and "重复" in response.content.decode()
    url, data = change_form(
        client,
        yukun,
        **{f"{ALIAS_FORMS}-TOTAL_FORMS": "1", f"{ALIAS_FORMS}-0-name": ALIAS, f"{ALIAS_FORMS}-0-kind": "full"},
    )
    response = client.post(url, data)  # already there
    assert response.status_code == 200 and "已有" in response.content.decode()
    assert yukun.aliases.count() == 1


def test_viewers_cannot_add_aliases(yukun, client, viewer):
    client.force_login(viewer)
    url, data = change_form(
        client,
        yukun,
        **{f"{ALIAS_FORMS}-TOTAL_FORMS": "1", f"{ALIAS_FORMS}-0-name": ALIAS, f"{ALIAS_FORMS}-0-kind": "full"},
    )
    assert client.post(url, data).status_code == 403
    assert not yukun.aliases.exists()


# ---------------------------------------------------------------- mentions


def test_mentions_are_grouped_by_document_with_counts_and_links(yukun, client):
    a = document("a", "加快渝昆高铁川渝段建设。", "无关段落。", "渝昆高铁川渝段建成投用。")
    b = document("b", "重庆至昆明高速铁路川渝段通车。")
    document("c", "没有提到那条铁路。")
    found = mentions_of(Project.objects.prefetch_related("evidence", "aliases").get(pk=yukun.pk))
    counts = {d.source.slug: d.count for d in found.documents}
    assert counts["a"] == 2 and "b" not in counts and "c" not in counts
    add_alias(yukun, ALIAS)
    body = client.get(yukun.get_absolute_url()).content.decode()
    assert "其他文件中的提及" in body and "文件a" in body and "文件b" in body and "文件c" not in body
    assert "<mark>渝昆高铁川渝段</mark>建成投用" in body and "<mark>重庆至昆明高速铁路川渝段</mark>通车" in body
    assert f"{reverse('kb:source-detail', args=[a.slug])}?mark=%E6%B8%9D" in body and "#p3" in body
    assert f"{reverse('kb:source-detail', args=[b.slug])}?mark=" in body


def test_mentions_list_dated_documents_newest_first_and_undated_ones_last(yukun):
    # On PostgreSQL a plain descending order puts a document with no date first; on SQLite, last.
    for slug, published in (("old", "2019-03-01"), ("none", None), ("new", "2026-02-25")):
        Source.objects.filter(pk=document(slug, f"渝昆高铁川渝段加快建设（{slug}）。").pk).update(published=published)
    found = [d.source.slug for d in mentions_of(yukun).documents]
    assert [slug for slug in found if slug in ("old", "none", "new")] == ["new", "old", "none"]
    assert found[-1] == "none"


def test_own_evidence_is_not_a_mention_but_the_rest_of_its_document_is(yukun):
    own = set(yukun.evidence.values_list("pk", flat=True))
    found = mentions_of(yukun)
    shown = {m.passage.pk for d in found.documents for m in d.mentions}
    assert own and not shown & own
    # The seed names it in passages other than its evidence too (in Traditional): those are listed.
    seed = Passage.objects.filter(text__contains="渝昆高鐵川渝段").exclude(pk__in=own)
    assert shown == set(seed.values_list("pk", flat=True))


def test_mentions_are_bounded_per_document(yukun):
    document("many", *[f"第{i}次提到渝昆高铁川渝段。" for i in range(PER_DOCUMENT + 3)])
    [doc] = [d for d in mentions_of(yukun).documents if d.source.slug == "many"]
    assert doc.count == PER_DOCUMENT + 3 and len(doc.mentions) == PER_DOCUMENT


def test_a_record_page_costs_the_same_queries_however_many_documents_mention_it(yukun, client):
    document("one", "渝昆高铁川渝段建成投用。")
    client.get(yukun.get_absolute_url())  # once first: the kinds' sizes, counted once a minute, are not the page's
    with CaptureQueriesContext(connection) as few:
        client.get(yukun.get_absolute_url())
    for n in range(8):
        document(f"more{n}", f"渝昆高铁川渝段建成投用（{n}）。", "又提到渝昆高铁川渝段。")
    with CaptureQueriesContext(connection) as many:
        body = client.get(yukun.get_absolute_url()).content.decode()
    assert "文件more7" in body
    assert len(many) == len(few) <= 16, [q["sql"][:100] for q in many]


@pytest.mark.parametrize("name", ['"渝昆', "渝昆 OR -高铁", "NEAR(渝昆)", "*", "<b>渝昆</b>", "ｓ\ufb03", "a"])
def test_odd_aliases_neither_break_the_page_nor_leak_markup(yukun, client, name):
    document("odd", f"提到{name}和渝昆高铁川渝段。")
    add_alias(yukun, name, kind=Alias.Kind.OTHER)
    response = client.get(yukun.get_absolute_url())
    assert response.status_code == 200
    assert "<b>渝昆</b>" not in response.content.decode()


def test_places_and_organisations_list_their_mentions_too(plan, client):
    from apps.kb.models import Place

    place = Place.objects.get(slug="永川区")
    document("p", f"{place.name}加快发展。")
    assert "文件p" in client.get(place.get_absolute_url()).content.decode()
