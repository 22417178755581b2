"""Generate IATI corpora of any size by varying the real JICA Central Asia activity files.

Each generated activity is a copy of one of the 81 real JICA activities with a new identifier, scaled
amounts, shifted dates, another recipient country (some gain one, some lose theirs) and, for some,
titles in Japanese and Russian as well. Files hold `per_file` activities, like a publisher's file.

    .venv/bin/python bench/iati/corpus.py 10000 /tmp/corpus-10k
"""

import copy
import re
import sys
from decimal import Decimal
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parents[2]
JICA = ROOT / "pledgewatch" / "iati" / "data" / "activities" / "jica-619-central-asia"
COUNTRIES = ["KZ", "KG", "TJ", "TM", "UZ", "AM", "AZ", "GE", "MN", "AF"]
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def templates() -> list:
    """Return the real JICA activity elements (sorted by file name)."""
    result = []
    for path in sorted(JICA.rglob("*.xml")):
        tree = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
        result.extend(tree.getroot().iterfind("iati-activity"))
    return result


def _shift(iso: str, years: int) -> str:
    y, rest = iso[:4], iso[4:]
    if rest == "-02-29":
        rest = "-02-28"
    return f"{int(y) + years:04d}{rest}"


def vary(template, i: int):
    """Return a variation number i of a template activity."""
    a = copy.deepcopy(template)
    ident = a.find("iati-identifier")
    ident.text = f"{ident.text}-G{i:07d}"
    years = i % 10
    for el in a.iter():
        iso = el.get("iso-date")
        if iso:
            el.set("iso-date", _shift(iso, years))
        if el.tag == "value":
            el.text = str((Decimal(el.text) * (100 + i % 97) / 100).quantize(Decimal(1)))
            if el.get("value-date"):
                el.set("value-date", _shift(el.get("value-date"), years))
    country = COUNTRIES[i % len(COUNTRIES)]
    existing = a.find("recipient-country")
    if existing is not None:
        existing.set("code", country)
    elif i % 3 == 0:
        region = a.find("recipient-region")
        new = etree.Element("recipient-country", code=country, percentage="100")
        (region.addprevious if region is not None else a.append)(new)
    if i % 5 == 0:
        title = a.find("title")
        for lang, text in (("ja", f"案件 {i}"), ("ru", f"Проект {i}")):
            n = etree.SubElement(title, "narrative")
            n.set(XML_LANG, lang)
            n.text = text
    return a


def generate(n: int, folder: Path, per_file: int = 500, varied: int = 10_000) -> list[Path]:
    """Write a corpus of n activities into folder (reused when complete) and return its files.

    The first `varied` activities are built one by one (vary()); beyond them, files are copies of those
    with new identifiers only (a byte substitution), so that a 1M corpus takes minutes, not hours.
    """
    folder.mkdir(parents=True, exist_ok=True)
    marker = folder / f".complete-{n}-{per_file}"
    if marker.exists():
        return sorted(folder.glob("*.xml"))
    base = templates()
    paths = []
    for start in range(0, n, per_file):
        path = folder / f"corpus-{start // per_file:05d}.xml"
        if start >= varied:
            paths.append(_copy_with_new_identifiers(folder, start, per_file, varied, path))
            continue
        with etree.xmlfile(str(path), encoding="utf-8") as xf:
            xf.write_declaration()
            with xf.element("iati-activities", {"version": "2.03"}):
                for i in range(start, min(n, start + per_file)):
                    xf.write(vary(base[i % len(base)], i))
        paths.append(path)
    marker.touch()
    return paths


IDENTIFIER = re.compile(rb"-G(\d{7})</iati-identifier>")


def _copy_with_new_identifiers(folder: Path, start: int, per_file: int, varied: int, path: Path) -> Path:
    """Write file number start/per_file as a copy of a varied file, identifiers renumbered from start."""
    source = folder / f"corpus-{(start % varied) // per_file:05d}.xml"
    shift = start - start % varied
    data = IDENTIFIER.sub(lambda m: b"-G%07d</iati-identifier>" % (int(m.group(1)) + shift), source.read_bytes())
    path.write_bytes(data)
    return path


if __name__ == "__main__":
    count, out = int(sys.argv[1]), Path(sys.argv[2])
    files = generate(count, out)
    print(f"{count} activities in {len(files)} files under {out}")
