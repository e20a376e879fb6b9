"""What the parser proposes: plain dataclasses, no ORM. Names are kept as the source wrote
them (Traditional stays Traditional); ``key`` is the Simplified slug that identifies a record."""

import datetime
from dataclasses import dataclass, field

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
    signed_on: datetime.date | None = None
    initiatives: list[str] = field(default_factory=list)


@dataclass
class DocumentCandidate(Candidate):
    title: str = ""
    status: str = DocumentStatus.REFERENCED
    issuer: str | None = None
    issued_on: datetime.date | None = None
    initiatives: list[str] = field(default_factory=list)


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
