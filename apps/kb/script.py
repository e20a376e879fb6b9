"""The 简/繁 display choice: stored text stays as the source wrote it; display may convert."""

from apps.core.text import to_simplified

COOKIE = "script"
SIMPLIFIED = "simp"
ORIGINAL = "orig"


def current_script(request) -> str:
    value = request.COOKIES.get(COOKIE, SIMPLIFIED) if request is not None else SIMPLIFIED
    return value if value in {SIMPLIFIED, ORIGINAL} else SIMPLIFIED


def display_text(text: str, script: str) -> str:
    return to_simplified(text) if script == SIMPLIFIED else text
