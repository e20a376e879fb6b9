"""Article text → candidate records. Pure functions, no ORM.

Everything is matched on the normalised text (NFKC → Simplified → lower-case), so Traditional
and Simplified articles are read alike; what is stored is sliced from the original text.
The rules are about the genre (how Chinese planning news names projects, dates, agreements),
never about one article's particular names: places come from ``gazetteer``, the rest from
the shape of the sentence.
"""

import datetime
import hashlib
import re
from dataclasses import dataclass

from apps.search.text import normalise, normalise_aligned, slug_for

from . import gazetteer
from .dates import find_dates, infer_reference_year
from .records import (
    AgreementCandidate,
    DocumentCandidate,
    InitiativeCandidate,
    MilestoneCandidate,
    OrganizationCandidate,
    ParsedArticle,
    ParsedPassage,
    PlaceCandidate,
    ProjectCandidate,
)


class ArticleError(ValueError):
    """The text cannot be read as an article; the message says why."""


# ---------------------------------------------------------------- text with its original


@dataclass
class Span:
    """A piece of a passage: its normalised text, and how to get back to the original."""

    norm: str
    orig: str
    index: list[int]  # normalised position → original position
    base: int = 0  # offset of this span in the passage's normalised text

    @classmethod
    def of(cls, text: str) -> "Span":
        norm, index = normalise_aligned(text)
        return cls(norm, text, index)

    def original(self, start: int, end: int) -> str:
        """The original text behind normalised [start, end) of this span."""
        if start >= end:
            return ""
        a, b = self.index[self.base + start], self.index[self.base + end - 1] + 1
        return self.orig[a:b]

    def sub(self, start: int, end: int) -> "Span":
        return Span(self.norm[start:end], self.orig, self.index, self.base + start)


SENTENCE_END = re.compile(r"[^。！？；!?;\n]+[。！？；!?;]?")
CLAUSE = re.compile(r"[^，,：:。！？；!?;]+")


def pieces(span: Span, pattern: re.Pattern) -> list[Span]:
    return [span.sub(m.start(), m.end()) for m in pattern.finditer(span.norm) if m.group().strip()]


def mask_titles(text: str) -> str:
    """Hide what is inside 《》 (and the marks) so names in titles are not read as mentions."""
    return re.sub(r"《[^》]*》", lambda m: "□" * len(m.group()), text)


# ---------------------------------------------------------------- article structure

CAPTION_MARK = re.compile(r"摄|供图|图为|图片来源|资料图|视觉中国")
PUNCTUATION = re.compile(r"[，,。：:；;！!？?、「」“”《》()（）]")
SENTENCE_FINAL = ("。", "！", "？", "!", "?")


def read_text(data: bytes) -> str:
    """Bytes of an uploaded or given file → text; UTF-8 (with or without BOM) or GB18030."""
    if not data.strip():
        raise ArticleError("the file is empty")
    if b"\x00" in data[:4096]:
        raise ArticleError("the file is binary, not text (it contains NUL bytes)")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ArticleError("the file is neither UTF-8 nor GB18030 text")


def split_passages(text: str) -> list[ParsedPassage]:
    """Lines → captions, section headings with their one-line subtitles, and paragraphs."""
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    passages: list[ParsedPassage] = []
    section = ""
    after_heading = False
    for line in lines:
        norm = normalise(line)
        if len(norm) <= 80 and CAPTION_MARK.search(norm) and not norm.endswith("。"):
            kind = "caption"
        elif after_heading and len(norm) <= 60 and not norm.endswith(SENTENCE_FINAL):
            kind = "subtitle"  # the one line under a heading, however short
        elif len(norm) <= 3 or (len(norm) <= 8 and not PUNCTUATION.search(norm)):
            kind, section = "heading", line
        elif norm.endswith("。") and CAPTION_MARK.search(norm[-12:]) and len(norm) <= 40:
            kind = "caption"
        else:
            kind = "paragraph"
        after_heading = kind == "heading"
        passages.append(ParsedPassage(len(passages) + 1, kind, section, line))
    return passages


def detect_script(text: str) -> str:
    """trad when converting to Simplified changes a noticeable share of the characters."""
    han = [ch for ch in text if "\u4e00" <= ch <= "\u9fff"]
    if not han:
        return "simp"
    simplified = normalise("".join(han))
    changed = sum(a != b for a, b in zip(han, simplified))
    return "trad" if changed / len(han) > 0.05 else "simp"


# ---------------------------------------------------------------- names by their shape

# Words at which a name cannot continue to the left: verbs and particles that come before
# a named thing in this genre (加快渝昆高铁…, 共建川南渝西…, 首条…公交).
LEFT_BOUNDARIES = sorted(
    """加快 推进 推动 建设 完成 开工 启动 实施 打造 开通 加强 规划 支持 争取 争创 共建 融入 助推 立足
    对接 统筹 意味着 意味著 标志着 标志著 表明 积极 全力 重点 列入 入选 成为 作为 形成 提出 实现 探索 包括 促进 深化 成立 制定 印发
    编制 出台 发布 签订 签署 达成 抓好 谋划 参与 服务 围绕 依托 聚焦 主动 全面 力争 预计 计划 如 的 和
    与 及 或 等 已 将 在 为 把 是 了 以 从 到 由 于 首条 条 个 之 有关 方面 其中 以及 还 并 再""".split(),
    key=len,
    reverse=True,
)
NAME_CHAR = re.compile(r"[\u4e00-\u9fffa-z0-9·()（）\-—]")
CATEGORY_BEFORE = re.compile(r"(?:\d+|[一二两三四五六七八九十百]+)(?:个|大|项|批)$|首批$")


def left_run(text: str, end: int, floor: int) -> int:
    """Start of the run of name characters that ends at ``end`` (not before ``floor``)."""
    start = end
    while start > floor and NAME_CHAR.match(text[start - 1]):
        start -= 1
    return start


def trim_left(text: str, start: int, end: int) -> int:
    """Move ``start`` past the rightmost boundary word in text[start:end]."""
    best = start
    run = text[start:end]
    for word in LEFT_BOUNDARIES:
        i = run.rfind(word)
        if i >= 0:
            best = max(best, start + i + len(word))
    return best


def balanced(name: str) -> bool:
    return name.count("(") == name.count(")")


# ---------------------------------------------------------------- the reader

PROJECT_SUFFIXES = [
    ("高速公路", "expressway"), ("高速", "expressway"), ("城际铁路", "railway"), ("高铁", "railway"),
    ("铁路", "railway"), ("轨道交通", "railway"), ("公路", "highway"), ("大桥", "bridge"),
    ("隧道", "highway"), ("工业园区", "park"), ("产业园区", "park"), ("产业园", "park"), ("园区", "park"),
    ("公交", "bus"), ("港区", "port"), ("港口", "port"), ("码头", "port"), ("机场", "other"),
    ("通道", "corridor"),
]
PROJECT_RE = re.compile(
    "(?:" + "|".join(s for s, _ in PROJECT_SUFFIXES) + r")(?:[\u4e00-\u9fff]{1,3}段)?"
)
ROAD_CODE = re.compile(r"(?<![a-z0-9])([gs]\d{1,4})(?![a-z0-9])")

STATUS_RULES = [
    ("open", re.compile(r"建成通车|通车运营|开通|建成投用|投入运营|正式运营|建成")),
    ("building", re.compile(r"已开工|开工建设|正在建设|在建|动工|开建|全面施工")),
    ("approved", re.compile(r"获批|批复|入选|列入|立项|完成[^，。；]{0,12}(?:审核|审查|评审|检查)|通过[^，。；]{0,6}(?:评审|审查)")),
    ("planned", re.compile(r"推进[^，。；]*实施|前期工作|规划建设|谋划")),
]
STATUS_RANK = {"unknown": 0, "planned": 1, "approved": 2, "building": 3, "open": 4}
PLANNED_MARK = re.compile(r"预计|力争|争取|计划|拟|将(?!近)|有望|确保|下一步|即将")
# The same words as written in either script, to drop them from a title built on a subject.
PLANNED_WORDS = re.compile(r"預計|预计|力爭|力争|爭取|争取|計劃|计划|擬|拟|即將|即将|將|将|有望|確保|确保")

INITIATIVE_SUFFIXES = [
    ("经济副中心", "goal"), ("示范区", "platform"), ("试验区", "platform"), ("先行区", "platform"),
    ("合作区", "platform"), ("新区", "platform"), ("新城", "platform"), ("发展区", "goal"),
    ("新高地", "goal"), ("宜居地", "goal"), ("经济圈", "strategy"), ("经济带", "strategy"),
    ("机制", "mechanism"),
]
INITIATIVE_RE = re.compile("|".join(s for s, _ in INITIATIVE_SUFFIXES))
INITIATIVE_KIND = dict(INITIATIVE_SUFFIXES)
GROUP_NAME = re.compile(r"[「“\"]((?:[一两二三四五六七八九十][\u4e00-\u9fff]{1,2}?){2,5})[」”\"]")
GROUP_PART = re.compile(r"([一两二三四五六七八九十])([^一两二三四五六七八九十]{1,2})")
NUMBER = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}

AGREEMENT_RE = re.compile(
    r"(?:签订|签署|达成|签约)[^，。；]{0,12}?(战略合作协议|合作框架协议|框架协议|专项协议|合作协议|协议|合作备忘录|备忘录|合作共识|共识)"
)
AGREEMENT_KIND = [("战略", "strategic"), ("备忘录", "memorandum"), ("专项", "special"), ("共识", "consensus")]
COUNT_RE = re.compile(r"(超过|逾|近)?(\d+)(?:个|份|项)(以上|余|多)?")

DOCUMENT_ISSUED = re.compile(r"印发|出台|制定|发布|颁布|审议通过")
DOCUMENT_DRAFTING = re.compile(r"编制|起草|制订中|修订")

DEPARTMENTS = (
    "发展和改革委员会|发展改革委|发改委|交通运输局|交通运输厅|交通局|经济和信息化局|经信局|商务局|财政局|"
    "生态环境局|自然资源和规划局|住房和城乡建设局|住建局|教育局|卫生健康委|文化和旅游局|农业农村局|水务局|统计局"
)
GOVERNMENT = "党中央|国务院|省委|省政府|市委|市政府|区委|区政府|县委|县政府|人民政府|党政代表团"
ORG_RE = re.compile(rf"({DEPARTMENTS})|({GOVERNMENT})")
ORG_UNIQUE = {"党中央", "国务院"}
GROUP_ORG_RE = re.compile(r"成立(?:了)?([^，。；、]{2,30}?(?:领导小组|工作专班|工作组|专班))")
MEETING_RE = re.compile(r"([^，,。；;、在:：]{4,30}?(?:会议|全会|大会))上")
ADVERBIAL = re.compile(r"^(?:在.*(?:下|上|中|里|期间)|实际上|与此同时|目前|当前|此外|同时|其中|具体而言|下一步)$")


class Reader:
    """Reads one article's passages into candidates. Used only through ``parse_article``."""

    def __init__(self, article: ParsedArticle):
        self.a = article
        self.forms = gazetteer.written_forms()
        self.groups: dict[str, list[tuple[int, str]]] = {}  # group key → [(count, noun)]
        self.known_initiatives: dict[str, str] = {}  # normalised name → key

    # -- places and organisations ---------------------------------------------------------

    def places_in(self, span: Span, text: str, position: int) -> list[tuple[int, int, str]]:
        """(start, end, key) of every place named in ``text`` (the span's masked text)."""
        found: list[tuple[int, int, str]] = []
        taken = [False] * len(text)
        for form, division in self.forms:
            for m in re.finditer(re.escape(form), text):
                if any(taken[m.start():m.end()]):
                    continue
                # 泸州 inside 泸州港 is still 泸州; but 江北 inside 长江北岸 is not a place.
                if m.start() > 0 and text[m.start() - 1] in "长大" and len(form) == 2:
                    continue
                key = self.add_place(division)
                for i in range(m.start(), m.end()):
                    taken[i] = True
                found.append((m.start(), m.end(), key))
                town = re.match(r"([\u4e00-\u9fff]{2})(镇|乡|街道)", text[m.end():])
                if town:
                    t_end = m.end() + town.end()
                    name = text[m.end():t_end]  # places are kept in Simplified, like the gazetteer
                    t_key = slug_for(name)
                    self.a.places.setdefault(
                        t_key, PlaceCandidate(key=t_key, name=name, level="town", parent=key)
                    )
                    for i in range(m.end(), t_end):
                        taken[i] = True
                    found.append((m.end(), t_end, t_key))
        return sorted(found)

    def add_place(self, division: gazetteer.Division) -> str:
        key = slug_for(division.name)
        if key not in self.a.places:
            parent = self.add_place(gazetteer.BY_NAME[division.parent]) if division.parent else None
            self.a.places[key] = PlaceCandidate(key=key, name=division.name, level=division.level, parent=parent)
        return key

    def organizations_in(self, span: Span, text: str, places, position: int, sentence: str):
        """(start, end, key) of organisations: departments and governments with their place,
        leading groups (成立…领导小组) and meetings (在…会议上)."""
        found = []
        chain = None  # (end of the last organisation, its place key, the place as written)
        for m in ORG_RE.finditer(text):
            # 泸州市委: the place may share its last character (市) with the body (市委).
            prefix = next((p for p in places if p[1] == m.start() or (
                p[1] == m.start() + 1 and text[m.start()] in "省市区县")), None)
            if prefix:
                start, place_key = prefix[0], prefix[2]
                name = span.original(start, m.end())
                written_place = span.original(start, prefix[1])
            elif chain and text[chain[0]:m.start()] == "、":
                start, place_key, written_place = m.start(), chain[1], chain[2]
                # 重庆市发改委、交通局 → 重庆市交通局; 泸州市委、市政府 → 泸州市政府
                shared = written_place and normalise(written_place)[-1] == m.group()[0]
                name = (written_place[:-1] if shared else written_place) + span.original(m.start(), m.end())
            elif m.group() in ORG_UNIQUE:
                start, place_key, written_place = m.start(), None, ""
                name = span.original(m.start(), m.end())
            else:
                chain = None
                continue
            chain = (m.end(), place_key, written_place)
            kind = "department" if m.group(1) else ("group" if "代表团" in m.group() else "government")
            found.append((start, m.end(), self.add_org(name, kind, place_key, position, sentence)))
        for pattern, kind in ((GROUP_ORG_RE, "group"), (MEETING_RE, "meeting")):
            for m in pattern.finditer(text):
                name = span.original(m.start(1), m.end(1))
                if kind == "group" and re.search(r"[和与及]", m.group(1)):
                    continue  # 成立领导小组和工作专班: a description, not a name
                place_key = next((p[2] for p in places if m.start(1) <= p[0] < m.end(1)), None)
                found.append((m.start(1), m.end(1), self.add_org(name, kind, place_key, position, sentence)))
        return found

    def add_org(self, name, kind, place_key, position, sentence) -> str:
        key = slug_for(normalise(name))
        org = self.a.organizations.setdefault(
            key, OrganizationCandidate(key=key, name=name, kind=kind, place=place_key)
        )
        org.cite(position, sentence)
        return key

    # -- initiatives ------------------------------------------------------------------------

    def find_groups(self, passages: list[tuple[ParsedPassage, Span]]):
        """First pass: names that count their parts, like 「两中心两区两地」, and the
        enumerations (a、b、c…) whose items end in exactly those parts: its children."""
        for passage, span in passages:
            for m in GROUP_NAME.finditer(span.norm):
                parts = [(NUMBER[n], noun) for n, noun in GROUP_PART.findall(m.group(1))]
                if len(parts) < 2 or "".join(f"{n}{w}" for n, w in GROUP_PART.findall(m.group(1))) != m.group(1):
                    continue
                name = span.original(m.start(1), m.end(1))
                key = slug_for(normalise(name))
                group = self.a.initiatives.setdefault(key, InitiativeCandidate(key=key, name=name, kind="goal"))
                group.cite(passage.position, passage.text)
                self.groups[key] = parts
                self.known_initiatives[normalise(name)] = key
        if not self.groups:
            return
        for passage, span in passages:
            if passage.kind != "paragraph":
                continue
            for clause in pieces(span, re.compile(r"[^，,。；;：:「」“”]+")):
                items = clause.norm.split("、")
                if len(items) < 3:
                    continue
                self.match_enumeration(passage, span, clause, items)

    def match_enumeration(self, passage, span, clause, items):
        offsets, pos = [], 0
        for item in items:
            offsets.append((pos, pos + len(item)))
            pos += len(item) + 1
        # The first item may start with a verb (建设…), the last may run on (…宜居地的功能定位).
        first_start = trim_left(clause.norm, 0, offsets[0][1])
        offsets[0] = (first_start, offsets[0][1])
        last = clause.norm[offsets[-1][0]:offsets[-1][1]]
        for group_key, parts in self.groups.items():
            wanted = sorted((noun, n) for n, noun in parts)
            total = sum(n for n, _ in parts)
            if len(items) != total:
                continue
            ends = [o[1] for o in offsets]
            for _, noun in parts:  # cut the last item at its part noun
                i = last.rfind(noun)
                if i >= 0 and last[i + len(noun):].startswith("的"):
                    ends[-1] = offsets[-1][0] + i + len(noun)
            names = [clause.norm[s:e] for (s, _), e in zip(offsets, ends)]
            got = {}
            for name in names:
                noun = next((w for _, w in parts if name.endswith(w)), None)
                if noun is None:
                    break
                got[noun] = got.get(noun, 0) + 1
            if sorted(got.items()) != wanted:
                continue
            sentence = self.sentence_around(span, clause)
            for (s, _), e in zip(offsets, ends):
                name = clause.original(s, e)
                key = slug_for(normalise(name))
                item = self.a.initiatives.setdefault(
                    key, InitiativeCandidate(key=key, name=name, kind="goal", parent=group_key)
                )
                item.cite(passage.position, sentence)
                self.known_initiatives[normalise(name)] = key
            self.a.initiatives[group_key].cite(passage.position, sentence)

    def initiatives_in(self, span: Span, text: str, position: int, sentence: str):
        found = []
        floor = 0
        for m in INITIATIVE_RE.finditer(text):
            if m.start() < floor:
                continue
            run_start = left_run(text, m.start(), floor)
            known = next(
                (k for n, k in sorted(self.known_initiatives.items(), key=lambda kv: -len(kv[0]))
                 if text[:m.end()].endswith(n) and m.end() - len(n) >= floor),
                None,
            )
            if known:
                self.a.initiatives[known].cite(position, sentence)
                found.append((m.end() - len(self.a.initiatives[known].name), m.end(), known))
                floor = m.end()
                continue
            start = trim_left(text, run_start, m.start())
            min_len = 4 if m.group() == "机制" else 2
            if m.start() - start < min_len or CATEGORY_BEFORE.search(text[:start]):
                continue
            name = span.original(start, m.end())
            if not balanced(name):
                continue
            key = slug_for(normalise(name))
            item = self.a.initiatives.setdefault(
                key, InitiativeCandidate(key=key, name=name, kind=INITIATIVE_KIND[m.group()])
            )
            item.cite(position, sentence)
            found.append((start, m.end(), key))
            floor = m.end()
        return found

    # -- projects ---------------------------------------------------------------------------

    def projects_in(self, span: Span, text: str, position: int, sentence: str, places):
        found = []
        floor = 0
        for m in PROJECT_RE.finditer(text):
            if m.start() < floor:
                continue
            # 重庆经叙永至筠连等高速公路: the name runs on across the 等 of the list it ends.
            core_end = m.start() - 1 if text[m.start() - 1:m.start()] == "等" else m.start()
            start = trim_left(text, left_run(text, core_end, floor), core_end)
            core = text[start:core_end]
            name_norm = core + m.group()
            if len(core) < 2 or CATEGORY_BEFORE.search(text[:start]) or not balanced(name_norm):
                continue
            name = span.original(start, core_end) + span.original(m.start(), m.end())
            code = ROAD_CODE.match(name_norm)
            key = self.project_key(name, code.group(1) if code else None)
            project = self.a.projects.setdefault(
                key, ProjectCandidate(key=key, name=name, kind=self.kind_of(m.group()))
            )
            project.cite(position, sentence)
            # The places of its clause: 永川区朱沱镇、泸县云锦镇开通…公交.
            c_start = max(text.rfind(c, 0, start) for c in "，,；;。") + 1
            c_end = min([i for i in (text.find(c, m.end()) for c in "，,；;。") if i >= 0] or [len(text)])
            for p_start, _, p_key in places:
                if c_start <= p_start < c_end and p_key not in project.places:
                    project.places.append(p_key)
            found.append((start, m.end(), key))
            floor = m.end()
        # A bare road code (G246施工现场) is the project of that code.
        for m in ROAD_CODE.finditer(text):
            if any(s <= m.start() < e for s, e, _ in found):
                continue
            key = self.project_key(span.original(m.start(), m.end()), m.group(1))
            project = self.a.projects.setdefault(
                key, ProjectCandidate(key=key, name=span.original(m.start(), m.end()), kind="highway")
            )
            project.cite(position, sentence)
            found.append((m.start(), m.end(), key))
        return sorted(found)

    def kind_of(self, suffix: str) -> str:
        for s, kind in PROJECT_SUFFIXES:
            if suffix.startswith(s):
                return kind
        return "other"

    def project_key(self, name: str, code: str | None) -> str:
        """Projects with the same road code are one project (G246 and G246泸永公路)."""
        if code:
            for key, project in self.a.projects.items():
                other = ROAD_CODE.match(normalise(project.name))
                if other and other.group(1) == code:
                    if len(name) > len(project.name):  # keep the fuller name
                        project.name = name
                    return key
        return slug_for(normalise(name))

    def project_status(self, clauses: list[str]) -> str:
        best = "unknown"
        for clause in clauses:
            if PLANNED_MARK.search(clause):
                continue
            for status, pattern in STATUS_RULES:
                if pattern.search(clause):
                    if STATUS_RANK[status] > STATUS_RANK[best]:
                        best = status
                    break
        return best

    # -- the sentence --------------------------------------------------------------------------

    def sentence_around(self, span: Span, clause: Span) -> str:
        for sentence in pieces(span, SENTENCE_END):
            if sentence.base <= clause.base < sentence.base + len(sentence.norm):
                return sentence.original(0, len(sentence.norm)).strip()
        return clause.original(0, len(clause.norm))

    def read_passage(self, passage: ParsedPassage, span: Span):
        for sentence in pieces(span, SENTENCE_END):
            self.read_sentence(passage, sentence)

    def read_sentence(self, passage: ParsedPassage, s: Span):
        position = passage.position
        quote = s.original(0, len(s.norm)).strip()
        text = mask_titles(s.norm)
        places = self.places_in(s, text, position)
        orgs = self.organizations_in(s, text, places, position, quote)
        org_mask = list(text)
        for start, end, _ in orgs:
            org_mask[start:end] = "□" * (end - start)
        unmasked_orgs = "".join(org_mask)
        documents = self.documents_in(s, position, quote, orgs)
        initiatives = self.initiatives_in(s, unmasked_orgs, position, quote)
        projects = self.projects_in(s, unmasked_orgs, position, quote, places)
        clauses = [(m.start(), m.end()) for m in CLAUSE.finditer(text)]

        # Project status: from its clause and the clauses after it, up to the next project.
        for i, (start, _, key) in enumerate(projects):
            later = [p[0] for p in projects[i + 1:] if p[0] >= self.clause_end(clauses, start)]
            stop = later[0] if later else len(text)
            own = [text[a:b] for a, b in clauses if b > start and a < stop]
            status = self.project_status(own)
            project = self.a.projects[key]
            if STATUS_RANK[status] > STATUS_RANK[project.status]:
                project.status = status

        if passage.kind != "paragraph":
            return  # headings, subtitles and captions repeat or illustrate the text
        agreements = self.agreements_in(s, text, clauses, places, orgs, position, quote)
        self.milestones_in(s, text, clauses, position, quote, {
            "project": projects, "document": documents, "agreement": agreements, "initiative": initiatives,
        })

    @staticmethod
    def clause_end(clauses, position):
        return next((b for a, b in clauses if a <= position < b), position)

    # -- documents ------------------------------------------------------------------------------

    def documents_in(self, s: Span, position: int, quote: str, orgs):
        found = []
        for m in re.finditer(r"《([^》]{2,100})》", s.norm):
            title = s.original(m.start(1), m.end(1))
            key = slug_for(normalise(title))
            clause_start = max(s.norm.rfind(c, 0, m.start()) for c in "，,；。：:") + 1
            clause_end = min([i for i in (s.norm.find(c, m.end()) for c in "，,；。") if i >= 0] or [len(s.norm)])
            before, after = s.norm[clause_start:m.start()], s.norm[m.end():clause_end]
            if DOCUMENT_ISSUED.search(before) and not PLANNED_MARK.search(before):
                status = "issued"
            elif DOCUMENT_DRAFTING.search(before + after):
                status = "planned" if PLANNED_MARK.search(before) else "drafting"
            else:
                status = "referenced"
            doc = self.a.documents.setdefault(key, DocumentCandidate(key=key, title=title))
            if DOC_RANK[status] > DOC_RANK[doc.status]:
                doc.status = status
            if status == "issued" and doc.issuer is None:
                doc.issuer = next((k for a, b, k in orgs if b <= m.start() and a >= clause_start - 60), None)
            doc.cite(position, quote)
            found.append((m.start(), m.end(), key))
        return found

    # -- agreements -----------------------------------------------------------------------------

    def agreements_in(self, s: Span, text, clauses, places, orgs, position, quote):
        found = []
        previous_parties = None
        for m in AGREEMENT_RE.finditer(text):
            verb_clause = next(i for i, (a, b) in enumerate(clauses) if a <= m.start() < b)
            # Parties: named in this clause or the ones before it in the sentence, leaving out
            # adverbial clauses (在…推动下) that name who helped, not who signed.
            party_span = [
                (a, b) for a, b in clauses[: verb_clause + 1]
                if not ADVERBIAL.match(text[a:b].strip())
            ]

            def in_parties(start, spans=party_span):
                return any(a <= start < b for a, b in spans)

            party_places = [(st, k) for st, _, k in places if in_parties(st)]
            party_orgs = [(st, k) for st, _, k in orgs if in_parties(st)]
            if not party_places and not party_orgs and previous_parties:
                party_places, party_orgs = previous_parties
            previous_parties = (party_places, party_orgs)
            place_keys = self.without_parents(list(dict.fromkeys(k for _, k in party_places)))
            org_keys = list(dict.fromkeys(k for _, k in party_orgs))
            org_places = {self.a.organizations[k].place for k in org_keys}
            place_keys = [k for k in place_keys if k not in org_places]
            noun = m.group(1)
            kind = next((kind for word, kind in AGREEMENT_KIND if word in noun), "cooperation")
            written = {k: s.original(st, en) for st, en, k in places + list(orgs) if in_parties(st)}
            firsts = {k: st for st, _, k in reversed(places + list(orgs))}
            named = [written.get(k) or self.a.places.get(k, self.a.organizations.get(k)).name
                     for k in sorted(place_keys + org_keys, key=lambda k: firsts.get(k, 0))]
            if not named:
                meeting = next((k for _, _, k in orgs if self.a.organizations[k].kind == "meeting"), None)
                named = [self.a.organizations[meeting].name] if meeting else []
            name = "、".join(named) + s.original(m.start(1), m.end(1))
            key = slug_for(normalise(name))
            agreement = self.a.agreements.setdefault(key, AgreementCandidate(
                key=key, name=name, kind=kind, places=place_keys, organizations=org_keys,
            ))
            clause_text = text[clauses[verb_clause][0]:clauses[verb_clause][1]]
            count = COUNT_RE.search(clause_text[clause_text.find(noun):])
            if count:
                agreement.count = int(count.group(2))
                agreement.count_is_minimum = bool(count.group(1) in ("超过", "逾") or count.group(3))
            agreement.cite(position, quote)
            found.append((m.start(), m.end(), key))
        return found

    def without_parents(self, keys: list[str]) -> list[str]:
        """重庆 in 重庆永川 only says where 永川 is: drop a place when its child is named too."""
        parents = {self.a.places[k].parent for k in keys}
        return [k for k in keys if k not in parents]

    # -- milestones -----------------------------------------------------------------------------

    def milestones_in(self, s: Span, text, clauses, position, quote, mentions):
        for date in find_dates(text, self.a.reference_year):
            if "□" in text[date.start:date.end]:
                continue
            c = next(i for i, (a, b) in enumerate(clauses) if a <= date.start < b)
            a, b = clauses[c]
            planned = bool(PLANNED_MARK.search(text[a:b]))
            concerns = self.concerned(mentions, clauses, c, date.start)
            title = self.milestone_title(s, text, clauses, c, date, concerns)
            if not title:
                continue
            date_text = s.original(date.start, date.end)
            key = slug_for(f"{date.date.isoformat()}-{normalise(title)[:40]}")
            milestone = self.a.milestones.setdefault(key, MilestoneCandidate(
                key=key, title=title, date=date.date, precision=date.precision, date_text=date_text,
                status="planned" if planned else "done", concerns=concerns,
            ))
            milestone.cite(position, quote)
            if concerns and concerns[0] == "document" and not planned:
                doc = self.a.documents[concerns[1]]
                doc.issued_on = doc.issued_on or (date.date if doc.status == "issued" else None)
            if concerns and concerns[0] == "agreement" and not planned:
                agreement = self.a.agreements[concerns[1]]
                agreement.signed_on = agreement.signed_on or date.date

    def concerned(self, mentions, clauses, c, at):
        """The record a dated clause is about: one named in the clause itself, else the nearest
        named before it in the sentence, else the first named after it."""
        a, b = clauses[c]
        order = ["project", "document", "agreement", "initiative"]
        for kind in order:
            for start, _, key in mentions[kind]:
                if a <= start < b:
                    return self.umbrella(kind, key)
        before = [(start, kind, key) for kind in order for start, _, key in mentions[kind] if start < a]
        if before:
            _, kind, key = max(before)
            return self.umbrella(kind, key)
        after = [(start, kind, key) for kind in order for start, _, key in mentions[kind] if start >= b]
        if after:
            _, kind, key = min(after)
            return self.umbrella(kind, key)
        return None

    def umbrella(self, kind, key):
        # A dated list of a group's items (建设…中心、…宜居地) is news of the group itself.
        if kind == "initiative" and self.a.initiatives[key].parent in self.groups:
            return kind, self.a.initiatives[key].parent
        return kind, key

    def milestone_title(self, s: Span, text, clauses, c, date, concerns) -> str:
        """The dated clause without its date; a clause that says only when (9月24日,) or where
        (在…会议上,) borrows the next clause; a bare verb (预计…动工) borrows its subject."""
        parts = []
        for i in range(c, len(clauses)):
            a, b = clauses[i]
            piece = text[a:b].strip()
            if i > c and ADVERBIAL.match(piece):
                continue
            if a <= date.start < b:
                cut_start = date.start
                while cut_start > a and text[cut_start - 1] in "在于从自":
                    cut_start -= 1
                segs = [(a, cut_start), (date.end, b)]
            else:
                segs = [(a, b)]
            words = "".join(s.original(x, y) for x, y in segs).strip(" ,，、")
            words = re.sub(r"^(?:起|以来|开始|份)\s*", "", words)
            if ADVERBIAL.match(normalise(words)) or re.fullmatch(r"[\s\W]*", words):
                words = ""
            if words:
                parts.append(words)
            if len(normalise("".join(parts))) >= 6:
                break
        title = "，".join(parts)
        if concerns and len(normalise(title)) < 10:
            subject = self.record_name(*concerns)
            if normalise(subject) not in normalise(title):
                title = subject + PLANNED_WORDS.sub("", title)
        title = re.sub(r"的(?=《)", "", title)
        return title[:120]

    def record_name(self, kind, key):
        record = getattr(self.a, {"document": "documents"}.get(kind, kind + "s"))[key]
        return f"《{record.title}》" if kind == "document" else record.name


DOC_RANK = {"referenced": 0, "planned": 1, "drafting": 2, "issued": 3}


def parse_article(
    text: str,
    *,
    title: str | None = None,
    key: str | None = None,
    reference_year: int | None = None,
    published: datetime.date | None = None,
) -> ParsedArticle:
    """Read an article (Traditional or Simplified) into a source, passages and candidates."""
    if "\x00" in text:
        raise ArticleError("the text is binary (it contains NUL characters)")
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise ArticleError("the article is empty")
    passages = split_passages(text)
    if not any(p.kind == "paragraph" for p in passages):
        raise ArticleError("the article has no paragraphs (only headings or captions)")
    year = reference_year or infer_reference_year(normalise(text)) or (published.year if published else None)
    if year is None:
        raise ArticleError("cannot tell which year 今年 means: give the reference year (--year)")
    first = next(p for p in passages if p.kind == "paragraph")
    title = (title or first.text[:40]).strip()
    article = ParsedArticle(
        title=title,
        key=key or slug_for(title) or hashlib.sha256(text.encode()).hexdigest()[:12],
        script=detect_script(text),
        reference_year=year,
        published=published,
        text=text,
        passages=passages,
    )
    reader = Reader(article)
    spans = [(p, Span.of(p.text)) for p in passages]
    reader.find_groups(spans)
    for passage, span in spans:
        if passage.kind != "heading":
            reader.read_passage(passage, span)
    rekey_projects(article)
    return article


def rekey_projects(article: ParsedArticle):
    """A project first met by its road code (G246) and later by its full name is keyed by
    the full name, like every other record."""
    renamed = {}
    for key, project in list(article.projects.items()):
        new = slug_for(normalise(project.name))
        if new != key:
            renamed[key] = new
            project.key = new
    article.projects = {p.key: p for p in article.projects.values()}
    for milestone in article.milestones.values():
        if milestone.concerns and milestone.concerns[0] == "project" and milestone.concerns[1] in renamed:
            milestone.concerns = ("project", renamed[milestone.concerns[1]])
