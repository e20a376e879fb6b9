from django import template

from ..script import display_text

register = template.Library()


@register.filter
def show(text, script):
    """Text in the reader's chosen script: Simplified by default, or as the source wrote it."""
    return display_text(str(text or ""), script)
