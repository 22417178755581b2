"""Build an issue from what changed in the ledger since the previous issue (simple-history tables).

An item is a JSON-ready dict: kind (new_commitment, stage_change, amount_change, new_document,
new_source), titles in ja/en/ru, details, and tags (initiatives, countries, pillars) that decide which
members' topics it matches. Titles are stored in every language so rendering needs no queries.
"""

import base64
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from pledgewatch.ledger.counting import candidate_commitments, rules_for
from pledgewatch.ledger.models import Commitment, Document, Initiative, Source
from pledgewatch.ledger.money import Money
from pledgewatch.newsletter.chart import render_charts
from pledgewatch.newsletter.models import TOPIC_KINDS, Issue, IssueState
from pledgewatch.totals.progress import progress

LANGS = ("ja", "en", "ru")


def _titles(obj, field: str = "title") -> dict:
    return {lang: getattr(obj, f"{field}_{lang}", "") or "" for lang in LANGS}


def _money(record) -> dict | None:
    if record.amount is None and record.qualifier != "undisclosed":
        return None
    try:
        return Money(record.amount, record.currency, record.qualifier).as_json()
    except Exception:  # a malformed history row: report the raw values, never fail the issue
        return {"amount": None if record.amount is None else str(record.amount),
                "currency": record.currency, "qualifier": record.qualifier}


class Tagger:
    """Return the topic tags of commitments and documents, caching the lookups."""

    def __init__(self):
        self.Commitment, self.Document = Commitment, Document

    def commitment(self, pk: int) -> dict:
        c = self.Commitment.objects.filter(pk=pk).select_related("pillar").first()
        if c is None:
            return {k: [] for k in TOPIC_KINDS}
        return {
            "initiatives": sorted(c.initiatives.values_list("slug", flat=True)),
            "countries": sorted(c.recipients.values_list("country_id", flat=True)),
            "pillars": [c.pillar.slug] if c.pillar else [],
        }

    def document(self, pk: int) -> dict:
        d = self.Document.objects.filter(pk=pk).first()
        if d is None:
            return {k: [] for k in TOPIC_KINDS}
        return {"initiatives": sorted(d.initiatives.values_list("slug", flat=True)),
                "countries": sorted(d.countries.values_list("code", flat=True)), "pillars": []}


def commitment_items(since: datetime | None, until: datetime, allowed: set | None, tagger: Tagger) -> list[dict]:
    """Return new commitments, stage changes and amount changes recorded in (since, until]."""
    rows = Commitment.history.filter(history_date__lte=until).order_by("history_date", "history_id")
    if since is not None:
        rows = rows.filter(history_date__gt=since)
    items: list[dict] = []
    seen_new: set[int] = set()
    for rec in rows.iterator():
        if allowed is not None and rec.id not in allowed:
            continue
        base = {"commitment": rec.id, "title": _titles(rec), "date": rec.date.isoformat() if rec.date else None,
                "at": rec.history_date.isoformat(), "path": f"/commitments/{rec.id}/"}
        if rec.history_type == "+":
            seen_new.add(rec.id)
            items.append({**base, "kind": "new_commitment", "stage": rec.stage, "amount": _money(rec),
                          "instrument": rec.instrument})
            continue
        if rec.history_type != "~" or rec.id in seen_new:
            continue
        prev = rec.prev_record
        if prev is None:
            continue
        if prev.stage != rec.stage:
            items.append({**base, "kind": "stage_change", "stage_from": prev.stage, "stage_to": rec.stage})
        if (prev.amount, prev.currency, prev.qualifier) != (rec.amount, rec.currency, rec.qualifier):
            items.append({**base, "kind": "amount_change", "amount_from": _money(prev), "amount_to": _money(rec)})
    for item in items:
        item["tags"] = tagger.commitment(item["commitment"])
    return items


def document_items(since, until, initiative, tagger: Tagger) -> list[dict]:
    """Return documents and sources added in (since, until]."""
    items = []
    docs = Document.history.filter(history_type="+", history_date__lte=until).order_by("history_date")
    srcs = Source.history.filter(history_type="+", history_date__lte=until).order_by("history_date")
    if since is not None:
        docs, srcs = docs.filter(history_date__gt=since), srcs.filter(history_date__gt=since)
    for rec in docs.iterator():
        tags = tagger.document(rec.id)
        if initiative is not None and tags["initiatives"] and initiative.slug not in tags["initiatives"]:
            continue
        items.append({"kind": "new_document", "document": rec.id, "title": _titles(rec), "doc_kind": rec.kind,
                      "date": rec.date.isoformat() if rec.date else None, "url": rec.url,
                      "at": rec.history_date.isoformat(), "tags": tags})
    for rec in srcs.iterator():
        quote = (rec.quote or "")[:200]
        items.append({"kind": "new_source", "source": rec.id, "title": dict.fromkeys(LANGS, quote or rec.url),
                      "url": rec.url, "at": rec.history_date.isoformat(),
                      "tags": {k: [] for k in TOPIC_KINDS}})
    return items


def progress_summary(initiative) -> dict:
    """Return the short progress block of an initiative (names in all languages, money as API JSON)."""
    p = progress(initiative)
    return {
        "slug": initiative.slug, "name": {lang: getattr(initiative, f"name_{lang}", "") for lang in LANGS},
        "counted": p["counted"], "target": p["target_in_headline"] or p["target"], "pipeline": p["pipeline"],
        "share": p["pace"]["progress_share"], "elapsed_share": p["pace"]["elapsed_share"],
        "status": p["pace"]["status"], "expected_by_now": p["pace"]["expected_by_now"],
        "counts": {k: p["counts"][k] for k in ("commitments", "counted", "pipeline")},
        "pillars": [{"slug": r.get("slug", r.get("key")), "label": r.get("label", r.get("key")),
                     "counted": r.get("counted")} for r in p.get("breakdowns", {}).get("pillar", [])],
    }


def build_content(initiative, since: datetime | None, until: datetime) -> dict:
    """Return the content of an issue: changed items and the progress of the initiative(s)."""
    tagger = Tagger()
    initiatives = [initiative] if initiative is not None else list(Initiative.objects.all())
    allowed = None
    if initiative is not None:
        allowed = set(candidate_commitments(initiative, rules_for(initiative)).values_list("pk", flat=True))
    items = commitment_items(since, until, allowed, tagger) + document_items(since, until, initiative, tagger)
    return {
        "initiative": initiative.slug if initiative else None,
        "since": since.isoformat() if since else None,
        "until": until.isoformat(),
        "items": items,
        "progress": [progress_summary(i) for i in initiatives],
    }


def matches(item: dict, topics: dict) -> bool:
    """Return True when an item concerns one of the member's topics (no topics: everything)."""
    wanted = {k: set(topics.get(k) or ()) for k in TOPIC_KINDS}
    if not any(wanted.values()):
        return True
    tags = item.get("tags") or {}
    return any(wanted[k] & set(tags.get(k) or ()) for k in TOPIC_KINDS)


def previous_until(initiative) -> datetime | None:
    """Return the end of the window of the latest issue for the same initiative (None: first issue)."""
    last = Issue.objects.filter(initiative=initiative).order_by("-until").first()
    return last.until if last else None


def create_issue(initiative=None, *, until: datetime | None = None, automatic: bool = False) -> Issue:
    """Create a draft issue with what changed since the previous one, and its charts."""
    until = until or timezone.now()
    since = previous_until(initiative)
    content = build_content(initiative, since, until)
    charts = {lang: base64.b64encode(png).decode("ascii") for lang, png in render_charts(content).items()}
    with transaction.atomic():
        return Issue.objects.create(initiative=initiative, since=since, until=until, content=content,
                                    charts=charts, automatic=automatic, state=IssueState.DRAFT)
