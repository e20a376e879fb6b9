"""The gazetteer's compact file, built from the statistical divisions and ``rules/places.toml``.
Pure functions; ``manage.py build_gazetteer`` writes what ``rows`` returns.

Each row: code, name, level, parent code, the other forms news writes the place in. Short forms
(永川 for 永川区, 凉山 for 凉山彝族自治州) are made here, once, and left out where they are ordinary
words (合作 for 甘肃's 合作市, 城区, 郊区): jieba's dictionary says which words are common and not
place names, so no hand-written stop list is needed.
"""

import csv
import gzip
import io
import re
import tomllib
from pathlib import Path

PLACEHOLDER_CITIES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
ETHNIC = (
    "蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 拉祜 水 东乡 纳西 景颇 "
    "柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 "
    "裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺 各"
).split()
AUTONOMOUS = re.compile(
    "(?:"
    + "|".join(sorted(ETHNIC, key=len, reverse=True))
    + r")族?(?:(?:"
    + "|".join(sorted(ETHNIC, key=len, reverse=True))
    + r")族?)*自治(?:区|州|县|旗)$"
)
PLAIN_SUFFIX = re.compile(r"(?:特别行政区|自治区|地区|林区|特区|新区|省|市|区|县|盟|旗|镇|乡|街道)$")
# A jieba word this frequent that is not tagged as a place name (ns) is an ordinary word.
COMMON_WORD_FREQUENCY = 200


def level_of_area(name: str) -> str:
    return "district" if name.endswith("区") else "county"


def short_form(name: str) -> str | None:
    """永川区 → 永川, 凉山彝族自治州 → 凉山, 内蒙古自治区 → 内蒙古; None when too short to stand alone."""
    base = AUTONOMOUS.sub("", name)
    if base == name:
        base = PLAIN_SUFFIX.sub("", name)
    return base if len(base) >= 2 and base != name else None


def jieba_words(path: Path) -> dict[str, tuple[int, str]]:
    words = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 2:
                words[parts[0]] = (int(parts[1]), parts[2] if len(parts) > 2 else "")
    return words


def is_ordinary_word(form: str, words: dict[str, tuple[int, str]]) -> bool:
    freq, pos = words.get(form, (0, "ns"))
    return pos != "ns" and freq >= COMMON_WORD_FREQUENCY


def _read(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def rows(divisions: Path, extra: Path, words: dict[str, tuple[int, str]]) -> list[tuple[str, str, str, str, str]]:
    out = _division_rows(divisions, words)
    by_name = _codes_by_name(out)  # the divisions only: places.toml names parents among them
    data = tomllib.loads(extra.read_text(encoding="utf-8"))
    out.update(_extra_place_rows(data.get("place", []), by_name, out))
    for code, form in _abbreviation_forms(data.get("abbreviation", []), by_name, out):
        out[code][4].append(form)
    # A name written with a leading ~ is an ordinary word: the loader reads it as a short form.
    return [(c, n, lv, p, ",".join(forms)) for c, n, lv, p, forms in out.values()]


def _division_rows(divisions: Path, words: dict[str, tuple[int, str]]) -> dict[str, list]:
    """Provinces, cities, counties and districts, then towns, by code, in the statistical
    files' order (the file keeps that order, so a rebuild from the same data is byte-identical)."""
    out: dict[str, list] = {}
    for p in _read(divisions / "provinces.csv"):
        out[p["code"]] = _division_row(p["code"], p["name"], "province", None, words)
    city_parent = {}
    for c in _read(divisions / "cities.csv"):
        if c["name"] in PLACEHOLDER_CITIES:  # a municipality's districts hang from the municipality
            city_parent[c["code"]] = c["provinceCode"]
            continue
        city_parent[c["code"]] = c["code"]
        out[c["code"]] = _division_row(c["code"], c["name"], "city", c["provinceCode"], words)
    for a in _read(divisions / "areas.csv"):
        parent = city_parent.get(a["cityCode"], a["provinceCode"])
        out[a["code"]] = _division_row(a["code"], a["name"], level_of_area(a["name"]), parent, words)
    for s in _read(divisions / "streets.csv"):
        if s["name"].endswith(("镇", "乡", "街道")):
            out[s["code"]] = [s["code"], s["name"], "town", s["areaCode"], []]  # towns only with their suffix
    return out


def _division_row(code, name, level, parent, words, forms=()) -> list:
    """One division's row. Its forms include the short form (永川 for 永川区) unless that is an
    ordinary word; a name that is itself an ordinary word is kept as a form and marked with ~."""
    candidates = [f for f in forms if f and f != name]
    short = short_form(name) if level not in ("zone", "region") else None
    if short:
        candidates.append(short)
    kept = [f for f in dict.fromkeys(candidates) if not is_ordinary_word(f, words)]
    if is_ordinary_word(name, words):  # 城区, 郊区: the name itself only with context
        kept.insert(0, name)
        name = "~" + name
    return [code, name, level, parent or "", kept]


def _codes_by_name(out: dict[str, list]) -> dict[str, list[str]]:
    """Every division's codes under its plain name (without the ~ of an ordinary word): one
    name may be several divisions, which ``_code_of`` tells apart by the one above."""
    by_name: dict[str, list[str]] = {}
    for code, name, *_ in out.values():
        by_name.setdefault(name.lstrip("~"), []).append(code)
    return by_name


def _extra_place_rows(places: list[dict], by_name, out: dict[str, list]) -> dict[str, list]:
    """Places the statistical divisions lack (development zones, regions), from places.toml;
    their forms are taken as written there, with no short form made."""
    extra: dict[str, list] = {}
    for place in places:
        parent = _code_of(place["parent"], by_name, out)
        code = f"x-{place['name']}"
        extra[code] = [code, place["name"], place["level"], parent, list(place.get("forms", []))]
    return extra


def _abbreviation_forms(abbreviations: list[dict], by_name, out: dict[str, list]) -> list[tuple[str, str]]:
    """One-character abbreviations (places.toml ``[[abbreviation]]``) as (code, form) of their
    place, each form written ``char@chars``: the loader takes it only after one of those characters."""
    forms = []
    for abbreviation in abbreviations:
        code = _code_of(abbreviation["place"], by_name, out)
        after = "".join(abbreviation["after"])
        forms.append((code, f"{abbreviation['char']}@{after}"))  # a one-character form, only after these
    return forms


def _code_of(path: str, by_name, out) -> str:
    *above, name = path.split("/")
    codes = [c for c in by_name.get(name, []) if not above or out[out[c][3]][1].lstrip("~") == above[-1]]
    if len(codes) != 1:
        raise ValueError(f"places.toml: {path!r} names {len(codes)} divisions; write it as 省/市 to pick one")
    return codes[0]


def write(rows_: list[tuple], path: Path) -> None:
    """Byte-stable gzip (no timestamp), so rebuilding unchanged data changes nothing in git."""
    text = io.StringIO()
    text.write("# code\tname\tlevel\tparent\tforms — generated by manage.py build_gazetteer; do not edit\n")
    for row in rows_:
        text.write("\t".join(row) + "\n")
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz:
        gz.write(text.getvalue().encode("utf-8"))
