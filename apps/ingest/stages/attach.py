"""Stage 4 — attach: what the sentence says about each mention. A project's status from the
words of its clause (rules/statuses.toml); a document's status and issuer; an agreement's
parties and count; and a milestone for every dated event, titled subject + event.

Reported speech (…表示) dates nothing: what someone said is not an event.
"""

import re
from dataclasses import dataclass

from apps.core.text import normalise, slug_for
from apps.core.vocabulary import DocumentStatus, ProjectStatus

from ..rules import table
from .mentions import Mention
from .split import Sentence

STATUS_RANK = {status: rank for rank, status in enumerate(ProjectStatus)}  # declared in order of progress
DOC_RANK = {
    status: rank
    for rank, status in enumerate(
        [DocumentStatus.REFERENCED, DocumentStatus.PLANNED, DocumentStatus.DRAFTING, DocumentStatus.ISSUED]
    )
}
AGREEMENT_KIND = [("战略", "strategic"), ("备忘录", "memorandum"), ("专项", "special"), ("共识", "consensus")]
COUNT_RE = re.compile(r"(超过|逾|近)?(\d+)(?:个|份|项)(以上|余|多)?")
ADVERBIAL = re.compile(r"^(?:在.*(?:下|上|中|里|期间)|实际上|与此同时|目前|当前|此外|同时|其中|具体而言|下一步)$")


def _rx(words: list[str]) -> re.Pattern:
    return re.compile("|".join(sorted(map(re.escape, words), key=len, reverse=True)))


STATUSES = table("statuses")
PROJECT_TRIGGERS = [
    (status, _rx(STATUSES["project"][status]))
    for status in (ProjectStatus.OPEN, ProjectStatus.UNDER_CONSTRUCTION, ProjectStatus.APPROVED, ProjectStatus.PLANNED)
]
PLAN_OF_YEAR = [
    (status, _rx(STATUSES["plan_of_year"][status]))
    for status in (ProjectStatus.PLANNED, ProjectStatus.UNDER_CONSTRUCTION)
]
PLANNED_MARK = re.compile(r"(?<!即)(?:" + "|".join(map(re.escape, STATUSES["planned_marks"]["words"])) + r")(?!近)")
DOC_ISSUED = _rx(STATUSES["document"][DocumentStatus.ISSUED])
DOC_DRAFTING = _rx(STATUSES["document"][DocumentStatus.DRAFTING])
SPEECH = _rx(table("words")["speech"]["verbs"])
# The same planned words as written in either script, to drop them from a title built on a subject.
PLANNED_WORDS = re.compile(r"預計|预计|力爭|力争|爭取|争取|計劃|计划|擬|拟|即將|即将|將|将|有望|確保|确保")


def clause_status(clause: str) -> str:
    if PLANNED_MARK.search(clause):
        return ProjectStatus.PLANNED if any(p.search(clause) for _, p in PROJECT_TRIGGERS) else ProjectStatus.UNKNOWN
    for status, pattern in PROJECT_TRIGGERS:
        if pattern.search(clause):
            return status
    return ProjectStatus.UNKNOWN


def project_status(s: Sentence, m: Mention, next_start: int) -> str:
    """A verb that opens the clause before the project (开工A、B等项目 in a year's plan) says what
    happens to it; else the best status of its clause and the clauses after it, up to the next
    project. A clause that plans (预计…动工) makes a plan, never a fact."""
    c = s.clause_at(m.start)
    a, _ = s.clauses[c]
    before = s.norm[a : m.start]
    for status, pattern in PLAN_OF_YEAR:
        hit = pattern.match(before.lstrip("如并还和及"))
        if hit:
            return status
    best = ProjectStatus.UNKNOWN
    for x, y in s.clauses[c:]:
        if x > s.clauses[c][0] and y > next_start:
            break  # the next project's clause speaks of that project
        status = clause_status(s.norm[x:y])
        if status == ProjectStatus.PLANNED and best != ProjectStatus.UNKNOWN:
            continue
        if STATUS_RANK[status] > STATUS_RANK[best]:
            best = status
    return best


@dataclass
class Dated:
    """A milestone before assembly: what it is titled, when, and what it concerns."""

    key: str
    title: str
    date: object
    precision: str
    date_text: str
    planned: bool
    concerns: tuple[str, str] | None
    sentence: int


def milestones_in(i: int, s: Sentence, mentions: list[Mention], names: dict) -> list[Dated]:
    out = []
    for d in (m for m in mentions if m.kind == "date"):
        phrase = d.data["date"]
        c = s.clause_at(d.start)
        a, b = s.clauses[c]
        planned = bool(PLANNED_MARK.search(s.norm[a:b]))
        concerns = concerned(s, mentions, c)
        title = milestone_title(s, c, d, concerns, names)
        if not title or SPEECH.search(normalise(title)):
            continue  # reported speech: what someone said is not an event
        key = slug_for(f"{phrase.date.isoformat()}-{normalise(title)[:40]}")
        out.append(Dated(key, title, phrase.date, phrase.precision, d.name, planned, concerns, i))
    return out


KIND_ORDER = ["project", "document", "agreement", "initiative"]


def concerned(s: Sentence, mentions: list[Mention], c: int):
    """The record a dated clause is about: one named in the clause itself, else the nearest
    named before it in the sentence, else the first named after it."""
    a, b = s.clauses[c]
    named = [m for m in mentions if m.kind in KIND_ORDER and "key" in m.data]
    for kind in KIND_ORDER:
        for m in named:
            if m.kind == kind and a <= m.start < b:
                return umbrella(m)
    before = [m for m in named if m.start < a]
    if before:
        return umbrella(max(before, key=lambda m: (m.start, -KIND_ORDER.index(m.kind))))
    after = [m for m in named if m.start >= b]
    if after:
        return umbrella(min(after, key=lambda m: (m.start, KIND_ORDER.index(m.kind))))
    return None


def umbrella(m: Mention):
    # A dated list of a group's items (建设…中心、…宜居地) is news of the group itself.
    if m.kind == "initiative" and m.data.get("parent"):
        return "initiative", m.data["parent"]
    return m.kind, m.data["key"]


def milestone_title(s: Sentence, c: int, d: Mention, concerns, names: dict) -> str:
    """The dated clause without its date; a clause that says only when (9月24日,) or where
    (在…会议上,) borrows the next clause; a bare verb (预计…动工) borrows its subject."""
    parts = []
    text = s.norm
    for i in range(c, len(s.clauses)):
        a, b = s.clauses[i]
        piece = text[a:b].strip()
        if i > c and ADVERBIAL.match(piece):
            continue
        if a <= d.start < b:
            cut = d.start
            while cut > a and text[cut - 1] in "在于从自到":
                cut -= 1
            while (cut > a and text[cut - 1 : cut + 1] in ("力争", "争取")) or text[max(a, cut - 2) : cut] in (
                "力争",
                "争取",
            ):
                cut -= 2
            after = d.end
            while after < b and text[after] in "前内起":  # 年底前印发: 前 belongs to the date
                after += 1
            segs = [(a, cut), (after, b)]
        else:
            segs = [(a, b)]
        written = "".join(s.original(x, y) for x, y in segs).strip(" ,，、")
        written = re.sub(r"^(?:起|以来|开始|份|前)\s*", "", written)
        if ADVERBIAL.match(normalise(written)) or re.fullmatch(r"[\s\W\d.]*", written):
            written = ""
        if written:
            parts.append(written)
        if len(normalise("".join(parts))) >= 6:
            break
    title = "，".join(parts)
    if concerns and len(normalise(title)) < 10:
        subject = names.get(concerns)
        if subject and normalise(subject) not in normalise(title):
            title = subject + PLANNED_WORDS.sub("", title)
    title = re.sub(r"的(?=《)", "", title)
    return title[:120]


def record_date(s: Sentence, m: Mention, mentions: list[Mention], since: Mention | None) -> Mention | None:
    """The date phrase that says when an agreement was signed or a document issued (or is to
    be): one in the record's own clause (11月印发的《…》, 力争年底前印发《…》), else the nearest
    before it in the sentence (去年11月，在…会议上，…达成合作共识), else the date that opened the
    paragraph's account (今年4月以来，…。…签订合作协议). Never a date of a later clause: that
    is another event's."""
    dates = [d for d in mentions if d.kind == "date"]
    clause = s.clause_at(m.start)
    own = [d for d in dates if s.clause_at(d.start) == clause]
    if own:
        return min(own, key=lambda d: abs(d.start - m.start))
    before = [d for d in dates if d.end <= m.start]
    if before:
        return max(before, key=lambda d: d.start)
    return since


def opening_since(s: Sentence, mentions: list[Mention]) -> Mention | None:
    """A date that opens a sentence and runs on (今年4月以来，… / 去年11月起，…): the account it
    opens goes on in the paragraph's next sentences, which it dates unless they give their own."""
    first = next((d for d in mentions if d.kind == "date"), None)
    if first is None or not first.data["date"].since or s.clause_at(first.start) != 0:
        return None
    a, _ = s.clauses[0]
    return first if not s.norm[a : first.start].strip() else None


def document_status(s: Sentence, m: Mention) -> str:
    c = s.clause_at(m.start)
    a, b = s.clauses[c]
    before, after = s.norm[a : m.start], s.norm[m.end : b]
    if DOC_ISSUED.search(before):
        return (
            DocumentStatus.PLANNED if PLANNED_MARK.search(before) else DocumentStatus.ISSUED
        )  # 力争年底前印发《…》: not yet
    if DOC_DRAFTING.search(before + after):
        return DocumentStatus.PLANNED if PLANNED_MARK.search(before) else DocumentStatus.DRAFTING
    if DOC_ISSUED.search(after[:6]) and not PLANNED_MARK.search(before):
        return DocumentStatus.ISSUED  # 《…规划》获批实施
    return DocumentStatus.REFERENCED


def issuer_of(s: Sentence, m: Mention, orgs: list[Mention]) -> str | None:
    """The organisation that issued a document: the nearest one named before it in its clause
    (省政府办公厅印发《…》), or in the clauses before (自然资源厅会同…联合印发《…》)."""
    before = [o for o in orgs if o.end <= m.start and o.kind == "organization"]
    return before[0].data["key"] if before else None


def agreement_parties(s: Sentence, m: Mention, mentions: list[Mention]):
    """Parties of an agreement: the places and organisations of its clause and the clauses before
    it in the sentence, leaving out adverbial clauses (在…推动下) that name who helped."""
    c = s.clause_at(m.start)
    spans = [(a, b) for a, b in s.clauses[: c + 1] if not ADVERBIAL.match(s.norm[a:b].strip())]

    def inside(x):
        return any(a <= x.start < b for a, b in spans) and x.end <= m.start  # who signs is named before what

    places = [x for x in mentions if x.kind == "place" and inside(x)]
    orgs = [x for x in mentions if x.kind == "organization" and inside(x)]
    return places, orgs


def count_of(s: Sentence, m: Mention):
    _, end = s.clauses[s.clause_at(m.start)]
    clause = s.norm[m.start : end]
    found = COUNT_RE.search(clause)
    if not found:
        return None, False
    return int(found.group(2)), bool(found.group(1) in ("超过", "逾") or found.group(3))


def agreement_kind(noun: str) -> str:
    return next((kind for word, kind in AGREEMENT_KIND if word in noun), "cooperation")
