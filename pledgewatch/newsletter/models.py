"""Newsletter: members, issues, one delivery per (issue, member), bounces, rate-limit counters, staff alerts."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pledgewatch.accounts.limits import Fields

LANGUAGES = [("ja", _("Japanese")), ("en", _("English")), ("ru", _("Russian"))]
TOPIC_KINDS = ("initiatives", "countries", "pillars")


class Suppression(models.TextChoices):
    NONE = "", _("not suppressed")
    HARD_BOUNCE = "hard_bounce", _("hard bounce")
    SOFT_BOUNCES = "soft_bounces", _("repeated soft bounces")
    COMPLAINT = "complaint", _("spam complaint")
    MANUAL = "manual", _("suppressed by staff")


class Member(models.Model):
    # identity and preferences
    email = models.EmailField(_("e-mail address"), max_length=254, unique=True)
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGES, default="ja")
    topics = models.JSONField(_("topics"), default=dict, blank=True,
                              help_text=_('{"initiatives": [slug…], "countries": [code…], "pillars": [slug…]}; '
                                          "empty means everything"))
    # life cycle
    created_at = models.DateTimeField(_("signed up"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)
    # suppression (set by bounces, complaints or staff; cleared by re-confirmation)
    suppression = models.CharField(_("suppression"), max_length=16, choices=Suppression.choices, blank=True,
                                   default=Suppression.NONE)
    suppressed_at = models.DateTimeField(_("suppressed at"), null=True, blank=True)

    class Meta:
        ordering = ["email"]
        verbose_name = _("member")
        verbose_name_plural = _("members")

    def __str__(self) -> str:
        return self.email

    @property
    def eligible(self) -> bool:
        """Return True when the member should receive issues."""
        return bool(self.confirmed_at and not self.unsubscribed_at and not self.suppression)

    @property
    def status(self) -> str:
        if self.unsubscribed_at:
            return "unsubscribed"
        if self.suppression:
            return "suppressed"
        return "active" if self.confirmed_at else "pending"


def eligible_members():
    """Return the queryset of confirmed, subscribed members (suppressed ones included: they get a row)."""
    return Member.objects.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True)


class IssueState(models.TextChoices):
    DRAFT = "draft", _("draft")
    SCHEDULED = "scheduled", _("scheduled")
    SENDING = "sending", _("sending")
    PAUSED = "paused", _("paused")
    SENT = "sent", _("sent")


class Issue(models.Model):
    initiative = models.ForeignKey("ledger.Initiative", models.SET_NULL, null=True, blank=True,
                                   related_name="newsletter_issues", verbose_name=_("initiative"))
    state = models.CharField(_("state"), max_length=10, choices=IssueState.choices, default=IssueState.DRAFT)
    # the ledger changes this issue reports: history rows in (since, until]
    since = models.DateTimeField(_("changes since"), null=True, blank=True)
    until = models.DateTimeField(_("changes until"))
    content = models.JSONField(_("content"), default=dict)
    charts = models.JSONField(_("charts (PNG, base64, by language)"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    scheduled_at = models.DateTimeField(_("send at"), null=True, blank=True)
    queued_at = models.DateTimeField(_("queued"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    paused_reason = models.CharField(_("why paused"), max_length=500, blank=True)
    automatic = models.BooleanField(_("created automatically"), default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("issue")
        verbose_name_plural = _("issues")

    def __str__(self) -> str:
        return _("Issue %(id)s (%(date)s)") % {"id": self.pk, "date": timezone.localdate(self.until).isoformat()}


class DeliveryState(models.TextChoices):
    QUEUED = "queued", _("queued")
    SENDING = "sending", _("sending")
    SENT = "sent", _("sent")
    DEFERRED = "deferred", _("deferred")
    FAILED = "failed", _("failed")
    BOUNCED = "bounced", _("bounced")
    SUPPRESSED = "suppressed", _("suppressed")


CLAIMABLE = (DeliveryState.QUEUED, DeliveryState.DEFERRED)


class Delivery(models.Model):
    issue = models.ForeignKey(Issue, models.CASCADE, related_name="deliveries", verbose_name=_("issue"))
    member = models.ForeignKey(Member, models.CASCADE, related_name="deliveries", verbose_name=_("member"))
    domain = models.CharField(_("domain"), max_length=255, db_index=True)
    state = models.CharField(_("state"), max_length=10, choices=DeliveryState.choices,
                             default=DeliveryState.QUEUED)
    # scheduling and claims
    queued_at = models.DateTimeField(_("queued"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    deadline = models.DateTimeField(_("give up after"))
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    claimed_by = models.CharField(_("claimed by"), max_length=120, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    # outcome
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    smtp_code = models.PositiveSmallIntegerField(_("SMTP code"), null=True, blank=True)
    smtp_reply = models.TextField(_("server reply"), blank=True)
    duration_ms = models.PositiveIntegerField(_("SMTP time (ms)"), null=True, blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=200, blank=True)

    class Meta:
        ordering = ["-queued_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["issue", "member"], name="uniq_delivery_issue_member")]
        indexes = [
            # the claim query's order (next_attempt_at, id) must come from the index, not a sort of the queue
            models.Index(fields=["state", "next_attempt_at", "id"], name="delivery_claim_order_idx"),
            models.Index(fields=["issue", "state"], name="delivery_issue_state_idx"),
            models.Index(fields=["state", "sent_at"], name="delivery_sent_idx",
                         condition=Q(state="sent")),
        ]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")

    def __str__(self) -> str:
        return f"#{self.issue_id} → {self.member_id}: {self.state}"


class BounceKind(models.TextChoices):
    HARD = "hard", _("hard bounce")
    SOFT = "soft", _("soft bounce")
    BLOCK = "block", _("blocked by policy or block list")
    COMPLAINT = "complaint", _("spam complaint")


class Bounce(models.Model):
    """A bounce or complaint, from SMTP (at send time), a DSN in the mailbox or the webhook."""

    member = models.ForeignKey(Member, models.CASCADE, related_name="bounces", verbose_name=_("member"))
    delivery = models.ForeignKey(Delivery, models.SET_NULL, null=True, blank=True, related_name="bounces")
    kind = models.CharField(_("kind"), max_length=10, choices=BounceKind.choices)
    status = models.CharField(_("status code"), max_length=12, blank=True)
    diagnostic = models.TextField(_("diagnostic"), blank=True)
    source = models.CharField(_("source"), max_length=20, default="dsn")
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    cleared = models.BooleanField(_("cleared by re-confirmation"), default=False)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("bounce")
        verbose_name_plural = _("bounces")

    def __str__(self) -> str:
        return f"{self.kind} {self.status} {self.member_id}"


class RateHit(models.Model):
    """The uses of a rate-limited form by one IP or one address in the current window (`accounts.limits`)."""

    key = models.CharField(max_length=300, unique=True)
    hits = models.PositiveIntegerField(default=0)
    first_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_at = models.DateTimeField(default=timezone.now)

    LIMIT_FIELDS = Fields(count="hits", start="first_at", last="last_at")

    def __str__(self) -> str:
        return f"{self.key} {self.hits}"


class StaffAlert(models.Model):
    """Something staff must look at (issue paused by mass block-list failures, …)."""

    issue = models.ForeignKey(Issue, models.CASCADE, null=True, blank=True, related_name="alerts")
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    message = models.TextField(_("message"))
    resolved = models.BooleanField(_("resolved"), default=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("staff alert")
        verbose_name_plural = _("staff alerts")

    def __str__(self) -> str:
        return self.message[:80]
