"""Language from `?lang=xx` in the URL, remembered in a cookie; Vary on it. Query parameters with a NUL refused."""

from django.conf import settings
from django.http import HttpResponseBadRequest, JsonResponse
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
    """Refuse a query parameter holding a NUL character before any view reads it.

    No filter, slug or search can contain one, and PostgreSQL refuses it in any text it is given (a 500 from
    every list otherwise). Under /api/ the answer is the documented 422 body; elsewhere a plain 400.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        bad = sorted({name for name, values in request.GET.lists() if any("\x00" in v for v in values)})
        if not bad and not any("\x00" in name for name in request.GET):
            return self.get_response(request)
        message = translation.gettext("A parameter holds a NUL character: %(names)s") % {
            "names": ", ".join(repr(n) for n in bad) or "?"}
        if request.path.startswith("/api/"):
            errors = [{"loc": ["query", name], "msg": message, "type": "string_pattern_mismatch"} for name in bad]
            return JsonResponse({"detail": message, "errors": errors}, status=422,
                                json_dumps_params={"ensure_ascii": False})
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
