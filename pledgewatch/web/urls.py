"""Public pages at `/`; every page also answers as JSON at `<address>.json` or with `?format=json`."""

from django.urls import path

from pledgewatch.web import views

app_name = "web"


def page(route: str, view, name: str) -> list:
    """Return the page's path and its `.json` twin (`/commitments/` → `/commitments.json`)."""
    twin = (route.rstrip("/") or "index") + ".json"
    return [path(route, view, name=name), path(twin, view, {"fmt": "json"}, name=f"{name}-json")]


urlpatterns = [
    path("favicon.ico", views.favicon),
    *page("", views.home, "home"),
    *page("initiatives/<slug:slug>/", views.initiative, "initiative"),
    *page("initiatives/<slug:slug>/pillars/<slug:pillar>/", views.pillar, "pillar"),
    *page("rules/", views.rules, "rules"),
    *page("commitments/", views.commitments, "commitments"),
    *page("commitments/<int:pk>/", views.commitment, "commitment"),
    *page("documents/", views.documents, "documents"),
    *page("documents/<int:pk>/", views.document, "document"),
    *page("events/", views.events, "events"),
    *page("events/<slug:slug>/", views.event, "event"),
    *page("organisations/", views.organisations, "organisations"),
    *page("organisations/<slug:slug>/", views.organisation, "organisation"),
    *page("countries/", views.countries, "countries"),
    *page("countries/<str:code>/", views.country, "country"),
    *page("sources/<int:pk>/", views.source, "source"),
]
