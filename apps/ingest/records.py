"""What the parser proposes: plain dataclasses, no ORM. Names are kept as the source wrote
them (Traditional stays Traditional); ``key`` is the Simplified slug that identifies a record."""

import datetime
from dataclasses import dataclass, field, fields

from apps.core.vocabulary import DatePrecision, DocumentStatus, MilestoneStatus, ProjectStatus


@dataclass
class ParsedPassage:
    position: int
    kind: str  # heading / subtitle / paragraph / caption
    section: str
    text: str
    credit: bool = False  # a byline or editor credit (kept as a caption; it yields no records)


@dataclass
class Candidate:
    key: str
    evidence: list[int] = field(default_factory=list)  # passage positions
    quote: str = ""

    def cite(self, position: int, sentence: str):
        if position not in self.evidence:
            self.evidence.append(position)
        if not self.quote:
            self.quote = sentence


@dataclass
class PlaceCandidate(Candidate):
    name: str = ""
    level: str = ""
    parent: str | None = None  # key
    code: str = ""  # the statistical division code (x-… for zones and regions)
    implied: bool = False  # added only as the parent of a place the text names


@dataclass
class OrganizationCandidate(Candidate):
    name: str = ""
    kind: str = "other"
    place: str | None = None


@dataclass
class InitiativeCandidate(Candidate):
    name: str = ""
    kind: str = "task"
    parent: str | None = None
    description: str = ""  # what the source says it is (set by a correction: no rule reads it yet)


@dataclass
class ProjectCandidate(Candidate):
    name: str = ""
    kind: str = "other"
    status: str = ProjectStatus.UNKNOWN
    places: list[str] = field(default_factory=list)
    initiatives: list[str] = field(default_factory=list)


@dataclass
class AgreementCandidate(Candidate):
    name: str = ""
    kind: str = "cooperation"
    places: list[str] = field(default_factory=list)
    organizations: list[str] = field(default_factory=list)
    count: int | None = None
    count_is_minimum: bool = False
    initiatives: list[str] = field(default_factory=list)
    # When the sentence says it was signed or reached (as a milestone's date; none if it does not).
    date: datetime.date | None = None
    precision: str = ""
    date_text: str = ""


@dataclass
class DocumentCandidate(Candidate):
    title: str = ""
    status: str = DocumentStatus.REFERENCED
    issuer: str | None = None
    initiatives: list[str] = field(default_factory=list)
    # When the sentence says it was issued, or is to be (as a milestone's date; none if it does not).
    date: datetime.date | None = None
    precision: str = ""
    date_text: str = ""


@dataclass
class MilestoneCandidate(Candidate):
    title: str = ""
    date: datetime.date | None = None
    precision: str = DatePrecision.DAY
    date_text: str = ""
    status: str = MilestoneStatus.DONE
    concerns: tuple[str, str] | None = None  # (kind, key): ("project", "渝昆高铁川渝段")


@dataclass
class ParsedArticle:
    title: str
    key: str
    script: str
    reference_year: int
    published: datetime.date | None
    text: str
    passages: list[ParsedPassage]
    places: dict[str, PlaceCandidate] = field(default_factory=dict)
    organizations: dict[str, OrganizationCandidate] = field(default_factory=dict)
    initiatives: dict[str, InitiativeCandidate] = field(default_factory=dict)
    projects: dict[str, ProjectCandidate] = field(default_factory=dict)
    agreements: dict[str, AgreementCandidate] = field(default_factory=dict)
    documents: dict[str, DocumentCandidate] = field(default_factory=dict)
    milestones: dict[str, MilestoneCandidate] = field(default_factory=dict)

    @property
    def candidate_count(self) -> int:
        """Candidates of every kind (each kind is one of the dict fields above)."""
        return sum(len(records) for records in vars(self).values() if isinstance(records, dict))


# ---------------------------------------------------------------- stored once, read back

CANDIDATE_TYPES: dict[str, type[Candidate]] = {
    "places": PlaceCandidate,
    "organizations": OrganizationCandidate,
    "initiatives": InitiativeCandidate,
    "projects": ProjectCandidate,
    "agreements": AgreementCandidate,
    "documents": DocumentCandidate,
    "milestones": MilestoneCandidate,
}
_DATES = {"date", "published"}


def _plain(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def as_data(candidate) -> dict:
    """A candidate or passage as JSON-ready data (dates as ISO text)."""
    return {f.name: _plain(getattr(candidate, f.name)) for f in fields(candidate)}


def candidate_from_data(kind: str, data: dict) -> Candidate:
    cls = CANDIDATE_TYPES[kind]
    known = {f.name for f in fields(cls)}
    values = {}
    for name, value in data.items():
        if name not in known:
            continue
        if name in _DATES and value:
            value = datetime.date.fromisoformat(value)
        elif name == "concerns" and value:
            value = tuple(value)
        elif isinstance(value, list):
            value = list(value)
        values[name] = value
    return cls(**values)


def source_data(article: ParsedArticle) -> dict:
    """The article itself, as JSON-ready data: what a draft writes once."""
    return {
        "title": article.title, "key": article.key, "script": article.script,
        "reference_year": article.reference_year, "published": _plain(article.published),
        "text": article.text, "passages": [as_data(p) for p in article.passages],
    }


def candidates_data(article: ParsedArticle) -> dict:
    """The candidates by kind and key, as JSON-ready data: what a review edits."""
    return {kind: {key: as_data(c) for key, c in getattr(article, kind).items()} for kind in CANDIDATE_TYPES}


def article_from_data(source: dict, candidates: dict) -> ParsedArticle:
    published = source.get("published")
    article = ParsedArticle(
        title=source["title"], key=source["key"], script=source["script"],
        reference_year=source["reference_year"],
        published=datetime.date.fromisoformat(published) if published else None,
        text=source["text"], passages=[ParsedPassage(**p) for p in source["passages"]],
    )
    for kind in CANDIDATE_TYPES:
        setattr(article, kind, {
            key: candidate_from_data(kind, data) for key, data in candidates.get(kind, {}).items()
        })
    return article
