"""Language from `?lang=xx` in the URL, remembered in a cookie; Vary on it. NUL dropped from query values."""

from django.conf import settings
from django.http import QueryDict
from django.utils import translation
from django.utils.cache import patch_vary_headers

CODES = {code for code, _ in settings.LANGUAGES}


class LanguageParamMiddleware:
    """Activate the language named by ?lang= and remember it; otherwise LocaleMiddleware's choice stands."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.GET.get("lang", "")[:5]
        if chosen in CODES:
            translation.activate(chosen)
            request.LANGUAGE_CODE = chosen
        response = self.get_response(request)
        if chosen in CODES and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != chosen:
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, chosen, max_age=settings.LANGUAGE_COOKIE_AGE,
                                samesite="Lax", httponly=True, secure=settings.SESSION_COOKIE_SECURE)
        patch_vary_headers(response, ("Cookie", "Accept-Language"))
        return response


class NulParameterMiddleware:
    """Drop NUL characters from query parameters before any view reads them.

    No filter, slug or search can contain one, and PostgreSQL refuses it in any text it is given (every list
    answered 500). The parameter is read as if the character were not there, on SQLite and PostgreSQL alike.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "%00" in request.META.get("QUERY_STRING", ""):  # a NUL reaches a URL only percent-encoded
            cleaned = QueryDict(mutable=True)
            for name, values in request.GET.lists():
                cleaned.setlist(name.replace("\x00", ""), [v.replace("\x00", "") for v in values])
            cleaned._mutable = False
            request.GET = cleaned
        return self.get_response(request)
