"""The one "today" of the pages that say what comes next (接下来, 即将进行, 预计时间已过).

Every view, context processor and template reads it through ``today()`` here, so a test
freezes the whole site by monkeypatching this one function.
"""

from django.utils import timezone


def today():
    return timezone.localdate()
