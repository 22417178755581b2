"""Members: sign-up with double opt-in, topics, own data, deletion, re-registration (CSV files: member_csv)."""

from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pledgewatch.newsletter import conf, mail, tokens
from pledgewatch.newsletter.exceptions import UnknownMember
from pledgewatch.newsletter.issues import new_delivery
from pledgewatch.newsletter.models import (
    TOPIC_KINDS,
    Delivery,
    DeliveryState,
    Issue,
    IssueState,
    Member,
    Suppression,
)
from pledgewatch.newsletter.render import notice

LANGS = ("ja", "en", "ru")


def normalise_email(address: str) -> str:
    """Return the address trimmed, with the domain in lower case; raise ValidationError if invalid."""
    address = (address or "").strip()
    validate_email(address)
    local, _, domain = address.rpartition("@")
    return f"{local}@{domain.lower()}"


def find(address: str) -> Member | None:
    return Member.objects.filter(email__iexact=(address or "").strip()).first()


def get_member(address: str) -> Member:
    member = find(address)
    if member is None:
        raise UnknownMember(_("No member has the e-mail address %(email)s.") % {"email": address})
    return member


# ------------------------------------------------------------ transactional mail


def send_notice(template: str, member: Member, context: dict) -> bool:
    """Send a transactional e-mail now through the e-mail backend; return True when it was accepted."""
    return mail.send(notice(template, member, context), envelope_from=f"bounces@{conf.get('BOUNCE_DOMAIN')}").accepted


# ------------------------------------------------------------ the member's own actions


def clean_topics(topics: dict | None) -> dict:
    """Return topics with only known kinds, sorted and without duplicates."""
    topics = topics or {}
    return {k: sorted(set(topics.get(k) or ())) for k in TOPIC_KINDS if topics.get(k)}


def sign_up(address: str, language: str, topics: dict | None = None) -> Member:
    """Create or update a pending member and send the confirmation (or a member-page link if confirmed)."""
    address = normalise_email(address)
    language = language if language in LANGS else "ja"
    member = find(address)
    if member is None:
        member = Member.objects.create(email=address, language=language, topics=clean_topics(topics))
    elif not member.confirmed_at or member.unsubscribed_at:
        member.language, member.topics = language, clean_topics(topics)
        member.save(update_fields=["language", "topics"])
    if member.confirmed_at and not member.unsubscribed_at:
        send_notice("already", member, {"manage_url": tokens.link("manage", member)})
    else:
        send_notice("confirm", member, {"confirm_url": tokens.link("confirm", member)})
    return member


def confirm(member: Member) -> None:
    """Confirm a subscription (double opt-in done); re-subscribes an unsubscribed member."""
    Member.objects.filter(pk=member.pk).update(confirmed_at=member.confirmed_at or timezone.now(),
                                               unsubscribed_at=None)
    member.refresh_from_db()


def unsubscribe(member: Member) -> None:
    if not member.unsubscribed_at:
        Member.objects.filter(pk=member.pk).update(unsubscribed_at=timezone.now())
        member.refresh_from_db()
    Delivery.objects.filter(member=member, state__in=(DeliveryState.QUEUED, DeliveryState.DEFERRED)).update(
        state=DeliveryState.SUPPRESSED, smtp_reply="unsubscribed")


def update_preferences(member: Member, language: str, topics: dict) -> None:
    member.language = language if language in LANGS else member.language
    member.topics = clean_topics(topics)
    member.save(update_fields=["language", "topics"])


def own_data(member: Member) -> dict:
    """Return everything stored about a member, as JSON-ready data."""
    def iso(value):
        return value.isoformat() if value else None

    return {
        "email": member.email, "language": member.language, "topics": member.topics,
        "status": member.status, "created_at": iso(member.created_at), "confirmed_at": iso(member.confirmed_at),
        "unsubscribed_at": iso(member.unsubscribed_at), "suppression": member.suppression or None,
        "suppressed_at": iso(member.suppressed_at),
        "deliveries": [{"issue": d.issue_id, "state": d.state, "queued_at": iso(d.queued_at),
                        "sent_at": iso(d.sent_at), "attempts": d.attempts, "smtp_code": d.smtp_code,
                        "smtp_reply": d.smtp_reply} for d in member.deliveries.order_by("id")],
        "bounces": [{"kind": b.kind, "status": b.status, "diagnostic": b.diagnostic,
                     "received_at": iso(b.received_at), "cleared": b.cleared}
                    for b in member.bounces.order_by("id")],
    }


def delete(member: Member) -> None:
    """Delete the member with their deliveries and bounces."""
    member.delete()


def request_reconfirmation(address: str) -> bool:
    """Send a signed re-confirmation link if the address is known; return whether one was sent."""
    member = find(address)
    if member is None:
        return False
    send_notice("reconfirm", member, {"reconfirm_url": tokens.link("reconfirm", member)})
    return True


@transaction.atomic
def reactivate(member: Member) -> Delivery | None:
    """Clear suppression and bounce score, confirm, and queue the latest issue again; return that delivery."""
    Member.objects.filter(pk=member.pk).update(
        suppression=Suppression.NONE, suppressed_at=None, unsubscribed_at=None,
        confirmed_at=member.confirmed_at or timezone.now())
    member.bounces.filter(cleared=False).update(cleared=True)
    member.refresh_from_db()
    return resend_latest(member)


def resend_latest(member: Member) -> Delivery | None:
    """Queue the latest sent (or sending) issue for the member again, unless it is on its way."""
    issue = Issue.objects.filter(state__in=(IssueState.SENT, IssueState.SENDING)).order_by("-queued_at").first()
    if issue is None:
        return None
    now = timezone.now()
    fresh = new_delivery(issue, member, now)
    delivery, created = Delivery.objects.get_or_create(issue=issue, member=member, defaults={
        "domain": fresh.domain, "state": fresh.state, "next_attempt_at": now, "deadline": fresh.deadline})
    if not created and delivery.state != DeliveryState.SENDING:
        Delivery.objects.filter(pk=delivery.pk).update(
            state=DeliveryState.QUEUED, attempts=0, next_attempt_at=now, deadline=fresh.deadline, queued_at=now,
            smtp_code=None, smtp_reply="", sent_at=None)
    if issue.state == IssueState.SENT:
        Issue.objects.filter(pk=issue.pk).update(state=IssueState.SENDING)
    delivery.refresh_from_db()
    return delivery
