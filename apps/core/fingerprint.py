"""The fingerprint that identifies a text, so the same article is never imported twice."""

import hashlib


def text_fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
