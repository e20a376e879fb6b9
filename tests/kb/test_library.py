"""The sources as a library: /sources/ lists documents with facets (type, region, issuer, year),
newest first; a document's reader has its contents, numbered passages, the records it evidences,
and a search within it. What a choice lists and what it must not; hostile parameters are 4xx or
ignored, never 500."""

import datetime
import re

import pytest
from django.urls import reverse

from apps.kb.models import Passage, Place, Project, Source

pytestmark = pytest.mark.django_db

LIBRARY = reverse("kb:source-list")


def make_source(slug, title, *, region=None, publisher="", document_type="", published=None, lines=()):
    source = Source.objects.create(
        slug=slug, title=title, publisher=publisher, document_type=document_type, region=region,
        published=published, published_precision="day" if published else "", text="\n".join(lines) or title,
    )
    for position, line in enumerate(lines, start=1):
        kind = "heading" if line.startswith(("一、", "二、", "（一）", "（二）")) else "paragraph"
        Passage.objects.create(source=source, position=position, kind=kind, text=line)
    return source


@pytest.fixture
def library(plan):
    sichuan, chongqing = Place.objects.get(slug="四川省"), Place.objects.get(slug="重庆市")
    report = make_source(
        "sc-2026", "2026年四川省人民政府工作报告", region=sichuan, publisher="四川省人民政府",
        document_type="政府工作报告", published=datetime.date(2026, 2, 25), lines=[
            "一、2025年工作回顾", "（一）扩内需稳增长", "渝昆高铁建成投用，川南渝西融合发展。",
            "二、2026年工作安排", "推动成渝地区双城经济圈建设走深走实。",
        ])
    make_source("cq-2025", "2025年重庆市政府工作报告", region=chongqing, publisher="重庆市人民政府",
                document_type="政府工作报告", published=datetime.date(2025, 1, 20),
                lines=["重庆今年推进成渝地区双城经济圈建设，渝昆高铁加快建设。"])
    make_source("sc-plan", "四川省交通实施方案", region=sichuan, publisher="四川省人民政府",
                document_type="实施方案", published=datetime.date(2026, 3, 1), lines=["加快建设川南城际铁路。"])
    return report


def facet(response, name):
    (found,) = [f for f in response.context["facets"] if f["name"] == name] or [{"options": []}]
    return {o["label"]: (o["count"], o["selected"]) for o in found["options"]}


def titles(response):
    return [s.title for s in response.context["object_list"]]


def test_the_library_lists_documents_newest_first_and_undated_ones_last(client, library):
    # On PostgreSQL a plain descending order puts a document with no date first; on SQLite, last.
    make_source("undated", "没有日期的文件", lines=["正文。"])
    assert titles(client.get(LIBRARY)) == [
        "四川省交通实施方案", "2026年四川省人民政府工作报告", "2025年重庆市政府工作报告",
        "瀘州市發展改革委推動融入成渝地區雙城經濟圈建設",  # the seed article, 2020
        "没有日期的文件",
    ]


def test_facets_count_each_choice_given_the_other_filters(client, library):
    response = client.get(LIBRARY)
    assert facet(response, "document_type") == {"实施方案": (1, False), "政府工作报告": (2, False)}
    assert facet(response, "region")["四川省"] == (2, False) and facet(response, "region")["重庆市"] == (1, False)
    assert facet(response, "year")["2026年"] == (2, False)
    chosen = client.get(LIBRARY, {"document_type": "政府工作报告"})
    assert titles(chosen) == ["2026年四川省人民政府工作报告", "2025年重庆市政府工作报告"]
    assert facet(chosen, "document_type")["实施方案"] == (1, False)  # its own facet ignores its own choice
    assert facet(chosen, "year") == {"2026年": (1, False), "2025年": (1, False)}  # other facets follow it
    assert "2020年" not in facet(chosen, "year")  # the seed article is no report: a zero count is hidden


def test_region_and_year_and_issuer_filter_and_combine(client, library):
    assert titles(client.get(LIBRARY, {"region": "重庆市"})) == ["2025年重庆市政府工作报告"]
    both = client.get(LIBRARY, {"region": "四川省", "year": "2026", "document_type": "政府工作报告"})
    assert titles(both) == ["2026年四川省人民政府工作报告"]
    assert titles(client.get(LIBRARY, {"publisher": "重庆市人民政府"})) == ["2025年重庆市政府工作报告"]


def test_facet_options_are_links_that_work_without_a_script(client, library):
    body = client.get(LIBRARY).content.decode()
    assert re.search(r'<a href="/sources/\?document_type=[^"]+" role="checkbox" aria-checked="false"', body)


def test_the_reader_has_contents_numbered_passages_and_a_search_within(client, library):
    body = client.get(library.get_absolute_url()).content.decode()
    contents = re.search(r'<nav class="toc".*?</nav>', body, re.S).group()
    assert re.findall(r'<li class="toc-level-(\d)"><a href="#p(\d+)">([^<]+)</a>', contents) == [
        ("1", "1", "一、2025年工作回顾"), ("2", "2", "（一）扩内需稳增长"), ("1", "4", "二、2026年工作安排")]
    assert 'id="p3"' in body and 'href="#p3" aria-label="第3段">3</a>' in body
    assert f'name="source" value="{library.pk}"' in body and 'action="/search/"' in body
    assert "政府工作报告" in body and "四川省人民政府" in body
    assert "据此文整理的记录" not in body  # nothing is read from it yet


def test_the_reader_lists_the_records_it_evidences_by_kind(client, plan):
    seed = Source.objects.get()
    body = client.get(seed.get_absolute_url()).content.decode()
    section = re.search(r'<section class="evidenced".*?</section>', body, re.S).group()
    assert re.search(r"<h3>项目（\d+）</h3>", section) and re.search(r"<h3>举措（\d+）</h3>", section)
    assert Project.objects.get(slug="s33泸永高速").get_absolute_url() in section


def test_searching_within_a_document_finds_only_its_passages(client, library):
    search = reverse("search:search")
    everywhere = client.get(search, {"q": "渝昆高铁"}).context["result"].results
    within = client.get(search, {"q": "渝昆高铁", "source": library.pk}).context["result"].results
    assert [(r.kind, Passage.objects.get(pk=r.id).source_id) for r in within] == [("passage", library.pk)]
    assert len(everywhere) > len(within)  # the seed's records and the Chongqing report's passage too


@pytest.mark.parametrize("query", [
    {"year": "99999999999999999999"}, {"year": "\x00"}, {"region": "没有这个地方"}, {"document_type": "x" * 5000},
    {"ordering": "-nothing"}, {"page": "999999999999"}, {"publisher": "四川\x00省人民政府"},
])
def test_hostile_parameters_are_refused_or_ignored_never_a_server_error(client, library, query):
    response = client.get(LIBRARY, query)
    assert response.status_code < 500
    if response.status_code == 200:
        assert "2026年四川省人民政府工作报告" in response.content.decode() or not response.context["object_list"]


def test_the_library_exports_what_it_lists(client, library):
    csv = client.get(LIBRARY, {"document_type": "实施方案", "format": "csv"}).content.decode("utf-8-sig")
    assert "四川省交通实施方案" in csv and "重庆市政府工作报告" not in csv
