"""Reads of the plan, as QuerySet methods so views, feeds, exports and the API share them."""

from django.db import models
from django.db.models import Case, Count, F, Min, Prefetch, Q, Value, When
from django.db.models.functions import Coalesce

from apps.core.vocabulary import MilestoneStatus


class SlugQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class PassageQuerySet(models.QuerySet):
    def get_by_natural_key(self, source_slug, position):
        return self.get(source__slug=source_slug, position=position)


class InitiativeQuerySet(SlugQuerySet):
    def for_list(self):
        return self.select_related("parent").annotate(
            project_count=Count("projects", distinct=True),
            agreement_count=Count("agreements", distinct=True),
            child_count=Count("children", distinct=True),
        ).order_by("name")  # GROUP BY drops Meta.ordering


def rank_of(choices) -> dict[str, int]:
    """Each value's place in the order its choices are declared: ``Project.Status`` is declared
    in order of progress, so a status added there is ranked by where it is added."""
    return {value: rank for rank, value in enumerate(choices.values)}


def ranked(field: str, choices):
    """``rank_of`` as a database expression, to sort by it (the codes sort alphabetically)."""
    whens = [When(**{field: value}, then=Value(rank)) for value, rank in rank_of(choices).items()]
    return Case(*whens, default=Value(0))


class ProjectQuerySet(SlugQuerySet):
    def for_list(self):
        # status_rank: a project's progress, to sort by status; next_date: its soonest planned
        # milestone, to sort by what comes next (planned_milestones: the milestones themselves).
        milestone = self.model._meta.get_field("milestones").related_model
        return self.prefetch_related(
            "places", "initiatives",
            Prefetch("milestones", queryset=milestone.objects.planned().order_by("date", "title"),
                     to_attr="planned_milestones"),
        ).annotate(
            status_rank=ranked("status", self.model.Status),
            next_date=Min("milestones__date", filter=Q(milestones__status=MilestoneStatus.PLANNED)),
        ).order_by("name")


class PlaceQuerySet(SlugQuerySet):
    def for_list(self):
        return self.select_related("parent")


class OrganizationQuerySet(SlugQuerySet):
    def for_list(self):
        return self.select_related("place")


def dated_milestones(model):
    """A record's milestones, earliest first: the first says when, as the source wrote it."""
    milestone = model._meta.get_field("milestones").related_model
    return Prefetch("milestones", queryset=milestone.objects.order_by("date", "title"), to_attr="dated_milestones")


class AgreementQuerySet(SlugQuerySet):
    def for_list(self):
        # date_sort: the signing date, else the first milestone's, to sort by date.
        return self.prefetch_related("party_places", "party_organizations", dated_milestones(self.model)).annotate(
            date_sort=Coalesce("signed_on", Min("milestones__date")),
        ).order_by(F("date_sort").desc(nulls_last=True), "name")


class PolicyDocumentQuerySet(SlugQuerySet):
    def for_list(self):
        return self.select_related("issuer").prefetch_related(dated_milestones(self.model)).annotate(
            date_sort=Coalesce("issued_on", Min("milestones__date")),
        ).order_by("title")


class MilestoneQuerySet(SlugQuerySet):
    def planned(self):
        return self.filter(status=self.model.Status.PLANNED)

    def done(self):
        return self.filter(status=self.model.Status.DONE)

    def upcoming(self):
        """What is planned and not yet done, soonest first. A plan whose date has passed
        stays here until someone marks it done: overdue is still upcoming work."""
        return self.planned().order_by("date", "title")

    def latest_done(self):
        return self.done().order_by("-date", "title")

    def for_list(self):
        # Every record a milestone can concern (its foreign keys), read in the same query.
        concerns = [f.name for f in self.model._meta.concrete_fields if f.many_to_one]
        return self.select_related(*concerns)
