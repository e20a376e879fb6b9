"""USERS.md task 6: a leader opens a shared link on a phone — Simplified by default, the original
Traditional a tap away, and a link that says ?script=orig opens in Traditional."""

import pytest
from django.urls import reverse

from apps.core.text import to_simplified
from apps.kb.models import Project, Source
from tests.kb.script_crawl import simplified_only, traditional_only

from .conftest import screenshot

pytestmark = pytest.mark.browser

WIDTHS = {1366: 900, 375: 812}


def visible_text(page) -> str:
    return page.evaluate("() => document.body.innerText")


@pytest.mark.parametrize("width", WIDTHS)
def test_a_shared_link_with_script_orig_opens_in_traditional(browser, page, width):
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": WIDTHS[width]})
    tab = context.new_page()
    project = Project.objects.get(slug="渝昆高铁川渝段")
    tab.goto(page.base + project.get_absolute_url() + "?script=orig")

    assert tab.evaluate("() => document.documentElement.lang") == "zh-Hant"
    assert tab.locator("h1").inner_text() == project.name == "渝昆高鐵川渝段"  # the source's own spelling
    text = visible_text(tab)
    assert "項目" in text and "项目" not in text and "簡體" in text  # labels too, and the way back
    written = frozenset("".join(Source.objects.values_list("text", flat=True)))
    assert not simplified_only([text], tab.url, written)
    assert tab.evaluate("() => document.documentElement.scrollWidth") <= width  # never sideways
    screenshot(tab, f"test_a_shared_link_with_script_orig_opens_in_traditional-{width}")

    # The choice stays for the links of the page (the cookie), without ?script= in them.
    tab.get_by_role("navigation", name="主導航").get_by_role("link", name="合作協議").click()
    tab.wait_for_url("**/agreements/")
    assert tab.evaluate("() => document.documentElement.lang") == "zh-Hant" and "合作協議" in visible_text(tab)

    # A tap back to Simplified, which the next pages keep.
    tab.get_by_role("button", name="簡體").click()
    tab.wait_for_url("**/agreements/")
    assert tab.evaluate("() => document.documentElement.lang") == "zh-Hans"
    assert not traditional_only([visible_text(tab)], tab.url)
    tab.goto(page.base + project.get_absolute_url())
    assert tab.locator("h1").inner_text() == to_simplified(project.name)
    context.close()


def test_the_script_rule_holds_in_the_browser_in_both_modes(page):
    """What the browser renders (not only the HTML): a few pages of every kind in both modes."""
    written = frozenset("".join(Source.objects.values_list("text", flat=True)))
    paths = [
        "/",
        reverse("kb:agreement-list"),
        Project.objects.get(slug="渝昆高铁川渝段").get_absolute_url(),
        reverse("search:search") + "?q=泸州 高铁",
        reverse("kb:timeline"),
        Source.objects.get().get_absolute_url(),
    ]
    for mode in ("simp", "orig"):
        for path in paths:
            joined = "&" if "?" in path else "?"
            page.goto(f"{page.base}{path}{joined}script={mode}")
            text = visible_text(page)
            if mode == "simp":
                assert not traditional_only([text], path), path
            else:
                assert not simplified_only([text], path, written), path
                assert page.evaluate("() => document.documentElement.lang") == "zh-Hant"
