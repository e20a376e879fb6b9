from django import template
from django.utils.html import conditional_escape, format_html

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
