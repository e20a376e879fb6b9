"""The lists' facets and tables on the seed plan: what a choice lists and what it must not, counts
given the other filters, nested places, 合作对象 without Luzhou, sorting, chips."""

import datetime
import re

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.kb.models import Agreement, Milestone, Place, PolicyDocument, Project

pytestmark = pytest.mark.django_db

AGREEMENTS = reverse("kb:agreement-list")
PROJECTS = reverse("kb:project-list")


def names(response):
    return [r.name if hasattr(r, "name") else r.title for r in response.context["object_list"]]


def facet(response, name):
    """{label: (count, selected, href)} of one facet's shown options."""
    (found,) = [f for f in response.context["facets"] if f["name"] == name] or [{"options": []}]
    return {o["label"]: (o["count"], o["selected"], o["href"]) for o in found["options"]}


@pytest.fixture
def chengdu_only(plan):
    agreement = Agreement.objects.create(slug="chengdu-only", name="泸州—成都合作协议（测试）")
    agreement.party_places.add(Place.objects.get(slug="成都市"), Place.objects.get(slug="泸州市"))
    return agreement


def test_chongqing_includes_its_districts_and_not_other_places(client, chengdu_only):
    listed = names(client.get(AGREEMENTS, {"partner": "重庆市"}))
    assert "萬盛經開區、涪陵區合作協議" in listed  # 涪陵区 and 万盛经开区 are under 重庆市
    assert "瀘州、永川、江津合作共識" in listed
    assert "重慶市發改委、交通局合作備忘錄" in listed  # through its parties' place (重庆市发改委)
    assert chengdu_only.name not in listed
    assert "渝川黔毗鄰地區經濟社會發展協作第二次會議合作共識" not in listed  # no party place at all


def test_a_district_lists_only_its_own_agreements(client, chengdu_only):
    listed = names(client.get(AGREEMENTS, {"partner": "涪陵区"}))
    assert "萬盛經開區、涪陵區合作協議" in listed
    assert "瀘州、永川、江津合作共識" not in listed and chengdu_only.name not in listed


def test_partner_facet_nests_places_and_leaves_out_luzhou(client, chengdu_only):
    response = client.get(AGREEMENTS)
    options = facet(response, "partner")
    assert "泸州市" not in options and "泸县" not in options and "合江县" not in options
    assert options["重庆市"][0] == 6 and options["永川区"][0] == 4 and options["成都市"][0] == 3
    assert options["四川省"][0] == 3  # Sichuan counts Chengdu's agreements, not Luzhou's own
    rendered = [(o["label"], o["depth"]) for o in response.context["facets"][1]["options"]]
    chongqing = rendered.index(("重庆市", 0))
    assert ("永川区", 1) in rendered[chongqing:] and rendered.index(("永川区", 1)) > chongqing


@pytest.mark.parametrize("place", ["四川省", "泸州市", "重庆市", "永川区"])
def test_a_place_lists_projects_anywhere_under_it_and_no_others(client, plan, place):
    under = Q()
    for depth in range(4):  # an oracle apart from the facet's own tree walk
        under |= Q(**{"places" + "__parent" * depth + "__slug": place})
    expected = set(Project.objects.filter(under).values_list("name", flat=True))
    listed = names(client.get(PROJECTS, {"place": place}))
    assert set(listed) == expected and len(listed) == len(expected) and expected
    assert set(listed) < set(Project.objects.values_list("name", flat=True)) or place == "四川省"


def test_a_year_lists_the_agreements_signed_that_year(client, plan):
    listed = names(client.get(AGREEMENTS, {"year": "2019"}))
    assert listed == list(Agreement.objects.filter(date__year=2019).values_list("name", flat=True)) != []
    assert not names(client.get(AGREEMENTS, {"year": ["2019"], "partner": "重庆市"}))


def test_zero_count_options_are_not_offered(client, plan):
    options = facet(client.get(PROJECTS), "kind")
    kinds = set(Project.objects.values_list("kind", flat=True))
    assert {str(Project.Kind(k).label) for k in kinds} == set(options)
    assert "公交线路" not in options or Project.Kind.BUS_LINE in kinds
    assert all(count > 0 for count, _, _ in options.values())
    body = client.get(AGREEMENTS, {"partner": "涪陵区"}).content.decode()
    assert "合作共识" not in re.sub(r"<table.*</table>", "", body, flags=re.S)  # no consensus with 涪陵区


def test_two_values_of_one_facet_are_ored_and_two_facets_anded(client, plan):
    kinds = {"strategic", "special"}
    either = client.get(AGREEMENTS, {"kind": sorted(kinds)}).context["object_list"]
    assert {a.kind for a in either} == kinds and len(either) == Agreement.objects.filter(kind__in=kinds).count()
    both = client.get(AGREEMENTS, {"kind": "consensus", "partner": "江津区"}).context["object_list"]
    assert [a.name for a in both] == ["瀘州、永川、江津合作共識"]  # the other consensus has no 江津区


def test_counts_reflect_the_other_filters_not_their_own(client, plan):
    response = client.get(AGREEMENTS, {"kind": "consensus"})
    assert facet(response, "partner")["永川区"][0] == 1  # one consensus with 永川区, of four agreements
    kinds = facet(response, "kind")  # its own facet still counts every kind: choosing another adds to it
    assert kinds["合作共识"][:2] == (2, True) and kinds["战略合作协议"][0] == 1


def test_chosen_options_show_as_chips_that_remove_them(client, plan):
    response = client.get(AGREEMENTS, {"kind": "consensus", "partner": "永川区", "page": "1"})
    chips = {c["label"]: c["href"] for c in response.context["chips"]}
    assert set(chips) == {"合作共识", "永川区"}
    assert "kind" not in chips["合作共识"] and "partner=" in chips["合作共识"] and "page" not in chips["合作共识"]
    body = response.content.decode()
    assert 'aria-checked="true"' in body and "清除全部" in body
    assert not client.get(AGREEMENTS).context["chips"]


def test_filters_are_links_that_work_without_a_script(client, plan):
    body = client.get(AGREEMENTS).content.decode()
    assert "<select" not in body and "<button" not in body.split("<main", 1)[-1]
    href = facet(client.get(AGREEMENTS), "partner")["重庆市"][2]
    assert "partner=" in href and len(names(client.get(href))) == 6


def test_sort_options_are_chinese(client, plan):
    body = client.get(AGREEMENTS).content.decode()
    assert "---------" not in body
    headings = [h["label"] for h in client.get(PROJECTS).context["table"]["headings"]]
    assert headings == ["名称", "类型", "状态", "涉及地方", "下一节点"]
    for name in ("kb:initiative-list", "kb:project-list", "kb:agreement-list", "kb:document-list"):
        for h in client.get(reverse(name)).context["table"]["headings"]:
            assert not re.search(r"[A-Za-z]", str(h["label"])), h


def test_agreements_sorted_by_date_keep_undated_last_both_ways(client, plan):
    dated = Agreement.objects.exclude(date=None).values_list("name", flat=True)
    for ordering in ("date", "-date"):
        listed = names(client.get(AGREEMENTS, {"ordering": ordering}))
        assert listed[0] in dated and len(listed) == Agreement.objects.count()
    body = client.get(AGREEMENTS, {"ordering": "date"}).content.decode()
    assert 'aria-sort="ascending"' in body and "2019年11月（原文：去年11月）" in body
    assert "2019-11-01" not in body


def test_projects_table_shows_the_next_milestone_as_written(client, plan):
    response = client.get(PROJECTS, {"ordering": "next"})
    first = response.context["table"]["rows"][0]["cells"]
    assert first[0]["text"] == "渝昆高鐵川渝段" and first[4]["text"].startswith("2020年12月底（预计）")


def test_initiatives_table_counts_projects_and_agreements(client, plan):
    rows = client.get(reverse("kb:initiative-list"), {"ordering": "-projects"}).context["table"]["rows"]
    top = rows[0]["record"]
    assert rows[0]["cells"][2]["text"] == top.projects.count() > 0
    assert rows[0]["cells"][3]["text"] == top.agreements.count()


@pytest.mark.parametrize("query", [{"partner": "泸州市"}, {"partner": "没有"}, {"kind": "x"}, {"ordering": "quote"},
                                   {"partner": ["重庆市", "<b>"]}, {"year": "１"}])
def test_invalid_choices_give_a_page_not_an_error(client, plan, query):
    response = client.get(AGREEMENTS, query)
    assert response.status_code == 200 and not response.context["object_list"]
    assert "<b>" not in response.content.decode()


def test_a_place_loop_made_in_the_admin_does_not_hang(client, plan):
    chongqing, yongchuan = Place.objects.get(slug="重庆市"), Place.objects.get(slug="永川区")
    Place.objects.filter(pk=chongqing.pk).update(parent=yongchuan)
    assert client.get(AGREEMENTS, {"partner": "永川区"}).status_code == 200


def add_records(times):
    """``times`` copies of the seed's projects, agreements and documents, linked as the seed's are."""
    projects, agreements = list(Project.objects.all()), list(Agreement.objects.all())
    documents = list(PolicyDocument.objects.all())
    for n in range(times):
        for project in projects:
            copy = Project.objects.create(slug=f"{project.slug}-{n}", name=f"{project.name}{n}",
                                          kind=project.kind, status=project.status)
            copy.places.add(*project.places.all())
            copy.initiatives.add(*project.initiatives.all())
            Milestone.objects.create(slug=f"{project.slug}-m{n}", title="测试", date=datetime.date(2021, 1, 1),
                                     date_precision="year", status="planned", project=copy)
        for agreement in agreements:
            copy = Agreement.objects.create(slug=f"{agreement.slug}-{n}", name=f"{agreement.name}{n}",
                                            kind=agreement.kind, date=agreement.date,
                                            date_precision=agreement.date_precision)
            copy.party_places.add(*agreement.party_places.all())
            copy.party_organizations.add(*agreement.party_organizations.all())
            copy.initiatives.add(*agreement.initiatives.all())
        for document in documents:
            PolicyDocument.objects.create(slug=f"{document.slug}-{n}", title=f"{document.title}{n}",
                                          issuer=document.issuer, status=document.status)


LIST_QUERIES = [
    ("kb:initiative-list", {"ordering": "-projects"}),
    ("kb:project-list", {"place": "重庆市", "ordering": "next"}),
    ("kb:project-list", {"kind": ["railway", "expressway"], "status": "approved"}),
    ("kb:agreement-list", {"partner": ["重庆市", "成都市"], "kind": "consensus", "ordering": "date"}),
    ("kb:agreement-list", {"format": "csv", "partner": "重庆市"}),
    ("kb:document-list", {"ordering": "-date"}),
    ("kb:place-list", {}),
    ("kb:organization-list", {}),
    ("kb:timeline", {"status": "planned"}),
]


@pytest.mark.parametrize(("name", "query"), LIST_QUERIES)
def test_list_queries_do_not_grow_with_ten_times_the_records(client, plan, name, query):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(name), query).status_code == 200
        return len(captured)

    before = queries()
    add_records(10)
    assert Project.objects.count() >= 66 and Agreement.objects.count() >= 77
    assert queries() == before <= 16
