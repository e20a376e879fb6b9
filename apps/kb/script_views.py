from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .script import CHOICES, COOKIE, COOKIE_AGE, PARAMETER


def without_choice(target: str) -> str:
    """The page to go back to, less a ?script= it was opened with: that would choose again."""
    parts = urlsplit(target)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != PARAMETER]
    return urlunsplit(parts._replace(query=urlencode(query)))


@require_POST
def set_script(request):
    """Remember the reader's 简/繁 choice for a year, then go back where they were."""
    choice = request.POST.get("script")
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    response = HttpResponseRedirect(without_choice(target))
    if choice in CHOICES:
        request.script = choice  # the redirect itself, like the page it leads to, is in the new script
        response.set_cookie(COOKIE, choice, max_age=COOKIE_AGE, samesite="Lax")
    return response
