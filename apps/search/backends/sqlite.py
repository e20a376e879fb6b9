"""SQLite: an FTS5 table (unicode61 over our own space-joined tokens), ranked by bm25().

A third column, ``facets``, indexes each entry's kind and source as tokens (kpassage, s12),
so a query that needs no containment check is filtered, counted and ranked from the index
alone: no row of the entries (nor of the FTS content) is read per hit."""

from ..index import kind_labels
from .base import ENTRY_TABLE, SearchBackend

FTS_TABLE = "search_fts"
TITLE_WEIGHT, BODY_WEIGHT = 10.0, 1.0


FACETS_SQL = "'k' || new.kind || coalesce(' s' || new.source_id, '')"


def facets(kind: str, source_id: int | None) -> str:
    return f"k{kind}" + (f" s{source_id}" if source_id is not None else "")


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

        # The index row goes (or follows) whenever its entry does, however that happens:
        # a delete through the ORM, a cascade, SET_NULL of the source, a test database flush.
        schema_editor.execute(
            f"CREATE TRIGGER IF NOT EXISTS search_fts_entry_deleted AFTER DELETE ON {ENTRY_TABLE} "
            f"BEGIN DELETE FROM {FTS_TABLE} WHERE rowid = old.id; END"
        )
        schema_editor.execute(
            f"CREATE TRIGGER IF NOT EXISTS search_fts_entry_source AFTER UPDATE OF source_id ON {ENTRY_TABLE} "
            f"BEGIN UPDATE {FTS_TABLE} SET facets = {FACETS_SQL} WHERE rowid = new.id; END"
        )

    def drop_index(self, schema_editor):
        schema_editor.execute("DROP TRIGGER IF EXISTS search_fts_entry_deleted")
        schema_editor.execute("DROP TRIGGER IF EXISTS search_fts_entry_source")
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")

    @staticmethod
    def encode(title, body):
        return " ".join(title), " ".join(body)

    def write(self, rows):
        with self.connection.cursor() as cursor:
            cursor.executemany(  # FTS5 replaces the row with the same rowid
                f"INSERT OR REPLACE INTO {FTS_TABLE} (rowid, title, body, facets) VALUES (%s, %s, %s, %s)",
                [(e.pk, title, body, facets(e.kind, e.source_id)) for e, (title, body) in rows],
            )

    def delete(self, ids):
        pass  # the trigger on the entry table does it

    def clear(self):
        # Dropped and made again: FTS5 deletes row by row (reading each row's tokens to remove
        # them), which costs a rebuild more than writing the index does.
        with self.connection.cursor() as cursor:  # plain statements (no schema editor inside a transaction)
            self.drop_index(cursor)
            self.create_index(cursor)

    def match_expression(self, query) -> str:
        groups = []
        for group in self.alternatives(query):
            alts = ["(" + " AND ".join(fts_phrase(t, p) for t, p in alt) + ")" for alt in group]
            groups.append("(" + " OR ".join(alts) + ")")
        # Only title and body: a query must never match the facet tokens.
        return "{title body} : (" + " AND ".join(groups) + ")"

    SCORE = f"-bm25({FTS_TABLE}, {TITLE_WEIGHT}, {BODY_WEIGHT}, 0.0)"

    def index_only_where(self, query, kinds, source_id):
        expression = self.match_expression(query)
        if kinds:
            expression += " AND facets : (" + " OR ".join(f'"k{k}"' for k in kinds) + ")"
        if source_id is not None:
            expression += f' AND facets : "s{int(source_id)}"'
        return f"{FTS_TABLE} MATCH %s", [expression]

    # FTS5 walks its hits by rowid (= the entry's id), newest first at no cost.
    recency_sql = f"{FTS_TABLE}.rowid DESC"

    def search(self, query, *, kinds=(), source_id=None, order="relevance", limit=20, offset=0,
               counts=None, candidates=None):
        if self.needs_entry_row(query, order) or self.candidate_plan(
                kinds, order, limit, offset, counts, candidates) is not None:
            return super().search(query, kinds=kinds, source_id=source_id, order=order, limit=limit,
                                  offset=offset, counts=counts, candidates=candidates)
        where, params = self.index_only_where(query, kinds, source_id)
        sql = (f"SELECT rowid, {self.SCORE} AS score FROM {FTS_TABLE} WHERE {where} "
               "ORDER BY score DESC, rowid LIMIT %s OFFSET %s")
        return self.hits(sql, [*params, limit, offset])

    def ranked_sql(self, query, kinds, source_id, bound):
        if self.needs_entry_row(query, "relevance"):
            return super().ranked_sql(query, kinds, source_id, bound)
        where, params = self.index_only_where(query, kinds, source_id)  # the index alone answers
        sql = f"SELECT rowid AS id, {self.SCORE} AS score FROM {FTS_TABLE} WHERE {where}"
        if bound is not None:
            sql += " ORDER BY rowid DESC LIMIT %s"
            params = [*params, bound]
        return sql, params

    def counts(self, query, *, source_id=None, cap=None, kinds=()):
        if self.needs_entry_row(query, "relevance"):
            return super().counts(query, source_id=source_id, cap=cap, kinds=kinds)
        counts = {}
        for kind in kinds or kind_labels():  # one count(*) per kind reads only the index
            where, params = self.index_only_where(query, [kind], source_id)
            if cap is None:
                sql = f"SELECT COUNT(*) FROM {FTS_TABLE} WHERE {where}"
            else:
                sql = f"SELECT COUNT(*) FROM (SELECT 1 FROM {FTS_TABLE} WHERE {where} LIMIT %s)"
                params = [*params, cap + 1]
            n = self.count_rows(sql, params, single=True)
            if n:
                counts[kind] = n
        return counts

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
