"""A small HTTP client like a real one: cookies, CSRF tokens from the forms, no automatic redirects."""

import html
import http.client
import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request

HIDDEN = re.compile(r'<input[^>]*type="hidden"[^>]*>', re.IGNORECASE)
ATTR = re.compile(r'(name|value)="([^"]*)"')
# what a broken connection looks like while the server is killed or restarting
TRANSIENT = (ConnectionError, http.client.HTTPException, TimeoutError, urllib.error.URLError, OSError)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class Response:
    def __init__(self, status: int, body: str, headers):
        self.status, self.body, self.headers = status, body, headers


class Client:
    def __init__(self, base: str, *, language: str = "en", timeout: float = 15):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect())
        self.language = language
        self.timeout = timeout

    def request(self, path: str, data: dict | None = None, headers: dict | None = None) -> Response:
        """GET (or POST form data); return the Response of any status; raise TRANSIENT on a broken connection."""
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body, headers={
            "Accept-Language": self.language, "Referer": self.base + path, **(headers or {})})
        try:
            with self.opener.open(req, timeout=self.timeout) as response:
                return Response(response.status, response.read().decode("utf-8", "replace"), response.headers)
        except urllib.error.HTTPError as exc:  # 3xx (not followed), 4xx, 5xx: an answer from the server
            return Response(exc.code, exc.read().decode("utf-8", "replace"), exc.headers)

    def form(self, path: str) -> tuple[Response, dict]:
        """GET a page; return it and its hidden fields (csrfmiddlewaretoken, formset management forms)."""
        page = self.request(path)
        fields = {}
        for tag in HIDDEN.findall(page.body):
            attrs = dict(ATTR.findall(tag))
            if "name" in attrs:
                fields[attrs["name"]] = html.unescape(attrs.get("value", ""))
        return page, fields

    def login(self, username: str, password: str) -> None:
        _page, fields = self.form("/admin/login/?next=/admin/")
        response = self.request("/admin/login/?next=/admin/", {**fields, "username": username, "password": password})
        if response.status != 302:
            raise AssertionError(f"login failed: {response.status} {response.body[:500]}")
