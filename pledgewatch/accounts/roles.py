"""Roles as Django groups: editor, reviewer, admin, with the permissions each one needs.

Anonymous visitors read public data; newsletter members change their own settings through signed links
(no account). Staff accounts get one role: the group of that name, plus `is_staff` to reach the admin.
The groups are brought in line with this module after every `migrate` (idempotent).
"""

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import router, transaction

EDITOR, REVIEWER, ADMIN = "editor", "reviewer", "admin"
ROLES = (EDITOR, REVIEWER, ADMIN)

# Ledger records an editor creates and edits (never deletes) in the admin.
EDITED = [
    "ledger.commitment", "ledger.commitmentcountry", "ledger.stagechange", "ledger.transaction",
    "ledger.document", "ledger.event", "ledger.participant", "ledger.organisation", "ledger.source",
    "ledger.sourcetext", "ledger.claim",
]
# Reference data and counting rules an editor may look at but only an admin changes.
VIEWED = [
    "ledger.country", "ledger.initiative", "ledger.pillar", "ledger.focusarea", "ledger.exchangerate",
    "ledger.duplicatecandidate", "iati.pillarrule", "iati.importrun", "iati.importedfile", "iati.iatiactivity",
    "press.submission", "press.proposal", "press.decision",
]
PUBLISH = "accounts.publish_proposal"


def _model_perms(labels: list[str], actions: tuple[str, ...]) -> list[str]:
    out = []
    for label in labels:
        app, model = label.split(".")
        out += [f"{app}.{action}_{model}" for action in actions]
    return out


def wanted() -> dict[str, set[str] | None]:
    """Return each role's permissions as `app_label.codename`; None means every permission."""
    editor = set(_model_perms(EDITED, ("view", "add", "change")) + _model_perms(VIEWED, ("view",)))
    editor |= {"press.add_submission", "press.change_proposal"}  # submit texts, reject proposals
    reviewer = editor | set(_model_perms(EDITED, ("delete",)))
    reviewer |= {PUBLISH, "ledger.change_duplicatecandidate", "ledger.delete_duplicatecandidate"}
    return {EDITOR: editor, REVIEWER: reviewer, ADMIN: None}


def _permissions(names: set[str] | None):
    qs = Permission.objects.select_related("content_type")
    if names is None:
        return list(qs)
    found = [p for p in qs.filter(codename__in={n.split(".")[1] for n in names})
             if f"{p.content_type.app_label}.{p.codename}" in names]
    return found


@transaction.atomic
def sync_roles() -> dict[str, int]:
    """Create the role groups if missing and set their permissions exactly; return counts per role."""
    counts = {}
    for role, names in wanted().items():
        group, _created = Group.objects.get_or_create(name=role)
        perms = _permissions(names)
        group.permissions.set(perms)
        counts[role] = len(perms)
    return counts


def sync_after_migrate(sender, app_config=None, using="default", **kwargs) -> None:
    """post_migrate hook: sync once, after the last app (so every permission exists)."""
    last = [c for c in apps.get_app_configs() if c.models_module is not None][-1]
    if app_config is not None and app_config is not last:
        return

    # A replica (or a test mirror of the primary) gets its groups through replication, never written here.
    if settings.DATABASES.get(using, {}).get("TEST", {}).get("MIRROR") or not router.allow_migrate_model(using, Group):
        return
    if not Permission.objects.using(using).exists():
        return
    sync_roles()


def role_of(user) -> str:
    """Return the user's role name (superusers are admins), or "" for none."""
    if user.is_superuser:
        return ADMIN
    names = set(user.groups.values_list("name", flat=True))
    for role in reversed(ROLES):
        if role in names:
            return role
    return ""


@transaction.atomic
def assign(user, role: str) -> None:
    """Give the user exactly this role: its group, staff access; other role groups removed."""
    if role not in ROLES:
        raise ValueError(role)
    sync_roles()
    user.groups.remove(*Group.objects.filter(name__in=ROLES).exclude(name=role))
    user.groups.add(Group.objects.get(name=role))
    user.is_staff = True
    if role != ADMIN:
        user.is_superuser = False
    user.save()
