"""URL map: public pages, the JSON API under /api/v1/, the staff admin under /admin/."""

from django.contrib import admin
from django.urls import include, path, re_path

from pledgewatch.api.errors import not_found as api_not_found

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("pledgewatch.api.urls")),
    re_path(r"^api(/|$)", api_not_found),  # any other address under /api/: JSON 404, not the HTML page
    path("newsletter/", include("pledgewatch.newsletter.urls")),
    path("review/", include("pledgewatch.press.urls")),
    path("", include("pledgewatch.exports.urls")),
    path("", include("pledgewatch.web.urls")),
]

handler500 = "pledgewatch.web.views.server_error"  # the 500 page in the product's layout and language
