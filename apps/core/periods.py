"""China's Five-Year Plans, as news writes them (“十四五”). Pure functions.

The plans have run in step since the third (1966–1970), so the fourteenth opens in 2021.
"""

import datetime

from .numerals import write_number
from .vocabulary import DatePrecision

FIRST_IN_STEP = 3
FIRST_IN_STEP_YEAR = 1966


def plan_first_year(number: int) -> int:
    return FIRST_IN_STEP_YEAR + (number - FIRST_IN_STEP) * 5


def plan_number(first_year: int) -> int:
    return (first_year - FIRST_IN_STEP_YEAR) // 5 + FIRST_IN_STEP


def plan_period_name(first_year: int) -> str:
    """2021 → 十四五, 1996 → 九五."""
    return write_number(plan_number(first_year)) + "五"


def first_day(date: datetime.date, precision: str) -> datetime.date:
    """The first day of the period ``date`` falls in, as records store it (12月底 → the 21st,
    下半年 → 1 July, “十四五”期间 → 1 January 2021), so any day of the period can be typed."""
    match precision:
        case DatePrecision.MONTH:
            return date.replace(day=1)
        case DatePrecision.LATE_MONTH:
            return date.replace(day=21)
        case DatePrecision.QUARTER:
            return datetime.date(date.year, (date.month - 1) // 3 * 3 + 1, 1)
        case DatePrecision.HALF_YEAR:
            return datetime.date(date.year, 1 if date.month < 7 else 7, 1)
        case DatePrecision.YEAR:
            return datetime.date(date.year, 1, 1)
        case DatePrecision.PLAN_PERIOD:
            first = plan_first_year(plan_number(date.year))
            return datetime.date(first if first >= 1 else date.year, 1, 1)  # no period before the year 1
    return date
