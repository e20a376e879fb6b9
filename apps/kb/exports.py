"""Lists as files: CSV that Excel opens with the Chinese intact (UTF-8 with BOM), and JSON."""

import csv

from django.http import HttpResponse, JsonResponse


def respond(export: str, model, columns, rows):
    name = model._meta.model_name
    if export == "json":
        data = [{header: value(r) for header, value in columns} for r in rows]
        response = JsonResponse(data, safe=False, json_dumps_params={"ensure_ascii": False, "indent": 1})
        response["Content-Disposition"] = f'attachment; filename="{name}.json"'
        return response
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    response.write("\ufeff")  # the BOM: without it Excel reads UTF-8 as the local code page
    writer = csv.writer(response)
    writer.writerow([header for header, _ in columns])
    for r in rows:
        writer.writerow([_cell(value(r)) for _, value in columns])
    return response


def _cell(value):
    # A cell starting with = + - @ (or a tab or CR before one) is a formula to Excel; quote
    # it so a record cannot run one.
    text = str(value)
    return "'" + text if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text
