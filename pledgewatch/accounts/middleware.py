"""Security headers on every response: Content-Security-Policy and the cross-origin isolation headers.

Django's own middleware already sends X-Frame-Options (DENY), X-Content-Type-Options, Referrer-Policy,
Cross-Origin-Opener-Policy and, behind TLS (PLEDGEWATCH_SECURE), Strict-Transport-Security.
"""

# Scripts only from our own static files: no inline scripts, no eval (Vega uses its CSP-safe interpreter).
# Styles allow inline: Vega and vega-embed set style attributes and inject their tooltip style element,
# and the staff/newsletter pages carry small <style> blocks. Inline styles cannot run code.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=()"


class SecurityHeadersMiddleware:
    """Add Content-Security-Policy, Permissions-Policy (and X-Frame-Options) unless the response has its own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("X-Frame-Options", "DENY")  # static files skip Django's clickjacking middleware
        return response
