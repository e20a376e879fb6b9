import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


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
