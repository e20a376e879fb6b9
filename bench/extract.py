"""How long extraction takes on a 5,000-character article (issue 11: under 1 s).

The article is the seed followed by the evaluation texts, cut to 5,000 characters. The first
parse also loads jieba's dictionary and the gazetteer (once per process; gunicorn --preload
loads them before serving): it is reported apart. Then the median of several parses, and, as a
baseline measured in the same process, jieba's own segmentation of the same text.

    .venv/bin/python bench/extract.py [--chars 5000] [--runs 7]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luzhou_kb.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")


def article(chars: int) -> str:
    parts = [(ROOT / "fixtures" / "luzhou-chengyu-integration-2020.txt").read_text(encoding="utf-8")]
    parts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests" / "ingest" / "eval").glob("*/*.txt"))]
    text = "\n".join(parts)
    while len(text) < chars:
        text += "\n" + text
    return text[:chars].rsplit("\n", 1)[0]


def main():
    import django

    django.setup()
    from apps.core.text import normalise
    from apps.ingest.parser import parse_article
    from apps.search.text import jieba_words

    parser = argparse.ArgumentParser()
    parser.add_argument("--chars", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    text = article(args.chars)

    started = time.perf_counter()
    first = parse_article(text, title="bench", reference_year=2020)
    cold = time.perf_counter() - started

    def timed(fn):
        times = []
        for _ in range(args.runs):
            t = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t)
        return statistics.median(times)

    warm = timed(lambda: parse_article(text, title="bench", reference_year=2020))
    segment = timed(lambda: jieba_words(normalise(text)))
    print(f"article: {len(text)} characters, {len(first.passages)} passages, {first.candidate_count} candidates")
    print(f"first parse (loads jieba and the gazetteer): {cold:.2f} s")
    print(f"parse, median of {args.runs}: {warm:.3f} s  ({'under' if warm < 1 else 'OVER'} 1 s)")
    print(f"jieba alone on the same text: {segment:.3f} s; parse / jieba = {warm / segment:.1f}")


if __name__ == "__main__":
    main()
