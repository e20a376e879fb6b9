"""What every step of a walk through USERS.md checks on the page it reaches: no sideways scroll
on a phone, and an axe-core scan with no violation (axe-core comes bundled in the
axe-playwright-python package and is injected into the page: nothing is fetched at run time)."""

from axe_playwright_python.sync_playwright import Axe

from .conftest import screenshot

WIDTHS = (1366, 375)
PHONE = 375
AXE = Axe()


def new_page(browser, base: str, width: int):
    context = browser.new_context(
        locale="zh-CN", viewport={"width": width, "height": 900 if width > PHONE else 812}, accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    page.base, page.width = base, width
    return page


def checked(page):
    """The page as it is now passes the checks every visited page must pass."""
    page.wait_for_load_state()
    where = page.url.removeprefix(page.base)
    if page.width <= PHONE:
        wide = page.evaluate("document.scrollingElement.scrollWidth - innerWidth")
        assert wide <= 0, f"{where} scrolls sideways by {wide} px at {page.width} px"
    results = AXE.run(page)
    assert results.violations_count == 0, f"{where} at {page.width} px:\n{results.generate_report()}"
    return page


def visit(page, path: str):
    page.goto(page.base + path)
    return checked(page)


def shot(page, task: str):
    """test-artifacts/<task>-<width>.png"""
    return screenshot(page, f"{task}-{page.width}")
