"""Reads of the plan, as QuerySet methods so views, feeds, exports and the API share them."""

import datetime
import functools

from django.db import models
from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    Min,
    Prefetch,
    Q,
    Value,
    When,
)
from django.db.models.expressions import RawSQL

from apps.core.text import normalise
from apps.core.vocabulary import DatePrecision, DocumentStatus, MilestoneStatus, ProjectStatus


class SlugQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


@functools.cache
def cited_sources_sql(source_model) -> str:
    """The ids of the sources whose passages a record cites as evidence, one SELECT per evidence
    table. Written as SQL because every page asks it (the plan's "as of" date) and the same
    query built with the ORM (one Exists per evidence table) took 4–5 ms of Python a page, the
    SQL itself 0.06 ms; it reads the evidence links, not every passage of the library."""
    passage = source_model._meta.get_field("passages").related_model
    selects = []
    for relation in passage._meta.related_objects:
        if relation.many_to_many and relation.field.name == "evidence":
            through = relation.field.remote_field.through._meta
            column = through.get_field(relation.field.m2m_reverse_field_name()).column
            selects.append(f"SELECT p.source_id FROM {passage._meta.db_table} p "
                           f"JOIN {through.db_table} e ON e.{column} = p.id")
    return " UNION ".join(selects)


class SourceQuerySet(SlugQuerySet):
    def newest_published(self):
        """The most recently published source with a known date that a record was read from, or
        None: what the plan as a whole is "as of" (a document of the library whose candidates
        still wait in review says nothing about the plan yet)."""
        return self.with_records().filter(published__isnull=False).order_by("-published", "-pk").first()

    def with_records(self):
        """Sources with at least one passage that a record cites as its evidence."""
        return self.filter(pk__in=RawSQL(cited_sources_sql(self.model), ()))

    def for_list(self):
        """The library: each document with its region and number of passages, newest first."""
        return self.select_related("region").annotate(passage_count=Count("passages")).order_by(
            F("published").desc(nulls_last=True), "title", "pk")


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
    def undated_plans(self):
        """Planned projects with no planned milestone: the timeline's 时间未定."""
        return self.filter(status=ProjectStatus.PLANNED).exclude(
            milestones__status=MilestoneStatus.PLANNED
        ).order_by("name")

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


def precision_rank():
    """A date's precision as a number, finest first (日 0 … 五年规划期 6): two dates on the same
    first day sort the precise one first (2020年11月5日 before 2020年11月 before 2020年)."""
    return ranked("date_precision", DatePrecision)


class AgreementQuerySet(SlugQuerySet):
    def for_list(self):
        # The newest first, undated last (the order a planner asks "and when?" in).
        return self.prefetch_related("party_places", "party_organizations").annotate(
            precision_rank=precision_rank(),
        ).order_by(F("date").desc(nulls_last=True), "precision_rank", "name")


class PolicyDocumentQuerySet(SlugQuerySet):
    def undated_plans(self):
        """Documents to be written or being written with no planned milestone: 时间未定."""
        return self.filter(status__in=[DocumentStatus.PLANNED, DocumentStatus.DRAFTING]).exclude(
            milestones__status=MilestoneStatus.PLANNED
        ).order_by("title")

    def for_list(self):
        return self.select_related("issuer").annotate(precision_rank=precision_rank()).order_by("title")


def period_ended(today: datetime.date) -> Q:
    """Milestones whose whole period (the stored first day and its precision) is before
    ``today``: 2020年12月底 has ended from 1 January 2021, “十四五”期间 (2021—2025) from
    1 January 2026. Compared on the stored first day, so the database does it."""
    year_start = today.replace(month=1, day=1)
    month_start = today.replace(day=1)
    quarter_start = today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
    half_start = today.replace(month=1 if today.month < 7 else 7, day=1)
    return (
        Q(date_precision=DatePrecision.DAY, date__lt=today)
        | Q(date_precision__in=[DatePrecision.MONTH, DatePrecision.LATE_MONTH], date__lt=month_start)
        | Q(date_precision=DatePrecision.QUARTER, date__lt=quarter_start)
        | Q(date_precision=DatePrecision.HALF_YEAR, date__lt=half_start)
        | Q(date_precision=DatePrecision.YEAR, date__lt=year_start)
        | Q(date_precision=DatePrecision.PLAN_PERIOD, date__lt=year_start.replace(year=today.year - 4))
    )


class MilestoneQuerySet(SlugQuerySet):
    def planned(self):
        return self.filter(status=self.model.Status.PLANNED)

    def done(self):
        return self.filter(status=self.model.Status.DONE)

    def overdue(self, today: datetime.date):
        """Planned, and the period it was due in is over: 预计时间已过，待核实 (the source may be
        out of date, or the work done and not recorded). Longest overdue first."""
        return self.planned().filter(period_ended(today)).order_by("date", "date_precision", "title")

    def upcoming(self, today: datetime.date):
        """Planned and still due (its period not over), soonest first; a five-year plan period
        after the dated items that fall in it, not as its first January."""
        return self.planned().exclude(period_ended(today)).order_by(
            ExpressionWrapper(Q(date_precision=DatePrecision.PLAN_PERIOD), output_field=BooleanField()),
            "date", "date_precision", "title",
        )

    def with_overdue(self, today: datetime.date):
        """Each milestone with ``overdue``: planned and its period over."""
        return self.annotate(overdue=ExpressionWrapper(
            Q(period_ended(today), status=self.model.Status.PLANNED), output_field=BooleanField()
        ))

    def latest_done(self):
        return self.done().order_by("-date", "title")

    def for_list(self):
        # Every record a milestone can concern (its foreign keys), read in the same query.
        concerns = [f.name for f in self.model._meta.concrete_fields if f.many_to_one]
        return self.select_related(*concerns)


class AliasQuerySet(models.QuerySet):
    def naming(self, *names: str):
        """The aliases that are one of ``names``, in either script (compared as normalised)."""
        return self.filter(normalised__in={normalise(name.strip()) for name in names})
