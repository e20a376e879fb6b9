"""SQLite: an FTS5 table (unicode61 over our own space-joined tokens), ranked by bm25()."""

from .base import SearchBackend

FTS_TABLE = "search_fts"
TITLE_WEIGHT, BODY_WEIGHT = 10.0, 1.0


def fts_phrase(token: str, prefix: bool) -> str:
    # Tokens are letters/digits/CJK only, but quote them anyway: FTS5 syntax never leaks.
    return '"' + token.replace('"', '""') + '"' + ("*" if prefix else "")


class SQLiteBackend(SearchBackend):
    def create_index(self, schema_editor):
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
            "title, body, tokenize = \"unicode61 remove_diacritics 0 tokenchars '-'\")"
        )

    def drop_index(self, schema_editor):
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")

    def write(self, rows):
        with self.connection.cursor() as cursor:
            cursor.executemany(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [(r[0],) for r in rows])
            cursor.executemany(
                f"INSERT INTO {FTS_TABLE} (rowid, title, body) VALUES (%s, %s, %s)",
                [(entry_id, " ".join(title), " ".join(body)) for entry_id, title, body in rows],
            )

    def delete(self, ids):
        with self.connection.cursor() as cursor:
            cursor.executemany(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [(i,) for i in ids])

    def clear(self):
        with self.connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE}")

    def match_expression(self, query) -> str:
        groups = []
        for group in self.alternatives(query):
            alts = ["(" + " AND ".join(fts_phrase(t, p) for t, p in alt) + ")" for alt in group]
            groups.append("(" + " OR ".join(alts) + ")")
        return " AND ".join(groups)

    def match_sql(self, query):
        return (
            f"JOIN {FTS_TABLE} ON {FTS_TABLE}.rowid = e.id",
            f"{FTS_TABLE} MATCH %s",
            # bm25 is lower-is-better; negate so every backend sorts score DESC.
            f"-bm25({FTS_TABLE}, {TITLE_WEIGHT}, {BODY_WEIGHT})",
            [self.match_expression(query)],
        )


