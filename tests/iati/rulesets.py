"""Evaluate IATI-Rulesets (`standard.json`, version 2.03) over an IATI XML document.

The rules are data: each context is an XPath, each rule kind (atleast_one, no_more_than_one, one_or_all,
unique, startswith, regex_matches, no_spaces, strict_sum, sum, range, date_order, date_now, time_limit,
between_dates, if_then, loop, dependent) maps to cases of XPath expressions. This module implements
the kinds as IATI-Rulesets' SPEC_JS.rst describes them (a `condition` that is false skips the case) and
returns every failure with its rule id, severity and activity. Run it from the command line to count
the failures of a file:

    python -m tests.iati.rulesets export.xml
"""

import json
import re
import sys
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from lxml import etree

DATA = Path(__file__).resolve().parents[2] / "pledgewatch" / "iati" / "data"
RULESET = DATA / "rulesets" / "standard.json"
AGENCIES = DATA / "codelists" / "non-embedded" / "OrganisationRegistrationAgency.xml"
# what "all" of a one_or_all case asks of every element when "one" is missing
ALL_OF = {"lang": (".//narrative", "@xml:lang"), "currency": (".//value", "@currency"),
          "sector": ("transaction", "sector")}


@dataclass(frozen=True)
class Failure:
    rule: str
    severity: str
    kind: str
    activity: str
    message: str


def load(path: Path = RULESET) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def org_id_prefixes() -> list[str]:
    """Return the approved registration agency codes (the ORG-ID-PREFIX id set)."""
    tree = etree.parse(str(AGENCIES))
    return [c.text.strip() for c in tree.iterfind(".//codelist-item/code") if c.text]


class Evaluator:
    """Apply a ruleset to a parsed document; `today` pins "now" for the date rules."""

    def __init__(self, ruleset: dict | None = None, *, today: date | None = None):
        self.ruleset = ruleset if ruleset is not None else load()
        self.today = today or date.today()
        self.prefixes = org_id_prefixes()

    def run(self, tree) -> list[Failure]:
        root = tree.getroot() if hasattr(tree, "getroot") else tree
        failures: list[Failure] = []
        for context, rules in self.ruleset.items():
            for el in root.getroottree().xpath(context):
                for kind, body in rules.items():
                    for case in body["cases"]:
                        failures.extend(self.case(el, kind, case))
        return failures

    def case(self, el, kind: str, case: dict) -> list[Failure]:
        if kind == "loop":
            return self.loop(el, case)
        if case.get("condition") and not self.xp(el, case["condition"]):
            return []
        passed = getattr(self, kind)(el, case)
        if passed:
            return []
        info = case["ruleInfo"]
        return [Failure(info["id"], info["severity"], kind, _activity_of(el), info["message"])]

    # ------------------------------------------------------------ helpers

    def xp(self, el, expr: str):
        return el.xpath(expr)

    def values(self, el, paths) -> list[str]:
        result = []
        for p in paths:
            found = self.xp(el, p)
            for v in found if isinstance(found, list) else [found]:
                result.append(v if isinstance(v, str) else (v.text or "") if hasattr(v, "text") else str(v))
        return result

    def date_at(self, el, expr: str) -> date | None:
        if expr == "NOW":
            return self.today
        found = self.values(el, [expr])
        for v in found:
            try:
                return datetime.fromisoformat(v.strip().replace("Z", "+00:00")).date() if "T" in v else \
                    date.fromisoformat(v.strip()[:10])
            except ValueError:
                continue
        return None

    # ------------------------------------------------------------ kinds

    def atleast_one(self, el, case) -> bool:
        return any(self.xp(el, p) for p in case["paths"])

    def no_more_than_one(self, el, case) -> bool:
        return sum(len(self.xp(el, p)) for p in case["paths"]) <= 1

    def dependent(self, el, case) -> bool:
        present = [bool(self.xp(el, p)) for p in case["paths"]]
        return all(present) or not any(present)

    def one_or_all(self, el, case) -> bool:
        if self.xp(el, case["one"]):
            return True
        elements, needed = ALL_OF[case["all"]]
        return all(e.xpath(needed) for e in el.xpath(elements))

    def unique(self, el, case) -> bool:
        values = [v.strip() for v in self.values(el, case["paths"])]
        return len(values) == len(set(values))

    def startswith(self, el, case) -> bool:
        prefixes = []
        for p in case["prefix"]:
            prefixes += self.prefixes if p == "ORG-ID-PREFIX" else self.values(el, [p])
        separator = case.get("separator", "")
        return all(any(v.startswith(p + separator) for p in prefixes if p)
                   for v in self.values(el, case["paths"]))

    def regex_matches(self, el, case) -> bool:
        pattern = re.compile(case["regex"])
        return all(pattern.search(v) for v in self.values(el, case["paths"]))

    def regex_no_matches(self, el, case) -> bool:
        pattern = re.compile(case["regex"])
        return not any(pattern.search(v) for v in self.values(el, case["paths"]))

    def no_spaces(self, el, case) -> bool:
        return all(v == v.strip() for v in self.values(el, case["paths"]))

    def strict_sum(self, el, case) -> bool:
        try:
            total = sum((Decimal(v.strip()) for v in self.values(el, case["paths"])), Decimal(0))
        except InvalidOperation:
            return False
        return total == Decimal(str(case["sum"]))

    sum = strict_sum

    def range(self, el, case) -> bool:
        low, high = Decimal(str(case.get("min", "-Infinity"))), Decimal(str(case.get("max", "Infinity")))
        try:
            return all(low <= Decimal(v.strip()) <= high for v in self.values(el, case["paths"]))
        except InvalidOperation:
            return False

    def date_order(self, el, case) -> bool:
        less, more = self.date_at(el, case["less"]), self.date_at(el, case["more"])
        return less is None or more is None or less <= more

    def date_now(self, el, case) -> bool:
        when = self.date_at(el, case["date"])
        return when is None or when <= self.today

    def time_limit(self, el, case) -> bool:
        start, end = self.date_at(el, case["start"]), self.date_at(el, case["end"])
        return start is None or end is None or (end - start).days <= 366

    def between_dates(self, el, case) -> bool:
        when, start, end = (self.date_at(el, case[k]) for k in ("date", "start", "end"))
        return None in (when, start, end) or start <= when <= end

    def if_then(self, el, case) -> bool:
        return not self.xp(el, case["if"]) or bool(self.xp(el, case["then"]))

    def loop(self, el, case) -> list[Failure]:
        failures = []
        for value in sorted(set(self.values(el, [case["foreach"]]))):
            for kind, body in case["do"].items():
                for sub in body["cases"]:
                    sub = dict(sub)
                    for key in case.get("subs", []):
                        if isinstance(sub.get(key), list):
                            sub[key] = [p.replace("$1", value) for p in sub[key]]
                        elif isinstance(sub.get(key), str):
                            sub[key] = sub[key].replace("$1", value)
                    failures.extend(self.case(el, kind, sub))
        return failures


def _activity_of(el) -> str:
    for node in [el, *el.iterancestors()]:
        if node.tag == "iati-activity":
            return node.findtext("iati-identifier") or "?"
    return ""


def check(xml: bytes | str | Path, *, today: date | None = None) -> list[Failure]:
    """Return the failures of an IATI document (bytes, text or a path)."""
    if isinstance(xml, Path):
        tree = etree.parse(str(xml))
    else:
        tree = etree.fromstring(xml.encode() if isinstance(xml, str) else xml).getroottree()
    return Evaluator(today=today).run(tree)


def summary(failures: list[Failure]) -> dict:
    """Return {severity: {rule id: count}}."""
    result: dict = {}
    for f in failures:
        result.setdefault(f.severity, Counter())[f.rule] += 1
    return {k: dict(sorted(v.items())) for k, v in sorted(result.items())}


if __name__ == "__main__":
    for name in sys.argv[1:]:
        found = check(Path(name))
        counts = summary(found)
        print(name, {k: sum(v.values()) for k, v in counts.items()}, json.dumps(counts))
