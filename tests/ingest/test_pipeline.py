"""The extraction pipeline, stage by stage: what each stage takes and gives back."""

import datetime
import itertools

from apps.core.text import normalise
from apps.ingest import gazetteer
from apps.ingest.parser import parse_article
from apps.ingest.stages import attach, mentions, resolve, split


def sentences_of(text):
    return split.split_sentences(split.split_passages(text))


def tagged(text, year=2020):
    s = sentences_of(text)
    return s, mentions.tag(s, gazetteer.load(), year)


def kinds(found, kind):
    return [normalise(m.name) for m in found if m.kind == kind]


# -- split ----------------------------------------------------------------------------------


def test_split_marks_captions_headings_subtitles_and_credits():
    text = (
        "G246施工現場。 (瀘州市交通運輸局供圖)\n布局\n成立領導小組和工作專班\n泸州与永川签署协议。\n责任编辑：\n李莎莎"
    )
    passages = split.split_passages(text)
    assert [(p.kind, p.credit) for p in passages] == [
        ("caption", False),
        ("heading", False),
        ("subtitle", False),
        ("paragraph", False),
        ("caption", True),
        ("caption", True),
    ]


def test_split_gives_sentences_and_clauses_that_map_back_to_the_original():
    (s,) = sentences_of("瀘州與永川，簽署合作協議。")
    assert s.norm == "泸州与永川,签署合作协议。"
    assert [s.norm[a:b] for a, b in s.clauses] == ["泸州与永川", "签署合作协议"]
    assert s.original(0, 2) == "瀘州"


def test_split_blocks_bylines_inside_a_sentence():
    (s,) = sentences_of("（四川日报记者 王成栋）泸州与宜宾签署协议。")
    assert s.blocked and s.norm[s.blocked[0][0] : s.blocked[0][1]].startswith("(四川日报记者")


# -- tag -------------------------------------------------------------------------------------


def test_tag_finds_each_kind_without_overlaps_except_places():
    _, found = tagged("9月24日，泸州市发展改革委印发《泸州市加快西部陆海新通道建设实施方案》，加快建设渝昆高铁川渝段。")
    assert kinds(found, "organization") == ["泸州市发展改革委"]
    assert kinds(found, "title") == ["泸州市加快西部陆海新通道建设实施方案"]
    assert kinds(found, "project") == ["渝昆高铁川渝段"]
    assert kinds(found, "date") == ["9月24日"]
    assert kinds(found, "place") == ["泸州市"]  # inside the organisation name, not inside the title
    names = [m for m in found if m.kind != "place"]
    assert all(a.end <= b.start for a, b in itertools.pairwise(names))


def test_tag_reads_a_list_sharing_one_ending_into_its_items():
    _, found = tagged("加快建设泸州至永川、泸州至荣昌等高速公路。")
    assert kinds(found, "project") == ["泸州至永川高速公路", "泸州至荣昌高速公路"]


def test_tag_does_not_glue_a_verb_to_a_name():
    _, found = tagged("将提升园区承载能力，打造万达开川渝统筹发展示范区。")
    assert kinds(found, "project") == []
    assert kinds(found, "initiative") == ["万达开川渝统筹发展示范区"]


# -- resolve ---------------------------------------------------------------------------------


def test_resolve_makes_a_signed_title_an_agreement_and_an_other_title_a_document():
    s, found = tagged("宜宾与泸州签署《川南经济区一体化发展合作协议》，共同编制《川南经济区发展规划》。")
    found = resolve.resolve_titles(found, s)
    assert {m.kind for m in found if "协议" in m.name} == {"agreement"}
    assert {m.kind for m in found if "规划" in m.name} == {"document"}


def test_resolve_points_an_abbreviation_at_the_full_title():
    s, found = tagged("省纪委监委印发《关于加强作风建设的若干措施》（以下简称《措施》）。《措施》共十条。")
    found = resolve.resolve_titles(found, s)
    keys = {m.data["key"] for m in found if m.kind == "document"}
    assert keys == {"关于加强作风建设的若干措施"}


def test_resolve_makes_a_road_code_and_its_full_name_one_project():
    _, found = tagged("G246泸永公路已开工建设。G246施工现场一片繁忙。")
    found = resolve.resolve_projects(found)
    assert {m.data["key"] for m in found if m.kind == "project"} == {"g246泸永公路"}


def test_resolve_nests_the_items_a_counted_name_counts():
    s, found = tagged(
        "提出「建设甲乙中心、丙丁中心、戊己示范区、庚辛发展区、壬癸新高地、子丑宜居地」重点任务。"
        "全力推动「两中心两区两地」建设。"
    )
    groups = resolve.find_groups(found, s)
    (group,) = groups
    assert group.name == "两中心两区两地"
    assert [normalise(i.name) for i in group.items] == [
        "甲乙中心",
        "丙丁中心",
        "戊己示范区",
        "庚辛发展区",
        "壬癸新高地",
        "子丑宜居地",
    ]


# -- attach ----------------------------------------------------------------------------------


def test_attach_reads_a_status_from_the_clause_and_a_plan_from_a_planned_mark():
    assert attach.clause_status("成自宜高铁正加紧施工") == "building"
    assert attach.clause_status("已建成通车") == "open"
    assert attach.clause_status("预计明年动工") == "planned"
    assert attach.clause_status("列入全省重点项目") == "approved"


def test_attach_titles_a_milestone_subject_and_event_and_skips_reported_speech():
    article = parse_article(
        "渝昆高铁川渝段已完成施工图审核，预计12月底动工。11月5日，主任黄玉林表示，要加快建设。",
        title="t",
        reference_year=2020,
    )
    (m,) = article.milestones.values()
    assert (m.title, m.date, m.precision, m.status) == (
        "渝昆高铁川渝段动工",
        datetime.date(2020, 12, 21),
        "late_month",
        "planned",
    )
    assert m.concerns == ("project", "渝昆高铁川渝段")


def test_attach_fills_issuers_and_parties_from_the_sentence():
    article = parse_article(
        "2025年6月，省委办公厅、省政府办公厅印发《四川省优化民营经济发展环境专项治理工作方案》。"
        "促成与重庆市发改委、交通局签署合作备忘录。",
        title="t",
        reference_year=2026,
    )
    (doc,) = article.documents.values()
    assert (doc.status, doc.issuer) == ("issued", "省委办公厅")
    assert (doc.date, doc.precision, doc.date_text) == (datetime.date(2025, 6, 1), "month", "2025年6月")
    (agreement,) = article.agreements.values()
    assert agreement.organizations == ["重庆市发改委", "重庆市交通局"]


# -- assemble --------------------------------------------------------------------------------


def test_a_photo_caption_yields_no_record_by_itself():
    article = parse_article("泸州国窖大桥。 牟科摄\n渝昆高铁川渝段已开工建设。", title="t", reference_year=2020)
    assert set(article.projects) == {"渝昆高铁川渝段"}


def test_parents_are_added_but_marked_as_not_read_from_the_text():
    article = parse_article("江阳区新签约项目12个。", title="t", reference_year=2020)
    assert not article.places["江阳区"].implied
    assert article.places["泸州市"].implied and article.places["四川省"].implied


def test_a_half_year_and_a_quarter_are_dates_of_their_own_precision():
    article = parse_article(
        "今年上半年，泸州港吞吐量增长两成。三季度，泸州港新开航线。", title="t", reference_year=2020
    )
    assert sorted((m.date.isoformat(), m.precision) for m in article.milestones.values()) == [
        ("2020-01-01", "half_year"),
        ("2020-07-01", "quarter"),
    ]


def test_a_signed_agreement_and_a_document_due_by_the_end_of_the_year():
    article = parse_article(
        "11月20日，宜宾市与泸州市签署《川南经济区一体化发展合作协议》。两市力争年底前印发《川南经济区一体化发展实施方案》。",
        title="t",
        reference_year=2020,
    )
    (agreement,) = article.agreements.values()
    assert (agreement.places, agreement.date, agreement.precision) == (
        ["宜宾市", "泸州市"],
        datetime.date(2020, 11, 20),
        "day",
    )
    (document,) = article.documents.values()
    assert document.status == "planned"
    due = next(m for m in article.milestones.values() if m.date_text == "年底")
    assert (due.status, due.precision, due.title) == (
        "planned",
        "late_month",
        "两市印发《川南经济区一体化发展实施方案》",
    )


def test_last_year_end_and_a_bare_last_year_are_dates():
    article = parse_article("去年年底，泸州综合保税区获批。去年，两地签订合作协议。", title="t", reference_year=2020)
    assert sorted((m.date.isoformat(), m.precision) for m in article.milestones.values()) == [
        ("2019-01-01", "year"),
        ("2019-12-21", "late_month"),
    ]
