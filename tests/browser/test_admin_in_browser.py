"""The admin as a planner in another time zone sees it: a milestone's date is a plain date, so
no "你比服务器时间滞后8个小时" note under it (the server runs on Asia/Shanghai)."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from apps.kb.models import Milestone

from .conftest import screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def page_in_utc(browser, live_server, transactional_db):
    from io import StringIO

    from django.core.management import call_command

    call_command("load_plan", stdout=StringIO())
    context = browser.new_context(locale="zh-CN", timezone_id="UTC", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    page.base = live_server.url
    yield page
    context.close()


def test_milestone_dates_carry_no_time_zone_warning(page_in_utc):
    page = page_in_utc
    User.objects.create_superuser("root", password="pw-root-1")
    page.goto(page.base + reverse("admin:login"))
    page.fill("#id_username", "root")
    page.fill("#id_password", "pw-root-1")
    page.click("input[type=submit]")
    milestone = Milestone.objects.filter(project__isnull=False).first()
    page.goto(page.base + reverse("admin:kb_milestone_change", args=[milestone.pk]))
    page.locator(".field-date .datetimeshortcuts").wait_for()  # DateTimeShortcuts.js has run
    # The browser is 8 hours behind the server: Django's script would warn under every date.
    assert page.evaluate("DateTimeShortcuts.timezoneOffset") == -8 * 3600
    screenshot(page, "admin-milestone-change-utc")
    assert page.locator(".timezonewarning").count() == 0
    body = page.locator("body").inner_text()
    assert "服务器时间" not in body and "时区" not in body
    # The project's milestones inline has date inputs too.
    page.goto(page.base + reverse("admin:kb_project_change", args=[milestone.project_id]))
    page.locator(".field-date .datetimeshortcuts").first.wait_for()
    assert page.locator(".timezonewarning").count() == 0
