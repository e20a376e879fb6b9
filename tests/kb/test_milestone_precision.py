"""Half-year and quarter precision (上半年, 一季度): the stored date is the first day of the
period, checked by the database itself, and shown as vague as the source wrote it."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from apps.kb.models import Milestone

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("date", "precision", "shown", "label"),
    [
        ("2020-01-01", "half_year", "2020年上半年", "上半年"),
        ("2020-07-01", "half_year", "2020年下半年", "下半年"),
        ("2020-04-01", "quarter", "2020年第二季度", "第二季度"),
        ("2020-10-01", "quarter", "2020年第四季度", "第四季度"),
    ],
)
def test_a_period_of_the_year_is_stored_and_shown(date, precision, shown, label):
    m = Milestone.objects.create(
        slug=f"m-{date}-{precision}",
        title="泸州港吞吐量增长",
        date=datetime.date.fromisoformat(date),
        date_precision=precision,
    )
    m.refresh_from_db()
    assert (m.date_display, m.period_label) == (shown, label)


@pytest.mark.parametrize(
    ("date", "precision"),
    [("2020-02-01", "quarter"), ("2020-04-01", "half_year"), ("2020-07-02", "quarter"), ("2020-03-01", "year")],
)
def test_a_date_that_is_not_the_first_day_of_its_period_is_refused_by_the_database(date, precision):
    with pytest.raises(IntegrityError), transaction.atomic():
        Milestone.objects.create(
            slug="bad", title="x", date=datetime.date.fromisoformat(date), date_precision=precision
        )
