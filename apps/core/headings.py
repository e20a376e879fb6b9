"""Numbered section headings of Chinese official documents: 一、… (a part), （一）… (a section
of it), 第三部分 (a part). Pure functions: the parser splits by them, the reader's table of
contents indents by them."""

import re

# On normalised or original text: NFKC turns （一） into (一), both are accepted.
_PART = re.compile(r"^(?:[一二三四五六七八九十]+、|第[一二三四五六七八九十百]+部分)")
_SECTION = re.compile(r"^[（(][一二三四五六七八九十]+[)）]")
_SENTENCE_MARKS = "。！？；!?;"
# A numbered line this long is a paragraph that opens with its lead sentence, not a heading.
MAX_HEADING = 40


def is_numbered_heading(line: str) -> bool:
    """一、2025年工作回顾 and （一）全力促进经济平稳健康发展 are headings; （一）坚持政治引领，…。坚持…
    (a numbered paragraph: it has sentences) is not."""
    line = line.strip()
    # A heading may end with a full stop (（二）产业发展提质增效、转型加快。) but holds no sentence.
    body = line[:-1] if line.endswith("。") else line
    if not body or len(line) > MAX_HEADING or any(mark in body for mark in _SENTENCE_MARKS):
        return False
    return bool(_PART.match(line) or _SECTION.match(line))


def heading_level(line: str) -> int:
    """1 for a part (一、…, 第X部分, or an unnumbered heading such as 布局), 2 for a section
    of a part (（一）…)."""
    return 2 if _SECTION.match(line.strip()) else 1
