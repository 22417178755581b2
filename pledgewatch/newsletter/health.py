"""Delivery health for staff: counts by state, bounce and complaint rates, slowest and failing domains."""

from decimal import Decimal

from django.db.models import Avg, Count, Q

from pledgewatch.newsletter.issues import counts
from pledgewatch.newsletter.models import Bounce, BounceKind, DeliveryState


def rate(part: int, whole: int) -> str:
    """Return part/whole as a decimal string with 4 places ("0.0125"); "0" when whole is 0."""
    if not whole:
        return "0"
    return str((Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001")))


def issue_health(issue, top: int = 5) -> dict:
    """Return the health figures of one issue."""
    by_state = counts(issue)
    attempted = sum(by_state[s] for s in (DeliveryState.SENT, DeliveryState.BOUNCED, DeliveryState.FAILED))
    bounces = Bounce.objects.filter(delivery__issue=issue)
    hard = bounces.filter(kind__in=(BounceKind.HARD, BounceKind.BLOCK)).values("delivery").distinct().count()
    complaints = bounces.filter(kind=BounceKind.COMPLAINT).values("delivery").distinct().count()
    rows = issue.deliveries.values("domain")
    slowest = (rows.filter(state=DeliveryState.SENT, duration_ms__isnull=False)
               .annotate(avg_ms=Avg("duration_ms"), n=Count("id")).order_by("-avg_ms", "domain")[:top])
    failing = (rows.annotate(bad=Count("id", filter=Q(state__in=(DeliveryState.FAILED, DeliveryState.BOUNCED,
                                                                 DeliveryState.DEFERRED))),
                             n=Count("id"))
               .filter(bad__gt=0).order_by("-bad", "domain")[:top])
    return {
        "issue": issue.pk, "state": issue.state, "counts": by_state, "total": sum(by_state.values()),
        "bounce_rate": rate(hard, attempted), "complaint_rate": rate(complaints, by_state[DeliveryState.SENT]),
        "slowest_domains": [{"domain": r["domain"], "avg_ms": int(r["avg_ms"]), "sent": r["n"]} for r in slowest],
        "failing_domains": [{"domain": r["domain"], "failing": r["bad"], "total": r["n"]} for r in failing],
        "paused_reason": issue.paused_reason or None,
    }
