"""The exact security headers on pages, JSON, the admin, the review queue, newsletter pages and static files."""

import os
import subprocess
import sys

import pytest

from pledgewatch.accounts.middleware import CONTENT_SECURITY_POLICY

pytestmark = pytest.mark.django_db

CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
       "frame-ancestors 'none'")
EXPECTED = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}


def test_the_policy_is_the_documented_one():
    assert CONTENT_SECURITY_POLICY == CSP


@pytest.mark.parametrize("path", ["/", "/index.json", "/commitments/", "/api/v1/initiatives", "/admin/login/",
                                  "/admin/", "/review/", "/newsletter/", "/newsletter/not-receiving/",
                                  "/static/pledgewatch/dashboard.js", "/no-such-page/"])
def test_every_response_carries_the_headers(client, path):
    response = client.get(path)
    assert response.status_code in (200, 302, 404)
    for name, value in EXPECTED.items():
        assert response.headers[name] == value, name
    assert "Strict-Transport-Security" not in response.headers  # plain HTTP, PLEDGEWATCH_SECURE off


def test_hsts_on_https_requests_when_secure(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get("/newsletter/", secure=True)
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"
    assert "Strict-Transport-Security" not in client.get("/newsletter/").headers


def test_pledgewatch_secure_turns_hsts_and_secure_cookies_on(tmp_path):
    code = ("import django, os; os.environ['DJANGO_SETTINGS_MODULE']='pledgewatch.settings'; django.setup();"
            "from django.conf import settings as s;"
            "print(s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_PROXY_SSL_HEADER)")
    env = dict(os.environ, PLEDGEWATCH_DATA_DIR=str(tmp_path))
    off = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    on = subprocess.run([sys.executable, "-c", code], env={**env, "PLEDGEWATCH_SECURE": "1"}, capture_output=True,
                        text=True, check=True)
    assert off.stdout.strip() == "0 False False None"
    assert on.stdout.strip() == "31536000 True True ('HTTP_X_FORWARDED_PROTO', 'https')"


def test_pages_have_no_inline_script():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "pledgewatch"
    offenders = []
    for template in root.glob("*/templates/**/*.html"):
        text = template.read_text(encoding="utf-8")
        if "/email/" in str(template):
            continue  # e-mails are not pages
        for match in re.finditer(r"<script\b([^>]*)>", text):
            attrs = match.group(1)
            if "src=" not in attrs and "application/json" not in attrs:
                offenders.append(f"{template.relative_to(root)}: {match.group(0)}")
        offenders += [f"{template.relative_to(root)}: {m.group(0)}"
                      for m in re.finditer(r"\son[a-z]+=\"", text)]
    assert offenders == []
