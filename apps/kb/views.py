"""Thin views: the reads live in the querysets, the filters in filters.py."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, TemplateView
from django_filters.views import FilterView

from apps.core.headings import heading_level

from . import clock, exports
from . import columns as listing
from .exports import Column
from .filters import (
    AgreementFilter,
    InitiativeFilter,
    MilestoneFilter,
    OrganizationFilter,
    PlaceFilter,
    PolicyDocumentFilter,
    ProjectFilter,
    SourceFilter,
)
from .labels import drawn_from_passage, evidenced_models, kind_label
from .models import (
    Agreement,
    Initiative,
    Milestone,
    Organization,
    Passage,
    Place,
    PolicyDocument,
    Project,
    Source,
)
from .script import current_script


class HomeView(TemplateView):
    template_name = "kb/home.html"

    def get_context_data(self, **kwargs):
        now = clock.today()
        return super().get_context_data(
            counts=[
                (Initiative._meta.verbose_name, Initiative.objects.count(), "kb:initiative-list"),
                (Project._meta.verbose_name, Project.objects.count(), "kb:project-list"),
                (Agreement._meta.verbose_name, Agreement.objects.count(), "kb:agreement-list"),
                (PolicyDocument._meta.verbose_name, PolicyDocument.objects.count(), "kb:document-list"),
                (Milestone._meta.verbose_name, Milestone.objects.count(), "kb:timeline"),
            ],
            latest=Milestone.objects.latest_done().for_list()[:6],
            # Only what is still due: a plan whose period is over is not "upcoming" but
            # 预计时间已过，待核实, counted here and listed on the timeline.
            upcoming=Milestone.objects.upcoming(now).for_list()[:6],
            overdue_count=Milestone.objects.overdue(now).count(),
            **kwargs,
        )


EVIDENCE = Prefetch("evidence", queryset=Passage.objects.select_related("source"))
MILESTONES = Prefetch("milestones", queryset=Milestone.objects.order_by("date"))


class InitiativeDetail(DetailView):
    queryset = Initiative.objects.select_related("parent").prefetch_related(
        EVIDENCE, "aliases", "children", "places", "projects", "agreements", "documents",
        MILESTONES,
    )


class ProjectDetail(DetailView):
    queryset = Project.objects.prefetch_related(
        EVIDENCE, "aliases", "places", "initiatives", MILESTONES
    )


class AgreementDetail(DetailView):
    queryset = Agreement.objects.prefetch_related(
        EVIDENCE, "aliases", "party_places", "party_organizations", "initiatives", MILESTONES,
    )


class PolicyDocumentDetail(DetailView):
    queryset = PolicyDocument.objects.select_related("issuer").prefetch_related(
        EVIDENCE, "aliases", "initiatives", MILESTONES
    )


class MilestoneDetail(DetailView):
    queryset = Milestone.objects.for_list().prefetch_related(EVIDENCE, "aliases")


class PlaceDetail(DetailView):
    queryset = Place.objects.select_related("parent").prefetch_related(
        "children", "initiatives", "projects", "agreements", "organizations"
    )


class OrganizationDetail(DetailView):
    queryset = Organization.objects.select_related("place").prefetch_related("agreements", "documents")


class SourceDetail(DetailView):
    """A document as a reader reads it: its table of contents, its numbered passages (each with
    the records read from it), the records it evidences by kind, and a search within it. A few
    queries whatever its length: the passages and each kind of record in one query each."""

    queryset = Source.objects.select_related("region").prefetch_related(
        Prefetch(
            "passages",
            queryset=Passage.objects.prefetch_related(*drawn_from_passage()),
        )
    )

    def get_context_data(self, **kwargs):
        passages = self.object.passages.all()
        contents = []
        for p in passages:  # the prefetched passages: the template shows these same objects
            if p.kind == Passage.Kind.HEADING:
                p.heading_level = heading_level(p.text)
                contents.append({"passage": p, "level": p.heading_level})
        evidenced = []  # from the records already prefetched for each passage: no query more
        for model, accessor in zip(evidenced_models(), drawn_from_passage(), strict=True):
            records = {r.pk: r for p in passages for r in getattr(p, accessor).all()}
            if records:
                ordered = sorted(records.values(), key=lambda r: r.slug)
                evidenced.append({"label": kind_label(model, plural=True), "records": ordered})
        return super().get_context_data(contents=contents, evidenced=evidenced, **kwargs)


class RecordList(FilterView):
    """A filtered, sorted, paginated table of one kind of record, with facet counts and the
    same filtered result, in the same columns plus a link, as CSV or JSON (?format=csv / json)."""

    paginate_by = 25
    template_name = "kb/record_list.html"
    strict = True  # an invalid filter value shows an empty list with the form's errors
    # The table's and the exports' columns: field names (headed by the field's label), or Columns.
    columns: list[str | exports.Column] = []

    def get_queryset(self):
        return self.model.objects.for_list()

    def get(self, request, *args, **kwargs):
        export = request.GET.get("format")
        if export in {"csv", "json"}:
            filterset = self.get_filterset(self.get_filterset_class())
            rows = filterset.qs if filterset.is_valid() else self.model.objects.none()
            link = Column(header=_("链接"), value=lambda r: request.build_absolute_uri(r.get_absolute_url()))
            return exports.respond(export, self.model, [*self.columns, link], rows, script=current_script(request))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = context["filter"]
        links = QueryLinks(self.request)
        context["heading"] = self.model._meta.verbose_name_plural
        context["facets"], context["chips"] = facets(filterset, links)
        context["table"] = table(self.model, self.columns, context["object_list"], filterset, links)
        return context


class QueryLinks:
    """Links to this list with one parameter changed, keeping the others (a new filter or
    sort starts again at page 1)."""

    def __init__(self, request):
        self.path, self.query = request.path, request.GET

    def with_values(self, name, values) -> str:
        query = self.query.copy()
        for dropped in ("page", "format"):
            query.pop(dropped, None)
        if values:
            query.setlist(name, values)
        else:
            query.pop(name, None)
        encoded = query.urlencode()
        return f"{self.path}?{encoded}" if encoded else self.path


def facets(filterset, links):
    """Each facet's options with their counts given the other filters, as links that add or
    remove the option; options that would leave nothing are left out unless chosen. And the
    chosen options as chips, each a link that removes it."""
    if not filterset.usable():
        return [], []
    counts = filterset.facet_counts()
    shown, chips = [], []
    for name in filterset.facets:
        facet = filterset.filters[name]
        label = filterset.form[name].label
        chosen = filterset.chosen(name)
        options = []
        for value, text, depth in facet.options(counts[name]):
            selected = value in chosen
            n = counts[name].get(value, 0)
            others = [v for v in chosen if v != value] if selected else [*chosen, value]
            href = links.with_values(name, others)
            if selected:
                chips.append({"facet": label, "label": text, "href": href})
            if n or selected:
                options.append({"value": value, "label": text, "count": n, "selected": selected,
                                "depth": min(depth, 4), "href": href})
        if options:
            shown.append({"name": name, "label": label, "options": options})
    return shown, chips


def table(model, columns, records, filterset, links):
    """The page's rows as cells, and the headings, each sortable one a link that sorts by it
    (again: the other way round)."""
    bound = [c if isinstance(c, Column) else Column(c) for c in columns]
    ordering = filterset.filters.get("ordering")
    current = (filterset.chosen_values.get("ordering") or [""])[0]
    headings = []
    for column in bound:
        heading = {"label": column.heading(model), "sort": None}
        if ordering is not None and column.order in ordering.param_map:
            ascending = current == column.order
            descending = current == f"-{column.order}"
            heading["sort"] = "ascending" if ascending else "descending" if descending else None
            heading["href"] = links.with_values("ordering", [f"-{column.order}" if ascending else column.order])
        headings.append(heading)
    readers = [c.reader(model) for c in bound]
    rows = [
        {"record": r, "cells": [{"text": read(r), "link": c.link, "label": h["label"]}
                                for c, h, read in zip(bound, headings, readers, strict=True)]}
        for r in records
    ]
    return {"headings": headings, "rows": rows}


class InitiativeList(RecordList):
    model = Initiative
    filterset_class = InitiativeFilter
    columns = listing.INITIATIVE


class ProjectList(RecordList):
    model = Project
    filterset_class = ProjectFilter
    columns = listing.PROJECT


class AgreementList(RecordList):
    model = Agreement
    filterset_class = AgreementFilter
    columns = listing.AGREEMENT


class PolicyDocumentList(RecordList):
    model = PolicyDocument
    filterset_class = PolicyDocumentFilter
    columns = listing.DOCUMENT


class PlaceList(RecordList):
    model = Place
    filterset_class = PlaceFilter
    columns = listing.PLACE


class OrganizationList(RecordList):
    model = Organization
    filterset_class = OrganizationFilter
    columns = listing.ORGANIZATION


class SourceList(RecordList):
    """The library: every document, by type, region, issuer and year, newest first."""

    model = Source
    filterset_class = SourceFilter
    columns = listing.SOURCE


class Timeline(RecordList):
    """Milestones; dates no more precise than known. Two views: 接下来 (the default) starts at
    today — what is overdue and needs checking, what is still due, the five-year plan periods
    as bands, and planned work with no date — and 全部 runs through every milestone by year."""

    model = Milestone
    filterset_class = MilestoneFilter
    template_name = "kb/timeline.html"
    paginate_by = 100
    columns = [Column("date", value=lambda r: r.date_display), "date_text", "title", "status", "date_precision",
               Column("concerns", value=lambda r: "、".join(str(c) for c in r.concerns)), "quote"]
    VIEWS = {"next": "接下来", "all": "全部"}

    @property
    def view(self):
        view = self.request.GET.get("view", "next")
        return view if view in self.VIEWS else "next"

    def get_queryset(self):
        # Precision before title: a year's or plan period's items (dated 1 January) stay
        # together instead of mixing with January's.
        return Milestone.objects.for_list().with_overdue(clock.today()).order_by("date", "date_precision", "title")

    def get_paginate_by(self, queryset):
        return None if self.view == "next" else self.paginate_by

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = clock.today()
        context.update(view=self.view, views=self.VIEWS, today=now)
        if self.view == "next":
            rows = self.object_list  # the filtered milestones (none when a filter is invalid)
            due = list(rows.upcoming(now))
            context.update(
                overdue=list(rows.overdue(now)),
                upcoming=[m for m in due if not m.is_plan_period],
                bands=_bands(m for m in due if m.is_plan_period),
                undated_projects=Project.objects.undated_plans(),
                undated_documents=PolicyDocument.objects.undated_plans().select_related("issuer"),
            )
        else:
            page = list(context["object_list"])
            context.update(
                dated=[m for m in page if not m.is_plan_period],
                bands=_bands(m for m in page if m.is_plan_period),
            )
        return context


def _bands(milestones):
    """[(“十四五”期间（2021—2025年）, [milestones])], one band per five-year plan period."""
    bands = {}
    for m in milestones:
        bands.setdefault(m.period_band, []).append(m)
    return list(bands.items())
