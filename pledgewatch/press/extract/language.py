"""Languages as plug-ins: the one interface a language module provides, the registry, and detection.

A language is one module (`ja.py`, `en.py`, `ru.py`) whose module-level names satisfy `Language`
below; `register()` checks every name when the module is added. `LANGUAGES` maps codes to modules;
the CLI's `--language` choices and `detect()` come from it. To add a language: write `xx.py` with
every name of `Language`, add it to `_MODULES`, and add its tests (tests/press/test_languages.py
checks the interface of every registered module).
"""

import importlib
import re
from typing import Protocol

from pledgewatch.press.exceptions import UnsupportedLanguage


class Language(Protocol):
    """What the engine (core.Reader, ListReading) asks of a language module."""

    CODE: str  # ISO 639-1 code, also the `language` of the JSON
    NAME: str  # the language's own name, for messages

    # Reading the text
    def detect_score(self, sample: str) -> float:
        """Return how much of a sample reads as this language, 0..1 (0.3 and more is taken)."""

    def find_amounts(self, text: str) -> list:
        """Return the amounts (numbers.Amount) of a width-normalised text, sorted by start."""

    def find_dates(self, text: str) -> list:
        """Return the dates (dates.FoundDate) of the text, month-day ones resolved from context."""

    def find_recipients(self, text: str) -> list[tuple[int, int, tuple[str, ...]]]:
        """Return (start, end, ISO2 codes) of every country or group named, sorted by start."""

    def sentences(self, text: str) -> list[tuple[int, int]]:
        """Return (start, end) of the sentences (and lines) of the text."""

    def horizon_years(self, sentence: str) -> int | None:
        """Return the number of years of a stated target ("over the next five years"), if any."""

    # Word order: True where the head comes first ("grant of 5 million for the X Project", «грант на …»);
    # then a name takes the amount before it, a list follows its cue ("includes …") and a country
    # named after listed items applies to them.
    HEAD_FIRST: bool
    INSTRUMENTS: list[tuple[str, str]]  # (pattern, instrument), first match wins
    INSTRUMENT_RE: re.Pattern  # INSTRUMENTS joined, groups i0, i1, …
    ACTIVITY_RE: re.Pattern  # activities standing for a grant-financed listed item
    ODA_RE: re.Pattern  # ODA words marking a sentence that may list items
    ENUMERATION_END_RE: re.Pattern  # 「…などが合意」 / "includes": where a list ends (or starts)
    CLAUSE_SEP_RE: re.Pattern  # where a sentence naming several projects is cut
    CLAUSE_MARKS: tuple[str, ...]  # separators that open a clause (context cues lead clauses)
    SEGMENT_SPLIT_RE: re.Pattern  # separators between listed items
    CHANNELS: dict[str, str]  # organisation name → code
    CHANNEL_RE: re.Pattern  # "through UNDP": group `name`
    TITLE_RE: re.Pattern  # project names: groups title, title2, title3 (any subset)
    TITLE_WORDS: re.Pattern | None  # a quoted (group `title`) name must contain one of these, when set
    DOCUMENTS: list[tuple[str, str]]  # (pattern, kind)
    DOCUMENT_RE: re.Pattern
    DOCUMENT_COUNT_RE: re.Pattern  # "150 documents": groups count, q
    COUNT_QUALIFIERS: dict[str, str]  # q of DOCUMENT_COUNT_RE (lower case) → qualifier
    TARGET_RE: re.Pattern  # a sentence stating a goal
    CONTEXT_RE: re.Pattern  # a sentence or clause with figures that are not commitments (cumulative, GDP)
    PAST_RE: re.Pattern  # a year named as the past ("in 2015"): group `year`
    TOTAL_RE: re.Pattern  # just before an amount: "a total of"
    TOTAL_AFTER_RE: re.Pattern | None  # at an amount's start: 「総額」
    ALLOCATION_RE: re.Pattern  # "will be directed to": an amount's sentence states an item without a cue
    EQUIVALENT_RE: re.Pattern  # between two amounts, the second restating the first in another currency
    RECIPIENT_PARTICLES: re.Pattern  # 「への」: stripped after a country in a listed title
    TITLE_JUNK: re.Pattern  # stripped from both ends of a listed title


NAMES = list(Language.__annotations__) + [
    n for n, v in vars(Language).items() if callable(v) and not n.startswith("_")]

_MODULES = ("ja", "en", "ru")
LANGUAGES: dict = {}


def register(module) -> None:
    """Add a language module, refusing one that lacks a name of the interface."""
    missing = [n for n in NAMES if not hasattr(module, n)]
    if missing:
        raise TypeError(f"language module {module.__name__} lacks {', '.join(missing)}")
    LANGUAGES[module.CODE] = module


def _load() -> None:
    for code in _MODULES:
        register(importlib.import_module(f"pledgewatch.press.extract.{code}"))


_load()
MIN_SCORE = 0.3


def get(code: str):
    """Return the module of a language code, or raise UnsupportedLanguage."""
    try:
        return LANGUAGES[code]
    except KeyError:
        raise UnsupportedLanguage(code, tuple(sorted(LANGUAGES))) from None


def detect(text: str) -> str:
    """Return the code of the language that reads best, or raise UnsupportedLanguage (no proposals)."""
    sample = text[:5000]
    scores = {code: module.detect_score(sample) for code, module in LANGUAGES.items()}
    best = max(scores, key=scores.get)
    if scores[best] < MIN_SCORE:
        raise UnsupportedLanguage(None, tuple(sorted(LANGUAGES)))
    return best
