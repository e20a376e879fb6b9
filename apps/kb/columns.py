"""The columns of the lists: what a planner reads in the table and gets in the CSV/JSON, the same
for both. Dates are shown as the source wrote them (the milestone's precision), never as a day
the source did not give."""

from django.utils.translation import gettext_lazy as _

from .exports import Column


def joined(records) -> str:
    return "、".join(str(r) for r in records)


def written_date(record, field: str) -> str:
    """When, as precisely as the source said it: the record's first milestone (2019年11月, with
    the phrase as written when it differs: 去年11月); else the year of the stored date, whose
    day and month the source may not have given."""
    milestones = getattr(record, "dated_milestones", None) or []
    if milestones:
        first = milestones[0]
        shown = first.date_display
        if first.date_text and first.date_text not in shown:
            shown = f"{shown}（原文：{first.date_text}）"
        return shown
    day = getattr(record, field)
    return f"{day.year}年" if day else ""


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
    Column(header=_("日期（按原文）"), value=lambda r: written_date(r, "signed_on"), order="date"),
    Column(header=_("签约各方"), value=parties),
]
DOCUMENT = [
    Column("title", order="title", link=True),
    Column("issuer", order="issuer"),
    Column("status", order="status"),
    Column(header=_("日期（按原文）"), value=lambda r: written_date(r, "issued_on"), order="date"),
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
