"""Render issues and notices as e-mail: HTML with inlined CSS plus plain text, per language and topics.

An issue is rendered once per (language, topics) and cached; per-member links (member page,
unsubscribe) are put in by string replacement of placeholders, so 100,000 members cost 100,000
replacements, not 100,000 template renders.
"""

import base64
import uuid
from email.header import Header
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import format_datetime, make_msgid

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from pledgewatch.ledger import formatting
from pledgewatch.ledger.links import link_url
from pledgewatch.newsletter import conf, tokens
from pledgewatch.newsletter.digest import matches

# long links must stay plain (not RFC 2047-encoded) in List-Unsubscribe: allow lines up to RFC 5322's 998
POLICY = SMTP_POLICY.clone(max_line_length=998)
MANAGE = "@@MANAGE_URL@@"
UNSUBSCRIBE = "@@UNSUBSCRIBE_URL@@"
STATUS_LABELS = {"on_track": gettext_noop("on track"), "behind": gettext_noop("behind"),
                 "ahead": gettext_noop("ahead"), "not_started": gettext_noop("not started")}
STAGE_LABELS = {"announced": gettext_noop("announced"), "signed": gettext_noop("signed"),
                "committed": gettext_noop("committed"), "disbursing": gettext_noop("disbursing"),
                "completed": gettext_noop("completed"), "cancelled": gettext_noop("cancelled")}


def format_money(money: dict | None, language: str | None = None) -> str:
    """Return money as the pages show it (約213.68億円, about ¥21.37 billion); "unknown" when missing."""
    if not money:
        return _("unknown")
    return formatting.format_money(money, language)


def _stage(code: str | None) -> str:
    return _(STAGE_LABELS[code]) if code in STAGE_LABELS else (code or "")


def _title(item: dict, language: str) -> str:
    titles = item.get("title") or {}
    return titles.get(language) or titles.get("en") or titles.get("ja") or titles.get("ru") or "—"


def describe(item: dict, language: str) -> dict:
    """Return an item ready for templates: title, one-line text, address."""
    kind = item["kind"]
    if kind == "new_commitment":
        line = _("New commitment (%(stage)s): %(amount)s") % {"stage": _stage(item.get("stage")),
                                                              "amount": format_money(item.get("amount"), language)}
    elif kind == "stage_change":
        line = _("Stage changed: %(old)s → %(new)s") % {"old": _stage(item.get("stage_from")),
                                                        "new": _stage(item.get("stage_to"))}
    elif kind == "amount_change":
        line = _("Amount changed: %(old)s → %(new)s") % {"old": format_money(item.get("amount_from"), language),
                                                         "new": format_money(item.get("amount_to"), language)}
    elif kind == "new_document":
        line = _("New document")
    else:
        line = _("New source")
    path = item.get("path")
    url = settings.BASE_URL + path if path else link_url(item.get("url"))
    return {"kind": kind, "title": _title(item, language), "line": line, "url": url, "date": item.get("date")}


def _progress_rows(issue, language: str) -> list[dict]:
    rows = []
    for block in issue.content.get("progress", []):
        rows.append({
            "name": block["name"].get(language) or block["name"].get("en") or block["slug"],
            "counted": format_money(block.get("counted"), language),
            "target": format_money(block.get("target"), language),
            "share": formatting.format_share(block.get("share") or "0", language),
            "elapsed": formatting.format_share(block.get("elapsed_share") or "0", language),
            "status": _(STATUS_LABELS.get(block.get("status"), block.get("status") or "")),
        })
    return rows


def topics_key(topics: dict) -> tuple:
    """Return a hashable key of a member's topics."""
    return tuple(tuple(sorted(topics.get(k) or ())) for k in ("initiatives", "countries", "pillars"))


def subject(issue, language: str) -> str:
    with translation.override(language):
        return _("pledgewatch newsletter: what changed until %(date)s") % {
            "date": formatting.format_date(timezone.localdate(issue.until), language)}


def render_issue(issue, language: str, topics: dict) -> tuple[str, str, str]:
    """Return (subject, text, html) of an issue for one language and topics, with link placeholders."""
    with translation.override(language):
        items = [describe(i, language) for i in issue.content.get("items", []) if matches(i, topics)]
        context = {
            "issue": issue, "items": items, "progress": _progress_rows(issue, language),
            "chart_url": (f"{settings.BASE_URL}/newsletter/issues/{issue.pk}/chart-{language}.png"
                          if language in (issue.charts or {}) else ""),
            "since": issue.since, "until": issue.until, "manage_url": MANAGE, "unsubscribe_url": UNSUBSCRIBE,
            "LANGUAGE_CODE": language, "base_url": settings.BASE_URL,
            "until_text": formatting.format_date(timezone.localdate(issue.until), language),
        }
        text = render_to_string("newsletter/email/issue.txt", context)
        html = render_to_string("newsletter/email/issue.html", context)
        return subject(issue, language), text, html


def _b64(text: str) -> bytes:
    return base64.encodebytes(text.encode("utf-8")).replace(b"\n", b"\r\n")


def _encoded_header(value: str) -> str:
    """Return a header value as ASCII (RFC 2047 encoded-words when needed)."""
    try:
        value.encode("ascii")
    except UnicodeEncodeError:
        return Header(value, "utf-8", maxlinelen=76).encode(linesep="\r\n")
    return value


class FastComposer:
    """Compose bulk messages as bytes without the e-mail package's per-header parsing (6 ms → 0.1 ms).

    The result is the same structure build_message() makes: multipart/alternative with base64 UTF-8
    text and HTML parts, List-Unsubscribe headers and the per-delivery Return-Path.
    """

    def __init__(self):
        self.from_header = _encoded_header(settings.DEFAULT_FROM_EMAIL)
        self.domain = conf.from_domain()
        self.subjects: dict[str, str] = {}

    def compose(self, *, to: str, subject_line: str, text: str, html: str, return_path: str,
                unsubscribe_url: str, extra: dict | None = None) -> bytes:
        if not to.isascii():  # internationalised address: let the e-mail package handle it
            msg = build_message(to=to, subject_line=subject_line, text=text, html=html, return_path=return_path,
                                unsubscribe_url=unsubscribe_url, extra=extra)
            return msg.as_bytes()
        subject = self.subjects.get(subject_line)
        if subject is None:
            subject = self.subjects[subject_line] = _encoded_header(subject_line)
        boundary = f"==pw-{uuid.uuid4().hex}=="
        head = [
            f"From: {self.from_header}", f"To: {to}", f"Subject: {subject}",
            f"Date: {format_datetime(timezone.now())}", f"Message-ID: <{uuid.uuid4().hex}@{self.domain}>",
            f"Return-Path: <{return_path}>", f"List-Unsubscribe: <{unsubscribe_url}>",
            "List-Unsubscribe-Post: List-Unsubscribe=One-Click",
            *(f"{k}: {v}" for k, v in (extra or {}).items()),
            "MIME-Version: 1.0", f'Content-Type: multipart/alternative; boundary="{boundary}"',
        ]
        part = 'Content-Type: text/{}; charset="utf-8"\r\nContent-Transfer-Encoding: base64\r\n\r\n'
        sep = f"\r\n--{boundary}\r\n".encode()
        return b"".join([
            "\r\n".join(head).encode("ascii"), b"\r\n", sep, part.format("plain").encode(), _b64(text),
            sep, part.format("html").encode(), _b64(html), f"\r\n--{boundary}--\r\n".encode(),
        ])


class IssueRenderer:
    """Render an issue per member, caching one render per (language, topics)."""

    def __init__(self, issue):
        self.issue = issue
        self.cache: dict = {}

    def for_member(self, member) -> tuple[str, str, str, str, str]:
        """Return (subject, text, html, manage url, unsubscribe url) for a member."""
        key = (member.language, topics_key(member.topics or {}))
        if key not in self.cache:
            self.cache[key] = render_issue(self.issue, member.language, member.topics or {})
        subj, text, html = self.cache[key]
        manage, unsub = tokens.link("manage", member), tokens.link("unsubscribe", member)
        text = text.replace(MANAGE, manage).replace(UNSUBSCRIBE, unsub)
        html = html.replace(MANAGE, manage).replace(UNSUBSCRIBE, unsub)
        return subj, text, html, manage, unsub


def build_message(*, to: str, subject_line: str, text: str, html: str | None, return_path: str,
                  unsubscribe_url: str | None = None, extra: dict | None = None) -> EmailMessage:
    """Return a MIME message (text + optional HTML) with List-Unsubscribe headers when a link is given."""
    msg = EmailMessage(policy=POLICY)
    msg["From"] = settings.DEFAULT_FROM_EMAIL
    msg["To"] = to
    msg["Subject"] = subject_line
    msg["Date"] = format_datetime(timezone.now())
    msg["Message-ID"] = make_msgid(domain=conf.from_domain())
    msg["Return-Path"] = f"<{return_path}>"
    if unsubscribe_url:
        msg["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    for name, value in (extra or {}).items():
        msg[name] = value
    msg.set_content(text)
    if html is not None:
        msg.add_alternative(html, subtype="html")
    return msg


def notice(template: str, member, context: dict) -> EmailMessage:
    """Return a transactional e-mail (confirmation, re-confirmation, …) in the member's language."""
    with translation.override(member.language):
        ctx = {"member": member, "base_url": settings.BASE_URL, "LANGUAGE_CODE": member.language, **context}
        subject_line = render_to_string(f"newsletter/email/{template}_subject.txt", ctx).strip()
        text = render_to_string(f"newsletter/email/{template}.txt", ctx)
        html = render_to_string(f"newsletter/email/{template}.html", ctx)
    return build_message(to=member.email, subject_line=subject_line, text=text, html=html,
                         return_path=f"bounces@{conf.get('BOUNCE_DOMAIN')}")
