from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from apps.kb.groups import PLANNERS
from apps.kb.models import Milestone, Project, Source

from .conftest import screenshot
from .walk import checked, shot

pytestmark = pytest.mark.browser

ARTICLES = Path(__file__).resolve().parents[1] / "ingest" / "articles"
ARTICLE = (ARTICLES / "yibin-neijiang-2021.txt").read_text(encoding="utf-8")
G321 = "G321内江至自贡段改造工程"


def log_in_and_paste(page):
    """USERS.md task 5 as the planning officer does it, each page checked as the walks of
    test_user_tasks.py check theirs (no sideways scroll on a phone, no axe-core violation)."""
    user = User.objects.create_user("importer", password="pw-import-1", is_staff=True)
    user.groups.add(Group.objects.get(name=PLANNERS))
    page.goto(page.base + "/admin/login/")
    checked(page)
    page.fill("#id_username", "importer")
    page.fill("#id_password", "pw-import-1")
    page.click("input[type=submit]")
    page.goto(page.base + "/admin/kb/source/")
    checked(page)
    page.get_by_role("link", name="导入文章").click()
    checked(page)
    page.get_by_label("标题").fill("内自同城化加快推进")
    page.get_by_label("“今年”指哪一年").fill("2021")
    page.get_by_label("粘贴全文").fill(ARTICLE)
    page.get_by_role("button", name="解析并预览").click()
    page.get_by_text("审核解析结果").wait_for()
    checked(page)


def test_planner_reviews_merges_and_saves_an_article(page):
    # Entered by staff before the article came out, in Traditional script.
    known = Project.objects.create(slug="成自宜高铁内江段", name="成自宜高鐵內江段", kind="railway",
                                   status="building", quote="成自宜高鐵內江段加快建設。")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.width = 1366
    log_in_and_paste(page)
    screenshot(page, "admin-import-review")

    g321 = page.get_by_role("group", name=f"项目 {G321}")
    g321.get_by_label("名称").fill("G321线内江至自贡段改造工程")
    g321.get_by_label("状态").select_option(label="在建")  # by its Chinese label
    page.get_by_role("group", name="项目 内自快速通道").get_by_label("不导入").check()

    railway = page.get_by_role("group", name="项目 成自宜高铁", exact=True)
    railway.get_by_label("名称").focus()  # its sentence is marked in the article beside it
    current = page.locator("section[aria-label=原文] mark.current")
    assert "成自宜高铁已开工建设" in current.inner_text()
    # Merge it into the record staff made: typed in Simplified, the Traditional record found (and shown in Simplified).
    railway.locator(".field-merge_into .select2-selection").click()
    page.locator(".select2-search--dropdown .select2-search__field").fill("内江段")
    page.locator(".select2-results__option", has_text="成自宜高铁内江段").click()
    screenshot(page, "admin-import-review-edited")

    page.get_by_role("button", name="导入全部保留的记录").click()
    page.get_by_text("已导入").wait_for()
    checked(page)
    shot(page, "task5")

    source = Source.objects.get(title="内自同城化加快推进")
    fixed = Project.objects.get(slug="g321内江至自贡段改造工程")
    assert (fixed.name, fixed.status) == ("G321线内江至自贡段改造工程", "building")
    assert not Project.objects.filter(name__contains="内自快速").exists()
    assert not Project.objects.filter(slug="成自宜高铁").exists()
    assert Milestone.objects.get(title="成自宜高铁建成通车").project == known
    # On the public pages at once: the corrected status, and the merged record with the new
    # article's passage as evidence and its milestone.
    page.goto(page.base + reverse("kb:project-detail", kwargs={"slug": fixed.slug}))
    main = page.locator("main").inner_text()
    assert "G321线内江至自贡段改造工程" in main and "在建" in main
    page.goto(page.base + reverse("kb:project-detail", kwargs={"slug": known.slug}))
    main = page.locator("main").inner_text()
    assert "内自同城化加快推进 · 第7段" in main and "成自宜高铁建成通车" in main
    assert source.passages.filter(projects=known, text__contains="成自宜高铁已开工建设").exists()
    # Searchable at once, from the public site, in Simplified.
    page.goto(page.base + "/search/?q=自贡段改造")
    assert "G321线内江至自贡段改造工程" in page.locator("main").inner_text()
    # The merged record is filed under the new article in the index now (its evidence changed).
    page.goto(page.base + f"/search/?q=成自宜&kind=project&source={source.pk}")
    hits = page.locator("article.hit")
    assert hits.count() == 1
    assert hits.locator("a").get_attribute("href") == known.get_absolute_url()


def test_the_review_stacks_at_phone_width(page):
    page.set_viewport_size({"width": 375, "height": 800})
    page.width = 375
    log_in_and_paste(page)
    shot(page, "task5")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # no sideways scrolling
    article = page.locator("section[aria-label=原文]").bounding_box()
    candidates = page.locator("section[aria-label=候选记录]").bounding_box()
    assert article["y"] + article["height"] <= candidates["y"]  # the article above the candidates
    assert article["width"] <= 375 and candidates["width"] <= 375
    g321 = page.get_by_role("group", name=f"项目 {G321}")
    assert g321.get_by_label("状态").bounding_box()["width"] <= 375
