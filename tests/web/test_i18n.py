"""Every string of the public pages is translated into Japanese and Russian, and the catalogs are compiled."""

from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parents[2] / "pledgewatch" / "web" / "locale"


@pytest.mark.parametrize("lang", ["ja", "ru"])
def test_catalog_is_complete_and_compiled(lang):
    po = polib.pofile(str(LOCALE / lang / "LC_MESSAGES" / "django.po"))
    untranslated = [e.msgid for e in po if not e.translated() and not e.obsolete]
    assert untranslated == []
    assert [e.msgid for e in po.fuzzy_entries()] == []
    mo = polib.mofile(str(LOCALE / lang / "LC_MESSAGES" / "django.mo"))
    assert {e.msgid for e in mo if not e.msgid_plural} >= {e.msgid for e in po if not e.msgid_plural and e.msgid}


@pytest.mark.parametrize("lang", ["ja", "ru"])
def test_placeholders_survive_translation(lang):
    import re

    po = polib.pofile(str(LOCALE / lang / "LC_MESSAGES" / "django.po"))
    for entry in po:
        wanted = sorted(re.findall(r"%\(\w+\)s", entry.msgid))
        got = [entry.msgstr] if entry.msgstr else list(entry.msgstr_plural.values())
        for text in got:
            assert sorted(re.findall(r"%\(\w+\)s", text)) == wanted, (entry.msgid, text)


@pytest.mark.django_db
@pytest.mark.parametrize(("lang", "overview", "commitments"), [
    ("ja", "概要", "案件"), ("en", "Overview", "Commitments"), ("ru", "Обзор", "Обязательства")])
def test_navigation_in_each_language(client, seeded, lang, overview, commitments):
    html = client.get("/rules/", {"lang": lang}).content.decode()
    assert f'<html lang="{lang}">' in html
    assert f">{overview}</a>" in html and f">{commitments}</a>" in html


@pytest.mark.django_db
def test_accept_language_without_cookie(client, seeded):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert '<html lang="ru">' in html
    response = client.get("/", {"lang": "xx"}, HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="en">' in response.content.decode()
    assert "pledgewatch_language" not in response.cookies


def test_catalog_holds_every_string_of_the_code_and_templates(tmp_path):
    """Re-extract the strings (makemessages on a copy of the app) and compare with the committed catalog."""
    import shutil
    import subprocess
    import sys

    if shutil.which("xgettext") is None:
        pytest.skip("needs gettext's xgettext")
    app = tmp_path / "web"
    shutil.copytree(LOCALE.parent, app, ignore=shutil.ignore_patterns("static", "__pycache__"))
    django_admin = Path(sys.executable).with_name("django-admin")
    subprocess.run([str(django_admin), "makemessages", "-l", "ja", "--no-location", "--no-obsolete"], cwd=app,
                   check=True, capture_output=True)
    fresh = {(e.msgctxt, e.msgid) for e in polib.pofile(str(app / "locale/ja/LC_MESSAGES/django.po"))
             if not e.obsolete}
    committed = {(e.msgctxt, e.msgid) for e in polib.pofile(str(LOCALE / "ja/LC_MESSAGES/django.po"))
                 if not e.obsolete}
    assert sorted(fresh - committed, key=str) == []
