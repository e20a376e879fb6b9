"""PostgreSQL: a tsvector column with a GIN index, ranked by ts_rank_cd; title weight A,
body B. The vector is written as a tsvector literal of our own tokens (jieba words, CJK
characters and bigrams), and queries are tsquery literals: no text search parser or
dictionary touches Chinese, so nothing depends on the database's locale or extensions."""

from collections import defaultdict

from .base import ENTRY_TABLE, SearchBackend

MAX_POSITION = 16383  # PostgreSQL's limit for a lexeme position


def quote_lexeme(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(title: list[str], body: list[str]) -> str:
    positions: dict[str, list[str]] = defaultdict(list)
    for weight, tokens, offset in (("A", title, 1), ("B", body, len(title) + 1)):
        for i, token in enumerate(tokens):
            pos = min(offset + i, MAX_POSITION)
            if len(positions[token]) < 256:  # PostgreSQL keeps at most 256 positions a lexeme
                positions[token].append(f"{pos}{weight}")
    return " ".join(f"{quote_lexeme(tok)}:{','.join(pos)}" for tok, pos in positions.items())


class PostgresBackend(SearchBackend):
    contains_sql = "strpos(e.normalised, %s) > 0"

    def create_index(self, schema_editor):
        schema_editor.execute(f"ALTER TABLE {ENTRY_TABLE} ADD COLUMN IF NOT EXISTS vector tsvector")
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS search_entry_vector_gin ON {ENTRY_TABLE} USING gin (vector)"
        )

    def drop_index(self, schema_editor):
        schema_editor.execute("DROP INDEX IF EXISTS search_entry_vector_gin")
        schema_editor.execute(f"ALTER TABLE {ENTRY_TABLE} DROP COLUMN IF EXISTS vector")

    def write(self, rows):
        with self.connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {ENTRY_TABLE} SET vector = %s::tsvector WHERE id = %s",
                [(tsvector_literal(title, body), entry.pk) for entry, title, body in rows],
            )

    def delete(self, ids):
        pass  # the vector lives in the entry's row and goes with it

    def clear(self):
        with self.connection.cursor() as cursor:
            cursor.execute(f"UPDATE {ENTRY_TABLE} SET vector = NULL")

    def tsquery(self, query) -> str:
        groups = []
        for group in self.alternatives(query):
            alts = ["(" + " & ".join(quote_lexeme(t) + (":*" if p else "") for t, p in alt) + ")" for alt in group]
            groups.append("(" + " | ".join(alts) + ")")
        return " & ".join(groups)

    def match_sql(self, query):
        return (
            ", CAST(%s AS tsquery) q",
            "e.vector @@ q",
            "ts_rank_cd(e.vector, q)",
            [self.tsquery(query)],
        )
