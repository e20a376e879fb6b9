"""What a reader sees on a page, an export or a feed, and the script rule checked character by
character (issue 12: one script for every surface). Used by test_script_rule.py and the
browser test."""

import functools
import json
from dataclasses import dataclass
from html.parser import HTMLParser

from apps.core.script_convert import SHOWN_INPUT_TYPES, VISIBLE_ATTRIBUTES
from apps.core.text import to_simplified, to_traditional


class VisibleText(HTMLParser):
    """Text nodes outside <script>/<style>, and the attributes a reader sees or hears (title,
    alt, placeholder, aria-label, a text field's value; <option> labels are text nodes)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self.skip = 0
        self.lang = None

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        if tag == "html":
            self.lang = attrs.get("lang")
        if tag in {"script", "style"}:
            self.skip += 1
        for name, value in attrs.items():
            shown_value = name == "value" and tag == "input" and attrs.get("type", "") in SHOWN_INPUT_TYPES
            if (name in VISIBLE_ATTRIBUTES or shown_value) and value.strip():
                self.pieces.append(value)

    def handle_endtag(self, tag):
        if tag in {"script", "style"} and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip and data.strip():
            self.pieces.append(data)


def visible_pieces(response) -> tuple[list[str], str | None]:
    """(the texts a reader sees, the document's lang) of any response the site gives."""
    content_type = response.get("Content-Type", "").split(";")[0].strip()
    body = response.content.decode("utf-8")
    if content_type == "application/json":
        return list(_strings(json.loads(body))), None
    if content_type in {"text/csv", "text/plain"}:
        return body.splitlines(), None
    parser = VisibleText()
    parser.feed(body)
    parser.close()
    if content_type == "application/atom+xml":  # an entry's summary is HTML, escaped in the XML
        inner = VisibleText()
        inner.feed("\n".join(parser.pieces))
        return inner.pieces, None
    return parser.pieces, parser.lang


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(k)
            yield from _strings(v)


@dataclass
class Offence:
    url: str
    char: str
    context: str

    def __str__(self):
        return f"{self.char!r} at {self.url}: …{self.context}…"


@functools.lru_cache(maxsize=20000)
def _simplified(c: str) -> str:
    return to_simplified(c)


def traditional_only(pieces, url) -> list[Offence]:
    """In the Simplified mode: every character c a reader sees has to_simplified(c) == c."""
    found = []
    for piece in pieces:
        for i, c in enumerate(piece):
            if not c.isascii() and _simplified(c) != c:
                found.append(Offence(url, c, piece[max(0, i - 12) : i + 12]))
    return found


def simplified_only(pieces, url, written: frozenset[str]) -> list[Offence]:
    """In the Traditional mode: a character that OpenCC s2t changes, read in its phrase (s2t
    keeps 公里 but makes 平台 平臺, so a character alone says too little), is Simplified —
    unless the Traditional originals themselves write it (``written``: 集群 is the seed's own
    spelling, which s2t would make 集羣; a Traditional original is shown exactly as written)."""
    found = []
    for piece in pieces:
        if piece.isascii():
            continue
        converted = to_traditional(piece)
        if len(converted) != len(piece):
            converted = "".join(to_traditional(c) for c in piece)
        for i, (c, t) in enumerate(zip(piece, converted, strict=True)):
            if c != t and c not in written:
                found.append(Offence(url, c, piece[max(0, i - 12) : i + 12]))
    return found
