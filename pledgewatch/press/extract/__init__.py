"""The extraction engine: press texts (ja, en; text or HTML) → proposed commitments with evidence spans."""

from pledgewatch.press.extract.core import Item, Result, extract, extract_items
from pledgewatch.press.extract.text import prepare

__all__ = ["Item", "Result", "extract", "extract_items", "prepare"]
