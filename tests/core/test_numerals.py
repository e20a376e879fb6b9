import pytest

from apps.core.numerals import read_number, write_number
from apps.core.periods import plan_first_year, plan_period_name


@pytest.mark.parametrize(("text", "number"), [("一", 1), ("十", 10), ("十四", 14), ("二十", 20), ("两", 2),
                                              ("一百零五", 105), ("三千", 3000), ("105", 105)])
def test_numbers_as_news_writes_them(text, number):
    assert read_number(text) == number


def test_what_is_written_reads_back_for_every_plan_and_session_number():
    assert [read_number(write_number(n)) for n in range(1, 100)] == list(range(1, 100))
    assert (write_number(14), write_number(9), write_number(20)) == ("十四", "九", "二十")


@pytest.mark.parametrize("text", ["", "泸州", "十x"])
def test_what_is_no_number_reads_as_none(text):
    assert read_number(text) is None


def test_plan_periods_use_the_same_numerals():
    assert plan_period_name(2021) == "十四五" and plan_period_name(1996) == "九五"
    assert plan_first_year(read_number("十四")) == 2021
