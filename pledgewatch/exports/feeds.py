"""Atom feed (RFC 4287) of new and changed commitments, filterable like the lists: /feeds/commitments.atom?country=UZ.

Entries come from the change history (django-simple-history): one entry per creation, change or removal,
newest first, with the changed fields and their old and new values, in the language of `?lang=`.
Ids and links are absolute IRIs under `PLEDGEWATCH_BASE_URL` when it is set, else under the address the
request came to; the feed names pledgewatch as its author.
"""

import os

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from pledgewatch.exports import changes
from pledgewatch.ledger.models import Commitment, localized
from pledgewatch.ledger.queries import CommitmentFilter, FilterError

ENTRIES = 50


def site_base(request) -> str:
    """Return the site's absolute base (no trailing slash): PLEDGEWATCH_BASE_URL, else the request's origin."""
    if os.environ.get("PLEDGEWATCH_BASE_URL"):
        return settings.BASE_URL
    return request.build_absolute_uri("/").rstrip("/")


def commitment_url(pk: int) -> str:
    """Return the address of a commitment's page (its API record while no page exists)."""
    try:
        return reverse("web:commitment", args=[pk])
    except NoReverseMatch:
        return f"/api/v1/commitments/{pk}"


class CommitmentFeed(Feed):
    """The feed (Django's syndication framework); filters and language come from the query string."""

    feed_type = Atom1Feed
    item_guid_is_permalink = False

    def __call__(self, request, *args, **kwargs):
        try:
            return super().__call__(request, *args, **kwargs)
        except FilterError as exc:
            return HttpResponse(str(exc) + "\n", status=400, content_type="text/plain; charset=utf-8")

    def get_object(self, request, *args, **kwargs) -> dict:
        filters = CommitmentFilter.from_params(request.GET)
        matching = filters.apply().order_by().values("pk")
        language = (get_language() or "ja")[:2]
        return {"filters": filters, "matching": matching, "language": language, "path": request.path,
                "base": site_base(request), "query": urlencode(filters.as_params() | {"lang": language})}

    def title(self, obj) -> str:
        return _("pledgewatch: new and changed commitments")

    def subtitle(self, obj) -> str:
        return _("Commitments created, changed or removed in the ledger.")

    def link(self, obj) -> str:
        return obj["base"] + "/commitments/?" + obj["query"]

    def feed_url(self, obj) -> str:
        return obj["base"] + obj["path"] + "?" + obj["query"]

    def feed_guid(self, obj) -> str:
        """Return the feed's id: the same for every language of the same filters (RFC 4287 atom:id)."""
        query = urlencode(obj["filters"].as_params())
        return obj["base"] + obj["path"] + ("?" + query if query else "")

    def author_name(self, obj) -> str:
        return "pledgewatch"

    def author_link(self, obj) -> str:
        return obj["base"] + "/"

    def items(self, obj):
        records = list(Commitment.history.filter(id__in=obj["matching"])
                       .order_by("-history_date", "-history_id")[:ENTRIES])
        for record in records:  # the feed object is shared by all requests: the base travels with the items
            record.site_base = obj["base"]
        return records

    def item_title(self, record) -> str:
        title = localized(record, "title", (get_language() or "ja")[:2]) or f"#{record.id}"
        kind = {"+": _("New: %(title)s"), "~": _("Changed: %(title)s"), "-": _("Removed: %(title)s")}
        return kind.get(record.history_type, "%(title)s") % {"title": title}

    def item_link(self, record) -> str:
        return record.site_base + commitment_url(record.id)

    def item_guid(self, record) -> str:
        return f"{record.site_base}{commitment_url(record.id)}#history-{record.history_id}"

    def item_pubdate(self, record):
        return record.history_date

    def item_updateddate(self, record):
        return record.history_date

    def item_description(self, record) -> str:
        """Return the summary as HTML (Atom's `type="html"`): every line escaped, lines joined by <br>."""
        return "<br>".join(escape(line) for line in self.describe(record).split("\n"))

    def describe(self, record) -> str:
        """Return the changed fields ("stage: signed → committed"), or the commitment's summary."""
        return "\n".join(changes.describe(record, (get_language() or "ja")[:2]))
