"""Issue life cycle: queue for every eligible member, schedule, pause, resume, test-send, status counts."""

from datetime import timedelta

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from pledgewatch.ledger.models import Initiative
from pledgewatch.newsletter import conf, mail
from pledgewatch.newsletter.digest import create_issue
from pledgewatch.newsletter.exceptions import IssueStateError, UnknownIssue
from pledgewatch.newsletter.models import (
    Delivery,
    DeliveryState,
    Issue,
    IssueState,
    Member,
    eligible_members,
)
from pledgewatch.newsletter.render import build_message, render_issue

CHUNK = 5000


def get_issue(pk) -> Issue:
    """Return the issue with id pk; raise UnknownIssue."""
    try:
        return Issue.objects.get(pk=int(pk))
    except (Issue.DoesNotExist, ValueError, TypeError) as exc:
        raise UnknownIssue(_("There is no issue with id %(id)s.") % {"id": pk}) from exc


def domain_of(email: str) -> str:
    return email.rpartition("@")[2].lower()


def new_delivery(issue: Issue, member: Member, now) -> Delivery:
    """Return an unsaved delivery row for a member (state suppressed when the member is suppressed)."""
    state = DeliveryState.SUPPRESSED if member.suppression else DeliveryState.QUEUED
    return Delivery(issue=issue, member=member, domain=domain_of(member.email), state=state, queued_at=now,
                    next_attempt_at=now, deadline=now + timedelta(hours=conf.get("DEADLINE_HOURS")),
                    smtp_reply=member.get_suppression_display() if member.suppression else "")


def queue_issue(issue: Issue) -> int:
    """Create one delivery per eligible member (idempotent) and start sending; return rows created."""
    if issue.state == IssueState.SENT:
        raise IssueStateError(_("Issue %(id)s has already been sent.") % {"id": issue.pk})
    now = timezone.now()
    before = issue.deliveries.count()
    members = eligible_members().only("id", "email", "suppression").order_by("id")
    batch: list[Delivery] = []
    for member in members.iterator(chunk_size=CHUNK):
        batch.append(new_delivery(issue, member, now))
        if len(batch) >= CHUNK:
            Delivery.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    if batch:
        Delivery.objects.bulk_create(batch, ignore_conflicts=True)
    Issue.objects.filter(pk=issue.pk).update(state=IssueState.SENDING, queued_at=now, scheduled_at=None,
                                             paused_reason="")
    issue.refresh_from_db()
    return issue.deliveries.count() - before


def schedule_issue(issue: Issue, when) -> None:
    """Mark a draft issue to be queued by the worker at `when`."""
    if issue.state not in (IssueState.DRAFT, IssueState.SCHEDULED):
        raise IssueStateError(_("Only a draft issue can be scheduled; issue %(id)s is %(state)s.")
                              % {"id": issue.pk, "state": issue.get_state_display()})
    Issue.objects.filter(pk=issue.pk).update(state=IssueState.SCHEDULED, scheduled_at=when)
    issue.refresh_from_db()


def pause_issue(issue: Issue, reason: str) -> bool:
    """Pause a sending issue (deliveries stay queued); return True when it was sending."""
    changed = Issue.objects.filter(pk=issue.pk, state=IssueState.SENDING).update(
        state=IssueState.PAUSED, paused_reason=reason[:500])
    issue.refresh_from_db()
    return bool(changed)


def resume_issue(issue: Issue) -> None:
    """Resume a paused issue."""
    if issue.state != IssueState.PAUSED:
        raise IssueStateError(_("Issue %(id)s is not paused.") % {"id": issue.pk})
    Issue.objects.filter(pk=issue.pk).update(state=IssueState.SENDING, paused_reason="")
    issue.refresh_from_db()


def due_scheduled(now=None) -> list[Issue]:
    """Queue the scheduled issues whose time has come; return them."""
    now = now or timezone.now()
    due = list(Issue.objects.filter(state=IssueState.SCHEDULED, scheduled_at__lte=now))
    for issue in due:
        queue_issue(issue)
    return due


def finish_done_issues() -> int:
    """Mark sending issues with no delivery left to try as sent; return how many."""
    open_states = (DeliveryState.QUEUED, DeliveryState.SENDING, DeliveryState.DEFERRED)
    done = 0
    for issue in Issue.objects.filter(state=IssueState.SENDING):
        if not issue.deliveries.filter(state__in=open_states).exists():
            done += Issue.objects.filter(pk=issue.pk, state=IssueState.SENDING).update(
                state=IssueState.SENT, finished_at=timezone.now())
    return done


def counts(issue: Issue) -> dict[str, int]:
    """Return the number of deliveries in each state (every state present, zero when none)."""
    found = dict(issue.deliveries.values_list("state").annotate(n=Count("id")).order_by())
    return {state.value: found.get(state.value, 0) for state in DeliveryState}


def status(issue: Issue) -> dict:
    """Return the JSON status of an issue: state and counts by delivery state."""
    c = counts(issue)
    return {"issue": issue.pk, "state": issue.state, "total": sum(c.values()), "counts": c,
            "paused_reason": issue.paused_reason or None}


def auto_issue(now=None) -> Issue | None:
    """Create and queue an automatic issue when NEWSLETTER_AUTO_DAYS have passed since the last one."""
    days = conf.get("AUTO_DAYS")
    if not days:
        return None
    now = now or timezone.now()
    slug = conf.get("AUTO_INITIATIVE")
    initiative = Initiative.objects.filter(slug=slug).first() if slug else None
    last = Issue.objects.filter(initiative=initiative).order_by("-until").first()
    if last is not None and last.until > now - timedelta(days=days):
        return None
    with transaction.atomic():
        issue = create_issue(initiative, until=now, automatic=True)
        if not issue.content.get("items"):
            issue.delete()  # nothing changed: no issue; try again next time
            return None
    queue_issue(issue)
    return issue


def send_test(issue: Issue, address: str, language: str = "ja"):
    """Send the issue to one address now (no delivery row); return the SMTP Outcome."""
    subject, text, html = render_issue(issue, language, {})
    msg = build_message(to=address, subject_line="[TEST] " + subject, text=text, html=html,
                        return_path=f"bounces@{conf.get('BOUNCE_DOMAIN')}")
    return mail.send(msg, envelope_from=f"bounces@{conf.get('BOUNCE_DOMAIN')}")
