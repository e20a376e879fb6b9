"""SQLite: an FTS5 table (unicode61 over our own space-joined tokens), ranked by bm25().

A third column, ``facets``, indexes each entry's kind and every source it is evidenced in as
tokens (kpassage s12 s15), so a query that needs no containment check is filtered, counted and
ranked from the index alone: no row of the entries (nor of the FTS content) is read per hit."""

import contextlib

from django.conf import settings

from ..index import kind_labels
from ..query import Query
from ..rank import bm25, idf
from ..text import is_han_run, literal_tokens
from .base import ENTRY_TABLE, Hit, SearchBackend, single_token
from .sizes import kind_sizes

FTS_TABLE = "search_fts"
TITLE_WEIGHT, BODY_WEIGHT = 10.0, 1.0


def facets(kind: str, source_ids) -> str:
    """The facet tokens of an entry: its kind, and one token per source it is evidenced in."""
    return " ".join([f"k{kind}", *(f"s{int(i)}" for i in source_ids)])


def fts_phrase(token: str, prefix: bool) -> str:
    # Tokens are letters/digits/CJK only, but quote them anyway: FTS5 syntax never leaks.
    return '"' + token.replace('"', '""') + '"' + ("*" if prefix else "")


class SQLiteBackend(SearchBackend):
    def create_index(self, schema_editor):  # or a cursor: only its execute() is used
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
            "title, body, facets, "
            "tokenize = \"unicode61 remove_diacritics 0 tokenchars '-'\")"
        )

        # The index row goes whenever its entry does, however that happens: a delete through the
        # ORM, a cascade, a test database flush. (The facets follow the entry's source_ids, which
        # only ``write`` changes. A deleted source's SET_NULL of the shown source leaves its token
        # until the records that cited its passages are re-indexed, in the same delete, when the
        # passages go: apps/kb/signals.py.)
        schema_editor.execute(
            f"CREATE TRIGGER IF NOT EXISTS search_fts_entry_deleted AFTER DELETE ON {ENTRY_TABLE} "
            f"BEGIN DELETE FROM {FTS_TABLE} WHERE rowid = old.id; END"
        )

    def drop_index(self, schema_editor):
        schema_editor.execute("DROP TRIGGER IF EXISTS search_fts_entry_deleted")
        schema_editor.execute("DROP TRIGGER IF EXISTS search_fts_entry_source")  # before migration 0006
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")

    @staticmethod
    def encode(title, body):
        return " ".join(title), " ".join(body)

    # Rows an INSERT statement carries (SQLite 3.35, which RETURNING needs, takes 32,766 parameters;
    # an entry has 10).
    INSERT_ROWS = 500

    def insert(self, model, entries, tokens):
        """New entries in statements of INSERT_ROWS rows, their values taken as the columns store
        them, then their index rows. ``bulk_create`` compiled every value through the ORM, 99 rows
        a statement (a rebuild of 10⁵ passages: 6.6 s of its 20, profiled). The new ids come back
        with each entry's kind and record id, so they are matched by key, not by the order of
        the returned rows (which SQLite does not promise)."""
        if not self.connection.features.can_return_rows_from_bulk_insert:  # SQLite before 3.35
            return super().insert(model, entries, tokens)
        if not entries:
            return
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        values = self.column_values(fields)
        columns = ", ".join(self.connection.ops.quote_name(f.column) for f in fields)
        row = "(" + ", ".join(["%s"] * len(fields)) + ")"
        with self.connection.cursor() as cursor:
            for start in range(0, len(entries), self.INSERT_ROWS):
                chunk = entries[start:start + self.INSERT_ROWS]
                cursor.execute(
                    f"INSERT INTO {ENTRY_TABLE} ({columns}) VALUES {', '.join([row] * len(chunk))} "
                    "RETURNING id, kind, object_id", [v for entry in chunk for v in values(entry)])
                ids = {(kind, object_id): pk for pk, kind, object_id in cursor.fetchall()}
                for entry in chunk:
                    entry.pk = ids[entry.kind, entry.object_id]
                    entry._state.adding = False
        self.write(list(zip(entries, tokens, strict=True)))

    def write(self, rows):
        with self.connection.cursor() as cursor:
            cursor.executemany(  # FTS5 replaces the row with the same rowid
                f"INSERT OR REPLACE INTO {FTS_TABLE} (rowid, title, body, facets) VALUES (%s, %s, %s, %s)",
                [(e.pk, title, body, facets(e.kind, e.source_ids)) for e, (title, body) in rows],
            )

    def delete(self, ids):
        pass  # the trigger on the entry table does it

    @contextlib.contextmanager
    def deferred_maintenance(self):
        """The rebuilt index merged into one segment at the end. FTS5 writes a new segment each
        time its pending terms fill up, and a query reads a term from every segment it is in:
        merged, the counts of the benchmark's queries at 10⁵ passages took 1.5 ms, not 3.2
        (p50; merging took 2.3 s, a sixth of the rebuild)."""
        yield
        with self.connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')")

    def clear(self):
        # Dropped and made again: FTS5 deletes row by row (reading each row's tokens to remove
        # them), which costs a rebuild more than writing the index does. The entries are
        # deleted while the trigger is gone, so SQLite empties the table whole, not row by row.
        with self.connection.cursor() as cursor:  # plain statements (no schema editor inside a transaction)
            self.drop_index(cursor)
            cursor.execute(f"DELETE FROM {ENTRY_TABLE}")
            self.create_index(cursor)

    def exact_in_index(self, literal):
        # FTS5 keeps every position: a Chinese literal is matched as the phrase of its bigrams.
        return single_token(literal) or is_han_run(literal)

    def match_expression(self, query) -> str:
        groups = []
        for group, terms in zip(self.alternatives(query), query.groups, strict=True):
            alts = []
            for term, alt in zip(terms, group, strict=True):
                if is_han_run(term) and len(term) > 2:  # its bigrams in order, repeats kept (发展发展)
                    alts.append(" + ".join(fts_phrase(t, False) for t in literal_tokens(term)))
                else:
                    alts.append("(" + " AND ".join(fts_phrase(t, p) for t, p in alt) + ")")
            groups.append("(" + " OR ".join(alts) + ")")
        # Only title and body: a query must never match the facet tokens.
        return "{title body} : (" + " AND ".join(groups) + ")"

    SCORE = f"-bm25({FTS_TABLE}, {TITLE_WEIGHT}, {BODY_WEIGHT}, 0.0)"

    def index_only_where(self, query, kinds, source_id):
        expression = self.match_expression(query)
        if kinds:
            expression = self.of_kinds(expression, kinds)
        if source_id is not None:
            expression += f' AND facets : "s{int(source_id)}"'
        return f"{FTS_TABLE} MATCH %s", [expression]

    def of_kinds(self, expression, kinds) -> str:
        """``expression`` kept to ``kinds``: with their facet tokens, or, when they hold most entries
        (as passages do), without every other kind's. FTS5 walks a facet token's posting list
        beside the query's, as far as the hits go, and the other kinds' lists are short: the
        benchmark's queries at 10⁵ passages found their candidates in 0.35 ms, not 1.05, and
        counted their hits in 0.40 ms, not 1.04. Every entry has one kind token, so both say the
        same; the kinds' sizes only choose between them."""
        sizes = kind_sizes(self.connection)
        others = [k for k in kind_labels() if k not in kinds]  # (no entry is of another kind)
        if not others:
            return expression
        if sum(sizes.get(k, 0) for k in kinds) > sum(sizes.get(k, 0) for k in others):
            return f"({expression}) NOT facets : (" + " OR ".join(f'"k{k}"' for k in others) + ")"
        return f"({expression}) AND facets : (" + " OR ".join(f'"k{k}"' for k in kinds) + ")"

    # FTS5 walks its hits by rowid (= the entry's id), newest first at no cost.
    recency_sql = f"{FTS_TABLE}.rowid DESC"

    def search(self, query, *, kinds=(), source_id=None, order="relevance", limit=20, offset=0,
               counts=None, candidates=None):
        if order == "relevance" and counts is not None and candidates:
            return self.rank_candidates(query, kinds, source_id, limit, offset, counts, candidates)
        if self.needs_entry_row(query, order):  # by date, or with nothing counted (the admin's box)
            return super().search(query, kinds=kinds, source_id=source_id, order=order, limit=limit,
                                  offset=offset, counts=counts, candidates=candidates)
        where, params = self.index_only_where(query, kinds, source_id)
        sql = (f"SELECT rowid, {self.SCORE} AS score FROM {FTS_TABLE} WHERE {where} "
               "ORDER BY score DESC, rowid LIMIT %s OFFSET %s")
        return self.hits(sql, [*params, limit, offset])

    def rank_candidates(self, query, kinds, source_id, limit, offset, counts, candidates):
        """The page from each kind's most recent hits (all of them for a kind with no more hits
        than the pool), ranked in Python (rank.py) instead of by bm25(), whose IDF walked each
        query phrase's whole posting list (at 10⁶ passages most of a search's time). The ids
        come from the index and the texts in the same query, one round trip."""
        wanted = [k for k in (kinds or counts) if counts.get(k, 0) > 0]
        if not wanted:
            return []
        pool = max(candidates, offset + limit)
        parts, params = [], []
        for kind in wanted:
            sql, part_params = self.candidates_sql(query, kind, source_id, pool)
            parts.append(f"SELECT id FROM ({sql})")
            params += part_params
        texts = dict(self.fetch(
            f"SELECT e.id, e.normalised FROM {ENTRY_TABLE} e WHERE e.id IN ({' UNION ALL '.join(parts)})", params))
        scores = bm25(texts, query.groups, self.group_weights(query), TITLE_WEIGHT, BODY_WEIGHT)
        ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
        return [Hit(id=pk, score=score) for pk, score in ranked[offset:offset + limit]]

    def candidates_sql(self, query, kind, source_id, bound):
        """The ids of a kind's ``bound`` most recent hits, from the index alone when it can."""
        if self.needs_entry_row(query, "relevance"):
            from_sql, where, _, params = self.where(query, [kind], source_id)
            return (f"SELECT e.id AS id FROM {ENTRY_TABLE} e {from_sql} WHERE {where} "
                    f"ORDER BY {self.recency_sql} LIMIT %s", [*params, bound])
        where, params = self.index_only_where(query, [kind], source_id)
        return f"SELECT rowid AS id FROM {FTS_TABLE} WHERE {where} ORDER BY rowid DESC LIMIT %s", [*params, bound]

    def group_weights(self, query):
        """Each group's IDF: none needed for one group (it scales every score alike); for more,
        from the group's hits counted up to the cap (a very common word weighs as little as any
        other past it) over the number of entries."""
        if len(query.groups) == 1:
            return [1.0]
        cap = settings.SEARCH_COUNT_CAP
        # The number of entries as the largest id (deleted ones counted: close enough for a weight).
        rows = self.count_rows(f"SELECT COALESCE(MAX(rowid), 0) FROM {FTS_TABLE}", [], single=True)
        weights = []
        for group in query.groups:
            where, params = self.index_only_where(Query(groups=[group]), (), None)
            hits = self.count_rows(f"SELECT COUNT(*) FROM (SELECT 1 FROM {FTS_TABLE} WHERE {where} LIMIT %s)",
                                   [*params, cap + 1], single=True)
            weights.append(idf(max(rows, hits), hits))
        return weights

    def counts(self, query, *, source_id=None, cap=None, kinds=()):
        if self.needs_entry_row(query, "relevance"):
            return super().counts(query, source_id=source_id, cap=cap, kinds=kinds)
        # One count(*) per kind, each read from the index only, all in one statement (one round
        # trip rather than one per kind).
        kinds = list(kinds or kind_labels())
        parts, params = [], []
        for kind in kinds:
            where, kind_params = self.index_only_where(query, [kind], source_id)
            if cap is None:
                parts.append(f"(SELECT COUNT(*) FROM {FTS_TABLE} WHERE {where})")
            else:
                parts.append(f"(SELECT COUNT(*) FROM (SELECT 1 FROM {FTS_TABLE} WHERE {where} LIMIT %s))")
                kind_params = [*kind_params, cap + 1]
            params += kind_params
        row = self.fetch("SELECT " + ", ".join(parts), params)[0]
        return {kind: n for kind, n in zip(kinds, row, strict=True) if n}

    def match_sql(self, query, kinds=(), source_id=None):
        # Kind and source are facet tokens in the index: filtered there, not row by row.
        where, params = self.index_only_where(query, kinds, source_id)
        return (
            f"JOIN {FTS_TABLE} ON {FTS_TABLE}.rowid = e.id",
            where,
            self.SCORE,  # bm25 is lower-is-better; negated so every backend sorts score DESC
            params,
            True,
        )
