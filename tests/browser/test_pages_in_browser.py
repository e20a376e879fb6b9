import pytest

from apps.kb.models import Milestone, Project

from .conftest import screenshot

pytestmark = pytest.mark.browser


def test_search_from_home_reaches_the_project(page):
    page.goto(page.base + "/")
    page.get_by_label("全文检索").last.fill("泸州 高铁")
    page.get_by_label("全文检索").last.press("Enter")
    page.wait_for_url("**/search/**")
    screenshot(page, "search-results")
    page.get_by_role("link", name="渝昆高铁川渝段", exact=True).first.click()
    assert page.locator("h1").inner_text() == "渝昆高铁川渝段"
    assert "已批复/入选" in page.locator(".facts").inner_text()


def test_filter_projects_by_status(page):
    page.goto(page.base + "/projects/")
    page.get_by_role("region", name="状态").get_by_role("checkbox", name="在建").click()
    page.wait_for_url("**status=building**")
    names = set(page.locator("table.records tbody td:first-child a").all_inner_texts())
    expected = {p.name for p in Project.objects.filter(status="building")}
    assert names == {n.replace("瀘", "泸") for n in expected} and names
    screenshot(page, "projects-building")


@pytest.mark.parametrize("javascript", [True, False])
def test_task_1_agreements_with_chongqing_districts(browser, page, javascript):
    """USERS.md task 1, also with JavaScript off: the facets and sorts are plain links."""
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


def test_script_toggle_switches_the_text(page):
    project = Project.objects.get(slug="渝昆高铁川渝段")
    page.goto(page.base + project.get_absolute_url())
    assert page.locator("h1").inner_text() == "渝昆高铁川渝段"
    page.get_by_role("button", name="原文繁体").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "渝昆高鐵川渝段"
    page.reload()
    assert page.locator("h1").inner_text() == "渝昆高鐵川渝段"  # remembered in a cookie
    page.get_by_role("button", name="簡體").click()  # the button reads in the script of the page
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "渝昆高铁川渝段"


@pytest.mark.parametrize("path", ["/", "/initiatives/", "/projects/", "/agreements/", "/documents/",
                                  "/timeline/", "/sources/", "/search/?q=泸永江"])
def test_main_pages_on_a_phone_have_no_horizontal_scroll(page, path):
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(page.base + path)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    screenshot(page, "phone" + path.replace("/", "_").replace("?", "_").replace("=", "_"))
    assert overflow <= 0
