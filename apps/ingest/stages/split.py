"""Stage 1 — split: the article's lines into passages (paragraphs, headings with their
subtitles, photo captions, credits), passages into sentences, sentences into clauses.

Everything after this stage matches on a sentence's normalised text (NFKC → Simplified →
lower-case), so Traditional and Simplified articles are read alike; names are sliced back out
of the original text with ``Sentence.original``.
"""

import functools
import re
from dataclasses import dataclass, field

from apps.core.headings import is_numbered_heading
from apps.core.text import normalise, normalise_aligned

from ..records import ParsedPassage
from ..rules import table

CAPTION_MARK = re.compile(r"摄|供图|图为|图片来源|资料图|视觉中国")
CREDIT_LINE = re.compile(r"^(?:责任编辑|编辑|审核|校对|来源|作者|记者)[:：]?.{0,20}$")
PUNCTUATION = re.compile(r"[，,。：:；;！!？?、「」“”《》()（）]")
SENTENCE_FINAL = ("。", "！", "？", "!", "?")
SENTENCE = re.compile(r"[^。！？；!?;\n]+[。！？；!?;]?")
CLAUSE = re.compile(r"[^，,：:。！？；!?;]+")


@dataclass
class Sentence:
    passage: int  # position of its passage
    kind: str  # the passage's kind, or "credit"
    norm: str
    orig: str
    index: list[int]  # normalised position → original position
    blocked: list[tuple[int, int]] = field(default_factory=list)  # credits inside the sentence
    clauses: list[tuple[int, int]] = field(default_factory=list)

    def original(self, start: int, end: int) -> str:
        """The original text behind normalised [start, end)."""
        if start >= end:
            return ""
        return self.orig[self.index[start] : self.index[end - 1] + 1]

    @property
    def quote(self) -> str:
        return self.orig.strip()

    def clause_at(self, position: int) -> int:
        return next((i for i, (a, b) in enumerate(self.clauses) if a <= position < b), len(self.clauses) - 1)


def split_passages(text: str) -> list[ParsedPassage]:
    """Lines → captions, section headings with their one-line subtitles, credits and paragraphs."""
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    passages: list[ParsedPassage] = []
    section = ""
    after_heading = after_credit = False
    for line in lines:
        norm = normalise(line)
        if CREDIT_LINE.match(norm) or (after_credit and len(norm) <= 12 and not PUNCTUATION.search(norm)):
            kind = "caption"  # 责任编辑：/ the name under it: a credit, kept as a caption passage
            after_credit = norm.endswith((":", "：")) or CREDIT_LINE.match(norm) is not None
            passages.append(ParsedPassage(len(passages) + 1, kind, section, line, credit=True))
            after_heading = False
            continue
        after_credit = False
        if is_numbered_heading(norm):
            kind, section = "heading", line  # 一、… / （一）… / 第X部分 of an official document
        elif len(norm) <= 80 and CAPTION_MARK.search(norm) and not norm.endswith("。"):
            kind = "caption"
        elif after_heading and len(norm) <= 60 and not norm.endswith(SENTENCE_FINAL):
            kind = "subtitle"  # the one line under a heading, however short
        elif len(norm) <= 3 or (len(norm) <= 8 and not PUNCTUATION.search(norm)):
            kind, section = "heading", line
        elif norm.endswith("。") and CAPTION_MARK.search(norm[-12:]) and len(norm) <= 40:
            kind = "caption"
        else:
            kind = "paragraph"
        after_heading = kind == "heading"
        passages.append(ParsedPassage(len(passages) + 1, kind, section, line))
    return passages


@functools.cache
def _credit_patterns() -> list[re.Pattern]:
    return [re.compile(p) for p in table("words")["credits"]["patterns"]]


def credit_spans(norm: str) -> list[tuple[int, int]]:
    """Bylines and credits inside a text (（四川日报记者 王成栋 蒲南溪）, □郭荞璐羽客)."""
    return [(m.start(), m.end()) for p in _credit_patterns() for m in p.finditer(norm) if m.end() > m.start()]


def sentences_of(passage: ParsedPassage) -> list[Sentence]:
    norm, index = normalise_aligned(passage.text)
    kind = "credit" if passage.credit else passage.kind
    out = []
    for m in SENTENCE.finditer(norm):
        if not m.group().strip():
            continue
        a, b = m.start(), m.end()
        s_norm = norm[a:b]
        s_index = [i - index[a] for i in index[a:b]]
        orig = passage.text[index[a] : index[b - 1] + 1]
        sentence = Sentence(passage.position, kind, s_norm, orig, s_index)
        sentence.blocked = credit_spans(s_norm)
        sentence.clauses = [(c.start(), c.end()) for c in CLAUSE.finditer(s_norm)] or [(0, len(s_norm))]
        out.append(sentence)
    return out


def split_sentences(passages: list[ParsedPassage]) -> list[Sentence]:
    return [s for p in passages if p.kind != "heading" for s in sentences_of(p)]
