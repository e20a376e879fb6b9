"""SQLite: an FTS5 table (unicode61 over our own space-joined tokens), ranked by bm25().

The table also carries each entry's kind and source (UNINDEXED columns), so a query that
needs no containment check is answered from the index alone, without joining the entries:
at 10^5 passages that makes counting a common word's hits about ten times cheaper."""

from .base import ENTRY_TABLE, Hit, SearchBackend

FTS_TABLE = "search_fts"
TITLE_WEIGHT, BODY_WEIGHT = 10.0, 1.0


def fts_phrase(token: str, prefix: bool) -> str:
    # Tokens are letters/digits/CJK only, but quote them anyway: FTS5 syntax never leaks.
    return '"' + token.replace('"', '""') + '"' + ("*" if prefix else "")


class SQLiteBackend(SearchBackend):
    def create_index(self, schema_editor):
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
            "title, body, kind UNINDEXED, source_id UNINDEXED, "
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
            f"BEGIN UPDATE {FTS_TABLE} SET source_id = new.source_id WHERE rowid = new.id; END"
        )

    def drop_index(self, schema_editor):
        schema_editor.execute("DROP TRIGGER IF EXISTS search_fts_entry_deleted")
        schema_editor.execute("DROP TRIGGER IF EXISTS search_fts_entry_source")
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")

    def write(self, rows):
        with self.connection.cursor() as cursor:
            cursor.executemany(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [(r[0].pk,) for r in rows])
            cursor.executemany(
                f"INSERT INTO {FTS_TABLE} (rowid, title, body, kind, source_id) VALUES (%s, %s, %s, %s, %s)",
                [(e.pk, " ".join(title), " ".join(body), e.kind, e.source_id) for e, title, body in rows],
            )

    def delete(self, ids):
        pass  # the trigger on the entry table does it

    def clear(self):
        with self.connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE}")

    def match_expression(self, query) -> str:
        groups = []
        for group in self.alternatives(query):
            alts = ["(" + " AND ".join(fts_phrase(t, p) for t, p in alt) + ")" for alt in group]
            groups.append("(" + " OR ".join(alts) + ")")
        return " AND ".join(groups)

    SCORE = f"-bm25({FTS_TABLE}, {TITLE_WEIGHT}, {BODY_WEIGHT})"

    def index_only_where(self, query, kinds, source_id):
        conditions, params = [f"{FTS_TABLE} MATCH %s"], [self.match_expression(query)]
        if kinds:
            conditions.append("kind IN (" + ", ".join(["%s"] * len(kinds)) + ")")
            params += list(kinds)
        if source_id is not None:
            conditions.append("source_id = %s")
            params.append(source_id)
        return " AND ".join(conditions), params

    def search(self, query, *, kinds=(), source_id=None, order="relevance", limit=20, offset=0):
        if self.needs_entry_row(query, order):
            return super().search(query, kinds=kinds, source_id=source_id, order=order, limit=limit, offset=offset)
        where, params = self.index_only_where(query, kinds, source_id)
        sql = (f"SELECT rowid, {self.SCORE} AS score FROM {FTS_TABLE} WHERE {where} "
               "ORDER BY score DESC, rowid LIMIT %s OFFSET %s")
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params + [limit, offset])
            return [Hit(id=row[0], score=float(row[1])) for row in cursor.fetchall()]

    def counts(self, query, *, source_id=None):
        if self.needs_entry_row(query, "relevance"):
            return super().counts(query, source_id=source_id)
        where, params = self.index_only_where(query, (), source_id)
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT kind, COUNT(*) FROM {FTS_TABLE} WHERE {where} GROUP BY kind", params)
            return dict(cursor.fetchall())

    def match_sql(self, query):
        return (
            f"JOIN {FTS_TABLE} ON {FTS_TABLE}.rowid = e.id",
            f"{FTS_TABLE} MATCH %s",
            self.SCORE,  # bm25 is lower-is-better; negated so every backend sorts score DESC
            [self.match_expression(query)],
        )


