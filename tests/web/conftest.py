"""Fixtures of the dashboard tests: forget cached aggregates between tests (their keys repeat after rollbacks)."""

import pytest


@pytest.fixture(autouse=True)
def _fresh_caches():
    from pledgewatch.totals.version import clear_memo

    clear_memo()
    yield
    clear_memo()


@pytest.fixture
def calls(monkeypatch):
    """Count the calls of the overview's and the commitment page's context builders (the views' work):
    `overview` how many, `commitment` the ids of the commitment pages built, `staff` whether each was for staff."""
    from pledgewatch.web.pages import details, overview

    counted = {"overview": 0, "commitment": [], "staff": []}
    real_overview, real_commitment = overview.overview, details.commitment

    def counting_overview(initiative):
        counted["overview"] += 1
        return real_overview(initiative)

    def counting_commitment(pk, *, staff=False):
        counted["commitment"].append(pk)
        counted["staff"].append(staff)
        return real_commitment(pk, staff=staff)

    monkeypatch.setattr(overview, "overview", counting_overview)
    monkeypatch.setattr(details, "commitment", counting_commitment)
    return counted
