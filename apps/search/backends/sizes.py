"""How many entries each kind has, roughly and cheaply: what a backend chooses a plan by, never
what it finds (SQLite: how to keep a search to some kinds; PostgreSQL: how many hits of the smaller
kinds a count's sample makes room for)."""

import time

from ..index import kind_labels
from .base import ENTRY_TABLE

# How long a process keeps the number of entries of each kind. Each kind is counted up to
# KIND_SIZE_CAP, which tells the kind that holds most entries as well as a full count, at a fraction
# of its cost (the full count read the whole kind index: 185 ms at 10⁶ passages, once a minute).
KIND_SIZES_SECONDS = 60
KIND_SIZE_CAP = 1000
_kind_sizes: dict[str, tuple[float, dict[str, int]]] = {}


def kind_sizes(connection) -> dict[str, int]:
    """Entries of each indexed kind in this database (up to KIND_SIZE_CAP), as counted at most
    KIND_SIZES_SECONDS ago."""
    name = connection.settings_dict["NAME"]
    counted_at, sizes = _kind_sizes.get(name, (None, {}))
    if counted_at is None or time.monotonic() - counted_at > KIND_SIZES_SECONDS:
        kinds = list(kind_labels())
        count = f"(SELECT COUNT(*) FROM (SELECT 1 FROM {ENTRY_TABLE} WHERE kind = %s LIMIT %s) AS sized)"
        with connection.cursor() as cursor:
            cursor.execute("SELECT " + ", ".join([count] * len(kinds)),
                           [v for kind in kinds for v in (kind, KIND_SIZE_CAP)])
            sizes = dict(zip(kinds, cursor.fetchone(), strict=True))
        _kind_sizes[name] = (time.monotonic(), sizes)
    return sizes


def smaller_kinds(connection) -> int:
    """Entries of every kind but the largest (each counted up to KIND_SIZE_CAP)."""
    sizes = kind_sizes(connection)
    return sum(sizes.values()) - max(sizes.values(), default=0)
