"""Write mapped activities to the ledger: new ones in bulk, changed ones one by one.

New activities are written per batch as plain rows (`bulk.Table`, one executemany per table) with
their commitments' history rows; their countries, transactions, stage change and source are part of
that creation and get no history rows of their own. Changed activities go through the ORM (save() and
its history), as they are few.
"""

import json

import orjson
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from pledgewatch.iati import mapping, values
from pledgewatch.iati.bulk import EncodedJson, table
from pledgewatch.iati.models import IatiActivity
from pledgewatch.iati.parser import parse_datetime
from pledgewatch.ledger import audit
from pledgewatch.ledger.dedupe import Candidate, DedupeIndex, record_candidate
from pledgewatch.ledger.models import Commitment, CommitmentCountry, Source, StageChange, Transaction

CHUNK = 1000
SUPERSEDED_KEPT = 20
# transactions are in the ledger (and their IATI type codes in IatiActivity.transaction_ids)
SKIP_KEYS = ("warnings", "refusals", "fingerprint", "line", "index", "identifier", "line_offset", "transactions")


def activity_data(a, version: str) -> dict:
    """Return the activity as JSON data for IatiActivity.data (the parser keeps amounts as strings)."""
    data = {k: v for k, v in vars(a).items() if k not in SKIP_KEYS}
    data["version"] = version
    return data


def activity_json(a, version: str) -> EncodedJson:
    """Return `activity_data` as JSON text for IatiActivity.data (a reader process does this ahead).

    orjson writes the same JSON as `json.dumps` in a tenth of the time (compact, and UTF-8 instead of
    \\u escapes); the values are plain strings, numbers, lists and dicts, read back by `json.loads`.
    """
    return EncodedJson(orjson.dumps(activity_data(a, version)).decode())


def complete(plan, a, version: str, scoped: bool = True):
    """Add to the plan what the writer needs of the activity besides it (a reader process does this ahead).

    After this the writer reads only the activity's identifier, place, fingerprint, date and warnings.
    """
    plan.data_json = activity_json(a, version)
    plan.provider = provider_org(a)
    plan.recipient_orgs = recipient_orgs(a, plan.provider)
    if scoped:
        refs = {a.reporting_org.get("ref") or ""} | {o.get("ref") or "" for o in a.participating}
        plan.org_refs = tuple(sorted(refs))
        plan.text = " ".join([*a.titles.values(), *[t for d in a.descriptions for t in d["texts"].values()]])
    return plan


def provider_org(a) -> dict | None:
    """Return the providing organisation: extending (role 3), else reporting, else funding (role 1).

    pledgewatch's own export names it (`pledgewatch:role="provider"`).
    """
    marked = next((o for o in a.participating if o.get("pledgewatch") == "provider"), None)
    if marked:
        return marked
    for role in ("3",):
        org = next((o for o in a.participating if o.get("role") == role and (o.get("ref") or o.get("names"))), None)
        if org:
            return org
    if a.reporting_org:
        return a.reporting_org
    return next((o for o in a.participating if o.get("role") == "1"), None)


def recipient_orgs(a, provider: dict | None) -> list[dict]:
    """Return the accountable (2) and implementing (4) organisations other than the provider."""
    result = []
    for o in a.participating:
        if o.get("role") in ("2", "4") and o != provider and o not in result and not o.get("pledgewatch"):
            result.append(o)
    return result


class Prepared:
    """One activity with its plan and resolved ids."""

    def __init__(self, ctx, a):
        imp = ctx.importer
        self.a = a
        plan = ctx.plans.pop(a.identifier, None)  # mapped and completed ahead by a reader process (`--jobs`)
        if plan is None:
            plan = complete(mapping.plan(a, imp.known_countries), a, ctx.head.version, imp.scope is not None)
        self.plan = plan
        if plan.warnings:
            imp._file_warn_all(ctx.warnings, f"{ctx.inp.name}:{a.line}", plan.warnings)
        self.provider_id = imp.orgs.get(plan.provider)
        self.channel_id = imp.orgs.get(plan.channel) if plan.channel else None
        if plan.extending:  # pledgewatch's export names it; keep it as an organisation of the ledger
            imp.orgs.get(plan.extending)
        only = plan.countries[0][0] if len(plan.countries) == 1 else None
        self.recipient_ids = sorted({i for i in (imp.orgs.get(o, only) for o in plan.recipient_orgs) if i})
        self.document_ids = sorted({imp.orgs.document(d) for d in self.plan.documents})
        self.initiative_id = None
        self.pillar_id = self.focus_id = None
        self.reason = ""
        scope = imp.scope
        if scope and scope.contains(plan.org_refs, plan.fields, plan.countries, self.provider_id):
            self.initiative_id = scope.initiative_id
            found = scope.classifier.classify(plan.fields["dac_sector"], plan.text)
            if found:
                self.pillar_id, self.focus_id, self.reason = found.pillar_id, found.focus_area_id, found.reason
            else:
                self.reason = _("IATI import: inside the initiative's scope; no pillar mapping rule matched")

    def commitment_fields(self) -> dict:
        fields = dict(self.plan.fields, provider_id=self.provider_id)
        if self.channel_id:
            fields["channel_id"] = self.channel_id
        if self.initiative_id:
            fields.update(pillar_id=self.pillar_id, classification_reason=self.reason)
        return fields

    def stage_change(self, commitment_id: int, today) -> StageChange:
        f = self.plan.fields
        return StageChange(commitment_id=commitment_id, stage=f["stage"],
                           date=f["stage_date"] or f["date"] or today, note=self.plan.stage_note[:500])

    def transactions(self, commitment_id: int) -> list[Transaction]:
        return [Transaction(commitment_id=commitment_id, **{k: v for k, v in t.items() if k != "code"})
                for t in self.plan.transactions]

    def codes(self) -> list[str]:
        return [t["code"] for t in self.plan.transactions]

    def countries(self, commitment_id: int, skip=()) -> list[CommitmentCountry]:
        basis = self.plan.basis
        return [CommitmentCountry(commitment_id=commitment_id, country_id=code, share=share,
                                  basis=basis.get(code, "stated"))
                for code, share in self.plan.countries if code not in skip]


def _bulk(model, objs: list, *, history: bool = True) -> list:
    """Create rows in bulk; with a history row each unless they belong to a commitment created now.

    A new commitment's creation is recorded in its own history; its countries, transactions, stage
    change and source are part of that creation and get no history rows of their own (half the writes).
    Later changes to them (a newer version of the activity) are recorded.
    """
    if not objs:
        return []
    if history:
        return bulk_create_with_history(objs, model, batch_size=CHUNK, default_user=audit.current_user(),
                                        default_change_reason=audit.current_reason() or None)
    return model.objects.bulk_create(objs, batch_size=CHUNK)


def create_many(ctx, activities: list) -> list[int]:
    """Create commitments for new activities; link certain duplicates, record uncertain ones.

    Return the ids of the commitments created or linked.
    """
    imp = ctx.importer
    prepared = [p for a in activities if not refused(ctx, a) and not refused(ctx, a, p := Prepared(ctx, a))]
    by_identifier = dict(Commitment.objects.filter(
        iati_identifier__in=[p.a.identifier for p in prepared]).values_list("iati_identifier", "pk"))
    creates, links, reviews = [], [], {}
    for p in prepared:
        if p.a.identifier in by_identifier:
            links.append((p, by_identifier[p.a.identifier]))
            imp.claimed.add(by_identifier[p.a.identifier])
            continue
        match = _match(imp, p)
        if match is not None and match.certain:
            links.append((p, match.commitment_id))
            continue
        if match is not None:
            reviews[p.a.identifier] = match
        creates.append(p)
    ids = table(Commitment, with_pk=True).reserve(len(creates))
    pairs = list(zip(creates, ids, strict=True))
    now = timezone.now()
    rows = [dict(p.commitment_fields(), id=cid, iati_identifier=p.a.identifier, created_at=now, updated_at=now)
            for p, cid in pairs]
    table(Commitment, with_pk=True).insert(rows, now)
    reason = audit.current_reason() or _("import iati %(file)s") % {"file": ctx.file_name}
    write_history(Commitment, rows, "+", reason, now)
    _children(ctx, pairs, linked=False, now=now)
    ctx.counts["new"] += len(creates)
    if reviews:
        for c in Commitment.objects.filter(pk__in=[cid for p, cid in pairs if p.a.identifier in reviews]):
            record_candidate(c, reviews[c.iati_identifier], "IATI import")
            ctx.counts["review"] += 1
    for p, commitment_id in links:
        _link_existing(ctx, p, commitment_id)
    ctx.counts["linked"] += len(links)
    return ids + [cid for _p, cid in links]


def history_user_id() -> int | None:
    """Return the id of the user the current writes are made for (`audit.acting_as`), or None."""
    user = audit.current_user()
    return getattr(user, "pk", None) if getattr(user, "is_authenticated", False) else None


def write_history(model, rows: list[dict], kind: str, reason: str, now) -> None:
    """Write one history row per written row (kind "+" created, "~" changed), with date, reason and user."""
    if not rows:
        return
    user_id = history_user_id()
    extra = {"history_date": now, "history_type": kind, "history_change_reason": audit.clip(reason),
             "history_user_id": user_id}
    table(model.history.model).insert([{**row, **extra} for row in rows], now)


def _children(ctx, pairs: list, *, linked: bool, now) -> None:
    """Write countries, transactions, stage changes, sources, m2m links and IatiActivity rows."""
    imp = ctx.importer
    countries, txs, stages, sources = [], [], [], []
    docs, recips, inits, focus = [], [], [], []
    tx_ids = table(Transaction, with_pk=True).reserve(sum(len(p.plan.transactions) for p, _cid in pairs))
    next_tx = iter(tx_ids)
    activities = []
    for p, cid in pairs:
        countries += [{"commitment_id": cid, "country_id": code, "share": share,
                       "basis": p.plan.basis.get(code, "stated")} for code, share in p.plan.countries]
        own = []
        for t in p.plan.transactions:
            tid = next(next_tx)
            txs.append({**t, "id": tid, "commitment_id": cid})
            own.append([tid, t["code"]])
        f = p.plan.fields
        stages.append({"commitment_id": cid, "stage": f["stage"], "date": f["stage_date"] or f["date"] or imp.today,
                       "note": p.plan.stage_note[:500]})
        sources.append(ctx.source_row(p.a, cid))
        docs += [{"commitment_id": cid, "document_id": d} for d in p.document_ids]
        recips += [{"commitment_id": cid, "organisation_id": o} for o in p.recipient_ids]
        if p.initiative_id:
            inits.append({"commitment_id": cid, "initiative_id": p.initiative_id})
            if p.focus_id:
                focus.append({"commitment_id": cid, "focusarea_id": p.focus_id})
        activities.append(_activity_dict(ctx, p.a, cid, linked, own, p.plan.data_json))
    table(CommitmentCountry).insert(countries, now)
    table(Transaction, with_pk=True).insert(txs, now)
    table(StageChange).insert(stages, now)
    table(Source).insert(sources, now)
    for through, rows in ((Commitment.documents.through, docs), (Commitment.recipient_organisations.through, recips),
                          (Commitment.initiatives.through, inits), (Commitment.focus_areas.through, focus)):
        table(through).insert(rows, now)
    table(IatiActivity).insert(activities, now)


def _activity_dict(ctx, a, commitment_id: int, linked: bool, tx_ids: list, data_json: str) -> dict:
    return {"identifier": a.identifier, "commitment_id": commitment_id, "fingerprint": a.fingerprint,
            "last_updated": parse_datetime(a.last_updated), "version": ctx.head.version, "file_id": ctx.record.pk,
            "line": a.line, "linked": linked, "transaction_ids": tx_ids, "data": data_json}


def _match(imp, p):
    """Return the best duplicate match of a new activity among commitments no IATI activity stands for, or None.

    The candidates come from an index of those commitments built once per import (`DedupeIndex`); the
    index is a snapshot, so the best match is checked against the database before it is used.
    """
    if imp.dedupe is None:
        return None
    f = p.plan.fields
    codes = frozenset(c for c, _share in p.plan.countries)
    if not any((code, f["instrument"]) in imp.dedupe for code in codes):
        return None
    index = getattr(imp, "dedupe_index", None)
    if index is None:
        index = imp.dedupe_index = DedupeIndex.load(free_only=True)
    candidate = Candidate(recipients=codes, instrument=f["instrument"], amount=f["amount"], currency=f["currency"],
                          date=f["date"], titles=tuple(t for t in (f["title_ja"], f["title_en"], f["title_ru"]) if t),
                          iati_identifier=None)  # equal identifiers were matched above
    while matches := index.matches(candidate, exclude=imp.claimed, limit=1):
        best = matches[0]
        if Commitment.objects.filter(pk=best.commitment_id, iati_identifier__isnull=True).exists():
            if best.certain:
                imp.claimed.add(best.commitment_id)
            return best
        index.discard(best.commitment_id)  # linked to an activity since the index was built, or deleted
    return None


def _link_existing(ctx, p, commitment_id: int) -> None:
    """Attach an activity to a commitment that existed before it (same deal): identifier, money, sources."""
    c = Commitment.objects.get(pk=commitment_id)
    if c.iati_identifier != p.a.identifier:
        c.iati_identifier = p.a.identifier
        c.save()
    have = set(c.recipients.values_list("country_id", flat=True))
    _bulk(CommitmentCountry, p.countries(commitment_id, skip=have))
    txs = _bulk(Transaction, p.transactions(commitment_id))
    _bulk(Source, [ctx.source(p.a, commitment_id)])
    if p.document_ids:
        c.documents.add(*p.document_ids)
    IatiActivity.objects.create(identifier=p.a.identifier, commitment_id=commitment_id,
                                fingerprint=p.a.fingerprint, last_updated=parse_datetime(p.a.last_updated),
                                version=ctx.head.version, file=ctx.record, line=p.a.line, linked=True,
                                data=json.loads(p.plan.data_json),
                                transaction_ids=[[t.pk, code] for t, code in zip(txs, p.codes(), strict=True)])


def refused(ctx, a, p: Prepared | None = None) -> bool:
    """Return whether a value of the activity is refused (`values.check`, or a sum out of range); report it.

    A refused activity is skipped (counted as such) and reported as a warning of kind `refused_value`
    with its file, line and element; nothing of it is written.
    """
    if p is None:
        found = list(a.refusals)
    else:
        amounts = [("transaction", t.get("line") or a.line, t["amount"]) for t in p.plan.transactions]
        amounts.append(("iati-activity (sum of its commitments)", a.line, p.plan.fields.get("amount")))
        found = [(element, line, _("%(element)s at line %(line)d: %(value)s is beyond what the ledger holds (less "
                                   "than 10^20 in absolute value); the activity is not imported")
                  % {"element": element, "line": line, "value": amount})
                 for element, line, amount in amounts if amount is not None and abs(amount) >= values.LIMIT]
    for _element, line, message in found[:1]:
        ctx.importer._file_warn(ctx.warnings, "refused_value", f"{ctx.inp.name}:{line}",
                                _("%(id)s: %(reason)s") % {"id": a.identifier, "reason": message})
    if found:
        ctx.counts["skipped"] += 1
    return bool(found)


def update_one(ctx, a, ia: IatiActivity) -> bool:
    """Apply a newer version of an activity to its commitment, recording the changes.

    Return False (and change nothing) when a value of the newer version is refused.
    """
    if refused(ctx, a):
        return False
    p = Prepared(ctx, a)
    if refused(ctx, a, p):
        return False
    c = ia.commitment
    if not ia.linked:
        old_stage = c.stage
        for key, value in p.commitment_fields().items():
            setattr(c, key, value)
        c._change_reason = audit.current_reason() or _("IATI import: newer version of %(id)s") % {"id": a.identifier}
        c.save()
        if c.stage != old_stage:
            p.stage_change(c.pk, ctx.importer.today).save()
        old = {(r.country_id, r.share, r.basis) for r in c.recipients.all()}
        if old != {(code, share, p.plan.basis.get(code, "stated")) for code, share in p.plan.countries}:
            c.recipients.all().delete()
            _bulk(CommitmentCountry, p.countries(c.pk))
        c.documents.set(p.document_ids)
        c.recipient_organisations.set(p.recipient_ids)
        if p.initiative_id:
            c.initiatives.add(p.initiative_id)
            if p.focus_id:
                c.focus_areas.add(p.focus_id)
    else:
        have = set(c.recipients.values_list("country_id", flat=True))
        _bulk(CommitmentCountry, p.countries(c.pk, skip=have))
    Transaction.objects.filter(pk__in=[pk for pk, _code in ia.transaction_ids]).delete()
    txs = _bulk(Transaction, p.transactions(c.pk))
    Source.objects.filter(content_type=ctx.importer.ct, object_id=c.pk, quote=a.identifier).delete()
    _bulk(Source, [ctx.source(a, c.pk)])
    ia.superseded = [*ia.superseded, ia.fingerprint][-SUPERSEDED_KEPT:]
    ia.fingerprint, ia.last_updated = a.fingerprint, parse_datetime(a.last_updated)
    ia.version, ia.file, ia.line = ctx.head.version, ctx.record, a.line
    ia.data = json.loads(p.plan.data_json)
    ia.transaction_ids = [[t.pk, code] for t, code in zip(txs, p.codes(), strict=True)]
    ia.save()
    return True



