import json
import os
import subprocess
import sys
from pathlib import Path

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
