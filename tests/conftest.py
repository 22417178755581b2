"""Shared fixtures. The database is the one DATABASE_URL names (SQLite by default); CI runs the suite twice."""

import os
from pathlib import Path

import pytest
from django.conf import settings


def on_postgres() -> bool:
    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


@pytest.fixture(autouse=True)
def _empty_page_cache():
    """Forget the stored pages (pledgewatch/web/caching.py) between tests: the ledger version that keys them
    starts again from the same number after each test's rollback."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


requires_postgres = pytest.mark.skipif(
    not on_postgres(), reason="needs PostgreSQL: run with DATABASE_URL=postgres://postgres@127.0.0.1:5432/test")


@pytest.fixture
def seeded(db):
    """Load the CA+JAD seed into the test database and return the initiative."""
    from pledgewatch.ledger.seed import load_seed

    load_seed()
    from pledgewatch.ledger.models import Initiative

    return Initiative.objects.get(slug="ca-jad-tokyo-initiative")


@pytest.fixture(autouse=True)
def _no_language_leak():
    """Give every test the default language: a command run in-process (pledgewatch.cli.main) activates the CLI's
    language for the rest of the thread."""
    from django.utils import translation

    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch):
    """Progress figures depend on today's date; tests pin it unless they set their own."""
    monkeypatch.setenv("PLEDGEWATCH_TODAY", os.environ.get("PLEDGEWATCH_TEST_TODAY", "2026-11-28"))


CHROMIUM = "/usr/bin/chromium"


def skip_without_chromium() -> None:
    """Skip the calling test module when Debian's Chromium is not installed (CI installs it)."""
    if not Path(CHROMIUM).exists():  # pragma: no cover - the CI image installs it
        pytest.skip("needs Debian's chromium: apt-get install -y chromium", allow_module_level=True)


@pytest.fixture(scope="module")
def browser():
    """Headless Debian Chromium driven by Playwright (its own browser download does not work here)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield browser
        browser.close()


@pytest.fixture
def english():
    """Run the test in English (commands print in the active language)."""
    from django.utils import translation

    with translation.override("en"):
        yield


def call_command_en(*args, **kwargs):
    """Run a command in English (a test-client request leaves the site's Japanese active in the thread)."""
    from django.core.management import call_command
    from django.utils import translation

    with translation.override("en"):
        return call_command(*args, **kwargs)


@pytest.fixture
def cli(monkeypatch, capsys):
    """Run `pledgewatch ARGS` in this process; return (exit status, stdout, stderr)."""
    from django.db import connections

    from pledgewatch.cli import main

    # run_from_argv closes the connections at the end; the test's transaction must survive it (PostgreSQL)
    monkeypatch.setattr(connections, "close_all", lambda: None)

    def run(*args, lang="en"):
        monkeypatch.setenv("PLEDGEWATCH_LANG", lang)
        try:
            status = main(list(args))
        except SystemExit as exc:
            status = exc.code
        out = capsys.readouterr()
        return status, out.out, out.err
    return run


@pytest.fixture
def recorded(seeded):
    """Load the seed and the CA+JAD first-year public record (as the demo does); return the initiative."""
    from pledgewatch.ledger.record_load import load_bundled_record

    load_bundled_record(seeded)
    return seeded
