"""kill -9 the worker at random moments five times while sending; nothing lost, duplicates ≤ kills."""

import os

import pytest

from tests.conftest import on_postgres
from tests.newsletter.crash import postgres_database, run_crash

N = int(os.environ.get("PLEDGEWATCH_CRASH_MEMBERS", "1000"))


@pytest.mark.slow
def test_worker_killed_five_times_loses_nothing(tmp_path):
    url = None
    if on_postgres():
        url = postgres_database(os.environ["DATABASE_URL"], "pledgewatch_crash_test")
    result = run_crash(tmp_path, N, kills=5, delay=(0.02, 0.2), database_url=url, seed=20251220)
    assert result["kills"] == 5, result
    assert result["unique"] == N, result  # every member received the issue
    assert result["duplicates"] <= result["kills"], result
    assert result["status"]["sent"] == N and result["issue_state"] == "sent", result
