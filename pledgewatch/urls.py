"""URL map: public pages, the JSON API under /api/v1/, the staff admin under /admin/."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("pledgewatch.api.urls")),
    path("newsletter/", include("pledgewatch.newsletter.urls")),
    path("review/", include("pledgewatch.press.urls")),
    path("", include("pledgewatch.exports.urls")),
    path("", include("pledgewatch.web.urls")),
]
