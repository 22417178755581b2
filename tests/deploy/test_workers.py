"""Three `pledgewatch worker --until-idle` processes share one issue's queue on PostgreSQL (SKIP LOCKED).

Real processes: the CLI, three workers started together, and an aiosmtpd sink on loopback
(tests/newsletter/crash.py's harness). Every member gets exactly one message; the workers' own counts add up.
"""

import os
import re
import subprocess
from collections import Counter

import pytest

from tests.conftest import requires_postgres

MEMBERS = 300


@requires_postgres
@pytest.mark.slow
def test_three_workers_deliver_each_member_exactly_one_message(tmp_path):
    from tests.newsletter.crash import PYTHON, ROOT, Harness, postgres_database

    url = postgres_database(os.environ["DATABASE_URL"], "pledgewatch_three_workers")
    h = Harness(tmp_path, database_url=url, extra_env={"PLEDGEWATCH_MAIL_BATCH": "10"})
    h.start_sink()
    try:
        issue_id = h.prepare(MEMBERS)
        workers = [subprocess.Popen([PYTHON, "-m", "pledgewatch.cli", "worker", "--until-idle", "--wait", "2"],
                                    env=h.env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                   for _ in range(3)]
        outputs = [w.communicate(timeout=180) for w in workers]
        status = h.cli("newsletter", "status", str(issue_id), "--format", "json")
    finally:
        h.stop_sink()
    assert [w.returncode for w in workers] == [0, 0, 0], [err for _out, err in outputs]
    received = Counter(h.sunk())
    assert len(received) == MEMBERS and set(received.values()) == {1}  # each delivery id once
    sent = [int(re.search(r"(\d+)", out).group(1)) for out, _err in outputs]  # "N messages sent."
    print(f"messages sent by each worker: {sent}")
    assert sum(sent) == MEMBERS, outputs
    assert '"sent": 300' in status and '"state": "sent"' in status
