"""The edge: input the databases cannot store never reaches a view, and a database that
cannot be reached gives a Chinese 503 page instead of a server error."""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseBadRequest
from django.template import loader

from . import routers

logger = logging.getLogger("django.request")

NUL = "\x00"
RETRY_AFTER_SECONDS = 30
# PostgreSQL error classes that say the server is down, full or restarting: connection
# exception, insufficient resources, operator intervention.
UNAVAILABLE_SQLSTATE_CLASSES = ("08", "53", "57")
# SQLite result codes that say the file is busy or cannot be used: BUSY, LOCKED, IOERR, FULL, CANTOPEN.
UNAVAILABLE_SQLITE_CODES = {5, 6, 10, 13, 14}


# The search boxes: the public search and its API (q), the admin's search (q) and its
# autocomplete (term).
SEARCH_BOXES = ("q", "term")


def has_nul(values) -> bool:
    return any(NUL in value for value in values)


class RefuseNulMiddleware:
    """NUL never reaches a view: dropped from what is typed into a search box, refused with a
    400 anywhere else (the path, any other query or form parameter, a cookie).

    PostgreSQL text cannot contain NUL: any such value that reaches a lookup (a slug in the
    path, an admin filter, a session cookie) is a 500. Handling it here protects every view,
    present and future, in one place.

    Why two behaviours: a search box takes pasted text, and text pasted from a PDF or a
    mis-decoded file can carry stray NULs; the searcher meant the words around them, and the
    search engine already drops control characters, so the box keeps working as before.
    Everything else names something (a record, a filter value, an id) or is stored; no form
    of this site sends NUL there, so it comes from a crafted or broken link, and answering a
    request other than the one sent (another slug, another filter) would hide that.

    Invalid UTF-8 needs nothing here: Django decodes the query and form with replacement
    characters and keeps broken bytes of the path percent-encoded, so it reaches views as
    ordinary text, and NUL is the only character PostgreSQL refuses in valid text.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        self.clean_search_boxes(request)
        if self.refused(request):
            return HttpResponseBadRequest(
                "请求中含有无效字符（NUL），无法处理。", content_type="text/plain; charset=utf-8"
            )
        return self.get_response(request)

    @staticmethod
    def clean_search_boxes(request):
        if not any(has_nul(request.GET.getlist(name)) for name in SEARCH_BOXES):
            return
        query = request.GET.copy()
        for name in SEARCH_BOXES:
            if name in query:
                query.setlist(name, [value.replace(NUL, "") for value in query.getlist(name)])
        query._mutable = False
        request.GET = query

    @staticmethod
    def refused(request) -> bool:
        if NUL in request.path_info or has_nul(request.COOKIES) or has_nul(request.COOKIES.values()):
            return True
        for params in (request.GET, request.POST) if request.method == "POST" else (request.GET,):
            for name, values in params.lists():
                if NUL in name or has_nul(values):
                    return True
        return False


def database_unavailable(exception) -> bool:
    """Whether a database error means "cannot be reached now", not "this query is wrong".

    Both reach Django as OperationalError (an over-long tsquery word and a refused
    connection alike), but a query that is wrong will fail again: it stays a 500, logged and
    counted as the bug it is, and only an outage gets the page that says to retry."""
    if isinstance(exception, InterfaceError):
        return True
    if not isinstance(exception, OperationalError):
        return False
    cause = exception.__cause__
    sqlstate = getattr(cause, "sqlstate", None)
    if sqlstate:
        return sqlstate[:2] in UNAVAILABLE_SQLSTATE_CLASSES
    code = getattr(cause, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in UNAVAILABLE_SQLITE_CODES  # the primary code of an extended one
    return True  # no answer from a server at all: the connection itself failed


class DatabaseUnavailableMiddleware:
    """503 with a Retry-After and a Chinese page when the database cannot be reached.

    The page is rendered from templates/503.html without a request, so no context processor
    (and nothing else) touches the database that just failed. The error is still logged as
    one: returning a response here keeps Django from logging it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not database_unavailable(exception):
            return None
        logger.error("Database unavailable: %s", request.path, exc_info=exception,
                     extra={"status_code": 503, "request": request})
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response


class ReadYourWritesMiddleware:
    """With read replicas: the admin, unsafe requests and, for READ_YOUR_WRITES_SECONDS after an
    unsafe request, the same client's requests read the primary (see luzhou_kb/routers.py).
    Without replicas it does nothing (no cookie)."""

    COOKIE = "kb_primary"
    SAFE = {"GET", "HEAD", "OPTIONS", "TRACE"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not routers.replica_aliases():
            return self.get_response(request)
        unsafe = request.method not in self.SAFE
        admin = request.path.startswith("/admin/")
        token = routers._primary.set(unsafe or admin or self.COOKIE in request.COOKIES)
        try:
            response = self.get_response(request)
        finally:
            routers._primary.reset(token)
        if unsafe:
            response.set_cookie(
                self.COOKIE, "1", max_age=settings.READ_YOUR_WRITES_SECONDS, httponly=True, samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response
