"""The hostile-input sweep: every public and admin URL × every parameter its view reads (and
the path's slug or id) × every payload in payloads.py; no response may be a server error.

One test per group of URLs, each on the small plan of tests/conftest.py. Every request runs
inside a savepoint that is rolled back, so a request that breaks the transaction (as a
PostgreSQL error does) cannot break the ones after it, and no request changes what the next
one sees. Run on its own with ``pytest -m hostile``."""

import logging
from contextlib import contextmanager

import pytest
from django.contrib import admin
from django.core.signals import got_request_exception
from django.db import transaction
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from apps.kb.models import Project, Source
from apps.kb.views import RecordList

from .payloads import PAYLOADS

pytestmark = [pytest.mark.hostile, pytest.mark.django_db]

KB_MODELS = [m for m in admin.site._registry if m._meta.app_label == "kb"]
SEARCH_PARAMS = ["q", "kind", "order", "page", "source"]
CHANGELIST_PARAMS = ["q", "o", "p", "all", "e", "_to_field", "_popup", "_facets", "_changelist_filters"]
FORM_PAGE_PARAMS = ["_changelist_filters", "_popup", "_to_field"]  # the first swept on every model
TOTALS = {}
TEXT_TYPES = {"SlugField": "CharField", "TextField": "CharField"}


def url_names(namespace):
    resolver = next(r for r in get_resolver().url_patterns if isinstance(r, URLResolver) and r.namespace == namespace)
    return {f"{namespace}:{p.name}" for p in resolver.url_patterns if p.name}


@contextmanager
def quiet_request_log():
    # Thousands of expected 400/404 warnings would drown the report; errors still show.
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


class LeanClient(Client):
    """The test client without its copy of every template context: admin pages include
    dozens of templates, and those copies took most of the sweep's time."""

    def request(self, **request):
        return self.handler(self._base_environ(**request))


class Sweep:
    """Sends requests built from raw query strings and bodies; remembers every response ≥ 500."""

    def __init__(self, client, group):
        self.group, self.page_client = group, client
        self.client = LeanClient()
        self.client.cookies = client.cookies  # logged in as the fixture's client is
        self.sent, self.failures, self.covered = 0, [], set()
        self.last_exception = None

    def _record(self, sender, request=None, **kwargs):
        import sys

        self.last_exception = sys.exc_info()[1]

    def send(self, method, path, raw="", name=None, param=""):
        self.covered.add(name)
        self.last_exception = None
        sid = transaction.savepoint()
        try:
            if method == "GET":
                response = self.client.get(path, QUERY_STRING=raw)
            else:
                response = self.client.post(path, data=raw, content_type="application/x-www-form-urlencoded")
        finally:
            transaction.savepoint_rollback(sid)
        self.sent += 1
        if response.status_code >= 500:
            error = repr(self.last_exception)[:160] if self.last_exception else ""
            self.failures.append((f"{method} {name} [{param}] → {response.status_code} {error.split('(')[0]}",
                                  f"{path[:80]}?{raw[:80]} {error}"))

    def each_payload(self, method, path, name, param, base=""):
        """One request per payload with ``param`` set to it (beside the valid ``base`` params)."""
        for payload in PAYLOADS:
            raw = f"{base}&{param}={payload}" if base else f"{param}={payload}"
            self.send(method, path, raw, name=name, param=param)

    def each_path(self, template, name, method="GET", raw=""):
        """One request per payload in place of the path's slug or id: ``template`` has one {}."""
        for payload in PAYLOADS:
            self.send(method, template.format(payload), raw, name=name, param="path")

    def run(self, build):
        got_request_exception.connect(self._record)
        try:
            with quiet_request_log():
                build(self)
        finally:
            got_request_exception.disconnect(self._record)
        TOTALS[self.group] = (self.sent, len(self.failures))
        print(f"\nhostile sweep {self.group}: {self.sent} requests, {len(self.failures)} ≥ 500")
        assert not self.failures, self.report()

    def report(self):
        """The failures grouped by URL, parameter and error, each with its count and first example."""
        groups = {}
        for kind, example in self.failures:
            groups.setdefault(kind, []).append(example)
        lines = [f"{len(self.failures)} of {self.sent} requests ≥ 500:"]
        lines += [f"{kind} ×{len(examples)}, e.g. {examples[0]}" for kind, examples in groups.items()]
        return "\n".join(lines)


def slug_path(name, slug="__SLUG__"):
    return reverse(name, kwargs={"slug": slug}).replace("__SLUG__", "{}")


def public_views(sweep, data):
    for pattern in next(r for r in get_resolver().url_patterns if getattr(r, "namespace", "") == "kb").url_patterns:
        name = f"kb:{pattern.name}"
        view = getattr(pattern.callback, "view_class", None)
        if "slug" in pattern.pattern.converters:
            model = view.queryset.model
            sweep.each_path(slug_path(name), name)
            if model is Source:  # the source page marks the evidence sentence given in ?mark=
                sweep.each_payload("GET", model.objects.first().get_absolute_url(), name, "mark")
            continue
        path = reverse(name)
        if name == "kb:set-script":
            for param in ("next", "script"):
                sweep.each_payload("POST", path, name, param, base="script=orig&next=/")
            sweep.send("GET", path, "next=%00", name=name)
        elif view is not None and issubclass(view, RecordList):
            record_list(sweep, name, path, view)
        elif view is not None and hasattr(view, "paginate_by"):
            sweep.each_payload("GET", path, name, "page")
        else:  # the home page and the feed read no parameter; the edge still sees one
            sweep.each_payload("GET", path, name, "x")
    assert sweep.covered >= url_names("kb"), url_names("kb") - sweep.covered


def record_list(sweep, name, path, view):
    for param in [*view.filterset_class.base_filters, "page", "format"]:
        sweep.each_payload("GET", path, name, param)
    if name == "kb:agreement-list":  # beside a valid 合作对象 (the small plan's 永川), so the filters run
        for param in view.filterset_class.base_filters:
            sweep.each_payload("GET", path, f"{name} partner", param, base="partner=yongchuan")
    # The exports validate the same filters (each swept above on its own); a value they refuse
    # gives an empty file. What is their own, the file, is swept with every filter set to each
    # payload at once: one by one took a third of the sweep, for the same empty file.
    filters = [*view.filterset_class.base_filters]
    for export in ("csv", "json"):
        for payload in PAYLOADS:
            raw = "&".join([f"format={export}", *(f"{param}={payload}" for param in filters)])
            sweep.send("GET", path, raw, name=f"{name} {export}", param="every filter")


def search_views(sweep, data):
    for name in sorted(url_names("search")):
        for param in SEARCH_PARAMS:
            sweep.each_payload("GET", reverse(name), name, param, base="q=" + "%E6%B3%B8%E5%B7%9E")
    # The admin login page is public too, and reads ?next=.
    sweep.each_payload("GET", reverse("admin:login"), "admin:login", "next")


def changelist_params(client, model):
    """What the changelist reads: the common parameters, each filter's parameters, the date
    hierarchy's, and every field name (the admin accepts a field's name as a lookup)."""
    info = model._meta.app_label, model._meta.model_name
    response = client.get(reverse("admin:%s_%s_changelist" % info))
    cl = response.context["cl"]
    params = list(CHANGELIST_PARAMS)
    for spec in cl.filter_specs:
        params += spec.expected_parameters()
    if cl.date_hierarchy:
        params += [f"{cl.date_hierarchy}__{part}" for part in ("year", "month", "day")]
    # A field's name is a lookup too; fields of one type take the same path, so one of each
    # (the text types are one: their lookups prepare a value the same way).
    by_type = {}
    for f in model._meta.concrete_fields:
        by_type.setdefault(TEXT_TYPES.get(f.get_internal_type(), f.get_internal_type()), f.attname)
    return list(dict.fromkeys(params + list(by_type.values())))


def admin_views_for(model, machinery):
    """The sweep of one model's admin. Its own parts (search, filters, field lookups, the add
    form's fields) on every model; with ``machinery``, also what Django's admin does the same way
    for every model (paging, ordering, popups, ids in paths, the history views), which is swept
    on one model only: the same code swept again on each model took half the sweep's time."""
    def build(sweep, data):
        client = sweep.page_client  # for the pages whose context the sweep reads
        info = model._meta.app_label, model._meta.model_name
        changelist = reverse("admin:%s_%s_changelist" % info)
        params = changelist_params(client, model)
        if not machinery:  # search and ordering are the model's own (its fields, its columns)
            params = [p for p in params if p not in CHANGELIST_PARAMS or p in ("q", "o")]
        for param in params:
            sweep.each_payload("GET", changelist, f"admin:{info[1]} changelist", param)
        add = reverse("admin:%s_%s_add" % info)
        # The add form takes every field's initial value from the query; each is shown on its
        # own, so one request with all of them set exercises every field at once.
        form_fields = list(admin.site._registry[model].get_form(client.get(add).wsgi_request).base_fields)
        for payload in PAYLOADS:
            sweep.send("GET", add, "&".join(f"{f}={payload}" for f in form_fields), f"admin:{info[1]} add", "fields")
        # Its change form (its inlines, read-only parts), with a parameter every link carries on.
        change = reverse("admin:%s_%s_change" % info, args=[model.objects.first().pk])
        sweep.each_payload("GET", change, f"admin:{info[1]} change", "_changelist_filters")
        if machinery:
            admin_machinery(sweep, model, info, changelist, add)
    return build


def admin_machinery(sweep, model, info, changelist, add):
    obj = model.objects.first()
    history_id = obj.history.first().history_id
    for param in FORM_PAGE_PARAMS:
        sweep.each_payload("GET", add, f"admin:{info[1]} add", param)
    change = reverse("admin:%s_%s_change" % info, args=[obj.pk])
    for param in FORM_PAGE_PARAMS[1:]:  # the first on every model's change form already
        sweep.each_payload("GET", change, f"admin:{info[1]} change", param)
    for view in ("change", "history", "delete"):
        template = reverse(f"admin:%s_%s_{view}" % info, args=["__ID__"]).replace("__ID__", "{}")
        sweep.each_path(template, f"admin:{info[1]} {view}")
    sweep.each_payload("GET", reverse("admin:%s_%s_history" % info, args=[obj.pk]), f"admin:{info[1]} history", "p")
    detail = "admin:%s_%s_simple_history" % info
    sweep.each_path(reverse(detail, args=[obj.pk, "__ID__"]).replace("__ID__", "{}"), f"{detail} version")
    sweep.each_path(reverse(detail, args=["__ID__", history_id]).replace("__ID__", "{}"), f"{detail} object")
    sweep.each_path(changelist + "{}/", f"admin:{info[1]} object redirect")


def autocomplete_targets():
    """One autocomplete field per model it looks up (the target admin's search does the work)."""
    fields = {}
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label != "kb":
            continue
        for field_name in model_admin.autocomplete_fields:
            target = model._meta.get_field(field_name).related_model
            fields.setdefault(target, (model._meta.model_name, field_name))
    return list(fields.values())


def admin_site_views(sweep, data):
    autocomplete = reverse("admin:autocomplete")
    for i, (model_name, field_name) in enumerate(autocomplete_targets()):
        base = f"app_label=kb&model_name={model_name}&field_name={field_name}"
        for param in ["term", "page"] + (["app_label", "model_name", "field_name"] if i == 0 else []):
            sweep.each_payload("GET", autocomplete, "admin:autocomplete", param, base=base)
    sweep.each_path(reverse("admin:app_list", args=["kb"]).replace("kb", "{}"), "admin:app_list")
    importer = reverse("admin:kb_source_import")
    article = "title=%E6%B5%8B%E8%AF%95&text=%E7%80%98%E5%B7%9E%E8%88%87%E6%B0%B8%E5%B7%9D%E3%80%82"
    for param in ("step", "title", "published", "reference_year", "text", "keep:projects:x", "name:projects:x"):
        sweep.each_payload("POST", importer, "admin:kb_source_import", param, base=article)


GROUPS = {"public pages": public_views, "search": search_views}
# Django's admin machinery is swept in full on the projects' admin (the model with the most of it).
ADMIN_GROUPS = {f"admin {m._meta.model_name}": admin_views_for(m, machinery=m is Project) for m in KB_MODELS}


@pytest.mark.parametrize("group", list(GROUPS))
def test_public_urls_never_answer_a_server_error(client, small_plan, group):
    Sweep(client, group).run(lambda sweep: GROUPS[group](sweep, small_plan))


@pytest.mark.parametrize("group", list(ADMIN_GROUPS))
def test_admin_urls_never_answer_a_server_error(client, small_plan, superuser, group):
    client.force_login(superuser)
    Sweep(client, group).run(lambda sweep: ADMIN_GROUPS[group](sweep, small_plan))


def test_admin_site_urls_never_answer_a_server_error(client, small_plan, superuser):
    client.force_login(superuser)
    Sweep(client, "admin site").run(lambda sweep: admin_site_views(sweep, small_plan))
