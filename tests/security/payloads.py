"""Hostile inputs, each as the raw percent-encoded text that goes on the wire (a query value,
a form value or a path segment), so that bytes a browser would never send (NUL, invalid
UTF-8, lone surrogates) really reach the server instead of being cleaned by the test client."""

from urllib.parse import quote


def text(value: str) -> str:
    return quote(value, safe="")


PAYLOADS = [
    # NUL: PostgreSQL text cannot hold it.
    "%00", "a%00b", text("泸州") + "%00",
    # Invalid UTF-8: stray bytes, overlong, a lone surrogate, past U+10FFFF, truncated, bad escapes.
    "%FF%FE", "%C0%AF", "%ED%A0%80", "%F4%90%80%80", "%E4%B8", "%80", "%", "%G0",
    # Numbers: huge, negative, not finite, not decimal; dates that do not exist.
    "99999999999999999999", "-99999999999999999999", "9223372036854775808", "99999999999", "-1", "0",
    "1e309", "NaN", "1.5", "0x10", text("١٢٣"), text("１２"), text("2020-13-45"), text("99999999999-01-01"),
    # Control characters and line breaks.
    text("\x01\x02\x1b[31m\t\x0b"), text("\r\nSet-Cookie: x=1"), text("\x7f"),
    # FTS5 syntax.
    text('"'), text('"unterminated'), text("NEAR(a b, 1)"), text("*"), text("^"), text("AND OR NOT"),
    text("{title body}: x"), text("-"),
    # tsquery syntax.
    text("&|!():*<->"), text("'"), text("a:*"), text("\\"),
    # SQL and LIKE.
    text("' OR 1=1 --"), text("1; DROP TABLE kb_project; --"), text("%_%"),
    # HTML, templates, redirects, paths.
    text("<script>alert(1)</script>"), text('"><img src=x onerror=alert(1)>'), text("{{ 7*7 }}"),
    text("{% debug %}"), text("//evil.example/"), text("../../etc/passwd"), "%2F",
    # Long strings, and Unicode that NFKC expands or that trips up text handling.
    "a" * 5000, "a" * 2100, text("泸州" * 3000), text("㌀" * 500), text("ﷺ" * 300),
    text("\u202eabc\u200f"), text("👍🏽👨\u200d👩\u200d👧"), text("e" + "\u0301" * 200), text("\u200b\ufeff"),
    text("\uffff\U0010ffff"), text("ß ǅ İ ﬃ"),
    # Ordinary and empty values, as a control.
    "", text("   "), text("瀘州"), text("S33泸永高速"),
]
