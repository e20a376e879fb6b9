"""Lists as files: CSV that Excel opens with the Chinese intact (UTF-8 with BOM), and JSON.

A list names its columns by field (``"status"``); the header is the field's label and the cell
shows the value as the pages do (a choice's label, the names of linked records, an ISO date), so
the export says what the admin and the pages say. Only a value that is no field (a count, a
computed summary) brings its own header, as a ``Column``.
"""

import csv
import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.http import HttpResponse, JsonResponse

from .labels import field_label
from .script import ORIGINAL, SIMPLIFIED, as_written


@dataclass(frozen=True)
class Column:
    """``field``: a field (or labelled computed attribute, see ``labels.COMPUTED``) of the
    model, which gives the header (and the value, unless ``value`` says how to show it);
    ``header``: for a value that has no label of its own; ``order``: the list's sort (the
    ``ordering`` parameter) its table heading switches to; ``link``: the table cell links to
    the record."""

    field: str = ""
    header: str = ""
    value: Callable | None = None
    order: str = ""
    link: bool = False

    def heading(self, model) -> str:
        return str(self.header or field_label(model, self.field))

    def reader(self, model) -> Callable:
        return self.value or field_value(model._meta.get_field(self.field))


def field_value(field) -> Callable:
    """How a record's field is shown in an export."""
    if field.choices:
        return lambda r: getattr(r, f"get_{field.name}_display")()
    if field.many_to_many:
        return lambda r: "、".join(str(o) for o in getattr(r, field.name).all())
    if field.many_to_one:
        return lambda r: str(getattr(r, field.name) or "")

    def plain(r):
        value = getattr(r, field.attname)
        if isinstance(value, datetime.date):
            return value.isoformat()
        return "" if value is None else value

    return plain


def bind(model, columns) -> list[tuple[str, Callable]]:
    """[(header, value of a record)] for a list's columns (field names or ``Column``s)."""
    bound = [c if isinstance(c, Column) else Column(c) for c in columns]
    return [(c.heading(model), c.reader(model)) for c in bound]


def respond(export: str, model: type[models.Model], columns, rows, script: str = SIMPLIFIED):
    """The file; every response is converted to the reader's script (apps/kb/script.py), and in
    the Traditional mode a cell's runs written in Traditional are kept as written, as on the pages."""
    name = model._meta.model_name
    columns = [(header, _as_written(value, script)) for header, value in bind(model, columns)]
    if export == "json":
        data = [{header: value(r) for header, value in columns} for r in rows]
        response = JsonResponse(data, safe=False, json_dumps_params={"ensure_ascii": False, "indent": 1})
        response["Content-Disposition"] = f'attachment; filename="{name}.json"'
        return response
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    response.write("\ufeff")  # the BOM: without it Excel reads UTF-8 as the local code page
    writer = csv.writer(response)
    writer.writerow([_cell(header) for header, _ in columns])
    for r in rows:
        writer.writerow([_cell(value(r)) for _, value in columns])
    return response


def _as_written(value: Callable, script: str) -> Callable:
    if script != ORIGINAL:
        return value
    return lambda r: as_written(v, script) if isinstance(v := value(r), str) else v


def _cell(value):
    # A cell starting with = + - @ (or a tab or CR before one) is a formula to Excel; quote
    # it so a record cannot run one.
    text = str(value)
    return "'" + text if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text
