"""Deployment tests: a `replica` database alias that mirrors `default` (as DATABASE_REPLICA_URL would add).

The alias is added here, before pytest-django creates the test databases, as a TEST MIRROR of `default`:
both aliases reach the same test database through separate connections. The router and its middleware
are switched on only inside the tests that ask for them (fixture `replica_routing`), so the rest of the
suite runs as without a replica.
"""

import copy

import pytest
from django.conf import settings
from django.db import connections

if "replica" not in settings.DATABASES:
    _replica = copy.deepcopy(settings.DATABASES["default"])
    _replica["TEST"] = {"MIRROR": "default"}
    settings.DATABASES["replica"] = _replica
    connections.configure_settings(settings.DATABASES)  # fill in defaults if the handler read them already


@pytest.fixture
def replica_routing(settings):
    """Install the router and ReplicaMiddleware as settings.py does when DATABASE_REPLICA_URL is set."""
    settings.DATABASE_ROUTERS = ["pledgewatch.dbrouter.ReplicaRouter"]
    settings.MIDDLEWARE = ["pledgewatch.dbrouter.ReplicaMiddleware", *settings.MIDDLEWARE]
    yield
    connections["replica"].close()  # PostgreSQL cannot drop the test database while it is open
