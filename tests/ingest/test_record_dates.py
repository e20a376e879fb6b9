"""Agreements and documents are dated as milestones are (issue 12, item 4): the first day of the
period, the precision the text gives and the phrase as written, read from the record's sentence
against the source's year; never a day the text does not give, never a date of another event."""

import datetime
import importlib
import json
from pathlib import Path

import pytest
from django.apps import apps as django_apps

from apps.core.text import normalise
from apps.ingest.dates import find_dates
from apps.ingest.parser import parse_article
from apps.kb.models import Agreement, PolicyDocument

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "luzhou-chengyu-integration-2020.json"


def dated(article) -> dict[str, tuple]:
    records = [*article.agreements.values(), *article.documents.values()]
    return {getattr(r, "name", None) or r.title: (r.date, r.precision, r.date_text) for r in records}


@pytest.mark.parametrize(
    ("text", "year", "name", "expected"),
    [
        # relative to the source's year, to the month: never a made-up day
        (
            "去年11月以来，泸州与永川签署合作协议。",
            2020,
            "泸州、永川合作协议",
            (datetime.date(2019, 11, 1), "month", "去年11月以来"),
        ),
        ("今年，泸州与荣昌签署合作协议。", 2020, "泸州、荣昌合作协议", (datetime.date(2020, 1, 1), "year", "今年")),
        (
            "2020年11月5日，泸州与江津签署合作协议。",
            2020,
            "泸州、江津合作协议",
            (datetime.date(2020, 11, 5), "day", "2020年11月5日"),
        ),
        (
            "11月印发的《泸州市加快西部陆海新通道建设实施方案》明确了任务。",
            2020,
            "泸州市加快西部陆海新通道建设实施方案",
            (datetime.date(2020, 11, 1), "month", "11月"),
        ),
        (
            "两市力争年底前印发《川南经济区一体化发展实施方案》。",
            2020,
            "川南经济区一体化发展实施方案",
            (datetime.date(2020, 12, 21), "late_month", "年底"),
        ),
        (
            "今年上半年，泸州与宜宾签署合作备忘录。",
            2021,
            "泸州、宜宾合作备忘录",
            (datetime.date(2021, 1, 1), "half_year", "今年上半年"),
        ),
        # in Traditional as the seed is: the phrase as written
        (
            "去年11月，在渝川黔毗鄰地區經濟社會發展協作第二次會議上，兩地達成合作共識。",
            2020,
            "渝川黔毗鄰地區經濟社會發展協作第二次會議合作共識",
            (datetime.date(2019, 11, 1), "month", "去年11月"),
        ),
    ],
)
def test_each_written_form_is_read_as_precisely_as_it_is_written(text, year, name, expected):
    found = dated(parse_article(text, title="t", reference_year=year))
    assert found[name] == expected, found


def test_a_date_that_opens_the_paragraph_s_account_dates_the_sentences_after_it():
    article = parse_article(
        "看互访交流。今年4月以来，泸州市党政代表团与重庆多地互访交流密集。积极促进泸州市党政代表团到永川区考察，"
        "签订合作协议。\n泸州与江津签署合作协议。",
        title="t",
        reference_year=2020,
    )
    found = dated(article)
    assert found["泸州市党政代表团、永川区合作协议"] == (datetime.date(2020, 4, 1), "month", "今年4月以来")
    # The next paragraph is another account: it is not dated by the one before.
    assert found["泸州、江津合作协议"] == (None, "", "")


def test_a_date_of_a_later_clause_or_of_another_event_dates_nothing():
    article = parse_article(
        "泸州与永川签署合作协议，双方将于明年3月召开联席会议。"
        "合江县入选《成渝地区双城经济圈建设县域集成改革试点方案》首批试点名单。",
        title="t",
        reference_year=2020,
    )
    found = dated(article)
    assert found["泸州、永川合作协议"] == (None, "", "")  # 明年3月 is the meeting's date
    # A document only cited (入选…名单) is not dated by what happened to something else.
    assert found["成渝地区双城经济圈建设县域集成改革试点方案"][0] is None


def test_an_undated_sentence_gives_no_date_at_all():
    article = parse_article("泸州、永川、江津已达成合作共识。", title="t", reference_year=2020)
    assert dated(article) == {"泸州、永川、江津合作共识": (None, "", "")}


def test_the_seed_dates_are_never_finer_than_the_phrase_they_were_read_from():
    records = [
        r["fields"]
        for r in json.loads(FIXTURE.read_text(encoding="utf-8"))
        if r["model"] in ("kb.agreement", "kb.policydocument")
    ]
    dated_records = [f for f in records if f["date"]]
    assert len(dated_records) >= 5
    for fields in dated_records:
        (phrase, *_) = find_dates(normalise(fields["date_text"]), 2020, datetime.date(2020, 11, 1))
        assert (fields["date"], fields["date_precision"]) == (phrase.date.isoformat(), phrase.precision), fields
    assert all(f["date_precision"] == f["date_text"] == "" for f in records if not f["date"])


# -- databases loaded before the dates existed ---------------------------------------------------


@pytest.mark.django_db
def test_the_migration_gives_loaded_records_the_fixture_dates_but_not_where_staff_cleared_one(loaded_plan):
    fill_dates = importlib.import_module("apps.ingest.migrations.0004_dates_from_fixtures").fill_dates
    consensus = Agreement.objects.get(slug="渝川黔毗邻地区经济社会发展协作第二次会议合作共识")
    memorandum = Agreement.objects.get(slug="重庆市发改委交通局合作备忘录")
    plan = PolicyDocument.objects.get(slug="泸州市加快西部陆海新通道建设实施方案")
    own = Agreement.objects.create(slug="staff-own", name="工作人员录入的协议")  # not the load's
    # As a database loaded before: no dates, except one a staff member has since cleared.
    Agreement.objects.update(date=None, date_precision="", date_text="")
    PolicyDocument.objects.update(date=None, date_precision="", date_text="")
    for model in (Agreement, PolicyDocument):  # the history of a time without the fields
        model.history.model.objects.update(date=None, date_precision="", date_text="")
    consensus.refresh_from_db()
    consensus.date, consensus.date_precision = datetime.date(2019, 1, 1), "year"
    consensus.save()
    consensus.date, consensus.date_precision = None, ""
    consensus.save()  # cleared by staff: the history keeps the date it had
    fill_dates(django_apps, None)
    for record in (consensus, memorandum, plan, own):
        record.refresh_from_db()
    assert (memorandum.date, memorandum.date_precision, memorandum.date_text) == (
        datetime.date(2020, 4, 1),
        "month",
        "今年4月以來",
    )
    assert (plan.date, plan.date_precision) == (datetime.date(2020, 11, 1), "month")
    assert consensus.date is None and own.date is None


@pytest.mark.django_db
def test_a_second_load_keeps_a_date_staff_corrected(loaded_plan):
    from io import StringIO

    from django.core.management import call_command

    memorandum = Agreement.objects.get(slug="重庆市发改委交通局合作备忘录")
    memorandum.date, memorandum.date_precision, memorandum.date_text = datetime.date(2020, 5, 1), "month", "5月"
    memorandum.save()
    call_command("load_plan", stdout=StringIO())
    memorandum.refresh_from_db()
    assert (memorandum.date, memorandum.date_text) == (datetime.date(2020, 5, 1), "5月")
