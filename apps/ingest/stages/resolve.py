"""Stage 3 — resolve: decide what each mention is.

Places get their division (江北 → 重庆市江北区, by the places around it); a title in 《》 becomes
a document, or an agreement when it is signed (签署《…协议》); an article's abbreviation
(以下简称《措施》) points at the full title; a road code and the full name it stands for
(G246, G246泸永公路) are one project; a name that counts its parts (“两中心两区两地”) finds the
enumeration of its items. Every record gets its key here, so later stages link by key.
"""

import re
from dataclasses import dataclass, field

from apps.core.numerals import read_number
from apps.core.text import normalise, slug_for

from .. import gazetteer
from .mentions import AGREEMENT_NOUNS, ROAD_CODE, SIGNING, Mention, name_start, word_spans
from .split import Sentence

ALIAS = re.compile(r"《([^》]{2,100})》[（(]?(?:以下)?简称[《“「]([^》”」]{1,20})[》”」]")
GROUP_NAME = re.compile(r"[「“\"]((?:[一两二三四五六七八九十][\u4e00-\u9fff]{1,2}?){2,5})[」”\"]")
GROUP_PART = re.compile(r"([一两二三四五六七八九十])([^一两二三四五六七八九十]{1,2})")


@dataclass
class Group:
    key: str
    name: str
    sentence: int
    parts: list[tuple[int, str]]  # (count, noun): 两中心 → (2, 中心)
    items: list[Mention] = field(default_factory=list)


def key_of(name: str) -> str:
    return slug_for(normalise(name))


def resolve_places(mentions: list[Mention], gz: gazetteer.Gazetteer) -> list[Mention]:
    """Places resolved across the whole article: an unambiguous mention anywhere is context for
    the ambiguous ones (宁波 named once makes every 江北 the one in 宁波)."""
    places = [m for m in mentions if m.kind == "place"]
    context = set()
    for m in places:
        codes = {c.code for c in m.data["mention"].candidates}
        if len(codes) == 1 and (
            m.data["mention"].candidates[0].full or gz.divisions[next(iter(codes))].level in gazetteer.UPPER_LEVELS
        ):
            context.update(d.code for d in gz.chain(next(iter(codes))))
    by_sentence: dict[int, list[Mention]] = {}
    for m in places:
        by_sentence.setdefault(m.sentence, []).append(m)
    kept = set()
    for group in by_sentence.values():
        for pm in gazetteer.resolve([m.data["mention"] for m in group], gz, context):
            kept.add(id(pm))
    out = []
    for m in mentions:
        if m.kind == "place":
            if id(m.data["mention"]) not in kept:
                continue
            m.code = m.data["mention"].code
            m.data["key"] = gz.key(m.code)
        out.append(m)
    return out


def resolve_titles(mentions: list[Mention], sentences: list[Sentence]) -> list[Mention]:
    """《…》 → document, or agreement when its clause signs it; 《措施》 → its full title."""
    aliases = {}
    for s in sentences:
        for m in ALIAS.finditer(s.norm):
            aliases[normalise(m.group(2))] = normalise(m.group(1))
    for m in mentions:
        if m.kind == "document" and "key" not in m.data:  # named without 《》
            m.data["key"] = key_of(m.name)
        if m.kind != "title":
            continue
        s = sentences[m.sentence]
        title_norm = normalise(m.name)
        clause_start = s.clauses[s.clause_at(m.start)][0]
        before = s.norm[clause_start : m.start]
        noun = next((n for n in AGREEMENT_NOUNS if title_norm.endswith(n)), None)
        if noun and SIGNING.search(before):
            m.kind, m.data["noun"], m.data["titled"] = "agreement", noun, True
        else:
            m.kind = "document"
            if title_norm in aliases:
                m.data["alias_of"] = aliases[title_norm]
                title_norm = aliases[title_norm]
        m.data["key"] = key_of(title_norm)
    return mentions


def resolve_projects(mentions: list[Mention]) -> list[Mention]:
    """Keys for projects; a road code (G246) and the full name that starts with it are one."""
    by_code: dict[str, str] = {}
    projects = [m for m in mentions if m.kind == "project"]
    for m in projects:
        code = ROAD_CODE.match(normalise(m.name))
        m.data["key"] = key_of(m.name)
        if code and len(normalise(m.name)) > len(code.group(1)):
            by_code.setdefault(code.group(1), m.data["key"])
    for m in projects:
        code = ROAD_CODE.fullmatch(normalise(m.name))
        if code and code.group(1) in by_code:
            m.data["key"] = by_code[code.group(1)]
    return mentions


def find_groups(mentions: list[Mention], sentences: list[Sentence]) -> list[Group]:
    """Names that count their parts, like 「两中心两区两地」, with the enumeration (a、b、c…) whose
    items end in exactly those parts: the group's children."""
    groups = []
    for i, s in enumerate(sentences):
        for m in GROUP_NAME.finditer(s.norm):
            pairs = GROUP_PART.findall(m.group(1))
            if len(pairs) < 2 or "".join(n + w for n, w in pairs) != m.group(1):
                continue
            name = s.original(m.start(1), m.end(1))
            if any(g.key == key_of(name) for g in groups):
                continue
            groups.append(Group(key_of(name), name, i, [(read_number(n), w) for n, w in pairs]))
    for group in groups:
        for i, s in enumerate(sentences):
            if s.kind != "paragraph" or group.items:
                continue
            for clause in re.finditer(r"[^，,。；;：:「」“”]+", s.norm):
                items = enumeration(clause.group(), clause.start(), group, s, i)
                if items:
                    group.items = items
                    break
    return groups


def enumeration(clause: str, offset: int, group: Group, s: Sentence, i: int) -> list[Mention]:
    pieces = clause.split("、")
    total = sum(n for n, _ in group.parts)
    if len(pieces) != total:
        return []
    spans, at = [], 0
    for piece in pieces:
        spans.append([at, at + len(piece)])
        at += len(piece) + 1
    words = word_spans(clause)
    cuts = {a for a, _ in words} | {b for _, b in words}
    spans[0][0] = name_start(clause, spans[0][1], 0, cuts)  # the first item may start with a verb (建设…)
    last = clause[spans[-1][0] : spans[-1][1]]
    for _, noun in group.parts:  # the last may run on (…宜居地的功能定位)
        j = last.rfind(noun)
        if j >= 0 and last[j + len(noun) :].startswith("的"):
            spans[-1][1] = spans[-1][0] + j + len(noun)
    got: dict[str, int] = {}
    for a, b in spans:
        noun = next((w for _, w in group.parts if clause[a:b].endswith(w)), None)
        if noun is None:
            return []
        got[noun] = got.get(noun, 0) + 1
    if sorted(got.items()) != sorted((w, n) for n, w in group.parts):
        return []
    return [
        Mention(
            "initiative",
            i,
            offset + a,
            offset + b,
            s.original(offset + a, offset + b),
            "goal",
            data={"key": key_of(s.original(offset + a, offset + b)), "parent": group.key},
        )
        for a, b in spans
    ]


def resolve_names(mentions: list[Mention], groups: list[Group]) -> list[Mention]:
    """Keys for the remaining kinds; the items of a group replace what the suffix rules read
    in the same place (跨行政区组团发展模式的融合发展示范区, not 融合发展示范区)."""
    items = [item for g in groups for item in g.items]
    known = {normalise(it.name): it.data["key"] for it in items}
    known.update({normalise(g.name): g.key for g in groups})
    out = []
    for m in mentions:
        if m.kind in ("initiative", "organization") and any(
            it.sentence == m.sentence and it.start < m.end and m.start < it.end for it in items
        ):
            continue
        if m.kind in ("initiative", "organization") and "key" not in m.data:
            m.data["key"] = key_of(m.name)
        out.append(m)
    return out + items


def extend_to_known(mentions: list[Mention], sentences: list[Sentence]) -> list[Mention]:
    """A later mention of a name read in full elsewhere (跨行政区组团发展模式的融合发展示范区) is
    that name, though the suffix rules cut it at 的."""
    known = {normalise(m.name): m for m in mentions if m.kind == "initiative" and m.data.get("parent")}
    for m in mentions:
        if m.kind != "initiative" or m.data.get("parent"):
            continue
        text = sentences[m.sentence].norm[: m.end]
        longer = [n for n in known if len(n) > m.end - m.start and text.endswith(n)]
        if longer:
            best = known[max(longer, key=len)]
            m.start = m.end - len(normalise(best.name))
            m.name = sentences[m.sentence].original(m.start, m.end)
            m.data["key"] = best.data["key"]
    return mentions
