"""Pieces shared by the page contexts: the initiative shown, commitment rows, sources, change history.

Every context is JSON-ready (dicts, lists, strings, ints): the page renders it and `?format=json` returns it.
"""

from urllib.parse import urlencode

from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from pledgewatch.ledger.counting import counting_for
from pledgewatch.ledger.models import Commitment, Initiative, Source, localized
from pledgewatch.web import labels

EXCERPT = 160  # characters of context shown around a quoted span


def default_initiative() -> Initiative:
    """Return the initiative shown at `/`: the first one created."""
    initiative = Initiative.objects.order_by("pk").first()
    if initiative is None:
        raise Http404(_("No initiative has been loaded yet. Run “pledgewatch demo”."))
    return initiative


def get_initiative(slug: str | None) -> Initiative:
    """Return the initiative with this slug (404 when unknown), or the default one."""
    if not slug:
        return default_initiative()
    try:
        return Initiative.objects.get(slug=slug)
    except Initiative.DoesNotExist:
        raise Http404(_("Unknown initiative: %(slug)s") % {"slug": slug}) from None


def initiative_summary(initiative: Initiative) -> dict:
    return {"slug": initiative.slug, "name": initiative.name, "summary": initiative.summary,
            "horizon_start": initiative.horizon_start.isoformat(), "horizon_end": initiative.horizon_end.isoformat(),
            "headline_currency": initiative.headline_currency, "target": initiative.target.as_json(),
            "url": reverse("web:initiative", args=[initiative.slug])}


def country_ref(code: str, name: str) -> dict:
    return {"code": code, "name": name, "url": reverse("web:country", args=[code])}


def org_ref(org) -> dict | None:
    if org is None:
        return None
    return {"slug": org.slug, "name": org.name, "url": reverse("web:organisation", args=[org.slug])}


def rate_json(rate) -> dict | None:
    return None if rate is None else rate.as_json()


def headline(commitments: list[Commitment], initiative: Initiative) -> dict[int, dict]:
    """Return id → {"headline", "rate", "status", "money_status", "flags"} for these commitments.

    The amount is converted under the initiative's rules (not scaled by scope: it is the deal's value);
    `status` says whether and how it counts toward the initiative.
    """
    if not commitments:
        return {}
    counting = counting_for(initiative)
    out = {}
    for counted in counting.count(Commitment.objects.filter(pk__in=[c.pk for c in commitments])):
        amount, rate = counted.converted, counted.rate
        qualifier = counted.item.qualifier if amount is not None else "undisclosed"
        out[counted.item.id] = {
            "headline": None if amount is None else {"amount": str(amount.quantize(1)), "currency":
                                                     counting.rules.headline_currency, "qualifier": qualifier},
            "rate": rate_json(rate) if rate and rate.period != "identity" else None,
            "money_status": labels.coded(labels.MONEY_STATUS, counted.money_status),
            "status": labels.coded(labels.STATUS, counted.status),
            "flags": [labels.coded(labels.FLAG, f) for f in counted.flags],
        }
    return out


def commitment_rows(commitments: list[Commitment], initiative: Initiative) -> list[dict]:
    """Return list rows for commitments (prefetch recipients__country, pillar, provider first)."""
    converted = headline(commitments, initiative)
    rows = []
    for c in commitments:
        rows.append({
            "id": c.pk, "url": reverse("web:commitment", args=[c.pk]), "title": c.title,
            "date": c.date.isoformat() if c.date else None,
            "recipients": [country_ref(r.country_id, r.country.name) for r in c.recipients.all()],
            "instrument": labels.coded(labels.INSTRUMENT, c.instrument),
            "stage": labels.coded(labels.STAGE, c.stage),
            "sector": labels.coded(labels.SECTOR, c.sector),
            "pillar": None if c.pillar is None else {"slug": c.pillar.slug, "name": c.pillar.name},
            "provider": org_ref(c.provider),
            "initiatives": [{"slug": i.slug, "name": i.name, "url": reverse("web:initiative", args=[i.slug])}
                            for i in c.initiatives.all()],
            "money": c.money.as_json(),
            **converted.get(c.pk, {"headline": None, "rate": None}),
        })
    return rows


def row_queryset(qs):
    return qs.select_related("pillar", "provider").prefetch_related("recipients__country", "initiatives")


SAMPLE = 25  # commitments shown on a detail page; the full list is one click away


def commitment_sample(qs, initiative: Initiative, list_params: dict | None = None, *,
                      total: int | None = None) -> dict:
    """Return the newest SAMPLE commitments of qs, their total number and the filtered list holding them all.

    Detail pages (country, organisation, pillar, document, event) stay fast however many commitments match.
    `total` may be given when a cheaper count is known.
    """
    qs = qs.order_by("-date", "-id")
    objects = list(row_queryset(qs)[:SAMPLE])
    if total is None:
        total = len(objects) if len(objects) < SAMPLE else qs.count()
    url = reverse("web:commitments") + (f"?{urlencode(list_params)}" if list_params else "")
    return {"rows": commitment_rows(objects, initiative) if objects else [], "total": total,
            "shown": len(objects), "list_url": url if list_params else None}


def source_json(source: Source) -> dict:
    """Return a source with its quoted span cut out of its text (before / quote / after) for highlighting."""
    data = {"id": source.pk, "field": source.field, "field_label": str(labels.SOURCE_FIELD.get(source.field,
                                                                                              source.field)),
            "quote": source.quote, "start": source.start,
            "end": source.end, "url": source.url or (source.text.url if source.text_id else ""),
            "seen_on": source.seen_on.isoformat() if source.seen_on else None, "note": source.note,
            "publisher": source.publisher, "language": source.language, "figure": source.figure,
            "text_stored": bool(source.text_id),
            "text_title": source.text.title if source.text_id else "",
            "document": None if source.document is None else {"id": source.document_id,
                                                              "title": source.document.title,
                                                              "url": reverse("web:document",
                                                                             args=[source.document_id])},
            "page": reverse("web:source", args=[source.pk]) if source.text_id else None}
    if source.text_id and source.start is not None and source.end is not None:
        text = source.text.text
        lo = max(0, source.start - EXCERPT)
        hi = min(len(text), source.end + EXCERPT)
        data["excerpt"] = {"before": text[lo:source.start], "mark": text[source.start:source.end],
                           "after": text[source.end:hi], "cut_before": lo > 0, "cut_after": hi < len(text)}
    return data


def sources_of(obj) -> list[dict]:
    ct = ContentType.objects.get_for_model(type(obj))
    qs = Source.objects.filter(content_type=ct, object_id=obj.pk).select_related("text", "document")
    return [source_json(s) for s in qs]


def _m2m_rows(records: list, names: set[str]) -> dict[str, dict[int, list]]:
    """Return, for each history-tracked many-to-many field, history_id → its rows as simple_history's
    `diff_against` compares them (the editable fields of the historical through rows, by related object): one
    query per field for all the records instead of two per record and field."""
    out: dict[str, dict[int, list]] = {}
    model = type(records[0])
    for name in names:
        through = getattr(records[0], name).model
        reverse = model.instance_type._meta.get_field(name).m2m_reverse_field_name()
        compared = [f.name for f in through._meta.fields if f.editable and f.name not in ("id", "m2m_history_id",
                                                                                          "history")]
        rows: dict[int, list] = {r.history_id: [] for r in records}
        for row in through.objects.filter(history__in=[r.history_id for r in records]).order_by(
                reverse, "m2m_history_id").values("history", *compared):
            rows[row.pop("history")].append(row)
        out[name] = rows
    return out


def _changed_fields(record, previous, fields: list, m2m: dict[str, dict[int, list]]) -> list[str]:
    """Return the names of the fields that differ between two history records, sorted (as `diff_against`)."""
    changed = [f.name for f in fields if f.value_from_object(record) != f.value_from_object(previous)]
    changed += [name for name, rows in m2m.items() if rows[record.history_id] != rows[previous.history_id]]
    return sorted(changed)


def history_of(obj, *, staff: bool = False) -> list[dict]:
    """Return the change history of a record, newest first: when, what kind of change, which fields."""
    records = list(obj.history.all().order_by("-history_date", "-history_id")[:50])
    out = []
    if records:
        m2m_names = {f.name for f in records[0]._history_m2m_fields}
        fields = [records[0]._meta.get_field(f.name) for f in records[0].tracked_fields
                  if f.editable and f.name not in m2m_names]
        m2m = _m2m_rows(records, m2m_names) if any(r.history_type == "~" for r in records[:-1]) else {}
    for i, record in enumerate(records):
        previous = records[i + 1] if i + 1 < len(records) else None
        fields_changed = []
        if previous is not None and record.history_type == "~":
            fields_changed = [str(obj._meta.get_field(name).verbose_name)
                              for name in _changed_fields(record, previous, fields, m2m)]
        entry = {"date": record.history_date.isoformat(), "type": labels.coded(labels.HISTORY_TYPE,
                                                                                record.history_type),
                 "fields": fields_changed, "reason": record.history_change_reason or ""}
        if staff:
            entry["user"] = str(record.history_user) if record.history_user_id else None
        out.append(entry)
    return out


def names(obj, field: str = "name") -> dict:
    """Return the record's field in every language, for pages that show the other spellings."""
    return {lang: getattr(obj, f"{field}_{lang}", "") for lang in ("ja", "en", "ru")} | {
        "current": localized(obj, field)}
