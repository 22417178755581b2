from django.urls import path

from pledgewatch.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
]
