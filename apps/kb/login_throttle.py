"""Repeated failed admin logins are throttled per client address and user name."""

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.dispatch import receiver

MAX_FAILURES = 5
WINDOW_SECONDS = 15 * 60


def _key(request, username):
    address = request.META.get("REMOTE_ADDR", "") if request is not None else ""
    return f"login-failures:{address}:{(username or '').lower()}"


@receiver(user_login_failed)
def count_failure(sender, credentials, request=None, **kwargs):
    key = _key(request, credentials.get("username"))
    cache.add(key, 0, WINDOW_SECONDS)
    cache.incr(key)


class ThrottledAdminAuthenticationForm(AdminAuthenticationForm):
    def clean(self):
        if cache.get(_key(self.request, self.data.get("username")), 0) >= MAX_FAILURES:
            raise ValidationError("登录失败次数过多，请 15 分钟后再试。", code="throttled")
        return super().clean()
