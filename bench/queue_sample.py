"""A reproducible sample of pending review-queue candidates, for judging extraction quality on
reports the extractor was not tuned on (issue 13, "Done when").

    DATABASE_URL=sqlite:////tmp/sample.sqlite3 python bench/queue_sample.py [--n 50] [--seed 2026] [--csv]

Run after ``make load-corpus`` on that database. The sample is a simple random sample (not
stratified: each kind appears in proportion to its share of the queue, so the overall accepted
share estimates the queue's) of the pending candidates of the reports that no test, evaluation
text or rule reads:

  四川省, 重庆市  the extractor's dev/test evaluation texts (tests/ingest/eval) come from them,
                 tests/ingest/test_queue.py and test_corpus.py read them
  上海市          tests/ingest/test_corpus.py's slice (with 四川省 and 重庆市)
  云南省          named by the brief as test data for the queue (no test on this branch reads it;
                 left out anyway, to be safe)

Candidates are ordered by id before the draw, so the same database gives the same sample.
"""

import argparse
import csv
import os
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luzhou_kb.settings")

EXCLUDED = ("四川省", "重庆市", "上海市", "云南省")


def key_fields(fields: dict) -> str:
    """The fields a reviewer checks, in a short form (evidence, quote, key and name left out)."""
    parts = []
    for name, value in fields.items():
        if name in ("key", "name", "evidence", "quote", "implied", "code") or value in (None, "", [], {}):
            continue
        parts.append(f"{name}={value}")
    return "; ".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=50)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--csv", action="store_true", help="CSV (id, report, kind, name, fields, quote)")
    args = parser.parse_args()

    import django

    django.setup()
    from apps.ingest.models import Candidate

    pool = list(
        Candidate.objects.pending()
        .filter(source__document_type="政府工作报告")
        .exclude(source__region__name__in=EXCLUDED)
        .select_related("source__region")
        .order_by("id")
    )
    reports = sorted({c.source.region.name for c in pool if c.source.region})
    sample = sorted(random.Random(args.seed).sample(pool, args.n), key=lambda c: c.id)

    if args.csv:
        writer = csv.writer(sys.stdout)
        writer.writerow(["id", "report", "kind", "name", "fields", "quote"])
        for c in sample:
            writer.writerow([c.id, c.source.region.name, c.kind, c.name, key_fields(c.fields), c.quote])
        return
    print(f"pool: {len(pool)} pending candidates from {len(reports)} reports (excluded: {', '.join(EXCLUDED)}); "
          f"sample: {args.n}, seed {args.seed}, simple random")
    for c in sample:
        print(f"\n#{c.id} [{c.source.region.name}] {c.kind} ({c.action}, conf {c.confidence:.2f}): {c.name}")
        if fields := key_fields(c.fields):
            print(f"    {fields}")
        print(f"    「{c.quote}」")


if __name__ == "__main__":
    main()
