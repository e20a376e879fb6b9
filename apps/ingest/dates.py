"""Vague Chinese news dates → (first day of the period, precision). Pure functions.

Works on normalised (Simplified, NFKC) text. Relative years (今年/去年/明年) resolve against a
reference year; a month without a year belongs to the reference year.
"""

import datetime
import re
from dataclasses import dataclass

from apps.core.periods import plan_first_year

NUMERALS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
RELATIVE_YEARS = {"前年": -2, "去年": -1, "今年": 0, "明年": 1, "后年": 2}

PLAN_PERIOD = re.compile(r"[「“\"']?(十[一二三四五六七八九]?|[一二三四五六七八九])五[」”\"']?(?:规划)?(?:期间|时期)")
MONTH_DATE = re.compile(
    r"(?:(?P<rel>前年|去年|今年|明年|后年)|(?P<year>(?:19|20)\d\d)年)?"
    r"(?P<month>1[0-2]|0?[1-9])月(?:份)?"
    r"(?:(?P<day>3[01]|[12]\d|0?[1-9])日|(?P<late>底|下旬|末)|(?P<early>初|上旬)|(?P<mid>中旬))?"
    r"(?P<since>起|以来|开始)?"
)
YEAR_END = re.compile(r"(?:(?P<rel>今年|去年|明年)|(?P<year>(?:19|20)\d\d)年)(?P<part>底|末|内)")


@dataclass(frozen=True)
class DatePhrase:
    start: int  # span in the normalised text
    end: int
    date: datetime.date
    precision: str  # Milestone.Precision value
    since: bool  # 起/以来: the event runs on from that date


def plan_number(text: str) -> int:
    if text.startswith("十"):
        return 10 + NUMERALS.get(text[1:], 0) if len(text) > 1 else 10
    return NUMERALS[text]


def find_dates(text: str, reference_year: int) -> list[DatePhrase]:
    """Every date phrase in ``text`` (normalised), in order."""
    found: list[DatePhrase] = []
    for m in PLAN_PERIOD.finditer(text):
        year = plan_first_year(plan_number(m.group(1)))
        found.append(DatePhrase(m.start(), m.end(), datetime.date(year, 1, 1), "plan_period", False))
    for m in MONTH_DATE.finditer(text):
        if m.start() > 0 and text[m.start() - 1].isdigit():
            continue  # part of a longer number: 2020—2022年
        year = _year(m.group("rel"), m.group("year"), reference_year)
        month = int(m.group("month"))
        if m.group("day"):
            try:
                date, precision = datetime.date(year, month, int(m.group("day"))), "day"
            except ValueError:
                continue  # 2月30日: not a date
        elif m.group("late"):
            date, precision = datetime.date(year, month, 21), "late_month"
        else:
            date, precision = datetime.date(year, month, 1), "month"
        found.append(DatePhrase(m.start(), m.end(), date, precision, bool(m.group("since"))))
    for m in YEAR_END.finditer(text):
        if any(d.start <= m.start() < d.end for d in found):
            continue
        year = _year(m.group("rel"), m.group("year"), reference_year)
        precision = "late_month" if m.group("part") in {"底", "末"} else "year"
        date = datetime.date(year, 12, 21) if precision == "late_month" else datetime.date(year, 1, 1)
        found.append(DatePhrase(m.start(), m.end(), date, precision, False))
    return sorted(found, key=lambda d: d.start)


def _year(relative: str | None, explicit: str | None, reference_year: int) -> int:
    if explicit:
        return int(explicit)
    return reference_year + RELATIVE_YEARS.get(relative or "今年", 0)


CLOSING_YEAR = re.compile(r"今年是[「“]?(十[一二三四五六七八九]?|[一二三四五六七八九])五[」”]?(?:规划)?的?(收官|开局|起步|谋篇)")
EXPLICIT_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)年")


def infer_reference_year(text: str) -> int | None:
    """The year 今年 means: said outright (今年是“十三五”规划的收官年 → 2020), else the year
    the text names most often, else None."""
    m = CLOSING_YEAR.search(text)
    if m:
        first = plan_first_year(plan_number(m.group(1)))
        return first + 4 if m.group(2) == "收官" else first
    years = [int(y) for y in EXPLICIT_YEAR.findall(text)]
    if years:
        return max(set(years), key=lambda y: (years.count(y), y))
    return None
