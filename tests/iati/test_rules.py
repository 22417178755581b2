"""The export by IATI's own rules (IATI-Rulesets 2.03 standard.json), publisher identity, and the demo
ledger's round trip: export → import into an empty database → export gives the same activities."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from lxml import etree

from pledgewatch.iati.demo import load_bundled_history
from pledgewatch.iati.exporter import export
from pledgewatch.iati.models import IatiActivity, ImportedFile
from pledgewatch.ledger.models import Commitment, CommitmentCountry, Document, Organisation, StageChange
from tests.iati import rulesets
from tests.iati.conftest import activities_file, activity_xml, run_import
from tests.iati.test_export import STRIP, assert_valid

pytestmark = pytest.mark.django_db
NS = {"pledgewatch": "urn:pledgewatch:iati"}


def exported(qs=None, **kwargs) -> bytes:
    buffer = io.BytesIO()
    export(buffer, qs if qs is not None else Commitment.objects.all(), **kwargs)
    return buffer.getvalue()


def errors(xml: bytes) -> list:
    return [f for f in rulesets.check(xml) if f.severity == "error"]


@pytest.fixture
def demo(seeded):
    """The demo ledger: the CA+JAD seed and the bundled JICA history."""
    load_bundled_history()
    return seeded


# ------------------------------------------------------------------ the evaluator itself

def test_evaluator_finds_the_failures_the_issue_names():
    """A document with the faults of the old export fails exactly the rules that name them."""
    xml = b"""<iati-activities version="2.03"><iati-activity xml:lang="en" default-currency="JPY"
      last-updated-datetime="2026-01-01T00:00:00Z">
      <iati-identifier>XI-PLEDGEWATCH-1</iati-identifier>
      <reporting-org ref="XM-DAC-701" type="10"><narrative>Japan</narrative></reporting-org>
      <title><narrative>t</narrative></title><description type="1"><narrative/></description>
      <participating-org role="1" ref="XM-DAC-701"/>
      <activity-status code="2"/><activity-date iso-date="2025-12-20" type="3"/>
      <recipient-country code="KZ"/><recipient-country code="UZ"/>
      <default-finance-type code="410"/></iati-activity></iati-activities>"""
    found = rulesets.summary(rulesets.check(xml, today=date(2026, 12, 1)))
    assert found == {"error": {"3.1.1": 1, "3.1.2": 1, "4.4.1": 1, "6.11.1": 1, "6.2.2": 1},
                     "warning": {"1.1.21": 1}}


def test_evaluator_date_and_sum_rules():
    xml = b"""<iati-activities version="2.03"><iati-activity xml:lang="en" default-currency="JPY"
      last-updated-datetime="2030-01-01T00:00:00Z">
      <iati-identifier>XI-X-1</iati-identifier>
      <reporting-org ref="XI-X" type="90"><narrative>x</narrative></reporting-org>
      <title><narrative>t</narrative></title><description><narrative>d</narrative></description>
      <participating-org role="1" ref="XI-X"/><activity-status code="2"/>
      <activity-date iso-date="2027-01-01" type="2"/>
      <recipient-country code="KZ" percentage="60"/><recipient-country code="UZ" percentage="30"/>
      <sector code="11110" percentage="50"/><sector code="11120" percentage="50"/>
      <transaction><transaction-type code="2"/><transaction-date iso-date="2026-01-01"/>
       <value value-date="2026-01-01">1</value></transaction></iati-activity></iati-activities>"""
    found = rulesets.summary(rulesets.check(xml, today=date(2026, 12, 1)))
    assert found["error"] == {"11.1.1": 1, "11.1.4": 1, "3.1.2": 1}


# ------------------------------------------------------------------ the export by the rules

def test_tokyo_initiative_export_has_no_error(demo):
    xml = exported(Commitment.objects.filter(initiatives=demo))
    tree = assert_valid(xml)
    assert len(tree.getroot()) == 6
    assert errors(xml) == []
    assert rulesets.summary(rulesets.check(xml)) == {"warning": {"1.14.8": 6}}


def test_whole_ledger_export_has_no_error_and_only_our_activities(demo):
    xml = exported()
    tree = assert_valid(xml)
    assert errors(xml) == []
    ids = [a.findtext("iati-identifier") for a in tree.getroot()]
    assert len(ids) == 6 and all(i.startswith("XI-PLEDGEWATCH-") for i in ids)


def test_okfn_iati_validator_accepts_the_exports(demo):
    """A third-party validator (okfn-iati, PyPI): schema and its ruleset checks pass."""
    from okfn_iati.iati_schema_validator import IatiValidator

    validator = IatiValidator()
    for xml in (exported(Commitment.objects.filter(initiatives=demo)), exported(),
                exported(include_imported=True)):
        assert validator.validate(xml.decode("utf-8")) == (True, {"schema_errors": [], "ruleset_errors": []})


def test_publisher_identity_and_participants(demo, settings):
    settings.IATI_PUBLISHER = {"ref": "XI-IATI-EXAMPLE", "name": "Example watch", "type": "21"}
    tree = assert_valid(exported(Commitment.objects.filter(initiatives=demo)))
    loan = Commitment.objects.get(ref="uz-livestock-yen-loan")
    el = tree.getroot().find(f"iati-activity[iati-identifier='XI-IATI-EXAMPLE-{loan.pk}']")
    reporting = el.find("reporting-org")
    assert (reporting.get("ref"), reporting.get("type"), reporting.get("secondary-reporter")) == (
        "XI-IATI-EXAMPLE", "21", "1")
    assert reporting.findtext("narrative") == "Example watch"
    roles = [(o.get("role"), o.get("ref")) for o in el.iterfind("participating-org")]
    assert roles == [("1", "XM-DAC-701"), ("3", "XM-DAC-701-8"), ("2", None)]
    assert el.find("default-finance-type").get("code") == "421"
    assert [(d.get("type"), d.get("iso-date")) for d in el.iterfind("activity-date")] == [("2", "2025-12-20")]
    tx = el.find("transaction")
    assert tx.find("transaction-type").get("code") == "2"
    value = tx.find("value")
    assert (value.text, value.get("currency"), value.get("value-date"),
            value.get("{urn:pledgewatch:iati}qualifier")) == ("21368000000", "JPY", "2025-12-20", "approx")
    assert errors(etree.tostring(tree)) == []


def test_five_country_undp_activity_shares_and_sectors(demo):
    tree = assert_valid(exported(Commitment.objects.filter(ref="ca5-undp-disaster-risk-reduction")))
    el = tree.getroot()[0]
    assert [(r.get("code"), r.get("percentage")) for r in el.iterfind("recipient-country")] == [
        ("KG", "20"), ("KZ", "20"), ("TJ", "20"), ("TM", "20"), ("UZ", "20")]
    assert [(s.get("code"), s.get("percentage")) for s in el.iterfind("sector")] == [("43060", "50"), ("74020", "50")]
    undp = el.find("participating-org[@role='4']")
    assert (undp.get("ref"), undp.get("{urn:pledgewatch:iati}role")) == ("XM-DAC-41114", "channel")


def test_three_countries_split_to_exactly_100(demo):
    c = Commitment.objects.get(ref="kg-bridge-replacement")
    for code in ("KZ", "TJ"):
        CommitmentCountry.objects.create(commitment=c, country_id=code)
    el = assert_valid(exported(Commitment.objects.filter(pk=c.pk))).getroot()[0]
    assert [r.get("percentage") for r in el.iterfind("recipient-country")] == ["33.33", "33.33", "33.34"]
    assert errors(etree.tostring(el.getparent())) == []


def test_no_date_is_invented(demo):
    """An announced commitment gets a planned start; one without any date is left out and reported."""
    c = Commitment.objects.get(ref="kg-bridge-replacement")
    Commitment.objects.filter(pk=c.pk).update(stage="announced", stage_date=None, date=date(2026, 3, 1))
    StageChange.objects.filter(commitment=c).delete()
    el = assert_valid(exported(Commitment.objects.filter(pk=c.pk))).getroot()[0]
    assert [(d.get("type"), d.get("iso-date")) for d in el.iterfind("activity-date")] == [("1", "2026-03-01")]
    assert el.find("activity-status").get("code") == "1"
    Commitment.objects.filter(pk=c.pk).update(date=None)
    left_out = []
    assert exported(Commitment.objects.filter(pk=c.pk), left_out=left_out).count(b"<iati-activity ") == 0
    assert left_out == [(f"XI-PLEDGEWATCH-{c.pk}", "no_date")]


def test_export_command_include_imported(demo, tmp_path, capsys):
    out = tmp_path / "all.xml"
    call_command("export_iati", "-o", str(out))
    assert out.read_bytes().count(b"<iati-activity ") == 6
    call_command("export_iati", "--include-imported", "-o", str(out))
    assert out.read_bytes().count(b"<iati-activity ") == 6 + 33
    err = capsys.readouterr().err
    assert "XM-DAC-701-8-2014003090 left out: it has no date" in err
    assert "39 activities exported." in err


# ------------------------------------------------------------------ the round trip of the demo ledger

def _wipe():
    IatiActivity.objects.all().delete()
    ImportedFile.objects.all().delete()
    Commitment.objects.all().delete()
    Document.objects.all().delete()
    Organisation.objects.all().delete()


def test_demo_ledger_round_trip(demo, tmp_path):
    first = exported(include_imported=True)
    tree = assert_valid(first)
    assert len(tree.getroot()) == 39
    path = tmp_path / "demo.xml"
    path.write_bytes(first)
    _wipe()
    summary = run_import(path)
    assert summary["errors"] == []
    assert summary["activities"]["new"] == 39
    loan = Commitment.objects.get(title_en="Yen loan for livestock promotion")
    assert (loan.stage, loan.stage_date, loan.date) == ("signed", date(2025, 12, 20), date(2025, 12, 20))
    assert (loan.amount, loan.currency, loan.qualifier) == (Decimal("21368000000"), "JPY", "approx")
    undp = Commitment.objects.get(title_en__startswith="Regional disaster-risk reduction")
    assert undp.channel.iati_ref == "XM-DAC-41114"
    assert undp.recipient_organisations.count() == 5
    assert sorted((r.country_id, r.share, r.basis) for r in undp.recipients.all()) == [
        (code, Decimal(20), "stated") for code in ("KG", "KZ", "TJ", "TM", "UZ")]
    assert undp.dac_sector == "43060"
    second = exported(include_imported=True)
    assert [f for f in errors(second) if f.activity.startswith("XI-PLEDGEWATCH-")] == []
    again = STRIP(etree.parse(io.BytesIO(second))).getroot()
    before = {a.findtext("iati-identifier"): etree.tostring(a).decode() for a in STRIP(tree).getroot()}
    after = {a.findtext("iati-identifier"): etree.tostring(a).decode() for a in again}
    for key, value in before.items():
        assert after[key] == value, key
    assert after == before


# ------------------------------------------------------------------ codelists and recipients on import

def test_withdrawn_codes_are_kept_and_flagged(tmp_path):
    path = activities_file(tmp_path / "old.xml", activity_xml("XM-DAC-701-8-OLD1"))
    summary = run_import(path)
    assert summary["errors"] == []
    ia = IatiActivity.objects.get(identifier="XM-DAC-701-8-OLD1")
    assert ia.data["finance"] == "410"
    assert ia.commitment.instrument == "loan"
    assert summary["warnings"]["withdrawn_code"] == 1
    assert summary["warning_samples"]["withdrawn_code"] == [
        f"{path}:3: default-finance-type: code 410 of the FinanceType codelist is withdrawn; kept as published"]


def test_recipient_basis_from_import(tmp_path):
    stated = activity_xml("XM-DAC-701-8-S1", country="KZ")
    by_id = activity_xml("XM-DAC-701-8-I1", country="KZ").replace(
        '<recipient-country code="KZ" percentage="100"/>',
        '<other-identifier ref="JICAUZB-P99" type="A9"/><recipient-region code="619" vocabulary="1"/>')
    by_place = activity_xml("XM-DAC-701-8-L1", country="KZ").replace(
        '<recipient-country code="KZ" percentage="100"/>', '<recipient-region code="619" vocabulary="1"/>'
        '<location><name><narrative>Osh, Kyrgyz Republic</narrative></name></location>')
    run_import(activities_file(tmp_path / "b.xml", stated, by_id, by_place))
    got = {r.commitment.iati_identifier: (r.country_id, r.basis) for r in CommitmentCountry.objects.all()}
    assert got == {"XM-DAC-701-8-S1": ("KZ", "stated"), "XM-DAC-701-8-I1": ("UZ", "identifier"),
                   "XM-DAC-701-8-L1": ("KG", "location")}
    xml = exported(include_imported=True)
    tree = assert_valid(xml)
    countries = {a.findtext("iati-identifier"): [r.get("code") for r in a.iterfind("recipient-country")]
                 for a in tree.getroot()}
    assert countries == {"XM-DAC-701-8-S1": ["KZ"], "XM-DAC-701-8-I1": [], "XM-DAC-701-8-L1": []}


def test_counting_option_leaves_inferred_recipients_out(seeded):
    """A scope-rule match through an inferred recipient counts only while inferred recipients count."""
    from pledgewatch.ledger.counting import count, load_items, rules_for

    seeded.scope_by_rule = True
    seeded.save()
    c = Commitment.objects.create(title_en="Inferred", instrument="grant", stage="signed", date=date(2026, 1, 10),
                                  provider=seeded.scope_provider, amount=Decimal(5), currency="JPY")
    CommitmentCountry.objects.create(commitment=c, country_id="UZ", basis="identifier")

    def status() -> str:
        rules = rules_for(seeded)
        return next(x.status for x in count(load_items(seeded, rules), rules, None) if x.item.id == c.pk)

    assert status() == "counted"
    seeded.count_inferred_recipients = False
    seeded.save()
    assert rules_for(seeded).as_json()["scope"]["inferred_recipients"] is False
    assert c.pk not in {x.id for x in load_items(seeded, rules_for(seeded))}


def test_basis_in_api_detail_json_and_page(seeded, client):
    c = Commitment.objects.get(ref="kg-bridge-replacement")
    CommitmentCountry.objects.create(commitment=c, country_id="TJ", basis="location")
    api = client.get(f"/api/v1/commitments/{c.pk}").json()
    assert [(r["country"], r["basis"]) for r in api["recipients"]] == [("KG", "stated"), ("TJ", "location")]
    twin = client.get(f"/commitments/{c.pk}.json", HTTP_ACCEPT_LANGUAGE="en").json()
    assert [r["basis"] for r in twin["commitment"]["recipients"]] == [
        {"key": "stated", "label": "stated"}, {"key": "location", "label": "inferred from a location"}]
    html = client.get(f"/commitments/{c.pk}/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "[所在地から推定]" in html
