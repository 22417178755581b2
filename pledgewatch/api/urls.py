from django.urls import path

from pledgewatch.api.api import api

urlpatterns = [path("", api.urls)]
