"""Atom feed of new and changed commitments, filterable like the lists: /feeds/commitments.atom?country=UZ.

Entries come from the change history (django-simple-history): one entry per creation, change or removal,
newest first, with the changed fields and their old and new values, in the language of `?lang=`.
"""

from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from pledgewatch.ledger.models import Commitment, localized
from pledgewatch.ledger.queries import CommitmentFilter, FilterError

ENTRIES = 50
SKIP_FIELDS = {"updated_at", "created_at"}


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
                "query": urlencode(filters.as_params() | {"lang": language})}

    def title(self, obj) -> str:
        return _("pledgewatch: new and changed commitments")

    def subtitle(self, obj) -> str:
        return _("Commitments created, changed or removed in the ledger.")

    def link(self, obj) -> str:
        return "/commitments/?" + obj["query"]

    def feed_url(self, obj) -> str:
        return obj["path"] + "?" + obj["query"]

    def feed_guid(self, obj) -> str:
        return obj["path"] + "?" + urlencode(obj["filters"].as_params())

    def items(self, obj):
        return Commitment.history.filter(id__in=obj["matching"]).order_by("-history_date", "-history_id")[:ENTRIES]

    def item_title(self, record) -> str:
        title = localized(record, "title", (get_language() or "ja")[:2]) or f"#{record.id}"
        kind = {"+": _("New: %(title)s"), "~": _("Changed: %(title)s"), "-": _("Removed: %(title)s")}
        return kind.get(record.history_type, "%(title)s") % {"title": title}

    def item_link(self, record) -> str:
        return commitment_url(record.id)

    def item_guid(self, record) -> str:
        return f"{commitment_url(record.id)}#history-{record.history_id}"

    def item_pubdate(self, record):
        return record.history_date

    def item_updateddate(self, record):
        return record.history_date

    def item_description(self, record) -> str:
        """Return the summary as HTML (Atom's `type="html"`): every line escaped, lines joined by <br>."""
        return "<br>".join(escape(line) for line in self.describe(record).split("\n"))

    def describe(self, record) -> str:
        """Return the changed fields ("stage: announced → signed"), or the commitment's summary."""
        if record.history_type == "~" and record.prev_record is not None:
            delta = record.diff_against(record.prev_record)
            lines = []
            for change in delta.changes:
                if change.field in SKIP_FIELDS:
                    continue
                try:
                    label = str(Commitment._meta.get_field(change.field).verbose_name)
                except Exception:  # an m2m history field has no model field of that name
                    label = change.field
                lines.append(f"{label}: {self._value(change.old)} → {self._value(change.new)}")
            if lines:
                return "\n".join(lines)
        money = "" if record.amount is None else f"{record.amount.normalize():f} {record.currency}"
        parts = [_("stage: %(stage)s") % {"stage": record.get_stage_display()},
                 _("instrument: %(instrument)s") % {"instrument": record.get_instrument_display()}]
        if money:
            parts.append(_("amount: %(amount)s (%(qualifier)s)") % {"amount": money,
                                                                  "qualifier": record.get_qualifier_display()})
        return "\n".join(parts)

    @staticmethod
    def _value(value) -> str:
        if value in (None, ""):
            return "—"
        if isinstance(value, list):
            return ", ".join(str(v) for v in value) or "—"
        return str(value)
