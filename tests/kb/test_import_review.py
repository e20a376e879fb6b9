"""The import review: a formset over the candidates of a parse stored once (ImportDraft).
Each test edits through the page's own form, as a reviewer's browser would post it."""

import datetime
import json
import re
import uuid

import pytest
from django.urls import reverse

from apps.ingest.forms import MAX_LINKS
from apps.ingest.models import ImportDraft
from apps.ingest.review import PAGE_SIZE
from apps.kb.models import Agreement, Initiative, Milestone, Organization, PolicyDocument, Project, Source
from apps.search.engine import search

from .importing import candidate_value, field, page_fields, row, start_review

pytestmark = pytest.mark.django_db

G321 = "G321内江至自贡段改造工程"
RAILWAY = "成自宜高铁"
RAILWAY_DONE = "成自宜高铁建成通车"
TASK_FORCE = "两市联合成立内自同城化发展工作专班"
PLAN = "内自同城化发展总体规划"
STRATEGIC = "内江、荣昌区、大足区战略合作协议"
SCHEME = "内江市融入成渝地区双城经济圈建设实施方案"


@pytest.fixture
def known_railway(plan):
    """A record staff entered before the article came out, in Traditional script."""
    return Project.objects.create(slug="成自宜高铁内江段", name="成自宜高鐵內江段", kind="railway",
                                  status="building", quote="成自宜高鐵內江段加快建設。")


def imported(client, url, form):
    response = client.post(url, {**form, "_import": "导入"})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"].startswith("/admin/kb/source/")
    return response


def test_the_formset_edits_kind_name_status_date_links_merge_and_drop(client, planner, known_railway):
    client.force_login(planner)
    url, page = start_review(client)
    form = page_fields(page)
    form[field(page, G321, "name")] = "G321线内江至自贡段改造工程"
    form[field(page, G321, "kind")] = "highway"
    form[field(page, G321, "status")] = "building"
    form[field(page, G321, "initiatives")] = ["r:initiative:成渝地区双城经济圈"]  # an existing record
    form[field(page, RAILWAY_DONE, "date")] = "2022-12-21"
    form[field(page, RAILWAY_DONE, "date_precision")] = "year"
    form[field(page, RAILWAY_DONE, "date_text")] = "明年"
    form[field(page, TASK_FORCE, "concerns")] = candidate_value(page, "内自同城化发展先行区")  # a candidate
    form[field(page, STRATEGIC, "parties")] = [
        candidate_value(page, "内江市"), candidate_value(page, "荣昌区"), "r:organization:泸州市政府"]
    form[field(page, RAILWAY, "merge_into")] = "r:project:成自宜高铁内江段"
    form[field(page, SCHEME, "issuer")] = candidate_value(page, "内江市发展改革委")
    form[field(page, SCHEME, "initiatives")] = [candidate_value(page, "川南经济副中心")]
    form[field(page, "内自快速通道", "DELETE")] = "on"
    form[field(page, PLAN, "record_type")] = "initiatives"  # a plan still to be written: a task
    response = client.post(url, {**form, "_import": "导入"})
    # A change of kind is stored and shown again (its new fields need a look), not imported.
    assert response.status_code == 302 and Source.objects.count() == 1
    page = client.get(response["Location"])
    assert "已从政策文件改为举措" in page.content.decode()
    assert page_fields(page)[field(page, "内自快速通道", "DELETE")] == "on"  # the drop was stored too
    plan_row = row(page, PLAN, "initiatives")
    assert page_fields(page)[plan_row.add_prefix("kind")] == "task"
    follows = row(page, "《内自同城化发展总体规划》基本实现同城化")  # the milestone's link followed it
    assert page_fields(page)[follows.add_prefix("concerns")] == f"c:{plan_row.row.cid}"
    imported(client, url, page_fields(page))

    g321 = Project.objects.get(slug="g321内江至自贡段改造工程")
    assert (g321.name, g321.kind, g321.status) == ("G321线内江至自贡段改造工程", "highway", "building")
    assert set(g321.initiatives.values_list("slug", flat=True)) == {"成渝地区双城经济圈"}
    assert set(g321.places.values_list("name", flat=True)) == {"内江市", "自贡市"}
    done = Milestone.objects.get(title=RAILWAY_DONE)
    assert (done.date, done.date_precision, done.date_text) == (datetime.date(2022, 1, 1), "year", "明年")
    assert done.project == known_railway  # the link followed the merge
    assert Milestone.objects.get(title=TASK_FORCE).initiative.name == "内自同城化发展先行区"
    strategic = Agreement.objects.get(name=STRATEGIC)
    assert set(strategic.party_places.values_list("name", flat=True)) == {"内江市", "荣昌区"}
    assert list(strategic.party_organizations.values_list("slug", flat=True)) == ["泸州市政府"]
    # Merged: no second railway; the existing one keeps its fields and gains the evidence.
    assert not Project.objects.filter(slug=RAILWAY).exists()
    known_railway.refresh_from_db()
    assert (known_railway.name, known_railway.status) == ("成自宜高鐵內江段", "building")
    assert known_railway.evidence.filter(source__title="内自同城化加快推进", text__contains="成自宜高铁已开工").exists()
    assert [r.title for r in search("成自宜", kinds=["project"]).results] == ["成自宜高鐵內江段"]
    assert not Project.objects.filter(name="内自快速通道").exists()
    scheme = PolicyDocument.objects.get(slug=SCHEME)
    assert scheme.issuer.slug == "内江市发展改革委"
    assert list(scheme.initiatives.values_list("name", flat=True)) == ["川南经济副中心"]
    assert Initiative.objects.get(slug=PLAN).kind == "task" and not PolicyDocument.objects.filter(slug=PLAN).exists()
    assert Milestone.objects.get(title__endswith="基本实现同城化").initiative.slug == PLAN
    assert g321.history.first().history_user == planner


def test_statuses_kinds_and_precisions_are_offered_by_their_chinese_labels(client, planner, plan):
    client.force_login(planner)
    _, page = start_review(client)
    html = page.content.decode()
    g321 = row(page, G321)
    status = re.search(rf'<select name="{g321.add_prefix("status")}".*?</select>', html, re.S).group(0)
    assert re.search(r'<option value="approved" selected>已批复/入选</option>', status)
    assert ">在建<" in status and ">approved<" not in status
    kind = re.search(rf'<select name="{g321.add_prefix("kind")}".*?</select>', html, re.S).group(0)
    assert ">高速公路<" in kind and ">其他<" in kind and ">highway<" not in kind
    record_type = re.search(rf'<select name="{g321.add_prefix("record_type")}".*?</select>', html, re.S).group(0)
    assert '<option value="projects" selected>项目</option>' in record_type and ">合作协议<" in record_type
    done = row(page, RAILWAY_DONE)
    precision = re.search(rf'<select name="{done.add_prefix("date_precision")}".*?</select>', html, re.S).group(0)
    assert '<option value="late_month" selected>月底/下旬</option>' in precision


def test_each_candidates_evidence_sentence_is_marked_in_the_article_beside_it(client, planner, plan):
    client.force_login(planner)
    _, page = start_review(client)
    html = page.content.decode()
    railway = row(page, RAILWAY)
    mark = re.search(rf'<fieldset class="candidate" id="c{railway.row.cid}" data-mark="([^"]+)"', html).group(1)
    article = html.split('aria-label="原文"', 1)[1].split('aria-label="候选记录"', 1)[0]
    assert f'<mark id="{mark}" class="evidence">目前，成自宜高铁已开工建设，预计明年底建成通车；</mark>' in article
    assert f'<a href="#{mark}">' in html  # the row links to it


def test_candidates_the_knowledge_base_has_start_merged_and_can_be_kept_apart(client, planner, plan):
    client.force_login(planner)
    url, page = start_review(client)
    form = page_fields(page)
    assert form[field(page, "四川省", "merge_into")] == "r:place:四川省"  # same slug as a seed record
    assert form[field(page, "荣昌区", "merge_into")] == "r:place:荣昌区"
    form[field(page, "荣昌区", "merge_into")] = ""  # the reviewer says: a different place
    imported(client, url, form)
    assert Project.objects.count() > 0
    from apps.kb.models import Place

    assert Place.objects.filter(name="荣昌区").count() == 2 and Place.objects.filter(slug="荣昌区-2").exists()
    assert Place.objects.filter(name="四川省").count() == 1


def test_merges_are_offered_by_name_in_either_script(client, planner, known_railway):
    client.force_login(planner)
    url, page = start_review(client)
    railway = row(page, RAILWAY)
    options = dict(railway.fields["merge_into"].widget.choices)
    assert options["r:project:成自宜高铁内江段"] == "已有 · 项目 · 成自宜高鐵內江段"
    choices = url + "choices/"
    empty = client.get(choices, {"cid": railway.row.cid, "field": "merge_into"}).json()
    assert [r["id"] for r in empty["results"]] == ["r:project:成自宜高铁内江段"]  # likely matches
    typed = client.get(choices, {"cid": railway.row.cid, "field": "merge_into", "term": "内江段"}).json()
    assert [r["text"] for r in typed["results"]] == ["已有 · 项目 · 成自宜高铁内江段"]
    nothing = client.get(choices, {"cid": railway.row.cid, "field": "merge_into", "term": "渝昆"}).json()
    assert [r["id"] for r in nothing["results"]] == ["r:project:渝昆高铁川渝段"]  # projects only


def test_links_are_offered_from_the_article_and_the_knowledge_base(client, planner, plan):
    client.force_login(planner)
    url, page = start_review(client)
    done = row(page, RAILWAY_DONE)
    found = client.get(url + "choices/", {"cid": done.row.cid, "field": "concerns", "term": "成自宜"}).json()
    assert [r["text"] for r in found["results"]] == ["本文 · 项目 · 成自宜高铁"]
    found = client.get(url + "choices/", {"cid": done.row.cid, "field": "concerns", "term": "瀘永"}).json()
    texts = [r["text"] for r in found["results"]]
    assert "已有 · 项目 · S33泸永高速" in texts and "已有 · 举措 · 泸永江融合发展示范区" in texts
    assert all(not t.startswith("已有 · 地方") for t in texts)  # a milestone concerns no place
    # Without the autocomplete, the select offers what the row's sentence names.
    assert candidate_value(page, RAILWAY) in dict(done.fields["concerns"].widget.choices)


def test_a_kind_change_into_a_milestone_reads_its_date_or_asks_for_one(client, planner, plan):
    client.force_login(planner)
    url, page = start_review(client)
    form = page_fields(page)
    form[field(page, SCHEME, "record_type")] = "milestones"
    form[field(page, "内自快速通道", "record_type")] = "milestones"
    page = client.get(client.post(url, form)["Location"])
    issued = row(page, SCHEME, "milestones")
    values = page_fields(page)
    assert values[issued.add_prefix("date")] == "2020-12-01"  # 去年12月, as the parser reads it
    assert values[issued.add_prefix("date_precision")] == "month"
    assert values[issued.add_prefix("date_text")] == "去年12月"
    road = row(page, "内自快速通道", "milestones")
    response = client.post(url, {**values, "_import": "导入"})
    assert response.status_code == 200 and "date" in row(response, "内自快速通道", "milestones").errors
    assert Source.objects.count() == 1
    values[road.add_prefix("date")] = "2021-05-01"
    values[road.add_prefix("date_precision")] = "month"
    imported(client, url, values)
    assert Milestone.objects.get(title="内自快速通道").date == datetime.date(2021, 5, 1)


def test_a_merge_target_deleted_during_the_review_stops_the_save(client, planner, known_railway):
    client.force_login(planner)
    url, page = start_review(client)
    form = page_fields(page)
    form[field(page, RAILWAY, "merge_into")] = "r:project:成自宜高铁内江段"
    client.post(url, form)  # stored in the draft
    known_railway.delete()
    response = client.post(url, {**page_fields(client.get(url)), "_import": "导入"})
    assert response.status_code == 200
    assert "已不存在" in response.content.decode()
    assert Source.objects.count() == 1


def test_a_page_posts_far_fewer_fields_than_django_accepts(client, planner, plan, settings):
    # The widest row (a project: two link fields of up to MAX_LINKS each), PAGE_SIZE times,
    # with the management form, the page, the button and the CSRF token.
    client.force_login(planner)
    _, page = start_review(client)
    widest = max(
        sum(MAX_LINKS if getattr(f, "multiple", False) else 1 for f in form.fields.values())
        for form in page.context["formset"]
    )
    assert widest * PAGE_SIZE + 4 + 4 <= settings.DATA_UPLOAD_MAX_NUMBER_FIELDS


# ---------------------------------------------------------------- hostile posts


def snapshot():
    draft = ImportDraft.objects.get()
    return json.dumps([draft.candidates, draft.review], sort_keys=True)


def first(page, name):
    return page.context["formset"].forms[0].add_prefix(name)


def second(page, name):
    return page.context["formset"].forms[1].add_prefix(name)


HOSTILE = {
    "unknown candidate id": lambda p, f: f.update({first(p, "cid"): "999"}),
    "a candidate id twice": lambda p, f: f.update({first(p, "cid"): f[second(p, "cid")]}),
    "huge candidate id": lambda p, f: f.update({first(p, "cid"): "9" * 40}),
    "negative candidate id": lambda p, f: f.update({first(p, "cid"): "-1"}),
    "huge form count": lambda p, f: f.update({"form-TOTAL_FORMS": "100000000"}),
    "no forms": lambda p, f: f.update({"form-TOTAL_FORMS": "0"}),
    "no management form": lambda p, f: f.pop("form-TOTAL_FORMS"),
    "NUL in a name": lambda p, f: f.update({field(p, G321, "name"): "G321\x00"}),
    "a name of 100,000 characters": lambda p, f: f.update({field(p, G321, "name"): "长" * 100_000}),
    "year 99999": lambda p, f: f.update({field(p, RAILWAY_DONE, "date"): "99999-01-01"}),
    "unknown precision": lambda p, f: f.update({field(p, RAILWAY_DONE, "date_precision"): "fortnight"}),
    "unknown status": lambda p, f: f.update({field(p, G321, "status"): "finished"}),
    "unknown kind of record": lambda p, f: f.update({field(p, G321, "record_type"): "sources"}),
    "link to an unknown candidate": lambda p, f: f.update({field(p, RAILWAY_DONE, "concerns"): "c:99999"}),
    "link to a huge candidate id": lambda p, f: f.update({field(p, RAILWAY_DONE, "concerns"): "c:" + "9" * 30}),
    "link to a missing record": lambda p, f: f.update({field(p, RAILWAY_DONE, "concerns"): "r:project:不存在"}),
    "link to a record of the wrong kind": lambda p, f: f.update({field(p, RAILWAY_DONE, "concerns"): "r:place:泸州市"}),
    "link with NUL": lambda p, f: f.update({field(p, G321, "places"): ["c:1\x00"]}),
    "too many links": lambda p, f: f.update({field(p, G321, "places"): ["r:place:泸州市"] * (MAX_LINKS + 1)}),
    "merge into a candidate": lambda p, f: f.update({field(p, G321, "merge_into"): "c:0"}),
    "merge into another kind": lambda p, f: f.update({field(p, G321, "merge_into"): "r:place:泸州市"}),
    "page out of range": lambda p, f: f.update({"page": "99999999999999"}),
    "negative page": lambda p, f: f.update({"page": "-1"}),
    "page with NUL": lambda p, f: f.update({"page": "1\x00"}),
    "go to no page": lambda p, f: f.update({"goto": "abc"}),
}


@pytest.mark.parametrize("how", list(HOSTILE))
def test_a_hostile_post_is_refused_and_saves_nothing(client, planner, plan, how):
    client.force_login(planner)
    url, page = start_review(client)
    form = {**page_fields(page), "_import": "导入"}
    HOSTILE[how](page, form)
    before = snapshot()
    response = client.post(url, form)
    assert 400 <= response.status_code < 500 or (
        response.status_code == 200 and 'class="errorlist' in response.content.decode()
    ), response.status_code
    assert snapshot() == before
    assert Source.objects.count() == 1 and not Organization.objects.filter(name__startswith="内江市政府").exists()


def test_drafts_that_are_not_there_are_not_found(client, planner, plan):
    client.force_login(planner)
    url, page = start_review(client)
    other = reverse("admin:kb_source_import_review", args=[uuid.uuid4()])
    assert client.get(other).status_code == 404
    assert client.post(other, page_fields(page)).status_code == 404
    malformed = client.get(url[:-3] + "zz/", follow=True)  # no draft address: the admin's "no such record"
    assert malformed.status_code == 200 and "不存在" in malformed.content.decode()
    for query in ({"cid": "99999", "field": "concerns"}, {"cid": "0", "field": "name"},
                  {"cid": "x\x00", "field": "merge_into"}, {"cid": "9" * 40, "field": "merge_into"}):
        assert client.get(url + "choices/", query).status_code == 400
    assert client.get(url + "choices/", {"cid": "0", "field": "merge_into", "page": "9" * 30}).status_code == 200
    assert Source.objects.count() == 1


def test_an_article_without_candidates_is_saved_with_its_passages(client, planner, plan):
    client.force_login(planner)
    url, page = start_review(client, text="各项工作稳步推进。\n大家都很努力。", title="工作简报")
    assert page.context["review"].count == 0 and "没有找到候选记录" in page.content.decode()
    imported(client, url, page_fields(page))
    assert Source.objects.get(title="工作简报").passages.count() == 2


def test_an_agreement_s_and_a_document_s_date_are_reviewed_and_may_be_cleared(client, planner, plan):
    client.force_login(planner)
    url, page = start_review(client)
    form = page_fields(page)
    # As the parser read them: 去年12月印发 in a 2021 article is December 2020, to the month.
    assert form[field(page, SCHEME, "date")] == "2020-12-01" and form[field(page, SCHEME, "date_precision")] == "month"
    assert form[field(page, STRATEGIC, "date")] in ("", None)  # its sentence gives no date
    form[field(page, STRATEGIC, "date")] = "2021-05-20"  # any day of the month
    form[field(page, STRATEGIC, "date_precision")] = "month"
    form[field(page, STRATEGIC, "date_text")] = "5月"
    form[field(page, SCHEME, "date")] = ""  # the reviewer clears a date
    refused = client.post(url, {**form, field(page, SCHEME, "date"): "2021-01-01",
                                field(page, SCHEME, "date_precision"): "", "_import": "导入"})
    assert refused.status_code == 200 and "有日期时请选择日期精度" in refused.content.decode()
    imported(client, url, form)
    strategic = Agreement.objects.get(name=STRATEGIC)
    assert (strategic.date, strategic.date_precision, strategic.date_text) == (datetime.date(2021, 5, 1), "month", "5月")
    scheme = PolicyDocument.objects.get(slug=SCHEME)
    assert (scheme.date, scheme.date_precision, scheme.date_text) == (None, "", "")
