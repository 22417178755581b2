"""Review queue URLs, mounted under /review/."""

from django.urls import path

from pledgewatch.press import views

app_name = "review"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("<int:pk>/", views.submission, name="submission"),
    path("proposal/<int:pk>/", views.proposal, name="proposal"),
]
