"""Fuzz the JSON API from its own OpenAPI description (schemathesis, in-process WSGI, the CA+JAD seed loaded).

Every operation gets valid and invalid generated requests; every response must be free of server errors
(status < 500), declare the content type the schema gives and, where the status is documented, match the
response schema. The test counts the requests it sent and requires at least 2,000.
"""

import functools
import logging

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
)

pytestmark = pytest.mark.django_db

MIN_REQUESTS = 2000
EXAMPLES = {GenerationMode.POSITIVE: 120, GenerationMode.NEGATIVE: 60}  # per operation (fewer if it has no inputs)
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance, response_headers_conformance]



@functools.cache
def api_schema():
    """Return the API's OpenAPI description, loaded once, from inside a test (the request reads the database)."""
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


def test_openapi_description_lists_every_endpoint():
    paths = set(api_schema().raw_schema["paths"])
    assert {"/api/v1/initiatives", "/api/v1/initiatives/{slug}/progress", "/api/v1/commitments",
            "/api/v1/commitments/{commitment_id}", "/api/v1/documents", "/api/v1/events",
            "/api/v1/organisations", "/api/v1/countries", "/api/v1/sources/{source_id}"} <= paths


@pytest.fixture
def keep_connection():
    """Keep the test's database connection across WSGI requests (as Django's test client does)."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_generated_requests_never_cause_server_errors(seeded, keep_connection, caplog):
    caplog.set_level(logging.ERROR, logger="django.request")  # thousands of expected 404 warnings
    statuses: dict[int, int] = {}
    sent = 0
    for result in api_schema().get_all_operations():
        operation = result.ok()
        for mode, examples in EXAMPLES.items():

            @settings(max_examples=examples, deadline=None, database=None, derandomize=True,
                      suppress_health_check=list(HealthCheck))
            @given(case=operation.as_strategy(generation_mode=mode))
            def run(case):
                nonlocal sent
                response = case.call_and_validate(checks=CHECKS)
                sent += 1
                statuses[response.status_code] = statuses.get(response.status_code, 0) + 1

            try:
                run()
            except Unsatisfiable:
                assert mode == GenerationMode.NEGATIVE  # no invalid value exists (no inputs, or free strings)
    print(f"schemathesis: {sent} requests, statuses {dict(sorted(statuses.items()))}")
    assert sent >= MIN_REQUESTS
    assert not [s for s in statuses if s >= 500]
