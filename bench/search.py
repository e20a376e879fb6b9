"""Search benchmark: every figure is a ratio against a baseline measured in the same run.

    python bench/search.py [--passages N] [--queries Q] [--json]      (make bench)

Builds N passages (sentences of ../shared/corpus and the seed, sampled and recombined) in a
temporary database of whatever DATABASE_URL names (SQLite by default), then reports:
  ingest   bulk indexing MB/s (rebuild, one core) vs raw jieba cut_for_search on the same text;
           --rebuild-jobs J: the rebuild again with J segmenting processes
  search   p50/p95 of the engine vs an icontains scan, over a fixed query mix
  recall   literal recall: engine hits / passages that contain the query (icontains scan);
           hit precision: shown hits that really contain it
  size     index bytes vs text bytes
"""

import argparse
import contextlib
import csv
import json
import os
import random
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luzhou_kb.settings")
csv.field_size_limit(10**8)


def sentences() -> list[str]:
    out = []
    corpus = ROOT.parent / "shared" / "corpus" / "provincial-reports-2026"
    texts = [(ROOT / "fixtures" / "luzhou-chengyu-integration-2020.txt").read_text(encoding="utf-8")]
    if corpus.is_dir():
        for path in sorted(corpus.glob("*.csv")):
            with path.open(encoding="utf-8-sig", newline="") as f:
                rows = list(csv.reader(f))
                column = rows[0].index("full_text") if "full_text" in rows[0] else -1
                texts += [row[column] for row in rows[1:] if row]
    for text in texts:
        out += [s.strip() for s in re.findall(r"[^。！？\n]+[。！？]?", text) if len(s.strip()) >= 8]
    return out


def build_passages(n: int, rng: random.Random) -> list[str]:
    pool = sentences()
    return ["".join(rng.choice(pool) for _ in range(rng.randint(1, 3))) for _ in range(n)]


def query_mix(passages: list[str], count: int, rng: random.Random) -> list[tuple[str, str]]:
    """(category, query): 1–4 character substrings, jieba words, quoted phrases, two words."""
    from apps.core.text import normalise
    from apps.search.text import segment

    mix = []
    han = re.compile(r"[\u4e00-\u9fff]+")
    while len(mix) < count:
        text = normalise(rng.choice(passages))
        runs = [r for r in han.findall(text) if len(r) >= 6]
        if not runs:
            continue
        run = rng.choice(runs)
        kind = len(mix) % 5
        if kind == 0:
            length = rng.randint(1, 4)
            start = rng.randrange(len(run) - length + 1)
            mix.append((f"{length}-char", run[start:start + length]))
        elif kind in (1, 2):
            words = [w for w in segment(run) if len(w) >= 2]
            if words:
                mix.append(("word", rng.choice(words)))
        elif kind == 3:
            start = rng.randrange(len(run) - 5)
            mix.append(("phrase", f'"{run[start:start + 6]}"'))
        else:
            words = [w for w in segment(text) if len(w) >= 2]
            if len(words) >= 2:
                mix.append(("two words", " ".join(rng.sample(words, 2))))
    return mix


def time_rebuilds(report, args, texts, megabytes, jieba_seconds, normalise, segment):
    """rebuild_search_index --jobs J for each J asked, each against raw jieba on one core."""
    from apps.search.index import rebuild

    if jieba_seconds is None:
        jieba_seconds = time_jieba(texts, normalise, segment)
        report["jieba_mb_per_s"] = ratio(megabytes, jieba_seconds)
    for jobs in [int(j) for j in args.rebuild_jobs.split(",") if j.strip()]:
        started = time.perf_counter()
        rebuild(jobs=jobs, batch_size=2000)
        seconds = time.perf_counter() - started
        report[f"rebuild_jobs{jobs}_mb_per_s"] = ratio(megabytes, seconds)
        report[f"rebuild_jobs{jobs}_vs_jieba"] = ratio(jieba_seconds, seconds)


def time_jieba(texts, normalise, segment) -> float:
    """Raw jieba (cut_for_search of the normalised text) on one core: the ingest baseline."""
    segment(normalise(texts[0]))  # jieba's dictionary loaded before the clock starts
    started = time.perf_counter()
    for t in texts:
        segment(normalise(t))
    return time.perf_counter() - started


def build(texts, Passage, Source, index_objects, normalise, segment):
    """Write the passages, then time raw jieba and the engine's indexing of the same text."""
    source = Source.objects.create(slug="bench", title="bench", text="bench")
    Passage.objects.bulk_create(
        [Passage(source=source, position=i + 1, text=t) for i, t in enumerate(texts)], batch_size=2000
    )
    jieba_seconds = time_jieba(texts, normalise, segment)

    # Bulk indexing as an import of many passages or rebuild_search_index does it, on one core:
    # batches of 2,000 bulk-written, the index (GIN/RUM) built once at the end.
    from apps.search.index import rebuild

    started = time.perf_counter()
    rebuild(batch_size=2000, jobs=1)
    return jieba_seconds, time.perf_counter() - started


def name_scratch_database(database: dict, args):
    """A scratch database of its own; with --reuse, one named by the passages and seed, kept."""
    test_settings = database.setdefault("TEST", {})
    postgres = "postgresql" in database["ENGINE"]
    if args.reuse and postgres:
        test_settings["NAME"] = f"bench_luzhou_kb_{args.passages}_{args.seed}"
    elif args.reuse:
        cache = ROOT / "bench" / ".cache"
        cache.mkdir(exist_ok=True)
        test_settings["NAME"] = str(cache / f"bench-{args.passages}-{args.seed}.sqlite3")
    elif postgres:
        test_settings["NAME"] = f"bench_luzhou_kb_{os.getpid()}"


def index_tables(connection) -> str:
    """Which index the figures are of."""
    if connection.vendor != "postgresql":
        return "fts5"
    from apps.search.backends import backend_for

    return backend_for(connection).index_kind()


def run_peers(texts, queries, scan_counts, engine_ms, args, normalise) -> dict:
    """Each peer on the same passages and queries, in this run: p50/p95 overall and per query
    category, literal recall against the same scan, and the engine's p95 over the peer's."""
    from apps.search.query import parse_query
    from bench.peers import build_peers

    directory = ROOT / "bench" / ".cache" / f"peers-{args.passages}-{args.seed}"
    out = {}
    names = [n.strip() for n in args.peer_names.split(",") if n.strip()]
    for peer, seconds in build_peers([normalise(t) for t in texts], directory, args.reuse,
                                     lambda m: print(m, file=sys.stderr), names):
        times, per_category, found, total = [], {}, 0, 0
        for (category, q), expected in zip(queries, scan_counts, strict=True):
            groups = parse_query(q).groups
            started = time.perf_counter()
            count, _ = peer.search(groups)
            times.append((time.perf_counter() - started) * 1000)
            per_category.setdefault(category, []).append(times[-1])
            found += min(count, expected)
            total += expected
        engine_by_category = {}
        for (category, _), ms in zip(queries, engine_ms, strict=True):
            engine_by_category.setdefault(category, []).append(ms)
        out[peer.name] = {
            "p50_ms": round(percentile(times, 50), 3),
            "p95_ms": round(percentile(times, 95), 3),
            "p95_ms_by_query_kind": {k: round(percentile(v, 95), 3) for k, v in sorted(per_category.items())},
            "literal_recall": round(found / total, 5) if total else 1.0,
            "index_seconds": round(seconds, 1) if seconds is not None else None,
            "engine_p50_over_peer": round(percentile(engine_ms, 50) / max(percentile(times, 50), 1e-6), 2),
            "engine_p95_over_peer": round(percentile(engine_ms, 95) / max(percentile(times, 95), 1e-6), 2),
            "engine_p95_over_peer_by_query_kind": {
                k: round(percentile(engine_by_category[k], 95) / max(percentile(v, 95), 1e-6), 2)
                for k, v in sorted(per_category.items())},
        }
    return out


def ratio(a, b, digits=3):
    return round(a / b, digits) if a is not None and b else None


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--passages", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--peers", action="store_true",
                        help="also run tantivy and whoosh + jieba on the same passages and queries (the bench extra)")
    parser.add_argument("--peer-names", default="", metavar="NAME[,NAME…]",
                        help="with --peers, only these (tantivy, whoosh): whoosh takes long to index 10⁶ passages")
    parser.add_argument("--rebuild-jobs", default="", metavar="J[,J…]",
                        help="then time rebuild_search_index --jobs J on the same passages, for each J")
    parser.add_argument("--reuse", action="store_true",
                        help="keep the benchmark database and reuse it next time (same --passages and --seed): "
                             "bench/.cache/ on SQLite, bench_luzhou_kb_N_SEED on PostgreSQL; ingest is "
                             "measured only when it is built")
    args = parser.parse_args()

    import django
    from django.conf import settings

    # Its own scratch database, so a benchmark never meets a test run's test database.
    name_scratch_database(settings.DATABASES["default"], args)
    django.setup()
    # As Django's test runner does: with DEBUG on, every query's SQL is rendered and kept.
    settings.DEBUG = False
    import jieba  # noqa: F401  (warm the dictionary before timing)
    from django.db import connection
    from django.test.utils import override_settings, setup_databases, teardown_databases

    from apps.core.text import normalise
    from apps.kb.models import Passage, Source
    from apps.search import engine
    from apps.search.index import index_objects
    from apps.search.models import SearchEntry
    from apps.search.text import segment

    passage_kind = Passage.search_kind

    rng = random.Random(args.seed)
    texts = build_passages(args.passages, rng)
    queries = query_mix(texts, args.queries, rng)
    # (keepdb: Django's createcachetable says the table exists on stdout, which --json keeps for JSON)
    with contextlib.redirect_stdout(sys.stderr):
        old = setup_databases(verbosity=0, interactive=False, keepdb=args.reuse)
    try:
        megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
        built = not (args.reuse and Passage.objects.filter(source__slug="bench").count() == len(texts))
        jieba_seconds = index_seconds = None
        if built:
            Passage.objects.all().delete()
            Source.objects.all().delete()
            jieba_seconds, index_seconds = build(texts, Passage, Source, index_objects, normalise, segment)

        scan_counts, capped_queries = [], 0
        engine_ms, scan_ms, recall_hits, recall_total, wrong_hits, shown_hits = [], [], 0, 0, 0, 0
        per_category: dict[str, list[float]] = {}
        for category, q in queries:
            started = time.perf_counter()
            page = engine.search(q, kinds=[passage_kind], limit=20)
            engine_ms.append((time.perf_counter() - started) * 1000)
            per_category.setdefault(category, []).append(engine_ms[-1])
            literal = engine.parse_query(q)
            started = time.perf_counter()
            scan = SearchEntry.objects.filter(kind=passage_kind)
            for group in literal.groups:
                scan = scan.filter(normalised__contains=group[0])
            scan_count = scan.count()
            list(scan.values_list("id", flat=True)[:20])
            scan_ms.append((time.perf_counter() - started) * 1000)
            # Every engine hit is checked to contain the query (so none is wrong), hence
            # engine count == scan count means the engine found exactly the scanned set.
            entries = {e.object_id: e for e in SearchEntry.objects.filter(
                kind=passage_kind, object_id__in=[r.id for r in page.results])}
            for r in page.results:
                wrong_hits += not all(any(t in entries[r.id].normalised for t in g) for g in literal.groups)
            shown_hits += len(page.results)
            recall_total += scan_count
            scan_counts.append(scan_count)
            # The page counts up to the cap; recall is checked with no cap (untimed).
            with override_settings(SEARCH_COUNT_CAP=10**9):
                uncapped = engine.search(q, kinds=[passage_kind], limit=1)
            recall_hits += min(uncapped.counts.get(passage_kind, 0), scan_count)
            capped_queries += passage_kind in page.capped

        if connection.vendor == "postgresql":
            with connection.cursor() as c:
                # The index proper: the tsvector column, its GIN index, the common words' counts.
                index_name = f"search_entry_vector_{index_tables(connection)}"  # GIN or RUM
                c.execute("SELECT pg_relation_size(%s::regclass), "
                          "(SELECT SUM(pg_column_size(vector)) FROM search_searchentry), "
                          "pg_total_relation_size('search_commonword')", [index_name])
                index_bytes = sum(v or 0 for v in c.fetchone())
        else:
            with connection.cursor() as c:
                c.execute("SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'search_fts%'")
                index_bytes = c.fetchone()[0] or 0
        report = {
            "backend": connection.vendor,
            "passages": args.passages,
            "text_mb": round(megabytes, 2),
            "ingest_mb_per_s": ratio(megabytes, index_seconds),
            "jieba_mb_per_s": ratio(megabytes, jieba_seconds),
            "ingest_vs_jieba": ratio(jieba_seconds, index_seconds),
            "search_p50_ms": round(percentile(engine_ms, 50), 2),
            "search_p95_ms": round(percentile(engine_ms, 95), 2),
            "scan_p50_ms": round(percentile(scan_ms, 50), 2),
            "scan_p95_ms": round(percentile(scan_ms, 95), 2),
            "speedup_p50": round(percentile(scan_ms, 50) / max(percentile(engine_ms, 50), 1e-6), 1),
            "speedup_p95": round(percentile(scan_ms, 95) / max(percentile(engine_ms, 95), 1e-6), 1),
            "p95_ms_by_query_kind": {k: round(percentile(v, 95), 2) for k, v in sorted(per_category.items())},
            "literal_recall": round(recall_hits / recall_total, 5) if recall_total else 1.0,
            "hit_precision": round(1 - wrong_hits / shown_hits, 5) if shown_hits else 1.0,
            "index_bytes_vs_text_bytes": round(index_bytes / (megabytes * 1e6), 2),
            "queries": len(queries),
            "queries_past_the_count_cap": capped_queries,
            "count_cap": settings.SEARCH_COUNT_CAP,
            "rank_candidates": settings.SEARCH_RANK_CANDIDATES,
            "p50_ms_by_query_kind": {k: round(percentile(v, 50), 2) for k, v in sorted(per_category.items())},
            "index_tables": index_tables(connection),
        }
        if args.rebuild_jobs:
            time_rebuilds(report, args, texts, megabytes, jieba_seconds, normalise, segment)
        if args.peers:
            report["peers"] = run_peers(texts, queries, scan_counts, engine_ms, args, normalise)
    finally:
        teardown_databases(old, verbosity=0, keepdb=args.reuse)
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
    else:
        for key, value in report.items():
            if key != "peers":
                print(f"{key:28} {value}")
        print_peers(report)


def print_peers(report):
    """The engine beside each peer, per query category: p95 ms, and the engine's p95 over the peer's."""
    peers = report.get("peers") or {}
    if not peers:
        return
    names = list(peers)
    print("\np95 ms by query category (ratio: this engine / peer)")
    print(f"{'category':12} {'engine':>8} " + " ".join(f"{n:>18}" for n in names))
    categories = [*report["p95_ms_by_query_kind"], "all"]
    for category in categories:
        if category == "all":
            mine = report["search_p95_ms"]
            cells = [(p["p95_ms"], p["engine_p95_over_peer"]) for p in peers.values()]
        else:
            mine = report["p95_ms_by_query_kind"][category]
            cells = [(p["p95_ms_by_query_kind"][category], p["engine_p95_over_peer_by_query_kind"][category])
                     for p in peers.values()]
        print(f"{category:12} {mine:>8} " + " ".join(f"{ms:>9} ({r:>5}×)" for ms, r in cells))
    for name, p in peers.items():
        print(f"{name}: p50 {p['p50_ms']} ms, literal recall {p['literal_recall']}, indexed in {p['index_seconds']} s")


if __name__ == "__main__":
    main()
