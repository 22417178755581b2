"""Contexts of the detail pages: commitment, document, event, organisation, country, source."""

from django.db.models import Exists, OuterRef, Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.timezone import localtime
from django.utils.translation import gettext

from pledgewatch.ledger import seed
from pledgewatch.ledger.models import Commitment, CommitmentCountry, Country, Document, Event, Organisation, Source
from pledgewatch.totals.progress import cached_progress
from pledgewatch.web import labels
from pledgewatch.web.pages.common import (
    commitment_sample,
    country_ref,
    default_initiative,
    headline,
    history_of,
    names,
    org_ref,
    source_json,
    sources_of,
)


def _doc_ref(d: Document) -> dict:
    return {"id": d.pk, "title": d.title, "url": reverse("web:document", args=[d.pk]),
            "kind": labels.coded(labels.DOCUMENT_KIND, d.kind), "date": d.date.isoformat() if d.date else None}


def _event_ref(e: Event | None) -> dict | None:
    if e is None:
        return None
    return {"slug": e.slug, "name": e.name, "url": reverse("web:event", args=[e.slug]),
            "starts_at": localtime(e.starts_at).isoformat()}


def commitment(pk: int, *, staff: bool = False) -> dict:
    """Return every field of a commitment, its money in original and headline currency, stages and sources."""
    c = get_object_or_404(Commitment.objects.select_related("pillar__initiative", "provider", "channel", "event"),
                          pk=pk)
    initiatives = list(c.initiatives.all())
    initiative = initiatives[0] if initiatives else default_initiative()
    conv = headline([c], initiative).get(c.pk, {})
    shares = [country_ref(r.country_id, r.country.name) | {"share": None if r.share is None else str(r.share),
                                                           "basis": labels.coded(labels.BASIS, r.basis)}
              for r in c.recipients.select_related("country")]
    stages = [{"stage": labels.coded(labels.STAGE, s.stage), "date": s.date.isoformat(),
               "note": gettext(s.note) if s.note in seed.NOTES else s.note,  # the seed's note, translated
               "sources": sources_of(s)} for s in c.stage_changes.all()]
    return {
        "page": "commitment",
        "commitment": {
            "id": c.pk, "title": c.title, "titles": names(c, "title"), "description": c.description,
            "initiatives": [{"slug": i.slug, "name": i.name, "url": reverse("web:initiative", args=[i.slug])}
                            for i in initiatives],
            "pillar": None if c.pillar is None else {
                "slug": c.pillar.slug, "name": c.pillar.name,
                "url": reverse("web:pillar", args=[c.pillar.initiative.slug, c.pillar.slug])},
            "focus_areas": [{"slug": f.slug, "name": f.name} for f in c.focus_areas.all()],
            "classification_reason": c.classification_reason,
            "instrument": labels.coded(labels.INSTRUMENT, c.instrument),
            "sector": labels.coded(labels.SECTOR, c.sector), "dac_sector": c.dac_sector,
            "provider": org_ref(c.provider), "channel": org_ref(c.channel),
            "recipient_organisations": [org_ref(o) for o in c.recipient_organisations.all()],
            "recipients": shares,
            "money": c.money.as_json(), "qualifier": labels.coded(labels.QUALIFIER, c.qualifier),
            "date": c.date.isoformat() if c.date else None,
            "stage": labels.coded(labels.STAGE, c.stage),
            "stage_date": c.stage_date.isoformat() if c.stage_date else None,
            "event": _event_ref(c.event), "iati_identifier": c.iati_identifier, "ref": c.ref,
            "updated_at": c.updated_at.isoformat(),
        },
        "conversion": {"initiative": initiative.slug, **conv},
        "stage_history": stages,
        "documents": [_doc_ref(d) for d in c.documents.all()],
        "transactions": [{"kind": t.kind, "date": t.date.isoformat(), "money": t.money.as_json(),
                          "description": t.description} for t in c.transactions.all()],
        "sources": sources_of(c),
        "history": history_of(c, staff=staff),
    }


def document(pk: int) -> dict:
    d = get_object_or_404(Document.objects.select_related("event"), pk=pk)
    return {
        "page": "document",
        "document": _doc_ref(d) | {"titles": names(d, "title"), "address": d.url, "language": d.language,
                                   "represents_count": d.represents_count,
                                   "count_qualifier": labels.coded(labels.QUALIFIER, d.count_qualifier),
                                   "iati_ref": d.iati_ref, "event": _event_ref(d.event),
                                   "parties": [org_ref(o) for o in d.parties.all()],
                                   "countries": [country_ref(c.code, c.name) for c in d.countries.all()]},
        "commitments": commitment_sample(d.commitments.all(), default_initiative()),
        "texts": [{"title": t.title, "url": t.url, "language": t.language, "length": len(t.text)}
                  for t in d.texts.all()],
        "sources": sources_of(d),
    }


def event(slug: str) -> dict:
    e = get_object_or_404(Event.objects.select_related("country"), slug=slug)
    return {
        "page": "event",
        "event": _event_ref(e) | {"kind": labels.coded(labels.EVENT_KIND, e.kind), "names": names(e),
                                  "time_known": e.time_known,
                                  "ends_at": localtime(e.ends_at).isoformat() if e.ends_at else None,
                                  "place": e.place, "description": e.description,
                                  "country": None if e.country is None else country_ref(e.country_id,
                                                                                        e.country.name)},
        "participants": [{"name": p.name, "role": p.role, "country": p.country_id, "chair": p.is_chair}
                         for p in e.participants.all()],
        "documents": [_doc_ref(d) for d in e.documents.all()],
        "commitments": commitment_sample(e.commitments.all(), default_initiative()),
        "sources": sources_of(e),
    }


def organisation(slug: str) -> dict:
    o = get_object_or_404(Organisation.objects.select_related("country"), slug=slug)
    initiative = default_initiative()
    provided = commitment_sample(Commitment.objects.filter(provider=o), initiative, {"provider": o.slug})
    other = commitment_sample(Commitment.objects.filter(Q(channel=o) | Q(recipient_organisations=o)).exclude(
        provider=o).distinct(), initiative)
    return {
        "page": "organisation",
        "organisation": org_ref(o) | {"names": names(o), "kind": labels.coded(labels.ORG_KIND, o.kind),
                                      "country": None if o.country is None else country_ref(o.country_id,
                                                                                            o.country.name),
                                      "iati_ref": o.iati_ref, "description": o.description, "founded": o.founded},
        "provided": provided,
        "channelled_or_received": other,
        "documents": [_doc_ref(d) for d in o.documents.all()],
        "sources": sources_of(o),
    }


def country(code: str) -> dict:
    """Return a country: counted money and counts from the initiative's progress, and its commitments."""
    c = get_object_or_404(Country, code=code.upper())
    initiative = default_initiative()
    result = cached_progress(initiative)
    row = next((r for r in result["breakdowns"]["country"] if r["key"] == c.code), None)
    # EXISTS rather than a join: the newest 25 come from walking the date index, and the count from the
    # (commitment, country) rows, which are unique; both stay fast on a large ledger
    shares = CommitmentCountry.objects.filter(country=c)
    qs = Commitment.objects.filter(Exists(shares.filter(commitment=OuterRef("pk"))))
    return {
        "page": "country",
        "country": country_ref(c.code, c.name) | {"names": names(c), "iso3": c.iso3, "numeric": c.numeric},
        "initiative": {"slug": initiative.slug, "name": initiative.name},
        "totals": {"counted": row["counted"] if row else None, "count": row["count"] if row else 0,
                   "undisclosed": row["undisclosed"] if row else 0,
                   "note_shared": True},
        "commitments": commitment_sample(qs, initiative, {"country": c.code}, total=shares.count()),
        "documents": [_doc_ref(d) for d in c.documents.all()],
        "organisations": [org_ref(o) for o in Organisation.objects.filter(country=c)],
    }


def source(pk: int) -> dict:
    """Return a source with the whole text it quotes, cut around the quoted span."""
    s = get_object_or_404(Source.objects.select_related("text", "document", "content_type"), pk=pk, text__isnull=False)
    data = source_json(s)
    text = s.text.text
    if s.start is not None and s.end is not None:
        data["full"] = {"before": text[:s.start], "mark": text[s.start:s.end], "after": text[s.end:]}
    else:
        data["full"] = {"before": text, "mark": "", "after": ""}
    target = s.target
    data["supports"] = None
    if isinstance(target, Commitment):
        data["supports"] = {"kind": "commitment", "title": target.title,
                            "url": reverse("web:commitment", args=[target.pk])}
    elif target is not None and hasattr(target, "name"):
        data["supports"] = {"kind": s.content_type.model, "title": str(target), "url": None}
    return {"page": "source", "source": data}
