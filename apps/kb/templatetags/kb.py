import datetime

from django import template
from django.db.models import Manager
from django.utils.html import conditional_escape, format_html

from .. import cards, labels, mentions
from ..labels import kind_label
from ..script import display_text

register = template.Library()


@register.filter
def show(text, script):
    """Text in the reader's chosen script: Simplified by default, or as the source wrote it."""
    return display_text(str(text or ""), script)


@register.simple_tag
def passage_text(text, script, mark=""):
    """A passage in the reader's script, with the evidence sentence (if any) marked:
    escaped first, then wrapped in <mark>."""
    shown = display_text(text, script)
    quote = display_text(mark.strip(), script) if mark else ""
    at = shown.find(quote) if quote else -1
    if at < 0:
        return conditional_escape(shown)
    return format_html(
        '{}<mark class="evidence" id="evidence">{}</mark>{}', shown[:at], quote, shown[at + len(quote):]
    )


@register.filter
def overdue_on(milestone, today):
    """{% if m|overdue_on:today %}: planned, and its period over by ``today`` (the one
    ``apps.kb.clock.today`` the views and the context processor give)."""
    if not today or not hasattr(milestone, "overdue_on"):
        return False
    return milestone.overdue_on(datetime.date(today.year, today.month, today.day))


@register.filter
def verbose_name(thing):
    """What a record (or the records of a queryset, or "app.model") is called: 项目."""
    return kind_label(thing)


@register.filter
def verbose_name_plural(thing):
    return kind_label(thing, plural=True)


@register.filter
def field_label(thing, name):
    """A field's label as the model declares it: {{ object|field_label:"status" }} → 状态."""
    return labels.field_label(thing, name)


@register.inclusion_tag("includes/record_card.html", takes_context=True)
def record_card(context, record):
    """The card a record's page opens with (apps/kb/cards.py)."""
    today = context.get("today")
    if today is not None:
        today = datetime.date(today.year, today.month, today.day)
    return {"record": record, "card": cards.card(record, context.get("script"), today),
            "script": context.get("script"), "today": today}


@register.inclusion_tag("includes/record_links.html", takes_context=True)
def record_links(context, record, name, heading=""):
    """The records one relation of ``record`` links to, as a list under the relation's label
    (or ``heading`` where the page words it for the reader: 服务于此的项目)."""
    records = getattr(record, name)
    records = records.all() if isinstance(records, Manager) else records  # a relation, or a computed list
    return {"records": records, "heading": heading or labels.field_label(record, name),
            "script": context.get("script")}


@register.inclusion_tag("includes/mentions.html", takes_context=True)
def record_mentions(context, record):
    """其他文件中的提及: the passages of any document that name the record or an alias of it,
    by document (apps/kb/mentions.py)."""
    return {"record": record, "found": mentions.mentions_of(record), "script": context.get("script")}


@register.simple_tag
def drawn_records(passage):
    """[(kind label, records)] read from this passage, one entry per kind that has any."""
    groups = [getattr(passage, name).all() for name in labels.drawn_from_passage()]
    return [(kind_label(records), records) for records in groups if records]
