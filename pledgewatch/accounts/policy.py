"""The table of every write path × role: one structure read by the tests and checked against docs/security.md.

Roles (columns): anonymous (no account), member (holds a newsletter member's signed link, no account),
editor, reviewer, admin (staff accounts with that role; a superuser is an admin), operator (the OS account
that runs `pledgewatch` with the database credentials: it can run every command and create an admin, so it is
effectively an admin).
"""

from dataclasses import dataclass

ROLES = ("anonymous", "member", "editor", "reviewer", "admin", "operator")

EDITOR_UP = frozenset({"editor", "reviewer", "admin", "operator"})
REVIEWER_UP = frozenset({"reviewer", "admin", "operator"})
ADMIN_UP = frozenset({"admin", "operator"})
NOBODY = frozenset()
EVERYONE = frozenset(ROLES)
TOKEN_HOLDER = frozenset({"member", "operator"})  # the operator holds the signing key: it can mint any link
OPERATOR = frozenset({"operator"})

_LEVEL = {"E": EDITOR_UP, "R": REVIEWER_UP, "A": ADMIN_UP, "-": NOBODY}

# Admin: who may add, change, delete each model (E editor and up, R reviewer and up, A admin, - nobody).
ADMIN_MODELS = {
    "auth.user": "AAA", "auth.group": "AAA",
    "ledger.claim": "EER", "ledger.commitment": "EER", "ledger.document": "EER", "ledger.event": "EER",
    "ledger.organisation": "EER", "ledger.source": "EER", "ledger.sourcetext": "EER",
    "ledger.duplicatecandidate": "ARR",
    "ledger.initiative": "AAA", "ledger.pillar": "AAA", "ledger.exchangerate": "AAA", "ledger.country": "AAA",
    "iati.pillarrule": "AAA",
    "iati.importrun": "--A", "iati.importedfile": "--A", "iati.iatiactivity": "--A",
    "press.submission": "---", "press.decision": "---",
    "newsletter.member": "AAA", "newsletter.issue": "-AA", "newsletter.delivery": "--A",
    "newsletter.staffalert": "AAA",
    "accounts.loginthrottle": "--A",
}


@dataclass(frozen=True)
class WritePath:
    """One way to change stored data, and the roles allowed to take it."""

    key: str
    kind: str
    what: str
    allowed: frozenset


def _admin_rows() -> list[WritePath]:
    rows = []
    for label, levels in ADMIN_MODELS.items():
        app, model = label.split(".")
        for action, level in zip(("add", "change", "delete"), levels, strict=True):
            rows.append(WritePath(f"admin:{label}:{action}", "admin", f"/admin/{app}/{model}/ {action}",
                                  _LEVEL[level]))
    return rows


PATHS: list[WritePath] = [
    *_admin_rows(),
    WritePath("admin-action:duplicatecandidate:merge", "admin", "duplicate candidates: merge (deletes one)",
              REVIEWER_UP),
    WritePath("admin-action:duplicatecandidate:distinct", "admin", "duplicate candidates: mark distinct",
              REVIEWER_UP),
    WritePath("admin-action:issue:send_now", "admin", "newsletter issues: send now / pause / resume / test",
              ADMIN_UP),
    WritePath("review:submit", "review", "POST /review/ (submit a press text)", EDITOR_UP),
    WritePath("review:reject", "review", "POST /review/proposal/ID/ action=reject", EDITOR_UP),
    WritePath("review:accept", "review", "POST /review/proposal/ID/ action=accept (publish)", REVIEWER_UP),
    WritePath("review:link", "review", "POST /review/proposal/ID/ action=link (publish as a source)", REVIEWER_UP),
    WritePath("api:write", "api", "POST/PUT/PATCH/DELETE on any /api/v1/ path (read-only API)", NOBODY),
    WritePath("newsletter:signup", "newsletter", "POST /newsletter/ (sign up)", EVERYONE),
    WritePath("newsletter:confirm", "newsletter", "POST /newsletter/confirm/TOKEN/", TOKEN_HOLDER),
    WritePath("newsletter:settings", "newsletter", "POST /newsletter/member/TOKEN/ (topics, language)",
              TOKEN_HOLDER),
    WritePath("newsletter:delete", "newsletter", "POST /newsletter/member/TOKEN/delete/", TOKEN_HOLDER),
    WritePath("newsletter:unsubscribe", "newsletter", "POST /newsletter/unsubscribe/TOKEN/", TOKEN_HOLDER),
    WritePath("newsletter:not_receiving", "newsletter", "POST /newsletter/not-receiving/ (asks for a link)",
              EVERYONE),
    WritePath("newsletter:reregister", "newsletter", "POST /newsletter/reconfirm/TOKEN/ (re-register)",
              TOKEN_HOLDER),
    WritePath("newsletter:bounce_webhook", "newsletter", "POST /newsletter/bounces/webhook/ (bearer secret)",
              OPERATOR),
    WritePath("cli:import_csv", "cli", "pledgewatch import csv|xlsx|json FILE", OPERATOR),
    WritePath("cli:import_iati", "cli", "pledgewatch import iati PATH…", OPERATOR),
    WritePath("cli:demo", "cli", "pledgewatch demo --no-serve", OPERATOR),
    WritePath("cli:newsletter_members_import", "cli", "pledgewatch newsletter members import FILE", OPERATOR),
    WritePath("cli:newsletter_issue", "cli", "pledgewatch newsletter issue create|send", OPERATOR),
    WritePath("cli:user_add", "cli", "pledgewatch user add|role|unlock", OPERATOR),
]

BY_KEY = {p.key: p for p in PATHS}


def cells() -> list[tuple[str, str, bool]]:
    """Return (path key, role, allowed) for every cell of the table."""
    return [(p.key, role, role in p.allowed) for p in PATHS for role in ROLES]


def markdown() -> str:
    """Render the table as Markdown (the block between the markers in docs/security.md)."""
    lines = ["| write path | " + " | ".join(ROLES) + " |", "|---|" + "---|" * len(ROLES)]
    for p in PATHS:
        marks = [("yes" if role in p.allowed else "no") if not (p.kind == "cli" and role != "operator") else "—"
                 for role in ROLES]
        lines.append(f"| `{p.key}` {p.what} | " + " | ".join(marks) + " |")
    return "\n".join(lines) + "\n"
