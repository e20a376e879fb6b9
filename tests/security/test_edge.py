"""NUL never reaches a query (PostgreSQL text cannot hold it): the edge answers 400. Invalid
UTF-8 reaches views as replacement characters or percent-escapes: a page or a 4xx, never 500."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

NUL_REQUESTS = [
    ("/projects/%00/", ""),
    ("/sources/a%00b/", ""),
    ("/projects/", "kind=%00"),
    ("/search/", "q=%E6%B3%B8&kind=%00"),
    ("/admin/kb/project/", "kind=%00"),
    ("/admin/kb/project/", "status__exact=%00"),
    ("/admin/kb/project/", "name%00=x"),
    ("/admin/autocomplete/", "app_label=kb&model_name=project&field_name=initiatives%00&term=x"),
    ("/admin/kb/project/1/history/%00/", ""),
]


@pytest.mark.parametrize(("path", "query"), NUL_REQUESTS)
def test_nul_in_path_or_query_is_a_400(client, superuser, small_plan, path, query):
    client.force_login(superuser)
    response = client.get(path, QUERY_STRING=query)
    assert response.status_code == 400
    assert "无效字符" in response.content.decode()


def test_nul_in_a_form_value_is_a_400(client):
    response = client.post(reverse("kb:set-script"), "script=orig&next=/%00",
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400


def test_nul_in_a_cookie_is_a_400(client, small_plan):
    # Django reads \000 inside a quoted cookie value as NUL; the login page loads the session.
    assert client.get(reverse("admin:login"), HTTP_COOKIE='sessionid="\\000abcdefgh"').status_code == 400


def test_nul_typed_into_a_search_box_is_dropped(client, superuser, small_plan):
    """Pasted text may carry a stray NUL: the search boxes search for the rest."""
    api = reverse("search:api")
    with_nul = client.get(api, QUERY_STRING="q=%E7%80%98%00%E5%B7%9E").json()  # 瀘\0州
    assert with_nul["query"] == "泸州" and with_nul["count"] == client.get(api, {"q": "泸州"}).json()["count"] > 0
    assert client.get(reverse("search:search"), QUERY_STRING="q=%00").status_code == 200
    client.force_login(superuser)
    for model in ("project", "place"):  # the engine's search box and the names' one
        response = client.get(reverse(f"admin:kb_{model}_changelist"), QUERY_STRING="q=%E7%80%98%00%E5%B7%9E")
        assert response.status_code == 200 and response.context["cl"].query == "瀘州"
    autocomplete = client.get(reverse("admin:autocomplete"),
                              QUERY_STRING="app_label=kb&model_name=organization&field_name=place&term=%E7%80%98%00")
    assert autocomplete.status_code == 200 and autocomplete.json()["results"]


def test_ordinary_requests_pass(client, small_plan):
    assert client.get(reverse("kb:project-list"), {"kind": "railway"}).status_code == 200
    assert client.get(reverse("search:api"), {"q": "泸州"}).status_code == 200


@pytest.mark.parametrize("escape", ["%FF%FE", "%ED%A0%80", "%C0%AF", "%E4%B8"])
@pytest.mark.parametrize("path", ["/projects/{}/", "/search/?q={}", "/api/search?q={}", "/projects/?kind={}",
                                  "/admin/kb/project/?q={}", "/admin/kb/project/{}/change/"])
def test_invalid_utf8_is_a_page_or_a_4xx(client, superuser, small_plan, path, escape):
    client.force_login(superuser)
    path, _, query = path.format(escape).partition("?")
    assert client.get(path, QUERY_STRING=query).status_code < 500
