"""Documents into the library: each in its own transaction, identified by a fingerprint of its
text as given, so a second run skips what is there and an interrupted run resumes where it
stopped. A document becomes a Source and its Passages (indexed for search in one batch); what
the extractor proposes goes to the review queue (``apps.ingest.queue.propose``), never straight
onto the public pages.
"""

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import IntegrityError, transaction
from django.db.models import Q

from apps.core.fingerprint import text_fingerprint
from apps.core.headings import is_numbered_heading
from apps.core.text import slug_for
from apps.core.vocabulary import DatePrecision
from apps.kb.history import record_created
from apps.kb.models import Passage, Place, Source
from apps.search.index import batch, index_objects

from .. import gazetteer, queue
from ..pipeline import ArticleError, parse_article
from .cleaning import SENTENCE_FINAL, clean_lines, page_date
from .reading import Document, Problem, Skipped, read_path, type_of, walk

HISTORY_REASON = "批量导入文件集"
SECTION_MAX = Passage._meta.get_field("section").max_length


@dataclass
class Outcome:
    origin: str
    status: str  # imported / skipped / failed
    message: str = ""
    title: str = ""
    passages: int = 0
    candidates: int = 0
    size: int = 0


@dataclass
class Summary:
    documents: int = 0
    passages: int = 0
    candidates: int = 0
    skipped: int = 0
    failed: int = 0
    bytes: int = 0
    seconds: float = 0.0
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def megabytes_per_second(self) -> float:
        return self.bytes / 1_000_000 / self.seconds if self.seconds else 0.0

    def add(self, outcome: Outcome) -> None:
        self.outcomes.append(outcome)
        self.bytes += outcome.size
        if outcome.status == "imported":
            self.documents += 1
            self.passages += outcome.passages
            self.candidates += outcome.candidates
        elif outcome.status == "skipped":
            self.skipped += 1
        else:
            self.failed += 1


def file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def import_paths(paths: Iterable, *, progress: Callable[[Outcome, int], None] | None = None) -> Summary:
    """Import every document under ``paths``. ``progress(outcome, bytes)`` is called after each
    document, and after each file with the bytes of it not yet reported (for a progress bar
    over the total size, which ``total_bytes`` gives beforehand)."""
    summary = Summary()
    started = time.perf_counter()
    for item in walk(paths):
        if not isinstance(item, Path):
            outcome = outcome_of(item)
            summary.add(outcome)
            if progress:
                progress(outcome, 0)
            continue
        left = file_size(item)
        for found in read_path(item):
            outcome = import_document(found) if isinstance(found, Document) else outcome_of(found)
            summary.add(outcome)
            step = min(outcome.size, left)
            left -= step
            if progress:
                progress(outcome, step)
        if progress and left:
            progress(None, left)
    summary.seconds = time.perf_counter() - started
    return summary


def total_bytes(paths: Iterable) -> int:
    return sum(file_size(item) for item in walk(paths) if isinstance(item, Path))


def outcome_of(item: Problem | Skipped) -> Outcome:
    if isinstance(item, Skipped):
        return Outcome(item.origin, "skipped", item.note)
    return Outcome(item.origin, "failed", item.message)


# ---------------------------------------------------------------- one document


def import_document(document: Document) -> Outcome:
    """One document into the library in one transaction, or the reason it was skipped or
    failed (then nothing of it is saved)."""
    text, title = document_text(document)
    done = Outcome(document.origin, "failed", size=document.size, title=title)
    if not text:
        done.message = "去掉网页杂项后没有正文"
        return done
    fingerprint = document.fingerprint
    earlier = Source.objects.filter(Q(raw_fingerprint=fingerprint) | Q(content_hash=text_fingerprint(text)))
    earlier = earlier.only("title").first()
    if earlier is not None:
        done.status, done.message = "skipped", f"已导入过（{earlier.title}）"
        return done
    try:
        parsed = parse_article(
            text, title=title or None, reference_year=document.reference_year, published=document.published
        )
    except ArticleError as exc:
        done.message = f"无法解析：{exc}"
        return done
    try:
        source, passages, candidates = store(document, parsed, fingerprint)
    except IntegrityError:  # another run imported it meanwhile (the fingerprints are unique)
        done.status, done.message = "skipped", "已由另一次导入写入"
        return done
    done.status, done.title = "imported", source.title
    done.passages, done.candidates = len(passages), candidates
    return done


def document_text(document: Document) -> tuple[str, str]:
    """The document's text without the page's chrome, and its title. A text file's title is its
    first line when that reads as one; its type and date are read from the title and the page."""
    title = document.title
    if document.title_is_name or not title:
        title = title_of(clean_lines(document.text), title)
        document.document_type = document.document_type or type_of(title)
        if document.published is None and (shown := page_date(document.text)):
            document.published, document.published_precision = shown, DatePrecision.DAY
            document.reference_year = document.reference_year or shown.year
    return "\n".join(clean_lines(document.text, title=title)), title


def store(document: Document, parsed, fingerprint: str) -> tuple[Source, list[Passage], int]:
    """The source, its passages (indexed for search in bulk) and its candidates for review, in one
    transaction."""
    with transaction.atomic(), batch():
        source = save_source(document, parsed, fingerprint)
        passages = Passage.objects.bulk_create(
            [
                Passage(source=source, position=p.position, kind=p.kind, section=p.section[:SECTION_MAX], text=p.text)
                for p in parsed.passages
            ]
        )
        record_created(Passage.objects.filter(source=source), HISTORY_REASON)
        # Indexed now, in bulk, from the passages in hand (they hold their source): reindex() would
        # read all of them back at the end of the batch.
        index_objects(passages, created=True)
        candidates = queue.propose(source, parsed)
    return source, passages, candidates


def title_of(lines: list[str], fallback: str) -> str:
    """A text file's title: its first line when that reads as one (short, no sentence end, no
    section number), else the file's name."""
    first = lines[0] if lines else ""
    if first and len(first) <= 60 and not first.endswith(SENTENCE_FINAL) and not is_numbered_heading(first):
        return first
    return fallback


def save_source(document: Document, parsed, fingerprint: str) -> Source:
    slug = parsed.key
    if Source.objects.filter(slug=slug).exists():  # another document of the same title
        slug = f"{slug[:170]}-{fingerprint[:8]}"
    source = Source(
        slug=slug,
        title=parsed.title,
        publisher=document.issuer,
        url=document.url,
        published=document.published,
        published_precision=document.published_precision,
        script=parsed.script,
        reference_year=parsed.reference_year,
        text=parsed.text,
        document_type=document.document_type,
        region=region_place(document.region),
        raw_fingerprint=fingerprint,
    )
    source._change_reason = HISTORY_REASON
    source.save()
    return source


def region_place(name: str) -> Place | None:
    """The knowledge base's place of that name; a province the gazetteer knows is added when the
    knowledge base lacks it (a province is a fact of the division list, not an extracted claim)."""
    if not name:
        return None
    place = Place.objects.filter(slug=slug_for(name)).first() or Place.objects.filter(name=name).first()
    if place is not None:
        return place
    if not any(d.level == Place.Level.PROVINCE for d in gazetteer.load().by_name(name)):
        return None
    place = Place(slug=slug_for(name), name=name, level=Place.Level.PROVINCE)
    place._change_reason = HISTORY_REASON
    place.save()
    return place
