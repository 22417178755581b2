"""JSON forms of ledger records, shared by the API, the pages' JSON twins and the exports.

Bilingual text is given in every language ({"ja": …, "en": …, "ru": …}); money in the API form.
"""

from django.contrib.contenttypes.models import ContentType

from pledgewatch.ledger.models import (
    Commitment,
    Document,
    Event,
    Initiative,
    Organisation,
    Source,
)

LANGS = ("ja", "en", "ru")


def texts(obj, field: str) -> dict[str, str]:
    """Return {"ja": …, "en": …, "ru": …} for a bilingual field."""
    return {lang: getattr(obj, f"{field}_{lang}", "") or "" for lang in LANGS}


def org_ref(org: Organisation | None) -> dict | None:
    if org is None:
        return None
    return {"slug": org.slug, "name": texts(org, "name"), "kind": org.kind, "iati_ref": org.iati_ref or None}


def source_json(s: Source) -> dict:
    """Return a source with its quote, offsets and the text it quotes (by id)."""
    return {
        "id": s.pk, "field": s.field, "quote": s.quote, "start": s.start, "end": s.end,
        "text_id": s.text_id, "text_title": s.text.title if s.text_id else None,
        "url": s.url or (s.text.url if s.text_id else "") or None,
        "document_id": s.document_id or (s.text.document_id if s.text_id else None),
        "seen_on": s.seen_on.isoformat() if s.seen_on else None, "note": s.note,
    }


def sources_of(obj) -> list[dict]:
    ct = ContentType.objects.get_for_model(type(obj))
    qs = Source.objects.filter(content_type=ct, object_id=obj.pk).select_related("text")
    return [source_json(s) for s in qs]


def initiative_json(i: Initiative, *, full: bool = False) -> dict:
    data = {
        "slug": i.slug, "name": texts(i, "name"), "summary": texts(i, "summary"),
        "target": i.target.as_json(), "horizon": {"start": i.horizon_start.isoformat(),
                                                  "end": i.horizon_end.isoformat()},
        "headline_currency": i.headline_currency,
    }
    if full:
        data["pillars"] = [{
            "slug": p.slug, "order": p.order, "name": texts(p, "name"),
            "focus_areas": [{"slug": f.slug, "order": f.order, "name": texts(f, "name")}
                            for f in p.focus_areas.all()],
        } for p in i.pillars.prefetch_related("focus_areas")]
        data["scope"] = {"provider": org_ref(i.scope_provider),
                         "recipient_countries": sorted(i.scope_countries.values_list("code", flat=True))}
        data["counting_rules"] = {"counted_stages": i.counted_stages, "conversion_policy": i.conversion_policy,
                                  "fixed_rates": i.fixed_rates}
        data["sources"] = sources_of(i)
    return data


def commitment_json(c: Commitment, *, full: bool = False, counted=None) -> dict:
    """Return a commitment; `full` adds sources, stage history, transactions and documents."""
    data = {
        "id": c.pk, "ref": c.ref, "title": texts(c, "title"), "instrument": c.instrument,
        "stage": c.stage, "stage_date": c.stage_date.isoformat() if c.stage_date else None,
        "date": c.date.isoformat() if c.date else None, "amount": c.money.as_json(),
        "sector": c.sector, "recipients": [
            {"country": r.country_id, "share": None if r.share is None else str(r.share.normalize()),
             "basis": r.basis}
            for r in c.recipients.all()],
        "pillar": c.pillar.slug if c.pillar_id else None,
        "focus_areas": [f.slug for f in c.focus_areas.all()],
        "provider": org_ref(c.provider), "channel": org_ref(c.channel),
        "initiatives": [i.slug for i in c.initiatives.all()],
        "iati_identifier": c.iati_identifier, "dac_sector": c.dac_sector or None,
        "updated_at": c.updated_at.isoformat() if c.updated_at else None,
    }
    if counted is not None:
        data["counting"] = {
            "status": counted.status, "money_status": counted.money_status, "flags": list(counted.flags),
            "headline": None if counted.headline is None else {
                "amount": str(counted.headline.quantize(1)), "currency": counted.rate.quote if counted.rate else None,
                "qualifier": c.qualifier},
            "rate": counted.rate.as_json() if counted.rate else None,
        }
    if full:
        data["description"] = texts(c, "description")
        data["classification_reason"] = c.classification_reason
        data["recipient_organisations"] = [org_ref(o) for o in c.recipient_organisations.all()]
        data["stage_history"] = [{"stage": s.stage, "date": s.date.isoformat(), "note": s.note,
                                  "sources": sources_of(s)} for s in c.stage_changes.all()]
        data["transactions"] = [{"kind": t.kind, "date": t.date.isoformat(), "money": t.money.as_json()}
                                for t in c.transactions.all()]
        data["documents"] = [document_json(d) for d in c.documents.all()]
        data["event"] = c.event.slug if c.event_id else None
        data["sources"] = sources_of(c)
    return data


def document_json(d: Document, *, full: bool = False) -> dict:
    data = {
        "id": d.pk, "kind": d.kind, "title": texts(d, "title"), "date": d.date.isoformat() if d.date else None,
        "url": d.url or None, "language": d.language or None, "event": d.event.slug if d.event_id else None,
        "represents_count": d.represents_count, "count_qualifier": d.count_qualifier,
    }
    if full:
        data["parties"] = [org_ref(o) for o in d.parties.all()]
        data["countries"] = sorted(d.countries.values_list("code", flat=True))
        data["commitments"] = list(d.commitments.values_list("pk", flat=True))
        data["sources"] = sources_of(d)
    return data


def event_json(e: Event, *, full: bool = False) -> dict:
    data = {
        "slug": e.slug, "kind": e.kind, "name": texts(e, "name"), "starts_at": e.starts_at.isoformat(),
        "time_known": e.time_known, "ends_at": e.ends_at.isoformat() if e.ends_at else None,
        "place": texts(e, "place"), "country": e.country_id,
    }
    if full:
        data["description"] = texts(e, "description")
        data["participants"] = [{"name": texts(p, "name"), "role": texts(p, "role"), "country": p.country_id,
                                 "chair": p.is_chair} for p in e.participants.all()]
        data["documents"] = [document_json(d) for d in e.documents.all()]
        data["sources"] = sources_of(e)
    return data


def organisation_json(o: Organisation, *, full: bool = False) -> dict:
    data = {**org_ref(o), "country": o.country_id, "founded": o.founded}
    if full:
        data["description"] = texts(o, "description")
        data["provided"] = list(o.provided.values_list("pk", flat=True))
        data["sources"] = sources_of(o)
    return data
