"""The router against a real streaming replica (issue 14, item 5): the test starts one from the
running PostgreSQL cluster with ``pg_basebackup -R`` on port 5544, points ``replica1`` at it,
and checks that a search reads the replica while a writer reads its own write on the primary.

It needs PostgreSQL, root (to run the replica as the ``postgres`` OS user), pg_basebackup and a
primary that accepts replication connections from ``postgres`` over the local socket (Debian's
default pg_hba.conf has ``local replication all peer``). Otherwise it is skipped, saying why."""

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from django.db import connection, connections

from apps.kb.models import Passage, Source
from apps.search.engine import search
from luzhou_kb import routers

pytestmark = [pytest.mark.django_db(transaction=True)]

PORT = 5544


def as_postgres(*command, **kwargs):
    return subprocess.run(["runuser", "-u", "postgres", "--", *command], capture_output=True, text=True, **kwargs)


def why_not() -> str | None:
    if connection.vendor != "postgresql":
        return "needs PostgreSQL (DATABASE_URL)"
    if os.geteuid() != 0 or not shutil.which("runuser"):
        return "needs root to run the replica as the postgres OS user"
    if not shutil.which("pg_basebackup") or not shutil.which("pg_ctl"):
        return "pg_basebackup / pg_ctl not installed"
    probe = as_postgres("psql", "-d", "dbname=postgres replication=true", "-Atc", "IDENTIFY_SYSTEM", timeout=30)
    if probe.returncode != 0:
        return (
            "the primary refuses replication connections from postgres over the local socket "
            f"(pg_hba.conf needs 'local replication postgres peer'): {probe.stderr.strip()[:200]}"
        )
    return None


@pytest.fixture(scope="module")
def replica(django_db_setup):  # after the test database exists: the copy must have it
    reason = why_not()
    if reason:
        pytest.skip(reason)
    directory = Path(tempfile.mkdtemp(prefix="kb-replica-"))
    shutil.chown(directory, "postgres", "postgres")
    data = directory / "data"
    made = as_postgres("pg_basebackup", "-R", "-X", "stream", "-c", "fast", "-D", str(data), timeout=1800)
    if made.returncode != 0:
        shutil.rmtree(directory, ignore_errors=True)
        pytest.skip(f"pg_basebackup failed: {made.stderr.strip()[:300]}")
    # Debian keeps the configuration in /etc, not in the data directory: the copy gets its own.
    for name, text in (("postgresql.conf", ""), ("pg_hba.conf", "local all all trust\n"), ("pg_ident.conf", "")):
        if not (data / name).exists():
            (data / name).write_text(text)
            shutil.chown(data / name, "postgres", "postgres")
    options = f"-p {PORT} -k {directory} -c hot_standby=on -c listen_addresses=''"
    started = as_postgres(
        "pg_ctl", "-D", str(data), "-o", options, "-l", str(directory / "log"), "-w", "start", timeout=120
    )
    if started.returncode != 0:
        shutil.rmtree(directory, ignore_errors=True)
        pytest.skip(f"the replica did not start: {started.stderr.strip()[:300]}")
    yield directory
    as_postgres("pg_ctl", "-D", str(data), "-m", "immediate", "stop", timeout=120)
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def replica_alias(replica, settings):
    primary = settings.DATABASES["default"]
    # The replica's copy of the test database, over its own socket, as the primary's user.
    settings.DATABASES = {**settings.DATABASES, "replica1": {**primary, "HOST": str(replica), "PORT": str(PORT)}}
    connections.settings = settings.DATABASES
    # Connected here, not on first use: the test case allows only the databases it was set up
    # with a new connection, and replica1 did not exist then.
    connections["replica1"].connect()
    yield "replica1"
    connections["replica1"].close()
    del connections.settings["replica1"]


def wait_for(check, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return False


def on_replica(replica_dir, sql):
    done = as_postgres("psql", "-h", str(replica_dir), "-p", str(PORT), "-d", "postgres", "-Atc", sql, timeout=30)
    assert done.returncode == 0, done.stderr


def test_search_reads_the_replica_and_a_writer_reads_its_own_write(replica, replica_alias):
    assert routers.replica_aliases() == ["replica1"]
    with connections["replica1"].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        assert cursor.fetchone()[0] is True  # a standby, not the primary again
    source = Source.objects.create(slug="replica-test", title="副本测试", text="副本里的独特词语甲乙")
    Passage.objects.create(source=source, position=1, text="副本里的独特词语甲乙")
    # committed on the primary; a search (read on the replica) finds it once the replica replayed it
    assert wait_for(lambda: search("独特词语甲乙").counts.get("passage") == 1)
    on_replica(replica, "SELECT pg_wal_replay_pause()")  # now the replica lags for sure
    try:
        Passage.objects.create(source=source, position=2, text="暂停之后写入的独特词语丙丁")
        assert search("独特词语丙丁").counts.get("passage", 0) == 0  # a reader: the (stale) replica
        with routers.read_primary():  # the writer, as the middleware pins it: its own write
            assert search("独特词语丙丁").counts.get("passage") == 1
    finally:
        on_replica(replica, "SELECT pg_wal_replay_resume()")
    assert wait_for(lambda: search("独特词语丙丁").counts.get("passage") == 1)
