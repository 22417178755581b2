"""Members as CSV: import (validated whole, then written all or nothing) and export, topics as words."""

import csv
import io

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pledgewatch.exports.formats import defuse, undefuse
from pledgewatch.ledger.encodings import decode_utf8
from pledgewatch.ledger.models import Country, Initiative, Pillar
from pledgewatch.newsletter.exceptions import ImportFormatError
from pledgewatch.newsletter.members import LANGS, clean_topics, find, normalise_email
from pledgewatch.newsletter.models import Member, Suppression

TOPIC_PREFIX = {"initiative": "initiatives", "country": "countries", "pillar": "pillars"}

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
    return {"initiatives": set(Initiative.objects.values_list("slug", flat=True)),
            "countries": set(Country.objects.values_list("code", flat=True)),
            "pillars": set(Pillar.objects.values_list("slug", flat=True))}


def read_file(path) -> str:
    """Return the text of a members CSV file; a file that is not UTF-8 is refused, naming its encoding."""
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
