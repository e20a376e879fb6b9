"""Agreements and documents show, sort and export their dates as the source wrote them (issue 12,
item 4), and staff correct them in the admin like a milestone's date."""

import csv
import datetime
import io

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from apps.core.text import to_simplified
from apps.kb.models import Agreement, PolicyDocument

AGREEMENTS = reverse("kb:agreement-list")
DOCUMENTS = reverse("kb:document-list")


def rows(response) -> list[dict]:
    """The CSV's rows, in Simplified whichever script the export writes names in."""
    reader = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))
    return [{key: to_simplified(value) for key, value in row.items()} for row in reader]


def test_the_seed_dates_four_of_seven_agreements_and_one_document(plan):
    assert Agreement.objects.exclude(date=None).count() == 4 and Agreement.objects.count() == 7
    assert PolicyDocument.objects.exclude(date=None).count() == 1


def test_sort_by_date_puts_dated_agreements_in_order_and_undated_last(plan, client):
    Agreement.objects.create(
        slug="same-month-day",
        name="同月某日协议",
        date=datetime.date(2019, 11, 1),
        date_precision="day",
        date_text="2019年11月1日",
    )
    Agreement.objects.create(
        slug="that-year", name="当年协议", date=datetime.date(2019, 1, 1), date_precision="year", date_text="去年"
    )
    by_date = list(Agreement.objects.order_by("date", "name").exclude(date=None))
    for ordering, newest_first in (("date", False), ("-date", True)):
        data = rows(client.get(AGREEMENTS, {"ordering": ordering, "format": "csv"}))
        names = [row["名称"] for row in data]
        by_name = {to_simplified(a.name): a for a in Agreement.objects.all()}
        dated = [n for n in names if by_name[n].date]
        assert names[: len(dated)] == dated and len(dated) == len(by_date)  # undated last, both ways
        dates = [by_name[n].date for n in dated]
        assert dates == sorted(dates, reverse=newest_first)
        # the same first day: the precise date before the month it falls in
        assert names.index("同月某日协议") < names.index("渝川黔毗邻地区经济社会发展协作第二次会议合作共识")
    default = [row["名称"] for row in rows(client.get(AGREEMENTS, {"format": "csv"}))]
    newest = max(a.date for a in by_date)
    assert {to_simplified(a.name): a for a in Agreement.objects.all()}[default[0]].date == newest


def test_exports_and_the_table_show_dates_as_written_never_an_invented_day(plan, client):
    response = client.get(AGREEMENTS, {"format": "csv"})
    body = response.content.decode("utf-8-sig")
    by_name = {row["名称"]: row for row in rows(response)}
    assert (
        by_name["渝川黔毗邻地区经济社会发展协作第二次会议合作共识"]["日期（按原文）"] == "2019年11月（原文：去年11月）"
    )
    assert by_name["重庆市发改委、交通局合作备忘录"]["日期（按原文）"].startswith("2020年4月（原文：今年4月以")
    assert by_name["泸州、永川、江津合作共识"]["日期（按原文）"] == ""
    assert "2019-11-01" not in body and "11月1日" not in body and "2020-04-01" not in body
    data = client.get(DOCUMENTS, {"format": "json"}).json()
    (dated,) = [d for d in data if d["日期（按原文）"]]
    assert dated["日期（按原文）"] == "2020年11月" and "2020-11-01" not in str(data)
    page = client.get(AGREEMENTS).content.decode()
    assert "2019年11月（原文：去年11月）" in page and "2019-11-01" not in page


def test_a_record_page_says_when_as_written(plan, client):
    agreement = Agreement.objects.get(slug="渝川黔毗邻地区经济社会发展协作第二次会议合作共识")
    page = client.get(agreement.get_absolute_url()).content.decode()
    assert "2019年11月（原文：去年11月）" in page and "2019年11月1日" not in page


@pytest.mark.django_db
def test_a_date_must_be_the_first_day_of_its_precision_or_absent(small_plan):
    agreement = small_plan["agreement"]
    for date, precision in ((datetime.date(2019, 11, 5), "month"), (None, "month"), (datetime.date(2019, 1, 1), "")):
        agreement.date, agreement.date_precision = date, precision
        with pytest.raises(IntegrityError), transaction.atomic():
            agreement.save()


def test_staff_correct_a_date_in_the_admin_with_chinese_labels_and_no_time_zone_note(plan, client, planner):
    client.force_login(planner)
    agreement = Agreement.objects.get(slug="泸州永川江津合作共识")
    change = reverse("admin:kb_agreement_change", args=[agreement.pk])
    html = client.get(change).content.decode()
    for label in ("日期", "日期精度", "原文日期"):
        assert f">{label}：</label>" in html or f">{label}:</label>" in html, label
    assert "kb/admin/plain_dates.js" in html  # no "你比服务器时间滞后8个小时" on the date field
    assert html.index('name="date"') < html.index('name="quote"')  # with name and kind, not at the end
    data = {
        "slug": agreement.slug,
        "name": agreement.name,
        "kind": agreement.kind,
        "base_version": agreement.version,
        "date": "2020-11-15",
        "date_precision": "month",
        "date_text": "目前",
        "description": "",
        "quote": agreement.quote,
        "evidence": [p.pk for p in agreement.evidence.all()],
        "party_places": [p.pk for p in agreement.party_places.all()],
        "milestones-TOTAL_FORMS": "0",
        "milestones-INITIAL_FORMS": "0",
        "kb-alias-content_type-object_id-TOTAL_FORMS": "0",
        "kb-alias-content_type-object_id-INITIAL_FORMS": "0",
    }
    response = client.post(change, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    agreement.refresh_from_db()
    # any day of the month is accepted and stored as its first day, as precise as chosen
    assert (agreement.date, agreement.date_precision, agreement.date_text) == (
        datetime.date(2020, 11, 1),
        "month",
        "目前",
    )
    assert agreement.history.first().history_user == planner
    data = rows(client.get(AGREEMENTS, {"format": "csv"}))
    assert {r["名称"]: r["日期（按原文）"] for r in data}["泸州、永川、江津合作共识"] == "2020年11月（原文：目前）"
    # a date without its precision is refused with a message, not saved
    refused = client.post(change, {**data_of(agreement), "date": "2020-11-15", "date_precision": ""})
    assert refused.status_code == 200 and "有日期时请选择日期精度" in refused.content.decode()


def data_of(agreement):
    return {
        "slug": agreement.slug,
        "name": agreement.name,
        "kind": agreement.kind,
        "base_version": agreement.version,
        "date_text": agreement.date_text,
        "description": "",
        "quote": agreement.quote,
        "evidence": [p.pk for p in agreement.evidence.all()],
        "party_places": [p.pk for p in agreement.party_places.all()],
        "milestones-TOTAL_FORMS": "0",
        "milestones-INITIAL_FORMS": "0",
    }
