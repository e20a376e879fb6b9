"""Snippets on the original text: escape first, then mark. Pure."""

import functools
from html import escape  # Django's escape is this behind a lazy-string wrapper: a third of a snippet's time

from django.utils.safestring import SafeString, mark_safe

from apps.core.text import normalise_aligned

from .text import word_lengths

# Word boundaries are found by jieba around each end of a window only, this many characters
# either side: room for any word of the user dictionary (成渝地区双城经济圈 has 9) to lie whole
# on either side of the end. Segmenting the whole passage for every result was three quarters of
# a search's time in Python (jieba's DAG, 12 of 15 ms). 16 a side before: the same snippets for
# 4,986 results of 400 queries, 3.0 -> 2.4 ms a page.
EDGE = 10
# How many windows a result tries before it shows none of its own.
MAX_TRIES = 20


def hit_spans(original: str, terms: list[str]) -> list[tuple[int, int]]:
    """Where the (normalised) terms occur, as spans of the original text, merged."""
    norm, index = normalise_aligned(original)
    spans = []
    for term in terms:
        if not term:
            continue
        start = norm.find(term)
        while start >= 0:
            end = start + len(term)
            spans.append((index[start], index[end - 1] + 1))
            start = norm.find(term, start + 1)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _window_counts(spans: list[tuple[int, int]], width: int):
    """(window start, whole hits inside) for the window a little before each hit, in order.

    One pass with two cursors, not a count over all hits for each hit: a long passage can
    have thousands of hits. The spans are sorted and merged, so their starts and ends both
    increase, and so do the candidate windows: the hits inside a window are those from the
    first that starts in it (``first``) to the last that ends in it (``past`` - 1)."""
    first = past = 0
    for start, _ in spans:
        window_start = max(0, start - width // 4)
        while first < len(spans) and spans[first][0] < window_start:
            first += 1
        while past < len(spans) and spans[past][1] <= window_start + width:
            past += 1
        yield window_start, max(0, past - first)


def densest_window(spans: list[tuple[int, int]], width: int) -> int:
    """Where the window of ``width`` characters that holds the most whole hits starts: a
    little before one of the hits (the first such window on a tie)."""
    best_start, best_count = 0, -1
    for window_start, count in _window_counts(spans, width):
        if count > best_count:
            best_start, best_count = window_start, count
    return best_start


def window_candidates(spans: list[tuple[int, int]], width: int) -> list[int]:
    """Every window start ``densest_window`` considers, densest first, earlier first on a tie
    (a record's own description comes before the quote it shares with others), then the
    start of the text."""
    counted: dict[int, int] = {}
    for window_start, count in _window_counts(spans, width):
        counted.setdefault(window_start, count)
    ordered = sorted(counted, key=lambda s: (-counted[s], s))
    return ordered if 0 in counted else [*ordered, 0]


@functools.lru_cache(maxsize=4096)  # pieces are short; the same passages are shown again and again
def _piece_cuts(piece: str) -> tuple[int, ...]:
    """Where jieba's words of ``piece`` start or end, as positions of the piece."""
    norm, index = normalise_aligned(piece)
    cuts, at = [0], 0
    for length in word_lengths(norm):
        at += length
        cuts.append(index[at] if at < len(index) else len(piece))
    return tuple(cuts)


def _cuts_near(original: str, at: int) -> list[int]:
    """The word boundaries of the text around ``at``: those jieba finds in the EDGE characters
    either side, without the two it must put where its piece starts and ends (unless the text
    does), which can fall inside a word."""
    lo, hi = max(0, at - EDGE), min(len(original), at + EDGE)
    cuts = [lo + cut for cut in _piece_cuts(original[lo:hi])]
    return [c for c in cuts if (c != lo or lo == 0) and (c != hi or hi == len(original))]


def word_window(original: str, start: int, width: int) -> tuple[int, int]:
    """The window of about ``width`` characters from ``start``, moved back to the start of
    the word it begins in and cut at the end of the last whole word (not inside 2020 or 高铁)."""
    end = min(len(original), start + width)
    before = [c for c in _cuts_near(original, start) if c <= start] if start else [0]
    new_start = before[-1] if before else start
    if end == len(original):
        return new_start, end
    inside = [c for c in _cuts_near(original, end) if new_start < c <= end]
    return new_start, inside[-1] if inside else end


SHINGLE = 8
# A window as it falls is passed over, before its word boundaries are found, when more than this
# share of it is shown by other results (a margin over the half that decides: the benchmark's
# 3,496 snippets of 200 searches came out the same with 0.5 and 0.6, in 5.0 ms a search, not 6.0).
PASSED_OVER = 0.6
# The characters either side of the hits that make a window's own context.
CONTEXT = 15


def _shingles(original: str, start: int, end: int) -> set[str]:
    """The pieces of SHINGLE characters of a window, whitespace dropped: two windows that share
    most of them show the same sentence, whatever they add around it."""
    text = "".join(original[start:end].split())
    return {text[i:i + SHINGLE] for i in range(max(1, len(text) - SHINGLE + 1))}


def _is_taken(original: str, window: tuple[int, int], taken: set | None, spans=(), share=0.5) -> bool:
    """Whether what the window shows around its hits (or all of it, without hits) is mostly
    (more than ``share`` of it) shown by another result already."""
    if taken is None:
        return False
    start, end = window
    inside = [(s, e) for s, e in spans if s < end and e > start]
    if inside:
        start, end = max(start, inside[0][0] - CONTEXT), min(end, inside[-1][1] + CONTEXT)
    pieces = _shingles(original, start, end)
    return len(pieces & taken) > share * len(pieces)


def snippet(original: str, terms: list[str], width: int = 120, taken: set | None = None) -> SafeString:
    """Safe HTML, built here and only here: a window of about ``width`` characters around the
    densest hits, cut at word boundaries, every piece escaped, hits wrapped in <mark>.
    Traditional text stays Traditional.

    ``taken``: what other results already show (``_shingles``); the densest window that is
    not mostly among them is chosen, and added to it. When all are taken, another readable
    part of its own text; failing that, nothing (the result's title and facts line remain)."""
    spans = hit_spans(original, terms)
    chosen = None
    if not spans or len(original) <= width:  # a text that fits is shown whole
        candidates = [0]
    elif taken is None:
        candidates = [densest_window(spans, width)]
    else:
        candidates = window_candidates(spans, width)[:MAX_TRIES]
    near = spans if taken is not None and len(spans) <= 1000 else ()
    for candidate in candidates:
        chosen = _own_window(original, candidate, width, taken, near)
        if chosen is not None:
            break
    if chosen is None:  # every window with hits is shown by another result: another part of its text
        for candidate in range(0, len(original), max(1, width // 2)):
            chosen = _own_window(original, candidate, width, taken, near, least=width // 4)
            if chosen is not None or candidate > MAX_TRIES * width:
                break
        if chosen is None:
            return mark_safe("")  # nothing of its own to show: the title says it
    return _render(original, spans, *chosen, taken)


def _own_window(original, start, width, taken, near, least=0) -> tuple[int, int] | None:
    """The word window from ``start`` (``word_window``) when it shows ``least`` characters or more
    that other results do not mostly show already; else None. Tried first as the window falls,
    which needs no word boundaries: on a page of near-duplicates most windows are taken (in the
    benchmark's 200 searches, 1,088 of 3,496 results show none), and finding the boundaries of
    every window tried was half the snippets' time. The window as it falls differs from the word
    window by a few characters at either end, so it is passed over only when a margin more of it
    is shown than decides (``PASSED_OVER``); the word window decides the rest."""
    if _is_taken(original, (start, min(len(original), start + width)), taken, near, PASSED_OVER):
        return None
    window = word_window(original, start, width)
    shown = len("".join(original[window[0]:window[1]].split())) if least else 0
    return window if shown >= least and not _is_taken(original, window, taken, near) else None


def _render(original, spans, best_start, window_end, taken) -> SafeString:
    if taken is not None:
        taken.update(_shingles(original, best_start, window_end))
    out, cursor = [], best_start
    for start, end in spans:
        if end <= best_start or start >= window_end:
            continue
        start, end = max(start, best_start), min(end, window_end)
        out.append(escape(original[cursor:start]))
        out.append(f"<mark>{escape(original[start:end])}</mark>")
        cursor = end
    out.append(escape(original[cursor:window_end]))
    prefix = "…" if best_start > 0 else ""
    suffix = "…" if window_end < len(original) else ""
    return mark_safe(prefix + "".join(out) + suffix)  # every piece escaped above
