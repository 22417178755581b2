"""The streaming JSON reader: records one at a time, across read boundaries, with clear errors."""

import io
import json

import pytest

from pledgewatch.exports import jsonstream
from pledgewatch.exports.exceptions import UnreadableFile
from pledgewatch.exports.formats import FORMATS

RECORDS = [{"ref": "a", "title_en": "Ünïcode 東京", "amount": {"amount": "12.5", "currency": "JPY"}},
           {"ref": "b", "n": 1234567890123, "flag": True, "none": None, "list": [1, 2, {"x": "]"}]}]


@pytest.mark.parametrize("size", [1, 3, 7, 64, 1 << 16])
@pytest.mark.parametrize("document", [
    {"export_date": "2026-11-28", "filters": {"q": "[,]"}, "commitments": RECORDS, "after": 1},
    RECORDS,
])
def test_records_across_read_boundaries(monkeypatch, size, document):
    monkeypatch.setattr(jsonstream, "READ", size)
    text = json.dumps(document, ensure_ascii=False, indent=1)
    assert list(jsonstream.records(io.StringIO(text))) == RECORDS


def test_empty_and_not_a_list():
    assert list(jsonstream.records(io.StringIO('{"commitments": []}'))) == []
    with pytest.raises(jsonstream.NotAList):
        list(jsonstream.records(io.StringIO('{"other": [1]}')))
    with pytest.raises(jsonstream.NotAList):
        list(jsonstream.records(io.StringIO('"text"')))


def test_broken_file_is_reported(tmp_path):
    from django.utils import translation

    path = tmp_path / "broken.json"
    path.write_text('{"commitments": [{"ref": "a"}, {"ref": ', encoding="utf-8")
    with translation.override("en"), pytest.raises(UnreadableFile) as info:
        list(FORMATS["json"].read(path))
    assert str(info.value).startswith(f"{path} is not valid JSON: ")
    path.write_text('{"items": []}', encoding="utf-8")
    with translation.override("en"), pytest.raises(UnreadableFile, match=r"has no list of commitments\.$"):
        list(FORMATS["json"].read(path))
