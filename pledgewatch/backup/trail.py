"""The audit trail: every change to ledger data, from the simple-history tables, newest first."""

import heapq
from datetime import date, datetime, time

from django.apps import apps
from django.utils import timezone


def history_models() -> dict[str, type]:
    """Return {model name: model} for the ledger models that keep a change history."""
    return {m._meta.model_name: m for m in apps.get_app_config("ledger").get_models()
            if hasattr(m._meta, "simple_history_manager_attribute")}


def _changed_fields(record) -> list[str]:
    previous = record.prev_record
    if previous is None:
        return []
    return sorted(c.field for c in record.diff_against(previous).changes)


def _as_json(model_name: str, record) -> dict:
    user = record.history_user
    pk = record.instance_type._meta.pk.attname
    return {"model": model_name, "object_id": getattr(record, pk), "history_id": record.history_id,
            "type": record.history_type, "at": timezone.localtime(record.history_date).isoformat(),
            "user": user.get_username() if user is not None else None,
            "reason": record.history_change_reason or None,
            "changed": _changed_fields(record) if record.history_type == "~" else []}


def changes(*, model: str = "", since: date | None = None, user: str = "", limit: int = 50) -> list[dict]:
    """Return the newest `limit` changes (optionally of one model, since a day, by one user)."""
    models = history_models()
    if model:
        models = {model.lower(): models[model.lower()]}  # the command checks the name first
    streams = []
    for name, m in models.items():
        query = m.history.select_related("history_user").order_by("-history_date", "-history_id")
        if since:
            query = query.filter(history_date__gte=timezone.make_aware(datetime.combine(since, time.min)))
        if user:
            query = query.filter(history_user__username=user)
        streams.append([(r.history_date, r.history_id, name, r) for r in query[:limit]])
    newest = heapq.merge(*streams, key=lambda t: (t[0], t[1]), reverse=True)
    return [_as_json(name, r) for _d, _i, name, r in list(newest)[:limit]]
