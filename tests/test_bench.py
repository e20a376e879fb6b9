import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
# bench/load.py's smoke runs bring their own SQLite database (--postgres ""): on the suite's
# PostgreSQL run they would repeat the SQLite run's work (40 s of it) and test nothing more.
sqlite_run_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="the same run as on the SQLite suite")


def test_benchmark_smoke_run_reports_full_literal_recall():
    """The benchmark runs end to end on a tiny corpus, on the suite's database."""
    result = subprocess.run(
        [sys.executable, "bench/search.py", "--passages", "300", "--queries", "25", "--json"],
        cwd=ROOT, env=os.environ.copy(), capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["literal_recall"] == 1.0 and report["hit_precision"] == 1.0
    assert report["passages"] == 300 and report["queries"] == 25


@pytest.mark.skipif(not (ROOT.parent / "shared" / "corpus").is_dir(), reason="../shared/corpus is not here")
def test_corpus_benchmark_smoke_run_loads_a_report():
    """bench/corpus.py runs end to end on one report, on the suite's database."""
    result = subprocess.run(
        [sys.executable, "bench/corpus.py", "--limit", "1", "--runs", "1", "--json"],
        cwd=ROOT, env=os.environ.copy(), capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["reports"] == 1 and report["passages"] > 50 and report["load_vs_jieba"] > 0


@pytest.mark.load
@sqlite_run_only
@pytest.mark.skipif(importlib.util.find_spec("gunicorn") is None, reason="gunicorn is not installed")
def test_load_benchmark_smoke_run_on_sqlite():
    """gunicorn with production settings over plain http: readers get pages, both planners log in
    and their forms and actions are accepted (no 403, no form error, no refused login)."""
    result = subprocess.run(
        [sys.executable, "bench/load.py", "--seconds", "2", "--readers", "2", "--postgres", "", "--json"],
        cwd=ROOT, env=os.environ.copy(), capture_output=True, text=True, timeout=180,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    [report] = json.loads(result.stdout.strip().splitlines()[-1])
    groups = {row["group"]: row for row in report["groups"]}
    assert {"home", "lists (with filters)", "detail pages", "search page", "/api/search", "CSV export",
            "admin login", "admin bulk action (POST)", "admin change form (POST)"} <= set(groups)
    for row in groups.values():
        # Admin writes included: two planners at once on SQLite wait for each other's lock.
        assert row["connection_errors"] == 0 and row["unexpected"] == 0 and row["errors_5xx"] == 0, row


def load_module():
    """bench/load.py as a module (bench/ is not a package on the path when pytest is run as a script)."""
    spec = importlib.util.spec_from_file_location("bench_load", ROOT / "bench" / "load.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_search_rows_split_endpoints_and_count_errors_and_empty_answers():
    load = load_module()
    results = {
        ("/api/search", "word"): [(200, 10.0, (200,)), (500, 30.0, (200,))],
        ("/api/search", "1-char"): [(None, 20.0, (200,))],
        ("/api/search", "word", "no hit"): [(200, 0.0, (200,))],
        ("/search/", "word"): [(200, 40.0, (200,)), (404, 50.0, (200,))],
    }
    api, page = load.search_rows(results, elapsed=1.0)
    assert (api["group"], api["requests"], api["errors"], api["no_hit"]) == ("/api/search", 3, 2, 1)
    assert api["p95_ms_by_query_kind"] == {"1-char": 20.0, "word": 30.0}
    # The other endpoint's requests and the empty answers (timed 0 ms) are not the API's.
    assert api["p50_ms"] == 20.0
    assert (page["requests"], page["errors"], page["unexpected"], page["no_hit"]) == (2, 1, 1, 0)


def test_searcher_asks_both_endpoints_even_past_its_deadline():
    """A short run on a busy machine still measures both endpoints, once each, and records an API
    answer that found nothing (every query comes from a passage)."""
    load = load_module()
    asked, recorded = [], []

    class FakeClient:
        def request(self, group, method, path):
            asked.append(path.split("?")[0])
            return type("R", (), {"status": 200})(), json.dumps({"count": 0 if "api" in path else 3})

        def record(self, group, status, ms, expect):
            recorded.append(group)

    load.searcher(FakeClient(), [("word", "泸州")], deadline=0, pause=0, rng=__import__("random").Random(1),
                  turn=1)
    assert asked == ["/search/", "/api/search"]
    assert recorded == [("/api/search", "word", "no hit")]


def test_kept_postgres_database_is_named_by_passages_and_seed_on_the_same_server():
    load = load_module()
    url = "postgres://luzhou:luzhou@127.0.0.1:5432/luzhou_kb_http"
    name = load.search_database_name(100000, 7)
    assert load.with_database_name(url, name) == "postgres://luzhou:luzhou@127.0.0.1:5432/bench_http_100000_7"


@pytest.mark.load
@sqlite_run_only
@pytest.mark.skipif(importlib.util.find_spec("gunicorn") is None, reason="gunicorn is not installed")
def test_search_under_load_smoke_run_on_sqlite():
    """bench/load.py's search mode: a tiny database built, both endpoints asked under gunicorn with
    production settings, no error and every API answer with a hit."""
    result = subprocess.run(
        [sys.executable, "bench/load.py", "--search-passages", "200", "--queries", "20", "--clients", "2",
         "--pause", "0.1", "--seconds", "2", "--postgres", "", "--json"],
        cwd=ROOT, env=os.environ.copy(), capture_output=True, text=True, timeout=180,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    [report] = json.loads(result.stdout.strip().splitlines()[-1])
    assert (report["mode"], report["passages"], report["queries"], report["clients"]) == ("search", 200, 20, 2)
    assert report["build_seconds"] is not None  # built, not reused (no --reuse)
    rows = {row["group"]: row for row in report["endpoints"]}
    assert set(rows) == {"/api/search", "/search/"}
    for row in rows.values():
        assert row["requests"] >= 2 and row["p95_ms"] > 0, row
        assert row["errors"] == 0 and row["no_hit"] == 0 and row["errors_5xx"] == 0, row
    assert report["server_exceptions"] == {}
