"""Reads of the plan, as QuerySet methods so views, feeds, exports and the API share them."""

from django.db import models
from django.db.models import Case, Count, Value, When


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
        # status_rank: a project's progress, to sort by status.
        return self.prefetch_related("places", "initiatives").annotate(
            status_rank=ranked("status", self.model.Status)
        )


class PlaceQuerySet(SlugQuerySet):
    def for_list(self):
        return self.select_related("parent")


class OrganizationQuerySet(SlugQuerySet):
    def for_list(self):
        return self.select_related("place")


class AgreementQuerySet(SlugQuerySet):
    def for_list(self):
        return self.prefetch_related("party_places", "party_organizations")


class PolicyDocumentQuerySet(SlugQuerySet):
    def for_list(self):
        return self.select_related("issuer")


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
