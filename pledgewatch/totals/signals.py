"""What a write to the ledger does to the saved totals.

post_save, post_delete and m2m_changed signals on the ledger's models (connected by the totals app's
`ready()`) recompute the counting outcome of the commitments a write touched (`outcomes.refresh(ids)`) and
bump the ledger version, inside the writing transaction (`version.refresh_commitments(ids)`). A write
whose effect is not known commitment by commitment (a rate, a deleted pillar or focus area) marks every
stored outcome stale. Writes that bypass signals: see pledgewatch.totals.version.
"""

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save

from pledgewatch.ledger.models import Commitment, CommitmentCountry, ExchangeRate, FocusArea, Pillar
from pledgewatch.totals import outcomes, version

# Ledger models whose changes cannot change a progress figure (provenance, review queue).
UNRELATED = {"Source", "SourceText", "DuplicateCandidate"}
STALE = object()


def _on_write(sender, **kwargs) -> None:
    if kwargs.get("raw"):  # loaddata
        return
    action = kwargs.get("action")
    if action is not None and action not in {"post_add", "post_remove", "post_clear"}:
        return
    ids = _touched(sender, kwargs)
    if ids is STALE:
        outcomes.mark_stale()
    elif ids:
        own_row = sender is Commitment and kwargs.get("created") is False  # a save of an existing row
        version.refresh_commitments(ids, kwargs["instance"].pk if own_row else None)
        return  # refresh_commitments bumps the version (and stamps only that commitment's pages)
    version.bump()


def _touched(sender, kwargs):
    """Return the ids of the commitments whose counting outcome a write may change, or STALE when unknown."""
    instance = kwargs.get("instance")
    if sender is Commitment:
        return {instance.pk}
    if sender is CommitmentCountry:
        return {instance.commitment_id}
    if sender in (Commitment.initiatives.through, Commitment.focus_areas.through):
        if not kwargs.get("reverse"):
            return {instance.pk}
        return STALE if kwargs.get("pk_set") is None else set(kwargs["pk_set"])
    if sender is ExchangeRate or (sender in (Pillar, FocusArea) and "created" not in kwargs):
        return STALE  # rates change conversions; a deleted pillar or focus area unlinks commitments in SQL
    return None


def _watched(model) -> bool:
    return model._meta.app_label == "ledger" and not model.__name__.startswith("Historical") and (
        model.__name__ not in UNRELATED)


def _on_m2m(sender, **kwargs) -> None:
    if sender._meta.app_label == "ledger":
        _on_write(sender, **kwargs)


def connect() -> None:
    """Connect the signals of every ledger model that can change a figure (the totals app's ready())."""
    for model in apps.get_app_config("ledger").get_models():
        if _watched(model):
            post_save.connect(_on_write, sender=model, dispatch_uid=f"aggregates-save-{model.__name__}")
            post_delete.connect(_on_write, sender=model, dispatch_uid=f"aggregates-delete-{model.__name__}")
    m2m_changed.connect(_on_m2m, dispatch_uid="aggregates-m2m")
