from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "pledgewatch.web"
    label = "web"
    verbose_name = _("Public pages")

    def ready(self):
        from pledgewatch.web import caching  # noqa: PLC0415 (it imports models: only once the apps are ready)

        caching.connect_signals()
