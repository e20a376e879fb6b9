"""`make load` is safe to repeat: what staff changed in the admin stays as they left it."""

import importlib
import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError

from apps.ingest.models import LoadedRecord
from apps.kb.models import Agreement, Initiative, Milestone, Passage, Place, PolicyDocument, Project, Source
from apps.search.engine import search
from apps.search.index import indexed_models
from apps.search.models import SearchEntry

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "fixtures" / "luzhou-chengyu-integration-2020.json"

EDITED, DELETED, UNLINKED, RESLUGGED = "s33泸永高速", "重庆经叙永至筠连高速公路", "川渝跨省双向对开省际公交", "渝昆高铁川渝段"
NEW_SLUG = "yukun-gaotie"
PROJECTS = sum(r["model"] == "kb.project" for r in json.loads(FIXTURE.read_text(encoding="utf-8")))


def load(*args):
    out = StringIO()
    call_command("load_plan", *args, stdout=out)
    return out.getvalue()


def history_rows():
    kb = apps.get_app_config("kb").get_models()
    return sum(model.objects.count() for model in kb if model.__name__.startswith("Historical"))


def snapshot():
    """Every kb record and link, by id (history is counted apart)."""
    tables = {}
    for model in apps.get_app_config("kb").get_models():
        if model.__name__.startswith("Historical"):
            continue
        tables[model.__name__] = list(model.objects.order_by("pk").values())
        for field in model._meta.many_to_many:
            through = field.remote_field.through
            tables[f"{model.__name__}.{field.name}"] = list(through.objects.order_by("pk").values())
    return json.dumps(tables, default=str, sort_keys=True)


def staff_changes():
    """What a planner does in the admin (normal saves, so the admin history records them)."""
    edited = Project.objects.get(slug=EDITED)
    edited.status, edited.description = Project.Status.OPEN, "已于年底通车（工作人员更正）"
    edited.save()
    Project.objects.get(slug=DELETED).delete()
    Project.objects.get(slug=UNLINKED).places.remove(Place.objects.get(slug="泸县"))
    reslugged = Project.objects.get(slug=RESLUGGED)
    reslugged.slug = NEW_SLUG
    reslugged.save()
    return reslugged.pk


def test_a_load_records_each_record_it_creates_once_and_nothing_more():
    load()
    # One row per record, the version staff's first correction can go back to; no user.
    for model in (Source, Passage, Place, Initiative, Project, Agreement, Milestone):
        assert model.history.count() == model.objects.count() > 0, model
        assert set(model.history.values_list("history_user", "history_change_reason")) == {
            (None, "load_plan：从数据文件载入")}
    assert Project.history.get(slug=UNLINKED).places.count() == 4  # the links are in that row
    # Every link of every record, as django-simple-history records them at a save (the
    # through row's id included), so reverting to that row restores them.
    for model in (Initiative, Project, Agreement, PolicyDocument):
        for relation in model.history.model._history_m2m_fields:
            through = relation.remote_field.through
            linked = through._meta.get_field(relation.m2m_reverse_field_name()).attname
            for record in model.objects.all():
                row = record.history.get()
                assert set(getattr(row, relation.name).values_list("id", linked)) == set(
                    through.objects.filter(**{relation.m2m_field_name(): record}).values_list("id", linked)
                ), (record, relation.name)
    history = history_rows()
    load()
    assert history_rows() == history


def test_a_first_load_costs_at_most_150_queries_and_leaves_every_record_searchable(django_assert_max_num_queries):
    with django_assert_max_num_queries(150):
        load()
    assert Project.objects.count() == PROJECTS
    for model, kind in indexed_models().items():
        entries = SearchEntry.objects.filter(kind=kind)
        assert set(entries.values_list("object_id", flat=True)) == set(model.objects.values_list("pk", flat=True))
        # Filed under the source of their evidence: the links were in place when it was indexed.
        assert set(entries.values_list("source_id", flat=True)) == {Source.objects.get().pk}, kind
    for project in Project.objects.all():
        assert project.pk in {r.id for r in search(project.name, kinds=["project"]).results}, project
    # Typed in Simplified, as users type it; the name is stored in Traditional.
    assert Project.objects.get(slug=RESLUGGED).pk in {r.id for r in search("渝昆高铁", kinds=["project"]).results}


def test_a_second_load_and_a_replace_of_an_untouched_database_cost_at_most_40_queries(django_assert_max_num_queries):
    load()
    with django_assert_max_num_queries(40):
        assert "0 created" in load()
    with django_assert_max_num_queries(40):
        assert "0 overwritten" in load("--replace")


def with_one_record_changed(tmp_path, model, slug, **fields):
    """The fixture with one record's fields changed, and that record's position in it."""
    records = json.loads(FIXTURE.read_text(encoding="utf-8"))
    (position,) = [i for i, r in enumerate(records, start=1) if r["model"] == model and r["fields"].get("slug") == slug]
    records[position - 1]["fields"].update(fields)
    path = tmp_path / FIXTURE.name
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    return path, position


@pytest.mark.parametrize(
    ("model", "slug", "fields", "problem"),
    [
        # Check constraints only the database evaluates: the bulk insert is refused, and the
        # records are then tried one at a time to name the one it refused.
        ("kb.milestone", "2020-09-24-泸永江融合发展示范区规划建设启动会召开",
         {"date_precision": "month"}, "kb_milestone_date_matches_precision"),
        ("kb.agreement", "泸州市党政代表团永川区江津区荣昌区江北区合作协议",
         {"count": 0}, "kb_agreement_count_positive"),
        # Checked in Python before anything is written.
        ("kb.project", EDITED, {"kind": "nonsense"}, "kind: "),
        ("kb.project", EDITED, {"name": ""}, "name: "),
        ("kb.project", EDITED, {"colour": "red"}, "no field 'colour'"),
        ("kb.project", EDITED, {"places": [["nowhere"]]}, "places: no kb.place ['nowhere']"),
        ("kb.milestone", "2020-09-24-泸永江融合发展示范区规划建设启动会召开", {"date": "24 Sept"}, "date: "),
    ],
)
def test_a_malformed_record_is_refused_naming_its_file_position_and_problem(tmp_path, model, slug, fields, problem):
    path, position = with_one_record_changed(tmp_path, model, slug, **fields)
    where = re.escape(f"{path}: record {position} ({model}): ")
    with pytest.raises(CommandError, match=where + ".*" + re.escape(problem)):
        load(str(path))
    # All or nothing (and on PostgreSQL the transaction is usable again after the refusal).
    assert not Source.objects.exists() and not Milestone.objects.exists() and not LoadedRecord.objects.exists()


def test_a_record_refused_only_by_the_database_is_named_with_the_database_s_reason(tmp_path):
    records = json.loads(FIXTURE.read_text(encoding="utf-8"))
    copy = {"model": "kb.source", "fields": {**records[0]["fields"], "slug": "the-same-text-again"}}
    path = tmp_path / FIXTURE.name
    path.write_text(json.dumps([records[0], copy], ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError, match=re.escape(f"{path}: record 2 (kb.source): the database refused it: ")):
        load(str(path))
    assert not Source.objects.exists()


def test_a_second_load_of_an_untouched_database_changes_nothing():
    load()
    before, history = snapshot(), history_rows()
    out = load()
    assert "0 created" in out
    assert snapshot() == before
    assert history_rows() == history


def test_staff_edits_deletions_unlinks_and_new_slugs_survive_two_loads():
    load()
    yukun_id = staff_changes()
    history = history_rows()
    first = load()
    load()
    edited = Project.objects.get(slug=EDITED)
    assert (edited.status, edited.description) == (Project.Status.OPEN, "已于年底通车（工作人员更正）")
    assert not Project.objects.filter(slug=DELETED).exists()
    assert not Project.objects.get(slug=UNLINKED).places.filter(slug="泸县").exists()
    assert Project.objects.get(slug=UNLINKED).places.filter(slug="永川区").exists()  # the other links stay
    assert Project.objects.count() == PROJECTS - 1  # 1 deleted, the re-slugged one not duplicated
    assert not Project.objects.filter(slug=RESLUGGED).exists()
    assert Project.objects.get(pk=yukun_id).slug == NEW_SLUG
    assert set(Milestone.objects.filter(slug__contains="渝昆高铁").values_list("project", flat=True)) == {yukun_id}
    assert history_rows() == history
    # The command says what it left alone, so nobody wonders why a record did not come back.
    assert DELETED in first and "泸县" in first


def test_records_the_fixtures_no_longer_contain_are_reported_not_deleted(tmp_path):
    load()
    records = json.loads(FIXTURE.read_text(encoding="utf-8"))
    dropped = "g246泸永公路"
    kept = [r for r in records if r["fields"].get("slug") != dropped]
    assert len(kept) == len(records) - 1
    newer = tmp_path / FIXTURE.name  # the same fixture, regenerated without one project
    newer.write_text(json.dumps(kept, ensure_ascii=False), encoding="utf-8")
    out = load(str(newer))
    assert dropped in out and "no longer in the fixtures" in out.lower()
    assert RESLUGGED not in out
    assert Project.objects.filter(slug=dropped).exists()


def test_links_new_in_the_fixtures_are_added_but_removed_ones_stay_removed(tmp_path):
    load()
    records = json.loads(FIXTURE.read_text(encoding="utf-8"))
    (edited,) = [r for r in records if r["fields"].get("slug") == EDITED]
    edited["fields"]["places"].append(["泸县"])
    newer = tmp_path / FIXTURE.name  # the same fixture, regenerated with one more link
    newer.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    Project.objects.get(slug=UNLINKED).places.remove(Place.objects.get(slug="泸县"))
    history = history_rows()
    out = load(str(newer))
    assert Project.objects.get(slug=EDITED).places.filter(slug="泸县").exists()
    assert not Project.objects.get(slug=UNLINKED).places.filter(slug="泸县").exists()
    assert "1 links added" in out
    assert history_rows() == history


def test_replace_overwrites_staff_work_from_the_fixtures_and_says_so_in_the_history():
    load()
    yukun_id = staff_changes()
    history = history_rows()
    edited_version = Project.objects.get(slug=EDITED).version
    load("--replace")
    assert Project.objects.get(slug=EDITED).status == Project.Status.UNDER_CONSTRUCTION
    # A new version, so an admin form opened before the overwrite is refused, not saved over it.
    assert Project.objects.get(slug=EDITED).version == edited_version + 1
    assert Project.objects.get(slug=EDITED).description == ""
    assert Project.objects.filter(slug=DELETED).exists()
    assert Project.objects.get(slug=UNLINKED).places.filter(slug="泸县").exists()
    assert Project.objects.get(pk=yukun_id).slug == RESLUGGED  # the same record, its slug restored
    assert Project.objects.count() == PROJECTS
    assert set(Milestone.objects.filter(slug__contains="渝昆高铁").values_list("project", flat=True)) == {yukun_id}
    # One history row per record it overwrote, without a user, with the reason.
    replaced = Project.history.filter(history_change_reason__contains="--replace")
    assert sorted(replaced.values_list("slug", flat=True)) == sorted([EDITED, DELETED, UNLINKED, RESLUGGED])
    assert not replaced.exclude(history_user=None).exists()
    assert history_rows() > history
    # What matches the fixtures already is not rewritten.
    history, before = history_rows(), snapshot()
    load("--replace")
    assert (history_rows(), snapshot()) == (history, before)


def test_an_installation_loaded_before_the_ledger_keeps_staff_work_on_its_next_load():
    fill = importlib.import_module("apps.ingest.migrations.0002_ledger_from_loaded_fixtures").fill_ledger
    LoadedRecord = apps.get_model("ingest", "LoadedRecord")
    load()
    # The old loader wrote a history row each time it touched a project's links.
    Project.objects.get(slug=RESLUGGED).save()
    staff_changes()
    LoadedRecord.objects.all().delete()  # as it was before the ledger existed
    fill(apps, None)
    load()
    load()
    assert not Project.objects.filter(slug=DELETED).exists()
    assert not Project.objects.get(slug=UNLINKED).places.filter(slug="泸县").exists()
    assert not Project.objects.filter(slug=RESLUGGED).exists()
    assert Project.objects.count() == PROJECTS - 1


def test_the_ledger_migration_runs_without_fixture_files(settings, tmp_path):
    fill = importlib.import_module("apps.ingest.migrations.0002_ledger_from_loaded_fixtures").fill_ledger
    settings.BASE_DIR = tmp_path
    fill(apps, None)
    (tmp_path / "fixtures").mkdir()
    (tmp_path / "fixtures" / "broken.json").write_text("[{", encoding="utf-8")
    fill(apps, None)
    assert not apps.get_model("ingest", "LoadedRecord").objects.exists()
