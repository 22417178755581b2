"""API errors: one body form ({"detail": …}), documented in OpenAPI for every operation, JSON under /api/;
and schemathesis with `--checks all` against the running app (127.0.0.1 only, bounded in examples and time).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def openapi(client) -> dict:
    return json.loads(client.get("/api/v1/openapi.json").content)


def test_every_operation_documents_its_error_responses_with_a_body_schema(client, db):
    schema = openapi(client)
    assert schema["components"]["schemas"]["Error"]["required"] == ["detail"]
    documented = {path: sorted(methods["get"]["responses"]) for path, methods in schema["paths"].items()}
    assert documented["/api/v1/commitments"] == ["200", "400", "422"]
    assert documented["/api/v1/commitments/{commitment_id}"] == ["200", "404", "422"]
    assert documented["/api/v1/initiatives/{slug}/progress"] == ["200", "404", "422"]
    assert documented["/api/v1/initiatives"] == ["200"]
    for path, methods in schema["paths"].items():
        responses = methods["get"]["responses"]
        for code in set(responses) - {"200"}:
            ref = responses[code]["content"]["application/json"]["schema"]["$ref"]
            assert ref in ("#/components/schemas/Error", "#/components/schemas/ValidationError"), (path, code)
        if methods["get"].get("parameters"):
            assert "422" in responses, path
        if "{" in path:
            assert "404" in responses, path


@pytest.mark.parametrize(("url", "status", "detail"), [
    ("/api/v1/commitments?stage=done&lang=en", 400, "Unknown stage: done"),
    ("/api/v1/initiatives/nothing-here?lang=en", 404, "Unknown initiative: nothing-here"),
    ("/api/v1/commitments/999999?lang=en", 404, "Not Found"),
    ("/api/v1/commitments?page=abc&lang=en", 422,
     "page: Input should be a valid integer, unable to parse string as an integer"),
    ("/api/v1/no-such-thing?lang=en", 404, "Unknown address: /api/v1/no-such-thing"),
    ("/api/v2/commitments?lang=en", 404, "Unknown address: /api/v2/commitments"),
    ("/api/?lang=en", 404, "Unknown address: /api/"),
])
def test_errors_are_json_with_a_readable_detail(client, seeded, url, status, detail):
    response = client.get(url)
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = json.loads(response.content)
    assert body["detail"] == detail
    if status == 422:
        assert body["errors"][0]["loc"] == ["query", "page"]


def test_errors_follow_the_readers_language(client, seeded):
    body = json.loads(client.get("/api/v1/no-such-thing?lang=ja").content)
    assert body == {"detail": "不明なアドレスです: /api/v1/no-such-thing"}


def schemathesis_cli() -> list[str] | None:
    """Return the command line of schemathesis's CLI in this interpreter (the `st` entry point)."""
    try:
        import schemathesis.cli  # noqa: F401
    except ImportError:  # pragma: no cover - the test extra installs it
        return None
    return [sys.executable, "-c", "import sys; from schemathesis.cli import schemathesis; sys.exit(schemathesis())"]


@pytest.mark.django_db(transaction=True)
def test_schemathesis_all_checks_against_the_running_app(live_server, tmp_path):
    """`st run --checks all` against the live server (a real HTTP server on 127.0.0.1, the seed loaded)."""
    from pledgewatch.ledger.countries import load_countries
    from pledgewatch.ledger.models import Country
    from pledgewatch.ledger.seed import load_seed
    from pledgewatch.totals.version import clear_memo

    cli = schemathesis_cli()
    if cli is None:  # pragma: no cover - the test extra installs it
        pytest.skip("needs schemathesis's `st` command (pip install -e '.[test]')")
    assert live_server.url.startswith("http://localhost:") or live_server.url.startswith("http://127.0.0.1:")
    load_countries(Country)
    load_seed()
    clear_memo()
    base = live_server.url.replace("localhost", "127.0.0.1")
    run = subprocess.run(
        [*cli, "run", f"{base}/api/v1/openapi.json", "--checks", "all", "--max-examples", "10",
         "--max-time", "180", "--seed", "17", "--generation-deterministic", "--workers", "1",
         "--request-timeout", "30", "--no-color"],
        capture_output=True, text=True, timeout=420, cwd=tmp_path,
        env={**os.environ, "SCHEMATHESIS_HOOKS": ""})
    report = run.stdout[-6000:] + run.stderr[-2000:]
    Path("/tmp/i17-st-report.txt").write_text(run.stdout + run.stderr)
    assert run.returncode == 0, report
    assert "No issues found" in run.stdout or " passed" in run.stdout, report


@pytest.mark.django_db
def test_a_nul_in_a_parameter_is_read_as_if_it_were_not_there(client):
    """PostgreSQL refuses NUL in any text: the parameter is read without it (a 500 on every list before)."""
    plain = client.get("/api/v1/commitments", {"q": "loan", "lang": "en"})
    with_nul = client.get("/api/v1/commitments", {"q": "lo\x00an", "lang": "en"})
    assert with_nul.status_code == plain.status_code == 200
    assert with_nul.json() == plain.json()
