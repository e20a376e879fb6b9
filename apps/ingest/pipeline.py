"""Article text → candidate records, stage by stage. Pure functions over dataclasses, no ORM.

    split      lines → passages (paragraphs, headings, captions, credits) → sentences → clauses
    tag        names of places, organisations, documents, projects, initiatives; date phrases
    resolve    places by context, titles into documents or agreements, aliases, one key per thing
    attach     statuses, issuers, parties, and a milestone for each dated event (in assemble)
    assemble   records of a ParsedArticle

The vocabulary is in ``rules/*.toml`` and the places in ``rules/gazetteer.tsv.gz``; the code is
about the genre (how Chinese planning news names things), never about one article.
"""

import datetime
import hashlib

from apps.core.text import normalise, slug_for

from . import gazetteer
from .dates import infer_reference_year
from .records import ParsedArticle
from .stages import assemble, mentions, resolve, split


class ArticleError(ValueError):
    """The text cannot be read as an article; the message says why."""


def parse_article(
    text: str,
    *,
    title: str | None = None,
    key: str | None = None,
    reference_year: int | None = None,
    published: datetime.date | None = None,
) -> ParsedArticle:
    """Read an article (Traditional or Simplified) into a source, passages and candidates."""
    if "\x00" in text:
        raise ArticleError("the text is binary (it contains NUL characters)")
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise ArticleError("the article is empty")
    passages = split.split_passages(text)
    if not any(p.kind == "paragraph" for p in passages):
        raise ArticleError("the article has no paragraphs (only headings or captions)")
    year = reference_year or infer_reference_year(normalise(text)) or (published.year if published else None)
    if year is None:
        raise ArticleError("cannot tell which year 今年 means: give the reference year (--year)")
    first = next(p for p in passages if p.kind == "paragraph")
    title = (title or first.text[:40]).strip()
    article = ParsedArticle(
        title=title,
        key=key or slug_for(title) or hashlib.sha256(text.encode()).hexdigest()[:12],
        script=detect_script(text),
        reference_year=year,
        published=published,
        text=text,
        passages=passages,
    )
    gz = gazetteer.load()
    sentences = split.split_sentences(passages)
    found = mentions.tag(sentences, gz, year, published)
    found = resolve.resolve_places(found, gz)
    found = resolve.resolve_titles(found, sentences)
    found = resolve.resolve_projects(found)
    groups = resolve.find_groups(found, sentences)
    found = resolve.resolve_names(found, groups)
    found = resolve.extend_to_known(found, sentences)
    return assemble.assemble(article, sentences, found, groups, gz)


def detect_script(text: str) -> str:
    """trad when converting to Simplified changes a noticeable share of the characters."""
    han = [ch for ch in text if "\u4e00" <= ch <= "\u9fff"]
    if not han:
        return "simp"
    simplified = normalise("".join(han))
    changed = sum(a != b for a, b in zip(han, simplified, strict=False))
    return "trad" if changed / len(han) > 0.05 else "simp"
