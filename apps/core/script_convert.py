"""Converting a whole response to one script (简/繁): pure functions, no Django.

The pages, exports and admin are rendered from stored text as it was written (a Traditional
source stays Traditional in the database) and from Simplified labels; the reader's script is
applied last, to what the reader sees. That is one place for every surface, present and future
(a new template or admin column cannot forget it), and the stored text is never touched.

What "what the reader sees" means in markup: text between tags, and the attributes a browser
shows or reads aloud (title, alt, placeholder, aria-label, a text field's value). Never the
values a form posts back without showing them (hidden inputs, checkboxes, <option value>),
links, scripts or styles: converting those would change what the site is asked for.

Text that must stay exactly as written (a Traditional original shown in the Traditional mode)
is wrapped in KEEP_OPEN … KEEP_CLOSE by whoever renders it; the conversion leaves it alone and
removes the two marks. They are Unicode noncharacters, which are reserved for such internal use
and never occur in published text. A text field marked ``translate="no"`` (the article pasted
into the import form) keeps its value: it is posted back and must arrive as the user typed it.
"""

import re
from collections.abc import Callable

KEEP_OPEN = "\ufdd0"
KEEP_CLOSE = "\ufdd1"
_SEPARATOR = "\ufdd2"  # between the pieces converted in one call; no phrase spans it
_MARKS = re.compile(f"[{KEEP_OPEN}{KEEP_CLOSE}]")

# Attributes whose value a reader sees or hears.
VISIBLE_ATTRIBUTES = frozenset(
    {
        "title",
        "alt",
        "placeholder",
        "aria-label",
        "aria-description",
        "aria-roledescription",
        "aria-valuetext",
        "aria-placeholder",
        "label",
        "summary",
    }
)
# An <input>'s value is shown for these types (and when it has no type).
SHOWN_INPUT_TYPES = frozenset({"", "text", "search", "submit", "button", "reset", "email", "url", "tel"})

_TOKEN = re.compile(
    r"<!--.*?-->"
    r"|<(script|style)\b[^>]*>.*?</\1\s*>"
    r"|(<textarea\b[^>]*>)(.*?)(</textarea\s*>)"
    r"|<[^>]*>",
    re.DOTALL | re.IGNORECASE,
)
_ATTRIBUTE = re.compile(r"""(\s)([^\s=/>"']+)(\s*=\s*)("[^"]*"|'[^']*'|[^\s"'=<>`]+)""")
_TAG_NAME = re.compile(r"<\s*([a-zA-Z][\w-]*)")


def keep(text: str) -> str:
    """``text`` marked to be left exactly as it is by the conversion."""
    return f"{KEEP_OPEN}{text}{KEEP_CLOSE}" if text else text


def strip_marks(text: str) -> str:
    return _MARKS.sub("", text)


class _Batch:
    """Pieces of text to convert, converted in one call at the end (a call per piece costs
    more than the conversion of a whole page), with the parts inside KEEP marks left out."""

    def __init__(self):
        self.parts: list[str] = []  # output: literal strings, and pieces replaced after conversion
        self.pending: list[int] = []  # indexes in parts of the pieces to convert
        self.kept = False  # inside KEEP_OPEN … KEEP_CLOSE (marks may enclose tags: a snippet's <mark>)

    def literal(self, text: str):
        """Text written unchanged (markup, links, form values): only the marks are followed
        and removed."""
        if KEEP_OPEN in text or KEEP_CLOSE in text:
            for piece, mark in _pieces(text):
                self.parts.append(piece)
                self.kept = _after(mark, self.kept)
        else:
            self.parts.append(text)

    def text(self, text: str):
        """Text the reader sees: converted, except inside KEEP marks."""
        for piece, mark in _pieces(text) if (KEEP_OPEN in text or KEEP_CLOSE in text) else [(text, "")]:
            if piece:
                if not self.kept and not piece.isascii():
                    self.pending.append(len(self.parts))
                self.parts.append(piece)
            self.kept = _after(mark, self.kept)

    def result(self, convert: Callable[[str], str]) -> str:
        if self.pending:
            pieces = [self.parts[i] for i in self.pending]
            converted = convert(_SEPARATOR.join(pieces)).split(_SEPARATOR)
            if len(converted) != len(pieces):  # a separator in the text itself: one call per piece
                converted = [convert(p) for p in pieces]
            for i, piece in zip(self.pending, converted, strict=True):
                self.parts[i] = piece
        return "".join(self.parts)


def _pieces(text: str):
    """(text, the mark after it) for a text holding KEEP marks."""
    for match in re.finditer(f"([^{KEEP_OPEN}{KEEP_CLOSE}]*)([{KEEP_OPEN}{KEEP_CLOSE}]?)", text):
        if match.group(0):
            yield match.group(1), match.group(2)


def _after(mark: str, kept: bool) -> bool:
    return True if mark == KEEP_OPEN else False if mark == KEEP_CLOSE else kept


def convert_text(text: str, convert: Callable[[str], str]) -> str:
    """Plain text (CSV, JSON, text/plain): all of it is read, KEEP marks aside."""
    batch = _Batch()
    batch.text(text)
    return batch.result(convert)


def convert_markup(markup: str, convert: Callable[[str], str]) -> str:
    """HTML or XML (an Atom feed): the text and the attributes a reader sees, nothing else."""
    batch = _Batch()
    at = 0
    for match in _TOKEN.finditer(markup):
        batch.text(markup[at : match.start()])
        at = match.end()
        token = match.group(0)
        if match.group(1) or token.startswith("<!--"):  # script, style, comment
            batch.literal(token)
        elif match.group(2):  # <textarea>: its content is the field's value
            _tag(batch, match.group(2))
            content = match.group(3)
            batch.literal(content) if _no_translate(match.group(2)) else batch.text(content)
            batch.literal(match.group(4))
        else:
            _tag(batch, token)
    batch.text(markup[at:])
    return batch.result(convert)


def _no_translate(tag: str) -> bool:
    return re.search(r"""\stranslate\s*=\s*["']?no\b""", tag, re.IGNORECASE) is not None


def _tag(batch: _Batch, tag: str):
    if tag.isascii():
        batch.literal(tag)
        return
    name_match = _TAG_NAME.match(tag)
    name = name_match.group(1).lower() if name_match else ""
    attributes = {m.group(2).lower(): m.group(4).strip("\"'").lower() for m in _ATTRIBUTE.finditer(tag)}
    value_shown = name == "input" and attributes.get("type", "") in SHOWN_INPUT_TYPES and not _no_translate(tag)
    at = 0
    for m in _ATTRIBUTE.finditer(tag):
        attribute = m.group(2).lower()
        if attribute in VISIBLE_ATTRIBUTES or (attribute == "value" and value_shown):
            batch.literal(tag[at : m.start(4)])
            batch.text(m.group(4))
            at = m.end(4)
    batch.literal(tag[at:])
