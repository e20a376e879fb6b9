"""The 简/繁 display choice: stored text stays as the source wrote it; what the reader sees is
converted to the script they chose, as the last step of every response (``ScriptMiddleware``).

Why there and not in the database or in each template: the records keep the source's own
spelling (the evidence of what it said), and every surface — pages, snippets, facets, CSV and
JSON, the Atom feed, the API, the admin and the import review — is then in one script without
each template, column or export remembering to convert. The templates only mark what must stay
exactly as written (``keep``: a Traditional original in the Traditional mode).
"""

import json
import logging
import re

from django.utils.cache import patch_vary_headers

from apps.core.script_convert import KEEP_CLOSE, KEEP_OPEN, convert_markup, convert_text, keep, strip_marks
from apps.core.text import to_simplified, to_traditional, written_in_traditional

logger = logging.getLogger(__name__)

COOKIE = "script"
PARAMETER = "script"  # ?script=simp|orig on any URL: a shared link carries the choice
SIMPLIFIED = "simp"
ORIGINAL = "orig"
CHOICES = {SIMPLIFIED, ORIGINAL}
LANG = {SIMPLIFIED: "zh-Hans", ORIGINAL: "zh-Hant"}
COOKIE_AGE = 365 * 24 * 3600


def current_script(request) -> str:
    if request is None:
        return SIMPLIFIED
    chosen = getattr(request, "script", None)  # set by ScriptMiddleware (?script= or the cookie)
    if chosen in CHOICES:
        return chosen
    value = request.COOKIES.get(COOKIE, SIMPLIFIED)
    return value if value in CHOICES else SIMPLIFIED


def chosen_in_link(request) -> str | None:
    value = request.GET.get(PARAMETER)
    return value if value in CHOICES else None


# A run of Chinese characters: what a separator (、，。 a space, a digit, a bracket) does not cut.
# A name, a clause; a composed label ("2020年12月底（预计） 渝昆高鐵川渝段動工") is several runs.
_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")


def display_text(text: str, script: str) -> str:
    """The text in the reader's script. In the Traditional mode a run written in Traditional
    stays as written (OpenCC s2t would change some of its characters: 布局 → 佈局)."""
    if script == SIMPLIFIED:
        return to_simplified(text)
    return _RUN.sub(lambda m: m.group() if written_in_traditional(m.group()) else to_traditional(m.group()), text)


def as_written(text: str, script: str) -> str:
    """For a template: in the Traditional mode, the runs written in Traditional (a name or a
    quote of a Traditional source) marked to pass the response's conversion unchanged, the rest
    (a label, a place from the gazetteer) left to it; in the Simplified mode, converted."""
    if script == SIMPLIFIED:
        return to_simplified(text)
    return _RUN.sub(lambda m: keep(m.group()) if written_in_traditional(m.group()) else m.group(), text)


CONVERTERS = {SIMPLIFIED: to_simplified, ORIGINAL: to_traditional}
MARKUP = (
    "text/html",
    "application/xhtml+xml",
    "application/atom+xml",
    "application/rss+xml",
    "application/xml",
    "text/xml",
)
PLAIN = ("text/csv", "text/plain")
JSON = ("application/json",)


def convert_body(body: str, content_type: str, script: str) -> str:
    convert = CONVERTERS[script]
    if content_type in MARKUP:
        converted = convert_markup(body, convert)
        return _lang(converted, script) if script == ORIGINAL else converted
    if content_type in JSON and "\\u" in body:  # escaped characters: convert the decoded strings
        return json.dumps(_convert_json(json.loads(body), convert), ensure_ascii=False)
    return convert_text(body, convert)


def _convert_json(value, convert):
    if isinstance(value, str):
        return convert_text(value, convert)
    if isinstance(value, list):
        return [_convert_json(v, convert) for v in value]
    if isinstance(value, dict):
        return {k: _convert_json(v, convert) for k, v in value.items()}
    return value


def _lang(markup: str, script: str) -> str:
    """The document's language follows its script (screen readers, fonts, the browser's own
    translation offer): <html lang="zh-Hant">, an Atom feed's xml:lang too."""
    head, rest = markup[:2000], markup[2000:]
    for name in ("lang", "xml:lang"):
        for old in ('"zh-Hans"', '"zh-hans"'):
            head = head.replace(f" {name}={old}", f' {name}="{LANG[script]}"', 1)
    return head + rest


class ScriptMiddleware:
    """Reads the reader's choice (``?script=`` first, then the cookie), remembers a choice made
    by a link in the cookie, and converts what the response shows to that script."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        linked = chosen_in_link(request)
        request.script = linked or current_script(request)
        if PARAMETER in request.GET:
            # The choice is the middleware's; a view that checks its parameters (the admin's
            # change lists refuse unknown ones) never sees it.
            query = request.GET.copy()
            del query[PARAMETER]
            query._mutable = False
            request.GET = query
        response = self.get_response(request)
        if linked and request.COOKIES.get(COOKIE) != linked:
            response.set_cookie(COOKIE, linked, max_age=COOKIE_AGE, samesite="Lax")
        self.convert(response, request.script)
        return response

    @staticmethod
    def convert(response, script):
        patch_vary_headers(response, ["Cookie"])  # one URL, two scripts: a cache must not mix them
        if response.streaming or not response.content:
            return
        content_type, _, params = response.get("Content-Type", "").partition(";")
        content_type = content_type.strip().lower()
        if content_type not in MARKUP + PLAIN + JSON:
            return
        charset = params.split("charset=")[-1].strip() if "charset=" in params else "utf-8"
        try:
            body = response.content.decode(charset)
        except (LookupError, UnicodeDecodeError):
            return
        try:
            converted = convert_body(body, content_type, script)
            content = converted.encode(charset)
        except (ValueError, UnicodeError):  # not the JSON it says, or text the charset cannot hold
            logger.warning("Response to %s left in its script: not convertible", content_type, exc_info=True)
            if KEEP_OPEN in body or KEEP_CLOSE in body:
                response.content = strip_marks(body).encode(charset, errors="replace")
            return
        if converted != body:
            response.content = content
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
        if content_type in MARKUP or content_type in PLAIN:
            response["Content-Language"] = LANG[script]


__all__ = [
    "COOKIE",
    "KEEP_CLOSE",
    "KEEP_OPEN",
    "ORIGINAL",
    "SIMPLIFIED",
    "ScriptMiddleware",
    "as_written",
    "current_script",
    "display_text",
    "keep",
    "strip_marks",
]
