"""USERS.md tasks 1–7 walked end to end in Chromium as the people named there would, on a
desktop (1366 px) and on a phone (375 px), each page visited checked for sideways scroll and by
axe-core (walk.py), with a screenshot of where each task ends: test-artifacts/task<N>-<width>.png.
Task 5 (the import) is walked in test_import_in_browser.py; task 8 is the README's two commands."""

import csv
import datetime

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from apps.core.text import to_simplified
from apps.kb.groups import PLANNERS
from apps.kb.models import Agreement, Project

from .walk import PHONE, WIDTHS, checked, new_page, shot, visit

pytestmark = pytest.mark.browser

DATE = "日期（按原文）"


def sort_by(page, label: str):
    """The table heading that sorts by ``label``; on a phone, where the table is a list of
    cards, its 排序 link."""
    heading = page.get_by_role("columnheader", name=label).get_by_role("link")
    (heading if heading.is_visible() else page.locator(".sort-links").get_by_role("link", name=label)).click()


def column(page, label: str) -> list[str]:
    return [cell.strip() for cell in page.locator(f'table.records tbody td[data-label="{label}"]').all_inner_texts()]


def test_task_1_agreements_with_chongqing_districts_sorted_by_date_and_exported(browser, page):
    """规划科: which agreements with districts of Chongqing, and when — filtered by 合作对象
    重庆市 (its districts included), sorted by date, exported to CSV for Excel."""
    for width in WIDTHS:
        page_ = new_page(browser, page.base, width)
        visit(page_, reverse("kb:agreement-list"))
        page_.get_by_role("region", name="合作对象").get_by_role("checkbox", name="重庆市").click()
        page_.wait_for_url("**partner=**")
        checked(page_)
        assert page_.get_by_role("link", name="移除筛选条件：合作对象 重庆市").is_visible()
        sort_by(page_, DATE)
        page_.wait_for_url("**ordering=date**")
        checked(page_)
        names, dates, parties = column(page_, "名称"), column(page_, DATE), column(page_, "签约各方")
        assert len(names) == 6, names
        assert any("永川区" in p for p in parties)  # a district of 重庆市: the districts are included
        dated = [d for d in dates if d]
        assert dates[: len(dated)] == dated and len(dated) == 3  # the dated ones first, undated last
        assert set(dated) == {"2020年4月（原文：今年4月以来）"}  # as precise as the text: no invented day
        assert "2019年11月" not in page_.locator("main").inner_text()  # that consensus has no Chongqing party
        shot(page_, "task1")
        with page_.expect_download() as download:
            page_.get_by_role("link", name="CSV（Excel）").click()
        with open(download.value.path(), encoding="utf-8-sig", newline="") as f:  # Excel reads the BOM
            header, *rows = list(csv.reader(f))
        assert header == ["名称", "类型", DATE, "签约各方", "链接"]
        assert [to_simplified(row[2]) for row in rows] == dates and len(rows) == 6
        assert all(row[4].startswith(page.base) for row in rows)
        assert "2020-04-01" not in str(rows)
        page_.context.close()


def test_task_2_yukun_railway_from_the_home_page_to_its_card(browser, page):
    """规划科: the status of the 渝昆高铁 section — typed on the home page, its page opens on
    a card: kind, status and the sentence saying so, next step, milestones, initiatives."""
    for width in WIDTHS:
        page_ = new_page(browser, page.base, width)
        visit(page_, "/")
        box = page_.get_by_label("全文检索").last
        box.fill("渝昆高铁")
        box.press("Enter")
        page_.wait_for_url("**/search/**")
        checked(page_)
        # The one record whose name begins so comes first, as a card (名称以“渝昆高铁”开头).
        page_.locator("article.answer").get_by_role("link", name="渝昆高铁川渝段", exact=True).first.click()
        page_.wait_for_url("**/projects/**")
        checked(page_)
        assert page_.locator("h1").inner_text() == "渝昆高铁川渝段"
        card = page_.locator("section.card")
        assert card.locator(".card-kind").inner_text() == "铁路"
        assert card.locator(".status").inner_text() == "已批复/入选"
        assert "已完成施工图审核现场检查" in card.locator(".status-sentence").inner_text()
        upcoming = card.locator(".card-next").inner_text()
        assert "2020年12月底（预计）" in upcoming and "预计时间已过，待核实" in upcoming
        main = page_.locator("main").inner_text()
        assert "里程碑" in main and "动工" in main and "服务的举措" in main
        assert card.bounding_box()["y"] < page_.viewport_size["height"]  # the card opens the page
        shot(page_, "task2")
        page_.context.close()


def test_task_3_what_happens_next_with_an_overdue_plan(browser, page):
    """规划科: what is planned and not yet done, vague dates as vague, the overdue flagged."""
    for width in WIDTHS:
        page_ = new_page(browser, page.base, width)
        visit(page_, "/")
        page_.get_by_role("navigation", name="主导航").get_by_role("link", name="时间线").click()
        page_.wait_for_url("**/timeline/**")
        checked(page_)
        assert page_.get_by_role("link", name="接下来").count() == 0  # the default view
        overdue = page_.get_by_role("region", name="预计时间已过，待核实")
        text = overdue.inner_text()
        assert "2020年12月底（预计）" in text and "渝昆高铁川渝段" in text
        assert "“十四五”期间" in text and "2021年1月" not in page_.locator("main").inner_text()
        assert "泸永江融合发展示范区总体方案" in page_.get_by_role("region", name="时间未定").inner_text()
        shot(page_, "task3")
        page_.context.close()


def log_in(page, username: str, password: str):
    visit(page, reverse("admin:login"))
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    checked(page)


def test_task_4_a_planner_corrects_the_parser_and_the_site_follows(browser, page):
    """规划科: the parser got it wrong — corrected in the admin (a project's status on the
    desktop, an agreement's date on the phone), at once on the public pages and in search, the
    history saying who changed what, with a way back."""
    planner = User.objects.create_user("planner", password="pw-planner-1", is_staff=True)
    planner.groups.add(Group.objects.get(name=PLANNERS))
    project = Project.objects.get(slug="渝昆高铁川渝段")
    agreement = Agreement.objects.get(slug="泸州永川江津合作共识")
    for width in WIDTHS:
        page_ = new_page(browser, page.base, width)
        log_in(page_, "planner", "pw-planner-1")
        if width > PHONE:
            page_.get_by_role("link", name="项目", exact=True).first.click()
            checked(page_)
            page_.get_by_role("searchbox").fill("渝昆")
            page_.get_by_role("searchbox").press("Enter")
            checked(page_)
            page_.get_by_role("link", name="渝昆高铁川渝段").click()  # the admin reads in Simplified too
            checked(page_)
            page_.select_option("#id_status", label="在建")
        else:
            visit(page_, reverse("admin:kb_agreement_change", args=[agreement.pk]))
            page_.fill("#id_date", "2020-11-15")  # any day of the month: stored as its first day
            page_.select_option("#id_date_precision", label="月")
            page_.fill("#id_date_text", "目前")
        page_.locator("input[name=_save]").first.click()
        page_.locator(".messagelist .success").wait_for()
        checked(page_)
        if width > PHONE:
            project.refresh_from_db()
            assert project.status == "building"
            visit(page_, project.get_absolute_url())
            assert page_.locator("section.card .status").inner_text() == "在建"
            visit(page_, "/search/?q=渝昆高铁")
            card = page_.locator("article.answer", has=page_.get_by_role("link", name="渝昆高铁川渝段", exact=True))
            assert "在建" in card.first.inner_text()  # the search's card follows the edit at once
            history = reverse("admin:kb_project_history", args=[project.pk])
        else:
            agreement.refresh_from_db()
            assert (agreement.date, agreement.date_precision) == (datetime.date(2020, 11, 1), "month")
            visit(page_, reverse("kb:agreement-list") + "?ordering=-date")
            assert "2020年11月（原文：目前）" in column(page_, DATE)[0]
            history = reverse("admin:kb_agreement_history", args=[agreement.pk])
        visit(page_, history)
        text = page_.locator("#content").inner_text()
        assert "planner" in text and "修改人" in text
        assert ("已批复/入选" in text and "在建" in text) if width > PHONE else "目前" in text
        page_.locator("#change-history a").last.click()  # the version before: a way back
        checked(page_)
        assert "恢复" in page_.locator(".breadcrumbs").inner_text()
        shot(page_, "task4")
        page_.context.close()


def test_task_6_a_shared_link_on_a_phone_reads_in_simplified_with_the_original_a_tap_away(browser, page):
    """领导和兄弟单位: a link opened on a phone — readable, no sideways scroll, Simplified by
    default, the source's Traditional one tap away."""
    project = Project.objects.get(slug="渝昆高铁川渝段")
    for width in WIDTHS:
        page_ = new_page(browser, page.base, width)
        visit(page_, project.get_absolute_url())
        assert page_.locator("h1").inner_text() == "渝昆高铁川渝段"
        assert page_.evaluate("document.documentElement.lang") == "zh-Hans"
        size = page_.evaluate("parseFloat(getComputedStyle(document.querySelector('main p, main dd')).fontSize)")
        assert size >= 14, size  # readable without zooming
        page_.get_by_role("button", name="原文繁体").click()
        page_.wait_for_load_state()
        checked(page_)
        assert page_.locator("h1").inner_text() == "渝昆高鐵川渝段"
        shot(page_, "task6")
        page_.reload()
        assert page_.locator("h1").inner_text() == "渝昆高鐵川渝段"  # the choice is remembered
        assert page_.evaluate("document.documentElement.lang") == "zh-Hant"  # lang follows
        page_.get_by_role("button", name="簡體").click()  # the way back reads in the page's script
        page_.wait_for_load_state()
        assert page_.locator("h1").inner_text() == "渝昆高铁川渝段"
        page_.context.close()


def test_task_7_everything_about_the_luyongjiang_zone(browser, page):
    """领导和兄弟单位: everything about 泸永江融合发展示范区 — what it is, the projects and
    agreements that serve it, the documents that govern it, its milestones."""
    for width in WIDTHS:
        page_ = new_page(browser, page.base, width)
        visit(page_, "/")
        box = page_.get_by_label("全文检索").last
        box.fill("泸永江融合发展示范区")
        box.press("Enter")
        page_.wait_for_url("**/search/**")
        checked(page_)
        page_.locator("article.answer").get_by_role("link", name="泸永江融合发展示范区", exact=True).click()
        page_.wait_for_url("**/initiatives/**")
        checked(page_)
        assert page_.locator("h1").inner_text() == "泸永江融合发展示范区"
        assert page_.locator("section.card .card-kind").inner_text() == "平台"
        main = page_.locator("main").inner_text()
        for heading in ("相关协议", "相关文件", "里程碑"):
            assert heading in main, heading
        assert "泸永江融合发展示范区总体方案" in main and "规划建设启动会" in main
        shot(page_, "task7")
        page_.context.close()
