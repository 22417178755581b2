"""Read the records of a big JSON file one at a time: the `commitments` array of an export, or a top-level array.

Memory holds one record (and a read buffer), not the file: `json.JSONDecoder.raw_decode` decodes each
value from a sliding text buffer that is refilled as needed.
"""

import json
from collections.abc import Iterator

READ = 1 << 16
WHITESPACE = " \t\r\n"


class NotAList(ValueError):
    """Raised if the file holds neither a list nor an object with a "commitments" list."""


class _Buffer:
    def __init__(self, handle):
        self.handle, self.text, self.pos, self.eof = handle, "", 0, False
        self.decoder = json.JSONDecoder()

    def more(self) -> bool:
        if self.eof:
            return False
        chunk = self.handle.read(READ)
        if not chunk:
            self.eof = True
            return False
        if self.pos > READ:
            self.text, self.pos = self.text[self.pos:], 0
        self.text += chunk
        return True

    def peek(self) -> str:
        """Return the next character that is not white space ("" at the end)."""
        while True:
            while self.pos < len(self.text) and self.text[self.pos] in WHITESPACE:
                self.pos += 1
            if self.pos < len(self.text):
                return self.text[self.pos]
            if not self.more():
                return ""

    def expect(self, char: str) -> None:
        if self.peek() != char:
            raise json.JSONDecodeError(f"Expecting {char!r}", self.text, self.pos)
        self.pos += 1

    def value(self):
        """Decode the next JSON value, reading more text until it is complete."""
        self.peek()
        while True:
            try:
                value, end = self.decoder.raw_decode(self.text, self.pos)
            except json.JSONDecodeError:
                if self.more():
                    continue
                raise
            if end == len(self.text) and not self.eof and isinstance(value, int | float):
                self.more()  # a number may continue in the next chunk
                continue
            self.pos = end
            return value


def records(handle) -> Iterator:
    """Yield the items of the top-level array, or of the top-level object's "commitments" array."""
    buf = _Buffer(handle)
    first = buf.peek()
    if first == "{":
        buf.pos += 1
        while True:
            if buf.peek() == "}":
                raise NotAList("no commitments")
            key = buf.value()
            buf.expect(":")
            if key == "commitments" and buf.peek() == "[":
                break
            buf.value()  # another key of the header: skipped
            if buf.peek() == ",":
                buf.pos += 1
    elif first != "[":
        raise NotAList("not a list")
    buf.expect("[")
    if buf.peek() == "]":
        return
    while True:
        yield buf.value()
        following = buf.peek()
        if following == "]":
            return
        buf.expect(",")
