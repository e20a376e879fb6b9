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


class ProjectQuerySet(SlugQuerySet):
    def for_list(self):
        # status_rank: the order of Project.Status, which is a project's progress, for
        # sorting by status (the codes themselves sort alphabetically).
        ranks = [When(status=s, then=Value(i)) for i, s in enumerate(self.model.Status.values)]
        return self.prefetch_related("places", "initiatives").annotate(status_rank=Case(*ranks, default=Value(0)))


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
        return self.filter(status="planned")

    def done(self):
        return self.filter(status="done")

    def upcoming(self):
        """What is planned and not yet done, soonest first. A plan whose date has passed
        stays here until someone marks it done: overdue is still upcoming work."""
        return self.planned().order_by("date", "title")

    def latest_done(self):
        return self.done().order_by("-date", "title")

    def for_list(self):
        return self.select_related("initiative", "project", "agreement", "document")
