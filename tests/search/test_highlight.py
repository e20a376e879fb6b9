"""Snippets stay linear in the number of hits: a long passage can have thousands."""

import random
from pathlib import Path

from apps.core.text import normalise
from apps.search import highlight
from apps.search.highlight import hit_spans, snippet
from apps.search.text import jieba_words, word_lengths


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


def test_a_window_another_result_shows_is_not_shown_again():
    shared = "渝昆高鐵川渝段已完成施工圖審核現場檢查，預計12月底動工。"
    first = "項目說明：一條連接重慶與昆明的高鐵。" + shared
    second = shared + "此外，渝昆高鐵將帶動沿線產業發展，高鐵站周邊規劃建設新城。"
    taken = set()
    one = snippet(shared, ["高铁"], width=40, taken=taken)
    two = snippet(second, ["高铁"], width=40, taken=taken)
    assert "施工圖審核" in one and "施工圖審核" not in two and "<mark>高鐵</mark>" in two
    three = snippet(first, ["高铁"], width=40, taken=taken)
    assert "連接重慶" in three  # its own words first (the shared sentence may follow them)
    # Nothing of its own left to show: no snippet rather than another's.
    assert snippet(shared, ["高铁"], width=40, taken=taken) == ""


def test_a_window_is_cut_between_words_not_inside_a_number():
    text = "據悉，" + "相關工作穩步推進，" * 3 + "2020年完成投資12345678萬元，同比增長百分之十五。"
    html = snippet(text, ["投资"], width=30)
    inner = html.strip("…").replace("<mark>", "").replace("</mark>", "")
    start = text.index(inner)
    assert not text[start - 1:start + 1].isdigit() or start == 0
    end = start + len(inner)
    assert not (text[end - 1].isdigit() and text[end].isdigit())
    assert "12345678" in inner or "1234" not in inner


def test_a_window_is_not_cut_inside_the_longest_word_of_the_user_dictionary():
    # jieba sees only EDGE characters either side of a window's end: too few, and a long word
    # whose far end lies beyond them is cut in two.
    word = max(highlight_words(), key=len)
    text = "瀘州市積極推動" + word + "建設，全面融入" + word + "。"
    first = text.index(word)
    inside = range(first + 1, first + len(word))
    for at in inside:
        start, _ = highlight.word_window(text, at, 20)
        assert start not in inside, (at, start)
        _, end = highlight.word_window(text, 0, at)
        assert end not in inside, (at, end)


def highlight_words():
    from apps.search.text import USER_DICT

    return [line.split()[0] for line in USER_DICT.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_a_text_that_fits_the_window_is_shown_whole():
    text = "瀘州市推進港口建設，加快川南城際鐵路前期工作，爭取渝昆高鐵早日動工。"
    html = snippet(text, ["高铁"], width=len(text))
    assert html.replace("<mark>", "").replace("</mark>", "") == text  # from its first word, no "…"
    assert "<mark>高鐵</mark>" in html
    longer = snippet(text + "同時推動沿江產業發展。", ["高铁"], width=len(text))
    assert longer.startswith("…")  # one that does not fit starts a little before its hit


def test_word_lengths_are_those_of_jiebas_words():
    # Snippets cut at word_lengths' boundaries, jieba's own found faster: the same on every piece
    # of the seed article a snippet could ask about, on the whole of it, and on random text of
    # what jieba treats apart (letters and digits joined, the symbols of its blocks, spaces, \r\n).
    article = normalise((Path(__file__).resolve().parents[2] / "fixtures" /
                         "luzhou-chengyu-integration-2020.txt").read_text(encoding="utf-8"))
    pieces = [article, *(article[at:at + 2 * highlight.EDGE] for at in range(len(article)))]
    rng = random.Random(5)
    alphabet = list(article[:400]) + list("S33ab2020.5%+#&_-  \r\n\t，。、") + ["\r\n"]
    pieces += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(2000)]
    for piece in pieces:
        assert word_lengths(piece) == [len(w) for w in jieba_words(piece)], piece


def test_a_window_another_result_shows_is_passed_over_before_its_word_boundaries(monkeypatch):
    shared = "渝昆高鐵川渝段已完成施工圖審核現場檢查，預計12月底動工。此後工程全面推進。"
    taken = set()
    assert "<mark>高鐵</mark>" in snippet(shared, ["高铁"], width=40, taken=taken)
    windows = []
    word_window = highlight.word_window
    monkeypatch.setattr(highlight, "word_window", lambda *args: windows.append(args) or word_window(*args))
    assert snippet(shared, ["高铁"], width=40, taken=taken) == ""
    assert windows == []  # no word boundaries looked for: every window as it falls was shown
    assert "<mark>高鐵</mark>" in snippet("另一段：" + shared[:8] + "，今日動工。", ["高铁"], width=40, taken=taken)
    assert windows  # a window of its own: cut at word boundaries
