"""Two `pledgewatch serve` processes (gunicorn) sharing one SQLite file and one Redis page cache: a page stored by
one is served by the other, and a write made elsewhere shows on the next request to either."""

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PYTHON = str(Path(sys.executable))
PLEDGEWATCH = str(Path(sys.executable).parent / "pledgewatch")
REDIS_URL = os.environ.get("PLEDGEWATCH_TEST_REDIS_URL", "redis://127.0.0.1:6379/8")
PROGRESS = "/api/v1/initiatives/ca-jad-tokyo-initiative/progress"
SETUP = """
import django; django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from pledgewatch.ledger.seed import load_seed
load_seed()
"""
WRITE = """
import django; django.setup()
from pledgewatch.ledger.models import Commitment
c = Commitment.objects.get(amount__isnull=False)
c.amount = 30000000000
c.save()
"""

redis = pytest.importorskip("redis")


def redis_client():
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis server at {REDIS_URL}")
    return client


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port: int, path: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", path, headers=headers or {})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, dict(response.getheaders()), body


@pytest.fixture
def two_servers(tmp_path):
    store = redis_client()
    store.flushdb()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "PLEDGEWATCH_TEST"))}
    env.update(PLEDGEWATCH_DATA_DIR=str(tmp_path), DATABASE_URL=f"sqlite:///{tmp_path / 'shared.sqlite3'}",
               REDIS_URL=REDIS_URL, PLEDGEWATCH_TODAY="2026-11-28", DJANGO_SETTINGS_MODULE="pledgewatch.settings",
               PLEDGEWATCH_DEBUG="", PLEDGEWATCH_SECRET_KEY="k" + "7x-Qe9_rT2" * 6)
    subprocess.run([PYTHON, "-c", SETUP], env=env, cwd=ROOT, check=True, timeout=300)
    ports = [free_port(), free_port()]
    procs = [subprocess.Popen([PLEDGEWATCH, "serve", "--host", "127.0.0.1", "--port", str(p), "--workers", "1",
                               "--threads", "2"], env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE) for p in ports]
    try:
        for port, proc in zip(ports, procs, strict=True):
            for _ in range(600):
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                        break
                except OSError:
                    if proc.poll() is not None:
                        pytest.fail(proc.stderr.read().decode()[-3000:])
                    time.sleep(0.1)
        yield {"ports": ports, "env": env, "redis": store}
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=30)
        store.flushdb()


def test_two_processes_share_the_page_cache_and_see_a_write_at_once(two_servers):
    a, b = two_servers["ports"]
    store = two_servers["redis"]
    get(a, PROGRESS)  # the first read builds the counting outcomes (which changes the validators once)
    time.sleep(1.1)
    store.flushdb()
    status, headers, body = get(a, PROGRESS)
    assert status == 200 and json.loads(body)["counted"]["amount"] == "21368000000"
    assert len(store.keys("pledgewatch:*pw:page:*")) == 1  # A stored the page in Redis
    assert len(store.keys("pledgewatch:*pw:latest:*")) == 1  # and where its newest version is
    status, headers_b, body_b = get(b, PROGRESS)
    assert (status, body_b, headers_b["ETag"]) == (200, body, headers["ETag"])
    assert len(store.keys("pledgewatch:*pw:page:*")) == 1  # B served A's page: nothing new stored
    assert get(b, PROGRESS, {"If-None-Match": headers["ETag"]})[0] == 304
    subprocess.run([PYTHON, "-c", WRITE], env=two_servers["env"], cwd=ROOT, check=True, timeout=120)
    for port in (a, b):  # the next request to either process has the new figure
        status, after, body = get(port, PROGRESS, {"If-None-Match": headers["ETag"]})
        assert (status, json.loads(body)["counted"]["amount"]) == (200, "30000000000")
        assert after["ETag"] != headers["ETag"]
