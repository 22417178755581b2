"""Oversized bodies and requests: refused early (before the body is read), with nothing stored.

Django refuses form bodies over DATA_UPLOAD_MAX_MEMORY_SIZE and more than DATA_UPLOAD_MAX_NUMBER_FIELDS
fields; pledgewatch.web.uploads refuses multipart uploads over 6 MB before reading them; the production
server (gunicorn, pledgewatch/server.py) refuses long request lines and too many or too long headers.
"""

import io
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.wsgi import WSGIRequest

from pledgewatch.web.uploads import MAX_UPLOAD_BODY

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
PRESS = "令和7年12月17日、ウズベキスタンに213億6,800万円を限度とする円借款の書簡の交換が行われました。\n"


def test_limits_are_configured():
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 10 * MB
    assert settings.DATA_UPLOAD_MAX_NUMBER_FIELDS == 1000
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE == 2621440  # Django's 2.5 MB: larger files go to disk
    assert settings.FILE_UPLOAD_HANDLERS[0] == "pledgewatch.web.uploads.RefuseOversizedUpload"
    assert MAX_UPLOAD_BODY == 6 * MB


class CountingInput(io.BytesIO):
    """A request body that counts what was read of it."""

    read_bytes = 0

    def read(self, size=-1):
        data = super().read(size)
        self.read_bytes += len(data)
        return data

    def readline(self, size=-1):
        data = super().readline(size)
        self.read_bytes += len(data)
        return data


def test_oversized_multipart_body_is_refused_before_a_byte_is_read():
    body = CountingInput(b"--x\r\n" + b"a" * 1000)
    request = WSGIRequest({"REQUEST_METHOD": "POST", "PATH_INFO": "/review/", "wsgi.input": body,
                           "CONTENT_TYPE": "multipart/form-data; boundary=x", "CONTENT_LENGTH": str(500 * MB),
                           "SERVER_NAME": "testserver", "SERVER_PORT": "80", "wsgi.url_scheme": "http"})
    with pytest.raises(RequestDataTooBig, match=r"^Upload of 524288000 bytes refused \(at most 6291456\)\.$"):
        request.POST  # noqa: B018 (reading POST parses the body)
    assert body.read_bytes == 0


def test_oversized_form_body_is_refused_before_it_is_read():
    body = CountingInput(b"email=a%40example.org&" + b"x" * 100)
    request = WSGIRequest({"REQUEST_METHOD": "POST", "PATH_INFO": "/newsletter/", "wsgi.input": body,
                           "CONTENT_TYPE": "application/x-www-form-urlencoded", "CONTENT_LENGTH": str(11 * MB),
                           "SERVER_NAME": "testserver", "SERVER_PORT": "80", "wsgi.url_scheme": "http"})
    with pytest.raises(RequestDataTooBig):
        request.POST  # noqa: B018
    assert body.read_bytes == 0


def test_review_queue_refuses_a_7_mb_upload_with_400_and_stores_nothing(admin_client):
    from pledgewatch.press.models import Submission

    upload = SimpleUploadedFile("big.txt", PRESS.encode() * (7 * MB // len(PRESS.encode())))
    response = admin_client.post("/review/", {"text": "", "file": upload})
    assert response.status_code == 400
    assert Submission.objects.count() == 0


@pytest.mark.parametrize(("lang", "message"), [("en", "The file is larger than 5 MB."),
                                               ("ja", "ファイルが5MBを超えています。")])
def test_review_queue_explains_a_file_over_5_mb(admin_client, lang, message):
    from django.utils.html import escape

    from pledgewatch.press.models import Submission

    upload = SimpleUploadedFile("big.txt", b"x" * (5 * MB + 10))
    response = admin_client.post(f"/review/?lang={lang}", {"text": "", "file": upload},
                                 HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200
    assert str(escape(message)) in response.content.decode()
    assert Submission.objects.count() == 0


def test_too_many_form_fields_are_refused(client):
    from pledgewatch.newsletter.models import Member

    data = {f"f{i}": "x" for i in range(1001)} | {"email": "a@example.org", "language": "en"}
    response = client.post("/newsletter/", data)
    assert response.status_code == 400
    assert Member.objects.count() == 0


def test_oversized_bounce_webhook_body_is_refused(client, monkeypatch):
    from pledgewatch.newsletter.models import Bounce

    monkeypatch.setenv("PLEDGEWATCH_BOUNCE_WEBHOOK_SECRET", "s3cret-for-tests")
    response = client.generic("POST", "/newsletter/bounces/webhook/", b"x" * (10 * MB + 1),
                              content_type="message/rfc822", HTTP_AUTHORIZATION="Bearer s3cret-for-tests")
    assert response.status_code == 400
    assert Bounce.objects.count() == 0


# ---------------------------------------------------------------- the production server on loopback

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """Run pledgewatch's gunicorn (pledgewatch/server.py) on loopback against an empty data dir."""
    port = free_port()
    data = tmp_path_factory.mktemp("served")
    env = {**os.environ, "PLEDGEWATCH_DATA_DIR": str(data), "DATABASE_URL": f"sqlite:///{data / 'db.sqlite3'}",
           "PLEDGEWATCH_SECRET_KEY": "x" * 60, "PLEDGEWATCH_BOUNCE_WEBHOOK_SECRET": "s3cret-for-tests",
           "DJANGO_SETTINGS_MODULE": "pledgewatch.settings"}
    env.pop("PLEDGEWATCH_DEBUG", None)
    code = ("import django; django.setup(); from pledgewatch import server; "
            f"server.run('127.0.0.1', {port}, workers=1, threads=2)")
    proc = subprocess.Popen([sys.executable, "-c", code], env=env, cwd=Path(__file__).resolve().parents[2],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.2)
    else:  # pragma: no cover
        proc.kill()
        pytest.fail("the server did not start")
    yield port
    proc.terminate()
    proc.wait(timeout=20)


def raw(port: int, request: bytes, *, timeout: float = 10) -> tuple[bytes, float]:
    """Send bytes, return the status line and the seconds until it came."""
    start = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(request)
        reply = s.recv(200)
    return reply.split(b"\r\n")[0], time.monotonic() - start


def test_server_refuses_a_long_request_line(served):
    status, _ = raw(served, b"GET /" + b"a" * 5000 + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    assert status.startswith(b"HTTP/1.1 414 ")


def test_server_refuses_too_many_headers(served):
    headers = b"".join(b"X-H%d: 1\r\n" % i for i in range(120))
    status, _ = raw(served, b"GET /api/v1/countries HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers + b"\r\n")
    assert status == b"HTTP/1.1 431 Request Header Fields Too Large"


def test_server_refuses_an_oversized_header(served):
    status, _ = raw(served, b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + b"a" * 9000 + b"\r\n\r\n")
    assert status == b"HTTP/1.1 431 Request Header Fields Too Large"


def test_server_answers_an_announced_100_mb_body_at_once_without_waiting_for_it(served):
    head = (b"POST /newsletter/bounces/webhook/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Authorization: Bearer s3cret-for-tests\r\nContent-Type: message/rfc822\r\n"
            b"Content-Length: 104857600\r\n\r\n" + b"x" * 1000)
    status, seconds = raw(served, head)
    assert status == b"HTTP/1.1 400 Bad Request"
    assert seconds < 5  # 999.99 % of the body was never sent: the server did not wait for it
