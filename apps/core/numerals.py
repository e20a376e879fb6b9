"""Chinese numerals as news writes them (十四五, 两中心, 一百零五, 第二届): the one table, read by
the parser and the date phrases, written by the plan periods. Pure functions."""

import re

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
WRITTEN = "零一二三四五六七八九"
UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
NUMERAL = "[零〇一二两三四五六七八九十百千万]"
NUMBER_RE = re.compile(rf"\d+|{NUMERAL}+")


def write_number(n: int) -> str:
    """1 → 一, 10 → 十, 14 → 十四, 20 → 二十 (0 < n < 100: the numbers of plans and sessions)."""
    if not 0 < n < 100:
        raise ValueError(f"{n} is outside 1–99")
    tens, ones = divmod(n, 10)
    return ((WRITTEN[tens] if tens > 1 else "") + "十" if tens else "") + (WRITTEN[ones] if ones else "")


def read_number(text: str) -> int | None:
    """一 → 1, 十四 → 14, 二十 → 20, 一百零五 → 105, 105 → 105; None if ``text`` is no number."""
    if not text:
        return None
    if text.isdigit():
        return int(text)
    total, current = 0, None
    for ch in text:
        if ch in DIGITS:
            current = DIGITS[ch]
        elif ch in UNITS:
            unit = UNITS[ch]
            if unit == 10000:
                total = (total + (current or 0)) * unit
            else:
                total += (1 if current is None else current) * unit
            current = None
        else:
            return None
    return total + (current or 0)


def count_display(n: int, exact: bool = True) -> str:
    """A number of results as a page says it: 42; beyond the counting cap (``exact`` false),
    the cap and a plus, in 万 when it is whole ten-thousands (1万+), as large engines say it."""
    if exact:
        return str(n)
    wan, rest = divmod(n, 10000)
    return f"{wan}万+" if wan and not rest else f"{n}+"
