from django.urls import path, re_path

from pledgewatch.api.api import api
from pledgewatch.api.errors import not_found

urlpatterns = [path("", api.urls), re_path(r"^.*$", not_found)]  # unknown addresses: JSON 404, not HTML
