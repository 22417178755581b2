"""Docs are checked: the CLI reference is current, every setting and every endpoint is documented."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "docs").glob("*.md")))


def test_cli_reference_is_current():
    from pledgewatch.cli.doc import reference

    current = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert current == reference(), "docs/cli.md is stale: run `python scripts/gen_docs.py`"


def test_every_setting_is_documented():
    names = set()
    for path in (ROOT / "pledgewatch").rglob("*.py"):
        if "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        names |= set(re.findall(r"os\.environ(?:\.get)?[\(\[]\s*\"([A-Z][A-Z0-9_]+)\"", text))
        names |= set(re.findall(r"_env_bool\(\s*\"([A-Z][A-Z0-9_]+)\"", text))
    names -= {"DJANGO_SETTINGS_MODULE", "LANG", "LC_ALL", "LC_MESSAGES"}
    missing = sorted(n for n in names if f"`{n}`" not in DOCS)
    assert not missing, f"settings not documented in docs/: {missing}"


@pytest.mark.django_db
def test_every_endpoint_is_documented(client):
    spec = client.get("/api/v1/openapi.json").json()
    missing = []
    for path in spec["paths"]:
        generic = re.sub(r"\{[^}]+\}", "{", path)
        documented = {re.sub(r"\{[^}]+\}", "{", p) for p in re.findall(r"`(?:GET |POST )?(/api/v1/[^`?\s]*)", DOCS)}
        if generic not in documented:
            missing.append(path)
    assert not missing, f"endpoints not documented in docs/: {missing}"
