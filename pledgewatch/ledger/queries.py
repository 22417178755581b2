"""Commitment filters shared by the API, the pages, the exports and the feed.

`CommitmentFilter.from_params(request.GET)` reads URL parameters; `.apply(queryset)` filters.
Unknown codes are reported as FilterError (a clear 400 in HTTP, a message in the CLI).
"""

from dataclasses import dataclass, fields
from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from pledgewatch.ledger.exceptions import LedgerError
from pledgewatch.ledger.models import Commitment, CommitmentCountry, Instrument, Sector, Stage

SORTS = {
    "date": ("date", "id"), "-date": ("-date", "-id"),
    "amount": ("amount", "id"), "-amount": ("-amount", "-id"),
    "title": ("title_en", "id"), "-title": ("-title_en", "-id"),
    "updated": ("updated_at", "id"), "-updated": ("-updated_at", "-id"),
    "id": ("id",), "-id": ("-id",),
}


FILTER_MAX_LENGTH = 200  # characters of one filter parameter (the API refuses longer ones with 422)


class FilterError(LedgerError, ValueError):
    """Raised if a filter parameter has a value that is not allowed."""


def _split(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        value = ",".join(value)
    return [v.strip() for v in str(value).split(",") if v.strip()]


@dataclass
class CommitmentFilter:
    initiative: str = ""
    country: str = ""
    pillar: str = ""
    focus_area: str = ""
    instrument: str = ""
    stage: str = ""
    sector: str = ""
    year: str = ""
    provider: str = ""
    q: str = ""
    sort: str = "-date"

    @classmethod
    def from_params(cls, params) -> "CommitmentFilter":
        """Build a filter from a dict or QueryDict of URL parameters (comma-separated lists allowed)."""
        values = {}
        for f in fields(cls):
            raw = params.get(f.name) if hasattr(params, "get") else None
            if raw not in (None, ""):
                values[f.name] = str(raw).strip()[:FILTER_MAX_LENGTH]
        return cls(**values)

    def as_params(self) -> dict[str, str]:
        """Return the non-empty parameters (to rebuild a URL)."""
        return {f.name: getattr(self, f.name) for f in fields(self)
                if getattr(self, f.name) and not (f.name == "sort" and self.sort == "-date")}

    def _check(self, name: str, values: list[str], allowed) -> list[str]:
        bad = [v for v in values if v not in allowed]
        if bad:
            raise FilterError(_("Unknown %(name)s: %(values)s") % {"name": name, "values": ", ".join(bad)})
        return values

    def apply(self, qs: QuerySet | None = None, *, for_count: bool = False) -> QuerySet:
        """Return the commitments matching every given filter, sorted.

        `for_count=True` gives the same rows in the form that counts them fastest (a country's commitments
        as one id list instead of a test per row).
        """
        qs = Commitment.objects.all() if qs is None else qs
        # Many-to-many filters are subqueries (pk IN (…)), not joins: no DISTINCT, no duplicate rows.
        if self.initiative:
            qs = qs.filter(pk__in=Commitment.initiatives.through.objects.filter(
                initiative__slug__in=_split(self.initiative)).values("commitment_id"))
        if self.country:
            # EXISTS per row, not IN (all commitments of the country): a sorted page stops after its rows
            codes = [c.upper() for c in _split(self.country)]
            if for_count:
                qs = qs.filter(pk__in=CommitmentCountry.objects.filter(country_id__in=codes).values("commitment_id"))
            else:
                qs = qs.filter(Exists(CommitmentCountry.objects.filter(commitment=OuterRef("pk"),
                                                                       country_id__in=codes)))
        if self.pillar:
            slugs = _split(self.pillar)
            cond = Q(pillar__slug__in=[s for s in slugs if s != "unassigned"])
            if "unassigned" in slugs:
                cond |= Q(pillar__isnull=True)
            qs = qs.filter(cond)
        if self.focus_area:
            qs = qs.filter(pk__in=Commitment.focus_areas.through.objects.filter(
                focusarea__slug__in=_split(self.focus_area)).values("commitment_id"))
        if self.instrument:
            qs = qs.filter(instrument__in=self._check(_("instrument"), _split(self.instrument), Instrument.values))
        if self.stage:
            qs = qs.filter(stage__in=self._check(_("stage"), _split(self.stage), Stage.values))
        if self.sector:
            qs = qs.filter(sector__in=self._check(_("sector"), _split(self.sector), Sector.values))
        if self.year:
            years = _split(self.year)
            if not all(y.isascii() and y.isdigit() and len(y) == 4 and y != "0000" for y in years):
                raise FilterError(_("A year has four digits: %(values)s") % {"values": self.year})
            cond = Q()
            for y in years:
                cond |= Q(date__gte=date(int(y), 1, 1), date__lte=date(int(y), 12, 31))
            qs = qs.filter(cond)
        if self.provider:
            qs = qs.filter(provider__slug__in=_split(self.provider))
        if self.q:
            for word in self.q.split()[:8]:
                qs = qs.filter(Q(title_ja__icontains=word) | Q(title_en__icontains=word)
                               | Q(title_ru__icontains=word) | Q(description_ja__icontains=word)
                               | Q(description_en__icontains=word) | Q(iati_identifier__icontains=word))
        if self.sort not in SORTS:
            raise FilterError(_("Unknown sort: %(value)s") % {"value": self.sort})
        return qs.order_by(*SORTS[self.sort])
