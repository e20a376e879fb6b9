"""The parser's public face: ``parse_article`` (the staged pipeline in ``pipeline.py``),
``read_text`` for uploaded bytes, and ``split_passages``. Pure functions, no ORM."""

from .pipeline import ArticleError, detect_script, parse_article
from .stages.split import split_passages

__all__ = ["ArticleError", "detect_script", "parse_article", "read_text", "split_passages"]


def read_text(data: bytes) -> str:
    """Bytes of an uploaded or given file → text; UTF-8 (with or without BOM) or GB18030."""
    if not data.strip():
        raise ArticleError("the file is empty")
    if b"\x00" in data[:4096]:
        raise ArticleError("the file is binary, not text (it contains NUL bytes)")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ArticleError("the file is neither UTF-8 nor GB18030 text")
