"""django-filter FilterSets for the lists: the facets planners filter by. A filter on a field is
labelled with the field's label (django-filter's default); only a facet that is no field (a
year) says its own."""

import django_filters
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from .models import Agreement, Initiative, Milestone, Organization, Place, PolicyDocument, Project


def year_choices(model, field):
    years = model.objects.dates(field, "year", order="DESC")
    return [(d.year, f"{d.year}年") for d in years]


class Ordering(django_filters.OrderingFilter):
    """Sorting by fields of ``model``, each choice labelled with the field's label: ``fields``
    are (what to order by, the field named in the URL and the label) pairs."""

    descending_fmt = _("%s（倒序）")

    def __init__(self, model, fields, **kwargs):
        labels = {param: model._meta.get_field(param).verbose_name for _, param in fields}
        super().__init__(fields=fields, field_labels=labels, label=_("排序"), **kwargs)


class FacetFilterSet(django_filters.FilterSet):
    """A FilterSet that can say, for each facet, how many records each choice would leave
    given the other filters: the numbers shown beside the choices."""

    facets: tuple[str, ...] = ()

    def facet_counts(self):
        counts = {}
        for name in self.facets:
            others = self.data.copy()
            others.pop(name, None)
            qs = type(self)(others, queryset=self.queryset).qs.order_by()
            lookup = self.filters[name].field_name
            counts[name] = dict(qs.values_list(lookup).annotate(n=Count("pk", distinct=True)))
        return counts


class InitiativeFilter(FacetFilterSet):
    kind = django_filters.ChoiceFilter(choices=Initiative.Kind.choices)
    parent = django_filters.ModelChoiceFilter(queryset=Initiative.objects.filter(children__isnull=False).distinct())
    ordering = Ordering(Initiative, fields=(("name", "name"),))
    facets = ("kind", "parent")

    class Meta:
        model = Initiative
        fields = ["kind", "parent"]


class ProjectFilter(FacetFilterSet):
    kind = django_filters.ChoiceFilter(choices=Project.Kind.choices)
    status = django_filters.ChoiceFilter(choices=Project.Status.choices)
    place = django_filters.ModelChoiceFilter(
        field_name="places", queryset=Place.objects.filter(projects__isnull=False).distinct()
    )
    initiative = django_filters.ModelChoiceFilter(
        field_name="initiatives", queryset=Initiative.objects.filter(projects__isnull=False).distinct()
    )
    # By status: in order of progress (status_rank, see ProjectQuerySet.for_list), not by code.
    ordering = Ordering(Project, fields=(("name", "name"), ("status_rank", "status"), ("kind", "kind")))
    facets = ("kind", "status", "place", "initiative")

    class Meta:
        model = Project
        fields = ["kind", "status", "place", "initiative"]


class AgreementFilter(FacetFilterSet):
    kind = django_filters.ChoiceFilter(choices=Agreement.Kind.choices)
    place = django_filters.ModelChoiceFilter(
        field_name="party_places", queryset=Place.objects.filter(agreements__isnull=False).distinct()
    )
    year = django_filters.TypedChoiceFilter(
        field_name="signed_on__year", choices=lambda: year_choices(Agreement, "signed_on"), coerce=int,
        label=_("签订年份"),
    )
    ordering = Ordering(Agreement, fields=(("signed_on", "signed_on"), ("name", "name")))
    facets = ("kind", "place", "year")

    class Meta:
        model = Agreement
        fields = ["kind", "place", "year"]


class PolicyDocumentFilter(FacetFilterSet):
    status = django_filters.ChoiceFilter(choices=PolicyDocument.Status.choices)
    ordering = Ordering(PolicyDocument, fields=(("title", "title"), ("issued_on", "issued_on")))
    facets = ("status",)

    class Meta:
        model = PolicyDocument
        fields = ["status"]


class PlaceFilter(FacetFilterSet):
    level = django_filters.ChoiceFilter(choices=Place.Level.choices)
    facets = ("level",)

    class Meta:
        model = Place
        fields = ["level"]


class OrganizationFilter(FacetFilterSet):
    kind = django_filters.ChoiceFilter(choices=Organization.Kind.choices)
    facets = ("kind",)

    class Meta:
        model = Organization
        fields = ["kind"]


class MilestoneFilter(FacetFilterSet):
    status = django_filters.ChoiceFilter(choices=Milestone.Status.choices)
    year = django_filters.TypedChoiceFilter(
        field_name="date__year", choices=lambda: year_choices(Milestone, "date"), coerce=int, label=_("年份")
    )
    facets = ("status", "year")

    class Meta:
        model = Milestone
        fields = ["status", "year"]
