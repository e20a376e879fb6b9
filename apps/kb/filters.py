"""django-filter FilterSets for the lists: the facets planners filter by."""

import django_filters
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from .models import Agreement, Initiative, Milestone, Organization, Place, PolicyDocument, Project


def year_choices(model, field):
    years = model.objects.dates(field, "year", order="DESC")
    return [(d.year, f"{d.year}年") for d in years]


class Ordering(django_filters.OrderingFilter):
    descending_fmt = _("%s（倒序）")


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
    kind = django_filters.ChoiceFilter(choices=Initiative.Kind.choices, label=_("类型"))
    parent = django_filters.ModelChoiceFilter(
        queryset=Initiative.objects.filter(children__isnull=False).distinct(), label=_("上级举措")
    )
    ordering = Ordering(fields=(("name", "name"),), field_labels={"name": _("名称")}, label=_("排序"))
    facets = ("kind", "parent")

    class Meta:
        model = Initiative
        fields = ["kind", "parent"]


class ProjectFilter(FacetFilterSet):
    kind = django_filters.ChoiceFilter(choices=Project.Kind.choices, label=_("类型"))
    status = django_filters.ChoiceFilter(choices=Project.Status.choices, label=_("状态"))
    place = django_filters.ModelChoiceFilter(
        field_name="places", queryset=Place.objects.filter(projects__isnull=False).distinct(), label=_("地方")
    )
    initiative = django_filters.ModelChoiceFilter(
        field_name="initiatives", queryset=Initiative.objects.filter(projects__isnull=False).distinct(),
        label=_("服务的举措"),
    )
    ordering = Ordering(
        fields=(("name", "name"), ("status_rank", "status"), ("kind", "kind")),
        field_labels={"name": _("名称"), "status": _("状态"), "kind": _("类型")}, label=_("排序"),
    )
    facets = ("kind", "status", "place", "initiative")

    class Meta:
        model = Project
        fields = ["kind", "status", "place", "initiative"]


class AgreementFilter(FacetFilterSet):
    kind = django_filters.ChoiceFilter(choices=Agreement.Kind.choices, label=_("类型"))
    place = django_filters.ModelChoiceFilter(
        field_name="party_places", queryset=Place.objects.filter(agreements__isnull=False).distinct(),
        label=_("签约地方"),
    )
    year = django_filters.TypedChoiceFilter(
        field_name="signed_on__year", choices=lambda: year_choices(Agreement, "signed_on"), coerce=int,
        label=_("签订年份"),
    )
    ordering = Ordering(
        fields=(("signed_on", "signed_on"), ("name", "name")),
        field_labels={"signed_on": _("签订日期"), "name": _("名称")}, label=_("排序"),
    )
    facets = ("kind", "place", "year")

    class Meta:
        model = Agreement
        fields = ["kind", "place", "year"]


class PolicyDocumentFilter(FacetFilterSet):
    status = django_filters.ChoiceFilter(choices=PolicyDocument.Status.choices, label=_("状态"))
    ordering = Ordering(
        fields=(("title", "title"), ("issued_on", "issued_on")),
        field_labels={"title": _("标题"), "issued_on": _("印发日期")}, label=_("排序"),
    )
    facets = ("status",)

    class Meta:
        model = PolicyDocument
        fields = ["status"]


class PlaceFilter(FacetFilterSet):
    level = django_filters.ChoiceFilter(choices=Place.Level.choices, label=_("层级"))
    facets = ("level",)

    class Meta:
        model = Place
        fields = ["level"]


class OrganizationFilter(FacetFilterSet):
    kind = django_filters.ChoiceFilter(choices=Organization.Kind.choices, label=_("类型"))
    facets = ("kind",)

    class Meta:
        model = Organization
        fields = ["kind"]


class MilestoneFilter(FacetFilterSet):
    status = django_filters.ChoiceFilter(choices=Milestone.Status.choices, label=_("状态"))
    year = django_filters.TypedChoiceFilter(
        field_name="date__year", choices=lambda: year_choices(Milestone, "date"), coerce=int, label=_("年份")
    )
    facets = ("status", "year")

    class Meta:
        model = Milestone
        fields = ["status", "year"]
