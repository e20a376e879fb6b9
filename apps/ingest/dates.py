"""Vague Chinese news dates → (first day of the period, precision). Pure functions.

Works on normalised (Simplified, NFKC) text. Relative years (今年/去年/明年) resolve against a
reference year; a month without a year belongs to the reference year. The phrases are in
``rules/dates.toml``; the patterns here only put them together.
"""

import datetime
import re
from dataclasses import dataclass

from apps.core.numerals import read_number
from apps.core.periods import plan_first_year
from apps.core.vocabulary import DatePrecision

from .rules import table

RULES = table("dates")
RELATIVE_YEARS: dict[str, int] = RULES["relative_years"]
YEAR_PARTS: dict[str, list] = RULES["year_parts"]
_REL = "|".join(sorted(RELATIVE_YEARS, key=len, reverse=True))
_PARTS = "|".join(sorted(YEAR_PARTS, key=len, reverse=True))

PLAN_PERIOD = re.compile(r"[「“\"']?(十[一二三四五六七八九]?|[一二三四五六七八九])五[」”\"']?(?:规划)?(?:期间|时期)")
MONTH_DATE = re.compile(
    rf"(?:(?P<rel>{_REL})|(?P<year>(?:19|20)\d\d)年)?"
    r"(?P<month>1[0-2]|0?[1-9])月(?:份)?"
    r"(?:(?P<day>3[01]|[12]\d|0?[1-9])日|(?P<late>底|下旬|末)|(?P<early>初|上旬)|(?P<mid>中旬))?"
    r"(?P<since>起|以来|开始)?"
)
YEAR_PART = re.compile(
    rf"(?:(?P<rel>{_REL})|(?P<year>(?:19|20)\d\d)年)?(?P<part>{_PARTS})"
    rf"|(?:(?P<rel2>{_REL})|(?P<year2>(?:19|20)\d\d)年)(?P<short>[底末初内])"
)  # 明年底 = 明年年底
BARE_YEAR = re.compile(rf"(?:(?P<rel>{_REL})|(?<![\d—\-~至])(?P<year>(?:19|20)\d\d)年)(?P<since>以来)?")
NEARLY = re.compile(r"近日|日前")


@dataclass(frozen=True)
class DatePhrase:
    start: int  # span in the normalised text
    end: int
    date: datetime.date
    precision: str  # Milestone.Precision value
    since: bool  # 起/以来: the event runs on from that date


def plan_number(text: str) -> int:
    return read_number(text)


def find_dates(text: str, reference_year: int, published: datetime.date | None = None) -> list[DatePhrase]:
    """Every date phrase in ``text`` (normalised), in order, none overlapping another. The more
    precise readings come first: 2025年6月26日 is a day, not the year 2025."""
    found: list[DatePhrase] = []
    readers = [plan_periods, month_dates, year_parts, bare_years]
    phrases = [p for read in readers for p in read(text, reference_year)]
    if published:  # 近日: the month the article came out
        phrases += [
            DatePhrase(m.start(), m.end(), published.replace(day=1), DatePrecision.MONTH, False)
            for m in NEARLY.finditer(text)
        ]
    for phrase in phrases:
        if not any(d.start < phrase.end and phrase.start < d.end for d in found):
            found.append(phrase)
    return sorted(found, key=lambda d: d.start)


def _after_digit(text: str, m: re.Match) -> bool:
    return m.start() > 0 and text[m.start() - 1].isdigit()  # part of a longer number: 2020—2022年


def plan_periods(text: str, reference_year: int):
    for m in PLAN_PERIOD.finditer(text):
        year = plan_first_year(plan_number(m.group(1)))
        yield DatePhrase(m.start(), m.end(), datetime.date(year, 1, 1), DatePrecision.PLAN_PERIOD, False)


def month_dates(text: str, reference_year: int):
    for m in MONTH_DATE.finditer(text):
        if _after_digit(text, m):
            continue
        year = _year(m.group("rel"), m.group("year"), reference_year)
        month = int(m.group("month"))
        if m.group("day"):
            try:
                date, precision = datetime.date(year, month, int(m.group("day"))), DatePrecision.DAY
            except ValueError:
                continue  # 2月30日: not a date
        elif m.group("late"):
            date, precision = datetime.date(year, month, 21), DatePrecision.LATE_MONTH
        else:
            date, precision = datetime.date(year, month, 1), DatePrecision.MONTH
        yield DatePhrase(m.start(), m.end(), date, precision, bool(m.group("since")))


def year_parts(text: str, reference_year: int):
    for m in YEAR_PART.finditer(text):
        if (m.group("year") or m.group("year2")) and _after_digit(text, m):
            continue
        month, day, precision = YEAR_PARTS[m.group("part") or "年" + m.group("short")]
        year = _year(m.group("rel") or m.group("rel2"), m.group("year") or m.group("year2"), reference_year)
        yield DatePhrase(m.start(), m.end(), datetime.date(year, month, day), precision, False)


def bare_years(text: str, reference_year: int):
    """去年, 到2030年: a year alone dates an event when it opens its clause (or follows 到/在…);
    inside a clause it describes (泸州市今年布局的项目…), and before 是 it is the subject (今年是…)."""
    for m in BARE_YEAR.finditer(text):
        after = text[m.end() :]
        if after.startswith(tuple(RULES["not_dates_after"])):
            continue
        if m.group("year") and (after[:1].isdigit() or after.startswith(("—", "-", "~", "至"))):
            continue  # 2020—2022年, a range: the period of a title, not a date
        opens = (
            m.start() == 0
            or text[m.start() - 1] in ",，。；;：:、（(到于在至从自—"
            or text[: m.start()].endswith("截至")
        )
        if not opens:
            continue
        year = _year(m.group("rel"), m.group("year"), reference_year)
        yield DatePhrase(m.start(), m.end(), datetime.date(year, 1, 1), DatePrecision.YEAR, bool(m.group("since")))


def _year(relative: str | None, explicit: str | None, reference_year: int) -> int:
    if explicit:
        return int(explicit)
    return reference_year + RELATIVE_YEARS.get(relative or "今年", 0)


CLOSING_YEAR = re.compile(
    r"今年是[「“]?(十[一二三四五六七八九]?|[一二三四五六七八九])五[」”]?(?:规划)?的?(收官|开局|起步|谋篇)"
)
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
