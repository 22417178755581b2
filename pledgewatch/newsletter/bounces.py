"""Bounces and complaints: DSN parsing (RFC 3464, ARF complaints, common non-standard bounces) and rules.

Rules: a hard bounce suppresses the member; 3 soft bounces among the member's last 5 deliveries
suppress; 5.7.x or block-list failures never suppress a member — when NEWSLETTER_MASS_BLOCK_THRESHOLD
members of one issue fail that way, the issue is paused and staff are alerted (it is our fault).
"""

import email
import mailbox
import re
from dataclasses import dataclass
from email import policy
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pledgewatch.newsletter import conf, tokens
from pledgewatch.newsletter.issues import pause_issue
from pledgewatch.newsletter.models import (
    Bounce,
    BounceKind,
    Delivery,
    DeliveryState,
    Member,
    StaffAlert,
    Suppression,
)

STATUS_RE = re.compile(r"\b([245])\.(\d{1,3})\.(\d{1,3})\b")
SMTP_CODE_RE = re.compile(r"\b([45]\d\d)[ -]")
BLOCK_RE = re.compile(r"block ?list|black ?list|spamhaus|barracuda|\bRBL\b|DNSBL|blocked|listed at|"
                      r"policy rejection|reputation", re.IGNORECASE)
EMAIL_RE = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")


@dataclass
class Report:
    """What one bounce message says about one recipient."""

    kind: str  # BounceKind value
    status: str  # "5.1.1"
    diagnostic: str
    recipient: str
    delivery_id: int | None


def classify(status: str, diagnostic: str, action: str = "failed") -> str:
    """Return the BounceKind of a status code and diagnostic text."""
    if status.startswith("5.7") or BLOCK_RE.search(diagnostic or ""):
        return BounceKind.BLOCK
    if action.lower() == "delayed" or status.startswith("4"):
        return BounceKind.SOFT
    if status.startswith("5"):
        # mailbox full and message too big are temporary in practice, whatever the server says
        return BounceKind.SOFT if status in ("5.2.2", "5.3.4") else BounceKind.HARD
    return BounceKind.SOFT


def _status_from_text(text: str) -> str:
    match = STATUS_RE.search(text or "")
    if match:
        return ".".join(match.groups())
    code = SMTP_CODE_RE.search(text or "")
    if code:
        return f"{code.group(1)[0]}.0.0"
    return ""


def _delivery_id(msg, body_text: str) -> int | None:
    for header in ("Delivered-To", "X-Original-To", "To", "Envelope-To"):
        for value in msg.get_all(header, []):
            found = tokens.delivery_from_verp(str(value))
            if found:
                return found
    return tokens.delivery_from_verp(body_text)


def _text_of(part) -> str:
    try:
        payload = part.get_payload(decode=True)
    except Exception:  # a broken transfer encoding: fall back to the raw text
        payload = None
    if payload is None:
        raw = part.get_payload()
        return raw if isinstance(raw, str) else ""
    return payload.decode(part.get_content_charset() or "utf-8", "replace")


def _dsn_fields(part) -> list[dict]:
    """Return the per-recipient field groups of a message/delivery-status part."""
    groups = []
    payload = part.get_payload()
    blocks = payload if isinstance(payload, list) else []
    if not blocks:  # some parsers leave the body as text
        text = _text_of(part)
        blocks = [email.message_from_string(chunk) for chunk in re.split(r"\r?\n\r?\n", text) if chunk.strip()]
    for block in blocks[1:] if len(blocks) > 1 else blocks:
        groups.append({k.lower(): str(v) for k, v in block.items()})
    return groups


def _address(value: str) -> str:
    found = EMAIL_RE.search(value.partition(";")[2] or value)
    return found.group(0).lower() if found else ""


def parse(raw: bytes) -> list[Report]:
    """Return what a bounce or complaint message reports (empty for an ordinary message)."""
    msg = email.message_from_bytes(raw, policy=policy.compat32)
    all_text = "\n".join(_text_of(p) for p in msg.walk() if not p.is_multipart())
    delivery_id = _delivery_id(msg, all_text)
    reports: list[Report] = []
    ctype = msg.get_content_type()
    report_type = (msg.get_param("report-type") or "").lower()
    if ctype == "multipart/report" and report_type == "feedback-report":
        rcpt = ""
        for p in msg.walk():
            if p.get_content_type() == "message/feedback-report":
                fields = _dsn_fields(p)
                merged = {k: v for g in fields for k, v in g.items()}
                rcpt = _address("x;" + merged.get("original-rcpt-to", ""))
        return [Report(BounceKind.COMPLAINT, "", "abuse report", rcpt, delivery_id)]
    for p in msg.walk():
        if p.get_content_type() == "message/delivery-status":
            for g in _dsn_fields(p):
                action = g.get("action", "failed").strip().lower()
                if action in ("delivered", "relayed", "expanded"):
                    continue
                status = (STATUS_RE.search(g.get("status", "")) and
                          ".".join(STATUS_RE.search(g["status"]).groups())) or ""
                diag = " ".join(g.get("diagnostic-code", "").split())
                status = status or _status_from_text(diag)
                rcpt = _address(g.get("final-recipient", "") or g.get("original-recipient", ""))
                reports.append(Report(classify(status, diag, action), status, diag, rcpt, delivery_id))
    if reports:
        return reports
    subject = str(msg.get("Subject", ""))
    sender = str(msg.get("From", "")).lower()
    if not re.search(r"mailer-daemon|postmaster|undeliver|failure|returned|delivery status", subject + sender,
                     re.IGNORECASE):
        return []
    status = _status_from_text(all_text) or "5.0.0"
    rcpts = [a.lower() for a in EMAIL_RE.findall(all_text) if not tokens.VERP_RE.search(a + "@")]
    diag = " ".join(next((line for line in all_text.splitlines() if STATUS_RE.search(line)
                          or SMTP_CODE_RE.search(line)), "").split())
    return [Report(classify(status, diag), status, diag, rcpts[0] if rcpts else "", delivery_id)]


# ------------------------------------------------------------ rules


def suppress(member: Member, reason: str) -> None:
    if not member.suppression:
        Member.objects.filter(pk=member.pk).update(suppression=reason, suppressed_at=timezone.now())
        member.suppression = reason


def soft_score(member: Member) -> int:
    """Return how many of the member's last 5 deliveries had a soft bounce (not cleared)."""
    last = list(member.deliveries.order_by("-queued_at", "-id").values_list("id", flat=True)[:5])
    return (Bounce.objects.filter(member=member, kind=BounceKind.SOFT, cleared=False, delivery_id__in=last)
            .values("delivery_id").distinct().count())


def check_mass_block(delivery: Delivery | None, status: str, diagnostic: str) -> None:
    """Pause the delivery's issue and alert staff when many members were blocked by policy."""
    if delivery is None:
        return
    blocked = Bounce.objects.filter(delivery__issue_id=delivery.issue_id, kind=BounceKind.BLOCK).count()
    if blocked < conf.get("MASS_BLOCK_THRESHOLD"):
        return
    issue = delivery.issue
    reason = _("%(n)s members were refused by policy or a block list (last: %(status)s %(text)s); "
               "sending is paused. Fix the sending reputation, then resume.") % {
        "n": blocked, "status": status, "text": diagnostic[:200]}
    if pause_issue(issue, reason):
        StaffAlert.objects.create(issue=issue, message=reason)
        alert_staff(reason)


def alert_staff(message: str) -> None:
    """E-mail the staff users (best effort; the alert is also shown in the admin)."""
    recipients = list(get_user_model().objects.filter(is_staff=True, is_active=True).exclude(email="")
                      .values_list("email", flat=True))
    if recipients:
        send_mail(_("pledgewatch newsletter paused"), message, None, recipients, fail_silently=True)


@transaction.atomic
def apply(report: Report, source: str = "dsn") -> Bounce | None:
    """Record a report against its member and delivery and apply the suppression rules."""
    delivery = None
    if report.delivery_id:
        delivery = Delivery.objects.select_related("member", "issue").filter(pk=report.delivery_id).first()
    member = delivery.member if delivery else Member.objects.filter(email__iexact=report.recipient).first()
    if member is None:
        return None
    if delivery is None:
        delivery = member.deliveries.filter(state=DeliveryState.SENT).order_by("-sent_at").first()
    bounce = Bounce.objects.create(member=member, delivery=delivery, kind=report.kind, status=report.status,
                                   diagnostic=report.diagnostic[:2000], source=source)
    if delivery is not None and report.kind in (BounceKind.HARD, BounceKind.BLOCK):
        Delivery.objects.filter(pk=delivery.pk).exclude(state=DeliveryState.SENDING).update(
            state=DeliveryState.BOUNCED, smtp_reply=f"{report.status} {report.diagnostic}"[:2000])
    if report.kind == BounceKind.HARD:
        suppress(member, Suppression.HARD_BOUNCE)
    elif report.kind == BounceKind.COMPLAINT:
        suppress(member, Suppression.COMPLAINT)
    elif report.kind == BounceKind.SOFT and soft_score(member) >= 3:
        suppress(member, Suppression.SOFT_BOUNCES)
    elif report.kind == BounceKind.BLOCK:
        check_mass_block(delivery, report.status, report.diagnostic)
    return bounce


def process_message(raw: bytes, source: str = "dsn") -> list[Bounce]:
    """Parse one message and apply what it reports; return the bounces recorded."""
    return [b for r in parse(raw) if (b := apply(r, source)) is not None]


def process_maildir(path: str | Path) -> dict:
    """Read every new message of a maildir, apply it, move it to cur/; return counts."""
    box = mailbox.Maildir(str(path), factory=None, create=True)
    seen = recorded = 0
    for key in list(box.iterkeys()):
        msg = box.get_message(key)
        if msg.get_subdir() != "new":
            continue
        seen += 1
        recorded += len(process_message(box.get_bytes(key)))
        msg.set_subdir("cur")
        msg.add_flag("S")
        box[key] = msg
    return {"messages": seen, "bounces": recorded}


def record_smtp_rejection(delivery: Delivery, outcome) -> str:
    """Record a permanent SMTP refusal at send time; return the delivery's final state."""
    status = _status_from_text(outcome.reply) or f"{str(outcome.code)[0]}.0.0"
    kind = classify(status, outcome.reply)
    if kind == BounceKind.SOFT:  # e.g. 552 mailbox full: no suppression now, counts as a soft bounce
        apply(Report(kind, status, outcome.reply, delivery.member.email, delivery.pk), source="smtp")
        return DeliveryState.FAILED
    apply(Report(kind, status, outcome.reply, delivery.member.email, delivery.pk), source="smtp")
    return DeliveryState.BOUNCED if kind == BounceKind.HARD else DeliveryState.FAILED
