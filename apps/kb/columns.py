"""The columns of the lists: what a planner reads in the table and gets in the CSV/JSON, the same
for both. Dates are shown as the source wrote them (the record's own precision and phrase), never as a day
the source did not give."""

from django.utils.translation import gettext_lazy as _

from .exports import Column


def joined(records) -> str:
    return "、".join(str(r) for r in records)


def date_as_written(record) -> str:
    """When, as precisely as the source said it, with the phrase as written when it says more:
    2019年11月（原文：去年11月）. Empty when the source gave no date."""
    return record.date_as_written


def next_milestone(project) -> str:
    planned = getattr(project, "planned_milestones", None) or []
    return f"{planned[0].date_display} {planned[0].title}" if planned else ""


def parties(agreement) -> str:
    return joined([*agreement.party_places.all(), *agreement.party_organizations.all()])


INITIATIVE = [
    Column("name", order="name", link=True),
    Column("parent", order="parent"),
    Column(header=_("项目数"), value=lambda r: r.project_count, order="projects"),
    Column(header=_("协议数"), value=lambda r: r.agreement_count, order="agreements"),
]
PROJECT = [
    Column("name", order="name", link=True),
    Column("kind", order="kind"),
    Column("status", order="status"),
    Column("places"),
    Column(header=_("下一节点"), value=next_milestone, order="next"),
]
AGREEMENT = [
    Column("name", order="name", link=True),
    Column("kind", order="kind"),
    Column(header=_("日期（按原文）"), value=date_as_written, order="date"),
    Column(header=_("签约各方"), value=parties),
]
DOCUMENT = [
    Column("title", order="title", link=True),
    Column("issuer", order="issuer"),
    Column("status", order="status"),
    Column(header=_("日期（按原文）"), value=date_as_written, order="date"),
]
PLACE = [Column("name", link=True), Column("level"), Column("parent")]
ORGANIZATION = [Column("name", link=True), Column("kind"), Column("place")]
SOURCE = [
    Column("title", order="title", link=True),
    Column("document_type"),
    Column("publisher"),
    Column("region"),
    Column(header=_("日期"), value=lambda r: r.published_display, order="date"),
    Column(header=_("段落数"), value=lambda r: r.passage_count, order="passages"),
]
