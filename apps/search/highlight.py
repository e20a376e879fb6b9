"""Snippets on the original text: escape first, then mark. Pure."""

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from apps.core.text import normalise_aligned


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


def densest_window(spans: list[tuple[int, int]], width: int) -> int:
    """Where the window of ``width`` characters that holds the most whole hits starts: a
    little before one of the hits (the first such window on a tie).

    One pass with two cursors, not a count over all hits for each hit: a long passage can
    have thousands of hits. The spans are sorted and merged, so their starts and ends both
    increase, and so do the candidate windows: the hits inside a window are those from the
    first that starts in it (``first``) to the last that ends in it (``past`` - 1)."""
    best_start, best_count = 0, -1
    first = past = 0
    for start, _ in spans:
        window_start = max(0, start - width // 4)
        while first < len(spans) and spans[first][0] < window_start:
            first += 1
        while past < len(spans) and spans[past][1] <= window_start + width:
            past += 1
        count = max(0, past - first)
        if count > best_count:
            best_start, best_count = window_start, count
    return best_start


def snippet(original: str, terms: list[str], width: int = 120) -> SafeString:
    """Safe HTML, built here and only here: a window of about ``width`` characters around the densest hits, every piece
    escaped, hits wrapped in <mark>. Traditional text stays Traditional."""
    spans = hit_spans(original, terms)
    if not spans:
        text = original[:width]
        return mark_safe(escape(text) + ("…" if len(original) > width else ""))  # escaped above
    best_start = densest_window(spans, width)
    window_end = min(len(original), best_start + width)
    out, cursor = [], best_start
    for start, end in spans:
        if end <= best_start or start >= window_end:
            continue
        start, end = max(start, best_start), min(end, window_end)
        out.append(escape(original[cursor:start]))
        out.append(format_html("<mark>{}</mark>", original[start:end]))
        cursor = end
    out.append(escape(original[cursor:window_end]))
    prefix = "…" if best_start > 0 else ""
    suffix = "…" if window_end < len(original) else ""
    return mark_safe(prefix + "".join(out) + suffix)  # every piece escaped above
