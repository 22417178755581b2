"""XML attacks (tests/fixtures/hostile/xml/): refused before any entity, DTD or include is read; nothing stored.

The IATI importer is the one XML reader of uploaded files; tests/iati/test_hostile.py checks its broken and
odd files, this module the attacks: XXE to a file and to a URL, parameter entities, an external DTD,
entity expansion (billion laughs, quadratic blowup) and XInclude.
"""

import pytest
from django.utils import translation

from pledgewatch.iati.models import FileStatus, ImportedFile
from pledgewatch.ledger.models import Commitment
from tests.iati.conftest import run_import
from tests.security.hostile import CORPUS

pytestmark = pytest.mark.django_db

XML = CORPUS / "xml"
DTD_REFUSED = ("The file declares a DTD or entities; such files are refused (XXE and entity expansion "
               "protection).")


@pytest.mark.parametrize("name", ["xxe-file.xml", "xxe-url.xml", "parameter-entity.xml", "external-dtd.xml",
                                  "billion-laughs.xml", "quadratic-blowup.xml"])
def test_dtd_and_entity_attacks_are_refused_and_store_nothing(name):
    path = XML / name
    with translation.override("en"):
        summary = run_import(path)
    assert summary["errors"] == [{"file": str(path), "error": f"{path}: {DTD_REFUSED}"}]
    assert summary["files_failed"] == 1
    assert Commitment.objects.count() == 0
    assert ImportedFile.objects.get().status == FileStatus.FAILED


def test_xinclude_is_not_processed():
    with translation.override("en"):
        summary = run_import(XML / "xinclude.xml")
    assert summary["errors"] == []
    c = Commitment.objects.get(iati_identifier="XX-XINCLUDE")
    stored = " ".join(str(v) for v in (c.title_en, c.title_ja, c.description_en, c.iati_activity.data))
    assert "root:" not in stored and "/bin/" not in stored  # /etc/passwd was not read into the ledger


def test_entity_attacks_finish_fast():
    import time

    start = time.monotonic()
    with translation.override("en"):
        for name in ("billion-laughs.xml", "quadratic-blowup.xml"):
            run_import(XML / name)
    assert time.monotonic() - start < 5
