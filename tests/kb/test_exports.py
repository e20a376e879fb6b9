"""The CSV and JSON exports of the lists: headed by the models' labels, valued as the pages show
them, exactly the filtered list, and safe to open in Excel."""

import csv
import datetime
import io
import json

import pytest
from django.urls import reverse

from apps.kb.models import Agreement, Milestone, Place, PolicyDocument, Project
from apps.kb.views import ProjectList, Timeline

pytestmark = pytest.mark.django_db


def read_csv(response):
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # the BOM Excel needs to read UTF-8
    return list(csv.reader(io.StringIO(text[1:])))


def labels(model, names):
    return [str(model._meta.get_field(name).verbose_name) for name in names]


def test_csv_header_is_the_fields_labels(small_plan, client):
    header, *rows = read_csv(client.get(reverse("kb:project-list"), {"format": "csv"}))
    fields = [c.field for c in ProjectList.columns if c.field]
    assert header[:len(fields)] == labels(Project, fields)
    assert header == ["名称", "类型", "状态", "涉及地方", "下一节点", "链接"]  # the table's columns and a link
    assert rows == [["渝昆高铁川渝段", "铁路", "已批复/入选", "", "2020年12月底（预计） 渝昆高铁川渝段动工",
                     "http://testserver" + small_plan["project"].get_absolute_url()]]


def test_headers_and_values_follow_the_model_not_a_copy(small_plan, client, monkeypatch):
    monkeypatch.setattr(Project._meta.get_field("status"), "verbose_name", "进度（测试）")
    monkeypatch.setattr(Project._meta.get_field("status"), "choices", [(Project.Status.APPROVED, "获批（测试）")])
    monkeypatch.setattr(Place._meta.get_field("name"), "verbose_name", "地名（测试）")
    header, row = read_csv(client.get(reverse("kb:project-list"), {"format": "csv"}))
    assert dict(zip(header, row, strict=True))["进度（测试）"] == "获批（测试）"
    place_header, *_ = read_csv(client.get(reverse("kb:place-list"), {"format": "csv"}))
    assert place_header[0] == "地名（测试）"


def test_json_has_the_same_columns_and_values(small_plan, client):
    header, *rows = read_csv(client.get(reverse("kb:agreement-list"), {"format": "csv"}))
    data = json.loads(client.get(reverse("kb:agreement-list"), {"format": "json"}).content)
    assert [list(record) for record in data] == [header]
    assert [[str(v) for v in record.values()] for record in data] == rows
    (agreement,) = data
    assert agreement["签约各方"] == "永川区、泸州市" and agreement["日期（按原文）"] == ""
    assert agreement["链接"] == "http://testserver" + small_plan["agreement"].get_absolute_url()


def test_agreement_dates_are_exported_as_written_not_as_invented_days(small_plan, client):
    agreement = small_plan["agreement"]
    agreement.date, agreement.date_precision, agreement.date_text = datetime.date(2019, 11, 1), "month", "去年11月"
    agreement.save()
    body = client.get(reverse("kb:agreement-list"), {"format": "csv"}).content.decode()
    header, row = read_csv(client.get(reverse("kb:agreement-list"), {"format": "csv"}))
    assert dict(zip(header, row, strict=True))["日期（按原文）"] == "2019年11月（原文：去年11月）"
    assert "2019-11-01" not in body and "11月1日" not in body


def test_a_milestone_export_shows_dates_as_precise_as_the_source(small_plan, client):
    header, row = read_csv(client.get(reverse("kb:timeline"), {"format": "csv"}))
    fields = [c for c in Timeline.columns if isinstance(c, str)]
    assert set(labels(Milestone, fields)) < set(header) and "相关记录" in header
    record = dict(zip(header, row, strict=True))
    assert record["日期"] == "2020年12月底（预计）" and record["日期精度"] == "月底/下旬"
    assert record["状态"] == "计划" and record["相关记录"] == "渝昆高铁川渝段"


def test_export_is_the_filtered_list(small_plan, client):
    PolicyDocument.objects.create(slug="draft", title="草稿方案", status=PolicyDocument.Status.DRAFTING)
    _, *rows = read_csv(client.get(reverse("kb:document-list"), {"format": "csv", "status": "issued"}))
    assert [row[0] for row in rows] == ["泸州市加快西部陆海新通道建设实施方案"]


@pytest.mark.parametrize("name", ["=HYPERLINK(\"http://x\")", "+1", "-1+2", "@SUM(A1)", "\t=1"])
def test_cells_that_excel_would_run_are_quoted(small_plan, client, name):
    Agreement.objects.create(slug="evil", name=name)
    _, *rows = read_csv(client.get(reverse("kb:agreement-list"), {"format": "csv", "ordering": "name"}))
    assert ["'" + name] in [row[:1] for row in rows]


def test_commas_quotes_and_line_breaks_stay_in_their_cell(small_plan, client):
    name = '泸州,永川"合作"\n协议'
    Agreement.objects.create(slug="odd", name=name, quote="第一句，\r\n第二句")
    header, *rows = read_csv(client.get(reverse("kb:agreement-list"), {"format": "csv"}))
    (row,) = [r for r in rows if r[0] == name]
    assert len(row) == len(header) and row[-1].startswith("http://testserver/")
