import datetime

import pytest
from django.db import IntegrityError, connection, transaction

from apps.core.periods import plan_period_name
from apps.kb.models import Initiative, Milestone, Passage, Place, Project

pytestmark = pytest.mark.django_db


def make_milestone(**kw):
    fields = {"slug": "m", "title": "事项", "date": datetime.date(2020, 5, 1), "date_precision": "month"}
    fields.update(kw)
    return Milestone.objects.create(**fields)


@pytest.mark.parametrize(
    ("precision", "date", "ok"),
    [
        ("day", datetime.date(2020, 9, 24), True),
        ("month", datetime.date(2020, 5, 1), True),
        ("month", datetime.date(2020, 5, 7), False),
        ("late_month", datetime.date(2020, 12, 21), True),
        ("late_month", datetime.date(2020, 12, 31), False),
        ("year", datetime.date(2020, 1, 1), True),
        ("year", datetime.date(2020, 3, 1), False),
        ("plan_period", datetime.date(2021, 1, 1), True),
        ("plan_period", datetime.date(2021, 6, 1), False),
    ],
)
def test_milestone_date_must_be_first_day_of_its_precision(precision, date, ok):
    if ok:
        assert make_milestone(date=date, date_precision=precision).pk
    else:
        with pytest.raises(IntegrityError), transaction.atomic():
            make_milestone(date=date, date_precision=precision)


def test_names_cannot_be_blank():
    with pytest.raises(IntegrityError), transaction.atomic():
        Place.objects.create(slug="x", name="", level="city")
    with pytest.raises(IntegrityError), transaction.atomic():
        Initiative.objects.create(slug="y", name="")


def test_slugs_are_unique_and_generated_in_simplified():
    first = Project.objects.create(name="瀘永高速")
    assert first.slug == "泸永高速"
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.create(name="瀘永高速")


def test_passage_positions_are_unique_per_source(small_plan):
    with pytest.raises(IntegrityError), transaction.atomic():
        Passage.objects.create(source=small_plan["source"], position=1, text="重复")


@pytest.mark.parametrize(
    ("precision", "date", "status", "shown"),
    [
        ("day", datetime.date(2020, 9, 24), "done", "2020年9月24日"),
        ("late_month", datetime.date(2020, 12, 21), "planned", "2020年12月底（预计）"),
        ("month", datetime.date(2019, 11, 1), "done", "2019年11月"),
        ("year", datetime.date(2020, 1, 1), "done", "2020年"),
        ("plan_period", datetime.date(2021, 1, 1), "planned", "“十四五”期间（2021—2025年）（预计）"),
    ],
)
def test_milestone_shows_its_date_no_more_precisely_than_known(precision, date, status, shown):
    m = Milestone(title="t", date=date, date_precision=precision, status=status)
    assert m.date_display == shown


@pytest.mark.parametrize(("year", "name"), [(2016, "十三五"), (2021, "十四五"), (2026, "十五五"), (1996, "九五")])
def test_plan_period_names(year, name):
    assert plan_period_name(year) == name


def test_relations_link_both_ways(small_plan):
    project, agreement = small_plan["project"], small_plan["agreement"]
    goal, child = small_plan["initiatives"]
    assert list(goal.children.all()) == [child]
    assert list(child.projects.all()) == [project]
    assert {p.slug for p in agreement.party_places.all()} == {"luzhou", "yongchuan"}
    assert small_plan["passages"][1].projects.get() == project
    assert small_plan["milestone"].concerns == [project]
    assert list(Milestone.objects.upcoming(datetime.date(2020, 11, 15))) == [small_plan["milestone"]]
    assert not Milestone.objects.upcoming(datetime.date(2021, 1, 1)).exists()  # its period is over
    assert small_plan["places"][1].parent == small_plan["places"][0]


def test_natural_keys_round_trip(small_plan):
    passage = small_plan["passages"][0]
    assert Passage.objects.get_by_natural_key(*passage.natural_key()) == passage
    assert Project.objects.get_by_natural_key("yukun") == small_plan["project"]


def test_get_absolute_url_uses_slug(small_plan):
    assert small_plan["project"].get_absolute_url() == "/projects/yukun/"
    assert small_plan["passages"][1].get_absolute_url() == "/sources/test-source/#p2"


def test_a_source_renamed_in_hand_links_to_its_new_slug(small_plan):
    passage = small_plan["passages"][1]
    assert passage.get_absolute_url() == "/sources/test-source/#p2"  # made once and kept …
    passage.source.slug = "renamed"  # … until the slug changes under it
    assert passage.get_absolute_url() == "/sources/renamed/#p2"


@pytest.mark.skipif(connection.vendor != "sqlite", reason="a SQLite file restored outside Django")
def test_sqlite_dump_restores_outside_django_with_the_milestone_check(small_plan):
    # The sqlite3 shell's `.dump | sqlite3 new.db`: no Django, so no Django SQL functions.
    import sqlite3

    restored = sqlite3.connect(":memory:")
    for statement in connection.connection.iterdump():
        if "search_fts" not in statement:  # Python's iterdump orders the FTS5 triggers badly
            restored.execute(statement)
    assert restored.execute("SELECT COUNT(*) FROM kb_milestone").fetchone() == (1,)
    assert restored.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    columns = [row[1] for row in restored.execute("PRAGMA table_info(kb_milestone)")]
    values = {"slug": "x", "title": "x", "date": "2020-05-07", "date_precision": "month", "date_text": "",
              "status": "done", "quote": ""}
    row = {name: values.get(name) for name in columns if name in values}
    with pytest.raises(sqlite3.IntegrityError):  # the constraint still holds there
        restored.execute(f"INSERT INTO kb_milestone ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                         list(row.values()))
