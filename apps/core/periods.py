"""China's Five-Year Plans, as news writes them (“十四五”). Pure functions.

The plans have run in step since the third (1966–1970), so the fourteenth opens in 2021.
"""

from .numerals import write_number

FIRST_IN_STEP = 3
FIRST_IN_STEP_YEAR = 1966


def plan_first_year(number: int) -> int:
    return FIRST_IN_STEP_YEAR + (number - FIRST_IN_STEP) * 5


def plan_number(first_year: int) -> int:
    return (first_year - FIRST_IN_STEP_YEAR) // 5 + FIRST_IN_STEP


def plan_period_name(first_year: int) -> str:
    """2021 → 十四五, 1996 → 九五."""
    return write_number(plan_number(first_year)) + "五"
