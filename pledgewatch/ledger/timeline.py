"""Progress over time and the chronology of an initiative (events, documents, stage changes).

Plain functions over the outcome of `progress()` and the ledger, shared by the
dashboard pages and the JSON API.
"""

from datetime import date
from decimal import Decimal

from django.utils.timezone import localtime

from pledgewatch.ledger.models import Document, Event, StageChange
from pledgewatch.ledger.money import format_decimal


def cumulative(days: list[dict], start: date, today: date) -> list[dict]:
    """Return the counted money cumulated by date, from the horizon start to today.

    `days` is `progress()["counted_by_day"]` ([{"date", "amount"}] sorted by date; undated and earlier
    commitments already placed at the horizon start; only counted, disclosed, converted money).
    """
    points = [{"date": start.isoformat(), "amount": "0"}]
    total = Decimal(0)
    for entry in days:
        if date.fromisoformat(entry["date"]) > today:
            break
        total += Decimal(entry["amount"])
        points.append({"date": entry["date"], "amount": format_decimal(total.quantize(Decimal(1)))})
    if today > start:
        points.append({"date": today.isoformat(), "amount": format_decimal(total.quantize(Decimal(1)))})
    return points


def linear_path(start: date, end: date, target: Decimal | None) -> list[dict]:
    """Return the straight path from nothing at the horizon start to the target at its end."""
    if target is None:
        return []
    return [{"date": start.isoformat(), "amount": "0"},
            {"date": end.isoformat(), "amount": format_decimal(target.quantize(Decimal(1)))}]


def projection(pace: dict, counted: Decimal) -> list[dict]:
    """Return the line from today's counted total to the projected total at the horizon end."""
    if pace.get("projected_at_end") is None or pace["status"] == "not_started":
        return []
    return [{"date": pace["today"], "amount": format_decimal(counted.quantize(Decimal(1)))},
            {"date": pace["horizon_end"], "amount": pace["projected_at_end"]}]


def entries(initiative=None, *, history: bool = False) -> list[dict]:
    """Return the chronology: events, documents and stage changes, oldest first (optionally of one initiative).

    `history=True`: only what no initiative holds (the earlier history, e.g. imported JICA activities).
    """
    events = Event.objects.all()
    documents = Document.objects.exclude(date=None)
    changes = StageChange.objects.select_related("commitment")
    if initiative is not None:
        events = events.filter(initiatives=initiative)
        documents = documents.filter(initiatives=initiative)
        changes = changes.filter(commitment__initiatives=initiative)
    elif history:
        events = events.filter(initiatives=None)
        documents = documents.filter(initiatives=None)
        changes = changes.filter(commitment__initiatives=None)
    rows = [{"date": localtime(e.starts_at).date().isoformat(), "kind": "event", "id": e.slug, "title": e.name,
             "subkind": e.kind, "sort": localtime(e.starts_at).isoformat()} for e in events]
    rows += [{"date": d.date.isoformat(), "kind": "document", "id": d.pk, "title": d.title, "subkind": d.kind,
              "sort": d.date.isoformat() + "T99"} for d in documents]
    rows += [{"date": c.date.isoformat(), "kind": "stage_change", "id": c.commitment_id,
              "title": c.commitment.title, "subkind": c.stage, "sort": c.date.isoformat() + "T99"} for c in changes]
    rows.sort(key=lambda r: (r.pop("sort"), r["kind"], str(r["id"])))
    return rows
