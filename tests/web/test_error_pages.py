"""404, 500 and the API's unknown addresses with serve's settings (DEBUG off): the site's layout and language."""

import pytest
from django.test import RequestFactory
from django.utils import translation

from pledgewatch.web.views import server_error


@pytest.mark.parametrize(("lang", "heading"), [("ja", "ページが見つかりません"), ("en", "Page not found"),
                                               ("ru", "Страница не найдена")])
def test_404_page_in_the_readers_language_and_layout(client, db, settings, lang, heading):
    settings.DEBUG = False
    response = client.get(f"/nothing/here/?lang={lang}")
    html = response.content.decode()
    assert response.status_code == 404
    assert f"<h1>{heading}</h1>" in html and f'<html lang="{lang}">' in html
    assert 'class="brand"' in html and "favicon.svg" in html


def test_404_follows_the_language_cookie(client, db, settings):
    settings.DEBUG = False
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    assert "Страница не найдена" in client.get("/nothing/").content.decode()


@pytest.mark.parametrize(("lang", "heading"), [("ja", "サーバーエラー"), ("en", "Server error"),
                                               ("ru", "Ошибка сервера")])
def test_500_page_in_the_readers_language_and_layout(db, lang, heading):
    request = RequestFactory().get("/")
    with translation.override(lang):
        response = server_error(request)
    html = response.content.decode()
    assert response.status_code == 500
    assert f"<h1>{heading}</h1>" in html and 'class="brand"' in html


def test_favicon(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/pledgewatch/favicon.svg"
