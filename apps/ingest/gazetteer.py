"""Administrative divisions of the Chengdu–Chongqing region, in Simplified Chinese.

Place names cannot be told from other words by shape alone (地区, 城市 and 示范区 end like
places too), so the parser looks places up here. This is regional reference data, not a list
of the seed's names: it covers every prefecture of Sichuan, every district and county of
Chongqing, and the districts and counties of Luzhou and its neighbours, so articles of the
genre about any of them are read the same way. Extend it, don't special-case the parser.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Division:
    name: str  # full name, e.g. 永川区
    short: str  # name as articles often write it, e.g. 永川
    level: str  # Place.Level value
    parent: str | None  # full name of the parent division


PROVINCES = {
    "四川省": "四川", "重庆市": "重庆", "贵州省": "贵州", "云南省": "云南", "湖北省": "湖北",
    "陕西省": "陕西", "湖南省": "湖南", "广西壮族自治区": "广西", "甘肃省": "甘肃",
}

SICHUAN_CITIES = (
    "成都 自贡 攀枝花 泸州 德阳 绵阳 广元 遂宁 内江 乐山 南充 眉山 宜宾 广安 达州 雅安 巴中 资阳"
).split()

CHONGQING_DISTRICTS = (
    "万州 涪陵 渝中 大渡口 江北 沙坪坝 九龙坡 南岸 北碚 綦江 大足 渝北 巴南 黔江 长寿 江津 合川 "
    "永川 南川 璧山 铜梁 潼南 荣昌 开州 梁平 武隆"
).split()
CHONGQING_COUNTIES = "城口 丰都 垫江 忠县 云阳 奉节 巫山 巫溪 石柱 秀山 酉阳 彭水".split()
CHONGQING_ZONES = ["万盛经开区"]

# County-level divisions of the Sichuan cities along the Chongqing border.
SICHUAN_COUNTIES = {
    "泸州市": {"江阳区": "江阳", "纳溪区": "纳溪", "龙马潭区": "龙马潭", "泸县": "泸县", "合江县": "合江",
               "叙永县": "叙永", "古蔺县": "古蔺"},
    "宜宾市": {"翠屏区": "翠屏", "南溪区": "南溪", "叙州区": "叙州", "江安县": "江安", "长宁县": "长宁",
               "高县": "高县", "珙县": "珙县", "筠连县": "筠连", "兴文县": "兴文", "屏山县": "屏山"},
    "内江市": {"市中区": "市中区", "东兴区": "东兴", "威远县": "威远", "资中县": "资中", "隆昌市": "隆昌"},
    "自贡市": {"自流井区": "自流井", "贡井区": "贡井", "大安区": "大安", "沿滩区": "沿滩", "荣县": "荣县",
               "富顺县": "富顺"},
}


def _build() -> list[Division]:
    out = [Division(full, short, "province", None) for full, short in PROVINCES.items()]
    out += [Division(f"{c}市", c, "city", "四川省") for c in SICHUAN_CITIES]
    out += [Division(f"{d}区", d, "district", "重庆市") for d in CHONGQING_DISTRICTS]
    out += [Division(c if c.endswith("县") else f"{c}县", c, "county", "重庆市") for c in CHONGQING_COUNTIES]
    out += [Division(z, z.removesuffix("经开区"), "zone", "重庆市") for z in CHONGQING_ZONES]
    for city, counties in SICHUAN_COUNTIES.items():
        level = lambda full: "district" if full.endswith("区") else "county"  # noqa: E731
        out += [Division(full, short, level(full), city) for full, short in counties.items()]
    return out


DIVISIONS = _build()
BY_NAME = {d.name: d for d in DIVISIONS}

# Written forms of a division, longest first so 永川区 wins over 永川. Variants of the zone
# suffix (经开区, 经开发区, 经济开发区, 经济技术开发区) all name the same zone.
ZONE_SUFFIXES = ["经济技术开发区", "经济开发区", "经开发区", "经开区"]


def written_forms() -> list[tuple[str, Division]]:
    forms: dict[str, Division] = {}
    for d in DIVISIONS:
        forms.setdefault(d.name, d)
        if d.level == "zone":
            for suffix in ZONE_SUFFIXES:
                forms.setdefault(d.short + suffix, d)
        elif len(d.short) >= 2:
            forms.setdefault(d.short, d)
    return sorted(forms.items(), key=lambda item: -len(item[0]))
