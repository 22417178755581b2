"""IATI codelists shipped in `data/codelists/` (IATI Standard, CC BY 4.0): labels for codes."""

from functools import cache
from pathlib import Path

from lxml import etree

from pledgewatch.iati.parser import SAFE

DATA = Path(__file__).resolve().parent / "data"
CODELISTS = DATA / "codelists"
SCHEMA = DATA / "schema" / "iati-activities-schema.xsd"


@cache
def codelist(name: str) -> dict[str, dict[str, str]]:
    """Return {code: {language: label}} of a codelist ("Sector", "ActivityStatus", …)."""
    for folder in ("embedded", "non-embedded"):
        path = CODELISTS / folder / f"{name}.xml"
        if path.exists():
            break
    else:
        raise KeyError(name)
    tree = etree.parse(str(path), etree.XMLParser(**{k: v for k, v in SAFE.items() if k != "dtd_validation"}))
    result: dict[str, dict[str, str]] = {}
    for item in tree.iterfind(".//codelist-item"):
        code = (item.findtext("code") or "").strip()
        labels = {}
        for n in item.iterfind("name/narrative"):
            lang = n.get("{http://www.w3.org/XML/1998/namespace}lang", "en")[:2].lower()
            labels.setdefault(lang, (n.text or "").strip())
        result[code] = labels
    return result


@cache
def statuses(name: str) -> dict[str, str]:
    """Return {code: status} ("active" or "withdrawn") of a codelist."""
    for folder in ("embedded", "non-embedded"):
        path = CODELISTS / folder / f"{name}.xml"
        if path.exists():
            break
    else:
        raise KeyError(name)
    tree = etree.parse(str(path), etree.XMLParser(**{k: v for k, v in SAFE.items() if k != "dtd_validation"}))
    return {(i.findtext("code") or "").strip(): i.get("status") or "active" for i in tree.iterfind(".//codelist-item")}


def status(name: str, code: str | None) -> str:
    """Return "active", "withdrawn" or "" (not in the codelist) of a code."""
    return statuses(name).get(str(code or ""), "")


def label(name: str, code: str | None, language: str = "en") -> str:
    """Return the codelist label of code in language (English when that language has none), or ""."""
    if not code:
        return ""
    labels = codelist(name).get(str(code), {})
    return labels.get(language[:2]) or labels.get("en", "")


@cache
def schema() -> etree.XMLSchema:
    """Return the official IATI 2.03 activity schema (shipped with the package)."""
    return etree.XMLSchema(etree.parse(str(SCHEMA)))
