"""Text as the whole project compares it: pure functions, no Django models.

One normaliser for everything that is compared: NFKC (full-width → half-width) → OpenCC
t2s (瀘州 → 泸州) → lower-case. Documents, queries, the parser and record keys all use it, so
瀘州 and 泸州 are the same word everywhere.
"""

import difflib
import functools
import re
import unicodedata

import opencc
from django.utils.text import slugify


@functools.cache
def _converter(config: str):
    """One OpenCC converter per config per process ("t2s", "s2t")."""
    # The official package names configs without ".json"; older builds need the suffix.
    try:
        return opencc.OpenCC(config)
    except Exception:  # pragma: no cover - depends on the opencc build
        return opencc.OpenCC(f"{config}.json")


def to_traditional(text: str) -> str:
    """Simplified → Traditional (the 原文繁体 display, and variants for lookups)."""
    return _converter("s2t").convert(text) if text else text


def script_variants(text: str) -> list[str]:
    """The text as typed, in Simplified and in Traditional: for plain ``icontains`` lookups
    on short names that are not in the search index (places, organisations, sources)."""
    return list(dict.fromkeys([text, to_simplified(text), to_traditional(text)]))


def to_simplified(text: str) -> str:
    """Traditional → Simplified, nothing else (display and slugs use this)."""
    return _converter("t2s").convert(text) if text else text


def normalise(text: str) -> str:
    """The comparison form of any text: NFKC, Simplified, lower-case.

    Lengths: NFKC may merge or expand a few characters (e.g. ligatures), t2s keeps the
    length of the text for every character it maps one to one, which is almost all of them.
    ``normalise_aligned`` is for callers that must map positions back to the original.
    """
    if not text:
        return ""
    return to_simplified(unicodedata.normalize("NFKC", text)).lower()


_NOT_NAME = re.compile(r"[\W_]+")


def name_key(text: str) -> str:
    """A name as names are compared: normalised (瀘州 = 泸州, full- = half-width), without
    spaces and punctuation (《》、quotes), so 《方案》 and 方案 are the same name."""
    return _NOT_NAME.sub("", normalise(text or ""))


def normalise_aligned(text: str) -> tuple[str, list[int]]:
    """Normalise character by character, returning the text and, for each normalised
    character, the index of the original character it came from.

    Per-character conversion loses OpenCC's phrase context (rarely matters for t2s), so
    this is used only for highlighting; when the whole-text conversion has the same
    length, that better conversion is kept and the positions are the identity.
    """
    whole = normalise(text)
    if len(whole) == len(text):
        return whole, list(range(len(text)))
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        piece = normalise(ch)
        out.append(piece)
        index.extend([i] * len(piece))
    return "".join(out), index


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def strip_control(text: str) -> str:
    return _CONTROL.sub(" ", text)


def slug_for(text: str) -> str:
    """A readable Unicode slug in Simplified Chinese (瀘永江 → 泸永江): record keys and URLs."""
    return slugify(to_simplified(text), allow_unicode=True)[:180]


def written_in_traditional(text: str) -> bool:
    """Whether the text uses Traditional forms (t2s changes it): a text taken from a
    Traditional source, not one written in Simplified or in characters both scripts share."""
    return bool(text) and to_simplified(text) != text


def keep_written(stored: str, submitted: str) -> str:
    """What to store when a form shown in the reader's script (简 or 繁) is posted back: the
    stored text where the reader changed nothing but its script, their text where they edited.

    A form shows stored text converted (a Traditional quote in Simplified); saving it unchanged
    must not replace the source's own spelling with the conversion. The two are compared in
    Simplified: where they agree, the stored characters are kept; where the reader typed
    something else, it is taken as typed. When a conversion changes a length (rare), the
    comparison falls back to the whole text: unchanged but for script → stored, else submitted.
    """
    if stored == submitted or not isinstance(stored, str) or not isinstance(submitted, str):
        return submitted
    submitted_lf = submitted.replace("\r\n", "\n")  # a browser posts a textarea's lines with CRLF
    before, after = to_simplified(stored), to_simplified(submitted_lf)
    if before == after:
        return stored
    if len(before) != len(stored) or len(after) != len(submitted_lf):
        return submitted
    kept = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        kept.append(stored[i1:i2] if op == "equal" else submitted_lf[j1:j2])
    return "".join(kept)
