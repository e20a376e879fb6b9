"""Ranking a bounded set of candidates in Python: pure functions, no database.

BM25 as SQLite's FTS5 computes it (k1 = 1.2, b = 0.75, the title's occurrences weighted above
the body's), over the candidates' normalised text. FTS5's own ``bm25()`` first counts, for its
IDF, every row of the table that holds each query phrase: a walk of the whole posting list,
which at 10⁶ passages took most of a search's time (some 20 ms for a common character) whatever
the page needed. Here a query of one group needs no IDF at all (it scales every score alike);
with more groups, each group's weight comes from its hits as counted up to the count cap.
"""

import math

K1, B = 1.2, 0.75


def idf(rows: int, hits: int) -> float:
    """FTS5's inverse document frequency, with its floor (a term in most rows still counts)."""
    return max(math.log((rows - hits + 0.5) / (hits + 0.5)), 1e-6)


def bm25(texts: dict[int, str], groups: list[list[str]], weights: list[float],
         title_weight: float, body_weight: float) -> dict[int, float]:
    """id → score, higher better, for candidates given as id → normalised text (the indexed
    title, a line break, the body). ``groups``: every group's literals (alternatives are added
    up); ``weights``: each group's IDF. Lengths are counted in characters, against the
    candidates' average."""
    if not texts:
        return {}
    columns = {pk: text.partition("\n")[::2] for pk, text in texts.items()}
    lengths = {pk: len(title) + len(body) for pk, (title, body) in columns.items()}
    average = max(sum(lengths.values()) / len(lengths), 1.0)
    scores = {}
    for pk, (title, body) in columns.items():
        norm = K1 * (1 - B + B * lengths[pk] / average)
        score = 0.0
        for group, weight in zip(groups, weights, strict=True):
            tf = sum(title_weight * title.count(term) + body_weight * body.count(term) for term in group)
            if tf:
                score += weight * tf * (K1 + 1) / (tf + norm)
        scores[pk] = score
    return scores
