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
    # One pass with the constants taken out of the loop (0.68 -> 0.36 ms for 261 candidates).
    columns = [(pk, *text.partition("\n")[::2]) for pk, text in texts.items()]
    average = max(sum(len(title) + len(body) for _, title, body in columns) / len(columns), 1.0)
    fixed, per_character, saturation = K1 * (1 - B), K1 * B / average, K1 + 1
    weighted = list(zip(groups, weights, strict=True))
    scores = {}
    for pk, title, body in columns:
        norm = fixed + per_character * (len(title) + len(body))
        score = 0.0
        for group, weight in weighted:
            tf = 0.0
            for term in group:
                tf += title_weight * title.count(term) + body_weight * body.count(term)
            if tf:
                score += weight * tf * saturation / (tf + norm)
        scores[pk] = score
    return scores
