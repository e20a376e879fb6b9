import contextlib
import functools
import json
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

    def deferred_maintenance(self):
        """A context in which a rebuild writes every row; the index is brought up to date at its
        end, once, rather than row by row (nothing to defer by default)."""
        return contextlib.nullcontext()

    def prepare_rebuild(self):
        """Before a rebuild: switch to the best index the database now offers (nothing by default)."""

    # -- writing -----------------------------------------------------------------------------
    @staticmethod
    def encode(title: list[str], body: list[str]):
        """Title and body tokens as ``write`` stores them (pure: worker processes run it, and
        send back this, far smaller to pass between processes than the token lists)."""
        raise NotImplementedError

    def write(self, rows: list[tuple["SearchEntry", object]]):  # noqa: F821 (a hint; importing the model would loop)
        """rows: (saved entry, its ``encode``d tokens); replaces what was indexed for them."""
        raise NotImplementedError

    def insert(self, model, entries, tokens):
        """New entries and their ``encode``d tokens (an iterable in the same order, which may make
        them as it goes): creates the entries (setting their ids) and their index rows."""
        if entries:
            model.objects.bulk_create(entries)  # both backends return the new ids
            self.write(list(zip(entries, tokens, strict=True)))

    # Fields whose values the driver takes as they are (str, int, None): written without the
    # field's conversion, which a bulk write of 10⁵ entries spent seconds in.
    plain_fields = frozenset({"CharField", "TextField", "BigIntegerField", "IntegerField", "ForeignKey"})

    # Fields whose values a function of the value alone converts, faster than the field does:
    # JSON as text (None stays NULL, as the field has it), which SQLite stores and PostgreSQL's
    # COPY reads for a jsonb column; the entry's JSON field has no encoder of its own. Django wraps
    # each value for psycopg to dump: 10 µs against 3.6 µs a value, on 10⁵ passages a second.
    direct_fields = {"JSONField": lambda value: None if value is None else json.dumps(value)}

    def column_values(self, fields):
        """A function giving an entry's values for ``fields`` as the database stores them."""
        connection = self.connection

        def converter(field):
            kind = field.get_internal_type()
            if kind in self.plain_fields:
                return None
            return self.direct_fields.get(kind) or functools.partial(field.get_db_prep_save, connection=connection)

        pairs = [(f.attname, converter(f)) for f in fields]

        def values(entry):
            return [getattr(entry, name) if c is None else c(getattr(entry, name)) for name, c in pairs]
        return values

    def delete(self, ids: list[int]):
        raise NotImplementedError

    def count_common_words(self) -> int | None:
        """Count the hits of the most common words ahead, where the backend keeps such counts
        (PostgreSQL: ``common_words``); how many words, or None where it keeps none."""
        return None

    def clear(self):
        """Remove every entry and everything the index holds (a rebuild's start)."""
        raise NotImplementedError

    # -- reading -----------------------------------------------------------------------------
    def match_sql(self, query: Query, kinds=(), source_id=None) -> tuple[str, str, str, list, bool]:
        """(FROM addition, WHERE condition, score expression, params, whether the condition
        already keeps only ``kinds`` and ``source_id``) for the index match."""
        raise NotImplementedError

    contains_sql = "instr(e.normalised, %s) > 0"

    def source_filter(self, source_id) -> tuple[str, list]:
        """(condition, params) keeping the entries evidenced in ``source_id`` (any of their
        ``source_ids``, not only the shown one), answered by the index: the backend indexes
        the source ids as tokens no query can match."""
        raise NotImplementedError

    def exact_in_index(self, literal: str) -> bool:
        """Whether the index match alone finds exactly the texts containing ``literal``: a
        literal of one token (1–2 Chinese characters, one Latin/digit run) is contained in every
        text the index matches; a longer one is checked against the text."""
        return single_token(literal)

    def needs_entry_row(self, query: Query, order: str) -> bool:
        """Whether the entry table must be read: to check containment of literals the index
        does not match exactly, to exclude, or to order by date. Otherwise the index alone answers."""
        return (
            order != "relevance" or bool(query.excluded)
            or not all(self.exact_in_index(term) for group in query.groups for term in group)
        )

    def where(self, query: Query, kinds, source_id):
        from_sql, match, score, params, filtered = self.match_sql(query, kinds, source_id)
        if filtered:
            kinds, source_id = (), None
        conditions = [match]
        for group in query.groups:
            if all(self.exact_in_index(term) for term in group):
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
            condition, source_params = self.source_filter(source_id)
            conditions.append(condition)
            params += source_params
        return from_sql, " AND ".join(conditions), score, params

    # The order of "most recent first" among the hits, which the index can give without scoring.
    recency_sql = "e.id DESC"

    def search(self, query: Query, *, kinds=(), source_id=None, order="relevance", limit=20, offset=0,
               counts=None, candidates=None):
        """The page of hits, best first. With ``counts`` (each kind's hits, as ``counts`` gives
        them) and ``candidates``, a kind with more hits than the page needs and ``candidates``
        is ranked within its most recent ones, so a very common term never scores every hit;
        a kind with fewer is ranked whole (exactly as without the bound)."""
        plan = self.candidate_plan(kinds, order, limit, offset, counts, candidates)
        if plan is None:
            from_sql, where, score, params = self.where(query, kinds, source_id)
            order_sql = "score DESC, e.id" if order == "relevance" else "e.date IS NULL, e.date DESC, score DESC, e.id"
            sql = (
                f"SELECT e.id, {score} AS score FROM {ENTRY_TABLE} e {from_sql} "
                f"WHERE {where} ORDER BY {order_sql} LIMIT %s OFFSET %s"
            )
            return self.hits(sql, [*params, limit, offset])
        parts, params = [], []
        for part_kinds, bound, hits in plan:
            sql, part_params = self.ranked_sql(query, part_kinds, source_id, bound, hits)
            parts.append(f"SELECT id, score FROM ({sql}) AS {'part' + str(len(parts))}")
            params += part_params
        sql = " UNION ALL ".join(parts) + " ORDER BY score DESC, id LIMIT %s OFFSET %s"
        return self.hits(sql, [*params, limit, offset], stops_early=True)

    @staticmethod
    def candidate_plan(kinds, order, limit, offset, counts, candidates):
        """None (rank every hit), or the parts to rank: (kinds, at most how many most recent, how
        many hits they have as counted)."""
        if order != "relevance" or not counts or not candidates:
            return None
        pool = max(candidates, offset + limit)
        wanted = [k for k in (kinds or counts) if counts.get(k, 0) > 0]
        large = [k for k in wanted if counts[k] > pool]
        if not large:
            return None
        small = [k for k in wanted if k not in large]
        return [([k], pool, counts[k]) for k in large] + ([(small, None, None)] if small else [])

    def ranked_sql(self, query, kinds, source_id, bound, hits=None):
        """(sql, params): id and score of the hits of ``kinds``; the ``bound`` most recent only
        (of ``hits`` hits, as counted)."""
        from_sql, where, score, params = self.where(query, kinds, source_id)
        sql = f"SELECT e.id AS id, {score} AS score FROM {ENTRY_TABLE} e {from_sql} WHERE {where}"
        if bound is not None:
            sql += f" ORDER BY {self.recency_sql} LIMIT %s"
            params = [*params, bound]
        return sql, params

    def fetch(self, sql, params, stops_early=False) -> list[tuple]:
        """The rows of one search query: every query that reads the index runs through here.
        ``stops_early``: it ends at a LIMIT before reading every hit (a capped count, the most
        recent candidates), which a backend may have to plan apart."""
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def hits(self, sql, params, stops_early=False) -> list[Hit]:
        return [Hit(id=row[0], score=float(row[1])) for row in self.fetch(sql, params, stops_early)]

    def counts(self, query: Query, *, source_id=None, cap=None, kinds=()) -> dict[str, int]:
        """Hits per kind, each counted up to ``cap`` + 1 at most (more than ``cap``: cap + 1);
        ``kinds``: every kind there is (each is counted on its own when all together pass the cap)."""
        from_sql, where, _, params = self.where(query, (), source_id)
        if cap is None:
            sql = f"SELECT e.kind, COUNT(*) FROM {ENTRY_TABLE} e {from_sql} WHERE {where} GROUP BY e.kind"
            return self.count_rows(sql, params)
        # One bounded query answers every kind exactly when all together stay under the cap.
        sample = self.count_sample(from_sql, where, params, cap)
        if sum(sample.values()) <= cap:
            return sample
        # More: each kind counted on its own, up to the cap; but a kind that filled the whole
        # sample has more than the cap already (the usual case of a very common term: passages),
        # and is not counted again.
        counts = self.past_the_cap(sample, {kind: n for kind, n in sample.items() if n > cap})
        rest = [k for k in kinds if k not in counts]
        if not rest:
            return counts
        # In one statement: a round trip each was most of a capped count's time after its sample
        # (on PostgreSQL five, each in its own transaction to plan it: 2.5 ms for one character).
        parts, params = [], []
        for kind in rest:
            from_sql, where, _, kind_params = self.where(query, [kind], source_id)
            parts.append(f"(SELECT COUNT(*) FROM (SELECT 1 FROM {ENTRY_TABLE} e {from_sql} WHERE {where} "
                         f"LIMIT %s) AS capped{len(parts)})")
            params += [*kind_params, cap + 1]
        row = self.fetch("SELECT " + ", ".join(parts), params, stops_early=True)[0]
        counts.update((kind, n) for kind, n in zip(rest, row, strict=True) if n)
        return counts

    @staticmethod
    def past_the_cap(sample, counts) -> dict[str, int]:
        """The counts of a search whose sample passed the cap, as ``search`` takes them: a backend
        may keep with them what its sample found out besides (nothing here)."""
        return counts

    def count_sample(self, from_sql, where, params, cap) -> dict[str, int]:
        """Hits per kind among the first cap + 1 found (every hit when there are no more)."""
        sql = (f"SELECT kind, COUNT(*) FROM (SELECT e.kind AS kind FROM {ENTRY_TABLE} e {from_sql} "
               f"WHERE {where} LIMIT %s) AS capped GROUP BY kind")
        return self.count_rows(sql, [*params, cap + 1], stops_early=True)

    def count_rows(self, sql, params, single=False, stops_early=False):
        rows = self.fetch(sql, params, stops_early)
        return rows[0][0] if single else dict(rows)

    @staticmethod
    def alternatives(query: Query) -> list[list[list[tuple[str, bool]]]]:
        """Per group, per alternative: its (token, is_prefix) list. Latin/digit runs match
        as prefixes (s3 finds s33); Chinese tokens exactly."""
        return [
            [[(tok, is_latin_token(tok)) for tok in dict.fromkeys(literal_tokens(term))] for term in group]
            for group in query.groups
        ]
