"""Login lock-out: N failures lock a user name from an address, with a clear ja/en message; the period passing,
a successful login, an admin deleting the lock or `pledgewatch user unlock` lift it; any web process sees it.
"""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from pledgewatch.accounts.models import LoginThrottle

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-pass-phrase-42"
LOCKED = {
    "en": "Too many failed logins for this account from your address. Try again after {time}, "
          "or ask an administrator to unlock it.",
    "ja": "このアドレスからこのアカウントへのログイン失敗が多すぎます。{time} 以降にもう一度試すか、"
          "管理者にロックの解除を依頼してください。",
}


@pytest.fixture
def editor(django_user_model, monkeypatch, settings):
    from pledgewatch.accounts.roles import EDITOR, assign

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    monkeypatch.setenv("PLEDGEWATCH_LOGIN_MAX_FAILURES", "3")
    monkeypatch.setenv("PLEDGEWATCH_LOGIN_LOCKOUT_SECONDS", "600")
    user = django_user_model.objects.create_user("aiko", "aiko@example.org", PASSWORD)
    assign(user, EDITOR)
    return user


def login(client, password, lang="en", ip="198.51.100.7", username="aiko"):
    return client.post(f"/admin/login/?next=/review/&lang={lang}", {"username": username, "password": password},
                       REMOTE_ADDR=ip)


def lock_message(lang: str) -> str:
    from django.utils import formats, translation

    row = LoginThrottle.objects.get(username="aiko")
    with translation.override(lang):
        when = formats.date_format(timezone.localtime(row.locked_until), "Y-m-d H:i T")
    return LOCKED[lang].format(time=when)


def errors(response) -> list[str]:
    return list(response.context["form"].non_field_errors())


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_three_failures_lock_even_the_right_password(client, editor, lang):
    for _ in range(3):
        assert login(client, "wrong-password", lang).status_code == 200
    row = LoginThrottle.objects.get(username="aiko", ip="198.51.100.7")
    assert row.failures == 3
    assert timedelta(seconds=599) < row.locked_until - timezone.now() <= timedelta(seconds=600)
    response = login(client, PASSWORD, lang)
    assert response.status_code == 200  # the login page again, not a redirect into the site
    assert errors(response) == [lock_message(lang)]
    assert "_auth_user_id" not in client.session
    # the authentication backend refuses too, whatever form is used
    from django.contrib.auth import authenticate
    from django.test import RequestFactory

    request = RequestFactory().post("/", REMOTE_ADDR="198.51.100.7")
    assert authenticate(request, username="aiko", password=PASSWORD) is None


def test_another_address_or_user_is_not_locked(client, editor, django_user_model):
    for _ in range(3):
        login(client, "wrong-password")
    assert login(Client(), PASSWORD, ip="203.0.113.9").status_code == 302
    assert LoginThrottle.objects.get(ip="198.51.100.7").failures == 3


def test_the_lock_ends_after_the_period(client, editor):
    for _ in range(3):
        login(client, "wrong-password")
    LoginThrottle.objects.update(locked_until=timezone.now() - timedelta(seconds=1),
                                 first_failure_at=timezone.now() - timedelta(seconds=601))
    response = login(client, PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/review/"
    assert not LoginThrottle.objects.exists()  # a successful login clears the counter


def test_failures_spread_over_more_than_the_period_do_not_lock(client, editor):
    for _ in range(2):
        login(client, "wrong-password")
    LoginThrottle.objects.update(first_failure_at=timezone.now() - timedelta(seconds=601))
    login(client, "wrong-password")
    row = LoginThrottle.objects.get()
    assert (row.failures, row.locked_until) == (1, None)


def test_cli_unlock(client, editor):
    for _ in range(3):
        login(client, "wrong-password")
    out = io.StringIO()
    call_command("user_unlock", "aiko", stdout=out)
    assert out.getvalue() == "aiko unlocked (1 addresses).\n"
    assert login(client, PASSWORD).status_code == 302


def test_admin_unlocks_in_the_admin(client, editor, django_user_model):
    from pledgewatch.accounts.roles import ADMIN, assign

    for _ in range(3):
        login(client, "wrong-password")
    boss = django_user_model.objects.create_user("boss", "boss@example.org", PASSWORD)
    assign(boss, ADMIN)
    admin_client = Client()
    admin_client.force_login(boss)
    row = LoginThrottle.objects.get()
    response = admin_client.post(f"/admin/accounts/loginthrottle/{row.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert login(client, PASSWORD).status_code == 302
    # an editor cannot lift a lock
    other = Client()
    other.force_login(editor)
    LoginThrottle.objects.create(username="x", ip="192.0.2.1", failures=9, first_failure_at=timezone.now(),
                                 last_failure_at=timezone.now(), locked_until=timezone.now() + timedelta(hours=1))
    pk = LoginThrottle.objects.get(username="x").pk
    assert other.post(f"/admin/accounts/loginthrottle/{pk}/delete/", {"post": "yes"}).status_code == 403
    assert LoginThrottle.objects.filter(pk=pk).exists()


def test_user_names_are_compared_case_insensitively(editor):
    from pledgewatch.accounts import throttle

    throttle.record_failure("aiko", "198.51.100.7")
    throttle.record_failure("AIKO", "198.51.100.7")  # user names are compared case-insensitively
    assert throttle.locked_until("aiko", "198.51.100.7") is None
    throttle.record_failure("aiko", "198.51.100.7")
    assert throttle.locked_until("aiko", "198.51.100.7") is not None


@pytest.mark.parametrize(("lang", "heading", "wrong"), [
    ("ja", "ログイン", "正しいユーザー名とパスワードを入力してください"),
    ("en", "Log in", "Please enter the correct username and password for a staff account."),
    ("ru", "Войти", "Пожалуйста, введите корректные имя пользователя и пароль учётной записи."),
], ids=["ja", "en", "ru"])
def test_login_page_is_in_the_sites_layout_and_the_readers_language(client, editor, lang, heading, wrong):
    page = client.get(f"/admin/login/?next=/review/&lang={lang}")
    html = page.content.decode()
    assert page.status_code == 200 and "no-store" in page["Cache-Control"] and "private" in page["Cache-Control"]
    assert f'<html lang="{lang}">' in html and f"<h1>{heading}</h1>" in html
    assert 'class="brand"' in html and 'href="/rules/"' in html  # the dashboard's header and navigation
    assert "Django" not in html and "?format=json" not in html  # not the admin's look; a login has no JSON twin
    assert '<input type="hidden" name="next" value="/review/">' in html
    failed = login(client, "wrong-password", lang)
    assert wrong in failed.content.decode()
    assert client.get("/review/").status_code == 302  # still logged out
    done = login(client, PASSWORD, lang, ip="198.51.100.8")
    assert done.status_code == 302 and done["Location"] == "/review/"
