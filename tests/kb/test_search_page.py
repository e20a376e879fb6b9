"""The search page's and the API's parameters (one form, Chinese errors), and the links that
carry a list's or a search's query on ({% querystring %})."""

import html
import json
import re
from urllib.parse import parse_qsl

import pytest
from django.urls import reverse

from apps.kb.models import Passage, Project
from apps.search.index import kind_labels

pytestmark = pytest.mark.django_db

BAD = [
    ({"kind": "nope"}, "kind", "类型（kind）不能是“nope”"),
    ({"order": "up"}, "order", "排序（order）不能是“up”"),
    ({"page": "abc"}, "page", "页码（page）须是 1 到 1000 之间的整数"),
    ({"page": "0"}, "page", "页码（page）须是 1 到 1000 之间的整数"),
    ({"page": "1001"}, "page", "页码（page）须是 1 到 1000 之间的整数"),
    ({"source": "abc"}, "source", "来源（source）须是一篇来源文章的编号"),
    ({"source": "9" * 30}, "source", "来源（source）须是一篇来源文章的编号"),
    ({"source": "987654"}, "source", "没有编号为“987654”的文章"),
]


@pytest.mark.parametrize(("params", "field", "message"), BAD)
def test_api_answers_400_with_the_chinese_message(small_plan, client, params, field, message):
    response = client.get(reverse("search:api"), {"q": "渝昆", **params})
    assert response.status_code == 400
    data = json.loads(response.content)
    assert message in data["error"] and list(data["errors"]) == [field]
    assert message in response.content.decode()  # readable Chinese, not \u escapes


@pytest.mark.parametrize(("params", "field", "message"), BAD)
def test_search_page_shows_the_error_and_searches_with_the_defaults(small_plan, client, params, field, message):
    response = client.get(reverse("search:search"), {"q": "渝昆", **params})
    assert response.status_code == 200
    body = html.unescape(response.content.decode())
    assert "参数有误：" in body and message in body
    defaults = client.get(reverse("search:search"), {"q": "渝昆"}).context
    assert response.context["params"] == defaults["params"]
    assert [r.id for r in response.context["result"].results] == [r.id for r in defaults["result"].results] != []
    # The links of the page carry the search on, not the mistake.
    assert not re.search(rf'href="\?[^"]*{field}={re.escape(str(params[field]))}', response.content.decode())


def test_a_bad_kind_names_every_searchable_kind(small_plan, client):
    error = json.loads(client.get(reverse("search:api"), {"q": "x", "kind": "nope"}).content)["error"]
    for kind, label in kind_labels().items():
        assert f"{kind}（{label}）" in error


def test_every_bad_parameter_is_reported_and_the_good_ones_kept(small_plan, client):
    response = client.get(reverse("search:search"), {"q": "渝昆", "kind": "project", "order": "up", "page": "x"})
    error = response.context["error"]
    assert "排序（order）" in error and "页码（page）" in error and "类型" not in error
    assert response.context["params"]["kind"] == "project"
    assert {r.kind for r in response.context["result"].results} == {"project"}


def test_valid_parameters_search_as_asked(small_plan, client):
    source = small_plan["source"]
    response = client.get(reverse("search:api"), {"q": "渝昆", "kind": "milestone", "order": "date",
                                                   "page": "1", "source": str(source.pk)})
    data = json.loads(response.content)
    assert response.status_code == 200 and data["count"] == 1 and data["results"][0]["kind"] == "milestone"


def links(body, rel=None):
    """The query of each link (or of the pager's rel="next"/"prev" link), as a dict."""
    pattern = rf'<a rel="{rel}" href="([^"]*)"' if rel else r'href="(\?[^"]*)"'
    return [dict(parse_qsl(html.unescape(h).removeprefix("?"))) for h in re.findall(pattern, body)]


def test_list_pager_keeps_the_filters_and_changes_only_the_page(small_plan, client):
    for n in range(30):
        Project.objects.create(slug=f"p{n}", name=f"项目{n:02d}", status=Project.Status.OPEN)
    body = client.get(reverse("kb:project-list"), {"status": "open", "ordering": "name"}).content.decode()
    assert links(body, "next") == [{"status": "open", "ordering": "name", "page": "2"}]
    body = client.get(reverse("kb:project-list"), {"status": "open", "page": "2", "ordering": "name"}).content.decode()
    assert links(body, "prev") == [{"status": "open", "ordering": "name", "page": "1"}]
    # The exports take the filtered list, whatever page is shown.
    assert {"status": "open", "ordering": "name", "format": "csv"} in links(body)


def test_search_pager_and_facets_carry_the_search_on(small_plan, client):
    source = small_plan["source"]
    for n in range(25):
        Passage.objects.create(source=source, position=100 + n, text=f"第{n}条：码头扩建。")
    body = client.get(reverse("search:search"), {"q": "码头", "kind": "passage"}).content.decode()
    assert links(body, "next") == [{"q": "码头", "kind": "passage", "order": "relevance", "page": "2"}]
    body = client.get(reverse("search:search"), {"q": "码头", "kind": "passage", "page": "2"}).content.decode()
    shown = links(body)
    assert {"q": "码头", "kind": "passage", "order": "date"} in shown  # keeps the kind, starts at page 1
    assert {"q": "码头", "order": "relevance"} in shown  # 全部 drops the kind
    assert not [h for h in shown if h.get("page") == "2"]
