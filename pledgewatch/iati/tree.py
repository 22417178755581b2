"""An lxml element's subtree as plain Python objects, for reading activities without lxml proxies.

`tree(elem)` returns `(tag, attrib, text, children, line)` for the element and, recursively, its
child elements: `tag` is `elem.tag`, `attrib` is `dict(elem.attrib)`, `text` is `elem.text`,
`children` the list of child element nodes (comments and processing instructions skipped) and `line`
is `elem.sourceline`. It uses the C extension `pledgewatch.iati._tree` (which reads libxml2's node
structs directly, about ten times faster) when it is built and gives the same result as the
pure-Python builder on a small known document; else, or with `PLEDGEWATCH_IATI_PURE=1`, the
pure-Python builder. `COMPILED` tells which one is used.
"""

import contextlib
import os

from lxml import etree

try:
    from pledgewatch.iati import _tree
except ImportError:  # the C extension is not built: the pure-Python builder is used
    _tree = None

ELEMENT = etree.Element  # iterchildren(tag=ELEMENT): element nodes only


def py_tree(elem) -> tuple:
    """Build the tree through the lxml API (the reference for the compiled builder)."""
    # comments, processing instructions and entities have a function as their tag: elements only
    return (elem.tag, dict(elem.items()), elem.text, [py_tree(c) for c in elem if c.tag.__class__ is str],
            elem.sourceline)


def _fill_lines(node: tuple, elem) -> tuple:
    """Return node with the lines the compiled builder left as None read from lxml (lines >= 65535)."""
    tag, attrib, text, children, line = node
    if line is None:
        line = elem.sourceline
    if children:
        for i, (child, child_elem) in enumerate(zip(children, elem.iterchildren(tag=ELEMENT), strict=True)):
            children[i] = _fill_lines(child, child_elem)
    return (tag, attrib, text, children, line)


def _load():
    """Return the compiled builder, or None when it is not built, fails to load or gives other results."""
    if _tree is None:
        return None
    unsupported = _tree.Unsupported
    build = _tree.tree

    def c_tree(elem) -> tuple:
        try:
            node = build(elem)
        except unsupported:  # an entity reference, an XInclude marker…: lxml's view of it
            return py_tree(elem)
        if node.__class__ is list:
            return _fill_lines(node[0], elem)
        return node

    probe = etree.fromstring(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<a xmlns:p="urn:p" xmlns="urn:d" x="1" p:y="2" xml:lang="ja"><!-- c --><?pi x?>\n'
        ' <b>t<![CDATA[<c>]]>u<i/>tail</b><p:c z=""/><e></e><f><![CDATA[]]></f>'
        '<g xmlns="">案件 Проект</g></a>'.encode())
    try:
        if c_tree(probe) != py_tree(probe):
            return None
    except Exception:
        return None
    # lines from 65,535 on: read by the extension as libxml2 reads them, where that gives lxml's lines
    # on a probe with text, empty, comment-led and nested elements there; else filled in from lxml
    big = etree.fromstring(b"<a>" + b"\n" * 65540 + b"<b>t<c/>\n<d>\n</d><!-- c -->\n<e/></b><f/>\n"
                           b"<g><!-- c --><h>x</h></g>\n<i>\n\n<j/></i></a>")
    with contextlib.suppress(Exception):
        _tree.big_lines(True)
        if c_tree(big) != py_tree(big):
            _tree.big_lines(False)
    return c_tree


c_tree = _load()
COMPILED = c_tree is not None and os.environ.get("PLEDGEWATCH_IATI_PURE", "") not in ("1", "true", "yes")
tree = c_tree if COMPILED else py_tree
