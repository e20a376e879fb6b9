import json
import shlex
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from apps.ingest.fixtures import (
    KINDS,
    ONE_KEY_FIELDS,
    REFERENCES,
    REFERRED_FROM,
    CorrectionError,
    apply_corrections,
)
from apps.ingest.parser import parse_article
from apps.ingest.records import CANDIDATE_TYPES
from apps.ingest.services import ImportRefused, import_records
from apps.kb.models import Agreement, Initiative, Milestone, Passage, Project, Source

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "fixtures" / "luzhou-chengyu-integration-2020.json"


def make_fixtures_command():
    """The arguments `make fixtures` passes, read from the Makefile so the test and the
    target cannot disagree."""
    makefile = (ROOT / "Makefile").read_text().replace("\\\n", " ")
    line = next(line for line in makefile.splitlines() if "extract_article" in line)
    args = shlex.split(line.split("extract_article", 1)[1].replace("$(BIN)/python manage.py", ""))
    out = args.index("-o")
    return args[:out] + args[out + 2:]


def extract(*args):
    out = StringIO()
    call_command("extract_article", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_committed_fixtures_are_what_the_parser_produces():
    args = make_fixtures_command()
    assert extract(*args) == FIXTURE.read_text(encoding="utf-8"), "run `make fixtures` and review the diff"


def test_same_input_gives_byte_identical_output():
    args = make_fixtures_command()
    assert extract(*args) == extract(*args)


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "empty"), (b"\x00\x01\x02binary", "binary"), (b"\xff\xfe\xfa\xfb" * 4, "neither UTF-8"),
     ("布局\n謀劃\n".encode(), "no paragraphs")],
)
def test_bad_articles_exit_non_zero_naming_the_problem(tmp_path, content, message):
    path = tmp_path / "article.txt"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        extract(str(path), "--year", "2020")


def test_missing_file_is_named(tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        extract(str(tmp_path / "nope.txt"))


def test_stale_corrections_are_refused():
    article = parse_article("今年5月，渝昆高铁川渝段开工。", title="t", reference_year=2020)
    with pytest.raises(CorrectionError, match="no projects with key"):
        apply_corrections(article, [{"kind": "projects", "key": "不存在", "drop": True, "why": "x"}])
    with pytest.raises(CorrectionError, match="why"):
        apply_corrections(article, [{"kind": "projects", "key": "渝昆高铁川渝段", "drop": True}])


def test_repointing_visits_every_reference_field():
    """REFERRED_FROM is REFERENCES read the other way: no field is missed or invented; and
    ONE_KEY_FIELDS are exactly the reference fields that hold one key rather than a list."""
    backwards = {kind: set() for kind in KINDS}
    for holder, names in REFERENCES.items():
        for name, target in names.items():
            backwards[target].add((holder, name))
    assert {kind: set(REFERRED_FROM.get(kind, ())) for kind in KINDS} == backwards
    for holder, names in REFERENCES.items():
        for name in names:
            holds_a_list = CANDIDATE_TYPES[holder].__dataclass_fields__[name].default_factory is list
            assert holds_a_list == (name not in ONE_KEY_FIELDS), (holder, name)


# ---------------------------------------------------------------- loading


@pytest.mark.django_db
def test_loading_twice_changes_nothing():
    call_command("load_plan", stdout=StringIO())
    counts = [m.objects.count() for m in (Source, Passage, Initiative, Project, Agreement, Milestone)]
    snapshot = json.dumps(list(Project.objects.values().order_by("slug")), default=str)
    out = StringIO()
    call_command("load_plan", stdout=out)
    assert "0 created" in out.getvalue() and "kept" in out.getvalue()
    assert [m.objects.count() for m in (Source, Passage, Initiative, Project, Agreement, Milestone)] == counts
    assert json.dumps(list(Project.objects.values().order_by("slug")), default=str) == snapshot


@pytest.mark.django_db
def test_loaded_plan_links_records_to_their_evidence():
    call_command("load_plan", stdout=StringIO())
    project = Project.objects.get(slug="渝昆高铁川渝段")
    assert project.status == Project.Status.APPROVED
    assert {m.date_precision for m in project.milestones.all()} == {"late_month", "plan_period"}
    assert all("渝昆高鐵" in p.text for p in project.evidence.all())
    group = Initiative.objects.get(slug="两中心两区两地")
    assert group.children.count() == 6
    strategic = Agreement.objects.get(kind="strategic")
    assert strategic.party_places.filter(name="永川区").exists()


@pytest.mark.django_db
def test_a_failed_import_leaves_the_database_as_it_was():
    records = json.loads(FIXTURE.read_text(encoding="utf-8"))
    broken = [*records[:40], {"model": "kb.milestone", "fields": {"slug": "bad", "title": "日期与精度不符", "date": "2020-05-07", "date_precision": "month", "status": "done", "evidence": []}}]
    with pytest.raises(ImportRefused, match="record 41"):
        import_records(records=broken, label="test")
    assert Source.objects.count() == 0 and Passage.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("records", "message"),
    [
        ([{"model": "kb.nosuch", "fields": {}}], "record 1"),
        ([{"fields": {}}], "lacks 'model'"),
        ([{"model": "kb.project", "fields": {"slug": "x", "name": "x", "kind": "nonsense"}}], "record 1"),
        ([{"model": "kb.passage", "fields": {"source": ["missing"], "position": 1, "text": "t"}}], "record 1"),
    ],
)
def test_malformed_records_are_refused_with_their_position(records, message):
    with pytest.raises(ImportRefused, match=message):
        import_records(records=records, label="test")


@pytest.mark.django_db
def test_malformed_fixture_files_are_refused(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"not": "a list"}')
    with pytest.raises(CommandError, match="JSON list"):
        call_command("load_plan", str(bad), stdout=StringIO())
    bad.write_text("[{")
    with pytest.raises(CommandError, match="not valid JSON"):
        call_command("load_plan", str(bad), stdout=StringIO())


@pytest.mark.django_db
def test_reloading_keeps_staff_corrections_unless_asked_to_replace():
    call_command("load_plan", stdout=StringIO())
    project = Project.objects.get(slug="渝昆高铁川渝段")
    project.status = Project.Status.UNDER_CONSTRUCTION
    project.save()
    call_command("load_plan", stdout=StringIO())
    assert Project.objects.get(slug="渝昆高铁川渝段").status == Project.Status.UNDER_CONSTRUCTION
    call_command("load_plan", "--replace", stdout=StringIO())
    assert Project.objects.get(slug="渝昆高铁川渝段").status == Project.Status.APPROVED
