"""Failed-login counters (shared by every web process through the database; counted by `limits`) and the review
permission."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from pledgewatch.accounts.limits import Fields


class Access(models.Model):
    """Holds permissions that belong to no table (no rows; `managed = False`)."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("publish_proposal", _("Accept review proposals into the ledger (accept, link)"))]
        verbose_name = _("access rule")

    def __str__(self):
        return str(self._meta.verbose_name)


class LoginThrottle(models.Model):
    """Failed logins for one username from one address; locked until `locked_until` once too many."""

    username = models.CharField(_("username"), max_length=150)
    ip = models.CharField(_("address"), max_length=45)
    failures = models.PositiveIntegerField(_("failures"), default=0)
    first_failure_at = models.DateTimeField(_("first failure"))
    last_failure_at = models.DateTimeField(_("last failure"))
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)

    LIMIT_FIELDS = Fields(count="failures", start="first_failure_at", last="last_failure_at", until="locked_until")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["username", "ip"], name="accounts_throttle_username_ip")]
        verbose_name = _("login lock-out")
        verbose_name_plural = _("login lock-outs")

    def __str__(self):
        return f"{self.username} @ {self.ip}"
