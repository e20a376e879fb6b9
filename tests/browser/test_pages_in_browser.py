import pytest

from apps.kb.models import Milestone, Project

from .conftest import screenshot
from .walk import PHONE, new_page, visit

pytestmark = pytest.mark.browser


def test_filter_projects_by_status(page):
    page.goto(page.base + "/projects/")
    page.get_by_role("region", name="状态").get_by_role("checkbox", name="在建").click()
    page.wait_for_url("**status=building**")
    names = set(page.locator("table.records tbody td:first-child a").all_inner_texts())
    expected = {p.name for p in Project.objects.filter(status="building")}
    assert names == {n.replace("瀘", "泸") for n in expected} and names
    screenshot(page, "projects-building")


def test_task_1_works_with_javascript_off(browser, page):
    """USERS.md task 1 (walked with JavaScript in test_user_tasks.py) with JavaScript off: the
    facets and sorts are plain links."""
    javascript = False
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900},
                                  java_script_enabled=javascript, accept_downloads=True)
    base, page = page.base, context.new_page()
    page.goto(base + "/agreements/")
    page.get_by_role("region", name="合作对象").get_by_role("checkbox", name="重庆市").click()
    page.wait_for_url("**partner=**")
    page.get_by_role("columnheader", name="日期（按原文）").get_by_role("link").click()
    page.wait_for_url("**ordering=date**")
    rows = page.locator("table.records tbody tr")
    assert rows.count() == 6
    text = page.locator("table.records").inner_text()
    assert "永川区" in text and "2019年11月" not in text  # the dated consensus has no Chongqing party
    assert text.index("2020年4月") < text.index("泸州、永川、江津合作共识")  # dated first, undated last
    assert page.get_by_role("link", name="移除筛选条件：合作对象 重庆市").is_visible()
    screenshot(page, f"agreements-chongqing-by-date{'' if javascript else '-no-js'}")
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV（Excel）").click()
    body = open(download.value.path(), encoding="utf-8-sig").read()
    assert body.startswith("名称,类型,日期（按原文）,签约各方,链接") and body.count("http") == 6
    context.close()


def test_evidence_is_highlighted_in_the_source(page):
    milestone = Milestone.objects.get(date_precision="late_month")
    page.goto(page.base + milestone.get_absolute_url())
    page.locator(".evidence a").first.click()
    mark = page.locator("mark.evidence")
    mark.wait_for()
    assert "预计12月底动工" in mark.inner_text()
    assert mark.is_visible()
    screenshot(page, "source-evidence")


# The pages the walks of test_user_tasks.py (home, agreements, timeline, search, a project, an
# initiative, the admin) do not reach.
PHONE_PAGES = ["/initiatives/", "/projects/", "/documents/", "/sources/"]


def test_main_pages_on_a_phone_have_no_sideways_scroll_and_pass_axe(browser, page):
    """The lists the walks of test_user_tasks.py do not reach, on a phone."""
    page_ = new_page(browser, page.base, PHONE)
    for path in PHONE_PAGES:
        visit(page_, path)  # no sideways scroll at 375 px, no axe-core violation
        screenshot(page_, "phone" + path.replace("/", "_").replace("?", "_").replace("=", "_"))
    page_.context.close()
