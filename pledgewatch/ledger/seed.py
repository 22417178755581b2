"""Load the CA+JAD seed (idempotent: a second run changes nothing and writes no history)."""

import hashlib
from decimal import Decimal
from importlib import resources

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext_noop

from pledgewatch.ledger import seed_data as S
from pledgewatch.ledger.audit import default_reason
from pledgewatch.ledger.exceptions import SeedError
from pledgewatch.ledger.models import (
    Commitment,
    CommitmentCountry,
    Country,
    Document,
    Event,
    FocusArea,
    Initiative,
    Organisation,
    Participant,
    Pillar,
    Source,
    SourceText,
    StageChange,
)

# The seed's stage note, stored in English (one note field) and shown in the reader's language (NOTES)
SIGNED_NOTE = gettext_noop("Agreed at the first CA+JAD summit")
NOTES = frozenset({SIGNED_NOTE})


def article_text() -> str:
    """Return the seed article as stored in the package."""
    return resources.files("pledgewatch.data").joinpath("seed", S.ARTICLE).read_text(encoding="utf-8")


def body_start(text: str) -> int:
    """Return the offset where the article proper starts (after the site's newsletter notice)."""
    start = text.find(S.ARTICLE_META["body_starts_with"])
    if start < 0:
        raise SeedError("The seed article's headline was not found")
    return start


def locate(text: str, quote: str) -> tuple[int, int]:
    """Return the offsets of quote in the article proper; it must occur there exactly once."""
    body = body_start(text)
    start = text.find(quote, body)
    if start < 0 or text.find(quote, start + 1) >= 0:
        raise SeedError(f"Quote not found exactly once in the seed article: {quote!r}")
    return start, start + len(quote)


class Loader:
    """Create or update seed records, counting what changed."""

    def __init__(self):
        self.changed = 0
        self.text = article_text()

    def upsert(self, model, lookup: dict, values: dict):
        """Return the object for lookup, created or updated with values; save only on a real change."""
        obj = model.objects.filter(**lookup).first()
        if obj is None:
            obj = model(**(lookup | values))
            obj.full_clean(validate_unique=False, validate_constraints=False)
            obj.save()
            self.changed += 1
            return obj
        values = {k: v for k, v in values.items() if k not in lookup}
        dirty = [k for k, v in values.items() if getattr(obj, k) != v]
        if dirty:
            for k in dirty:
                setattr(obj, k, values[k])
            obj.save()
            self.changed += 1
        return obj

    def set_m2m(self, manager, objects) -> None:
        wanted = {o.pk for o in objects}
        if set(manager.values_list("pk", flat=True)) != wanted:
            manager.set(list(objects))
            self.changed += 1

    def source_text(self) -> SourceText:
        digest = hashlib.sha256(self.text.encode("utf-8")).hexdigest()
        return self.upsert(SourceText, {"sha256": digest}, {
            "title": S.ARTICLE_META["title"], "language": S.ARTICLE_META["language"], "text": self.text,
            "retrieved_on": S.ARTICLE_META["retrieved_on"], "url": S.ARTICLE_META["url"],
            "publisher": S.ARTICLE_META["publisher"], "body_start": body_start(self.text)})

    def sources(self, obj, specs: list[dict], text: SourceText) -> None:
        ct = ContentType.objects.get_for_model(type(obj))
        for spec in specs:
            start, end = locate(self.text, spec["q"])
            self.upsert(Source, {"content_type": ct, "object_id": obj.pk, "field": spec.get("field", ""),
                                 "text": text, "start": start, "end": end},
                        {"quote": spec["q"], "seen_on": S.ARTICLE_META["retrieved_on"]})


def _bilingual(spec: dict, *names: str) -> dict:
    return {f"{n}_{lang}": spec.get(f"{n}_{lang}", "") for n in names for lang in ("ja", "en", "ru")}


def _load_orgs(loader: Loader, text: SourceText) -> dict[str, Organisation]:
    orgs = {}
    for spec in S.ORGANISATIONS:
        values = _bilingual(spec, "name", "description") | {
            "kind": spec["kind"], "iati_ref": spec.get("iati_ref", ""), "founded": spec.get("founded"),
            "country_id": spec.get("country")}
        orgs[spec["slug"]] = org = loader.upsert(Organisation, {"slug": spec["slug"]}, values)
        loader.sources(org, spec.get("sources", []), text)
    return orgs


def _load_initiative(loader: Loader, text: SourceText, orgs) -> Initiative:
    spec = S.INITIATIVE
    values = _bilingual(spec, "name", "summary") | {
        k: spec[k] for k in ("target_currency", "target_qualifier", "horizon_start", "horizon_end",
                             "headline_currency", "counted_stages", "conversion_policy")}
    values["target_amount"] = Decimal(spec["target_amount"])
    values["scope_provider"] = orgs[spec["scope_provider"]]
    initiative = loader.upsert(Initiative, {"slug": spec["slug"]}, values)
    loader.set_m2m(initiative.scope_countries, Country.objects.filter(code__in=spec["scope_countries"]))
    loader.sources(initiative, spec["sources"], text)
    for order, p in enumerate(S.PILLARS, start=1):
        pillar = loader.upsert(Pillar, {"initiative": initiative, "slug": p["slug"]},
                               _bilingual(p, "name") | {"order": order, "keywords": p["keywords"]})
        loader.sources(pillar, [{"q": p["q"]}], text)
        for forder, (slug, ja, en, ru, keywords) in enumerate(p["focus"], start=1):
            loader.upsert(FocusArea, {"pillar": pillar, "slug": slug},
                          {"name_ja": ja, "name_en": en, "name_ru": ru, "order": forder, "keywords": keywords,
                           "dac_sectors": S.FOCUS_SECTORS.get(slug, "")})
    return initiative


def _load_events(loader: Loader, text: SourceText, initiative) -> dict[str, Event]:
    events = {}
    for spec in S.EVENTS:
        values = _bilingual(spec, "name", "place", "description") | {
            k: spec[k] for k in ("kind", "starts_at", "ends_at", "time_known")} | {"country_id": spec["country"]}
        events[spec["slug"]] = event = loader.upsert(Event, {"slug": spec["slug"]}, values)
        loader.set_m2m(event.initiatives, [initiative])
        for order, (ja, en, ru, role_ja, role_en, country, chair, quote) in enumerate(spec["participants"]):
            loader.upsert(Participant, {"event": event, "order": order}, {
                "name_ja": ja, "name_en": en, "name_ru": ru, "role_ja": role_ja, "role_en": role_en,
                "country_id": country, "is_chair": chair})
            locate(loader.text, quote)  # every participant is named in the article
        loader.sources(event, spec["sources"], text)
    return events


def _load_documents(loader: Loader, text: SourceText, initiative, orgs, events) -> dict[str, Document]:
    docs = {}
    for spec in S.DOCUMENTS:
        lookup = {"title_en": spec["title_en"], "kind": spec["kind"]}
        values = _bilingual(spec, "title") | {
            "date": spec["date"], "event": events.get(spec.get("event")), "language": spec.get("language", ""),
            "represents_count": spec.get("represents_count"), "count_qualifier": spec.get("count_qualifier", "exact")}
        docs[spec["ref"]] = doc = loader.upsert(Document, lookup, values)
        loader.set_m2m(doc.parties, [orgs[s] for s in spec.get("parties", [])])
        loader.set_m2m(doc.countries, Country.objects.filter(code__in=spec.get("countries", [])))
        loader.set_m2m(doc.initiatives, [initiative])
        loader.sources(doc, spec["sources"], text)
    return docs


def _load_commitments(loader: Loader, text: SourceText, initiative, orgs, events, docs) -> None:
    summit = events["ca-jad-summit-2025-12-20"]
    for spec in S.COMMITMENTS:
        pillar = focus = None
        if spec["pillar"]:
            pillar = initiative.pillars.get(slug=spec["pillar"][0])
            focus = pillar.focus_areas.get(slug=spec["pillar"][1])
        amount = Decimal(spec["amount"]) if spec.get("amount") else None
        values = _bilingual(spec, "title", "description") | {
            "instrument": spec["instrument"], "sector": "public", "provider": orgs["gov-jp"],
            "channel": orgs.get(spec.get("channel", "")), "amount": amount,
            "currency": spec.get("currency", "JPY" if amount else ""),
            "qualifier": spec.get("qualifier", "undisclosed"), "date": S.SIGNED_ON, "stage": "signed",
            "stage_date": S.SIGNED_ON, "event": summit, "pillar": pillar,
            "classification_reason": spec.get("reason", ""), "dac_sector": spec.get("dac_sector", "")}
        existing = Commitment.objects.filter(ref=spec["ref"]).first()
        if existing is not None and existing.record_key:
            # the public record holds this deal now (amount, date, stage, documents): the article stays a source
            _keep_article_links(loader, existing, initiative, docs, text, spec)
            continue
        c = loader.upsert(Commitment, {"ref": spec["ref"]}, values)
        loader.set_m2m(c.initiatives, [initiative])
        loader.set_m2m(c.focus_areas, [focus] if focus else [])
        loader.set_m2m(c.recipient_organisations, [orgs[f"gov-{code.lower()}"] for code in spec["recipients"]])
        loader.set_m2m(c.documents, [docs["documents-150"]])
        for code in spec["recipients"]:
            loader.upsert(CommitmentCountry, {"commitment": c, "country_id": code}, {"share": None})
        stale = CommitmentCountry.objects.filter(commitment=c).exclude(country_id__in=spec["recipients"])
        if stale.exists():
            stale.delete()
            loader.changed += 1
        change = loader.upsert(StageChange, {"commitment": c, "stage": "signed", "date": S.SIGNED_ON},
                               {"note": SIGNED_NOTE})
        loader.sources(change, [{"q": S._AGREED}], text)
        loader.sources(c, spec["sources"] + S.COMMON_COMMITMENT_SOURCES, text)


def _keep_article_links(loader: Loader, c: Commitment, initiative, docs, text: SourceText, spec: dict) -> None:
    """Keep a record-held commitment linked to the initiative and the article, without reverting its fields."""
    for manager, obj in ((c.initiatives, initiative), (c.documents, docs["documents-150"])):
        if not manager.filter(pk=obj.pk).exists():
            manager.add(obj)
            loader.changed += 1
    if spec.get("dac_sector") and not c.dac_sector:  # the record has no sector column: the seed supplies it
        c.dac_sector = spec["dac_sector"]
        c.save(update_fields=["dac_sector"])
        loader.changed += 1
    loader.sources(c, spec["sources"] + S.COMMON_COMMITMENT_SOURCES, text)


@transaction.atomic
def load_seed() -> int:
    """Create or update the CA+JAD seed; return the number of records created or changed."""
    with default_reason("seed: CA+JAD Tokyo Initiative"):
        return _load_all()


def _load_all() -> int:
    loader = Loader()
    text = loader.source_text()
    orgs = _load_orgs(loader, text)
    initiative = _load_initiative(loader, text, orgs)
    events = _load_events(loader, text, initiative)
    docs = _load_documents(loader, text, initiative, orgs, events)
    text_doc = loader.upsert(Document, {"title_ja": S.ARTICLE_META["title"], "kind": "article"},
                             {"date": S.SIGNED_ON, "language": "ja", "url": S.ARTICLE_META["url"]})
    if text.document_id != text_doc.pk:
        text.document = text_doc
        text.save()
        loader.changed += 1
    _load_commitments(loader, text, initiative, orgs, events, docs)
    return loader.changed
