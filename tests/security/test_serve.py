"""`pledgewatch serve` refuses unsafe configurations with a message saying what to set, unless it is a local
demo on 127.0.0.1; `pledgewatch demo` keeps working out of the box."""

import os
import subprocess
import sys
import time
import urllib.request

import pytest
from django.core.management.base import CommandError

from pledgewatch.server import check_safe, problems, weak_secret_key
from tests.ledger.test_demo_cli import env_for, free_port

ANY = "0.0.0.0"  # noqa: S104 - the public address serve must refuse
GOOD_KEY = "k3J9v2mQ8xZ1pL7rT4wN6yB0cF5hD2sG9aE3uV8iO1nM7qR4tY6"
PLEDGEWATCH = [sys.executable, "-m", "pledgewatch.cli"]

DEBUG = ("Refusing to serve with PLEDGEWATCH_DEBUG on: debug pages leak secrets. Unset it, or use "
         "`pledgewatch demo` on 127.0.0.1.")
WEAK = ("The secret key is weak (empty, shorter than 50 characters, a placeholder or an example from the docs). "
        "Set PLEDGEWATCH_SECRET_KEY to a random value, e.g. the output of "
        "`python3 -c 'import secrets; print(secrets.token_urlsafe(50))'`, or unset it to use the generated key.")
STAR = ("PLEDGEWATCH_ALLOWED_HOSTS contains '*': any Host header is accepted. List the site's host names instead.")
PUBLIC = ("Listening on 0.0.0.0, a public address, without TLS. Put a TLS proxy in front and set "
          "PLEDGEWATCH_SECURE=1, or pass --allow-plain-http if this network is trusted.")


@pytest.fixture
def safe(settings):
    from django.utils import translation

    translation.activate("en")
    settings.DEBUG, settings.SECRET_KEY, settings.ALLOWED_HOSTS, settings.SECURE = (
        False, GOOD_KEY, ["pledgewatch.example.org"], False)
    yield settings
    translation.deactivate()


@pytest.mark.parametrize("key", ["", "short", "django-insecure-" + "x1y2z3" * 10, "change-me", "a" * 60,
                                 "ababababab" * 6])
def test_weak_keys(key):
    assert weak_secret_key(key)


def test_a_random_key_is_fine():
    assert not weak_secret_key(GOOD_KEY)


def test_safe_configuration_on_loopback(safe):
    assert problems(host="127.0.0.1") == []
    assert problems(host="::1") == []
    check_safe(host="localhost")


@pytest.mark.parametrize(("change", "host", "expected"), [
    ({"DEBUG": True}, "127.0.0.1", [DEBUG]),
    ({"SECRET_KEY": "django-insecure-abc"}, "127.0.0.1", [WEAK]),
    ({"SECRET_KEY": ""}, "127.0.0.1", [WEAK]),
    ({"ALLOWED_HOSTS": ["*"]}, "127.0.0.1", [STAR]),
    ({}, ANY, [PUBLIC]),
    ({"DEBUG": True, "SECRET_KEY": "change-me", "ALLOWED_HOSTS": ["*"]}, ANY, [DEBUG, WEAK, STAR, PUBLIC]),
])
def test_each_unsafe_setting_is_named(safe, change, host, expected):
    for name, value in change.items():
        setattr(safe, name, value)
    assert problems(host=host) == expected
    with pytest.raises(CommandError) as err:
        check_safe(host=host)
    assert str(err.value) == "\n".join(["Refusing to serve in an unsafe configuration:", *(f"- {e}" for e in expected),
                                        "For a local demo on this computer only: pledgewatch serve --local-demo "
                                        "(or pledgewatch demo)."])


def test_public_address_is_accepted_behind_tls_or_when_acknowledged(safe):
    assert problems(host=ANY, allow_plain_http=True) == []
    safe.SECURE = True
    assert problems(host="10.0.0.21") == []


def test_local_demo_allows_everything_on_loopback_only(safe):
    safe.DEBUG, safe.SECRET_KEY, safe.ALLOWED_HOSTS = True, "", ["*"]
    assert problems(host="127.0.0.1", local_demo=True) == []
    assert problems(host=ANY, local_demo=True) == [
        "--local-demo serves on 127.0.0.1 only (asked: 0.0.0.0). Drop --host, or configure a real server instead."]


def test_cli_refuses_in_japanese_without_traceback(tmp_path):
    env = env_for(tmp_path, PLEDGEWATCH_SECRET_KEY="change-me", PLEDGEWATCH_LANG="ja")
    out = subprocess.run([*PLEDGEWATCH, "serve", "--host", ANY], env=env, capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 1
    assert out.stderr == (
        "安全でない設定のため起動を拒否しました:\n"
        "- 秘密鍵が弱すぎます(空、50文字未満、仮の値、または文書の例)。PLEDGEWATCH_SECRET_KEY にランダムな値"
        "(例: `python3 -c 'import secrets; print(secrets.token_urlsafe(50))'` の出力)を設定するか、設定を外して"
        "自動生成された鍵を使ってください。\n"
        "- 公開アドレス 0.0.0.0 で TLS なしに待ち受けようとしています。前段に TLS プロキシを置いて "
        "PLEDGEWATCH_SECURE=1 を設定するか、信頼できるネットワークであれば --allow-plain-http を指定してください。\n"
        "このコンピューターだけでのローカルデモには: pledgewatch serve --local-demo(または pledgewatch demo)。\n")


def test_cli_local_demo_serves_with_debug_on_loopback(tmp_path):
    env = env_for(tmp_path, PLEDGEWATCH_DEBUG="1", PLEDGEWATCH_SECRET_KEY="")
    subprocess.run([*PLEDGEWATCH, "migrate", "-v0"], env=env, check=True, timeout=120)
    port = free_port()
    proc = subprocess.Popen([*PLEDGEWATCH, "serve", "--local-demo", "--port", str(port), "--workers", "1"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/initiatives", timeout=5) as r:
                    assert r.status == 200
                    assert r.headers["Content-Security-Policy"].startswith("default-src 'self'; script-src 'self';")
                    break
            except OSError:
                assert proc.poll() is None, proc.stderr.read()
                assert time.monotonic() < deadline
                time.sleep(0.3)
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=30)
