from dataclasses import dataclass

from ..query import Query
from ..text import is_latin_token, literal_tokens

ENTRY_TABLE = "search_searchentry"


def single_token(term: str) -> bool:
    return len(literal_tokens(term)) == 1


@dataclass
class Hit:
    id: int
    score: float


class SearchBackend:
    """Index tokens in, ranked candidate ids out. The shared part — verifying that every hit
    literally contains the query, filters, order, paging, counts — is SQL built here from
    the backend's match and rank expressions; user text only ever travels as parameters."""

    def __init__(self, connection):
        self.connection = connection

    # -- schema ------------------------------------------------------------------------------
    def create_index(self, schema_editor):
        raise NotImplementedError

    def drop_index(self, schema_editor):
        raise NotImplementedError

    # -- writing -----------------------------------------------------------------------------
    def write(self, rows: list[tuple["SearchEntry", list[str], list[str]]]):  # noqa: F821 (a hint; importing the model would loop)
        """rows: (saved entry, title tokens, body tokens); replaces what was indexed for them."""
        raise NotImplementedError

    def delete(self, ids: list[int]):
        raise NotImplementedError

    def clear(self):
        raise NotImplementedError

    # -- reading -----------------------------------------------------------------------------
    def match_sql(self, query: Query) -> tuple[str, str, str, list]:
        """(FROM addition, WHERE condition, score expression, params) for the index match."""
        raise NotImplementedError

    contains_sql = "instr(e.normalised, %s) > 0"

    @staticmethod
    def needs_entry_row(query: Query, order: str) -> bool:
        """Whether the entry table must be read: to check containment of literals longer than
        one token, to exclude, or to order by date. Otherwise the index alone answers."""
        return (
            order != "relevance" or bool(query.excluded)
            or not all(single_token(term) for group in query.groups for term in group)
        )

    def where(self, query: Query, kinds, source_id):
        from_sql, match, score, params = self.match_sql(query)
        conditions = [match]
        for group in query.groups:
            # A literal indexed as one token (1–2 Chinese characters, one Latin/digit run) is
            # contained in every text the index matches: only longer ones need checking.
            if all(single_token(term) for term in group):
                continue
            conditions.append("(" + " OR ".join([self.contains_sql] * len(group)) + ")")
            params += group
        for term in query.excluded:
            conditions.append(f"NOT ({self.contains_sql})")
            params.append(term)
        if kinds:
            conditions.append("e.kind IN (" + ", ".join(["%s"] * len(kinds)) + ")")
            params += list(kinds)
        if source_id is not None:
            conditions.append("e.source_id = %s")
            params.append(source_id)
        return from_sql, " AND ".join(conditions), score, params

    def search(self, query: Query, *, kinds=(), source_id=None, order="relevance", limit=20, offset=0):
        from_sql, where, score, params = self.where(query, kinds, source_id)
        order_sql = "score DESC, e.id" if order == "relevance" else "e.date IS NULL, e.date DESC, score DESC, e.id"
        sql = (
            f"SELECT e.id, {score} AS score FROM {ENTRY_TABLE} e {from_sql} "
            f"WHERE {where} ORDER BY {order_sql} LIMIT %s OFFSET %s"
        )
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [*params, limit, offset])
            return [Hit(id=row[0], score=float(row[1])) for row in cursor.fetchall()]

    def counts(self, query: Query, *, source_id=None) -> dict[str, int]:
        from_sql, where, _, params = self.where(query, (), source_id)
        sql = f"SELECT e.kind, COUNT(*) FROM {ENTRY_TABLE} e {from_sql} WHERE {where} GROUP BY e.kind"
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return dict(cursor.fetchall())

    @staticmethod
    def alternatives(query: Query) -> list[list[list[tuple[str, bool]]]]:
        """Per group, per alternative: its (token, is_prefix) list. Latin/digit runs match
        as prefixes (s3 finds s33); Chinese tokens exactly."""
        return [
            [[(tok, is_latin_token(tok)) for tok in dict.fromkeys(literal_tokens(term))] for term in group]
            for group in query.groups
        ]
