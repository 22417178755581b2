from django.urls import path

from pledgewatch.newsletter import views

app_name = "newsletter"
urlpatterns = [
    path("", views.signup, name="signup"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("member/<str:token>/", views.manage, name="manage"),
    path("member/<str:token>/data.json", views.download, name="download"),
    path("member/<str:token>/delete/", views.delete, name="delete"),
    path("not-receiving/", views.not_receiving, name="not_receiving"),
    path("reconfirm/<str:token>/", views.reconfirm, name="reconfirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("issues/<int:pk>/chart-<str:lang>.png", views.chart, name="chart"),
    path("bounces/webhook/", views.bounce_webhook, name="bounce_webhook"),
]
