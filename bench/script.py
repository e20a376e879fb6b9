"""What the 简/繁 conversion of every response costs (apps/kb/script.py).

    python bench/script.py [--repeat 15] [--json]   (make bench-script)

On the seed in a temporary SQLite file (migrated and loaded), each public page is rendered by
the Django test client with the conversion as deployed (ScriptMiddleware, Simplified and
Traditional mode) and without it (the middleware removed), ``--repeat`` times each, in turn;
reported: the median ms per page and mode, and the ratio to the page without conversion. The
absolute numbers depend on the machine and its load; the ratios are what to compare.
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGES = [
    "/",
    "/projects/",
    "/agreements/?partner=重庆市",
    "/initiatives/",
    "/timeline/",
    "/timeline/?view=all",
    "/search/?q=泸州",
    "/api/search?q=高铁",
    "/projects/?format=csv",
    "/timeline/feed/",
]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="bench-script-")
    os.environ.update(
        DJANGO_DEBUG="1", DATABASE_URL=f"sqlite:///{folder}/bench.sqlite3", DJANGO_SETTINGS_MODULE="luzhou_kb.settings"
    )
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import override_settings

    call_command("migrate", verbosity=0)
    call_command("load_plan", stdout=StringIO())
    from apps.kb.models import Project, Source
    from apps.kb.script import convert_body

    pages = [
        *PAGES,
        Project.objects.get(slug="渝昆高铁川渝段").get_absolute_url(),
        Source.objects.get().get_absolute_url(),
    ]
    without = [m for m in settings.MIDDLEWARE if m != "apps.kb.script.ScriptMiddleware"]
    client = Client(HTTP_HOST="localhost")
    rows = []
    for url in pages:
        times = {"off": [], "simp": [], "orig": []}
        size = 0
        for _ in range(args.repeat):
            for mode in times:
                if mode == "off":
                    with override_settings(MIDDLEWARE=without):
                        started = time.perf_counter()
                        response = Client(HTTP_HOST="localhost").get(url)
                else:
                    client.cookies["script"] = mode
                    started = time.perf_counter()
                    response = client.get(url)
                times[mode].append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, (url, response.status_code)
                size = len(response.content)
        median = {mode: statistics.median(values) for mode, values in times.items()}
        # The conversion alone, on the page as rendered without it: less noisy than the difference.
        with override_settings(MIDDLEWARE=without):
            plain = Client(HTTP_HOST="localhost").get(url)
        content_type = plain["Content-Type"].split(";")[0]
        body = plain.content.decode()
        for mode in ("simp", "orig"):
            started = time.perf_counter()
            for _ in range(args.repeat):
                convert_body(body, content_type, mode)
            median[f"{mode}_conversion"] = (time.perf_counter() - started) * 1000 / args.repeat
        rows.append(
            {
                "url": url,
                "bytes": size,
                **{f"{m}_ms": round(v, 2) for m, v in median.items()},
                "simp_ratio": round(median["simp"] / median["off"], 3),
                "orig_ratio": round(median["orig"] / median["off"], 3),
            }
        )
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
        return
    print(
        f"{'page':42} {'bytes':>7} {'off ms':>8} {'simp ms':>8} {'orig ms':>8} {'simp/off':>8} {'orig/off':>8}"
        f" {'conv simp':>9} {'conv orig':>9}"
    )
    for r in rows:
        print(
            f"{r['url'][:42]:42} {r['bytes']:>7} {r['off_ms']:>8} {r['simp_ms']:>8} {r['orig_ms']:>8} "
            f"{r['simp_ratio']:>8} {r['orig_ratio']:>8} {r['simp_conversion_ms']:>9} {r['orig_conversion_ms']:>9}"
        )


if __name__ == "__main__":
    main()
