"""Fixtures of the dashboard tests: forget cached aggregates between tests (their keys repeat after rollbacks)."""

import pytest


@pytest.fixture(autouse=True)
def _fresh_caches():
    from pledgewatch.totals.version import clear_memo

    clear_memo()
    yield
    clear_memo()
