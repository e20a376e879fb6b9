"""SQL for check constraints that each database evaluates by itself.

Django's ``date__day`` compiles on SQLite to ``django_date_extract(...)``, a function Django
registers on its own connections: a constraint using it fails outside Django (the sqlite3
shell, ``.dump`` restored into a new file, ``PRAGMA integrity_check``)."""

from django.db import models


class DatePart(models.Func):
    """The day or month of a date column as an integer, in each database's own SQL."""

    arity = 1
    output_field = models.IntegerField()
    SQLITE_OFFSET = {"day": 9, "month": 6}  # dates are stored as 'YYYY-MM-DD' text

    def __init__(self, expression, part, **extra):
        if part not in self.SQLITE_OFFSET:
            raise ValueError(f"unknown date part {part!r}")
        self.part = part
        super().__init__(expression, **extra)

    def as_sqlite(self, compiler, connection, **extra):
        offset = self.SQLITE_OFFSET[self.part]
        return self.as_sql(compiler, connection, template=f"CAST(substr(%(expressions)s, {offset}, 2) AS INTEGER)")

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template=f"EXTRACT({self.part.upper()} FROM %(expressions)s)")
