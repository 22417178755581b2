"""The product's URLs plus views that fail the way a lost database does (for tests/faults/test_dberrors.py)."""

from django.db import InterfaceError, OperationalError
from django.urls import include, path


def lost(request):
    raise OperationalError("connection to server at \"127.0.0.1\", port 5432 failed: Connection refused")


def closed(request):
    raise InterfaceError("connection already closed")


def locked(request):
    raise OperationalError("database is locked")


def bug(request):
    raise ValueError("not a database error")


urlpatterns = [
    path("fault/lost/", lost),
    path("fault/lost.json", lost),
    path("fault/closed/", closed),
    path("fault/locked/", locked),
    path("fault/bug/", bug),
    path("api/v1/fault/", lost),
    path("", include("pledgewatch.urls")),
]


class FailingMiddleware:
    """Raise a database error from a middleware (outside any view) when the request asks for it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.headers.get("X-Fail-In-Middleware"):
            raise OperationalError("server closed the connection unexpectedly")
        return self.get_response(request)
