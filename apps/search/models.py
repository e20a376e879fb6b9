import datetime
from typing import NamedTuple

from django.db import connections, models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Shown(NamedTuple):
    """What a search result shows of its entry."""

    kind: str
    object_id: int
    title: str
    url: str
    text: str
    date: datetime.date | None


class SearchEntryQuerySet(models.QuerySet):
    def shown(self, ids) -> dict[int, Shown]:
        """What a result shows of each entry in ``ids``, by id (those deleted meanwhile are
        missing). One plain SELECT of those columns: the ORM's ``in_bulk`` of a page of 20 took
        1.35 ms of Python at 10⁵ passages, a sixth of a search; this takes 0.33 ms."""
        if not ids:
            return {}
        meta = self.model._meta
        columns = ", ".join([meta.pk.column, *(meta.get_field(f).column for f in Shown._fields)])
        with connections[self.db].cursor() as cursor:
            cursor.execute(f"SELECT {columns} FROM {meta.db_table} "
                           f"WHERE {meta.pk.column} IN ({', '.join(['%s'] * len(ids))})", list(ids))
            rows = cursor.fetchall()
        # (A date comes as a date from both: Django's SQLite connection converts its declared type.)
        return {pk: Shown(*shown) for pk, *shown in rows}

    def named(self, key: str, *, kinds=(), prefix: bool = False):
        """The entries whose name key (``apps.core.text.name_key``) is ``key`` or, with ``prefix``,
        begins with it."""
        entries = self.filter(name__startswith=key) if prefix else self.filter(name=key)
        return entries.filter(kind__in=kinds) if kinds else entries


class SearchEntry(models.Model):
    """One searchable thing: a passage, or a record by its name and description.

    Holds what a result shows (title, text, url) so a results page needs no query per hit,
    and the normalised text that every hit is verified against (literal recall). The
    database-specific index beside it (FTS5 table on SQLite, a tsvector column with a GIN
    index on PostgreSQL) is created by migration 0002 and written by the backend.
    """

    # The kinds are the searchable models' own (index.indexed_models), not listed here.
    kind = models.CharField(_("类型"), max_length=12)
    object_id = models.BigIntegerField(_("记录编号"))
    source = models.ForeignKey(
        # SET_NULL: deleting a source must not take the entries of records it cited with it;
        # its passages' own entries go with the passages (post_delete).
        "kb.Source", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("来源")
    )
    # Every source the record is evidenced in, the shown one (``source``) first: the source filter
    # finds the record under any of them. Written by the index with the facets it indexes (SQLite's
    # s<id> tokens, PostgreSQL's '#s<id>' lexemes), and compared so a change of evidence rewrites them.
    source_ids = models.JSONField(_("全部来源"), default=list, blank=True)
    title = models.CharField(_("标题"), max_length=400)
    text = models.TextField(_("正文"), blank=True)
    url = models.CharField(_("网址"), max_length=500)
    date = models.DateField(_("日期"), null=True, blank=True)
    normalised = models.TextField(_("规范化文本"))
    # The title as names are compared (name_key): a query that is a record's name finds it by
    # this lookup, not by a ranked search. NULL for an entry not found by its title (a passage,
    # found by its own words): no passage is a name, and the index of names stays small.
    name = models.CharField(_("名称键"), max_length=400, null=True, blank=True)  # noqa: DJ001 (NULL: no name)

    objects = SearchEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("检索条目")
        verbose_name_plural = _("检索条目")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_one_per_object")
        ]
        indexes = [
            models.Index(fields=["date"]),
            models.Index(fields=["name"], name="search_entry_name", condition=Q(name__isnull=False)),
        ]

    def __str__(self):
        return f"{self.kind}: {self.title}"
