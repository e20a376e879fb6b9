import datetime
from pathlib import Path

import pytest

from apps.core.text import normalise
from apps.ingest.dates import find_dates, infer_reference_year
from apps.ingest.parser import ArticleError, parse_article, read_text, split_passages

from .gold import SEED, UNSEEN

ROOT = Path(__file__).resolve().parents[2]
SEED_TEXT = (ROOT / "fixtures" / "luzhou-chengyu-integration-2020.txt").read_text(encoding="utf-8")
UNSEEN_TEXT = (Path(__file__).parent / "articles" / "yibin-neijiang-2021.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("phrase", "date", "precision"),
    [
        ("9月24日,启动会召开", "2020-09-24", "day"),
        ("10月20日起,公开征集", "2020-10-20", "day"),
        ("3月起,成立工作组", "2020-03-01", "month"),
        ("今年4月以来,互访交流", "2020-04-01", "month"),
        ("今年5月,启动调研", "2020-05-01", "month"),
        ("去年11月,达成共识", "2019-11-01", "month"),
        ("明年3月,开工", "2021-03-01", "month"),
        ("预计12月底动工", "2020-12-21", "late_month"),
        ("力争“十四五”期间建成通车", "2021-01-01", "plan_period"),
        ("力争「十三五」期間建成", "2016-01-01", "plan_period"),
        ("2019年7月31日召开", "2019-07-31", "day"),
        ("明年底建成", "2021-12-21", "late_month"),
    ],
)
def test_dates_in_sentences(phrase, date, precision):
    (found,) = find_dates(normalise(phrase), 2020)
    assert (found.date.isoformat(), found.precision) == (date, precision)


@pytest.mark.parametrize("text", ["2月30日", "《行动方案(2020—2022年)》", "近一年来", "今年是关键之年"])
def test_things_that_are_not_dates(text):
    assert find_dates(normalise(text), 2020) == []


def test_reference_year_from_the_five_year_plan_it_closes():
    assert infer_reference_year(normalise("今年是「十三五」規劃的收官年")) == 2020
    assert infer_reference_year(normalise("今年是“十四五”规划的开局年")) == 2021
    assert infer_reference_year("没有年份") is None


def test_structure_of_the_seed():
    passages = split_passages(SEED_TEXT)
    kinds = [p.kind for p in passages]
    assert kinds[:2] == ["caption", "caption"]
    headings = [p.text for p in passages if p.kind == "heading"]
    assert headings == ["布局", "落實", "謀劃"]
    subtitles = [p for p in passages if p.kind == "subtitle"]
    assert [p.section for p in subtitles] == headings
    assert all(p.section == "謀劃" for p in passages[-5:])


def parse(text, **kw):
    kw.setdefault("reference_year", 2020)
    return parse_article(text, title="t", **kw)


@pytest.mark.parametrize(
    ("sentence", "name", "kind", "status"),
    [
        ("渝昆高鐵川渝段已完成施工圖審核現場檢查,預計12月底動工。", "渝昆高铁川渝段", "railway", "approved"),
        ("S33瀘永高速、G246瀘永公路已開工建設。", "s33泸永高速", "expressway", "building"),
        ("推進重慶經敘永至筠連等高速公路實施等。", "重庆经叙永至筠连高速公路", "expressway", "planned"),
        ("永川區朱沱鎮、瀘縣雲錦鎮開通首條川渝跨省雙向對開省際公交。", "川渝跨省双向对开省际公交", "bus", "open"),
        ("成自宜高铁已开工建设。", "成自宜高铁", "railway", "building"),
        ("宜宾港志城作业区码头。", "宜宾港志城作业区码头", "port", "unknown"),
    ],
)
def test_projects_in_sentences(sentence, name, kind, status):
    projects = {normalise(p.name): p for p in parse(sentence).projects.values()}
    assert name in projects, projects.keys()
    assert (projects[name].kind, projects[name].status) == (kind, status)


@pytest.mark.parametrize(
    ("sentence", "kind", "parties", "count"),
    [
        ("促成與重慶市發改委、交通局籤署合作備忘錄。", "memorandum", {"重庆市发改委", "重庆市交通局"}, None),
        ("瀘州與成都，重慶永川、江津等籤署戰略合作協議，並達成專項協議超過50個。", "special", {"泸州市", "成都市", "永川区", "江津区"}, 50),
        ("目前，泸州、永川、江津已达成合作共识。", "consensus", {"泸州市", "永川区", "江津区"}, None),
    ],
)
def test_agreements_in_sentences(sentence, kind, parties, count):
    article = parse(sentence)
    agreement = next(a for a in article.agreements.values() if a.kind == kind)
    names = {article.places[k].name for k in agreement.places} | {
        normalise(article.organizations[k].name) for k in agreement.organizations}
    assert names == parties
    assert agreement.count == count


@pytest.mark.parametrize(
    ("sentence", "title", "status"),
    [
        ("11月印發的《瀘州市加快西部陸海新通道建設實施方案》", "泸州市加快西部陆海新通道建设实施方案", "issued"),
        ("将共同编制《泸永江融合发展示范区总体方案》。", "泸永江融合发展示范区总体方案", "planned"),
        ("统筹推动《泸州市「十四五」规划纲要》编制工作。", "泸州市「十四五」规划纲要", "drafting"),
        ("积极对接《成渝地区双城经济圈发展规划纲要》。", "成渝地区双城经济圈发展规划纲要", "referenced"),
    ],
)
def test_documents_in_sentences(sentence, title, status):
    (doc,) = parse(sentence).documents.values()
    assert (normalise(doc.title), doc.status) == (title, status)


def test_a_counted_name_nests_the_items_it_counts():
    article = parse("提出「建设甲乙中心、丙丁中心、戊己示范区、庚辛发展区、壬癸新高地、子丑宜居地」重点任务。"
                    "全力推动「两中心两区两地」建设。")
    children = {i.name for i in article.initiatives.values() if i.parent == "两中心两区两地"}
    assert children == {"甲乙中心", "丙丁中心", "戊己示范区", "庚辛发展区", "壬癸新高地", "子丑宜居地"}


def test_milestones_keep_the_phrase_and_borrow_a_subject():
    article = parse("渝昆高鐵川渝段已完成施工圖審核現場檢查，預計12月底動工。")
    (m,) = article.milestones.values()
    assert (m.date_text, m.precision, m.status, m.title) == ("12月底", "late_month", "planned", "渝昆高鐵川渝段動工")
    assert m.concerns == ("project", "渝昆高铁川渝段")


def test_traditional_and_simplified_articles_give_the_same_records():
    trad = parse(SEED_TEXT)
    simp = parse(normalise(SEED_TEXT).replace("s33", "S33").replace("g246", "G246"))
    for kind in ("milestones", "documents", "agreements", "projects", "initiatives", "places"):
        assert set(getattr(trad, kind)) == set(getattr(simp, kind)), kind


def test_records_keep_their_evidence_passage_and_original_text():
    article = parse(SEED_TEXT)
    project = article.projects["渝昆高铁川渝段"]
    assert project.name == "渝昆高鐵川渝段"
    for position in project.evidence:
        assert "渝昆高鐵" in article.passages[position - 1].text
    assert project.quote in SEED_TEXT


# ---------------------------------------------------------------- recall against gold lists


def observed(article):
    def places_and_orgs(a):
        names = {article.places[k].name for k in a.places} | {normalise(article.organizations[k].name) for k in a.organizations}
        if a.kind == "memorandum":
            return frozenset(names)
        # Counterparts: the home city (and its own delegations) is a party to everything.
        return frozenset(n for n in names if not n.startswith(("泸州", "内江")))

    return {
        "milestones": {(m.date.isoformat(), m.precision, m.status) for m in article.milestones.values()},
        "documents": {(normalise(d.title), d.status) for d in article.documents.values()},
        "agreements": {(a.kind, places_and_orgs(a)) for a in article.agreements.values()},
        "projects": {(normalise(p.name), p.status) for p in article.projects.values()},
        "initiatives": {(normalise(i.name), i.parent) for i in article.initiatives.values()},
    }


def recall(gold, seen):
    def found(item, items):
        if item in items:
            return True
        # A record named a little differently (G321 for G321…改造工程) still counts as found.
        return any(type(item[0]) is str and item[1:] == other[1:] and (item[0] in other[0] or other[0] in item[0])
                   for other in items)

    return {kind: sum(found(item, seen[kind]) for item in items) / len(items) for kind, items in gold.items()}


def test_recall_on_the_seed_is_complete():
    assert recall(SEED, observed(parse(SEED_TEXT))) == {kind: 1.0 for kind in SEED}


def test_recall_on_an_unseen_article_of_the_genre():
    scores = recall(UNSEEN, observed(parse_article(UNSEEN_TEXT, title="内自同城化", reference_year=2021)))
    print("unseen-article recall:", scores)
    assert min(scores.values()) >= 0.6, scores


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"   \n  ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary"),
        (bytes([0xFF, 0xFE, 0x41, 0x00]), "binary"),
    ],
)
def test_unreadable_files_are_refused(data, message):
    with pytest.raises(ArticleError, match=message):
        read_text(data)


def test_gb18030_text_is_read():
    assert read_text("泸州发展".encode("gb18030")) == "泸州发展"


def test_invalid_bytes_are_refused():
    with pytest.raises(ArticleError, match="neither UTF-8 nor GB18030"):
        read_text(b"\xff\xff\xff\xff")


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "empty"), ("布局\n落實", "no paragraphs"), ("a\x00b", "binary"),
     ("泸州加快建设，取得成效。", "reference year")],
)
def test_articles_that_cannot_be_parsed_are_refused(text, message):
    with pytest.raises(ArticleError, match=message):
        parse_article(text)


def test_published_date_gives_the_reference_year():
    article = parse_article("今年5月，两地启动调研。", published=datetime.date(2023, 6, 1))
    (m,) = article.milestones.values()
    assert m.date == datetime.date(2023, 5, 1)
