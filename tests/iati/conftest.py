"""Fixtures of the IATI tests: English messages, the fixture folders, a helper to import."""

from pathlib import Path

import pytest
from django.utils import translation

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "iati"
JICA = FIXTURES / "jica"
HOSTILE = FIXTURES / "hostile"
EXAMPLE = FIXTURES / "activity-standard-example-annotated-2.03.xml"
JICA_NAME = "Japan International Cooperation Agency"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def run_import(*paths, **filters):
    """Import paths with the given filters and return the summary as JSON data."""
    from pledgewatch.iati.importer import Filters, Importer

    return Importer(Filters(**filters)).run([str(p) for p in paths]).as_json()


def activity_xml(identifier: str, *, body: str = "", attrs: str = "", status: str = "2",
                 country: str = "KZ", amount: str = "1000", when: str = "2026-01-05") -> str:
    """Return one iati-activity element as text (a small, schema-shaped activity)."""
    return f"""<iati-activity default-currency="JPY" {attrs}>
  <iati-identifier>{identifier}</iati-identifier>
  <reporting-org ref="XM-DAC-701-8" type="10"><narrative>{JICA_NAME}</narrative></reporting-org>
  <title><narrative xml:lang="en">Activity {identifier}</narrative></title>
  <participating-org ref="XM-DAC-701-8" role="3" type="10"><narrative>{JICA_NAME}</narrative>
  </participating-org>
  <activity-status code="{status}"/>
  <activity-date iso-date="{when}" type="2"/>
  <recipient-country code="{country}" percentage="100"/>
  <sector code="21020" vocabulary="1" percentage="100"/>
  <default-finance-type code="410"/>
  {body}
  <transaction><transaction-type code="2"/><transaction-date iso-date="{when}"/>
   <value value-date="{when}">{amount}</value></transaction>
 </iati-activity>"""


def activities_file(path: Path, *activities: str, version: str = "2.03") -> Path:
    """Write an iati-activities file with the given activity elements and return its path."""
    path.write_text(f'<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="{version}">\n'
                    + "\n".join(activities) + "\n</iati-activities>\n", encoding="utf-8")
    return path
