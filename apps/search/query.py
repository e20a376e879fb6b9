"""What users type → a structured query. Pure; nothing here reaches SQL raw.

Supported: several words (all must match), "exact phrase", -exclude, a OR b. Anything else
(brackets, *, :, NEAR, AND, control characters, emoji) is treated as text or dropped, never
as syntax, so every input is a valid query (possibly an empty one).
"""

import re
from dataclasses import dataclass, field

from apps.core.text import normalise, strip_control

from .text import literal_tokens

MAX_QUERY_CHARS = 500
# NFKC can make one typed character many (ﷺ → 18, ㌀ → 4): the characters typed do not bound
# what reaches the database. 2,000 bytes keeps 500 typed Chinese characters (1,500 bytes).
MAX_QUERY_BYTES = 2000
MAX_TERMS = 16
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_HAS_WORD = re.compile(r"[\w]", re.UNICODE)


@dataclass
class Query:
    # Every group must match; within a group, any alternative. Each alternative is a
    # normalised literal that the text must contain.
    groups: list[list[str]] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)

    def __bool__(self):
        return bool(self.groups)

    @property
    def terms(self) -> list[str]:
        """Every positive literal, for highlighting."""
        return [term for group in self.groups for term in group]


def _clean(term: str) -> str:
    # Keep letters, digits and CJK; punctuation between them splits nothing a user meant.
    term = normalise(term)
    term = "".join(ch if _HAS_WORD.match(ch) else " " for ch in term).strip()
    return re.sub(r"\s+", " ", term).replace("_", " ").strip()


def within_bytes(text: str, limit: int = MAX_QUERY_BYTES) -> str:
    """The longest start of ``text`` whose normalised form is at most ``limit`` bytes."""
    if len(normalise(text).encode()) <= limit:
        return text
    low, high = 0, len(text)  # normalise(text[:low]) fits, normalise(text[:high]) does not
    while high - low > 1:
        middle = (low + high) // 2
        if len(normalise(text[:middle]).encode()) <= limit:
            low = middle
        else:
            high = middle
    return text[:low]


def parse_query(raw: str) -> Query:
    text = within_bytes(strip_control(raw or "")[:MAX_QUERY_CHARS])
    text = text.replace("“", '"').replace("”", '"').replace("＂", '"')
    query = Query()
    pending_or = False
    for m in _TOKEN.finditer(text):
        negative = bool(m.group(1)) or (m.group(3) or "").startswith("-")
        if m.group(2) is not None:
            # A phrase stays one literal, punctuation included (江津·合江), as the text has it.
            words = [re.sub(r"\s+", " ", normalise(m.group(2))).strip()]
        else:
            word = m.group(3)
            if word == "OR":
                pending_or = bool(query.groups)
                continue
            words = _clean(word.lstrip("-")).split()
        # A phrase's inner spaces are kept; a literal with nothing indexable is dropped.
        words = [w for w in words if w and literal_tokens(w)]
        if not words or negative:
            query.excluded.extend(words if negative else [])
            pending_or = False  # OR binds only two positive neighbours
            continue
        for i, word in enumerate(words):
            if pending_or and i == 0:
                query.groups[-1].append(word)
            else:
                query.groups.append([word])
        pending_or = False
    query.groups = query.groups[:MAX_TERMS]
    query.excluded = query.excluded[:MAX_TERMS]
    return query
