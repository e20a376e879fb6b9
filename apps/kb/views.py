"""Thin views: the reads live in the querysets, the filters in filters.py."""

from django.db.models import Prefetch
from django.views.generic import DetailView, ListView, TemplateView

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


class HomeView(TemplateView):
    template_name = "kb/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            counts=[
                (Initiative._meta.verbose_name, Initiative.objects.count(), "kb:initiative-list"),
                (Project._meta.verbose_name, Project.objects.count(), "kb:project-list"),
                (Agreement._meta.verbose_name, Agreement.objects.count(), "kb:agreement-list"),
                (PolicyDocument._meta.verbose_name, PolicyDocument.objects.count(), "kb:document-list"),
                (Milestone._meta.verbose_name, Milestone.objects.count(), "kb:timeline"),
            ],
            latest=Milestone.objects.latest_done().for_list()[:6],
            upcoming=Milestone.objects.upcoming().for_list()[:6],
            sources=Source.objects.all()[:5],
            **kwargs,
        )


EVIDENCE = Prefetch("evidence", queryset=Passage.objects.select_related("source"))


class InitiativeDetail(DetailView):
    queryset = Initiative.objects.select_related("parent").prefetch_related(
        EVIDENCE, "children", "places", "projects", "agreements", "documents",
        Prefetch("milestones", queryset=Milestone.objects.order_by("date")),
    )
    slug_url_kwarg = "slug"


class ProjectDetail(DetailView):
    queryset = Project.objects.prefetch_related(
        EVIDENCE, "places", "initiatives", Prefetch("milestones", queryset=Milestone.objects.order_by("date"))
    )


class AgreementDetail(DetailView):
    queryset = Agreement.objects.prefetch_related(
        EVIDENCE, "party_places", "party_organizations", "initiatives",
        Prefetch("milestones", queryset=Milestone.objects.order_by("date")),
    )


class PolicyDocumentDetail(DetailView):
    queryset = PolicyDocument.objects.select_related("issuer").prefetch_related(
        EVIDENCE, "initiatives", Prefetch("milestones", queryset=Milestone.objects.order_by("date"))
    )
    template_name = "kb/policydocument_detail.html"


class MilestoneDetail(DetailView):
    queryset = Milestone.objects.for_list().prefetch_related(EVIDENCE)


class PlaceDetail(DetailView):
    queryset = Place.objects.select_related("parent").prefetch_related(
        "children", "initiatives", "projects", "agreements", "organizations"
    )


class OrganizationDetail(DetailView):
    queryset = Organization.objects.select_related("place").prefetch_related("agreements", "documents")


class SourceDetail(DetailView):
    queryset = Source.objects.prefetch_related(
        Prefetch(
            "passages",
            queryset=Passage.objects.prefetch_related(
                "initiatives", "projects", "agreements", "milestones", "policydocuments"
            ),
        )
    )


class RecordList(ListView):
    """A paginated list of one kind of record; filters and exports come from subclasses."""

    paginate_by = 25
    template_name = "kb/record_list.html"
    heading = ""

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=self.heading or self.model._meta.verbose_name_plural, **kwargs)


class InitiativeList(RecordList):
    model = Initiative

    def get_queryset(self):
        return Initiative.objects.for_list()


class ProjectList(RecordList):
    model = Project

    def get_queryset(self):
        return Project.objects.for_list()


class AgreementList(RecordList):
    model = Agreement

    def get_queryset(self):
        return Agreement.objects.for_list()


class PolicyDocumentList(RecordList):
    model = PolicyDocument

    def get_queryset(self):
        return PolicyDocument.objects.for_list()


class PlaceList(RecordList):
    model = Place

    def get_queryset(self):
        return Place.objects.select_related("parent")


class OrganizationList(RecordList):
    model = Organization

    def get_queryset(self):
        return Organization.objects.select_related("place")


class SourceList(RecordList):
    model = Source


class Timeline(ListView):
    template_name = "kb/timeline.html"
    paginate_by = 100

    def get_queryset(self):
        return Milestone.objects.for_list().order_by("date", "title")
