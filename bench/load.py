"""Load benchmark: gunicorn under public reading and two planners writing in the admin.

    python bench/load.py [--seconds 15] [--readers 4] [--workers 2] [--postgres URL] [--no-sqlite] [--json]
    (make bench-load BENCH_ARGS=...)

For each database (SQLite in a temporary file; PostgreSQL when DATABASE_URL or --postgres names
one): migrate, load the fixtures, create two staff users in 规划人员, start gunicorn with
production settings over plain http (DJANGO_HTTPS=0) on a free port of 127.0.0.1, then for a fixed
time drive it from stdlib threads:
  readers   home, lists with facet filters, detail pages, timeline, search page, /api/search, CSV
  planners  two logged-in staff users at once: project change form (GET, POST) and the bulk actions
            mark_under_construction / mark_open on the changelist, each with its CSRF token
and report per URL group requests/s, p50/p99 ms, responses >= 500, connection errors and other
unexpected statuses, plus the exceptions in the server log. gunicorn is stopped at the end, also
on error or Ctrl-C.

The PostgreSQL database is written to (seed records, two users, project statuses, history rows):
name a scratch database.

Search under load (issue 14):

    python bench/load.py --search-passages N [--clients 16] [--pause 0.5] [--seconds 60] [--reuse]
    (make bench-http BENCH_ARGS=...)

Each database gets the fixtures plus N passages built as bench/search.py builds them (its
build_passages and query_mix, same seed: the same passages and queries as the engine figures),
indexed once. Then --clients threads each loop: one query of the mix, on /api/search and /search/
in turn, then a --pause s sleep (people reading, not a flood). Reported per endpoint: requests,
p50/p95/p99 ms, errors, API answers with no hit (every query is taken from a passage, so each must
find one), p95 by query kind; the load average before and at the end of the run. --reuse keeps
the built database (bench/.cache/bench_http_N_SEED.sqlite3; bench_http_N_SEED beside the PostgreSQL
database named) and builds it only when its passage count differs.
"""

import argparse
import http.client
import json
import os
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PLANNERS = 2
STATUS_ACTIONS = [("mark_open", "open"), ("mark_under_construction", "building")]  # (action, its status)
QUERIES = ["泸州", "铁路", "瀘州", "成渝 合作", '"双城经济圈"', "高速 OR 机场", "泸州 -重庆", "zzzz"]
LIST_PATHS = ["/initiatives/", "/projects/", "/agreements/", "/documents/", "/places/", "/organizations/"]
DETAIL_LINK = re.compile(r'href="(/(?:initiatives|projects|agreements|documents|places|organizations|'
                         r'milestones|sources)/[^/"?#]+/)"')
FACET_LINK = re.compile(r'href="(\?[^"#]+)"')
SELECTABLE = re.compile(r'name="_selected_action" value="(\d+)"')
EXCEPTION_LINE = re.compile(r"^([A-Za-z_][\w.]*(?:Error|Exception)): (.{0,120})")
SEARCH_ENDPOINTS = ["/api/search", "/search/"]
BENCH_SOURCE = "bench-http"  # the slug of the source holding the built passages


# --- client side -------------------------------------------------------------------------------

class Client:
    """One keep-nothing HTTP client per thread (gunicorn's sync workers close every connection),
    with its own cookies, recording (group, status or None, ms) for every request."""

    def __init__(self, port, record):
        self.port, self.record, self.cookies = port, record, {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def request(self, group, method, path, form=None, expect=(200,)):
        body = urlencode(form, doseq=True).encode() if form is not None else None
        headers = {"Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()  # reopened by the next request
            self.record(group, None, (time.perf_counter() - started) * 1000, expect)
            return None, ""
        self.record(group, response.status, (time.perf_counter() - started) * 1000, expect)
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, value = header.split(";", 1)[0].partition("=")
            self.cookies[name.strip()] = value.strip()
        return response, data.decode("utf-8", "replace")


class FormParser(HTMLParser):
    """The fields a browser would submit from the form with the given id (no submit buttons)."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.fields = form_id, False, []
        self.select = self.textarea = None
        self.options = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside or "disabled" in a:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in {"checkbox", "radio"}:
                if "checked" in a:
                    self.fields.append((name, a.get("value", "on")))
            elif kind not in {"submit", "button", "file", "image", "reset"}:
                self.fields.append((name, a.get("value", "")))
        elif tag == "select" and name:
            self.select, self.options = (name, "multiple" in a), []
        elif tag == "option" and self.select:
            self.options.append((a.get("value", ""), "selected" in a))
        elif tag == "textarea" and name:
            self.textarea = [name, ""]

    def handle_data(self, data):
        if self.textarea:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select:
            name, multiple = self.select
            chosen = [v for v, selected in self.options if selected]
            if not chosen and not multiple and self.options:
                chosen = [self.options[0][0]]  # what a browser submits for a single select
            self.fields += [(name, v) for v in chosen]
            self.select = None
        elif tag == "textarea" and self.textarea:
            name, text = self.textarea
            self.fields.append((name, text[1:] if text.startswith("\n") else text))
            self.textarea = None


def form_fields(html, form_id):
    parser = FormParser(form_id)
    parser.feed(html)
    return parser.fields


def reader(client, urls, deadline, rng):
    # Every group in turn (in an order of its own each round), then one of its paths: every group
    # gets its share however many paths it has, and the first round is always finished, so a
    # short run on a busy machine still measures every group.
    groups = sorted({g for g, _ in urls})
    paths = {g: [p for h, p in urls if h == g] for g in groups}
    first = True
    while first or time.monotonic() < deadline:
        rng.shuffle(groups)
        for group in groups:
            if not first and time.monotonic() >= deadline:
                break
            client.request(group, "GET", rng.choice(paths[group]))
        first = False


def planner(client, number, username, password, deadline):
    _, html = client.request("admin login", "GET", "/admin/login/")
    fields = dict(form_fields(html, "login-form"))
    fields.update(username=username, password=password, next="/admin/")
    response, _ = client.request("admin login", "POST", "/admin/login/?next=/admin/", fields, expect=(302,))
    if response is None or response.status != 302:
        return
    turn = 0
    # The first round is always finished (as a reader's): a short run on a busy machine, whose
    # login took most of it, still measures both writes.
    while turn == 0 or time.monotonic() < deadline:
        turn += 1
        action_name, status = STATUS_ACTIONS[turn % 2]
        _, html = client.request("admin pages (GET)", "GET", "/admin/kb/project/")
        fields = form_fields(html, "changelist-form")
        token = [v for k, v in fields if k == "csrfmiddlewaretoken"]
        # Each planner keeps to its own projects, so that a refused concurrent edit of the same
        # record (the right outcome) is never counted as an error.
        ids = SELECTABLE.findall(html)[number::PLANNERS]
        if not token or not ids:
            continue
        action = {"csrfmiddlewaretoken": token[0], "action": action_name, "index": "0",
                  "select_across": "0", "_selected_action": ids}
        client.request("admin bulk action (POST)", "POST", "/admin/kb/project/", action, expect=(302,))
        change = f"/admin/kb/project/{ids[turn % len(ids)]}/change/"
        _, html = client.request("admin pages (GET)", "GET", change)
        fields = [(k, status if k == "status" else v) for k, v in form_fields(html, "project_form")]
        if fields:
            client.request("admin change form (POST)", "POST", change, [*fields, ("_save", "1")], expect=(302,))


def discover(port):
    """The reader mix: (group, path) pairs from the site's own links, so it follows the data."""
    client = Client(port, lambda *a: None)
    urls = [("home", "/"), ("timeline", "/timeline/"), ("timeline", "/timeline/feed/")]
    details = set()
    for path in LIST_PATHS:
        urls.append(("lists (with filters)", path))
        _, html = client.request("", "GET", path)
        details.update(DETAIL_LINK.findall(html))
        urls += [("lists (with filters)", path + q.replace("&amp;", "&")) for q in FACET_LINK.findall(html)[:3]]
        urls.append(("CSV export", path + "?format=csv"))
    urls += [("detail pages", d) for d in sorted(details)[:30]]
    for q in QUERIES:
        urls.append(("search page", "/search/?" + urlencode({"q": q})))
        urls.append(("/api/search", "/api/search?" + urlencode({"q": q})))
    urls.append(("/api/search", "/api/search?" + urlencode({"q": "泸州", "kind": "project", "page": 1})))
    return urls


def warm_up(port, workers):
    """Per-worker first-use costs (database connection, template and converter caches) are paid
    before the clock starts: enough concurrent searches that every worker gets some."""
    client_threads = [threading.Thread(target=Client(port, lambda *a: None).request,
                                       args=("", "GET", "/api/search?q=%E6%B3%B8%E5%B7%9E"))
                      for _ in range(workers * 3)]
    for t in client_threads:
        t.start()
    for t in client_threads:
        t.join()


def drive(port, seconds, readers, users, workers):
    urls = discover(port)

    def clients(record, deadline):
        threads = [threading.Thread(target=reader, args=(Client(port, record), urls, deadline, random.Random(i)))
                   for i in range(readers)]
        return threads + [threading.Thread(target=planner, args=(Client(port, record), n, u, p, deadline))
                          for n, (u, p) in enumerate(users)]

    results, elapsed = run_clients(port, seconds, workers, clients)
    rows = [row_of(group, samples, elapsed) for group, samples in results.items()]
    return sorted(rows, key=lambda r: r["group"]), elapsed


def run_clients(port, seconds, workers, clients):
    """Warm the workers up, then run the threads ``clients(record, deadline)`` makes until they
    end: ({group: [(status or None, ms, expected statuses)]}, seconds elapsed)."""
    results, lock = {}, threading.Lock()

    def record(group, status, ms, expect):
        with lock:
            results.setdefault(group, []).append((status, ms, expect))

    warm_up(port, workers)
    deadline = time.monotonic() + seconds
    started = time.perf_counter()
    threads = clients(record, deadline)
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, time.perf_counter() - started


def row_of(group, samples, elapsed):
    """One group's figures from its (status or None, ms, expected statuses) samples."""
    times = sorted(ms for _, ms, _ in samples)
    return {
        "group": group, "requests": len(samples), "per_s": round(len(samples) / elapsed, 1),
        "p50_ms": round(percentile(times, 50), 1), "p99_ms": round(percentile(times, 99), 1),
        "errors_5xx": sum(1 for s, _, _ in samples if s is not None and s >= 500),
        "connection_errors": sum(1 for s, _, _ in samples if s is None),
        "unexpected": sum(1 for s, _, e in samples if s is not None and s < 500 and s not in e),
        "p95_ms": round(percentile(times, 95), 1),
    }


# --- search under load -------------------------------------------------------------------------

def searcher(client, queries, deadline, pause, rng, turn):
    """One reader of search results: a query of the mix on each endpoint in turn, then a pause.
    Both endpoints are asked once before the deadline counts, so a short run measures both.
    A JSON answer with no hit is recorded apart: every query comes from a passage."""
    first = turn + len(SEARCH_ENDPOINTS)
    while turn < first or time.monotonic() < deadline:
        endpoint = SEARCH_ENDPOINTS[turn % len(SEARCH_ENDPOINTS)]
        kind, q = rng.choice(queries)
        response, body = client.request((endpoint, kind), "GET", f"{endpoint}?{urlencode({'q': q})}")
        if endpoint == "/api/search" and response is not None and response.status == 200:
            if not json.loads(body).get("count"):
                client.record((endpoint, kind, "no hit"), response.status, 0.0, (200,))
        turn += 1
        if time.monotonic() < deadline:
            time.sleep(pause)


def drive_search(port, seconds, clients, pause, queries, workers):
    def searchers(record, deadline):
        return [threading.Thread(target=searcher, args=(Client(port, record), queries, deadline, pause,
                                                         random.Random(i), i % len(SEARCH_ENDPOINTS)))
                for i in range(clients)]

    results, elapsed = run_clients(port, seconds, workers, searchers)
    return search_rows(results, elapsed), elapsed


def search_rows(results, elapsed):
    """Per endpoint: the figures of all its requests, its errors in one count, its answers with no
    hit, and p95 per query kind. ``results`` is keyed (endpoint, kind) for requests and
    (endpoint, kind, "no hit") for the empty answers."""
    rows = []
    for endpoint in SEARCH_ENDPOINTS:
        timed = {key[1]: samples for key, samples in results.items() if len(key) == 2 and key[0] == endpoint}
        row = row_of(endpoint, [s for samples in timed.values() for s in samples], elapsed)
        row["errors"] = row["errors_5xx"] + row["connection_errors"] + row["unexpected"]
        row["no_hit"] = sum(len(v) for k, v in results.items() if len(k) == 3 and k[0] == endpoint)
        row["p95_ms_by_query_kind"] = {kind: round(percentile(sorted(ms for _, ms, _ in samples), 95), 1)
                                       for kind, samples in sorted(timed.items())}
        rows.append(row)
    return rows


def percentile(values, p):
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))] if values else 0.0


# --- server side -------------------------------------------------------------------------------

def manage(env, *args, stdin=None, timeout=600):
    result = subprocess.run([str(BIN / "python"), "manage.py", *args], cwd=ROOT, env=env, input=stdin,
                            capture_output=True, text=True, timeout=timeout)
    if result.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


CREATE_USERS = """
import json, sys
from django.contrib.auth.models import Group, User
from apps.kb.groups import PLANNERS
for name, password in json.loads(sys.stdin.read()):
    user, _ = User.objects.get_or_create(username=name)
    user.is_staff = True
    user.set_password(password)
    user.save()
    user.groups.add(Group.objects.get(name=PLANNERS))
"""


# Run by `manage.py shell` on the benchmark's database: bench/search.py's passages and queries (same
# seed, same order of draws), written and indexed only when the database does not hold them yet.
BUILD_PASSAGES = """
import json, random, sys, time
from bench.search import build_passages, query_mix
from apps.kb.models import Passage, Source
from apps.search.index import rebuild
n, seed, count, slug = json.loads(sys.stdin.read())
rng = random.Random(seed)
texts = build_passages(n, rng)
queries = query_mix(texts, count, rng)
build_seconds = None
if Passage.objects.filter(source__slug=slug).count() != n:
    started = time.perf_counter()
    Source.objects.filter(slug=slug).delete()
    source = Source.objects.create(slug=slug, title=slug, text=slug)
    for start in range(0, n, 20000):  # a million Passage objects at once would not fit in memory
        Passage.objects.bulk_create([Passage(source=source, position=i + 1, text=texts[i])
                                     for i in range(start, min(n, start + 20000))], batch_size=2000)
    rebuild(batch_size=2000, jobs=1)
    build_seconds = time.perf_counter() - started
print(json.dumps({"queries": queries, "build_seconds": build_seconds}, ensure_ascii=False))
"""


def prepare(env):
    manage(env, "migrate", "--noinput")
    manage(env, "createcachetable")  # a no-op unless CACHES names a database cache
    manage(env, "load_plan")
    users = [(f"bench-planner-{n + 1}", secrets.token_urlsafe(16)) for n in range(PLANNERS)]
    manage(env, "shell", "-c", CREATE_USERS, stdin=json.dumps(users))
    return users


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(port, server, timeout=60):
    until = time.monotonic() + timeout
    while time.monotonic() < until:
        if server.poll() is not None:
            raise SystemExit("gunicorn exited during start-up; see its log above")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/", headers={"Host": "127.0.0.1"})
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer on port {port} within {timeout} s")


def stop(server):
    # Its own process group (start_new_session), so the workers go with the arbiter.
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def server_exceptions(log_path):
    """The last exception of each traceback in the server log (the one a chain ends with), counted."""
    found, pending = Counter(), None
    for line in log_path.read_text(errors="replace").splitlines():
        match = EXCEPTION_LINE.match(line)
        if line.startswith(("The above exception", "During handling")):
            pending = None  # superseded by the next exception of the chain
        elif match:
            found.update([pending] if pending else [])
            pending = f"{match[1]}: {match[2]}"
        elif pending and line.strip() and not line.startswith((" ", "Traceback")):
            found[pending] += 1
            pending = None
    found.update([pending] if pending else [])
    return dict(found.most_common(5))


def production_env(database_url, static_root):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(DATABASE_URL=database_url, DJANGO_DEBUG="0", DJANGO_HTTPS="0",
               DJANGO_ALLOWED_HOSTS="127.0.0.1", DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
               DJANGO_STATIC_ROOT=str(static_root), DJANGO_LOG_LEVEL="WARNING")
    if not (static_root / "staticfiles.json").exists():
        manage(env, "collectstatic", "--noinput", "-v0")
    return env


def start_gunicorn(env, workers, log_path):
    port = free_port()
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [str(BIN / "gunicorn"), "luzhou_kb.wsgi", "--bind", f"127.0.0.1:{port}",
             "--workers", str(workers), "--preload", "--timeout", "60"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    return server, port


def run_one(label, database_url, args, static_root, workdir):
    env = production_env(database_url, static_root)
    users = prepare(env)
    log_path = workdir / f"gunicorn-{label}.log"
    server, port = start_gunicorn(env, args.workers, log_path)
    try:
        wait_ready(port, server)
        load_average = os.getloadavg()[0]  # others' work on the machine: read the figures beside it
        rows, elapsed = drive(port, args.seconds, args.readers, users, args.workers)
    finally:
        stop(server)
    return {"database": label, "seconds": round(elapsed, 1), "workers": args.workers,
            "readers": args.readers, "planners": PLANNERS, "load_average": round(load_average, 2), "groups": rows,
            "server_exceptions": server_exceptions(log_path)}


def search_database_name(passages, seed):
    return f"bench_http_{passages}_{seed}"


def with_database_name(url, name):
    """The same server and credentials, another database."""
    return urlunsplit(urlsplit(url)._replace(path="/" + name))


def create_postgres_database(url, name):
    """The kept benchmark database beside the one named (created once; its role needs CREATEDB)."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def search_database(label, url, args, workdir):
    """Where the search run's passages go: with --reuse a database kept between runs, otherwise a
    temporary SQLite file or the PostgreSQL database named."""
    if not args.reuse:
        return url if label == "postgresql" else f"sqlite:///{workdir / 'search.sqlite3'}"
    name = search_database_name(args.search_passages, args.seed)
    if label == "postgresql":
        create_postgres_database(url, name)
        return with_database_name(url, name)
    cache = ROOT / "bench" / ".cache"
    cache.mkdir(exist_ok=True)
    return f"sqlite:///{cache / name}.sqlite3"


def run_search(label, database_url, args, static_root, workdir):
    env = production_env(database_url, static_root)
    prepare(env)
    built = json.loads(manage(env, "shell", "-c", BUILD_PASSAGES, timeout=None, stdin=json.dumps(
        [args.search_passages, args.seed, args.queries, BENCH_SOURCE])).strip().splitlines()[-1])
    queries = [tuple(q) for q in built["queries"]]
    log_path = workdir / f"gunicorn-search-{label}.log"
    server, port = start_gunicorn(env, args.workers, log_path)
    try:
        wait_ready(port, server)
        load_average = os.getloadavg()[0]
        rows, elapsed = drive_search(port, args.seconds, args.clients, args.pause, queries, args.workers)
        load_average_end = os.getloadavg()[0]  # the last minute: the run itself when it lasts a minute
    finally:
        stop(server)
    build_seconds = built["build_seconds"]
    return {"database": label, "mode": "search", "passages": args.search_passages, "seed": args.seed,
            "queries": len(queries), "build_seconds": round(build_seconds, 1) if build_seconds else None,
            "seconds": round(elapsed, 1), "workers": args.workers, "clients": args.clients,
            "pause_s": args.pause, "load_average": round(load_average, 2),
            "load_average_end": round(load_average_end, 2), "endpoints": rows,
            "server_exceptions": server_exceptions(log_path)}


def print_search_table(report):
    built = (f"built in {report['build_seconds']} s" if report["build_seconds"] is not None
             else "database reused")
    print(f"\n{report['database']}: {report['passages']:,} passages ({built}), gunicorn {report['workers']} "
          f"workers, {report['clients']} clients pausing {report['pause_s']} s, {report['seconds']} s, "
          f"load average {report['load_average']} before, {report['load_average_end']} at the end, "
          f"on {os.cpu_count()} CPUs")
    print(f"{'endpoint':14} {'requests':>8} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
          f"{'errors':>7} {'no hit':>7}")
    for r in report["endpoints"]:
        print(f"{r['group']:14} {r['requests']:8} {r['per_s']:7} {r['p50_ms']:8} {r['p95_ms']:8} "
              f"{r['p99_ms']:8} {r['errors']:7} {r['no_hit']:7}")
        print(f"{'':14} p95 ms by query kind: "
              + ", ".join(f"{k} {v}" for k, v in r["p95_ms_by_query_kind"].items()))
    for message, count in report["server_exceptions"].items():
        print(f"  server log: {count} × {message}")


def print_table(report):
    print(f"\n{report['database']}: gunicorn {report['workers']} workers, {report['readers']} readers + "
          f"{report['planners']} planners, {report['seconds']} s, load average {report['load_average']} "
          f"on {os.cpu_count()} CPUs before the run")
    print(f"{'URL group':28} {'requests':>8} {'req/s':>7} {'p50 ms':>8} {'p99 ms':>8} "
          f"{'>=500':>6} {'conn':>5} {'other':>6}")
    for r in report["groups"]:
        print(f"{r['group']:28} {r['requests']:8} {r['per_s']:7} {r['p50_ms']:8} {r['p99_ms']:8} "
              f"{r['errors_5xx']:6} {r['connection_errors']:5} {r['unexpected']:6}")
    for message, count in report["server_exceptions"].items():
        print(f"  server log: {count} × {message}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--readers", type=int, default=4, help="public-page client threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--no-sqlite", action="store_true")
    default_pg = os.environ.get("DATABASE_URL", "")
    parser.add_argument("--postgres", metavar="URL", default=default_pg if default_pg.startswith("postg") else "",
                        help="PostgreSQL database to write to (default: DATABASE_URL when it is one)")
    parser.add_argument("--json", action="store_true")
    search = parser.add_argument_group("search under load (instead of the reader and planner mix)")
    search.add_argument("--search-passages", type=int, default=0, metavar="N",
                        help="build N passages (bench/search.py's) and drive /api/search and /search/")
    search.add_argument("--clients", type=int, default=16, help="search client threads")
    search.add_argument("--pause", type=float, default=0.5, help="seconds each client waits between requests")
    search.add_argument("--queries", type=int, default=200, help="size of the query mix")
    search.add_argument("--seed", type=int, default=7, help="of the passages and queries (bench/search.py's)")
    search.add_argument("--reuse", action="store_true",
                        help="keep the built database for the next run with the same N and seed: "
                             "bench/.cache/ on SQLite, bench_http_N_SEED beside the PostgreSQL database")
    args = parser.parse_args()

    reports = []
    with tempfile.TemporaryDirectory(prefix="luzhou-load-") as tmp:
        workdir = Path(tmp)
        static_root = workdir / "static"
        runs = [] if args.no_sqlite else [("sqlite", f"sqlite:///{workdir / 'load.sqlite3'}")]
        runs += [("postgresql", args.postgres)] if args.postgres else []
        for label, url in runs:
            if args.search_passages:
                reports.append(run_search(label, search_database(label, url, args, workdir), args,
                                          static_root, workdir))
            else:
                reports.append(run_one(label, url, args, static_root, workdir))
            if not args.json:
                (print_search_table if args.search_passages else print_table)(reports[-1])
    if args.json:
        print(json.dumps(reports, ensure_ascii=False))


if __name__ == "__main__":
    main()
