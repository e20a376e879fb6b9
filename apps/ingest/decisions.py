"""What a reviewer decides about queued candidates: accept, merge into a record, reject.

Each decision is one service function and one transaction (with the search index written at
its end). Accepting or merging writes the record's history under the reviewer's name. A
reviewer may decide only about candidates of the kinds they may add *and* change; the others
are left pending and named in the outcome.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from apps.kb.models import EvidencedModel, Passage
from apps.search.index import batch

from .fixtures import KINDS
from .models import Candidate
from .review import MODELS

# Candidate fields → model fields, where they differ or need reading.
FIELDS = {
    "places": ["name", "level"],
    "organizations": ["name", "kind"],
    "initiatives": ["name", "kind", "description"],
    "projects": ["name", "kind", "status"],
    "agreements": ["name", "kind", "date", ("precision", "date_precision"), "date_text", "count", "count_is_minimum"],
    "documents": ["title", "status", "date", ("precision", "date_precision"), "date_text"],
    "milestones": ["title", "date", ("precision", "date_precision"), "date_text", "status"],
}
# Links a candidate names by key: model field → (candidate field, kind of the record named).
FOREIGN = {
    "places": {"parent": ("parent", "places")},
    "organizations": {"place": ("place", "places")},
    "initiatives": {"parent": ("parent", "initiatives")},
    "documents": {"issuer": ("issuer", "organizations")},
}
MANY = {
    "projects": {"places": ("places", "places"), "initiatives": ("initiatives", "initiatives")},
    "agreements": {
        "party_places": ("places", "places"),
        "party_organizations": ("organizations", "organizations"),
        "initiatives": ("initiatives", "initiatives"),
    },
    "documents": {"initiatives": ("initiatives", "initiatives")},
}
DATES = {"date"}


@dataclass
class Outcome:
    done: list = field(default_factory=list)  # (candidate, record)
    refused: list = field(default_factory=list)  # (candidate, reason)


def may_decide(user, kind: str) -> bool:
    """Whether ``user`` may accept, merge or reject candidates of ``kind``: they may add and
    change records of that kind."""
    opts = MODELS[kind]._meta
    return user.has_perm(f"{opts.app_label}.add_{opts.model_name}") and user.has_perm(
        f"{opts.app_label}.change_{opts.model_name}"
    )


def accept(*, candidates, user) -> Outcome:
    """Accept pending candidates: a new one becomes a record (its evidence and sentence
    linked; links to records that are there set), an update changes its record's fields to what
    the new document says, a merge adds its passages to its record as evidence. Parents and
    places first, so a project accepted with its initiative links to it. A candidate whose slug
    a record of its kind has by now (proposed by two documents) is merged into that record."""
    outcome = Outcome()
    ordered = sorted(candidates, key=lambda c: (KINDS.index(c.kind), c.pk))
    with transaction.atomic(), batch():
        for c in ordered:
            if not ready(c, user, outcome):
                continue
            try:
                with transaction.atomic():  # one refused candidate leaves the others' work
                    if c.action == Candidate.Action.UPDATE:
                        record, status = update_record(c, user), Candidate.Status.ACCEPTED
                    elif c.action == Candidate.Action.MERGE:
                        record, status = merge_record(c, user), Candidate.Status.MERGED
                    else:
                        record, status = create_record(c, user)
            except ValidationError as exc:
                outcome.refused.append((c, "；".join(exc.messages)))
                continue
            decided(c, status, user, record)
            outcome.done.append((c, record))
    return outcome


def merge(*, candidates, target, user) -> Outcome:
    """Merge pending candidates into ``target``, a record of their kind that is there: it gains
    their evidence passages and none of its fields change (history notes who merged)."""
    outcome = Outcome()
    with transaction.atomic(), batch():
        for c in candidates:
            if not ready(c, user, outcome):
                continue
            if not isinstance(target, MODELS[c.kind]):
                outcome.refused.append((c, f"不能合并到{target._meta.verbose_name}“{target}”：类别不同"))
                continue
            add_evidence(target, c, user, reason=f"审核队列：合并候选“{c.name}”（{c.source}）")
            decided(c, Candidate.Status.MERGED, user, target)
            outcome.done.append((c, target))
    return outcome


def reject(*, candidates, user) -> Outcome:
    outcome = Outcome()
    with transaction.atomic():
        for c in candidates:
            if ready(c, user, outcome):
                decided(c, Candidate.Status.REJECTED, user, None)
                outcome.done.append((c, None))
    return outcome


def ready(c: Candidate, user, outcome: Outcome) -> bool:
    if c.status != Candidate.Status.PENDING:
        outcome.refused.append((c, f"已审核（{c.get_status_display()}）"))
        return False
    if not may_decide(user, c.kind):
        outcome.refused.append((c, f"没有添加和修改{c.get_kind_display()}的权限"))
        return False
    return True


def decided(c: Candidate, status: str, user, record) -> None:
    c.status, c.reviewer, c.reviewed_at = status, user, timezone.now()
    if record is not None:
        c.target_type, c.target_id = ContentType.objects.get_for_model(record), record.pk
    c.save(update_fields=["status", "reviewer", "reviewed_at", "target_type", "target_id"])


# ---------------------------------------------------------------- records


def evidence_of(c: Candidate):
    positions = [p for p in c.fields.get("evidence", []) if isinstance(p, int)]
    return list(Passage.objects.filter(source_id=c.source_id, position__in=positions))


def value(name: str, raw):
    if name in DATES and raw:
        return datetime.date.fromisoformat(raw)
    return raw


def create_record(c: Candidate, user):
    """(the record, the candidate's new status): a new record, or the record that has its slug."""
    model = MODELS[c.kind]
    there = model.objects.filter(slug=c.key).first()
    if there is not None:
        add_evidence(there, c, user, reason=f"审核队列：同一记录的候选“{c.name}”（{c.source}）")
        return there, Candidate.Status.MERGED
    data = c.fields
    record = model(slug=c.key)
    for name in FIELDS[c.kind]:
        theirs, ours = name if isinstance(name, tuple) else (name, name)
        if data.get(theirs) is not None:
            setattr(record, ours, value(ours, data[theirs]))
    for ours, (theirs, kind) in FOREIGN.get(c.kind, {}).items():
        key = data.get(theirs)
        setattr(record, ours, MODELS[kind].objects.filter(slug=key).first() if key else None)
    if c.kind == "milestones" and data.get("concerns"):
        singular, key = data["concerns"]
        setattr(record, singular, model._meta.get_field(singular).related_model.objects.filter(slug=key).first())
    if isinstance(record, EvidencedModel):
        record.quote = c.quote
    record.full_clean(validate_unique=False)
    record._history_user = user
    record._change_reason = f"审核队列：接受候选（{c.source}）"
    record.save()
    for ours, (theirs, kind) in MANY.get(c.kind, {}).items():
        getattr(record, ours).set(MODELS[kind].objects.filter(slug__in=data.get(theirs) or []))
    if isinstance(record, EvidencedModel):
        record.evidence.set(evidence_of(c))
    return record, Candidate.Status.ACCEPTED


def update_record(c: Candidate, user):
    """The record the update is about, with the fields the new document states differently
    and that document's sentence as its quote (the old one stays in its history)."""
    record = c.target
    if record is None:
        raise ValidationError(f"要更新的{c.get_kind_display()}已不存在")
    for name, (_, new) in c.changes.items():
        setattr(record, name, value(name, new))
    record.quote = c.quote or record.quote
    record.full_clean(validate_unique=False)
    record._history_user = user
    record._change_reason = f"审核队列：据“{c.source}”更新"
    record.save()
    record.evidence.add(*evidence_of(c))
    return record


def merge_record(c: Candidate, user):
    """The record a merge candidate names, with the candidate's passages as more evidence."""
    record = c.target
    if record is None:
        raise ValidationError(f"要合并到的{c.get_kind_display()}已不存在")
    add_evidence(record, c, user, reason=f"审核队列：合并候选“{c.name}”（{c.source}）")
    return record


def add_evidence(record, c: Candidate, user, *, reason: str) -> None:
    """The candidate's passages become evidence of ``record``; a history row says who did it."""
    record._history_user = user
    record._change_reason = reason
    record.save()
    if isinstance(record, EvidencedModel):
        record.evidence.add(*evidence_of(c))
