"""The bulk import (``manage.py import_corpus``): a slice of the real provincial reports (the first
lines of three of them, so the module stays fast), then files made here for what the slice cannot
show: web-page chrome, a bad file beside good ones, GB18030, bookkeeping CSVs, an interrupted run."""

import csv
import datetime
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse

from apps.core.text import to_simplified
from apps.ingest.corpus import importing
from apps.ingest.corpus.cleaning import clean_lines
from apps.ingest.corpus.reading import Document, Problem, Skipped, decode, read_all, read_date
from apps.ingest.decisions import accept
from apps.ingest.models import Candidate
from apps.kb.models import Agreement, Initiative, Milestone, Passage, Place, PolicyDocument, Project, Source
from apps.search.engine import search

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "provincial-reports-2026"
SLICE = ("四川省", "重庆市", "上海市")
LINES = 40  # of each report's text: its chrome, its opening and its first headings

needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not here")


def write_slice(folder: Path) -> Path:
    """The first LINES lines of three reports, as CSVs with the collection's columns, and the
    collection's two bookkeeping files."""
    folder.mkdir(parents=True, exist_ok=True)
    for province in SLICE:
        [row] = csv.DictReader((CORPUS / f"2026_{province}_政府工作报告.csv").open(encoding="utf-8-sig"))
        row["full_text"] = "\n".join(row["full_text"].splitlines()[:LINES])
        with (folder / f"2026_{province}_政府工作报告.csv").open("w", encoding="utf-8-sig", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(row))
            writer.writeheader()
            writer.writerow(row)
    for name in ("run_manifest_2026.csv", "failures_2026.csv"):
        shutil.copy(CORPUS / name, folder / name)
    return folder


def run(*paths) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_corpus", *map(str, paths), "--no-progress", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def records() -> int:
    return sum(m.objects.count() for m in (Initiative, Project, Agreement, PolicyDocument, Milestone))


@pytest.fixture(scope="module")
def reports(django_db_setup, django_db_blocker, tmp_path_factory):
    """The slice, imported once for the module inside a transaction rolled back at its end."""
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not here")
    folder = write_slice(tmp_path_factory.mktemp("corpus") / "reports")
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        before = records()
        output = run(folder)
    yield {"folder": folder, "output": output, "records_before": before}
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def imported(reports, db):
    return reports


# ---------------------------------------------------------------- the real reports


@needs_corpus
def test_the_slice_loads_three_reports_with_their_passages_and_says_so(imported):
    out, err = imported["output"]
    assert Source.objects.filter(document_type="政府工作报告").count() == 3
    for source in Source.objects.filter(document_type="政府工作报告"):
        assert 10 < source.passages.count() <= LINES
    assert "文件 3 篇" in out and "失败 0" in out and "MB/s" in out and err == ""
    assert Passage.objects.filter(source__document_type="政府工作报告").count() == int(out.split("段落 ")[1].split("，")[0])


@needs_corpus
def test_every_imported_passage_has_its_created_history_row(imported):
    passages = Passage.objects.filter(source__document_type="政府工作报告")
    history = Passage.history.filter(id__in=passages.values("pk"))
    assert history.count() == passages.count() > 0
    assert set(history.values_list("history_type", "history_change_reason")) == {("+", importing.HISTORY_REASON)}


@needs_corpus
def test_reports_keep_issuer_type_date_region_and_url(imported):
    sichuan = Source.objects.get(title="2026年四川省人民政府工作报告")
    assert sichuan.publisher == "四川省人民政府"
    assert sichuan.document_type == "政府工作报告"
    assert (sichuan.published, sichuan.published_precision) == (datetime.date(2026, 2, 25), "day")
    assert sichuan.reference_year == 2026
    assert sichuan.region.name == "四川省" and sichuan.region.level == Place.Level.PROVINCE
    assert sichuan.url == "https://www.sc.gov.cn/10462/c105962s/2026/2/10/c3064029fbc341e99c8ce71ce3aec20c.shtml?c2Id=280&c1Id=36"
    shanghai = Source.objects.get(title="2026年上海市政府工作报告")
    assert shanghai.region.name == "上海市" and shanghai.publisher == "上海市人民政府"
    assert shanghai.url.startswith("https://s.fjlib.net:6443/")  # the library proxy's link, as given


@needs_corpus
def test_the_pages_chrome_is_gone_and_headings_are_headings(imported):
    shanghai = Source.objects.get(title="2026年上海市政府工作报告")
    lines = shanghai.text.splitlines()
    for chrome in ("下载", "打印", "全屏", "收藏", "【字号：", "加大", "】", "时间：2026-02-09", "来源：解放日报"):
        assert chrome not in lines
    assert "2026年上海市政府工作报告" not in lines  # the title is the source's title, not a passage
    assert lines[0].startswith("——2026年2月3日在上海市第十六届人民代表大会")
    headings = list(shanghai.passages.filter(kind="heading").values_list("text", flat=True))
    assert "一、2025年工作回顾" in headings and "（一）全力促进经济平稳健康发展" in headings
    paragraph = shanghai.passages.get(text__startswith="稳增长政策措施加快落地见效")
    assert paragraph.section == "（一）全力促进经济平稳健康发展"


@needs_corpus
def test_the_reports_are_searchable_and_publish_no_record(imported):
    assert records() == imported["records_before"]  # candidates wait in review: nothing published
    hits = search("双城经济圈").results
    assert any(hit.kind == "passage" and "四川" in hit.title for hit in hits)


@needs_corpus
def test_the_candidates_wait_in_the_queue_until_a_reviewer_accepts_one(imported, client):
    out, _ = imported["output"]
    queued = Candidate.objects.filter(source__document_type="政府工作报告", status=Candidate.Status.PENDING)
    assert queued.count() == int(out.split("候选记录 ")[1].split("（")[0]) > 0  # the summary counts what is queued
    candidate = queued.filter(kind="projects", action=Candidate.Action.NEW).first()
    listed = client.get(reverse("kb:project-list")).content.decode()
    assert to_simplified(candidate.name) not in listed  # hidden while 待审核
    reviewer = User.objects.create_superuser("corpus-reviewer", password="pw-review-1")
    outcome = accept(candidates=[candidate], user=reviewer)
    assert [c.pk for c, _ in outcome.done] == [candidate.pk]
    record = outcome.done[0][1]
    assert record.history.first().history_user == reviewer
    assert to_simplified(candidate.name) in client.get(reverse("kb:project-list")).content.decode()


@needs_corpus
def test_a_second_run_adds_nothing(imported):
    counts = (Source.objects.count(), Passage.objects.count(), Place.objects.count())
    out, _ = run(imported["folder"])
    assert "文件 0 篇" in out and "跳过 5" in out  # three reports already there, two bookkeeping files
    assert out.count("已导入过") == 3
    assert (Source.objects.count(), Passage.objects.count(), Place.objects.count()) == counts


@needs_corpus
def test_the_collections_bookkeeping_csvs_are_skipped_by_their_columns(imported, tmp_path):
    out, _ = imported["output"]
    assert "run_manifest_2026.csv：是文件集的记录清单" in out and "failures_2026.csv：是文件集的记录清单" in out
    renamed = tmp_path / "清单.csv"  # by its columns, whatever the name
    shutil.copy(CORPUS / "run_manifest_2026.csv", renamed)
    [item] = read_all([renamed])
    assert isinstance(item, Skipped) and "source_type" in item.note


# ---------------------------------------------------------------- files made here

CHROME_PAGE = """下载
打印
全屏
收藏
【字号：
加大
还原
减小
】
【字号 大 中 小】
泸州市推进成渝地区双城经济圈建设实施方案
来源：泸州日报
时间：2026-03-01
2026-03-01 09:20:33
一、总体要求
泸州市加快融入成渝地区双城经济圈建设，今年启动川南渝西融合发展试验区建设。
（一）主要目标
到2027年，泸州港集装箱吞吐量达到30万标箱。
泸州市推进成渝地区双城经济圈建设实施方案
相关报道：
泸州召开全市经济工作会议
"""


def test_chrome_lines_and_repeated_titles_and_dates_are_stripped():
    lines = clean_lines(CHROME_PAGE, title="泸州市推进成渝地区双城经济圈建设实施方案")
    assert lines == [
        "一、总体要求",
        "泸州市加快融入成渝地区双城经济圈建设，今年启动川南渝西融合发展试验区建设。",
        "（一）主要目标",
        "到2027年，泸州港集装箱吞吐量达到30万标箱。",
    ]


def test_lines_a_web_page_broke_inside_a_sentence_are_joined():
    broken = "7.“双向揭榜挂帅”：企业找技术、成果找市场“双向\n揭榜\n挂帅”的简称\n；由需求方带资金\n。\n8.下一条。"
    assert clean_lines(broken) == ["7.“双向揭榜挂帅”：企业找技术、成果找市场“双向揭榜挂帅”的简称；由需求方带资金。", "8.下一条。"]


def test_a_text_file_imports_as_a_document_with_its_headings(db, tmp_path):
    (tmp_path / "泸州方案.txt").write_text(CHROME_PAGE, encoding="utf-8")
    before = records()
    out, _ = run(tmp_path)
    source = Source.objects.get(title="泸州市推进成渝地区双城经济圈建设实施方案")  # the first line, not the file name
    assert source.document_type == "实施方案"  # read from the title
    assert (source.published, source.reference_year) == (datetime.date(2026, 3, 1), 2026)  # the page's 时间：
    assert [p.kind for p in source.passages.all()] == ["heading", "paragraph", "heading", "paragraph"]
    assert [p.text for p in source.passages.filter(kind="heading")] == ["一、总体要求", "（一）主要目标"]
    assert "1 篇" in out and records() == before


def test_a_gb18030_file_is_read(db, tmp_path):
    text = "泸州港2026年集装箱吞吐量增长。\n川南渝西融合发展试验区今年启动建设。"
    (tmp_path / "gb.txt").write_bytes(text.encode("gb18030"))
    assert decode(text.encode("gb18030")) == text
    run(tmp_path)
    assert Source.objects.get(title="gb").text == text
    assert search("吞吐量").results


def test_a_bad_file_is_named_and_the_others_load(db, tmp_path):
    (tmp_path / "good.txt").write_text("泸州港2026年集装箱吞吐量增长。", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\x00\x01")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "undecodable.txt").write_bytes(b"\xff\xfe\xfa\x80\x81")
    (tmp_path / "no-text.csv").write_text("name,comment\n泸州,港口\n", encoding="utf-8")
    (tmp_path / "rows.csv").write_text(
        "province,year,title,publish_date,full_text\n"
        "四川省,2026,好的一篇,2026-02-01,四川省今年推进成渝地区双城经济圈建设。\n"
        "四川省,2026,少一列,2026-02-01\n"
        "四川省,2026,坏日期,2026-13-45,正文在这里。\n"
        "四川省,2026,空正文,2026-02-01,\n",
        encoding="utf-8",
    )
    sources = Source.objects.count()
    with pytest.raises(CommandError, match="7 项未能导入"):
        out, err = StringIO(), StringIO()
        call_command("import_corpus", str(tmp_path), "--no-progress", stdout=out, stderr=err)
    err = err.getvalue()
    for name, problem in [("binary.txt", "二进制"), ("empty.txt", "空"), ("undecodable.txt", "无法解码"),
                          ("no-text.csv", "没有正文列"), ("rows.csv：第 2 条记录", "列数不对"),
                          ("rows.csv：第 3 条记录", "发布日期"), ("rows.csv：第 4 条记录", "正文为空")]:
        assert any(name in line and problem in line for line in err.splitlines()), (name, err)
    assert Source.objects.count() == sources + 2
    assert set(Source.objects.values_list("title", flat=True)) >= {"good", "好的一篇"}
    assert not Source.objects.filter(title__in=["少一列", "坏日期", "空正文"]).exists()


def test_an_interrupted_run_resumes_where_it_stopped(db, tmp_path, monkeypatch):
    for n in (1, 2, 3):
        (tmp_path / f"{n}.txt").write_text(f"泸州港2026年第{n}批集装箱吞吐量增长。", encoding="utf-8")
    real = importing.parse_article
    calls = []

    def interrupted(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(importing, "parse_article", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run(tmp_path)
    assert list(Source.objects.filter(title__in=["1", "2", "3"]).values_list("title", flat=True)) == ["1"]
    monkeypatch.setattr(importing, "parse_article", real)
    out, _ = run(tmp_path)
    assert "文件 2 篇" in out and "跳过 1" in out
    assert Source.objects.filter(title__in=["1", "2", "3"]).count() == 3


def test_the_same_text_in_another_encoding_or_line_ends_is_the_same_document(db, tmp_path):
    text = "泸州港2026年集装箱吞吐量增长。\n川南渝西融合发展试验区今年启动建设。"
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(text.replace("\n", "\r\n").encode("gb18030"))
    out, _ = run(tmp_path)
    assert "文件 1 篇" in out and "跳过 1" in out


def test_csv_rows_read_their_metadata_and_refuse_what_is_malformed(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("\ufeffprovince,year,title,source_url,publish_date,full_text\n"
                    "重庆市,2026,2026年重庆市政府工作报告,https://example.org/r,2026-02,\"第一行\n第二行\"\n"
                    "重庆市,20x6,坏年份,,2026-02-03,正文\n", encoding="utf-8")
    good, bad = read_all([path])
    assert isinstance(good, Document) and isinstance(bad, Problem)
    assert (good.issuer, good.document_type, good.region, good.url) == (
        "重庆市人民政府", "政府工作报告", "重庆市", "https://example.org/r")
    assert (good.published, good.published_precision, good.reference_year) == (datetime.date(2026, 2, 1), "month", 2026)
    assert good.text == "第一行\n第二行"
    assert "年份" in bad.message
    assert read_date("2026-02-03 09:20") == (datetime.date(2026, 2, 3), "day")
