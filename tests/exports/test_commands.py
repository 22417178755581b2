"""`pledgewatch export csv|xlsx|json` through the real CLI entry point and call_command."""

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from pledgewatch.cli import main


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_export_to_a_file(ledger, tmp_path, fmt, capsys, monkeypatch):
    monkeypatch.setenv("PLEDGEWATCH_LANG", "en")
    out = tmp_path / f"c.{fmt}"
    assert main(["export", fmt, "--initiative", "ca-jad-tokyo-initiative", "--lang", "ja", "-o", str(out)]) == 0
    assert capsys.readouterr().err == f"Wrote {out}.\n"
    from pledgewatch.exports.formats import FORMATS

    rows = [row for _pos, row in FORMATS[fmt].read(out)]
    assert len(rows) == 7
    assert {r["ref"]: r["instrument_label"] for r in rows}["uz-livestock-yen-loan"] == "借款"


def test_export_csv_to_stdout_with_filters(ledger, capfdbinary):
    call_command("export_csv", "--country", "KG", "--lang", "en")
    text = capfdbinary.readouterr().out.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert sorted(r["ref"] for r in rows) == ["ca5-undp-disaster-risk-reduction", "kg-bridge-replacement",
                                              "kg-power-system-maintenance", "kz-usd-investment"]


def test_export_json_stdout(ledger, capfdbinary):
    call_command("export_json", "--stage", "announced", "--lang", "en")
    data = json.loads(capfdbinary.readouterr().out)
    assert [c["ref"] for c in data["commitments"]] == ["kz-usd-investment"]


def test_export_errors(ledger):
    with translation.override("en"), pytest.raises(CommandError, match=r"^Unknown instrument: bond$"):
        call_command("export_csv", "--instrument", "bond")
    with translation.override("en"), pytest.raises(CommandError, match=r"^Unknown initiative: nope$"):
        call_command("export_csv", "--initiative", "nope")
