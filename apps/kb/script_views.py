from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .script import COOKIE, ORIGINAL, SIMPLIFIED


@require_POST
def set_script(request):
    """Remember the reader's 简/繁 choice for a year, then go back where they were."""
    choice = request.POST.get("script")
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    response = HttpResponseRedirect(target)
    if choice in {SIMPLIFIED, ORIGINAL}:
        response.set_cookie(COOKIE, choice, max_age=365 * 24 * 3600, samesite="Lax")
    return response
