"""IATI XML in the exports registry: the web download (same filters as CSV) and the CLI share one format."""

import io
import re

import pytest
from django.core.management import call_command
from lxml import etree

from pledgewatch.exports.formats import FORMATS, IMPORT_FORMATS
from pledgewatch.iati.codelists import schema
from pledgewatch.ledger.models import Commitment

pytestmark = pytest.mark.django_db
STAMP = re.compile(rb'generated-datetime="[^"]+"')


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_iati_is_a_registered_export_format_but_not_an_import_format():
    assert sorted(FORMATS) == ["csv", "iati", "json", "xlsx"]
    assert (FORMATS["iati"].extension, FORMATS["iati"].content_type) == ("xml", "application/xml")
    assert "iati" not in IMPORT_FORMATS


def test_web_download_is_valid_filtered_and_streamed(client, seeded):
    response = client.get("/exports/commitments.iati", {"initiative": seeded.slug, "country": "UZ"})
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "application/xml"
    assert re.fullmatch(r'attachment; filename="pledgewatch-commitments-\d{8}-\d{6}\.xml"',
                        response["Content-Disposition"])
    xml = body(response)
    tree = etree.parse(io.BytesIO(xml))
    xsd = schema()
    assert xsd.validate(tree), str(xsd.error_log)
    uz = Commitment.objects.filter(initiatives=seeded, recipients__country_id="UZ").distinct()
    assert sorted(a.findtext("iati-identifier") for a in tree.getroot()) == sorted(
        f"XI-PLEDGEWATCH-{pk}" for pk in uz.values_list("pk", flat=True))
    assert len(tree.getroot()) == uz.count() > 0


def test_web_download_equals_the_cli_export(client, seeded, tmp_path):
    web = body(client.get("/exports/commitments.iati", {"initiative": seeded.slug}))
    call_command("export_iati", "--initiative", seeded.slug, "-o", str(tmp_path / "cli.xml"), stderr=io.StringIO())
    cli = (tmp_path / "cli.xml").read_bytes()
    assert STAMP.sub(b"", web) == STAMP.sub(b"", cli)


def test_web_download_refuses_a_bad_filter(client, seeded):
    response = client.get("/exports/commitments.iati", {"year": "twenty"})
    assert response.status_code == 400
    response = client.get("/exports/commitments.iati", {"initiative": "nope", "lang": "en"})
    assert (response.status_code, response.content) == (400, b"Unknown initiative: nope\n")


@pytest.mark.parametrize(("lang", "message"), [
    ("en", "No activity to export for these filters: IATI's schema needs at least one. Activities imported from "
           "other publishers are not written here; their publishers' own files are the source.\n"),
    ("ja", "この条件で書き出す活動はありません（IATI のスキーマは 1 件以上の活動を必要とします）。他の公開者から"
           "取り込んだ活動はここでは書き出しません。その公開者自身のファイルが出典です。\n"),
])
def test_web_download_of_an_empty_selection_is_refused_not_an_invalid_file(client, seeded, lang, message):
    response = client.get("/exports/commitments.iati", {"initiative": seeded.slug, "country": "NP", "lang": lang})
    assert (response.status_code, response.content.decode()) == (404, message)
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert client.get("/exports/commitments.csv", {"country": "NP"}).status_code == 200  # other formats: a header
