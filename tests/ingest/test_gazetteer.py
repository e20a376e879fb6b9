"""Places come from the national divisions data: resolved to a code and a parent, by context
where a name is shared, and never from a person's name or a byline."""

import gzip
from pathlib import Path

import jieba
import pytest

from apps.ingest import gazetteer, gazetteer_build
from apps.ingest.parser import parse_article

DIVISIONS = Path(__file__).resolve().parents[3] / "shared" / "data" / "china-divisions"


def parse(text, **kw):
    kw.setdefault("reference_year", 2020)
    return parse_article(text, title="t", **kw)


def place_names(article):
    """The places the text names (not the parents added to complete the hierarchy)."""
    return {p.name for p in article.places.values() if not p.implied}


def test_a_district_resolves_to_its_city_and_province_without_a_hand_typed_list():
    gz = gazetteer.load()
    (division,) = gz.by_name("通川区")
    assert [d.name for d in gz.chain(division.code)] == ["通川区", "达州市", "四川省"]
    article = parse("达州市通川区与重庆市开州区签署合作协议。")
    assert article.places["通川区"].parent == "达州市"
    assert article.places["达州市"].parent == "四川省"


def test_every_level_is_there():
    gz = gazetteer.load()
    levels = {d.level for d in gz.divisions.values()}
    assert {"province", "city", "district", "county", "town", "zone", "region"} <= levels
    assert len([d for d in gz.divisions.values() if d.level == "province"]) == 31


@pytest.mark.parametrize(
    ("sentence", "parent"),
    [
        ("泸州市党政代表团到重庆市永川区、江津区、江北区开展交流考察。", "重庆市"),
        ("宁波市海曙区、江北区、鄞州区联合开展招商。", "宁波市"),
        ("江北区新签约项目12个。", "重庆市"),  # nothing around it: the knowledge base's own region
    ],
)
def test_a_name_shared_by_two_places_resolves_by_the_places_around_it(sentence, parent):
    article = parse(sentence)
    (jiangbei,) = [p for p in article.places.values() if p.name == "江北区"]
    assert jiangbei.parent == parent


def test_the_same_name_in_two_regions_gets_two_keys():
    article = parse("宁波市江北区与重庆市江北区结为友好城区。")
    jiangbei = sorted(p.key for p in article.places.values() if p.name == "江北区")
    assert jiangbei == ["宁波市江北区", "江北区"]


@pytest.mark.parametrize(
    "text",
    [
        "（四川日报记者 王成栋 蒲南溪）近日，泸州与宜宾签署合作协议。",
        "近日，泸州与宜宾签署合作协议。□记者 蒲南溪",
        "泸州市发展改革委主任黄南溪表示，将加快建设。",
    ],
)
def test_a_place_inside_a_persons_name_or_a_byline_is_not_a_place(text):
    names = place_names(parse(text))
    assert "南溪区" not in names
    assert {"泸州市", "宜宾市"} & names


def test_an_editor_credit_is_not_a_paragraph():
    article = parse("泸州与永川签署协议。\n责任编辑：\n李南溪")
    assert [p.kind for p in article.passages] == ["paragraph", "caption", "caption"]
    assert "南溪区" not in place_names(article)


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("加快长江北岸滨江路建设。", "江北区"),  # 江北 inside 长江/北岸
        ("深化中心城区交通缓堵促畅。", "城区"),  # an ordinary word, whatever 山西 calls a district
        ("央企长安汽车新能源产量翻番。", "长安区"),  # a far-away county's short form, nothing points there
    ],
)
def test_words_that_only_look_like_places(text, absent):
    assert absent not in place_names(parse(text))


def test_one_character_forms_only_after_a_verb_of_coming_and_going():
    assert "泸州市" in place_names(parse("重庆万盛经开区莅泸考察交流。"))
    assert "重庆市" not in place_names(parse("在渝川黔毗邻地区经济社会发展协作会议上达成共识。"))
    assert place_names(parse("加快泸永江融合发展。")) == set()


def test_towns_need_their_suffix_and_hang_from_their_district():
    article = parse("永川区朱沱镇、泸县云锦镇开通省际公交。")
    assert article.places["朱沱镇"].parent == "永川区"
    assert article.places["云锦镇"].parent == "泸县"


def test_the_compact_file_is_built_from_the_divisions_and_the_extra_places(tmp_path):
    (tmp_path / "provinces.csv").write_text('code,name\n51,"四川省"\n50,"重庆市"\n', encoding="utf-8")
    (tmp_path / "cities.csv").write_text(
        'code,name,provinceCode\n5101,"成都市",51\n5105,"泸州市",51\n5001,"市辖区",50\n5117,"达州市",51\n',
        encoding="utf-8",
    )
    (tmp_path / "areas.csv").write_text(
        'code,name,cityCode,provinceCode\n510502,"江阳区",5105,51\n500118,"永川区",5001,50\n511702,"通川区",5117,51\n',
        encoding="utf-8",
    )
    (tmp_path / "streets.csv").write_text(
        'code,name,areaCode,provinceCode,cityCode\n500118118,"朱沱镇",500118,50,5001\n', encoding="utf-8"
    )
    words = gazetteer_build.jieba_words(Path(jieba.__file__).with_name("dict.txt"))
    rows = gazetteer_build.rows(tmp_path, gazetteer.EXTRA_PLACES, words)
    out = tmp_path / "g.tsv.gz"
    gazetteer_build.write(rows, out)
    built = gazetteer.load.__wrapped__(out)
    (yongchuan,) = built.by_name("永川区")
    assert [d.name for d in built.chain(yongchuan.code)] == ["永川区", "重庆市"]  # 市辖区 stands for the city
    assert [f.code for f in built.forms["永川"]] == [yongchuan.code]
    assert built.by_name("万盛经开区")[0].parent == "50"
    assert built.divisions["500118118"].parent == yongchuan.code
    first = out.read_bytes()
    gazetteer_build.write(rows, out)
    assert out.read_bytes() == first  # rebuilding unchanged data changes no byte


def test_the_committed_compact_file_is_what_the_command_builds(tmp_path):
    if not (DIVISIONS / "areas.csv").exists():
        pytest.skip("../shared/data/china-divisions is not here")
    from django.core.management import call_command

    out = tmp_path / "gazetteer.tsv.gz"
    call_command("build_gazetteer", "--divisions", str(DIVISIONS), "-o", str(out), stderr=open("/dev/null", "w"))
    assert gzip.decompress(out.read_bytes()) == gzip.decompress(gazetteer.GAZETTEER_FILE.read_bytes()), (
        "run `manage.py build_gazetteer` and commit apps/ingest/rules/gazetteer.tsv.gz"
    )
