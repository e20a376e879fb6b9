"""PostgreSQL: the hits of the most common words, counted ahead and kept current by the database.

A capped count of a word found in more than ``SEARCH_COUNT_CAP`` entries reads cap + 1 rows of
the table, one per hit, for GIN's bitmap cannot count without them (10⁵ passages: 22 ms for one
character, the slowest category). The words in at least a tenth of the cap's entries
(``COUNTED_FROM``) at the last rebuild are counted here instead, per kind (``CommonWords.counts``:
a lookup of a few rows), and looked up under the cap as well (the same rows read for a count of
every hit).

The counts follow every write in the same transaction: statement triggers add, per statement, one
row of each word and kind that changed (+n, −n), so concurrent writers only insert and never wait
on each other; a word's count is the sum of its rows. Only the words already in the table are
followed. A rebuild (or ``rebuild_search_index --common-words``) counts them again from the
vectors, which also folds each word's rows into one. An empty table (before the first rebuild,
or while a rebuild writes) follows nothing: every count is then taken from the index, as for any
word not counted here."""

from .base import ENTRY_TABLE
from .sizes import kept_a_while

COUNTS_TABLE = "search_commonword"

# The share of the cap a word's entries reach to be counted here. Half the cap before: a word of
# 1,000 to 5,000 entries was counted from the index, reading every one's row (10⁵ passages,
# 4 ms a thousand); with a tenth, 1,699 words counted at 10⁵ passages rather than 441 (262 kB),
# the same 4.6 s to count, and over 200 queries (medians of five runs) p95 31.8 -> 29.6 ms, the
# words' 32.0 -> 29.5.
COUNTED_FROM = 10

# One function for the three triggers: PostgreSQL allows transition tables on a trigger of one
# event only. ``new_rows`` and ``old_rows`` are what the statement wrote and removed; each branch
# names only the tables its event has (a statement naming another would fail to plan).
def _changes(*tables: str) -> str:
    """The INSERT of one statement's changes: per word followed and kind, its entries added
    (+1, from ``new_rows``) and removed (−1, from ``old_rows``), where they do not cancel out."""
    change = {"new_rows": 1, "old_rows": -1}
    parts = " UNION ALL ".join(
        f"SELECT w.word, r.kind, {change[table]} AS change FROM {table} r, "
        "unnest(tsvector_to_array(r.vector)) AS w(word)" for table in tables
    )
    return (f"INSERT INTO {COUNTS_TABLE} (word, kind, n) SELECT word, kind, SUM(change) FROM ({parts}) AS changes "
            f"WHERE word IN (SELECT word FROM {COUNTS_TABLE}) GROUP BY word, kind HAVING SUM(change) <> 0;")


_FOLLOW = f"""
CREATE OR REPLACE FUNCTION search_commonword_follow() RETURNS trigger LANGUAGE plpgsql AS $follow$
BEGIN
    IF NOT EXISTS (SELECT FROM {COUNTS_TABLE}) THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'INSERT' THEN
        {_changes("new_rows")}
    ELSIF TG_OP = 'DELETE' THEN
        {_changes("old_rows")}
    ELSE
        {_changes("new_rows", "old_rows")}
    END IF;
    RETURN NULL;
END
$follow$"""


def _trigger(event: str, tables: str) -> str:
    return (f"CREATE TRIGGER search_commonword_{event.lower()} AFTER {event} ON {ENTRY_TABLE} "
            f"REFERENCING {tables} FOR EACH STATEMENT EXECUTE FUNCTION search_commonword_follow()")


CREATE = [
    f"CREATE TABLE IF NOT EXISTS {COUNTS_TABLE} (word text NOT NULL, kind varchar(12) NOT NULL, n bigint NOT NULL)",
    f"CREATE INDEX IF NOT EXISTS search_commonword_word ON {COUNTS_TABLE} (word)",
    _FOLLOW,
    # Each trigger declares the transition tables of its event, which its branch of the function reads.
    f"DROP TRIGGER IF EXISTS search_commonword_insert ON {ENTRY_TABLE}",
    _trigger("INSERT", "NEW TABLE AS new_rows"),
    f"DROP TRIGGER IF EXISTS search_commonword_update ON {ENTRY_TABLE}",
    _trigger("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
    f"DROP TRIGGER IF EXISTS search_commonword_delete ON {ENTRY_TABLE}",
    _trigger("DELETE", "OLD TABLE AS old_rows"),
]

DROP = [
    f"DROP TRIGGER IF EXISTS search_commonword_{event} ON {ENTRY_TABLE}" for event in ("insert", "update", "delete")
] + ["DROP FUNCTION IF EXISTS search_commonword_follow()", f"DROP TABLE IF EXISTS {COUNTS_TABLE}"]


class Exact(int):
    """A count known exactly (counted ahead), past the cap or not: a plan takes it as it is, where a
    capped count past the cap says only that there are more."""


@kept_a_while
def counted_words(connection) -> frozenset[str]:
    """The words counted ahead: a search looks up only these (a table of none, as before the
    first rebuild or with no word so common, costs no lookup at all)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT word FROM {COUNTS_TABLE}")
        return frozenset(word for (word,) in cursor.fetchall())


class CommonWords:
    """The counted words of one database (``connection``)."""

    def __init__(self, connection):
        self.connection = connection

    def counts(self, word: str) -> dict[str, int] | None:
        """Entries holding ``word`` (an index token) per kind, or None when it is not counted here."""
        if word not in counted_words(self.connection):
            return None
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT kind, SUM(n) FROM {COUNTS_TABLE} WHERE word = %s GROUP BY kind", [word])
            rows = cursor.fetchall()
        return {kind: Exact(n) for kind, n in rows if n} or None

    def clear(self):
        """Nothing counted (a rebuild's start: its writes are then not followed one by one)."""
        with self.connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {COUNTS_TABLE}")
        counted_words.forget()  # (other processes within KEPT_SECONDS: a lookup in vain)

    def recount(self, kinds, least: int) -> int:
        """Count again, from the vectors, every word held by at least ``least`` entries (of all
        ``kinds`` together), one row per word and kind; returns how many words. The bucket and
        source lexemes ('#b3', '#s12') are no query's words and are left out.

        In the caller's transaction. Writers wait for it (their triggers' rows must follow the new
        words, from the vectors as it counted them); searches do not: they read the old counts
        until it commits (TRUNCATE would have held every search of a common word for the whole
        count, some 30 s at 10⁶ passages)."""
        with self.connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {COUNTS_TABLE} IN SHARE ROW EXCLUSIVE MODE")
            cursor.execute(f"DELETE FROM {COUNTS_TABLE}")
            cursor.execute(
                f"INSERT INTO {COUNTS_TABLE} (word, kind, n) SELECT word, kind, ndoc FROM ("
                "  SELECT s.word, k.kind, s.ndoc, SUM(s.ndoc) OVER (PARTITION BY s.word) AS total"
                "  FROM unnest(%s::text[]) AS k(kind),"
                f"  LATERAL ts_stat(format('SELECT vector FROM {ENTRY_TABLE} WHERE kind = %%L', k.kind)) AS s"
                ") AS per_kind WHERE total >= %s AND left(word, 1) <> '#'",
                [list(kinds), least],
            )
            cursor.execute(f"SELECT COUNT(DISTINCT word) FROM {COUNTS_TABLE}")
            words = cursor.fetchone()[0]
            cursor.execute(f"ANALYZE {COUNTS_TABLE}")
        counted_words.forget()  # (other processes within KEPT_SECONDS: these counted from the index)
        return words
