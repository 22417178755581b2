"""Export: IATI 2.03 XML valid against the shipped schema; import → export → import gives the same ledger."""

import io
from decimal import Decimal

import pytest
from lxml import etree

from pledgewatch.iati.activity import PW_NS
from pledgewatch.iati.codelists import schema
from pledgewatch.iati.exporter import export
from pledgewatch.iati.models import IatiActivity, ImportedFile
from pledgewatch.ledger.models import Commitment, CommitmentCountry, Document, Organisation
from tests.iati.conftest import EXAMPLE, HOSTILE, JICA, run_import

pytestmark = pytest.mark.django_db


def exported(qs=None, *, include_imported=True, left_out=None) -> bytes:
    buffer = io.BytesIO()
    export(buffer, qs if qs is not None else Commitment.objects.all(), include_imported=include_imported,
           left_out=left_out)
    return buffer.getvalue()


def assert_valid(xml: bytes) -> etree._ElementTree:
    tree = etree.parse(io.BytesIO(xml))
    xsd = schema()
    assert xsd.validate(tree), str(xsd.error_log)
    return tree


def snapshot() -> dict:
    """Return the ledger as comparable data (ids and import records left out)."""
    result = {}
    for c in Commitment.objects.prefetch_related("recipients", "transactions", "documents", "stage_changes",
                                                 "recipient_organisations").select_related("provider"):
        result[c.iati_identifier] = {
            "texts": (c.title_ja, c.title_en, c.title_ru, c.description_ja, c.description_en, c.description_ru),
            "money": (c.amount, c.currency, c.qualifier), "instrument": c.instrument, "dac": c.dac_sector,
            "dates": (c.date, c.stage, c.stage_date),
            "provider": (c.provider.iati_ref, c.provider.name_en) if c.provider else None,
            "recipient_orgs": sorted(o.name_en for o in c.recipient_organisations.all()),
            "countries": sorted((r.country_id, r.share) for r in c.recipients.all()),
            "transactions": sorted((t.kind, t.date, t.value_date, t.amount, t.currency, t.description)
                                   for t in c.transactions.all()),
            "documents": sorted((d.url, d.title_en) for d in c.documents.all()),
            "stages": [(s.stage, s.date, s.note) for s in c.stage_changes.all()],
        }
    return result


def wipe() -> None:
    IatiActivity.objects.all().delete()
    ImportedFile.objects.all().delete()
    Commitment.objects.all().delete()
    Document.objects.all().delete()
    Organisation.objects.all().delete()


def dated(identifiers) -> list[str]:
    """Return the identifiers of imported activities the publisher gave at least one date."""
    return sorted(ia.identifier for ia in IatiActivity.objects.filter(identifier__in=identifiers)
                  if any(d.get("iso") for d in ia.data.get("dates") or []))


def test_export_of_jica_is_valid_and_round_trips(tmp_path):
    """JICA's activities are written only on request, as JICA published them; those without a date are
    left out (the schema needs one, none is invented); the rest import again as the same ledger."""
    run_import(JICA)
    assert exported(include_imported=False).count(b"<iati-activity ") == 0
    with_dates = dated(IatiActivity.objects.values_list("identifier", flat=True))
    assert len(with_dates) == 33
    left_out = []
    xml = exported(left_out=left_out)
    tree = assert_valid(xml)
    assert sorted(a.findtext("iati-identifier") for a in tree.getroot()) == with_dates
    assert len(left_out) == 45 and {reason for _id, reason in left_out} == {"no_date"}
    assert {a.find("reporting-org").get("ref") for a in tree.getroot()} == {"XM-DAC-701-8"}
    assert not tree.getroot().xpath("//@pledgewatch:placeholder", namespaces={"pledgewatch": PW_NS})
    before = {k: v for k, v in snapshot().items() if k in with_dates}
    path = tmp_path / "export.xml"
    path.write_bytes(xml)
    wipe()
    summary = run_import(path)
    assert summary["errors"] == []
    assert summary["activities"]["new"] == 33
    after = snapshot()
    for key, value in before.items():
        assert after[key] == value, key
    assert after == before
    # and a second export of the re-imported ledger is the same document (but for generation times)
    again = exported()
    assert etree.tostring(STRIP(etree.parse(io.BytesIO(again)))) == etree.tostring(STRIP(tree))


STRIP = etree.XSLT(etree.XML(
    b'<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">'
    b'<xsl:template match="@*|node()"><xsl:copy><xsl:apply-templates select="@*|node()"/></xsl:copy>'
    b'</xsl:template><xsl:template match="@generated-datetime"/><xsl:template match="@last-updated-datetime"/>'
    b'</xsl:stylesheet>'))


def test_hostile_survivors_and_official_example_export_valid(tmp_path):
    run_import(HOSTILE, EXAMPLE)
    xml = exported()
    tree = assert_valid(xml)
    written = [a.findtext("iati-identifier") for a in tree.getroot()]
    before = {k: v for k, v in snapshot().items() if k in written}
    path = tmp_path / "export.xml"
    path.write_bytes(xml)
    wipe()
    run_import(path)
    assert snapshot() == before


def test_manual_commitments_export_valid(seeded):
    xml = exported(Commitment.objects.filter(initiatives=seeded))
    tree = assert_valid(xml)
    ids = [a.findtext("iati-identifier") for a in tree.getroot()]
    assert len(ids) == Commitment.objects.filter(initiatives=seeded).count()
    assert all(i.startswith("XI-PLEDGEWATCH-") for i in ids)
    loan = Commitment.objects.get(title_en="Yen loan for livestock promotion")
    el = tree.getroot().find(f"iati-activity[iati-identifier='XI-PLEDGEWATCH-{loan.pk}']")
    assert el.find("default-finance-type").get("code") == "421"
    assert [r.get("code") for r in el.iterfind("recipient-country")] == ["UZ"]


def test_streamed_chunks_make_the_same_document():
    """iter_export yields the document in chunks (one activity at a time), equal to export's output."""
    from datetime import UTC, datetime

    from pledgewatch.iati.exporter import iter_export

    run_import(JICA)
    when = datetime(2026, 11, 28, tzinfo=UTC)
    buffer = io.BytesIO()
    assert export(buffer, Commitment.objects.all(), generated=when, include_imported=True) == 33
    chunks = list(iter_export(Commitment.objects.all(), generated=when, chunk=4096, include_imported=True))
    assert len(chunks) > 10
    assert b"".join(chunks) == buffer.getvalue()
    assert buffer.getvalue().count(b"<iati-activity ") == 33
    assert CommitmentCountry.objects.filter(share=Decimal(100)).exists()
