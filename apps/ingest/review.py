"""The import review over a parse stored once (``ImportDraft``).

Each candidate has a number (its *cid*) that stays when the reviewer changes its kind or its
key, so a page of the review, a link to another candidate and the autocomplete all name it
the same way. A candidate refers to others by key, as the parser wrote them; a reference to a
record already in the knowledge base is its slug after ``EXISTING`` ("=渝昆高铁川渝段"), which
no slug or parser key contains, so dropping or renaming a candidate never touches it.

What the reviewer decided is kept beside the candidates: which are dropped (kept in the draft,
so a later page view can bring them back) and which are merged into an existing record. Only
``article_to_import`` applies them, to a copy, for the save.
"""

import math
from dataclasses import dataclass

from django.db.models import F, Q, Value
from django.db.models.lookups import IContains

from apps.core.text import normalise, script_variants
from apps.kb.models import (
    Agreement,
    Initiative,
    Milestone,
    Organization,
    Place,
    PolicyDocument,
    Project,
)

from .dates import find_dates
from .fixtures import KINDS, PLURAL, REFERENCES, SINGULAR, drop_candidate, map_references, merge_candidate
from .models import ImportDraft
from .records import CANDIDATE_TYPES, ParsedArticle, article_from_data, candidates_data, source_data

SINGULAR = {**SINGULAR, "milestones": "milestone"}
PLURAL = {**PLURAL, "milestone": "milestones"}
MODELS = {"places": Place, "organizations": Organization, "initiatives": Initiative, "projects": Project,
          "agreements": Agreement, "documents": PolicyDocument, "milestones": Milestone}
NAME_FIELD = {"documents": "title", "milestones": "title"}  # on the candidate and on the model alike
KIND_FIELD = {"places": "level", "organizations": "kind", "initiatives": "kind", "projects": "kind",
              "agreements": "kind"}
KIND_CHOICES = {"places": Place.Level, "organizations": Organization.Kind, "initiatives": Initiative.Kind,
                "projects": Project.Kind, "agreements": Agreement.Kind}
STATUS_CHOICES = {"projects": Project.Status, "documents": PolicyDocument.Status, "milestones": Milestone.Status}
# The links a reviewer sets: field → (the kinds of candidate it is on, the kinds it may point at).
LINKS = {
    "concerns": (("milestones",), ("projects", "agreements", "documents", "initiatives")),
    "initiatives": (("projects", "agreements", "documents"), ("initiatives",)),
    "places": (("projects",), ("places",)),
    "parties": (("agreements",), ("places", "organizations")),
    "issuer": (("documents",), ("organizations",)),
}
EXISTING = "="
PAGE_SIZE = 50


def type_label(kind: str) -> str:
    return str(MODELS[kind]._meta.verbose_name)


@dataclass(frozen=True)
class Ref:
    """A link target: a candidate's key, or EXISTING + the slug of a record already there."""

    kind: str  # plural: "projects"
    key: str
    label: str


@dataclass
class Row:
    cid: int
    kind: str
    record: object  # a Candidate
    dropped: bool
    merged: str | None  # slug of the existing record it is merged into

    @property
    def name(self):
        return getattr(self.record, NAME_FIELD.get(self.kind, "name"))


class Review:
    """A draft's candidates and the reviewer's decisions, in memory; ``save`` stores them."""

    def __init__(self, draft: ImportDraft):
        self.draft = draft
        self.article = article_from_data(draft.source, draft.candidates)
        self.index = [tuple(entry) for entry in draft.review["index"]]
        self.dropped = set(draft.review.get("dropped", []))
        self.merged = {int(cid): slug for cid, slug in draft.review.get("merged", {}).items()}

    # ------------------------------------------------------------ starting and storing

    @classmethod
    def start(cls, article: ParsedArticle, *, owner, size: int) -> ImportDraft:
        """A new draft of this parse for ``owner``. Candidates whose key is the slug of a
        record of their kind already in the knowledge base start merged into it (the import
        used to do that silently); the reviewer sees it and can undo it."""
        index = [(kind, key) for kind in KINDS for key in getattr(article, kind)]
        merged = {}
        for kind in KINDS:
            keys = list(getattr(article, kind))
            there = set(MODELS[kind].objects.filter(slug__in=keys).values_list("slug", flat=True))
            merged.update({cid: key for cid, (k, key) in enumerate(index) if k == kind and key in there})
        draft = ImportDraft.objects.create(
            owner=owner, title=article.title, size=size, source=source_data(article),
            candidates=candidates_data(article), review={"index": index, "dropped": [], "merged": merged},
        )
        older = ImportDraft.objects.filter(owner=owner).order_by("-created")[ImportDraft.KEPT_PER_OWNER:]
        ImportDraft.objects.filter(pk__in=list(older.values_list("pk", flat=True))).delete()
        return draft

    def save(self):
        self.draft.candidates = candidates_data(self.article)
        self.draft.review = {"index": self.index, "dropped": sorted(self.dropped),
                             "merged": {str(cid): slug for cid, slug in self.merged.items()}}
        self.draft.save(update_fields=["candidates", "review"])

    # ------------------------------------------------------------ reading

    @property
    def count(self) -> int:
        return len(self.index)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.count / PAGE_SIZE))

    def page_of(self, cid: int) -> int:
        return cid // PAGE_SIZE + 1

    def page_cids(self, page: int) -> list[int]:
        return list(range((page - 1) * PAGE_SIZE, min(page * PAGE_SIZE, self.count)))

    def row(self, cid: int) -> Row:
        kind, key = self.index[cid]
        return Row(cid, kind, getattr(self.article, kind)[key], cid in self.dropped, self.merged.get(cid))

    def cid_of(self, kind: str, key: str) -> int | None:
        try:
            return self.index.index((kind, key))
        except ValueError:
            return None

    def candidate_label(self, cid: int) -> str:
        row = self.row(cid)
        note = "（不导入）" if row.dropped else "（合并到已有记录）" if row.merged else ""
        return f"本文 · {type_label(row.kind)} · {row.name}{note}"

    def refs(self, row: Row, field: str) -> list[Ref]:
        """The row's current links of ``field`` (see LINKS), labelled."""
        record = row.record
        if field == "concerns":
            pairs = [(PLURAL[record.concerns[0]], record.concerns[1])] if record.concerns else []
        elif field == "parties":
            pairs = [("places", k) for k in record.places] + [("organizations", k) for k in record.organizations]
        elif field == "issuer":
            pairs = [("organizations", record.issuer)] if record.issuer else []
        else:
            pairs = [(LINKS[field][1][0], k) for k in getattr(record, field)]
        return [ref for kind, key in pairs if (ref := self.ref(kind, key))]

    def ref(self, kind: str, key: str) -> Ref | None:
        """A stored reference, labelled; None if it names nothing (a record deleted since)."""
        if key.startswith(EXISTING):
            return existing_ref(kind, key[len(EXISTING):])
        cid = self.cid_of(kind, key)
        return Ref(kind, key, self.candidate_label(cid)) if cid is not None else None

    def named_in(self, row: Row, kinds, limit: int = 20) -> list[int]:
        """Candidates of ``kinds`` whose name the row's own name or sentence contains."""
        if not hasattr(self, "_names"):
            self._names = {cid: normalise(self.row(cid).name) for cid in range(self.count)}
        text = normalise(f"{row.name} {row.record.quote}")
        found = [cid for cid, (kind, _) in enumerate(self.index)
                 if kind in kinds and cid != row.cid and self._names[cid] and self._names[cid] in text]
        return found[:limit]

    def ref_of_candidate(self, cid: int) -> Ref:
        kind, key = self.index[cid]
        return Ref(kind, key, self.candidate_label(cid))

    # ------------------------------------------------------------ the reviewer's edits

    def apply_page(self, rows: list[tuple[int, dict]]) -> list[str]:
        """Apply one page of the review: (cid, cleaned form data) for each row. A change of
        kind comes last, so links set on the same page see the kinds they were chosen for.
        Returns a note for each candidate whose kind changed (its new fields need a look)."""
        notes = []
        later = []
        for cid, data in rows:
            if data.get("DELETE"):
                self.dropped.add(cid)
                continue
            self.dropped.discard(cid)
            kind, _ = self.index[cid]
            if data["record_type"] != kind:
                later.append((cid, data))
            else:
                self.edit(cid, data)
        for cid, data in later:
            self.rename(cid, data["name"])
            notes.append(self.change_kind(cid, data["record_type"]))
        return notes

    def rename(self, cid: int, name: str):
        kind, key = self.index[cid]
        setattr(getattr(self.article, kind)[key], NAME_FIELD.get(kind, "name"), name)

    def edit(self, cid: int, data: dict):
        kind, key = self.index[cid]
        record = getattr(self.article, kind)[key]
        self.rename(cid, data["name"])
        if kind in KIND_FIELD:
            setattr(record, KIND_FIELD[kind], data["kind"])
        if kind in STATUS_CHOICES:
            record.status = data["status"]
        if kind in ("milestones", "agreements", "documents"):  # an agreement's or a document's may be none
            record.date, record.precision = data["date"], data["date_precision"] if data["date"] else ""
            record.date_text = data["date_text"] if data["date"] else ""
        if kind == "milestones":
            concerns = data["concerns"]
            record.concerns = (SINGULAR[concerns.kind], concerns.key) if concerns else None
        if kind in LINKS["initiatives"][0]:
            record.initiatives = [ref.key for ref in data["initiatives"]]
        if kind == "projects":
            record.places = [ref.key for ref in data["places"]]
        if kind == "agreements":
            record.places = [ref.key for ref in data["parties"] if ref.kind == "places"]
            record.organizations = [ref.key for ref in data["parties"] if ref.kind == "organizations"]
        if kind == "documents":
            record.issuer = data["issuer"].key if data["issuer"] else None
        target = data.get("merge_into")
        if target:
            self.merged[cid] = target.key[len(EXISTING):]
        else:
            self.merged.pop(cid, None)

    def change_kind(self, cid: int, new: str) -> str:
        """The candidate becomes a record of another kind: its name, evidence and quote go
        with it; the fields of its new kind start as the parser's defaults (a milestone's
        date is read from its sentence). Links to it follow where the new kind fits them."""
        old, key = self.index[cid]
        record = getattr(self.article, old).pop(key)
        name = getattr(record, NAME_FIELD.get(old, "name"))
        new_key, n = key, 1
        while new_key in getattr(self.article, new):
            n += 1
            new_key = f"{key[:190]}-{n}"
        made = CANDIDATE_TYPES[new](key=new_key, evidence=list(record.evidence), quote=record.quote)
        setattr(made, NAME_FIELD.get(new, "name"), name)
        if new == "milestones":
            self.date_from_text(made, record.quote or name)
        getattr(self.article, new)[new_key] = made
        self.index[cid] = (new, new_key)
        self.merged.pop(cid, None)
        self.follow_kind_change(old, key, new, new_key)
        return f"“{name}”已从{type_label(old)}改为{type_label(new)}：请检查它的类型、状态、日期和关联后再导入。"

    def follow_kind_change(self, old, key, new, new_key):
        concerns = LINKS["concerns"][1]
        for milestone in self.article.milestones.values():
            if milestone.concerns == (SINGULAR[old], key):
                milestone.concerns = (SINGULAR[new], new_key) if new in concerns else None
        parties = {"places", "organizations"}
        if old in parties and new in parties:  # a party stays a party
            for agreement in self.article.agreements.values():
                if key in getattr(agreement, old):
                    getattr(agreement, old).remove(key)
                    getattr(agreement, new).append(new_key)
        map_references(self.article, lambda kind, ref: None if (kind, ref) == (old, key) else ref)

    def date_from_text(self, milestone, text: str):
        """The first date phrase of ``text``, read as the parser reads dates (else none: the
        reviewer must give one before the import)."""
        source = self.article
        found = find_dates(normalise(text), source.reference_year, source.published)
        if found:
            phrase = found[0]
            milestone.date, milestone.precision = phrase.date, phrase.precision
            milestone.date_text = text[phrase.start:phrase.end][:50]
        else:
            milestone.date, milestone.date_text = None, ""

    # ------------------------------------------------------------ the save

    def problems(self) -> list[str]:
        """What stops the import, each naming the candidate and its page."""
        out = []
        wanted = {}  # (kind, slug) of existing records that merges and links need
        for cid in range(self.count):
            row = self.row(cid)
            if row.dropped:
                continue
            where = f"第{self.page_of(cid)}页“{row.name}”"
            if row.kind == "milestones" and row.record.date is None:
                out.append(f"{where}：里程碑缺少日期。")
            if row.merged:
                wanted.setdefault((row.kind, row.merged), []).append(f"{where}要合并到的")
            for kind, key in references(row):
                if key.startswith(EXISTING):
                    wanted.setdefault((kind, key[len(EXISTING):]), []).append(f"{where}关联的")
        for kind in KINDS:
            slugs = {slug for k, slug in wanted if k == kind}
            there = set(MODELS[kind].objects.filter(slug__in=slugs).values_list("slug", flat=True))
            for slug in sorted(slugs - there):
                out += [f"{who}已有{type_label(kind)}“{slug}”已不存在，请重新选择。" for who in wanted[(kind, slug)]]
        return out

    def article_to_import(self) -> ParsedArticle:
        """A copy of the reviewed parse with the decisions applied: dropped candidates gone,
        merged ones keyed by the slug of their record (so the import adds evidence and links to
        it), a candidate kept as new whose key is taken given a free one."""
        article = article_from_data(self.draft.source, candidates_data(self.article))
        for cid in sorted(self.dropped):
            drop_candidate(article, *self.index[cid])
        for cid, slug in self.merged.items():
            if cid not in self.dropped:
                merge_candidate(article, *self.index[cid], EXISTING + slug)
        for kind in KINDS:
            records = getattr(article, kind)
            new = [key for key in records if not key.startswith(EXISTING)]
            taken = set(MODELS[kind].objects.filter(slug__in=new).values_list("slug", flat=True))
            for key in sorted(taken):
                merge_candidate(article, kind, key, free_slug(MODELS[kind], key, records))
            for key in [k for k in records if k.startswith(EXISTING)]:
                merge_candidate(article, kind, key, key[len(EXISTING):])
        map_references(article, lambda kind, ref: ref.removeprefix(EXISTING))
        return article


def references(row: Row):
    """(kind, key) of everything the row's candidate points at."""
    for name, kind in REFERENCES[row.kind].items():
        value = getattr(row.record, name)
        for key in value if isinstance(value, list) else [value] if value else []:
            yield kind, key
    if row.kind == "milestones" and row.record.concerns:
        yield PLURAL[row.record.concerns[0]], row.record.concerns[1]


def free_slug(model, key: str, records: dict) -> str:
    n = 2
    while model.objects.filter(slug=f"{key[:190]}-{n}").exists() or f"{key[:190]}-{n}" in records:
        n += 1
    return f"{key[:190]}-{n}"


# ---------------------------------------------------------------- existing records


def existing_label(kind: str, record) -> str:
    return f"已有 · {type_label(kind)} · {record}"


def existing_ref(kind: str, slug: str) -> Ref | None:
    record = MODELS[kind].objects.filter(slug=slug).first()
    return Ref(kind, EXISTING + slug, existing_label(kind, record)) if record else None


def named_like(kind: str, text: str):
    """Records of ``kind`` whose name contains ``text``, typed in either script."""
    field = NAME_FIELD.get(kind, "name")
    query = Q()
    for variant in script_variants(text.strip()):
        query |= Q(**{f"{field}__icontains": variant})
    return MODELS[kind].objects.filter(query)


def likely_matches(kind: str, name: str, limit: int = 8) -> list:
    """Existing records of ``kind`` that may be this candidate: the same name, or one name
    inside the other, in either script (成自宜高铁 and 成自宜高鐵內江段). Closest first."""
    name = name.strip()
    if len(name) < 2:
        return []
    field = NAME_FIELD.get(kind, "name")
    query = Q()
    for variant in script_variants(name):
        query |= Q(**{f"{field}__icontains": variant}) | Q(IContains(Value(variant), F(field)))
    found = list(MODELS[kind].objects.filter(query)[:50])
    wanted = normalise(name)
    found.sort(key=lambda r: (normalise(getattr(r, field)) != wanted, abs(len(getattr(r, field)) - len(name))))
    return found[:limit]


# ---------------------------------------------------------------- the article beside the review


def marked_passages(review: Review, cids: list[int]):
    """The passages with each evidence sentence of these candidates as a span that the rows
    point at: [(passage, [(text, mark id or "")…])…], and {cid: mark id}."""
    wanted: dict[int, dict[str, str]] = {}  # position → quote → mark id
    marks = {}
    texts = {p.position: p.text for p in review.article.passages}
    for cid in cids:
        record = review.row(cid).record
        position = next((p for p in record.evidence if record.quote and record.quote in texts.get(p, "")), None)
        if position is None:
            continue
        quotes = wanted.setdefault(position, {})
        marks[cid] = quotes.setdefault(record.quote, f"q{position}-{len(quotes)}")
    out = []
    for passage in review.article.passages:
        out.append((passage, split_marked(passage.text, wanted.get(passage.position, {}))))
    return out, marks


def split_marked(text: str, quotes: dict[str, str]) -> list[tuple[str, str]]:
    spans = sorted((text.find(quote), quote, mark) for quote, mark in quotes.items())
    pieces, at = [], 0
    for start, quote, mark in spans:
        if start < at:
            continue  # overlaps the previous sentence: it stays unmarked
        pieces += [(text[at:start], ""), (quote, mark)]
        at = start + len(quote)
    pieces.append((text[at:], ""))
    return [piece for piece in pieces if piece[0]]
