"""django-filter FilterSets for the lists: the facets planners filter by, as policy libraries
offer them. Every facet takes several values (OR-ed); facets are AND-ed; each option's count is
what the list would hold with that option and every *other* active filter. A filter on a field
is labelled with the field's label (django-filter's default); a facet that is no field (a year,
合作对象) says its own.

A facet's values are what a shared link can read: choice codes, years, record slugs."""

from functools import cached_property

import django_filters
from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from .labels import HOME_PLACE
from .models import Agreement, Initiative, Milestone, Organization, Place, PolicyDocument, Project, Source


def values_of(model, field):
    """The distinct non-empty values of a text field, as choices (one query)."""
    values = model.objects.exclude(**{field: ""}).order_by(field).values_list(field, flat=True).distinct()
    return [(v, v) for v in values]


def year_choices(model, field):
    years = model.objects.dates(field, "year", order="DESC")
    return [(str(d.year), f"{d.year}年") for d in years]


class Ordering(django_filters.OrderingFilter):
    """Sorting by ``fields``: (what to order by, the name in the URL, the label) triples. Records
    with no value (an agreement with no date) come last either way; ties keep a stable order."""

    descending_fmt = _("%s（倒序）")

    def __init__(self, fields, then=None, **kwargs):
        # then: what breaks ties of a sort, always ascending (a date's precision, finest first)
        self.then = then or {}
        super().__init__(
            fields=[(by, param) for by, param, _label in fields],
            field_labels={by: label for by, _param, label in fields},
            label=_("排序"), empty_label=None, **kwargs,
        )

    def filter(self, qs, value):
        if not value:
            return qs
        ordering = []
        for param in value:
            by = self.param_map[param.lstrip("-")]
            expression = F(by)
            ordering.append(expression.desc(nulls_last=True) if param.startswith("-")
                            else expression.asc(nulls_last=True))
            ordering += [F(tie).asc(nulls_last=True) for tie in self.then.get(by, ())]
        return qs.order_by(*ordering, "pk")


class ChoiceFacet(django_filters.TypedMultipleChoiceFilter):
    """A facet over a field of the record itself (kind, status, a year)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("distinct", False)  # no join: a record cannot match twice
        super().__init__(*args, **kwargs)

    def counts(self, qs) -> dict[str, int]:
        rows = qs.order_by().values_list(self.field_name).annotate(n=Count("pk", distinct=True))
        return {str(value): n for value, n in rows}

    def options(self, counts):
        """(value, label, depth) in the order the choices are declared."""
        return [(str(value), label, 0) for value, label in self.field.choices if value != ""]


class RelatedFacet(django_filters.MultipleChoiceFilter):
    """A facet over linked records (the initiatives a project serves), by slug. ``choices`` is a
    queryset of the records offered; it is read once per request."""

    def __init__(self, *args, records, **kwargs):
        self.records = records
        super().__init__(*args, **kwargs)

    def load_choices(self):
        return [(r.slug, str(r)) for r in self.records.all()]

    def filter(self, qs, value):
        if not value:
            return qs
        matching = qs.model._default_manager.filter(**{f"{self.field_name}__slug__in": value})
        return qs.filter(pk__in=matching.values("pk"))

    def counts(self, qs):
        rows = qs.order_by().values_list(f"{self.field_name}__slug").annotate(n=Count("pk", distinct=True))
        return {slug: n for slug, n in rows if slug is not None}

    def options(self, counts):
        return [(value, label, 0) for value, label in self.field.choices]


class PlaceTree:
    """Every place with its parent, read in one query: to nest the place facet and to widen a
    chosen place to the places under it (重庆市 → 永川区, 江津区, 朱沱镇…)."""

    def __init__(self):
        rows = list(Place.objects.order_by("name").values_list("pk", "slug", "name", "parent_id"))
        self.slug = {pk: slug for pk, slug, _name, _parent in rows}
        self.name = {pk: name for pk, _slug, name, _parent in rows}
        self.pk = {slug: pk for pk, slug, _name, _parent in rows}
        self.parent = {pk: parent for pk, _slug, _name, parent in rows}
        self.children = {}
        for pk, _slug, _name, parent in rows:
            self.children.setdefault(parent if parent in self.slug else None, []).append(pk)

    def subtree(self, pks) -> set[int]:
        """The places and every place under them."""
        found, todo = set(), list(pks)
        while todo:
            pk = todo.pop()
            if pk not in found:
                found.add(pk)
                todo.extend(self.children.get(pk, ()))
        return found

    def lineage(self, pk) -> list[int]:
        """The place and the places above it (a loop made in the admin ends the walk)."""
        line = []
        while pk is not None and pk not in line:
            line.append(pk)
            pk = self.parent.get(pk)
        return line

    def walk(self):
        """(pk, depth), each place after its parent, siblings by name."""
        stack = [(pk, 0) for pk in reversed(self.children.get(None, []))]
        seen = set()
        while stack:
            pk, depth = stack.pop()
            if pk in seen:
                continue
            seen.add(pk)
            yield pk, depth
            stack.extend((child, depth + 1) for child in reversed(self.children.get(pk, [])))


class PlaceFacet(django_filters.MultipleChoiceFilter):
    """Places as a tree: choosing a place includes the places under it. ``paths``: how a record
    reaches a place (an agreement's party places, and the places of its party organisations).
    ``leave_out_home``: 合作对象 — Luzhou and the places under it are not a counterpart."""

    def __init__(self, *args, paths, leave_out_home=False, **kwargs):
        self.paths, self.leave_out_home = paths, leave_out_home
        super().__init__(*args, field_name=paths[0], **kwargs)

    @property
    def tree(self) -> PlaceTree:
        return self.parent.place_tree

    @cached_property
    def left_out(self) -> set[int]:
        home = self.tree.pk.get(HOME_PLACE)
        return self.tree.subtree([home]) if self.leave_out_home and home is not None else set()

    def load_choices(self):
        return [(self.tree.slug[pk], self.tree.name[pk]) for pk, _ in self.tree.walk() if pk not in self.left_out]

    def filter(self, qs, value):
        if not value:
            return qs
        places = self.tree.subtree(self.tree.pk[slug] for slug in value if slug in self.tree.pk) - self.left_out
        where = Q()
        for path in self.paths:
            where |= Q(**{f"{path}__in": places})
        return qs.filter(pk__in=qs.model._default_manager.filter(where).values("pk"))

    def counts(self, qs):
        """Each place counts the records linked to it or to any place under it."""
        records = {}
        for path in self.paths:
            for record, place in qs.order_by().values_list("pk", path):
                if place is None or place in self.left_out:
                    continue
                for above in self.tree.lineage(place):
                    records.setdefault(above, set()).add(record)
        return {self.tree.slug[pk]: len(found) for pk, found in records.items() if pk in self.tree.slug}

    def options(self, counts):
        return [(self.tree.slug[pk], self.tree.name[pk], depth)
                for pk, depth in self.tree.walk() if pk not in self.left_out]


class FacetFilterSet(django_filters.FilterSet):
    """A FilterSet that can say, for each facet, how many records each choice would leave
    given the other filters: the numbers shown beside the choices."""

    facets: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for f in self.filters.values():
            if hasattr(f, "load_choices"):
                f.extra["choices"] = f.load_choices()  # one query per list, whatever its length

    @cached_property
    def place_tree(self):
        return PlaceTree()

    def usable(self) -> bool:
        """No filter given (FilterView then leaves the FilterSet unbound), or valid ones."""
        return not self.is_bound or self.is_valid()

    @property
    def chosen_values(self) -> dict:
        return self.form.cleaned_data if self.is_bound and self.is_valid() else {}

    def filtered_except(self, facet):
        """The records every active filter but ``facet`` leaves (the filters must be usable)."""
        qs = self.queryset.model._default_manager.all()
        for name, value in self.chosen_values.items():
            if name not in (facet, "ordering"):
                qs = self.filters[name].filter(qs, value)
        return qs

    def facet_counts(self):
        return {name: self.filters[name].counts(self.filtered_except(name)) for name in self.facets}

    def chosen(self, name) -> list[str]:
        return [str(v) for v in self.chosen_values.get(name) or []]


class InitiativeFilter(FacetFilterSet):
    kind = ChoiceFacet(choices=Initiative.Kind.choices)
    parent = RelatedFacet(records=Initiative.objects.filter(children__isnull=False).distinct())
    ordering = Ordering(fields=(("name", "name", _("名称")), ("parent__name", "parent", _("上级举措")),
                                ("project_count", "projects", _("项目数")),
                                ("agreement_count", "agreements", _("协议数"))))
    facets = ("kind", "parent")

    class Meta:
        model = Initiative
        fields = ["kind", "parent"]


class ProjectFilter(FacetFilterSet):
    kind = ChoiceFacet(choices=Project.Kind.choices)
    status = ChoiceFacet(choices=Project.Status.choices)
    place = PlaceFacet(paths=("places",))
    initiative = RelatedFacet(
        field_name="initiatives", records=Initiative.objects.filter(projects__isnull=False).distinct(),
    )
    # By status: in order of progress (status_rank, see ProjectQuerySet.for_list), not by code.
    ordering = Ordering(fields=(("name", "name", _("名称")), ("kind", "kind", _("类型")),
                                ("status_rank", "status", _("状态")),
                                ("next_date", "next", _("下一节点"))))
    facets = ("kind", "status", "place", "initiative")

    class Meta:
        model = Project
        fields = ["kind", "status", "place", "initiative"]


class AgreementFilter(FacetFilterSet):
    kind = ChoiceFacet(choices=Agreement.Kind.choices)
    partner = PlaceFacet(
        paths=("party_places", "party_organizations__place"), leave_out_home=True, label=_("合作对象"),
    )
    year = ChoiceFacet(
        field_name="date__year", choices=lambda: year_choices(Agreement, "date"), label=_("年份"),
    )
    ordering = Ordering(fields=(("name", "name", _("名称")), ("kind", "kind", _("类型")),
                                ("date", "date", _("日期"))), then={"date": ["precision_rank"]})
    facets = ("kind", "partner", "year")

    class Meta:
        model = Agreement
        fields = ["kind", "partner", "year"]


class PolicyDocumentFilter(FacetFilterSet):
    status = ChoiceFacet(choices=PolicyDocument.Status.choices)
    issuer = RelatedFacet(records=Organization.objects.filter(documents__isnull=False).distinct())
    ordering = Ordering(fields=(("title", "title", _("标题")), ("issuer__name", "issuer", _("发布机构")),
                                ("status", "status", _("状态")), ("date", "date", _("日期"))),
                        then={"date": ["precision_rank"]})
    facets = ("status", "issuer")

    class Meta:
        model = PolicyDocument
        fields = ["status", "issuer"]


class PlaceFilter(FacetFilterSet):
    level = ChoiceFacet(choices=Place.Level.choices)
    facets = ("level",)

    class Meta:
        model = Place
        fields = ["level"]


class OrganizationFilter(FacetFilterSet):
    kind = ChoiceFacet(choices=Organization.Kind.choices)
    facets = ("kind",)

    class Meta:
        model = Organization
        fields = ["kind"]


class MilestoneFilter(FacetFilterSet):
    status = ChoiceFacet(choices=Milestone.Status.choices)
    year = ChoiceFacet(field_name="date__year", choices=lambda: year_choices(Milestone, "date"), label=_("年份"))
    facets = ("status", "year")

    class Meta:
        model = Milestone
        fields = ["status", "year"]


class SourceFilter(FacetFilterSet):
    """The library of documents: by type, region, issuer and year, newest first."""

    document_type = ChoiceFacet(choices=lambda: values_of(Source, "document_type"))
    region = RelatedFacet(records=Place.objects.filter(sources__isnull=False).distinct())
    publisher = ChoiceFacet(choices=lambda: values_of(Source, "publisher"))
    year = ChoiceFacet(field_name="published__year", choices=lambda: year_choices(Source, "published"),
                       label=_("年份"))
    ordering = Ordering(fields=(("published", "date", _("日期")), ("title", "title", _("标题")),
                                ("passage_count", "passages", _("段落数"))))
    facets = ("document_type", "region", "publisher", "year")

    class Meta:
        model = Source
        fields = ["document_type", "region", "publisher", "year"]
