"""Error pages in Chinese; a database that cannot be reached is a 503 with a retry hint."""

import pytest
from django.test import Client

pytestmark = pytest.mark.urls("tests.security.urls_failing")


@pytest.mark.django_db
def test_404_page_is_chinese(client):
    response = client.get("/projects/没有这个项目/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "页面不存在" in body and "Not Found" not in body


@pytest.mark.parametrize("path", ["/database-down/", "/connection-closed/"])
def test_unreachable_database_is_a_503_with_retry_after(path):
    # No database access is allowed in this test: the page must not need the database.
    response = Client(raise_request_exception=False).get(path)
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    body = response.content.decode()
    assert "暂时无法访问" in body and "刷新" in body


def test_a_wrong_query_stays_a_500_not_a_503():
    # The server answered, with an error that will recur: a bug to fix, not an outage to wait out.
    assert Client(raise_request_exception=False).get("/query-too-long/").status_code == 500


def test_500_page_is_chinese_and_needs_no_database():
    response = Client(raise_request_exception=False).get("/broken/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "服务器出错" in body and "Server Error" not in body
