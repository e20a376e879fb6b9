"""What a backend chooses a plan by, never what it finds, read cheaply and kept by each process a
while: how many entries each kind has (SQLite: how to keep a search to some kinds; PostgreSQL: how
many hits of the smaller kinds a count's sample makes room for), and which words PostgreSQL counts
ahead (which to look up). A value a minute old may be out of date; a plan chosen by it is slower
then, never wrong."""

import functools
import time

from ..index import kind_labels
from .base import ENTRY_TABLE

# How long a process keeps what it read of one database.
KEPT_SECONDS = 60
# Each kind is counted up to KIND_SIZE_CAP, which tells the kind that holds most entries as well as a
# full count, at a fraction of its cost (the full count read the whole kind index: 185 ms at 10⁶
# passages, once a minute).
KIND_SIZE_CAP = 1000


def kept_a_while(read):
    """``read(connection)``, read again when what this process read of the database is older than
    KEPT_SECONDS (``forget()``: read again next time)."""
    kept: dict[str, tuple[float, object]] = {}

    @functools.wraps(read)
    def reading(connection):
        name = connection.settings_dict["NAME"]
        read_at, value = kept.get(name, (None, None))
        if read_at is None or time.monotonic() - read_at > KEPT_SECONDS:
            value = read(connection)
            kept[name] = (time.monotonic(), value)
        return value

    reading.forget = kept.clear
    return reading


@kept_a_while
def kind_sizes(connection) -> dict[str, int]:
    """Entries of each indexed kind in this database (up to KIND_SIZE_CAP)."""
    kinds = list(kind_labels())
    count = f"(SELECT COUNT(*) FROM (SELECT 1 FROM {ENTRY_TABLE} WHERE kind = %s LIMIT %s) AS sized)"
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join([count] * len(kinds)),
                       [v for kind in kinds for v in (kind, KIND_SIZE_CAP)])
        return dict(zip(kinds, cursor.fetchone(), strict=True))


def smaller_kinds(connection) -> int:
    """Entries of every kind but the largest (each counted up to KIND_SIZE_CAP)."""
    sizes = kind_sizes(connection)
    return sum(sizes.values()) - max(sizes.values(), default=0)
