"""Issue 12 item 5: time made explicit. "Today" is frozen in every test (apps.kb.clock.today)."""

import datetime

import pytest
from django.urls import reverse

from apps.kb import clock
from apps.kb.models import Agreement, Initiative, Milestone, PolicyDocument, Project, Source, period_end
from apps.kb.querysets import period_ended

pytestmark = pytest.mark.django_db

SOURCE_DATE = datetime.date(2020, 11, 15)  # soon after the seed came out
YEARS_LATER = datetime.date(2026, 11, 30)
IN_2023 = datetime.date(2023, 3, 1)


@pytest.fixture
def frozen(monkeypatch):
    def freeze(day):
        monkeypatch.setattr(clock, "today", lambda: day)
    return freeze


def section(body, heading_id):
    """The HTML of the <section> headed by ``heading_id`` ("" when absent)."""
    at = body.find(f'id="{heading_id}"')
    if at < 0:
        return ""
    return body[body.rfind("<section", 0, at):body.find("</section>", at)]


def test_the_seed_is_dated_november_2020_to_the_month(plan):
    source = Source.objects.get()
    assert (source.published, source.published_precision) == (datetime.date(2020, 11, 1), "month")
    assert source.published_display == "2020年11月"


@pytest.mark.parametrize("url", [
    reverse("kb:home"), reverse("kb:project-list"), reverse("kb:agreement-list"), reverse("kb:timeline"),
])
def test_lists_and_home_say_as_of_when(plan, client, frozen, url):
    frozen(YEARS_LATER)
    assert "据原文（2020年11月）" in client.get(url).content.decode()


def test_record_pages_say_the_date_of_their_newest_source(plan, client):
    project = Project.objects.get(slug="渝昆高铁川渝段")
    assert "据原文（2020年11月）" in client.get(project.get_absolute_url()).content.decode()
    newer = Source.objects.create(slug="newer", title="后来的报道", text="渝昆高铁川渝段进展。",
                                  published=datetime.date(2021, 6, 1), published_precision="month")
    project.evidence.add(newer.passages.create(position=1, text="渝昆高铁川渝段进展。"))
    body = client.get(project.get_absolute_url()).content.decode()
    assert "据原文（2021年6月）" in body and "据原文（2020年11月）" not in body


def test_the_plan_is_as_of_the_newest_source_a_record_cites_whatever_its_kind(plan):
    newer = Source.objects.create(slug="newer", title="后来的报道", text="进展。", published=datetime.date(2021, 6, 1))
    passage = newer.passages.create(position=1, text="进展。")
    Source.objects.create(slug="uncited", title="未引用", text="无。", published=datetime.date(2022, 1, 1))
    # a newer document whose passages no record cites says nothing about the plan
    assert Source.objects.newest_published().slug == "luzhou-chengyu-integration-2020"
    for model in (Initiative, Project, Agreement, PolicyDocument, Milestone):
        record = model.objects.first()
        record.evidence.add(passage)
        assert Source.objects.newest_published() == newer, model
        record.evidence.remove(passage)
        assert Source.objects.newest_published() != newer, model


@pytest.mark.parametrize("today, overdue, upcoming", [
    (SOURCE_DATE, [], ["渝昆高鐵川渝段動工", "渝昆高鐵川渝段建成通車"]),
    (datetime.date(2020, 12, 31), [], ["渝昆高鐵川渝段動工", "渝昆高鐵川渝段建成通車"]),  # 12月底 runs to its end
    (datetime.date(2021, 1, 1), ["渝昆高鐵川渝段動工"], ["渝昆高鐵川渝段建成通車"]),
    (datetime.date(2025, 12, 31), ["渝昆高鐵川渝段動工"], ["渝昆高鐵川渝段建成通車"]),  # 十四五 to 2025's end
    (datetime.date(2026, 1, 1), ["渝昆高鐵川渝段動工", "渝昆高鐵川渝段建成通車"], []),
])
def test_overdue_and_upcoming_split_at_today(plan, today, overdue, upcoming):
    assert [m.title for m in Milestone.objects.overdue(today)] == overdue
    assert [m.title for m in Milestone.objects.upcoming(today)] == upcoming
    flagged = {m.title for m in Milestone.objects.with_overdue(today) if m.overdue}
    assert flagged == set(overdue)


def test_every_precision_ends_with_its_period(plan):
    cases = [  # (first day, precision, last day of its period)
        (datetime.date(2022, 3, 9), "day", datetime.date(2022, 3, 9)),
        (datetime.date(2022, 3, 1), "month", datetime.date(2022, 3, 31)),
        (datetime.date(2022, 3, 21), "late_month", datetime.date(2022, 3, 31)),
        (datetime.date(2022, 4, 1), "quarter", datetime.date(2022, 6, 30)),
        (datetime.date(2022, 7, 1), "half_year", datetime.date(2022, 12, 31)),
        (datetime.date(2022, 1, 1), "year", datetime.date(2022, 12, 31)),
        (datetime.date(2026, 1, 1), "plan_period", datetime.date(2030, 12, 31)),
    ]
    for first, precision, last in cases:
        m = Milestone.objects.create(slug=f"t-{precision}", title=f"t {precision}", date=first,
                                     date_precision=precision, status="planned")
        mine = Milestone.objects.filter(pk=m.pk)
        assert not mine.filter(period_ended(last)).exists(), (precision, last)
        assert mine.filter(period_ended(last + datetime.timedelta(days=1))).exists(), (precision, last)
        # the Python twin the templates use agrees with the database
        assert period_end(first, precision) == last
        assert not m.overdue_on(last) and m.overdue_on(last + datetime.timedelta(days=1))


def test_next_is_the_default_timeline_and_starts_at_today(plan, client, frozen):
    frozen(SOURCE_DATE)
    response = client.get(reverse("kb:timeline"))
    assert response.context["view"] == "next"
    body = response.content.decode()
    assert "从今天（2020年11月15日）起" in body
    nxt = section(body, "next-h")
    assert "2020年12月底（预计）" in nxt
    assert "2020年9月24日" not in nxt  # done work is not what comes next
    assert "预计时间已过，待核实" not in body.split('id="next-h"', 1)[1].split("</section>", 1)[0]
    assert not section(body, "overdue-h")


def test_years_later_the_december_plan_is_overdue_not_next(plan, client, frozen):
    frozen(YEARS_LATER)
    body = client.get(reverse("kb:timeline")).content.decode()
    overdue = section(body, "overdue-h")
    assert "2020年12月底（预计）" in overdue and "预计时间已过，待核实" in overdue
    assert "2020年12月底" not in section(body, "next-h")


def test_a_plan_period_is_a_band_not_january_2021(plan, client, frozen):
    frozen(IN_2023)
    body = client.get(reverse("kb:timeline")).content.decode()
    band = body[body.index('class="band"'):]
    band = band[:band.index("</section>")]
    assert "“十四五”期间（2021—2025年）" in band and "渝昆高铁川渝段建成通车" in band
    nxt = section(body, "next-h")
    assert "渝昆高铁川渝段建成通车" not in nxt and "2021年1月" not in body and "<h3>2021年</h3>" not in body
    # the full view draws it as a band too, not under 2021年 / 1月
    full = client.get(reverse("kb:timeline"), {"view": "all"}).content.decode()
    assert 'id="y2021"' not in full and "2021年1月" not in full
    band = full[full.index('class="band"'):]
    assert "渝昆高铁川渝段建成通车" in band[:band.index("</section>")]


def test_planned_work_with_no_date_is_listed_as_undated(plan, client, frozen):
    frozen(SOURCE_DATE)
    body = client.get(reverse("kb:timeline")).content.decode()
    undated = section(body, "undated-h")
    assert "时间未定" in undated
    drafting = PolicyDocument.objects.get(title__contains="十四五")
    assert drafting.status == "drafting" and drafting.get_absolute_url() in undated
    # a project with a planned milestone has a date: not undated
    assert Project.objects.get(slug="渝昆高铁川渝段").get_absolute_url() not in undated
    issued = PolicyDocument.objects.filter(status="issued").first()
    assert issued.get_absolute_url() not in undated


def test_home_upcoming_leaves_out_overdue_plans(plan, client, frozen):
    frozen(YEARS_LATER)
    body = client.get(reverse("kb:home")).content.decode()
    upcoming = body[body.index("<h2>即将进行</h2>"):]
    upcoming = upcoming[:upcoming.index("</ul>")]
    assert "2020年12月底" not in upcoming and "十四五" not in upcoming
    assert "2 项预计时间已过，待核实" in body
    frozen(SOURCE_DATE)
    body = client.get(reverse("kb:home")).content.decode()
    upcoming = body[body.index("<h2>即将进行</h2>"):]
    upcoming = upcoming[:upcoming.index("</ul>")]
    assert "2020年12月底（预计）" in upcoming and "预计时间已过" not in body
    # the plan period comes after the dated plan, and reads as a period, not as January 2021
    assert upcoming.index("2020年12月底") < upcoming.index("“十四五”期间（2021—2025年）")
    assert "2021年1月" not in upcoming


def test_record_pages_flag_overdue_plans_by_the_same_today(plan, client, frozen):
    project = Project.objects.get(slug="渝昆高铁川渝段")
    milestone = Milestone.objects.get(date_precision="late_month", status="planned")
    frozen(SOURCE_DATE)
    assert "预计时间已过" not in client.get(project.get_absolute_url()).content.decode()
    assert "预计时间已过" not in client.get(milestone.get_absolute_url()).content.decode()
    frozen(datetime.date(2021, 1, 1))
    body = client.get(project.get_absolute_url()).content.decode()
    assert body.count("预计时间已过，待核实") == 1  # the December plan only; 十四五 still runs
    assert "预计时间已过，待核实" in client.get(milestone.get_absolute_url()).content.decode()
