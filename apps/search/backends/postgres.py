"""PostgreSQL: a tsvector column with a GIN index ranked by ts_rank, or, where settings ask
for it (``SEARCH_POSTGRES_INDEX = "rum"``) and the ``rum`` extension is installed in the
database, a RUM index whose ordered scan (``ORDER BY vector <=> query``) gives the best hits
without reading each hit's vector from the table. GIN is the default by measurement (bench/,
10⁵ passages, 300 queries): the same p95 (98.8 ms against RUM's 98.6), a faster one-character
p95 (100 against 144), RUM's p50 12 % better; but RUM takes a passage's lexemes row by row,
some 12× slower to write (an import of the 31 reports: 14 s against 1.7 s), and is 32 % larger.
The application never creates the extension (that needs a superuser); ``manage.py check``
says which index is in use. Title weight A, body B. The vector is written as a tsvector
literal of our own tokens (CJK characters and bigrams, Latin/digit pieces), and queries are
tsquery literals: no text search parser or dictionary touches Chinese, so nothing depends on
the database's locale or on extensions other than the optional rum."""

import contextlib
import math

import psycopg
from django.conf import settings
from django.db import DatabaseError
from psycopg.sql import quote

from ..index import kind_labels
from ..text import is_latin_token, literal_tokens
from . import common_words
from .base import ENTRY_TABLE, Hit, SearchBackend
from .sizes import smaller_kinds

MAX_POSITION = 16383  # PostgreSQL's limit for a lexeme position


def quote_lexeme(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def source_lexeme(source_id) -> str:
    """A source as a lexeme of the vector: '#s12'. Query tokens are letters, digits and CJK only,
    so no query, not even a prefix one, can ever match it."""
    return quote_lexeme(f"#s{int(source_id)}")


def sources_literal(source_ids) -> str:
    """The entry's sources as positionless lexemes (ranking never sees them: it scores the
    user's query, which cannot contain them)."""
    return " ".join(source_lexeme(i) for i in source_ids)


# "1A" … "16383B": a position with its weight, made once rather than formatted for every token.
_POSITION_LABELS = {weight: [f"{i}{weight}" for i in range(MAX_POSITION + 1)] for weight in "AB"}


def tsvector_literal(title: list[str], body: list[str]) -> str:
    """Title tokens at weight A from position 1, body tokens at B after them; positions past
    PostgreSQL's limit all at the limit, and a lexeme's first 256 positions kept (its maximum).
    Tokens are letters, digits and CJK (``index_tokens``): quoted, with nothing to escape."""
    positions: dict[str, list[str]] = {}
    add = positions.setdefault
    for weight, tokens, offset in (("A", title, 1), ("B", body, len(title) + 1)):
        labels = _POSITION_LABELS[weight][offset:offset + len(tokens)]
        if len(labels) < len(tokens):  # past the limit
            labels += [_POSITION_LABELS[weight][MAX_POSITION]] * (len(tokens) - len(labels))
        for token, label in zip(tokens, labels, strict=True):
            add(token, []).append(label)
    # Most lexemes of a passage occur once: their one label needs no join (with the unescaped
    # quotes, the 31 reports' literals 0.49 s -> 0.31 s).
    return " ".join([
        f"'{token}':{labels[0] if len(labels) == 1 else ','.join(labels[:256])}" for token, labels in positions.items()
    ])


# Entries in buckets of consecutive ids, 2**BUCKET_BITS a bucket, each entry's bucket a lexeme of
# its vector: '#b15'. A capped count tries the newest ids first (``count_sample``), and GIN builds
# its bitmap from their hits alone, not from every hit of the table. Only a hint: a count is right
# whatever the lexemes say (an entry indexed before them has none, and is counted all the same).
BUCKET_BITS = 16


def bucket_lexeme(entry_id) -> str:
    return quote_lexeme(f"#b{int(entry_id) >> BUCKET_BITS}")


def stored_vector(entry, vector: str) -> str:
    """An entry's vector as stored: its tokens' literal, its sources' lexemes and its bucket's."""
    return f"{vector} {sources_literal(entry.source_ids)} {bucket_lexeme(entry.pk)}"


def newest_buckets(first: int, last: int, ids: int | None = None) -> tuple[str, int] | None:
    """The fewest buckets that hold the newest ``ids`` ids (of ids ``first`` to ``last``; by default
    a bucket's worth), as a tsquery of their lexemes, and how many ids they span (``ids`` to
    ``ids`` + a bucket); None when they hold every id (nothing to gain from them)."""
    oldest = max(last - ((ids or 2 ** BUCKET_BITS) - 1), 0) >> BUCKET_BITS
    if first >> BUCKET_BITS >= oldest:
        return None
    # each bucket's lexeme as its first id has it
    tsquery = " | ".join(bucket_lexeme(b << BUCKET_BITS) for b in range(last >> BUCKET_BITS, oldest - 1, -1))
    return tsquery, last - (oldest << BUCKET_BITS) + 1


class Counts(dict):
    """Hits per kind, with the newest hit ids of the kinds whose newest hits a count read
    (``newest``: kind → ids, newest first; all of the kind's hits when it has no more than
    ``kept``, else its ``kept`` newest). A kind not in ``newest`` has its candidates found again."""

    def __init__(self, counts, *, newest, kept):
        super().__init__(counts)
        self.newest, self.kept = newest, kept


def candidate_scan(hits: float, rows: float, bound: int, newest: float | None = None) -> str:
    """How to find the ``bound`` newest of ``hits`` hits in a table of ``rows`` rows, the newest
    buckets (``BUCKET_BITS``) holding ``newest`` of them (all when not given), by the rows each
    way reads:
      "walk"    the table's ids down from the newest: about bound × rows / hits rows, the newest,
                read by every such search and so in memory;
      "newest"  the bitmap of the newest buckets' hits: their hits × newest / rows rows, when that
                is at least ``bound`` (else the whole table's bitmap is read after it);
      "bitmap"  the bitmap of every hit: ``hits`` rows spread over the whole table.
    The walk is taken unless it reads more than twice the rows of a bitmap (10⁶ passages: 22,121
    hits walked in 35 ms, read from the bitmap in 105 ms; 11,132 walked in 102 ms, read from the
    bitmap in 19 ms)."""
    newest = rows if newest is None else min(newest, rows)
    in_newest = hits * newest / rows if rows else 0
    by_bitmap = ("newest", in_newest) if bound <= in_newest and newest < rows else ("bitmap", hits)
    return "walk" if bound * rows <= 2 * hits * by_bitmap[1] else by_bitmap[0]


# The rank of a hit: ts_rank (weights, occurrences, and for several tokens how close they lie), not
# ts_rank_cd, whose covers of a literal's bigrams cost 20 µs a candidate for five of them: ranking
# the 500 candidates of a six-character phrase took 15.6 ms against 6.4 (10⁵ passages); over 200
# queries, medians of five runs, p95 26.0 -> 23.9 ms, phrases 22.7 -> 17.6. The same order where it
# matters (a title's hit first, then more occurrences: tests/search/test_postgres_index.py).
RANK = "ts_rank"

GIN_INDEX, RUM_INDEX = "search_entry_vector_gin", "search_entry_vector_rum"


def rum_installed(connection) -> bool:
    """Whether the ``rum`` extension is installed in this database (not merely available:
    installing it needs a superuser, which the application never is)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'rum'")
        return cursor.fetchone() is not None


def rum_available(connection) -> bool:
    """Whether the server has the ``rum`` extension's files (so a superuser could install it)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'rum'")
        return cursor.fetchone() is not None


class PostgresBackend(SearchBackend):
    contains_sql = "strpos(e.normalised, %s) > 0"
    plain_fields = SearchBackend.plain_fields | {"DateField"}  # psycopg writes a date as it is

    def create_index(self, schema_editor):
        schema_editor.execute(f"ALTER TABLE {ENTRY_TABLE} ADD COLUMN IF NOT EXISTS vector tsvector")
        self.use_chosen_index(schema_editor)

    def chosen_index(self) -> str:
        """"rum" when settings ask for it and the database has the extension, else "gin"."""
        return "rum" if settings.SEARCH_POSTGRES_INDEX == "rum" and rum_installed(self.connection) else "gin"

    def use_chosen_index(self, schema_editor) -> str:
        """The chosen index made, the other one dropped. Returns its kind."""
        kind = self.chosen_index()
        wanted, other = (RUM_INDEX, GIN_INDEX) if kind == "rum" else (GIN_INDEX, RUM_INDEX)
        method = "rum (vector rum_tsvector_ops)" if kind == "rum" else "gin (vector)"
        schema_editor.execute(f"DROP INDEX IF EXISTS {other}")
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {wanted} ON {ENTRY_TABLE} USING {method}")
        self.connection.search_index_kind = None  # probe again
        return kind

    def prepare_rebuild(self):
        if self.index_kind() == self.chosen_index():
            return  # already the chosen index (and a rebuild's transaction may not alter the table)
        with self.connection.schema_editor(atomic=False) as schema_editor:
            self.use_chosen_index(schema_editor)

    def drop_index(self, schema_editor):
        schema_editor.execute(f"DROP INDEX IF EXISTS {GIN_INDEX}")
        schema_editor.execute(f"DROP INDEX IF EXISTS {RUM_INDEX}")
        schema_editor.execute(f"ALTER TABLE {ENTRY_TABLE} DROP COLUMN IF EXISTS vector")

    def index_kind(self) -> str:
        """"rum" or "gin": the index the entries have (probed once per connection)."""
        kind = getattr(self.connection, "search_index_kind", None)
        if kind is None:
            with self.connection.cursor() as cursor:
                cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s AND tablename = %s",
                               [RUM_INDEX, ENTRY_TABLE])
                kind = "rum" if cursor.fetchone() else "gin"
            self.connection.search_index_kind = kind
        return kind

    def counts(self, query, *, source_id=None, cap=None, kinds=()):
        """A word counted ahead (``common_words``) is looked up, not counted from the index: a query
        of that one token (once or repeated), with no source filter or exclusion. Under the cap
        too: its count read every hit's row (at 10⁵ passages, a word of 7,000–9,000 hits took
        35–100 ms), where the lookup leaves only the most recent candidates to be found (the
        category of words, 200 queries, p95 57–60 ms -> 54)."""
        word = self.single_word(query)
        if source_id is None and word is not None:
            counted = common_words.CommonWords(self.connection).counts(word)
            if counted is not None:
                return counted
        return super().counts(query, source_id=source_id, cap=cap, kinds=kinds)

    @staticmethod
    def single_word(query) -> str | None:
        """The query's one index token, when every literal of it is that one token, which the index
        matches exactly (not a Latin run: that is matched as a prefix, s3 finding s33)."""
        terms = {term for group in query.groups for term in group}
        if query.excluded or len(terms) != 1:
            return None
        tokens = literal_tokens(*terms)
        return tokens[0] if len(tokens) == 1 and not is_latin_token(tokens[0]) else None

    def count_sample(self, from_sql, where, params, cap):
        """As every backend samples, keeping each kind's newest hit ids too (``Counts.newest``):
        when the sample holds every hit, the search ranks those rather than finding the same
        hits again from the index's bitmap and the table. The newest buckets first, where
        there are older ones: a common term passes the cap there, and GIN's bitmap holds those
        buckets' hits alone (at 10⁶ passages, an eighth to a sixteenth of the table's); then,
        for what the cap leaves, the older hits alone (``q && !!`` the newest buckets, one key
        of the index scan: a separate ``NOT`` key would be checked row by row). Both in one
        statement: the older ones are not read when the newest fill the sample."""
        keep = settings.SEARCH_RANK_CANDIDATES
        buckets = newest_buckets(*self.id_range())
        hits = f"SELECT e.kind AS kind, e.id AS id FROM {ENTRY_TABLE} e {from_sql} WHERE {where}"
        per_kind = "kind, COUNT(*), (array_agg(id ORDER BY id DESC))[1:%s]"
        if buckets is None:
            sql, sql_params = f"SELECT true, {per_kind} FROM ({hits} LIMIT %s) AS capped GROUP BY kind", [
                keep, *params, cap + 1]
        else:
            # The older ids' sample has room for every entry of the smaller kinds besides: the oldest
            # hits come first, and the plan's records are the oldest entries; without the room, a
            # common word's records left passages at or under the cap, and passages were counted
            # again over the whole table (20 of 200 queries at 10⁶ passages, 16-32 ms each).
            room = "(SELECT CASE WHEN COUNT(*) > %s THEN 0 ELSE %s - COUNT(*) END FROM newest)"
            older = f"{hits} AND e.vector @@ (q && !! CAST(%s AS tsquery)) LIMIT {room}"
            sql = (f"WITH newest AS ({hits} AND e.vector @@ CAST(%s AS tsquery) LIMIT %s), older AS ({older}) "
                   f"SELECT true, {per_kind} FROM newest GROUP BY kind UNION ALL "
                   f"SELECT false, {per_kind} FROM older GROUP BY kind")
            limit = cap + 1 + smaller_kinds(self.connection)
            sql_params = [*params, buckets[0], cap + 1, *params, buckets[0], cap, limit, keep, keep]
        rows = self.fetch(sql, sql_params, stops_early=True)
        counts, ids = {}, {}
        for _, kind, n, kind_ids in sorted(rows, key=lambda row: not row[0]):  # the newest buckets' first
            counts[kind] = counts.get(kind, 0) + n
            ids[kind] = ids.get(kind, []) + kind_ids
        if sum(counts.values()) <= cap:  # every hit
            return Counts(counts, newest=ids, kept=keep)
        in_newest = {kind: (n, kind_ids) for newer, kind, n, kind_ids in rows if newer}
        if buckets is None or sum(n for n, _ in in_newest.values()) > cap:
            return counts  # a sample cut short: the ids it kept are not the newest
        # Past the cap in the older ids, but the newest buckets were read whole: a kind with a pool's
        # worth of hits there has its newest ids among them.
        return Counts(counts, newest={k: kind_ids for k, (_, kind_ids) in in_newest.items() if len(kind_ids) >= keep},
                      kept=keep)

    def id_range(self) -> tuple[int, int]:
        """The entries' first and last ids (0, 0 when there are none): two ends of the primary key."""
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MIN(id), 0), COALESCE(MAX(id), 0) FROM {ENTRY_TABLE}")
            return cursor.fetchone()

    @staticmethod
    def past_the_cap(sample, counts):
        # The kinds whose newest ids the sample read keep them (``count_sample``).
        return Counts(counts, newest=sample.newest, kept=sample.kept) if isinstance(sample, Counts) else counts

    def search(self, query, *, kinds=(), source_id=None, order="relevance", limit=20, offset=0,
               counts=None, candidates=None):
        newest = getattr(counts, "newest", None)
        pool = max(candidates or 0, offset + limit)
        if (order == "relevance" and newest and candidates and pool <= counts.kept
                and self.index_kind() != "rum"):  # (RUM ranks every hit from its index)
            # The count kept the newest hits of some kinds (of every kind when it read every hit):
            # those are ranked (all of a kind's hits when it has no more than ``candidates``), the
            # same as ``candidate_plan`` ranks; the other kinds' candidates are found again.
            wanted = [k for k in (kinds or counts) if counts.get(k, 0) > 0]
            ids = [pk for kind in wanted for pk in newest.get(kind, [])[:pool]]
            others = [k for k in wanted if k not in newest]
            sql = (f"SELECT e.id, {RANK}(e.vector, CAST(%s AS tsquery)) AS score FROM {ENTRY_TABLE} e "
                   "WHERE e.id = ANY(%s) ORDER BY score DESC, e.id LIMIT %s OFFSET %s")
            if not others:
                return self.hits(sql, [self.tsquery(query), ids, limit, offset])
            hits = self.hits(sql, [self.tsquery(query), ids, offset + limit, 0]) + super().search(
                query, kinds=others, source_id=source_id, limit=offset + limit, counts=counts, candidates=candidates)
            return sorted(hits, key=lambda hit: (-hit.score, hit.id))[offset:offset + limit]
        if order != "relevance" or self.index_kind() != "rum":
            return super().search(query, kinds=kinds, source_id=source_id, order=order, limit=limit,
                                  offset=offset, counts=counts, candidates=candidates)
        # RUM: the index scan yields hits best first, computed from the positions it stores; the
        # table is read only for the rows it yields (filters, containment), until the page is full.
        # The query is a literal in the ORDER BY (not a joined value) so the planner uses the index.
        from_sql, where, _, params = self.where(query, kinds, source_id)
        sql = (f"SELECT e.id, e.vector <=> CAST(%s AS tsquery) AS distance FROM {ENTRY_TABLE} e {from_sql} "
               f"WHERE {where} ORDER BY e.vector <=> CAST(%s AS tsquery) LIMIT %s OFFSET %s")
        tsquery = self.tsquery(query)
        rows = self.fetch(sql, [tsquery, *params, tsquery, limit, offset])
        # The distance is 1/rank: the score is the rank, higher better like every backend's.
        return [Hit(id=pk, score=1 / d if 0 < d < float("inf") else 0.0) for pk, d in rows]

    def ranked_sql(self, query, kinds, source_id, bound, hits=None):
        """The ``bound`` most recent hits' ids first, then only those are ranked (each rank reads
        a vector stored out of line). How they are found depends on how dense the hits are in
        the table (``candidate_scan``): a very common term by walking the ids down from the
        newest, which stops after about bound × rows / hits rows; a sparser one from the
        index's bitmap of the newest buckets' hits, or of every hit, reading each one's row, as
        ``e.id + 0`` keeps the planner off the walk, which for a rare term reads most of the
        table (138 ms against 13 ms at 10⁵ passages)."""
        if bound is None:
            return super().ranked_sql(query, kinds, source_id, bound, hits)
        from_sql, where, _, params = self.where(query, kinds, source_id)
        buckets, scan = None, "bitmap"
        if hits is not None:
            first, last = self.id_range()
            hits, rows = self.hits_and_rows(query, hits)
            # The fewest newest buckets expected to hold half as many hits again as needed (at 10⁶
            # passages, 500 of a word in 6 % of the rows: the newest bucket's 1,100 hits read in
            # 1.6 ms, where the newest 2¹⁶ ids' 5,000 took 7 ms and the walk 20 ms); fewer there,
            # and every hit is read after them.
            span = last - first + 1
            buckets = newest_buckets(first, last, math.ceil(1.5 * bound * span / max(hits, 1)))
            # the newest buckets' rows as their share of the ids (a deleted entry's id is no row)
            newest = rows if buckets is None else buckets[1] * rows / span
            scan = candidate_scan(hits, rows, bound, newest)

        def most_recent(order, also=""):
            return f"SELECT e.id FROM {ENTRY_TABLE} e {from_sql} WHERE {where}{also} ORDER BY {order} LIMIT %s"

        if scan != "newest" or buckets is None:
            ids, ids_params = most_recent("e.id DESC" if scan == "walk" else "e.id + 0 DESC"), [*params, bound]
        else:  # the newest buckets' hits; the whole table's only when they are fewer than bound
            ids = (f"WITH in_buckets AS ({most_recent('e.id + 0 DESC', ' AND e.vector @@ CAST(%s AS tsquery)')}) "
                   "SELECT id FROM in_buckets WHERE (SELECT COUNT(*) FROM in_buckets) >= %s UNION ALL "
                   f"SELECT id FROM ({most_recent('e.id + 0 DESC')}) AS every "
                   "WHERE (SELECT COUNT(*) FROM in_buckets) < %s")
            ids_params = [*params, buckets[0], bound, bound, *params, bound, bound]
        sql = (f"SELECT c.id AS id, {RANK}(c.vector, CAST(%s AS tsquery)) AS score FROM ({ids}) AS ids "
               f"JOIN {ENTRY_TABLE} c ON c.id = ids.id")
        return sql, [self.tsquery(query), *ids_params]

    def hits_and_rows(self, query, hits):
        """(hits, rows in the table) to choose a plan by: a count past the cap says only that
        there are more, so the planner's estimate from the column's statistics stands in for it
        (one character at 10⁶ passages: 11,132 hits, 1 % of the rows; taken as dense by the
        capped count, its walk read 49,000 rows in 102 ms, its bitmap 11,132 in 19 ms). A word
        counted ahead has its exact count (``common_words.Exact``): no estimate (1 ms) is asked."""
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [ENTRY_TABLE])
            rows = cursor.fetchone()[0]  # -1 before the table's first ANALYZE
            if hits > settings.SEARCH_COUNT_CAP and not isinstance(hits, common_words.Exact):
                cursor.execute(f"EXPLAIN (FORMAT JSON) SELECT 1 FROM {ENTRY_TABLE} e "
                               "WHERE e.vector @@ CAST(%s AS tsquery)", [self.tsquery(query)])
                plan = cursor.fetchone()[0]  # psycopg hands a json column over parsed
                hits = max(hits, plan[0]["Plan"]["Plan Rows"])
        return hits, max(rows, hits)

    def fetch(self, sql, params, stops_early=False):
        """A query that stops early is planned without sequential scans. The planner prices
        ``vector @@ query`` as one cheap operator call per row, but each row's vector is
        stored out of line (TOAST): for a common term under a LIMIT it picks a scan of the
        table that stops after enough hits, reading thousands of vectors on the way (114 ms
        for a one-character count at 10⁵ passages), over the index's bitmap (13 ms). Off for
        this query only: in its own transaction, or reset in the caller's.

        With room for the bitmap (``SEARCH_WORK_MEM``): under the default 4 MB the bitmap of a
        common term's hits turns lossy, and every row of its lossy pages is read and checked
        again (a one-word capped count at 10⁶ passages: 94 ms, 55 ms with 32 MB).

        Three round trips: the settings (with BEGIN when the connection is in autocommit), the
        query, then COMMIT or the settings put back. With a Django transaction and one statement
        a setting it took five or six: ``SELECT 1`` so took 0.35 ms, now 0.21 (alone 0.07)."""
        if not stops_early:
            return super().fetch(sql, params)
        own = self.connection.get_autocommit()  # else the caller's transaction (atomic) holds it
        local = f"SET LOCAL enable_seqscan = off; SET LOCAL work_mem = {quote(settings.SEARCH_WORK_MEM)}"
        with self.connection.cursor() as cursor:
            cursor.execute(f"BEGIN; {local}" if own else local)  # no parameters: one message
            try:
                cursor.execute(sql, params)
                rows = cursor.fetchall()
            except BaseException:
                if own:
                    with contextlib.suppress(DatabaseError):  # (a lost connection: the error above stands)
                        cursor.execute("ROLLBACK")
                raise  # in the caller's transaction, its rollback undoes the settings
            cursor.execute("COMMIT" if own else "SET LOCAL enable_seqscan TO DEFAULT; SET LOCAL work_mem TO DEFAULT")
        return rows

    @staticmethod
    def encode(title, body):
        return tsvector_literal(title, body)

    def write(self, rows):
        if not rows:
            return
        with self.binding_cursor() as cursor:  # one statement per batch, not one per row
            cursor.execute(
                f"UPDATE {ENTRY_TABLE} e SET vector = CAST(v.vector AS tsvector) "
                "FROM unnest(%b::bigint[], %b::text[]) AS v(id, vector) WHERE e.id = v.id",
                [[entry.pk for entry, _ in rows], [stored_vector(entry, vector) for entry, vector in rows]],
            )

    def insert(self, model, entries, tokens):
        """New entries and their vectors streamed to the server (COPY), which stores rows while the
        next ones are made: ``tokens`` may be a generator (an import tokenises as it writes). One
        statement of arrays sent whole left the server idle while Python made them, then Python
        idle while the server stored them (the 31 reports' index writes, median of 8 loads:
        2.09 s -> 1.43 s). COPY returns no ids: they are drawn from the table's sequence first."""
        if not entries:
            return
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        # Values COPY takes as they are skip the field's conversion (3 s of a rebuild of 10⁵ passages).
        values = self.column_values(fields)
        table, pk = model._meta.db_table, model._meta.pk.column
        columns = ", ".join([pk, *(f.column for f in fields), "vector"])
        with self.connection.cursor() as cursor:
            # The sequence looked up once, not for each id (2,000 ids: 15 ms, 1.7 ms so).
            cursor.execute("WITH s AS MATERIALIZED (SELECT pg_get_serial_sequence(%s, %s)::regclass AS seq) "
                           "SELECT nextval(s.seq) FROM s, generate_series(1, %s)", [table, pk, len(entries)])
            ids = sorted(row[0] for row in cursor.fetchall())
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for entry, vector, entry_id in zip(entries, tokens, ids, strict=True):
                    entry.pk = entry_id  # in the order given (as bulk_create relies on)
                    entry._state.adding = False
                    copy.write_row([entry_id, *values(entry), stored_vector(entry, vector)])

    def binding_cursor(self):
        """A cursor that sends its parameters apart from the SQL, in binary where the SQL says %b.
        Django's cursors bind on the client: a batch's arrays (megabytes of text) were quoted
        into the statement in Python, and parsed out of it again by the server; sent as binary
        arrays they are copied as they are (an edit batch's vectors).
        Wrapped as Django wraps its own, so query logging and execute wrappers still see it."""
        self.connection.ensure_connection()
        return self.connection._prepare_cursor(psycopg.Cursor(self.connection.connection))

    @contextlib.contextmanager
    def deferred_maintenance(self):
        """A rebuild writes without the index and builds it once at the end (far faster than
        inserting every row's lexemes into it one by one), inside the rebuild's transaction."""
        with self.connection.cursor() as cursor:
            # The table's pending foreign key checks run now: its indexes may not change before.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"DROP INDEX IF EXISTS {GIN_INDEX}")
            cursor.execute(f"DROP INDEX IF EXISTS {RUM_INDEX}")
        yield
        with self.connection.schema_editor(atomic=False) as schema_editor:
            self.use_chosen_index(schema_editor)
        with self.connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            # Fresh statistics: the planner's choice between the index's ordered scan and a
            # bitmap of every hit depends on how common a word is (autovacuum would be late).
            cursor.execute(f"ANALYZE {ENTRY_TABLE}")
        self.count_common_words()

    def count_common_words(self) -> int:
        """The words in a tenth of the cap's entries or more counted ahead (``common_words``), from
        the vectors."""
        least = settings.SEARCH_COUNT_CAP // common_words.COUNTED_FROM
        return common_words.CommonWords(self.connection).recount(kind_labels(), least)

    def delete(self, ids):
        pass  # the vector lives in the entry's row and goes with it

    def clear(self):
        # TRUNCATE, not DELETE: the deleted rows stayed in the table until the rebuild committed,
        # and building the index read past all of them (2×10⁴ passages: its build 2.2 s against
        # 0.9 s on a table of the new rows alone); before, every vector was also set to NULL
        # first (0.39 s). Rolled back with the rebuild's transaction like a DELETE; pending
        # foreign key checks must run first (TRUNCATE refuses a table that has them).
        with self.connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {ENTRY_TABLE}")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        common_words.CommonWords(self.connection).clear()  # the rebuild's writes not followed one by one

    def tsquery(self, query) -> str:
        groups = []
        for group in self.alternatives(query):
            alts = ["(" + " & ".join(quote_lexeme(t) + (":*" if p else "") for t, p in alt) + ")" for alt in group]
            groups.append("(" + " | ".join(alts) + ")")
        return " & ".join(groups)

    def source_filter(self, source_id):
        # A second condition on the same vector: one GIN (or RUM) index scan answers both.
        return "e.vector @@ CAST(%s AS tsquery)", [source_lexeme(source_id)]

    def match_sql(self, query, kinds=(), source_id=None):
        return (
            ", CAST(%s AS tsquery) q",
            "e.vector @@ q",
            f"{RANK}(e.vector, q)",
            [self.tsquery(query)],
            False,
        )
