"""Review queue operations: submit a text, find likely duplicates, accept, edit-then-accept, reject, link.

Views and commands call these functions; none of them holds logic of its own.
"""

import hashlib
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pledgewatch.ledger.audit import attributed
from pledgewatch.ledger.claims import matching_claims
from pledgewatch.ledger.dedupe import Candidate, add_source, find_matches
from pledgewatch.ledger.models import (
    Claim,
    Commitment,
    CommitmentCountry,
    Country,
    Initiative,
    Instrument,
    Organisation,
    OrgKind,
    Pillar,
    SourceText,
    Stage,
)
from pledgewatch.press.exceptions import ReviewError
from pledgewatch.press.extract import extract_items, prepare
from pledgewatch.press.models import Decision, Proposal, Submission
from pledgewatch.press.pillars import DEFAULT_INITIATIVE, rules_for

SIGNED_DOCUMENTS = {"exchange_of_notes", "loan_agreement"}
EDITABLE = ("title", "recipients", "instrument", "amount", "currency", "qualifier", "date", "channel", "pillar")


def source_text(text: str, *, title: str = "", language: str = "") -> SourceText:
    """Return the SourceText of a text, stored once by its SHA-256."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    first_line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    obj, _created = SourceText.objects.get_or_create(
        sha256=digest, defaults={"text": text, "title": (title or first_line)[:500], "language": language,
                                 "retrieved_on": timezone.localdate()})
    return obj


@transaction.atomic
def submit(raw: bytes | str, *, filename: str = "", user=None, initiative: str = DEFAULT_INITIATIVE) -> Submission:
    """Read a pasted or uploaded text, store it and its proposals in the queue; return the submission."""
    text = prepare(raw)
    rules = rules_for(initiative)
    result = extract_items(text, rules=rules)
    stored = source_text(text, language=result.language)
    submission = Submission.objects.create(
        text=stored, filename=filename[:300], language=result.language,
        initiative=Initiative.objects.filter(slug=initiative).first(), submitted_by=user,
        result={"totals": result.totals, "targets": result.targets, "documents": result.documents,
                "dates": result.dates})
    for position, item in enumerate(result.items):
        data = item.as_json()
        data.pop("evidence")
        Proposal.objects.create(submission=submission, position=position, data=data,
                                spans=[list(s) for s in sorted(set(item.spans))], pillar_reason=item.pillar_reason)
    return submission


def candidate_of(data: dict):
    """Return the dedupe Candidate of proposed (or edited) fields."""
    amount = (data.get("amount") or {}) if isinstance(data.get("amount"), dict) else {}
    return Candidate(
        recipients=frozenset(data.get("recipients") or []), instrument=data["instrument"],
        amount=Decimal(amount["amount"]) if amount.get("amount") else None, currency=amount.get("currency") or "",
        date=date.fromisoformat(data["date"]) if data.get("date") else None,
        titles=tuple(t for t in [data.get("title")] if t))


def duplicates(proposal: Proposal, *, limit: int = 5) -> list:
    """Return likely duplicates of a proposal among existing commitments (dedupe.Match objects)."""
    return find_matches(candidate_of(proposal.data), limit=limit)


def claims_restated(proposal: Proposal) -> list:
    """Return the claims (portfolios, packages, totals) a proposal restates: same countries, currency, amount."""
    candidate = candidate_of(proposal.data)
    return matching_claims(candidate.recipients, candidate.amount, candidate.currency, candidate.date)


def existing_record(proposal: Proposal) -> dict | None:
    """Return what a proposal most likely restates: {"commitment": id} (a certain match) or {"claim": id}."""
    matches = duplicates(proposal, limit=1)
    if matches and matches[0].certain:
        return {"commitment": matches[0].commitment_id}
    claims = claims_restated(proposal)
    return {"claim": claims[0].pk} if claims else None


def _check_pending(proposal: Proposal) -> None:
    if proposal.status != Proposal.Status.PENDING:
        raise ReviewError(_("Proposal #%(id)d has already been decided (%(status)s).") % {
            "id": proposal.pk, "status": proposal.get_status_display()})


def merged_fields(proposal: Proposal, edits: dict | None) -> tuple[dict, dict]:
    """Return the fields to store (proposal with edits applied) and the changed ones."""
    data = dict(proposal.data)
    amount = dict(data.get("amount") or {})
    flat = {"title": data.get("title") or "", "recipients": list(data.get("recipients") or []),
            "instrument": data["instrument"], "amount": amount.get("amount"), "currency": amount.get("currency") or "",
            "qualifier": amount.get("qualifier") or ("undisclosed" if not amount else "exact"),
            "date": data.get("date"), "channel": data.get("channel") or "", "pillar": data.get("pillar") or ""}
    changes = {}
    for key, value in (edits or {}).items():
        if key in EDITABLE and value != flat[key]:
            changes[key] = {"from": flat[key], "to": value}
            flat[key] = value
    return flat, changes


def _stage(submission: Submission) -> str:
    kinds = {d["kind"] for d in submission.result.get("documents", [])}
    return Stage.SIGNED if kinds & SIGNED_DOCUMENTS else Stage.ANNOUNCED


def _channel(code: str) -> Organisation | None:
    if not code:
        return None
    org = (Organisation.objects.filter(slug=code.lower()).first()
           or Organisation.objects.filter(name_en__iexact=code).first())
    if org is None:
        org = Organisation.objects.create(slug=code.lower(), name_en=code, kind=OrgKind.MULTILATERAL)
    return org


def _title(flat: dict) -> str:
    if flat["title"]:
        return flat["title"]
    return f"{Instrument(flat['instrument']).label} ({', '.join(flat['recipients'])})"


@attributed("review: accept proposal #{proposal.pk}")
@transaction.atomic
def accept(proposal: Proposal, user, *, edits: dict | None = None) -> Commitment:
    """Create a commitment from a proposal (with the reviewer's edits) and its sources; return it."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    _check_pending(proposal)
    flat, changes = merged_fields(proposal, edits)
    submission = proposal.submission
    unknown = sorted(set(flat["recipients"]) - set(Country.objects.filter(
        code__in=flat["recipients"]).values_list("code", flat=True)))
    if unknown:
        raise ReviewError(_("Unknown country codes: %(codes)s.") % {"codes": ", ".join(unknown)})
    lang = "ja" if submission.language == "ja" else "en"
    pillar = None
    if flat["pillar"] and submission.initiative_id:
        pillar = Pillar.objects.filter(initiative_id=submission.initiative_id, slug=flat["pillar"]).first()
    amount = Decimal(flat["amount"]) if flat["amount"] not in (None, "") else None
    commitment = Commitment(
        instrument=flat["instrument"], amount=amount, currency=flat["currency"] if amount is not None else "",
        qualifier=flat["qualifier"] if amount is not None else "undisclosed",
        date=date.fromisoformat(flat["date"]) if flat["date"] else None, stage=_stage(submission),
        pillar=pillar, classification_reason=proposal.pillar_reason[:500] if pillar else "",
        channel=_channel(flat["channel"]))
    setattr(commitment, f"title_{lang}", _title(flat)[:500])
    commitment.full_clean(exclude=["initiatives", "focus_areas"])
    commitment.save()
    if submission.initiative_id:
        commitment.initiatives.add(submission.initiative_id)
    for code in flat["recipients"]:
        CommitmentCountry.objects.create(commitment=commitment, country_id=code)
    _add_sources(commitment, proposal)
    action = Decision.Action.EDIT_ACCEPT if changes else Decision.Action.ACCEPT
    _decide(proposal, user, action, commitment=commitment, changes=changes, status=Proposal.Status.ACCEPTED)
    return commitment


def _add_sources(commitment: Commitment, proposal: Proposal) -> None:
    spans = [(s, e, f) for s, e, f in proposal.spans]
    add_source(commitment, text=proposal.submission.text, spans=spans, seen_on=timezone.localdate(),
               note=_("review queue, proposal #%(id)d") % {"id": proposal.pk})


def _decide(proposal: Proposal, user, action: str, *, status: str, commitment=None, changes=None,
            reason: str = "") -> Decision:
    proposal.status = status
    proposal.commitment = commitment
    proposal.save(update_fields=["status", "commitment"])
    return Decision.objects.create(proposal=proposal, action=action, reviewer=user, reason=reason,
                                   changes=changes or {}, commitment=commitment)


@attributed("review: reject proposal #{proposal.pk}")
@transaction.atomic
def reject(proposal: Proposal, user, *, reason: str) -> Decision:
    """Reject a proposal; a reason is required."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    _check_pending(proposal)
    if not reason.strip():
        raise ReviewError(_("Give a reason for rejecting the proposal."))
    return _decide(proposal, user, Decision.Action.REJECT, status=Proposal.Status.REJECTED, reason=reason.strip())


@attributed("review: link proposal #{proposal.pk} to commitment #{commitment_id}")
@transaction.atomic
def link(proposal: Proposal, user, *, commitment_id: int, reason: str = "") -> Commitment:
    """Record the text as a further source of an existing commitment instead of adding it twice."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    _check_pending(proposal)
    commitment = Commitment.objects.filter(pk=commitment_id).first()
    if commitment is None:
        raise ReviewError(_("There is no commitment #%(id)d.") % {"id": commitment_id})
    _add_sources(commitment, proposal)
    _decide(proposal, user, Decision.Action.LINK, status=Proposal.Status.LINKED, commitment=commitment,
            reason=reason.strip())
    return commitment


@attributed("review: link proposal #{proposal.pk} to claim #{claim_id}")
@transaction.atomic
def link_claim(proposal: Proposal, user, *, claim_id: int, reason: str = ""):
    """Record the text as a further source of an existing claim: a claim restated is never a new commitment."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    _check_pending(proposal)
    claim = Claim.objects.filter(pk=claim_id).first()
    if claim is None:
        raise ReviewError(_("There is no claim #%(id)d.") % {"id": claim_id})
    add_source(claim, text=proposal.submission.text, spans=[(s, e, f) for s, e, f in proposal.spans],
               seen_on=timezone.localdate(), note=_("review queue, proposal #%(id)d") % {"id": proposal.pk})
    note = _("Restates the claim %(key)s (shown, never counted).") % {"key": claim.key}
    _decide(proposal, user, Decision.Action.LINK, status=Proposal.Status.LINKED,
            reason=" ".join(filter(None, [note, reason.strip()])))
    return claim
