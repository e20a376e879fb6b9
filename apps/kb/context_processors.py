from django.db import DatabaseError
from django.utils.functional import SimpleLazyObject

from . import clock
from .models import Source
from .script import current_script


def script(request):
    """Which script the reader chose for display: simp (default) or orig (as the source wrote it)."""
    return {"script": current_script(request)}


def plan_as_of(request):
    """The newest source's publication date, read only if a page shows it (lists and the home
    page say 据原文（2020年11月）; a record's page says the date of its own newest source)."""
    def newest():
        try:
            return Source.objects.newest_published() or False
        except DatabaseError:  # the error pages must still render
            return False

    return {"plan_as_of": SimpleLazyObject(newest)}


def today(request):
    """``today`` for the templates (a milestone's 预计时间已过，待核实 on a record's page)."""
    return {"today": SimpleLazyObject(clock.today)}
