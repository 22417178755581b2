"""The review queue: submitted texts, the commitments proposed from them, and reviewers' decisions."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pledgewatch.ledger.models import Commitment, Initiative, SourceText


class Submission(models.Model):
    """A press text given to the extractor (pasted or uploaded), with the extractor's full result."""

    text = models.ForeignKey(SourceText, models.PROTECT, related_name="submissions", verbose_name=_("text"))
    filename = models.CharField(_("file name"), max_length=300, blank=True)
    language = models.CharField(_("language"), max_length=10)
    initiative = models.ForeignKey(Initiative, models.SET_NULL, null=True, blank=True, related_name="+",
                                   verbose_name=_("initiative"))
    result = models.JSONField(_("extraction result"), default=dict)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("submitted by"))
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("submitted text")
        verbose_name_plural = _("submitted texts")

    def __str__(self) -> str:
        return self.filename or self.text.title or f"#{self.pk}"

    @property
    def pending(self) -> int:
        return sum(1 for p in self.proposals.all() if p.status == Proposal.Status.PENDING)


class Proposal(models.Model):
    """A commitment proposed by the extractor; `spans` are [start, end, field] offsets into the text."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for review")
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("rejected")
        LINKED = "linked", _("linked to an existing commitment")

    submission = models.ForeignKey(Submission, models.CASCADE, related_name="proposals")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    data = models.JSONField(_("proposed fields"), default=dict)
    spans = models.JSONField(_("evidence spans"), default=list)
    pillar_reason = models.CharField(_("why this pillar"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING,
                              db_index=True)
    commitment = models.ForeignKey(Commitment, models.SET_NULL, null=True, blank=True, related_name="+",
                                   verbose_name=_("commitment"))

    class Meta:
        ordering = ["submission", "position"]
        verbose_name = _("proposed commitment")
        verbose_name_plural = _("proposed commitments")

    def __str__(self) -> str:
        return self.data.get("title") or f"#{self.pk}"


class Decision(models.Model):
    """What a reviewer did with a proposal, when and why."""

    class Action(models.TextChoices):
        ACCEPT = "accept", _("accepted as proposed")
        EDIT_ACCEPT = "edit_accept", _("edited, then accepted")
        REJECT = "reject", _("rejected")
        LINK = "link", _("linked as a further source")

    proposal = models.ForeignKey(Proposal, models.CASCADE, related_name="decisions")
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                 verbose_name=_("reviewer"))
    reason = models.TextField(_("reason"), blank=True)
    changes = models.JSONField(_("edited fields"), default=dict, blank=True)
    commitment = models.ForeignKey(Commitment, models.SET_NULL, null=True, blank=True, related_name="+",
                                   verbose_name=_("commitment"))
    decided_at = models.DateTimeField(_("decided at"), auto_now_add=True)

    class Meta:
        ordering = ["-decided_at", "-id"]
        verbose_name = _("review decision")
        verbose_name_plural = _("review decisions")

    def __str__(self) -> str:
        return f"{self.get_action_display()} #{self.proposal_id}"
