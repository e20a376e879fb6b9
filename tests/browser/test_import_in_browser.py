from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User

from apps.kb.groups import PLANNERS
from apps.kb.models import Project, Source

from .conftest import screenshot

pytestmark = pytest.mark.browser

ARTICLE = (Path(__file__).resolve().parents[1] / "ingest" / "articles" / "yibin-neijiang-2021.txt").read_text(encoding="utf-8")


def test_planner_imports_an_article_with_review(page):
    user = User.objects.create_user("importer", password="pw-import-1", is_staff=True)
    user.groups.add(Group.objects.get(name=PLANNERS))
    page.goto(page.base + "/admin/login/")
    page.fill("#id_username", "importer")
    page.fill("#id_password", "pw-import-1")
    page.click("input[type=submit]")
    page.goto(page.base + "/admin/kb/source/")
    page.get_by_role("link", name="导入文章").click()
    page.get_by_label("标题").fill("内自同城化加快推进")
    page.get_by_label("“今年”指哪一年").fill("2021")
    page.get_by_label("粘贴全文").fill(ARTICLE)
    page.get_by_role("button", name="解析并预览").click()
    page.get_by_text("审核解析结果").wait_for()
    screenshot(page, "admin-import-review")
    page.get_by_label("保留 内自快速通道").uncheck()
    page.locator('input[name="name:projects:g321内江至自贡段改造工程"]').fill("G321线内江至自贡段改造工程")
    page.get_by_role("button", name="保存全部保留的记录").click()
    page.get_by_text("已导入").wait_for()
    screenshot(page, "admin-import-done")
    assert Source.objects.filter(title="内自同城化加快推进").exists()
    assert Project.objects.get(slug="g321内江至自贡段改造工程").name == "G321线内江至自贡段改造工程"
    assert not Project.objects.filter(name__contains="内自快速").exists()
    # Searchable at once, from the public site, in Simplified.
    page.goto(page.base + "/search/?q=自贡段改造")
    assert "G321线内江至自贡段改造工程" in page.locator("main").inner_text()
