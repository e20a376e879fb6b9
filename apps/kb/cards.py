"""The card a record's page opens with: what it is, where it stands and the sentence that says
so, where, what it belongs to and holds, when, and what the source says it is. Pure reads of a
record whose relations the detail view prefetched (no query of its own).

The status sentence is the evidence sentence that names the record and holds a trigger of its
status (apps/ingest/rules/statuses.toml, read through apps.core.rules: the same words the parser
used), so the quote under a project supports its status; the trigger words are marked, escaped
first."""

import re

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from apps.core.rules import table
from apps.core.text import normalise
from apps.core.vocabulary import DocumentStatus, ProjectStatus
from apps.search.highlight import hit_spans

from . import labels
from .script import display_text

# A sentence ends at 。！？； (and their half-width forms); the mark stays with it.
SENTENCE_END = re.compile(r"(?<=[。！？；!?;])")


def sentences(text: str) -> list[str]:
    return [s.strip() for s in SENTENCE_END.split(text or "") if s.strip()]


def status_words(record) -> list[str]:
    """The trigger words of the record's status, longest first; none for a record without a
    status the parser reads from words (initiatives, agreements, milestones, 未说明, 引用)."""
    statuses = table("statuses")
    status = getattr(record, "status", None)
    kind = type(record).__name__
    if kind == "Project" and status != ProjectStatus.UNKNOWN:
        words = statuses["project"].get(status, [])  # the codes are the table's keys
    elif kind == "PolicyDocument" and status == DocumentStatus.PLANNED:
        words = statuses["planned_marks"]["words"]
    elif kind == "PolicyDocument" and status in (DocumentStatus.ISSUED, DocumentStatus.DRAFTING):
        words = statuses["document"][status]
    else:
        words = []
    return sorted({normalise(w) for w in words}, key=lambda w: (-len(w), w))


def status_sentence(record) -> tuple[str, list[str]]:
    """(sentence, trigger words it holds): the first evidence sentence naming the record with a
    trigger of its status; else the first such sentence not naming it; else the stored quote
    with no words. Passages are read from the evidence prefetch."""
    words = status_words(record)
    quote = getattr(record, "quote", "") or ""
    if not words:
        return quote, []
    name = normalise(getattr(record, "name", None) or getattr(record, "title", "") or "")
    texts = [quote] + [p.text for p in record.evidence.all()]
    named, unnamed = None, None
    for text in texts:
        for sentence in sentences(text):
            norm = normalise(sentence)
            found = [w for w in words if w in norm]
            if not found:
                continue
            if name and name in norm:
                # The clause after the name holds the record's own status (A已开工；B预计…).
                after = norm[norm.find(name):]
                own = [w for w in found if w in after] or found
                named = named or (sentence, own)
            unnamed = unnamed or (sentence, found)
        if named:
            break
    return named or unnamed or (quote, [])


def marked(sentence: str, words: list[str], script: str) -> SafeString:
    """The sentence in the reader's script, escaped, with the words wrapped in <mark>."""
    shown = display_text(sentence, script)
    out, cursor = [], 0
    for start, end in hit_spans(shown, words):
        out.append(escape(shown[cursor:start]))
        out.append(format_html('<mark class="status-words">{}</mark>', shown[start:end]))
        cursor = end
    out.append(escape(shown[cursor:]))
    return mark_safe("".join(out))  # every piece escaped above


def card(record, script: str, today=None) -> dict:
    """What the card shows; empty parts are None or [] so the template leaves them out."""
    sentence, words = status_sentence(record)
    places = getattr(record, "places", None) or getattr(record, "party_places", None)
    milestones = list(record.milestones.all()) if hasattr(record, "milestones") else []
    planned = [m for m in milestones if m.is_planned]
    done = [m for m in milestones if not m.is_planned]
    upcoming = [m for m in planned if today is None or not m.overdue_on(today)]
    places_field = "places" if hasattr(record, "places") else "party_places"
    return {
        "kind": record.get_kind_display() if hasattr(record, "get_kind_display") else "",
        "places_label": labels.field_label(record, places_field) if places is not None else "",
        "status": record.get_status_display() if hasattr(record, "get_status_display") else "",
        "sentence": marked(sentence, words, script) if words else None,
        "places": list(places.all()) if places is not None else [],
        "parent": getattr(record, "parent", None) if type(record).__name__ == "Initiative" else None,
        "children": list(record.children.all()) if type(record).__name__ == "Initiative" else [],
        "next": (upcoming or planned or [None])[0],
        "latest": (done or [None])[-1],
        "description": (getattr(record, "description", "") or "").strip(),
    }
