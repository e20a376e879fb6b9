"""A query that is a record's name is answered by a lookup of the entries' name keys, not by a
ranked search whose index walk reads every passage containing the query (the search page's
name card asks this on every first page)."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.core.text import name_key
from apps.kb.models import Passage, Project, Source
from apps.search.engine import name_matches
from apps.search.models import SearchEntry

pytestmark = pytest.mark.django_db

fill_names = importlib.import_module("apps.search.migrations.0008_entry_name").fill_names


def test_a_name_is_found_in_one_query_that_reads_no_index(plan):
    project = Project.objects.get(slug="渝昆高铁川渝段")
    with CaptureQueriesContext(connection) as queries:
        assert name_matches("渝昆高鐵川渝段", kinds=["project", "milestone"]) == [("project", project.pk)]
    assert len(queries) == 1
    assert "search_fts" not in queries[0]["sql"] and "tsquery" not in queries[0]["sql"]


def test_what_is_no_name_matches_nothing(plan):
    for q in ["渝昆高铁", "川渝段", "高铁川渝", "渝昆高铁川渝段x", "", "《》", "%", "_", "\\"]:
        assert name_matches(q) == [], q


def test_a_beginning_finds_every_record_it_begins(plan):
    found = name_matches("渝昆高鐵", prefix=True)
    assert ("project", Project.objects.get(slug="渝昆高铁川渝段").pk) in found
    assert len(found) > 1  # its milestones begin so too
    assert all(name_key(SearchEntry.objects.get(kind=k, object_id=i).title).startswith("渝昆高铁") for k, i in found)
    # LIKE's wildcards in a query are characters, never patterns (name_key drops them anyway)
    assert name_matches("渝昆%", prefix=True) == name_matches("渝昆", prefix=True)


def test_a_passage_is_never_a_name_though_its_title_is_the_query(plan):
    source = Source.objects.create(slug="named", title="渝昆高铁川渝段", text="渝昆高铁川渝段")
    passage = Passage.objects.create(source=source, position=1, text="渝昆高铁川渝段")
    entry = SearchEntry.objects.get(kind="passage", object_id=passage.pk)
    assert entry.name is None
    assert ("passage", passage.pk) not in name_matches(entry.title) + name_matches("渝昆高铁川渝段")


def test_a_rename_moves_the_name_and_the_old_one_finds_nothing(plan):
    project = Project.objects.get(slug="渝昆高铁川渝段")
    project.name = "渝昆高铁泸州段"
    project.save()
    assert name_matches("渝昆高铁泸州段") == [("project", project.pk)]
    assert ("project", project.pk) not in name_matches("渝昆高铁川渝段")


def test_the_migration_fills_the_names_the_index_writes(plan):
    written = dict(SearchEntry.objects.values_list("pk", "name"))
    assert any(written.values()) and None in written.values()
    SearchEntry.objects.update(name=None)
    fill_names(django_apps, connection.schema_editor())
    assert dict(SearchEntry.objects.values_list("pk", "name")) == written
