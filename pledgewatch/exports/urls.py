from django.urls import path

from pledgewatch.exports import feeds, views

app_name = "exports"
urlpatterns = [
    path("exports/commitments.<str:fmt>", views.download, name="commitments"),
    path("feeds/commitments.atom", feeds.CommitmentFeed(), name="feed"),
]
