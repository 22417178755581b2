"""Records of IATI imports (runs, files with their content hash, activity fingerprints) and the
per-initiative pillar mapping table (DAC sector codes and keywords → pillar and focus area)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from pledgewatch.ledger.models import Commitment, FocusArea, Initiative, Pillar


class RunStatus(models.TextChoices):
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("finished with errors")
    INTERRUPTED = "interrupted", _("interrupted")


class FileStatus(models.TextChoices):
    DONE = "done", _("imported")
    FAILED = "failed", _("refused or broken")


class ImportRun(models.Model):
    """One `pledgewatch import iati` invocation: its options and its summary."""

    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=RunStatus.choices, default=RunStatus.RUNNING)
    options = models.JSONField(_("options"), default=dict, blank=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    pid = models.PositiveIntegerField(_("process id"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("IATI import run")
        verbose_name_plural = _("IATI import runs")

    def __str__(self) -> str:
        return f"#{self.pk} {self.started_at:%Y-%m-%d %H:%M} {self.get_status_display()}"


class ImportedFile(models.Model):
    """A file (or zip member) an import read. A `done` row with the same hash and options is skipped.

    The row of a successful file is written in the same transaction as its ledger rows, so a killed
    import leaves either both or neither.
    """

    run = models.ForeignKey(ImportRun, models.CASCADE, related_name="files", verbose_name=_("run"))
    path = models.CharField(_("path"), max_length=1000)
    sha256 = models.CharField(_("content hash (SHA-256)"), max_length=64, db_index=True)
    options_key = models.CharField(_("options key"), max_length=64, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    version = models.CharField(_("IATI version"), max_length=8, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=FileStatus.choices)
    activities = models.PositiveIntegerField(_("activities read"), default=0)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    warnings = models.JSONField(_("warnings by kind"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    finished_at = models.DateTimeField(_("finished at"), auto_now_add=True)

    class Meta:
        ordering = ["-finished_at", "path"]
        indexes = [models.Index(fields=["sha256", "options_key", "status"])]
        verbose_name = _("imported IATI file")
        verbose_name_plural = _("imported IATI files")

    def __str__(self) -> str:
        return self.path


class IatiActivity(models.Model):
    """The last imported version of an activity: its fingerprint (for unchanged-skip) and its data.

    `data` keeps what the ledger has no field for (sectors with percentages, regions, budgets, roles of
    participating organisations, related activities…); the exporter writes it back.
    `linked` is true where the activity was matched to a commitment that existed before (de-duplication):
    updates then refresh only its transactions and sources, not the staff-entered fields.
    """

    identifier = models.CharField(_("IATI identifier"), max_length=200, unique=True)
    commitment = models.OneToOneField(Commitment, models.CASCADE, related_name="iati_activity",
                                      verbose_name=_("commitment"))
    fingerprint = models.CharField(_("fingerprint"), max_length=64)
    last_updated = models.DateTimeField(_("last updated (as published)"), null=True, blank=True)
    version = models.CharField(_("IATI version"), max_length=8, blank=True)
    file = models.ForeignKey(ImportedFile, models.SET_NULL, null=True, blank=True, related_name="+",
                             verbose_name=_("file"))
    line = models.PositiveIntegerField(_("line"), default=0)
    linked = models.BooleanField(_("linked to an existing commitment"), default=False)
    data = models.JSONField(_("activity data"), default=dict)
    # [[transaction id, IATI transaction-type code], …] of the transactions this activity wrote
    transaction_ids = models.JSONField(_("transactions written by the import"), default=list, blank=True)
    # fingerprints of versions this one replaced: met again (an older file re-read), they are not applied
    superseded = models.JSONField(_("fingerprints of replaced versions"), default=list, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["identifier"]
        verbose_name = _("IATI activity")
        verbose_name_plural = _("IATI activities")

    def __str__(self) -> str:
        return self.identifier


class PillarRule(models.Model):
    """One row of an initiative's pillar mapping: a DAC sector code prefix and/or keywords → pillar.

    Rules are tried in `order`; the first whose prefix matches the activity's sector code (an empty
    prefix matches any) and, when keywords are given, one of whose keywords occurs in the title or
    description wins.
    """

    initiative = models.ForeignKey(Initiative, models.CASCADE, related_name="pillar_rules",
                                   verbose_name=_("initiative"))
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    dac_prefix = models.CharField(_("DAC sector code or prefix"), max_length=5, blank=True)
    keywords = models.TextField(_("keywords (one per line, ja or en)"), blank=True)
    pillar = models.ForeignKey(Pillar, models.CASCADE, related_name="+", verbose_name=_("pillar"))
    focus_area = models.ForeignKey(FocusArea, models.SET_NULL, null=True, blank=True, related_name="+",
                                   verbose_name=_("focus area"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["initiative", "order", "id"]
        verbose_name = _("pillar mapping rule")
        verbose_name_plural = _("pillar mapping rules")

    def __str__(self) -> str:
        return f"{self.dac_prefix or '*'} {self.keywords[:30]} → {self.pillar}"

    def keyword_list(self) -> list[str]:
        return [k.strip().lower() for k in self.keywords.splitlines() if k.strip()]
