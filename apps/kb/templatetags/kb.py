import datetime

from django import template
from django.db.models import Manager
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from apps.core.text import to_simplified, to_traditional

from .. import cards, labels, mentions
from ..labels import kind_label
from ..script import ORIGINAL, as_written, display_text, keep

register = template.Library()


@register.filter
def show(text, script):
    """Stored text for the reader: Simplified by default; in the Traditional mode a Traditional
    original exactly as written (the response converts everything else, see apps/kb/script.py)."""
    return as_written(str(text or ""), script)


@register.filter
def show_html(html, script):
    """Markup built from stored text (a search snippet with its <mark>s), as ``show``."""
    if script == ORIGINAL:
        # Runs of Chinese characters hold no markup or entity: marking them keeps the tags.
        return mark_safe(as_written(str(html), script))  # the snippet is escaped markup already
    return html


@register.simple_tag
def passage_text(text, script, mark="", written="trad"):
    """A passage in the reader's script, with the evidence sentence (if any) marked:
    escaped first, then wrapped in <mark>. ``written``: the script of its source; a Traditional
    passage in the Traditional mode is shown exactly as written, a Simplified one converted."""
    keep_as_written = script == ORIGINAL and written == "trad"
    shown = text if keep_as_written else display_text(text, script)
    quote = (mark.strip() if keep_as_written else display_text(mark.strip(), script)) if mark else ""
    if keep_as_written and quote and quote not in shown:
        quote = to_traditional(quote) if to_traditional(quote) in shown else to_simplified(quote)
    at = shown.find(quote) if quote else -1
    if at < 0:
        html = conditional_escape(shown)
    else:
        html = format_html(
            '{}<mark class="evidence" id="evidence">{}</mark>{}', shown[:at], quote, shown[at + len(quote):]
        )
    return mark_safe(keep(html)) if keep_as_written else html  # escaped above


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
