"""Driving the admin import as a browser would: upload, read the review page, post it back."""

import datetime
from pathlib import Path

from django.urls import reverse

ARTICLE = (Path(__file__).resolve().parents[1] / "ingest" / "articles" / "yibin-neijiang-2021.txt").read_text(
    encoding="utf-8"
)
IMPORT = "admin:kb_source_import"


def upload(client, **data):
    """POST the article form; a valid article redirects to its draft's review."""
    data = {"title": "内自同城化加快推进", "reference_year": "2021", "text": ARTICLE, "step": "解析并预览", **data}
    return client.post(reverse(IMPORT), data)


def start_review(client, **data):
    """Upload and open the first page of the review: (the review's address, the page)."""
    response = upload(client, **data)
    assert response.status_code == 302, response.content.decode()[:2000]
    url = response["Location"]
    return url, client.get(url)


def as_posted(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    if value is None:
        return ""
    return value


def page_fields(response) -> dict:
    """What the page's form posts if the reviewer changes nothing (a list for a multiple select)."""
    formset = response.context["formset"]
    data = {"page": str(response.context["page"])}
    management = formset.management_form
    for name in management.fields:
        data[management.add_prefix(name)] = str(management[name].value())
    for form in formset:
        for name in form.fields:
            value = form[name].value()
            key = form.add_prefix(name)
            if name == "DELETE":
                if value:
                    data[key] = "on"
            else:
                data[key] = as_posted(value)
    return data


def row(response, name, kind=None):
    """The form of the candidate called ``name`` (of ``kind``, e.g. "projects") on this page."""
    for form in response.context["formset"]:
        if form.row and form.row.name == name and kind in (None, form.row.kind):
            return form
    names = [f.row.name for f in response.context["formset"] if f.row]
    raise AssertionError(f"no candidate {name!r} on this page: {names}")


def field(response, name, field_name, kind=None) -> str:
    return row(response, name, kind).add_prefix(field_name)


def candidate_value(response, name, kind=None) -> str:
    return f"c:{row(response, name, kind).row.cid}"
