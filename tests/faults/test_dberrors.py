"""The 503 answer while the database is away: a page or JSON, in the request's language, never a traceback."""

import json

import pytest

pytestmark = pytest.mark.django_db

JA = ("データベースに一時的に接続できません。このリクエストでは何も変更されていません。"
      "1分ほどしてからもう一度お試しください。")
EN = ("The database is unavailable at the moment. Nothing was changed by this request; "
      "please try again in a minute.")
RU = ("База данных сейчас недоступна. Этот запрос ничего не изменил; попробуйте ещё раз через минуту.")


@pytest.fixture(autouse=True)
def _fault_urls(settings):
    settings.ROOT_URLCONF = "tests.faults.urls"
    settings.DEBUG = False
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "tests.faults.urls.FailingMiddleware"]


@pytest.mark.parametrize(("query", "headers", "message", "title"), [
    ("", {"HTTP_ACCEPT_LANGUAGE": "ja"}, JA, "一時的に利用できません"),
    ("?lang=en", {}, EN, "Temporarily unavailable"),
    ("", {"HTTP_ACCEPT_LANGUAGE": "en"}, EN, "Temporarily unavailable"),
    ("?lang=ru", {}, RU, "Временно недоступно"),
], ids=["ja-default", "en-param", "en-header", "ru-param"])
def test_page_says_503_in_the_language(client, query, headers, message, title):
    response = client.get("/fault/lost/" + query, **headers)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Type"] == "text/html; charset=utf-8"
    body = response.content.decode()
    assert f"<p>{message}</p>" in body
    assert f"<h1>{title}</h1>" in body
    assert "Traceback" not in body and "Connection refused" not in body
    assert "script-src 'self'" in response["Content-Security-Policy"]  # the security headers wrap the 503 too
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("path", ["/fault/lost.json", "/fault/lost/?format=json", "/api/v1/fault/"])
def test_json_clients_get_json(client, path):
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"error": "database_unavailable", "message": EN}


def test_json_in_japanese_is_not_ascii_escaped(client):
    response = client.get("/fault/lost.json", HTTP_ACCEPT_LANGUAGE="ja")
    assert json.loads(response.content)["message"] == JA
    assert JA.encode() in response.content


@pytest.mark.parametrize("path", ["/fault/closed/", "/fault/locked/"])
def test_interface_error_and_locked_sqlite(client, path):
    assert client.get(path + "?lang=en").status_code == 503


def test_error_raised_by_a_middleware(client):
    client.raise_request_exception = False  # the test client would re-raise what a server only logs
    response = client.get("/?lang=en", HTTP_X_FAIL_IN_MIDDLEWARE="1")
    assert response.status_code == 503
    assert EN in response.content.decode()


def test_other_errors_stay_500(client):
    client.raise_request_exception = False
    assert client.get("/fault/bug/").status_code == 500


def test_cli_message(settings):
    from django.db import OperationalError
    from django.utils import translation

    from pledgewatch.cli.errors import database_failed, write_failed

    with translation.override("en"):
        assert database_failed(OperationalError("database or disk is full")) == (
            "The database failed: database or disk is full. The command stopped and its unfinished transaction "
            "was rolled back; run it again when the database is back (or has free space).")
        assert write_failed("out.csv", OSError(28, "No space left on device")) == (
            "Cannot write out.csv: No space left on device. Nothing was written: no partial file was left, "
            "an existing file is unchanged.")
    with translation.override("ja"):
        assert database_failed(OperationalError("database or disk is full")) == (
            "データベースでエラーが発生しました: database or disk is full。コマンドを中止し、未完了のトランザクションは"
            "ロールバックしました。データベースが復旧したら（または空き容量ができたら）もう一度実行してください。")
        assert write_failed("out.csv", OSError(28, "No space left on device")) == (
            "out.csv に書き込めません: No space left on device。何も書き込んでいません（途中までのファイルは残らず、"
            "既存のファイルも変更されていません）。")
