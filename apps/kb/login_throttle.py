"""Repeated failed admin logins are throttled per user name.

The count is kept in the shared cache (the database cache by default), so it holds across
gunicorn workers and restarts. The name is keyed as Django's login reads it: the form strips
it and applies NFKC (UsernameField), so "admin ", "\tadmin" and "ａｄｍｉｎ" are one user and
one count; case is folded too, so no spelling of a locked name gets fresh tries.
"""

import unicodedata

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.dispatch import receiver

MAX_FAILURES = 5
WINDOW_SECONDS = 15 * 60


def throttle_key(username) -> str:
    name = unicodedata.normalize("NFKC", str(username or "")).strip().casefold()
    return f"login-failures:{name}"


@receiver(user_login_failed)
def count_failure(sender, credentials, request=None, **kwargs):
    key = throttle_key(credentials.get("username"))
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS)


class ThrottledAdminAuthenticationForm(AdminAuthenticationForm):
    def clean(self):
        if cache.get(throttle_key(self.data.get("username")), 0) >= MAX_FAILURES:
            raise ValidationError("登录失败次数过多，请 15 分钟后再试。", code="throttled")
        return super().clean()
