"""A figure is computed once per process while several threads ask for it at once (totals/version.py): after a
write, the overview, the API and the year view ask for the same progress, and only one thread computes it."""

import threading

import pytest
from django.db import connection

from pledgewatch.totals import version

pytestmark = pytest.mark.django_db(transaction=True)


def test_threads_asking_for_one_figure_wait_for_a_single_computation():
    version.clear_memo()
    computed, started, release = [], threading.Event(), threading.Event()

    def compute():
        computed.append(threading.get_ident())
        started.set()
        release.wait(10)
        return {"counted": "21368000000"}

    out: list = []

    def ask():
        try:
            out.append(version.cached_aggregate("test:single-flight", compute, json_ready=True))
        finally:
            connection.close()

    first = threading.Thread(target=ask)
    first.start()
    assert started.wait(10)
    others = [threading.Thread(target=ask) for _ in range(3)]
    for t in others:
        t.start()
    threading.Event().wait(0.2)  # the three are waiting for the first by now
    assert len(computed) == 1
    release.set()
    for t in [first, *others]:
        t.join(20)
    assert len(computed) == 1 and out == [{"counted": "21368000000"}] * 4
    version.bump()  # a write: the next ask computes again, once
    assert version.cached_aggregate("test:single-flight", compute, json_ready=True) == {"counted": "21368000000"}
    assert len(computed) == 2
    version.clear_memo()
