"""An initiative's scope rule, applied to imported activities (`--initiative SLUG`)."""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from pledgewatch.iati.exceptions import UnknownInitiativeSlug
from pledgewatch.iati.pillars import Classifier
from pledgewatch.ledger.models import Initiative


@dataclass
class Scope:
    initiative_id: int
    horizon: tuple[date, date]
    countries: frozenset[str]
    provider_id: int | None
    provider_ref: str
    classifier: Classifier

    @classmethod
    def load(cls, slug: str) -> "Scope":
        """Return the scope of the initiative with this slug; raise UnknownInitiativeSlug."""
        initiative = Initiative.objects.filter(slug=slug).select_related("scope_provider").first()
        if initiative is None:
            raise UnknownInitiativeSlug(_("No initiative has the slug “%(slug)s”.") % {"slug": slug})
        provider = initiative.scope_provider
        return cls(initiative_id=initiative.pk, horizon=(initiative.horizon_start, initiative.horizon_end),
                   countries=frozenset(initiative.scope_countries.values_list("code", flat=True)),
                   provider_id=provider.pk if provider else None,
                   provider_ref=(provider.iati_ref if provider else "") or "",
                   classifier=Classifier(initiative))

    def contains(self, org_refs, fields: dict, countries: list, provider_id: int | None) -> bool:
        """Return True when the activity falls inside the scope (date, recipients, provider).

        `org_refs`: the references of the activity's reporting and participating organisations.
        """
        when = fields.get("date")
        if when is None or not (self.horizon[0] <= when <= self.horizon[1]):
            return False
        if self.countries and not {c for c, _share in countries} & self.countries:
            return False
        if self.provider_id is None or provider_id == self.provider_id:
            return True
        ref = self.provider_ref
        return bool(ref) and any(r == ref or r.startswith(ref + "-") for r in org_refs)
