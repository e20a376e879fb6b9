"""Snippets stay linear in the number of hits: a long passage can have thousands."""

import random

from apps.search import highlight
from apps.search.highlight import hit_spans, snippet


class CountingList(list):
    """A list that counts how many of its items are read, by iteration or by index."""

    reads = 0

    def __iter__(self):
        for item in super().__iter__():
            CountingList.reads += 1
            yield item

    def __getitem__(self, index):
        CountingList.reads += 1
        return super().__getitem__(index)


def test_snippet_reads_each_hit_a_bounded_number_of_times(monkeypatch):
    text = "渝昆高鐵動工，" * 3000  # 3,000 hits
    spans = CountingList(hit_spans(text, ["高铁"]))
    monkeypatch.setattr(highlight, "hit_spans", lambda original, terms: spans)
    CountingList.reads = 0
    html = snippet(text, ["高铁"])
    assert "<mark>高鐵</mark>" in html
    # A count over all hits for each hit reads 9,000,000 items; a single pass a few per hit.
    assert CountingList.reads <= 10 * len(spans)


def densest_window_by_counting(spans, width):
    """The window choice by the definition: count the hits inside each candidate window."""
    best_start, best_count = 0, -1
    for start, _ in spans:
        window_start = max(0, start - width // 4)
        count = sum(1 for s, e in spans if s >= window_start and e <= window_start + width)
        if count > best_count:
            best_start, best_count = window_start, count
    return best_start


def test_the_window_is_the_densest_as_counted_one_by_one():
    rng = random.Random(4)
    for _ in range(300):
        text = "".join(rng.choice("甲乙丙丁戊己庚辛") for _ in range(rng.randint(0, 400)))
        terms = rng.sample(["甲", "乙丙", "丁丁", "戊己庚"], rng.randint(1, 3))
        spans = hit_spans(text, terms)
        width = rng.choice([10, 40, 120])
        assert highlight.densest_window(spans, width) == densest_window_by_counting(spans, width)
