"""Wrong encodings (tests/fixtures/hostile/encodings/): each import refuses or decodes them, and nothing is lost.

The files are written by tests/fixtures/hostile/make_encodings.py: the same small texts in Shift_JIS, EUC-JP,
UTF-16 with and without BOM, Latin-1 and damaged UTF-8.
"""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from pledgewatch.ledger.encodings import decode_utf8, guess_encoding
from tests.security.hostile import CORPUS

pytestmark = pytest.mark.django_db

ENCODINGS = CORPUS / "encodings"
GUESSES = {
    "commitments-shift_jis.csv": "Shift_JIS", "commitments-euc-jp.csv": "EUC-JP",
    "commitments-utf-16-bom.csv": "UTF-16", "commitments-utf-16le-nobom.csv": "UTF-16LE",
    "commitments-latin-1.csv": "Latin-1/Windows-1252", "commitments-invalid-utf-8.csv": "UTF-8 with invalid bytes",
    "commitments-shift_jis.json": "Shift_JIS", "commitments-utf-16-bom.json": "UTF-16",
    "commitments-csv-renamed.xlsx": "Shift_JIS",
    "members-shift_jis.csv": "Shift_JIS", "members-euc-jp.csv": "EUC-JP", "members-utf-16-bom.csv": "UTF-16",
    "members-latin-1.csv": "Latin-1/Windows-1252", "members-invalid-utf-8.csv": "Latin-1/Windows-1252",
    "press-shift_jis.txt": "Shift_JIS", "press-euc-jp.txt": "EUC-JP", "press-utf-16-bom.txt": "UTF-16",
}


def test_the_corpus_is_what_make_encodings_writes():
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_encodings", CORPUS / "make_encodings.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert {p.name: p.read_bytes() for p in ENCODINGS.iterdir()} == module.FILES


@pytest.mark.parametrize("name", sorted(GUESSES))
def test_encoding_is_named(name):
    data = (ENCODINGS / name).read_bytes()
    assert guess_encoding(data) == GUESSES[name]
    text, position, encoding = decode_utf8(data)
    assert (text, encoding) == (None, GUESSES[name])
    with pytest.raises(UnicodeDecodeError) as info:
        data.decode("utf-8")
    assert position == info.value.start


def test_utf8_with_and_without_bom_is_read():
    assert decode_utf8("email\n田中@example.org\n".encode()) == ("email\n田中@example.org\n", 0, "")
    assert decode_utf8(b"\xef\xbb\xbfemail\n") == ("email\n", 0, "")


# ---------------------------------------------------------------- newsletter members import

MEMBER_FILES = sorted(n for n in GUESSES if n.startswith("members-"))


@pytest.mark.parametrize("name", MEMBER_FILES)
def test_members_import_refuses_a_file_that_is_not_utf8(cli, name):
    from pledgewatch.newsletter.models import Member

    path = ENCODINGS / name
    position = decode_utf8(path.read_bytes())[1]
    status, out, err = cli("newsletter", "members", "import", str(path), "--confirmed")
    assert (status, out) == (1, "")
    assert err == (f"{name} is not UTF-8 text (byte {position}; it looks like {GUESSES[name]}). Save it as CSV "
                   "UTF-8 and import it again; nothing was imported.\n")
    assert Member.objects.count() == 0


def test_members_import_error_in_japanese(cli):
    status, _out, err = cli("newsletter", "members", "import", str(ENCODINGS / "members-shift_jis.csv"), lang="ja")
    assert status == 1
    assert err == ("members-shift_jis.csv は UTF-8 のテキストではありません（68 バイト目。Shift_JIS と思われます）。"
                   "CSV UTF-8 で保存し直してから、もう一度取り込んでください。何も取り込んでいません。\n")


def test_members_import_of_the_same_text_in_utf8_works(cli, tmp_path):
    from pledgewatch.ledger.models import Country
    from pledgewatch.newsletter.models import Member

    Country.objects.get_or_create(code="UZ", defaults={"iso3": "UZB", "name_en": "Uzbekistan", "name_ja": "UZ"})
    text = (ENCODINGS / "members-shift_jis.csv").read_bytes().decode("shift_jis")
    path = tmp_path / "members.csv"
    path.write_text(text, encoding="utf-8")
    assert cli("newsletter", "members", "import", str(path), "--confirmed")[:2] == (
        0, "2 members created, 0 updated.\n")
    assert sorted(Member.objects.values_list("email", flat=True)) == ["enc-member@example.org", "tanaka@例え.jp"]


# ---------------------------------------------------------------- commitments import (CSV, JSON, XLSX)

COMMITMENT_FILES = sorted(n for n in GUESSES if n.startswith("commitments-"))


@pytest.fixture
def one_commitment(db):
    from pledgewatch.ledger.models import Commitment

    return Commitment.objects.create(ref="enc-test-1", title_ja="既存の約束", instrument="grant",
                                     qualifier="undisclosed")


def ledger_state():
    from pledgewatch.ledger.models import Commitment, StageChange

    return (Commitment.objects.count(), Commitment.history.count(), StageChange.objects.count(),
            sorted(Commitment.objects.values_list("ref", "title_ja", "amount")))


@pytest.mark.parametrize("name", COMMITMENT_FILES)
def test_commitments_import_refuses_wrong_encodings_and_changes_nothing(one_commitment, name):
    before = ledger_state()
    fmt = name.rsplit(".", 1)[1]
    with pytest.raises(CommandError) as info:
        call_command(f"import_{fmt}", str(ENCODINGS / name))
    assert str(ENCODINGS / name) in str(info.value)
    assert ledger_state() == before


@pytest.mark.parametrize("name", [n for n in COMMITMENT_FILES if not n.endswith(".xlsx")])
def test_commitments_import_names_the_detected_encoding(one_commitment, name):
    with pytest.raises(CommandError) as info:
        call_command(f"import_{name.rsplit('.', 1)[1]}", str(ENCODINGS / name))
    assert GUESSES[name] in str(info.value)


# ---------------------------------------------------------------- press texts

@pytest.mark.parametrize("name", ["press-shift_jis.txt", "press-euc-jp.txt", "press-utf-16-bom.txt"])
def test_press_texts_in_japanese_encodings_are_read_exactly(name, capsys):
    call_command("extract", str(ENCODINGS / name), "--format", "json")
    result = json.loads(capsys.readouterr().out)
    assert [(c["recipients"], c["amount"], c["date"]) for c in result["commitments"]] == [
        (["UZ"], {"amount": "21368000000", "currency": "JPY", "qualifier": "up_to"}, "2025-12-17")]


def test_press_text_in_no_encoding_is_refused_with_its_name(capsys):
    from django.utils import translation

    path = ENCODINGS / "press-invalid-utf-8.txt"
    with translation.override("en"), pytest.raises(CommandError):
        call_command("extract", str(path), "--format", "json")
    assert f"{path}: cannot read: not a text file (no character encoding fits)" in capsys.readouterr().err


def test_review_queue_upload_of_undecodable_bytes_stores_nothing(admin_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from pledgewatch.ledger.models import SourceText
    from pledgewatch.press.models import Submission

    upload = SimpleUploadedFile("bad.txt", (ENCODINGS / "press-invalid-utf-8.txt").read_bytes())
    response = admin_client.post("/review/?lang=en", {"text": "", "file": upload}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "The text cannot be read: not a text file (no character encoding fits)" in response.content.decode()
    assert (Submission.objects.count(), SourceText.objects.count()) == (0, 0)
