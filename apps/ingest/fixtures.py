"""Candidates → Django fixture records (natural keys, stable order), and the reviewed
corrections applied between the two. Pure functions, no ORM."""

import json
from dataclasses import fields

from apps.core.fingerprint import text_fingerprint

from .records import ParsedArticle

# Where each kind of candidate lives on a ParsedArticle, and which of its fields name others.
KINDS = ["places", "organizations", "initiatives", "projects", "agreements", "documents", "milestones"]


class CorrectionError(ValueError):
    pass


def apply_corrections(article: ParsedArticle, corrections: list[dict]) -> ParsedArticle:
    """Apply reviewed corrections for what no general rule can get right. Each is
    ``{"kind", "key", "why"}`` plus one of ``"drop": true``, ``"merge_into": key``,
    ``"set": {field: value}`` or ``"add": {list field: [values]}``. A correction that no
    longer finds its record is an error, so corrections cannot silently rot."""
    for number, c in enumerate(corrections, start=1):
        where = f"correction {number}"
        record = _record_to_correct(article, c, where)
        if c.get("drop"):
            drop_candidate(article, c["kind"], c["key"])
        elif "merge_into" in c:
            _merge_correction(article, c, record, where)
        else:
            _edit_fields(record, c, where)
    return article


def _record_to_correct(article: ParsedArticle, c, where: str):
    """The record a correction is about. A malformed, unexplained or stale correction stops the
    run with its number here, before it changes anything."""
    if not isinstance(c, dict) or c.get("kind") not in KINDS or "key" not in c:
        raise CorrectionError(f"{where}: needs 'kind' (one of {', '.join(KINDS)}) and 'key'")
    if not c.get("why"):
        raise CorrectionError(f"{where}: say why in 'why'")
    record = getattr(article, c["kind"]).get(c["key"])
    if record is None:
        raise CorrectionError(f"{where}: no {c['kind']} with key {c['key']!r} in the parse")
    return record


def _merge_correction(article: ParsedArticle, c: dict, record, where: str) -> None:
    """Two records are one thing: the one merged into gains the other's evidence, references
    follow it, and the other goes. Unlike ``merge_candidate``, the other's own links are not
    carried over."""
    records = getattr(article, c["kind"])
    target = records.get(c["merge_into"])
    if target is None:
        raise CorrectionError(f"{where}: no {c['kind']} {c['merge_into']!r} to merge into")
    for position in record.evidence:
        target.cite(position, record.quote)
    _repoint(article, c["kind"], c["key"], c["merge_into"])
    del records[c["key"]]


def _edit_fields(record, c: dict, where: str) -> None:
    """A correction's ``set`` then its ``add``, field by field in the order written; a bad field
    stops the run there, after the fields before it have changed."""
    names = {f.name for f in fields(record)}
    for op in ("set", "add"):
        if not isinstance(c.get(op, {}), dict):
            raise CorrectionError(f"{where}: '{op}' must be an object of field: value")
        for name, value in c.get(op, {}).items():
            # The key is the record's identity: changing it would orphan every reference.
            if name not in names or name == "key":
                raise CorrectionError(f"{where}: {c['kind']} have no field {name!r}")
            if op == "set":
                _set_field(record, name, value)
            else:
                _add_to_list(record, name, value, where)


def _set_field(record, name: str, value) -> None:
    # JSON has no tuples, and a milestone's ``concerns`` is compared as a (kind, key) tuple.
    setattr(record, name, tuple(value) if name == "concerns" and value else value)


def _add_to_list(record, name: str, value, where: str) -> None:
    """Values added to a list field once each, after those the parse found."""
    current = getattr(record, name)
    if not isinstance(current, list) or not isinstance(value, list):
        raise CorrectionError(f"{where}: 'add' takes a list, for list fields only ({name})")
    current.extend(v for v in value if v not in current)


SINGULAR = {"places": "place", "organizations": "organization", "initiatives": "initiative",
            "projects": "project", "agreements": "agreement", "documents": "document"}


def drop_candidate(article: ParsedArticle, kind: str, key: str):
    """Remove a candidate and every reference to it, so what is left still loads."""
    _repoint(article, kind, key, None)
    del getattr(article, kind)[key]


# Which fields of a candidate name other candidates, and of which kind. A milestone's
# ``concerns`` is a (singular kind, key) pair.
REFERENCES = {
    "places": {"parent": "places"},
    "organizations": {"place": "places"},
    "initiatives": {"parent": "initiatives"},
    "projects": {"places": "places", "initiatives": "initiatives"},
    "agreements": {"places": "places", "organizations": "organizations", "initiatives": "initiatives"},
    "documents": {"issuer": "organizations", "initiatives": "initiatives"},
    "milestones": {},
}
PLURAL = {singular: plural for plural, singular in SINGULAR.items()}


def map_references(article: ParsedArticle, change) -> None:
    """Replace every reference: ``change(kind, key)`` returns the key to keep (None: unlink)."""
    for kind, names in REFERENCES.items():
        for record in getattr(article, kind).values():
            for name, target in names.items():
                value = getattr(record, name)
                if isinstance(value, list):
                    setattr(record, name, list(dict.fromkeys(k for k in (change(target, v) for v in value) if k)))
                elif value:
                    setattr(record, name, change(target, value))
    for milestone in article.milestones.values():
        if milestone.concerns:
            singular, key = milestone.concerns
            key = change(PLURAL[singular], key)
            milestone.concerns = (singular, key) if key else None


def merge_candidate(article: ParsedArticle, kind: str, key: str, into: str) -> None:
    """Candidate ``key`` becomes ``into``: renamed if no candidate has that key, else folded
    into that one (its evidence and links added). References follow."""
    records = getattr(article, kind)
    record = records.pop(key)
    target = records.get(into)
    if target is None:
        record.key = into
        records[into] = record
    else:
        for position in record.evidence:
            target.cite(position, record.quote)
        for name in REFERENCES[kind]:
            mine, theirs = getattr(record, name), getattr(target, name)
            if isinstance(theirs, list):
                theirs.extend(k for k in mine if k not in theirs)
            elif not theirs:
                setattr(target, name, mine)
        if kind == "milestones" and not target.concerns:
            target.concerns = record.concerns
    map_references(article, lambda k, ref: into if (k, ref) == (kind, key) else ref)


def _repoint(article, kind, old, new):
    """Make every reference to candidate ``old`` of ``kind`` point at ``new`` (None: unlink)."""
    _repoint_milestones(article, kind, old, new)
    for holder, name in REFERRED_FROM.get(kind, ()):
        for record in getattr(article, holder).values():
            if name in ONE_KEY_FIELDS:
                if getattr(record, name) == old:
                    setattr(record, name, new)
            else:
                setattr(record, name, _repointed_keys(getattr(record, name), old, new))


# REFERENCES read the other way: for each kind, the (kind, field) pairs that may hold one of its
# keys, so a repoint visits only those fields (a test keeps the two tables in step). The order
# matters only when a correction has broken a field (a list set to null) and the repoint stops
# there: what was repointed before it is then the same as it always was.
REFERRED_FROM = {
    "places": [("projects", "places"), ("agreements", "places"), ("organizations", "place"), ("places", "parent")],
    "organizations": [("agreements", "organizations"), ("documents", "issuer")],
    "initiatives": [
        ("projects", "initiatives"),
        ("agreements", "initiatives"),
        ("documents", "initiatives"),
        ("initiatives", "parent"),
    ],
}
# Reference fields that hold a single key; the others hold a list of keys.
ONE_KEY_FIELDS = {"parent", "place", "issuer"}


def _repointed_keys(keys, old, new) -> list:
    """A list of keys with ``old`` replaced by ``new``: a key the record already had is not
    listed twice, and an unlinked one (None) is left out."""
    out = [new if k == old else k for k in keys]
    return list(dict.fromkeys(k for k in out if k))


def _repoint_milestones(article, kind, old, new) -> None:
    """A milestone concerns one (singular kind, key); unlinked, it concerns nothing."""
    for milestone in article.milestones.values():
        if milestone.concerns == (SINGULAR.get(kind), old):
            milestone.concerns = (SINGULAR[kind], new) if new else None


def to_fixture(
    article: ParsedArticle, *, publisher: str = "", url: str = "", published_precision: str = ""
) -> list[dict]:
    """The article as fixture records, in an order ``loaddata`` can follow (parents first).
    ``published_precision`` says how precise ``article.published`` is (a day when not given)."""
    src = [article.key]

    def evidence(c):
        return [[article.key, position] for position in sorted(c.evidence)]

    def ref(key):
        return [key] if key else None

    def refs(keys):
        return [[k] for k in keys]

    def date(d):
        return d.isoformat() if d else None

    out = [{"model": "kb.source", "fields": {
        "slug": article.key, "title": article.title, "publisher": publisher, "author": "",
        "published": date(article.published),
        "published_precision": (published_precision or "day") if article.published else "",
        "url": url, "script": article.script,
        "reference_year": article.reference_year, "text": article.text,
        "content_hash": text_fingerprint(article.text),
    }}]
    out += [{"model": "kb.passage", "fields": {
        "source": src, "position": p.position, "kind": p.kind, "section": p.section, "text": p.text,
    }} for p in article.passages]
    out += [{"model": "kb.place", "fields": {
        "slug": p.key, "name": p.name, "level": p.level, "parent": ref(p.parent),
    }} for p in _parents_first(article.places)]
    out += [{"model": "kb.organization", "fields": {
        "slug": o.key, "name": o.name, "kind": o.kind, "place": ref(o.place),
    }} for o in article.organizations.values()]
    out += [{"model": "kb.initiative", "fields": {
        "slug": i.key, "name": i.name, "kind": i.kind, "description": i.description, "parent": ref(i.parent),
        "places": [], "quote": i.quote, "evidence": evidence(i),
    }} for i in _parents_first(article.initiatives)]
    out += [{"model": "kb.project", "fields": {
        "slug": p.key, "name": p.name, "kind": p.kind, "status": p.status, "description": "",
        "places": refs(p.places), "initiatives": refs(p.initiatives), "quote": p.quote, "evidence": evidence(p),
    }} for p in article.projects.values()]
    out += [{"model": "kb.agreement", "fields": {
        "slug": a.key, "name": a.name, "kind": a.kind, "description": "",
        "date": date(a.date), "date_precision": a.precision if a.date else "", "date_text": a.date_text,
        "count": a.count, "count_is_minimum": a.count_is_minimum, "party_places": refs(a.places),
        "party_organizations": refs(a.organizations), "initiatives": refs(a.initiatives),
        "quote": a.quote, "evidence": evidence(a),
    }} for a in article.agreements.values()]
    out += [{"model": "kb.policydocument", "fields": {
        "slug": d.key, "title": d.title, "issuer": ref(d.issuer), "status": d.status,
        "date": date(d.date), "date_precision": d.precision if d.date else "", "date_text": d.date_text,
        "initiatives": refs(d.initiatives), "quote": d.quote,
        "evidence": evidence(d),
    }} for d in article.documents.values()]
    for m in article.milestones.values():
        concerns = dict.fromkeys(["initiative", "project", "agreement", "document"])
        if m.concerns:
            concerns[m.concerns[0]] = [m.concerns[1]]
        out.append({"model": "kb.milestone", "fields": {
            "slug": m.key, "title": m.title, "date": date(m.date), "date_precision": m.precision,
            "date_text": m.date_text, "status": m.status, **concerns, "quote": m.quote, "evidence": evidence(m),
        }})
    return out


def _parents_first(records: dict) -> list:
    done, ordered = set(), []

    def visit(record):
        if record.key in done:
            return
        if record.parent and record.parent in records:
            visit(records[record.parent])
        done.add(record.key)
        ordered.append(record)

    for record in records.values():
        visit(record)
    return ordered


def dumps(records: list[dict]) -> str:
    """Byte-stable JSON: same records, same bytes."""
    return json.dumps(records, ensure_ascii=False, indent=1) + "\n"
