"""The search page on a phone and on a desktop (issue 12, item 7): the header is short, the
results come first, the kind facets fold away behind a <details> toggle on a phone."""

import pytest

from .conftest import screenshot

pytestmark = pytest.mark.browser

PAGES = ["/", "/projects/", "/timeline/", "/search/?q=渝昆高铁"]


@pytest.mark.parametrize("path", PAGES)
def test_the_header_is_at_most_100_px_tall_on_a_phone(page, path):
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(page.base + path)
    height = page.locator("header.site-header").bounding_box()["height"]
    assert height <= 100, height
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0


def test_on_a_phone_the_first_result_is_above_the_fold_and_the_facets_fold_away(page):
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(page.base + "/search/?q=高铁")
    screenshot(page, "phone_search_results")
    first = page.locator("article.hit").first.bounding_box()
    assert first["y"] + 40 <= 812, first  # its title (at least) is on the first screen
    facets = page.locator("details.refine")
    assert facets.get_attribute("open") is None
    assert not page.get_by_role("link", name="全部（", exact=False).first.is_visible()
    assert facets.bounding_box()["y"] > first["y"]  # after the results
    page.locator("details.refine summary").click()
    assert page.get_by_role("link", name="全部（", exact=False).first.is_visible()


def test_a_name_query_opens_on_its_card(page):
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(page.base + "/search/?q=渝昆高铁川渝段")
    screenshot(page, "phone_search_card")
    card = page.locator("article.answer")
    assert card.count() == 1
    box = card.bounding_box()
    assert box["y"] + box["height"] <= 812  # the whole card on the first screen
    assert box["y"] < page.locator("article.hit").first.bounding_box()["y"]
    card.get_by_role("link", name="渝昆高铁川渝段").click()
    assert page.locator("h1").inner_text() == "渝昆高铁川渝段"


def test_on_a_desktop_the_facets_are_open_beside_the_results(page):
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(page.base + "/search/?q=高铁")
    screenshot(page, "desktop_search_results")
    facet = page.get_by_role("link", name="全部（", exact=False).first
    assert facet.is_visible()
    assert not page.locator("details.refine summary").is_visible()
    assert facet.bounding_box()["x"] < page.locator("article.hit").first.bounding_box()["x"]
