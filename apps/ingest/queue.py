"""The review queue: what the extractor proposes from a document waits here for staff.

``propose`` turns one parsed document into ``Candidate`` rows and never creates or changes a
public record. A proposed record whose name (or an alias, in either script) a record of its
kind already has is not proposed again: when the new document says nothing different it is
left out (the record's page lists the passage among its mentions anyway), and when it states
a different status it becomes an *update* candidate that shows the record's sentence beside
the new one, for a reviewer to accept or reject. Records loaded from the committed fixtures
count as accepted: they have no queue rows.

The extractor gives no score of its own, so ``confidence`` is derived from what the parse
shows about each candidate (see ``confidence``).
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from apps.core.text import name_key, normalise, script_variants
from apps.core.vocabulary import DocumentStatus, ProjectStatus
from apps.kb.models import Alias

from .fixtures import KINDS
from .models import Candidate
from .records import ParsedArticle, as_data
from .review import KIND_FIELD, MODELS, NAME_FIELD

# The value a field has when the parse did not read it: not a statement about the record.
UNREAD = {"status": {ProjectStatus.UNKNOWN, DocumentStatus.REFERENCED, ""}}
DEFAULT_KIND = {"organizations": "other", "initiatives": "task", "projects": "other", "agreements": "cooperation"}
# The fields a newer document may state differently about a record already there.
COMPARED = {"projects": ["status"], "documents": ["status"], "milestones": ["status"]}


def propose(source, parsed: ParsedArticle, *, merged=()) -> int:
    """Store the candidates of ``parsed`` (the parse of ``source``'s text, whose passages are
    saved at positions 1..n) as queue rows: one per proposed record, in one bulk insert.
    Returns how many rows were added. A candidate already queued for this source is skipped,
    so proposing twice adds nothing. ``merged``: (kind, slug) of candidates a reviewer has
    already matched to the record with that slug (the admin import): each is queued as a merge
    into it."""
    passages = {p.position: p for p in source.passages.only("pk", "position", "source_id")}
    queued = set(Candidate.objects.filter(source=source).values_list("kind", "key"))
    rows = []
    for kind in KINDS:
        candidates = [
            c
            for c in getattr(parsed, kind).values()
            if (kind, c.key) not in queued and not getattr(c, "implied", False)
        ]
        if not candidates:
            continue
        known = existing_by_name(kind, [name_of(kind, c) for c in candidates], [c.key for c in candidates])
        for c in candidates:
            name = name_of(kind, c)
            record = known.get(name_key(name)) or known.get(("slug", c.key))
            data = as_data(c)
            row = Candidate(
                source=source,
                passage=passages.get(c.evidence[0]) if c.evidence else None,
                kind=kind,
                key=c.key[:200],
                name=name[:300],
                fields=data,
                quote=c.quote,
            )
            if record is not None:
                changes = differences(kind, record, data)
                if (kind, c.key) in merged:
                    row.action = Candidate.Action.MERGE
                elif changes:
                    row.action, row.changes = Candidate.Action.UPDATE, changes
                else:
                    continue  # nothing new about a record that is there: no row
                row.target_type = ContentType.objects.get_for_model(record)
                row.target_id = record.pk
            row.confidence = confidence(kind, c, name, matched=record is not None)
            rows.append(row)
    Candidate.objects.bulk_create(rows)
    return len(rows)


def name_of(kind: str, candidate) -> str:
    return getattr(candidate, NAME_FIELD.get(kind, "name")) or ""


def existing_by_name(kind: str, names: list[str], keys: list[str]) -> dict:
    """Records of ``kind`` that have one of ``names`` (as name or alias, in either script) or
    one of ``keys`` as slug: {name_key: record, ("slug", slug): record}. Two queries a kind."""
    model = MODELS[kind]
    field = NAME_FIELD.get(kind, "name")
    variants = {v for name in names for v in script_variants(name.strip()) if v}
    bare = {v.strip("《》") for v in variants}  # a document's title is stored without its 《》
    found = {}
    for record in model.objects.filter(Q(**{f"{field}__in": variants | bare}) | Q(slug__in=keys)):
        found[name_key(getattr(record, field))] = record
        found[("slug", record.slug)] = record
    if hasattr(model, "aliases"):
        aliases = Alias.objects.naming(*names).filter(content_type=ContentType.objects.get_for_model(model))
        ids = {a.object_id: a.normalised for a in aliases}
        for record in model.objects.filter(pk__in=ids):
            found.setdefault(name_key(ids[record.pk]), record)
    return found


def differences(kind: str, record, data: dict) -> dict:
    """What the document states differently about ``record``: {field: [its value, the new
    one]}. A field the parse did not read (a status it could not tell) is no statement."""
    changes = {}
    for field in COMPARED.get(kind, []):
        new = data.get(field)
        if new in UNREAD.get(field, {None, ""}):
            continue
        if new != getattr(record, field):
            changes[field] = [getattr(record, field), new]
    return changes


def confidence(kind: str, candidate, name: str, *, matched: bool) -> float:
    """How likely the candidate is a real record, from 0 to 1, derived from the parse (the
    extractor scores nothing itself): a start of 0.4, plus 0.2 when its name is written in its
    sentence, 0.1 when a suffix told its type (not the default), 0.1 when its status or date was
    read, 0.1 when several passages name it, 0.1 when its name is of a usual length (3–30
    characters; else minus 0.1: fragments are short or run on), 0.1 when it names a record that
    is there, 0.2 for a place the gazetteer knows by its code."""
    score = 0.4
    if name and normalise(name) in normalise(candidate.quote):
        score += 0.2
    if kind in KIND_FIELD and getattr(candidate, KIND_FIELD[kind], "") not in ("", DEFAULT_KIND.get(kind)):
        score += 0.1
    status = getattr(candidate, "status", None)
    if (status and status not in UNREAD["status"]) or getattr(candidate, "date", None):
        score += 0.1
    if len(candidate.evidence) > 1:
        score += 0.1
    score += 0.1 if 3 <= len(name) <= 30 else -0.1
    if matched:
        score += 0.1
    if kind == "places" and getattr(candidate, "code", "") and not candidate.code.startswith("x-"):
        score += 0.2
    return round(min(1.0, max(0.0, score)), 2)
