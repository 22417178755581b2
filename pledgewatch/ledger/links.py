"""Addresses taken from the data (document and source URLs) become links only when they are http(s) or mailto."""

import re
from urllib.parse import urlsplit

LINK_SCHEMES = {"http", "https", "mailto"}
IGNORED_IN_URLS = re.compile(r"[\t\n\r]")  # browsers drop these anywhere in an address
C0_AND_SPACE = "".join(map(chr, range(33)))  # ... and these at its ends


def link_url(value) -> str:
    """Return the address when its scheme is http, https or mailto, else "" (javascript: is never a link)."""
    if not value:
        return ""
    text = IGNORED_IN_URLS.sub("", str(value)).strip(C0_AND_SPACE)
    try:
        scheme = urlsplit(text).scheme.lower()
    except ValueError:
        return ""
    return str(value) if scheme in LINK_SCHEMES else ""
