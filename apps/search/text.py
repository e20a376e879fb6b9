"""Segmentation and index tokens: pure functions shared by documents and queries.

The index holds characters and character bigrams, which is what queries ask for (exact
substring recall, as Lucene's CJK bigrams). jieba segments the *normalised* text
(``apps.core.text.normalise``; on Traditional text it splits words badly: 瀘/州市, 全社/會用)
where word boundaries matter: the parser, mentions, and snippets cut between words.
"""

import functools
import math
import re
from pathlib import Path

import jieba

USER_DICT = Path(__file__).with_name("userdict.txt")


@functools.cache
def _jieba():
    jieba.setLogLevel(60)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    if USER_DICT.exists():
        tokenizer.load_userdict(str(USER_DICT))
    return tokenizer


def jieba_words(normalised: str) -> list[str]:
    """jieba's words of normalised text, without the HMM guesses (the parser's word boundaries)."""
    return list(_jieba().cut(normalised, HMM=False))


def word_lengths(normalised: str) -> list[int]:
    """The lengths of ``jieba_words``, found as jieba finds them (its blocks, its dictionary
    graph, its best route, its runs of single letters and digits joined) in one pass without
    its generators, lists of graph edges and tuples: 53 µs for 20 characters against jieba's
    150. Snippets cut a page's 20 passages at word boundaries, a few pieces each: jieba was half
    of the snippets' time, a quarter of a search's on PostgreSQL (10⁵ passages)."""
    tokenizer = _jieba()
    freq, log_total = tokenizer.FREQ, math.log(tokenizer.total)
    lengths: list[int] = []
    for block in jieba.re_han_default.split(normalised):
        if not block:
            continue
        if jieba.re_han_default.match(block):
            lengths += _route_lengths(block, freq, log_total)
        else:  # outside the blocks: a line break or a space, or one character, each a word
            for part in jieba.re_skip_default.split(block):
                lengths += [len(part)] if jieba.re_skip_default.match(part) else [1] * len(part)
    return lengths


def _route_lengths(block: str, freq: dict, log_total: float) -> list[int]:
    """jieba's ``get_DAG`` and ``calc`` at once, right to left: each position's best route is
    the word from it (a dictionary word, or the character alone) with the highest log
    frequency plus the best route after it, the longer word on a tie (jieba's ``max`` of
    (score, end) tuples); then ``__cut_DAG_NO_HMM``'s walk, single letters and digits joined."""
    n = len(block)
    score = [0.0] * (n + 1)
    end = list(range(1, n + 2))
    for start in range(n - 1, -1, -1):
        best = None
        stop = start + 1
        piece = block[start]
        while piece in freq:  # the prefixes of dictionary words are in it too, with 0
            count = freq[piece]
            if count:
                candidate = math.log(count) - log_total + score[stop]
                if best is None or candidate >= best:
                    best, end[start] = candidate, stop
            if stop >= n:
                break
            stop += 1
            piece = block[start:stop]
        if best is None:  # no word starts here: the character alone, of frequency 1 as jieba takes it
            best = -log_total + score[start + 1]
            end[start] = start + 1
        score[start] = best
    lengths, joined, at = [], 0, 0
    while at < n:
        step = end[at] - at
        if step == 1 and jieba.re_eng.match(block[at]):
            joined += 1
        else:
            if joined:
                lengths.append(joined)
                joined = 0
            lengths.append(step)
        at += step
    if joined:
        lengths.append(joined)
    return lengths


_WORDLIKE = re.compile(r"\w", re.UNICODE)


def segment(normalised: str) -> list[str]:
    """jieba ``cut_for_search`` tokens of normalised text, punctuation and spaces dropped: the
    "raw jieba" that the benchmarks measure indexing against, and their word queries."""
    if not normalised:
        return []
    return [t for t in _jieba().cut_for_search(normalised) if _WORDLIKE.search(t)]


# Han characters (with 〇 and the extension planes) are indexed by character; every other
# run of letters and digits (Latin, accented, Cyrillic…) as a word.
_HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_RUNS = re.compile(rf"[{_HAN}]+|(?:(?![{_HAN}])[^\W_])+")
_CJK = re.compile(rf"[{_HAN}]")


# Every token is short in bytes, whatever the text: PostgreSQL refuses a lexeme or a tsquery
# word over 2047 bytes, and NFKC can turn one character into several (㌀ → アパート). Chinese
# tokens are one or two characters; a run of other letters and digits is cut into pieces of
# at most MAX_RUN_TOKEN characters (of at most 4 bytes each), the same way for documents and
# queries, so literal recall stays exact however long the run.
MAX_RUN_TOKEN = 24
MAX_TOKEN_BYTES = 4 * MAX_RUN_TOKEN
# And a document's index stays under PostgreSQL's 1 MB for a tsvector, counted as it counts:
# each distinct lexeme's bytes (2-aligned) plus 2 bytes for each of its positions (at most
# 256 kept) and 2 more. Title and body share one vector; a title adds a few KB at most.
MAX_DOCUMENT_INDEX_BYTES = 1_000_000
MAX_POSITIONS = 256


def literal_tokens(normalised: str) -> list[str]:
    """The index tokens that any text containing ``normalised`` must also have: character
    bigrams of Chinese runs (the single character for a one-character run), Latin and digit
    runs in consecutive pieces of MAX_RUN_TOKEN characters (each matched as a prefix). Every
    substring query is covered by these, whatever jieba made of the text."""
    tokens: list[str] = []
    for run in _RUNS.findall(normalised):
        if _CJK.match(run):
            tokens += [run] if len(run) == 1 else [run[i:i + 2] for i in range(len(run) - 1)]
        else:
            tokens += [run[i:i + MAX_RUN_TOKEN] for i in range(0, len(run), MAX_RUN_TOKEN)]
    return tokens


def index_tokens(normalised: str) -> list[str]:
    """What a document is indexed under, in text order: every character and character bigram
    of Chinese runs, and for Latin/digit runs the MAX_RUN_TOKEN characters from every position
    (for recall of any substring: 经济圈 in 双城经济圈, 昆高 in 渝昆高铁, 0年 in 2020年, 33 in
    S33, the middle of a long code).

    Only tokens a query can ask for: a query is made of ``literal_tokens``, so each index token
    is one that some query produces (tested). jieba's words were indexed here once "for
    ranking", but no query ever asked for them: they cost four fifths of the indexing time and
    matched nothing. jieba cuts snippets at word boundaries (highlight.py) instead.

    A query piece of a run always starts at some position of the document's run and is at
    most MAX_RUN_TOKEN long, so it equals, or is a prefix of, the token from that position.

    Past MAX_DOCUMENT_INDEX_BYTES the rest of the text is not indexed (its start stays
    searchable, and the save succeeds). Real text repeats its characters: it takes some 35,000
    characters of random letters or 120,000 of random Chinese characters to get there."""
    tokens: list[str] = []
    for run in _RUNS.findall(normalised):
        if _CJK.match(run):
            tokens += run
            tokens += [run[i:i + 2] for i in range(len(run) - 1)]
        else:
            tokens += [run[i:i + MAX_RUN_TOKEN] for i in range(len(run))]
    if _surely_within(tokens, MAX_DOCUMENT_INDEX_BYTES):
        return tokens  # the usual text: far from the limit, no need to count token by token
    return _within_budget(tokens, MAX_DOCUMENT_INDEX_BYTES)[0]


def _surely_within(tokens: list[str], budget: int) -> bool:
    """An upper bound of ``index_size``: each token at most 4 bytes a character, plus 5 (its
    padding, header and one position), counted as if no token repeated."""
    return 4 * sum(map(len, tokens)) + 5 * len(tokens) <= budget


def index_size(counts: dict[str, int]) -> int:
    """What PostgreSQL counts against its tsvector limit, for token → number of occurrences."""
    return sum(_entry_size(token) + 2 * min(n, MAX_POSITIONS) for token, n in counts.items())


def _entry_size(token: str) -> int:
    size = len(token.encode())
    return size + size % 2 + 2


def _within_budget(tokens: list[str], budget: int) -> tuple[list[str], int]:
    """The tokens in order until the index they make would pass ``budget`` bytes (as
    ``index_size`` counts them); and the budget left."""
    counts: dict[str, int] = {}
    for i, token in enumerate(tokens):
        n = counts.get(token, 0)
        cost = (_entry_size(token) if n == 0 else 0) + (2 if n < MAX_POSITIONS else 0)
        if cost > budget:
            return tokens[:i], 0
        budget -= cost
        counts[token] = n + 1
    return tokens, budget


_HAN_RUN = re.compile(rf"[{_HAN}]+")


def is_han_run(literal: str) -> bool:
    """Whether a literal is Chinese characters only. ``index_tokens`` gives a run's bigrams
    consecutive positions, and only a run's bigrams follow each other (its characters come
    before them, the next run's after): so the literal's bigrams as a phrase match exactly the
    texts that contain it, with no text to check."""
    return _HAN_RUN.fullmatch(literal) is not None


def is_latin_token(token: str) -> bool:
    return not _CJK.match(token)
