"""Members: sign-up with double opt-in, topics, own data, deletion, re-registration, import and export."""

import csv
import io
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pledgewatch.exports.formats import defuse, undefuse
from pledgewatch.newsletter import conf, mail, tokens
from pledgewatch.newsletter.exceptions import ImportFormatError, RateLimited, UnknownMember
from pledgewatch.newsletter.issues import new_delivery
from pledgewatch.newsletter.models import (
    TOPIC_KINDS,
    Delivery,
    DeliveryState,
    Issue,
    IssueState,
    Member,
    RateHit,
    Suppression,
)
from pledgewatch.newsletter.render import notice

LANGS = ("ja", "en", "ru")
TOPIC_PREFIX = {"initiative": "initiatives", "country": "countries", "pillar": "pillars"}


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


# ------------------------------------------------------------ rate limits


def check_rate(form: str, ip: str, address: str) -> None:
    """Count one use of a form; raise RateLimited when the IP or the address used it too often."""
    limits = conf.get("SIGNUP_LIMITS")
    now = timezone.now()
    longest = max(window for window, _n in limits.values())
    RateHit.objects.filter(at__lt=now - timedelta(seconds=longest)).delete()
    keys = {"ip": f"{form}:ip:{ip}", "email": f"{form}:email:{(address or '').strip().lower()}"}
    for kind, key in keys.items():
        window, allowed = limits[kind]
        if RateHit.objects.filter(key=key, at__gte=now - timedelta(seconds=window)).count() >= allowed:
            raise RateLimited(_("Too many requests. Please try again later."))
    RateHit.objects.bulk_create([RateHit(key=k, at=now) for k in keys.values()])


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


# ------------------------------------------------------------ import and export

EXPORT_COLUMNS = ["email", "language", "topics", "status", "confirmed_at", "unsubscribed_at", "suppression"]


def format_topics(topics: dict) -> str:
    words = []
    for prefix, kind in TOPIC_PREFIX.items():
        words += [f"{prefix}:{v}" for v in sorted(topics.get(kind) or ())]
    return " ".join(words)


def parse_topics(text: str, known: dict[str, set]) -> dict:
    """Return topics from "initiative:slug country:KZ pillar:slug" (spaces, commas or semicolons)."""
    topics: dict[str, list] = {}
    for word in text.replace(",", " ").replace(";", " ").split():
        prefix, sep, value = word.partition(":")
        kind = TOPIC_PREFIX.get(prefix)
        if not sep or kind is None:
            raise ValueError(_("unknown topic “%(word)s” (use initiative:SLUG, country:CODE or pillar:SLUG)")
                             % {"word": word})
        value = value.upper() if kind == "countries" else value
        if value not in known[kind]:
            raise ValueError(_("unknown %(kind)s “%(value)s”") % {"kind": prefix, "value": value})
        topics.setdefault(kind, []).append(value)
    return clean_topics(topics)


def known_topics() -> dict[str, set]:
    from pledgewatch.ledger.models import Country, Initiative, Pillar

    return {"initiatives": set(Initiative.objects.values_list("slug", flat=True)),
            "countries": set(Country.objects.values_list("code", flat=True)),
            "pillars": set(Pillar.objects.values_list("slug", flat=True))}


def read_file(path) -> str:
    """Return the text of a members CSV file; a file that is not UTF-8 is refused, naming its encoding."""
    from pledgewatch.ledger.encodings import decode_utf8

    text, position, encoding = decode_utf8(path.read_bytes())
    if text is None:
        raise ImportFormatError(_("%(file)s is not UTF-8 text (byte %(position)s; it looks like %(encoding)s). "
                                  "Save it as CSV UTF-8 and import it again; nothing was imported.")
                                % {"file": path.name, "position": position, "encoding": encoding})
    return text


def _read_rows(text: str) -> list[tuple[int, dict]]:
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    if "email" not in header:
        raise ImportFormatError(_("line 1: the header must name the columns email,language,topics"))
    reader.fieldnames = header
    # a cell exported with a protective apostrophe (=, +, -, @ …) reads back as it was
    return [(reader.line_num, {k: undefuse(v) if isinstance(v, str) else v for k, v in row.items()})
            for row in reader]


def import_members(text: str, *, confirmed: bool = False, filename: str = "") -> dict:
    """Import members from CSV text; validate every line first, then write all or nothing."""
    known, now = known_topics(), timezone.now()
    parsed, seen = [], set()
    where = f"{filename}: " if filename else ""
    for line, row in _read_rows(text):
        try:
            if None in row:
                raise ValueError(_("too many columns"))
            try:
                address = normalise_email(row.get("email") or "")
            except ValidationError as exc:
                raise ValueError(_("“%(email)s” is not an e-mail address") % {"email": row.get("email") or ""}) \
                    from exc
            language = (row.get("language") or "ja").strip().lower()
            if language not in LANGS:
                raise ValueError(_("unknown language “%(lang)s” (use ja, en or ru)") % {"lang": language})
            topics = parse_topics(row.get("topics") or "", known)
            suppression = (row.get("suppression") or "").strip()
            if suppression not in Suppression.values:
                raise ValueError(_("unknown suppression “%(value)s”") % {"value": suppression})
        except ValueError as exc:
            raise ImportFormatError(_("%(where)sline %(line)s: %(error)s")
                                    % {"where": where, "line": line, "error": exc}) from exc
        if address.lower() in seen:
            raise ImportFormatError(_("%(where)sline %(line)s: %(email)s appears twice")
                                    % {"where": where, "line": line, "email": address})
        seen.add(address.lower())
        status = (row.get("status") or "").strip()
        parsed.append((address, language, topics, suppression, status))
    created = updated = 0
    with transaction.atomic():
        for address, language, topics, suppression, status in parsed:
            member = find(address)
            values = {"language": language, "topics": topics}
            if suppression:
                values |= {"suppression": suppression, "suppressed_at": now}
            if confirmed or status in ("active", "suppressed"):
                values["confirmed_at"] = (member.confirmed_at if member and member.confirmed_at else now)
            if status == "unsubscribed":
                values["unsubscribed_at"] = now
            if member is None:
                Member.objects.create(email=address, **values)
                created += 1
            else:
                Member.objects.filter(pk=member.pk).update(**values)
                updated += 1
    return {"created": created, "updated": updated}


def export_members(out) -> int:
    """Write every member as CSV (with status and suppression) to a text stream; return the count."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    n = 0
    for m in Member.objects.order_by("id").iterator(chunk_size=2000):
        # an address may start with = + - or @: spreadsheets must not run it as a formula
        writer.writerow([defuse(m.email), m.language, format_topics(m.topics or {}), m.status,
                         m.confirmed_at.isoformat() if m.confirmed_at else "",
                         m.unsubscribed_at.isoformat() if m.unsubscribed_at else "", m.suppression])
        n += 1
    return n
