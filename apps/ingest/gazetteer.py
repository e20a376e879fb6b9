"""Places: every province, city, district, county and town of China, with code and parent, plus
the zones, regions and short forms of ``rules/places.toml``. Pure functions over a compact file
that ``manage.py build_gazetteer`` generates (``rules/gazetteer.tsv.gz``).

Place names cannot be told from other words by their shape (地区, 城市 and 示范区 end like places
too), so places are looked up; and because a name can belong to several places (江北区 is in
重庆 and in 宁波) or be a piece of another word (江北 in 长江北岸), a match is only a *mention*
with candidates until ``resolve`` has looked at the places around it.
"""

import functools
import gzip
import re
from dataclasses import dataclass
from pathlib import Path

RULES = Path(__file__).with_name("rules")
GAZETTEER_FILE = RULES / "gazetteer.tsv.gz"
EXTRA_PLACES = RULES / "places.toml"
# The knowledge base's own region: a bare short form (江北, 长宁) means the place here unless
# the article says otherwise.
HOME_PROVINCES = {"51", "50"}  # 四川省, 重庆市
UPPER_LEVELS = {"province", "city", "region", "zone"}
# Words that stand before a person's name: 南溪 in （记者 蒲南溪） is a reporter, not a district.
PERSON_BEFORE = re.compile(
    r"(?:记者|通讯员|编辑|主任|书记|市长|县长|区长|局长|厅长|主席|院长|经理|董事长|总经理|处长|科长|摄影|摄|图|文)"
    r"[\s·:：/]*[\u4e00-\u9fff]?$"
)


ABBREVIATION_CHARS = "川渝黔滇藏陕甘鄂湘蓉泸宜永江内自粤桂"


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    level: str  # Place.Level value
    parent: str | None  # code


@dataclass(frozen=True)
class Form:
    code: str
    full: bool  # the division's own name (江北区), not a short form (江北)
    after: str = ""  # a one-character form counts only after one of these characters


@dataclass
class PlaceMention:
    start: int  # in the normalised sentence
    end: int
    form: str
    candidates: list[Form]
    code: str | None = None  # set by resolve()


class Gazetteer:
    def __init__(self, divisions: dict[str, Division], forms: dict[str, list[Form]]):
        self.divisions = divisions
        self.forms = forms
        self.longest = max(len(f) for f in forms)
        names: dict[str, int] = {}
        for d in divisions.values():
            names[d.name] = names.get(d.name, 0) + 1
        self.name_count = names

    def chain(self, code: str) -> list[Division]:
        """The division and its parents, nearest first: 通川区 → 达州市 → 四川省."""
        out = []
        while code:
            division = self.divisions[code]
            out.append(division)
            code = division.parent
        return out

    def province(self, code: str) -> str:
        return self.chain(code)[-1].code

    def by_name(self, name: str) -> list[Division]:
        return [self.divisions[f.code] for f in self.forms.get(name, []) if f.full]

    def key(self, code: str) -> str:
        """A record key: the name, or parent + name when the name is shared outside the region."""
        d = self.divisions[code]
        if self.name_count[d.name] > 1 and self.province(code) not in HOME_PROVINCES and d.parent:
            return self.divisions[d.parent].name + d.name
        return d.name


@functools.cache
def load(path: Path = GAZETTEER_FILE) -> Gazetteer:
    divisions: dict[str, Division] = {}
    forms: dict[str, list[Form]] = {}
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            code, name, level, parent, written = line.rstrip("\n").split("\t")
            if not name.startswith("~"):  # ~城区: a name that is also an ordinary word
                forms.setdefault(name, []).append(Form(code, True))
            divisions[code] = Division(code, name.lstrip("~"), level, parent or None)
            for form in filter(None, written.split(",")):
                text, _, after = form.partition("@")
                forms.setdefault(text, []).append(Form(code, False, after))
    return Gazetteer(divisions, forms)


def find_mentions(
    text: str, gazetteer: Gazetteer, *, words: list[tuple[int, int]] | None = None, blocked: list[tuple[int, int]] = ()
) -> list[PlaceMention]:
    """Every place name in ``text`` (normalised), longest first, left to right.

    ``words`` are the (start, end) of the sentence's words: a short form must be whole words
    (江北 in 长江/北岸 is not). ``blocked`` spans (titles in 《》, bylines) hold no places."""
    starts = {a for a, _ in words} if words is not None else None
    ends = {b for _, b in words} if words is not None else None
    found = []
    i = 0
    while i < len(text):
        if any(a <= i < b for a, b in blocked):
            i += 1
            continue
        hit = None
        for length in range(min(gazetteer.longest, len(text) - i), 0, -1):
            form = text[i : i + length]
            candidates = gazetteer.forms.get(form)
            if not candidates:
                continue
            usable = [c for c in candidates if _usable(c, text, i, i + length, starts, ends)]
            if usable:
                hit = PlaceMention(i, i + length, form, usable)
                break
        if hit is None:
            i += 1
            continue
        found.append(hit)
        i = hit.end
    return found


def _usable(form: Form, text: str, start: int, end: int, starts, ends) -> bool:
    if form.after:  # 泸 only in 莅泸, 来泸…, and not as the first of a row of them (在渝川黔…)
        return start > 0 and text[start - 1] in form.after and text[end : end + 1] not in ABBREVIATION_CHARS
    if len(text[start:end]) < 2:
        return False
    if form.full and end - start >= 3:
        return True
    if PERSON_BEFORE.search(text[:start]):
        return False
    if form.code.startswith("x-"):
        return True  # 川南, 渝西: region names of our own list are not words of anything else
    return starts is None or (start in starts and end in ends)


def resolve(mentions: list[PlaceMention], gazetteer: Gazetteer, context: set[str] = frozenset()) -> list[PlaceMention]:
    """Pick each mention's place from the places around it: a place written just before it
    (重庆江北 → 重庆市江北区), places of the same city or province elsewhere in the article
    (``context``, codes), and the knowledge base's region. A mention that stays ambiguous, or a
    short form of a far-away county nothing in the article points to, is dropped."""
    known = set(context)
    for m in mentions:
        if len({c.code for c in m.candidates}) == 1 and (
            m.candidates[0].full or gazetteer.divisions[m.candidates[0].code].level in UPPER_LEVELS
        ):
            known.update(d.code for d in gazetteer.chain(m.candidates[0].code))
    out = []
    previous = None
    for m in mentions:
        scored = []
        for c in {c.code: c for c in m.candidates}.values():
            ancestors = [d.code for d in gazetteer.chain(c.code)[1:]]
            score = 0
            if previous is not None and previous.end == m.start and previous.code in ancestors:
                score += 8
            score += 3 * sum(a in known for a in ancestors[:1]) + 2 * sum(a in known for a in ancestors[1:])
            score += 2 if gazetteer.province(c.code) in HOME_PROVINCES else 0
            division = gazetteer.divisions[c.code]
            needs_context = (not c.full and division.level not in UPPER_LEVELS) or division.level == "town"
            if needs_context and score == 0:
                continue
            scored.append((score, c.code))
        scored.sort(reverse=True)
        if not scored or (len(scored) > 1 and scored[0][0] == scored[1][0]):
            continue
        m.code = scored[0][1]
        out.append(m)
        previous = m
    return out
