"""The article as it was uploaded, kept between the review and the save.

The review page used to post the decoded text back, so the save step measured and read it
again: a GB18030 file under the size cap came back as larger UTF-8 and was refused after
review. The bytes are kept once, server-side, in the shared cache (every gunicorn worker
sees them), for the reviewer who uploaded them; the save reads exactly what was reviewed.
"""

import re
import secrets

from django.core.cache import cache

KEPT_SECONDS = 2 * 60 * 60
TOKEN = re.compile(r"[A-Za-z0-9_-]{22}")


def _key(token: str, user_id) -> str:
    return f"import-article:{user_id}:{token}"


def keep_article(raw: bytes, *, user_id) -> str:
    token = secrets.token_urlsafe(16)
    cache.set(_key(token, user_id), raw, KEPT_SECONDS)
    return token


def kept_article(token: str, *, user_id) -> bytes | None:
    """The bytes kept under ``token`` for this user, or None when unknown or expired."""
    if not TOKEN.fullmatch(token or ""):
        return None
    return cache.get(_key(token, user_id))


def discard_article(token: str, *, user_id) -> None:
    if TOKEN.fullmatch(token or ""):
        cache.delete(_key(token, user_id))
