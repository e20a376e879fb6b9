"""Stage 2 — tag mentions: find, in each sentence, the names of places, organisations,
documents and agreements (titles in 《》), projects, initiatives, and the date phrases.

One small engine serves every record kind: a name ends in a suffix from a rules table and runs
left to the nearest boundary word (``name_start``). Boundary words cut only where they are whole
words (jieba), so 中 in 成渝中线高铁 does not cut the name. Mentions of different kinds do not
overlap, except places, which may sit inside other names (泸州 in 泸州港).
"""

import functools
import re
from dataclasses import dataclass, field

from apps.search.text import jieba_words

from .. import gazetteer
from ..dates import find_dates
from ..rules import table, words
from .split import Sentence

NAME_CHAR = re.compile(r"[\u4e00-\u9fffa-z0-9·()（）\-—“”「」]")
COUNT_BEFORE = re.compile(r"(?:\d+|[一二两三四五六七八九十百]+)(?:个|大|项|批|座|条|家)$|首批$|首个$")
# A count before a name is the list it belongs to, not part of it (全国首个…合作区, 355项“川渝通办”).
LEADING_COUNT = re.compile(r"^(?:全国|国家|全省|全市)?(?:首[个批条座]|[一二两三四五六七八九十]大)")
DOCUMENT_AFTER = re.compile(
    r"(出台|印发|制定|编制|发布|颁布)(?:了)?([^，。；《》、“”]{2,30}?(?:规划|实施意见|意见|方案|纲要|条例|办法))(?![\u4e00-\u9fff]{0,2}(?:体系|编制))"
)
DOCUMENT_BEFORE = re.compile(r"([^，。；《》、]{4,30}?(?:规划|方案|纲要))(?=获批|获得批复|印发|出台|发布|正式实施)")
WORKS = re.compile(r"^(?:改扩建|扩能改造|扩容|提质改造|改造工程|改造)")
ORDINAL = re.compile(r"^(?:第[一二三四五六七八九十\d]+届|[两二三四五六七八九十\d]+届)")
TITLE = re.compile(r"《([^》]{2,100})》")
QUOTED = re.compile(r"[“「]([^“”「」、，。；]{2,14})[”」]")
COUNTED = re.compile(
    r"^(?!十?[一二三四五六七八九]?五$)(?=.{4,})(?:[一二两三四五六七八九十\d]+[大个项条]?[\u4e00-\u9fff]{1,5}){1,4}$"
)
ROAD_CODE = re.compile(r"(?<![a-z0-9])([gs]\d{1,4})(?![a-z0-9])")
AGREEMENT_NOUNS = [
    "战略合作框架协议",
    "战略合作协议",
    "合作框架协议",
    "框架协议",
    "专项协议",
    "合作协议",
    "协议",
    "合作备忘录",
    "备忘录",
    "合作共识",
    "共识",
]
SIGNING = re.compile(r"签订|签署|达成|签约")
AGREEMENT_RE = re.compile(r"(?:签订|签署|达成|签约)[^，。；《]{0,12}?(" + "|".join(AGREEMENT_NOUNS) + ")")


@dataclass
class Mention:
    kind: str  # place / organization / document / agreement / project / initiative / date
    sentence: int  # index of its sentence
    start: int
    end: int
    name: str  # as written
    label: str = ""  # level, kind of organisation / project / initiative
    code: str | None = None  # places: the division, once resolved
    data: dict = field(default_factory=dict)

    @property
    def span(self):
        return (self.start, self.end)


@functools.cache
def boundaries(which: str = "boundaries") -> list[str]:
    return sorted(words(table("words")[which]), key=len, reverse=True)


def word_spans(text: str) -> list[tuple[int, int]]:
    """The (start, end) of each jieba word (dictionary only, so the cuts are repeatable)."""
    out, at = [], 0
    for word in jieba_words(text):
        out.append((at, at + len(word)))
        at += len(word)
    return out


def masked(text: str) -> str:
    """Titles in 《》 hidden (marks included), so their words are not read as other names."""
    return TITLE.sub(lambda m: "□" * len(m.group()), text)


def name_start(text: str, end: int, floor: int, cuts: set[int], which: str = "boundaries") -> int:
    """Where a name ending at ``end`` starts: the run of name characters before it, cut after
    the last boundary word that is a whole word (``cuts`` are word starts and ends)."""
    start = end
    while start > floor and NAME_CHAR.match(text[start - 1]):
        start -= 1
    best = start
    run = text[start:end]
    for word in boundaries(which):
        i = run.rfind(word)
        while i >= 0:
            a, b = start + i, start + i + len(word)
            if a in cuts and b in cuts:
                best = max(best, b)
                break
            i = run.rfind(word, 0, i + len(word) - 1)
    while best < end and text[best] in "—-·":  # ——渝昆高铁: a dash before a name is punctuation
        best += 1
    return best


def balanced(name: str) -> bool:
    return (
        name.count("(") + name.count("（") == name.count(")") + name.count("）")
        and name.count("“") == name.count("”")
        and name.count("「") == name.count("」")
    )


def free(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    return not any(a < end and start < b for a, b in taken)


@dataclass
class Tagger:
    """The rules tables, compiled once."""

    project_suffixes: list[dict]
    initiative_suffixes: list[dict]
    org: dict
    projects_table: dict
    initiatives_table: dict

    @classmethod
    @functools.cache
    def load(cls) -> "Tagger":
        projects, initiatives, org = table("projects"), table("initiatives"), table("organizations")
        return cls(
            sorted(projects["suffix"], key=lambda r: -len(r["suffix"])),
            sorted(initiatives["suffix"], key=lambda r: -len(r["suffix"])),
            org,
            projects,
            initiatives,
        )

    @functools.cached_property
    def department_re(self) -> re.Pattern:
        stems = "|".join(sorted(self.org["departments"], key=len, reverse=True))
        levels = "|".join(self.org["levels"])
        bodies = "|".join(sorted((b["word"] for b in self.org["body"]), key=len, reverse=True))
        return re.compile(rf"(?:(?:{stems})(?:{levels}))|(?:{bodies})")

    @functools.cached_property
    def body_kind(self) -> dict[str, str]:
        """Bodies (人民政府, 市委, 办公室) and the kind of organisation each is."""
        return {b["word"]: b["kind"] for b in self.org["body"]}

    @functools.cached_property
    def suffix_re(self) -> dict[str, re.Pattern]:
        def alternation(rows):
            return "|".join(re.escape(r["suffix"]) for r in rows)

        section = r"(?:[（(][\u4e00-\u9fff]{1,6}[）)]|[\u4e00-\u9fff]{1,4}段)?"
        return {
            "project": re.compile(f"(?:{alternation(self.project_suffixes)}){section}"),
            "initiative": re.compile(alternation(self.initiative_suffixes)),
            "organization": re.compile(alternation(self.org["suffix"])),
        }


def tag_sentence(i: int, s: Sentence, gz: gazetteer.Gazetteer, reference_year: int, published) -> list[Mention]:
    """Every mention in one sentence. Credits, headings and captions are tagged too (a caption
    still says where a place is); which mentions become records is the later stages' business."""
    text = masked(s.norm)
    spans = word_spans(s.norm)
    cuts = {a for a, _ in spans} | {b for _, b in spans}
    places = _place_mentions(i, s, gz, spans)
    out = list(places)
    taken: list[tuple[int, int]] = list(s.blocked)
    for claim in _name_claims(s, text, places, gz, Tagger.load(), cuts):
        # Names of different kinds do not overlap: the first claim on a span keeps it, so the
        # order of _name_claims is the order of precedence. Places may sit inside any name.
        if claim.start < claim.end and free(taken, claim.start, claim.end):
            name = claim.name or s.original(claim.start, claim.end)
            out.append(Mention(claim.kind, i, claim.start, claim.end, name, claim.label, data=claim.data))
            taken.append((claim.start, claim.end))
    out += _date_mentions(i, s, text, reference_year, published)
    return sorted(out, key=lambda m: (m.start, m.kind))


@dataclass
class Claim:
    """A name found in a sentence, kept as a mention only if no earlier claim holds its span."""

    kind: str
    start: int
    end: int
    label: str = ""
    name: str | None = None  # as written; None: the sentence's original text of the span
    data: dict = field(default_factory=dict)


def _place_mentions(i: int, s: Sentence, gz: gazetteer.Gazetteer, spans) -> list[Mention]:
    """The gazetteer's places, outside titles in 《》 (a title is one name, tagged whole)."""
    blocked = s.blocked + [(m.start(), m.end()) for m in TITLE.finditer(s.norm)]
    return [
        Mention("place", i, m.start, m.end, s.original(m.start, m.end), data={"mention": m})
        for m in gazetteer.find_mentions(s.norm, gz, words=spans, blocked=blocked)
    ]


def _name_claims(s: Sentence, text: str, places: list[Mention], gz, tagger: Tagger, cuts) -> list[Claim]:
    """Every other name, in order of precedence: titles in 《》, documents, organisations,
    agreements, projects, initiatives, and road codes (G93) last."""
    place_spans = [(m.start, m.end) for m in places]
    claims = [Claim("title", m.start(), m.end(), name=s.original(m.start(1), m.end(1))) for m in TITLE.finditer(s.norm)]
    claims += [Claim("document", start, end) for start, end in unbracketed_documents(text, cuts)]
    claims += [Claim("organization", *found) for found in organizations_in(text, place_spans, tagger, cuts)]
    claims += [Claim("agreement", m.start(1), m.end(1), data={"noun": m.group(1)}) for m in AGREEMENT_RE.finditer(text)]
    claims += [_project_claim(s, *found) for found in projects_in(text, place_spans, tagger, cuts)]
    regions = _region_spans(places, gz)
    claims += [
        Claim("initiative", start, end, kind)
        for start, end, kind in initiatives_in(text, tagger, cuts)
        if (start, end) not in regions  # 川西北生态示范区 is a region of Sichuan, not a platform
    ]
    claims += [
        Claim("project", m.start(), m.end(), "highway", data={"code": m.group(1)}) for m in ROAD_CODE.finditer(text)
    ]
    return claims


def _project_claim(s: Sentence, start: int, end: int, kind: str, parts) -> Claim:
    """A project; an item of a list sharing one ending (A、B等高速公路) is named by its own
    words and the shared ending together, as if written A高速公路."""
    name = "".join(s.original(a, b) for a, b in parts) if parts else None
    return Claim("project", start, end, kind, name=name, data={"list_item": bool(parts)})


def _region_spans(places: list[Mention], gz: gazetteer.Gazetteer) -> list[tuple[int, int]]:
    """Spans of places that are regions or zones: their names end like initiatives'."""
    return [
        (m.start, m.end)
        for m in places
        if gz.divisions[m.data["mention"].candidates[0].code].level in ("region", "zone")
    ]


def _date_mentions(i: int, s: Sentence, text: str, reference_year: int, published) -> list[Mention]:
    """Date phrases. A date may overlap a name (names are not checked), but not a blocked span
    or a title in 《》 (masked in ``text``)."""
    return [
        Mention("date", i, d.start, d.end, s.original(d.start, d.end), data={"date": d})
        for d in find_dates(text, reference_year, published)
        if free(s.blocked, d.start, d.end) and "□" not in text[d.start : d.end]
    ]


def unbracketed_documents(text: str, cuts) -> list[tuple[int, int]]:
    """Documents named without 《》 where a verb of issuing stands next to them: 出台推动城市高质量
    发展的实施意见; 成渝地区双城经济圈国土空间规划获批实施."""
    found = [(m.start(2), m.end(2)) for m in DOCUMENT_AFTER.finditer(text)]
    for m in DOCUMENT_BEFORE.finditer(text):
        start = name_start(text, m.end(1), m.start(1), cuts, "org_boundaries")
        if m.end(1) - start >= 4 and free(found, start, m.end(1)):
            found.append((start, m.end(1)))
    return found


def organizations_in(text: str, places, tagger: Tagger, cuts) -> list[tuple[int, int, str]]:
    """Departments and governments after their place (泸州市发展改革委, 省政府办公厅), organs that
    need none (国务院), lists sharing a place (重庆市发改委、交通局 → 重庆市交通局 is written 交通局),
    and names by their ending (…领导小组, …会议, …集团)."""
    found = _departments(text, places, tagger, cuts)
    found += _named_organs(text, tagger.org["unique"], found)
    found += _organizations_by_ending(text, tagger, cuts)
    return sorted(found, key=lambda f: (f[0], -f[1]))  # 泸州市委八届九次全会 before 泸州市委


def _departments(text: str, places, tagger: Tagger, cuts) -> list[tuple[int, int, str]]:
    """Departments and bodies (发展改革委, 人民政府) with the place or level before them. A list
    shares the place of its first item: ``chain_end`` is where the last department ended,
    None once a word that is not a department broke the list."""
    found: list[tuple[int, int, str]] = []
    chain_end = None
    for m in tagger.department_re.finditer(text):
        kind = tagger.body_kind.get(m.group(), "department")
        if found and _office_of_previous(text, found[-1], m):
            found[-1] = (found[-1][0], m.end(), kind)  # 重庆市人民政府口岸和物流办公室: an office of that government
            chain_end = m.end()
            continue
        start = _department_start(text, m, places, tagger, cuts, chain_end)
        if start is None:
            chain_end = None
        else:
            found.append((start, m.end(), kind))
            chain_end = m.end()
    return found


def _office_of_previous(text: str, previous: tuple[int, int, str], m: re.Match) -> bool:
    """An 办公室 or 办公厅 a few characters after the organisation before it belongs to it."""
    between = text[previous[1] : m.start()]
    return m.group() in ("办公室", "办公厅") and bool(re.fullmatch(r"[\u4e00-\u9fff]{0,8}", between))


def _department_start(text: str, m: re.Match, places, tagger: Tagger, cuts, chain_end) -> int | None:
    """Where the department ``m`` starts, or None when nothing shows it names an organisation
    (a body word like 办公室 with no place before it). Its place or level belongs to its name (泸州市发展改革委,
    省发展改革委); without either it counts when a known organ, the next item of a list
    (…、交通局), or a whole word of three characters or more (自然资源厅: a department of the
    article's own province)."""
    start, prefix = _place_or_level_before(text, m.start(), places)
    name = text[start : m.end()]
    if (
        prefix
        or name in tagger.org["unique"]
        or (chain_end is not None and text[chain_end : m.start()] == "、")
        or (start != m.start() and name.startswith(("国家", "省", "市")))
    ):
        return start
    if m.start() in cuts and m.end() in cuts and len(m.group()) >= 3 and m.group() not in tagger.body_kind:
        return m.start()
    return None


def _place_or_level_before(text: str, at: int, places) -> tuple[int, tuple | None]:
    """The start of the place right before ``at`` (one of 省市区县 may stand between: 泸州市
    of 泸州市发改委, 重庆 of 重庆市交通局), and that place; else the start of a level word
    (国家, 省委, 市…; not after 两 or 各, which count governments rather than name one)."""
    prefix = next((p for p in places if p[1] == at or (p[1] == at + 1 and text[at] in "省市区县")), None)
    if prefix:
        return prefix[0], prefix
    lead = re.search(r"(?<![两各])(?:国家|省委|省政府|市委|市政府|省|市|区|县)$", text[:at])
    return (lead.start() if lead else at), None


def _named_organs(text: str, unique, found) -> list[tuple[int, int, str]]:
    """Organs that need no place (国务院, 党中央, 省委), wherever no organisation found so far
    covers them; the longest first, so 省政府办公厅 is not read as 省政府."""
    taken = [(a, b) for a, b, _ in found]
    organs = []
    for organ in sorted(unique, key=len, reverse=True):
        kind = "government" if organ in ("党中央", "国务院", "省委", "省政府") else "department"
        for m in re.finditer(re.escape(organ), text):
            if free(taken, m.start(), m.end()):
                organs.append((m.start(), m.end(), kind))
                taken.append((m.start(), m.end()))
    return organs


def _organizations_by_ending(text: str, tagger: Tagger, cuts) -> list[tuple[int, int, str]]:
    """Names ending in an organisation suffix (…领导小组, …会议, …集团), run back to a boundary."""
    found = []
    rows = {r["suffix"]: r for r in tagger.org["suffix"]}
    for m in tagger.suffix_re["organization"].finditer(text):
        if m.end() not in cuts:
            continue
        kind = rows[m.group()]["kind"]
        # Groups and meetings are named by what they do (推动…建设工作领导小组); companies and
        # colleges are not, so a verb before them ends their name (支持明月湖实验室).
        which = "org_boundaries" if kind in ("group", "meeting") else "boundaries"
        start = name_start(text, m.start(), 0, cuts, which)
        ordinal = ORDINAL.match(text[start : m.start()])
        if ordinal:
            start += ordinal.end()
        if _named_by_ending(text[start : m.start()], kind, tagger):
            found.append((start, m.end(), kind))
    return found


def _named_by_ending(core: str, kind: str, tagger: Tagger) -> bool:
    """Whether the words before an organisation's ending name one: two characters or more, not
    a generic word, brackets and quotes closed, and no 和 in a group's name (A和B领导小组 is two
    names' words run together)."""
    return not (
        len(core) < 2
        or core in tagger.org["generic"]
        or not balanced(core)
        or ("和" in core and kind == "group")
    )


def _list_items(text: str, end: int, cuts) -> list[tuple[int, int]]:
    """The items of 「A、B、C等」 ending at ``end`` (the position of 等): each trimmed like a name."""
    start = end
    while start > 0 and (NAME_CHAR.match(text[start - 1]) or text[start - 1] == "、"):
        start -= 1
    items, at = [], start
    for piece in text[start:end].split("、"):
        a, b = at, at + len(piece)
        at = b + 1
        a = name_start(text, b, a, cuts) if a == start else a
        if b - a >= 2:
            items.append((a, b))
    return items


def projects_in(text: str, places, tagger: Tagger, cuts) -> list[tuple[int, int, str, list | None]]:
    """Names ending in a project suffix (…高铁, …高速公路, 泸州港), lists sharing one ending
    (A、B等高速公路 → A高速公路, B高速公路) and the items of a list of projects (A、B等项目)."""
    found = []
    rows = {r["suffix"]: r for r in tagger.project_suffixes}
    generic = set(tagger.projects_table.get("generic", []))
    for m in tagger.suffix_re["project"].finditer(text):
        suffix = next(s for s in rows if m.group().startswith(s))
        if m.end() not in cuts and text[m.end() : m.end() + 1] not in "等、，。；（(":
            continue
        core_end = m.start()
        shared = re.search(r"等(?:\d+|[一二两三四五六七八九十]+)?[座条个项]?(?:大中型|大型|重大)?$", text[:core_end])
        if shared and shared.group() != "":
            items = _list_items(text, shared.start(), cuts)
            for a, b in items:  # the item's own words, then the ending they share
                found.append((a, b, rows[suffix]["kind"], [(a, b), (m.start(), m.end())]))
            continue
        start = name_start(text, core_end, 0, cuts)
        count = LEADING_COUNT.match(text[start:core_end])
        start += count.end() if count and core_end - start - count.end() >= 2 else 0
        core = text[start:core_end]
        end = m.end() + (works.end() if (works := WORKS.match(text[m.end() :])) else 0)
        if (
            len(core) < rows[suffix].get("min_core", 2)
            or core in generic
            or (not count and COUNT_BEFORE.search(text[:start]))
            or not balanced(core + m.group())
        ):
            continue
        if rows[suffix].get("place_before") and not any(p[1] == core_end for p in places):
            continue
        found.append((start, end, rows[suffix]["kind"], None))
    nouns = "|".join(sorted((r["word"] for r in tagger.projects_table["list_noun"]), key=len, reverse=True))
    for m in re.finditer(rf"等[“「]?[\u4e00-\u9fff]{{0,6}}?(?:{nouns}|基础设施)[”」]?", text):
        for a, b in _list_items(text, m.start(), cuts):
            if not any(x < b and a < y for x, y, *_ in found):
                found.append((a, b, "other", None))
    return sorted(found, key=lambda f: (f[0], -f[1]))  # 宜宾港志城作业区码头 before 宜宾港


def initiatives_in(text: str, tagger: Tagger, cuts) -> list[tuple[int, int, str]]:
    """Names ending in an initiative suffix (…示范区, …经济圈, …中心), and quoted names that
    count their parts (“两中心两地”, “十大工程”) or are followed by 事项, 工程, 试点…"""
    found = []
    rows = {r["suffix"]: r for r in tagger.initiative_suffixes}
    generic = set(tagger.initiatives_table.get("generic", []))
    floor = 0
    for m in tagger.suffix_re["initiative"].finditer(text):
        if m.start() < floor or (m.end() not in cuts and text[m.end() : m.end() + 1] not in "”」"):
            continue
        if text[m.end() :].startswith(tuple(rows)):
            continue  # 产业集群 of 产业集群发展区: the name runs on to the longer ending
        row = rows[m.group()]
        start = name_start(text, m.start(), floor, cuts)
        count = LEADING_COUNT.match(text[start : m.start()])
        start += count.end() if count and m.start() - start - count.end() >= 2 else 0
        core = text[start : m.start()]
        if len(core) < row.get("min_core", 2) or core in generic or (not count and COUNT_BEFORE.search(text[:start])):
            continue
        if not balanced(core + m.group()):
            continue
        found.append((start, m.end(), row["kind"]))
        floor = m.end()
    after = tuple(tagger.initiatives_table["quoted"]["after"])
    endings = tuple(rows) + after
    for m in QUOTED.finditer(text):
        inner = m.group(1)
        named_by_ending = any(inner.endswith(e) and len(inner) > len(e) for e in endings)
        if COUNTED.match(inner) or text[m.end() :].startswith(after) or named_by_ending:
            start, end = m.start(1), m.end(1)  # “川渝通办” is named 川渝通办
            if m.start() > 0 and NAME_CHAR.match(text[m.start() - 1]):
                prefix = name_start(text, m.start(), 0, cuts)
                if 0 < m.start() - prefix <= 3 and not LEADING_COUNT.match(text[prefix : m.start()]):
                    start, end = prefix, m.end()  # 成渝绵“科技创新金三角”: a short place prefix belongs to the name
            found.append((start, end, "task"))
    return found


def tag(sentences: list[Sentence], gz, reference_year: int, published=None) -> list[Mention]:
    return [m for i, s in enumerate(sentences) for m in tag_sentence(i, s, gz, reference_year, published)]
