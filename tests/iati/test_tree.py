"""pledgewatch.iati.tree (compiled and pure-Python) and read_activity on plain trees.

The compiled builder must give exactly the pure-Python builder's tree (lxml's own values), and
activity.read_activity exactly the Activity in the golden files (tests/iati/golden/README.md), in both modes.
"""

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from bench.iati.corpus import generate
from pledgewatch.iati import tree as T
from pledgewatch.iati.activity import FileHead, read_activity
from pledgewatch.iati.parser import SAFE
from tests.iati import golden
from tests.iati.conftest import FIXTURES

ROOT = Path(__file__).resolve().parents[2]
HOSTILE_XML = ROOT / "tests" / "fixtures" / "hostile"
FILES = sorted(FIXTURES.rglob("*.xml")) + sorted(HOSTILE_XML.rglob("*.xml"))
HEAD = FileHead(version="2.03", root_attrs={})
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

needs_c = pytest.mark.skipif(T.c_tree is None, reason="the C extension pledgewatch.iati._tree is not built "
                             "(pip install -e . builds it; without a compiler the pure-Python builder is used)")


def _activities(path: Path, **options):
    """Yield the activity elements of a file that parse (all of them up to a syntax error, if any)."""
    try:
        for _event, elem in etree.iterparse(str(path), events=("end",), tag="iati-activity", **(options or SAFE)):
            yield elem
    except (etree.XMLSyntaxError, OSError):  # what does not parse (wrong encoding, truncated): up to there
        return


def _root(path: Path, **options):
    try:
        return etree.parse(str(path), etree.XMLParser(**(options or SAFE))).getroot()
    except (etree.XMLSyntaxError, OSError):
        return None


def _check_tree(elem) -> tuple:
    expected = T.py_tree(elem)
    assert T.c_tree(elem) == expected
    return expected


# ---------------------------------------------------------------- compiled == pure-Python


@needs_c
def test_compiled_is_used_when_built():
    assert T.COMPILED is (os.environ.get("PLEDGEWATCH_IATI_PURE", "") not in ("1", "true", "yes"))


@needs_c
@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT / "tests" / "fixtures")))
def test_trees_of_fixture_files(path):
    count = 0
    for elem in _activities(path):
        _check_tree(elem)
        count += 1
    root = _root(path)
    if root is not None:
        _check_tree(root)
    # the same with entities and DTDs kept as libxml2 builds them (entity references: the fallback)
    root = _root(path, resolve_entities=False, no_network=True, load_dtd=False, remove_comments=False)
    if root is not None:
        _check_tree(root)
    assert count or root is None or etree.QName(root).localname != "iati-activities" or not len(root)


def _tree_of(xml: str | bytes, **options) -> tuple:
    root = etree.fromstring(xml.encode() if isinstance(xml, str) else xml, etree.XMLParser(**options))
    return _check_tree(root)


@needs_c
def test_text_cdata_and_empty():
    assert _tree_of("<a/>") == ("a", {}, None, [], 1)
    assert _tree_of("<a></a>") == ("a", {}, None, [], 1)
    assert _tree_of("<a><![CDATA[]]></a>") == ("a", {}, "", [], 1)
    assert _tree_of("<a><![CDATA[x<y>&]]></a>") == ("a", {}, "x<y>&", [], 1)
    assert _tree_of("<a>t<![CDATA[c]]>u<b/>v</a>") == ("a", {}, "tcu", [("b", {}, None, [], 1)], 1)
    assert _tree_of("<a>\n  <b>x</b>\n</a>") == ("a", {}, "\n  ", [("b", {}, "x", [], 2)], 1)
    assert _tree_of("<a>&amp;&#x41;&lt;</a>") == ("a", {}, "&A<", [], 1)
    # comments and processing instructions: not children; lxml's text stops at them
    assert _tree_of("<a>x<!--c-->y<?pi z?><b/>w</a>") == ("a", {}, "x", [("b", {}, None, [], 1)], 1)
    assert _tree_of("<a><!--c-->y</a>") == ("a", {}, None, [], 1)
    assert _tree_of("<a>x<!--c-->y</a>", remove_comments=True) == ("a", {}, "xy", [], 1)


@needs_c
def test_namespaces_and_attributes():
    node = _tree_of('<p:a xmlns:p="urn:p" xmlns:q="urn:q" p:x="1" y="2" q:y="3" e="" amp="a&amp;b&#233;">'
                    '<p:b/><c xmlns="urn:d"><d/></c><e xmlns=""/><narrative xml:lang="JA">案件</narrative></p:a>')
    assert node == ("{urn:p}a", {"{urn:p}x": "1", "y": "2", "{urn:q}y": "3", "e": "", "amp": "a&bé"}, None, [
        ("{urn:p}b", {}, None, [], 1), ("{urn:d}c", {}, None, [("{urn:d}d", {}, None, [], 1)], 1),
        ("e", {}, None, [], 1), ("narrative", {XML_LANG: "JA"}, "案件", [], 1)], 1)
    long_ns = "urn:" + "x" * 400  # longer than the name cache's keys
    assert _tree_of(f'<a xmlns="{long_ns}" xmlns:l="{long_ns}" l:{"n" * 300}="v"/>') == (
        f"{{{long_ns}}}a", {f"{{{long_ns}}}{'n' * 300}": "v"}, None, [], 1)


@needs_c
def test_non_ascii_names_text_and_attributes():
    xml = ('<活動 属性="値" имя="Проект">\n<名前 xml:lang="ja">日本の案件</名前>\n'
           '<название xml:lang="ru">Проект «Вода» ё</название>\n<e>😀 mixed ascii</e>\n</活動>')
    assert _tree_of(xml) == ("活動", {"属性": "値", "имя": "Проект"}, "\n", [
        ("名前", {XML_LANG: "ja"}, "日本の案件", [], 2),
        ("название", {XML_LANG: "ru"}, "Проект «Вода» ё", [], 3),
        ("e", {}, "😀 mixed ascii", [], 4)], 1)
    assert _tree_of(xml.encode("utf-16"))[0] == "活動"  # libxml2 holds UTF-8 whatever the file's encoding


@needs_c
def test_many_distinct_names_overflow_the_cache():
    xml = "<r>" + "".join(f'<t{i} a{i}="{i}"/>' for i in range(3000)) + "</r>"
    node = _tree_of(xml)
    assert [c[0] for c in node[3]] == [f"t{i}" for i in range(3000)]
    assert _tree_of(xml) == node  # again, from the cache and past it


@needs_c
def test_lines_past_65535(tmp_path):
    path = tmp_path / "long.xml"
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<iati-activities version="2.03">']
    lines += ["<!-- filler -->"] * 69_998
    lines += ['<iati-activity><iati-identifier>X-1</iati-identifier>',  # line 70001
              '<transaction><transaction-type code="2"/>',
              '<value>1</value></transaction>', "<title>", "<narrative>t</narrative></title>",
              "</iati-activity>", "</iati-activities>"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert len(path.read_text().splitlines()) == 70_007
    (elem,) = _activities(path)
    node = _check_tree(elem)
    assert node[4] == 70_001 == elem.sourceline
    # past 65535, libxml2 keeps the line in the following text node, so lxml's .sourceline of an element
    # without text (here <transaction>) is that of the next text it finds: lxml's value is what counts
    assert [c[4] for c in node[3]] == [c.sourceline for c in elem] and min(c[4] for c in node[3]) > 65_535
    assert [c[4] for c in node[3][1][3]] == [c.sourceline for c in elem[1]]
    activity = read_activity(elem, 1, HEAD)
    golden.check("long-lines.jsonl", [golden.line(golden.plain(activity))])
    assert activity.line == 70_001 and activity.transactions[0]["line"] == elem[1].sourceline > 70_001
    root = _root(path)
    _check_tree(root)


@needs_c
@pytest.mark.parametrize("keep_comments", [True, False])
def test_lines_past_65535_read_by_the_extension(keep_comments):
    """Past 65535 the extension reads the lines as libxml2 does (no lxml call); the fallback gives the same."""
    from pledgewatch.iati import _tree

    xml = (b"<a>" + b"\n" * 65_540 + b"<b>t<c/>\n<d>\n</d><!-- c -->\n<e/></b><f/>\n<g><!-- c --><h>x</h></g>\n"
           b"<i>\n\n<j/><k><![CDATA[x]]></k><?p i?><l/></i><m>\n<n/><o/></m>\n<p></p></a>")
    root = etree.fromstring(xml, etree.XMLParser(remove_comments=not keep_comments, remove_pis=not keep_comments))
    expected = T.py_tree(root)
    assert max(e.sourceline for e in root.iter()) > 65_540
    assert isinstance(_tree.tree(root), tuple)  # enabled when tree.py was imported: no line left to lxml
    assert _tree.tree(root) == expected
    _tree.big_lines(False)
    try:
        assert isinstance(_tree.tree(root), list)  # lines left as None, filled in from lxml
        assert T.c_tree(root) == expected
    finally:
        _tree.big_lines(True)


@needs_c
def test_entity_references_and_other_nodes_fall_back():
    from pledgewatch.iati import _tree

    xml = '<!DOCTYPE a [<!ENTITY e "ent">]><a x="1">t&e;u<b>&e;</b></a>'
    root = etree.fromstring(xml.encode(), etree.XMLParser(resolve_entities=False, load_dtd=False))
    with pytest.raises(_tree.Unsupported):
        _tree.tree(root)
    assert T.c_tree(root) == T.py_tree(root) == ("a", {"x": "1"}, "t", [("b", {}, None, [], 1)], 1)
    with pytest.raises(TypeError):
        _tree.tree("<a/>")
    with pytest.raises(_tree.Unsupported):
        _tree.tree(etree.Comment("c"))
    assert T.c_tree(etree.Comment("c")) == T.py_tree(etree.Comment("c"))


@needs_c
def test_xinclude_nodes(tmp_path):
    (tmp_path / "part.xml").write_text("<part>p</part>", encoding="utf-8")
    (tmp_path / "text.txt").write_text("included text", encoding="utf-8")
    main = tmp_path / "main.xml"
    main.write_text('<a xmlns:xi="http://www.w3.org/2001/XInclude">x<xi:include href="text.txt" parse="text"/>'
                    '<xi:include href="part.xml"/>y</a>', encoding="utf-8")
    doc = etree.parse(str(main))
    doc.xinclude()
    root = doc.getroot()
    assert _check_tree(root)[3][0][0] == "part"


@needs_c
def test_built_trees_and_elements_from_the_api():
    root = etree.Element("{urn:x}r", a="1")
    etree.SubElement(root, "c").text = "t"
    assert _check_tree(root) == ("{urn:x}r", {"a": "1"}, None, [("c", {}, "t", [], None)], None)


@needs_c
def test_no_leak():
    elem = next(_activities(FIXTURES / "activity-standard-example-annotated-2.03.xml"))

    def rss() -> int:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    for _ in range(2000):
        T.c_tree(elem)
    before = rss()
    for _ in range(20_000):
        T.c_tree(elem)
    assert rss() - before < 4096  # KiB: a leak of one object per node would be hundreds of MiB


def test_pure_mode_from_the_environment():
    code = "from pledgewatch.iati import tree; print(tree.COMPILED, tree.tree is tree.py_tree)"
    env = dict(os.environ, PLEDGEWATCH_IATI_PURE="1")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.split() == ["False", "True"]


# ---------------------------------------------------------------- read_activity == the golden files


@pytest.fixture(params=["compiled", "pure"])
def mode(request, monkeypatch):
    if request.param == "compiled":
        if T.c_tree is None:
            pytest.skip("the C extension pledgewatch.iati._tree is not built")
        monkeypatch.setattr(T, "tree", T.c_tree)
    else:
        monkeypatch.setattr(T, "tree", T.py_tree)
    return request.param


def _read_file(path: Path) -> list[str]:
    """Return the golden lines of a file: per activity, its Activity read as is and read as Raw.read reads it."""
    lines = []
    for index, elem in enumerate(_activities(path), 1):
        line = (elem.sourceline or 0) + 17  # as Raw.read gives it for an element re-parsed from its bytes
        lines.append(golden.line(golden.plain(read_activity(elem, index, HEAD))))
        lines.append(golden.line(golden.plain(read_activity(elem, index, HEAD, line=line, fingerprint="f"))))
    return lines


def _golden_name(path: Path) -> str:
    return f"fixtures/{path.relative_to(ROOT / 'tests' / 'fixtures')}.jsonl"


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT / "tests" / "fixtures")))
def test_read_activity_on_fixture_files(mode, path):
    golden.check(_golden_name(path), _read_file(path))


def test_golden_files_cover_the_fixtures():
    names = {_golden_name(path) for path in FILES}
    assert {str(p.relative_to(golden.GOLDEN)) for p in (golden.GOLDEN / "fixtures").rglob("*.jsonl")} == names
    assert sum(len((golden.GOLDEN / n).read_text(encoding="utf-8").splitlines()) for n in names) // 2 > 80


def test_read_activity_on_edge_cases(mode, tmp_path):
    from tests.iati.conftest import activities_file, activity_xml

    body = """
  <title><narrative>  </narrative><narrative xml:lang=" JA-jp ">案件</narrative><narrative>T</narrative>
   <narrative xml:lang="ja">second</narrative></title>
  <title><narrative xml:lang="ru">Проект</narrative><narrative>other</narrative></title>
  <description><narrative>d</narrative></description><description type="2"/>
  <reporting-org ref=" R " xmlns:pw="urn:pledgewatch:iati" pw:placeholder="true"/>
  <participating-org role="1"><narrative>P</narrative></participating-org>
  <other-identifier ref="O"><owner-org ref="OO"><narrative>owner</narrative></owner-org></other-identifier>
  <other-identifier/>
  <activity-date type="1"><narrative>2020-01-02 (start)</narrative></activity-date>
  <activity-date type="3"><narrative>someday</narrative></activity-date>
  <activity-date type="4" iso-date="2021-13-01"><narrative>2021-02-03</narrative></activity-date>
  <recipient-country code=" kz " percentage="50"><narrative>Kazakhstan</narrative></recipient-country>
  <recipient-region code="619"/>
  <location><name><narrative>Almaty</narrative></name></location><location/>
  <sector code=" 111 " vocabulary="2"/>
  <collaboration-type code="1"/><default-flow-type code="10"/><default-aid-type code="C01"/>
  <default-tied-status code="5"/>
  <budget type="2"><period-start iso-date="2020-01-01"/><period-end iso-date="bad"/>
   <value currency="usd" value-date="2020-01-01">1e3</value><value>2</value></budget><budget/>
  <budget><value>NaN</value></budget><budget><value>  12.50 </value></budget>
  <transaction><transaction-type code="3"/><value> x </value><description><narrative>d</narrative>
   </description><provider-org ref="P" provider-activity-id="a"><narrative>p</narrative></provider-org>
   <receiver-org ref="R" receiver-activity-id="b" type="10"/></transaction><transaction/>
  <document-link url=" http://x " format="text/html"><title><narrative>doc</narrative></title>
   <category code="A01"/><category code="A02"/><language code="ja"/><document-date iso-date="2020-05-05"/>
  </document-link><document-link/>
  <related-activity ref="X" type="1"/>
  <!-- a comment --><unknown-element/><x:title xmlns:x="urn:x"><narrative>not read</narrative></x:title>
"""
    path = activities_file(tmp_path / "edge.xml",
                           activity_xml("E-1", body=body, attrs='xml:lang="RU" hierarchy="2" humanitarian="1"'),
                           activity_xml("E-2", attrs='last-updated-datetime="2020"'),
                           '<iati-activity default-currency=" usd "><iati-identifier> E-3 </iati-identifier>'
                           '<budget><value value-date="2020-02-02T10:00:00">5</value></budget></iati-activity>',
                           "<iati-activity/>", "<iati-activity><iati-identifier/></iati-activity>")
    lines = _read_file(path)
    assert len(lines) == 2 * 5
    golden.check("edge-cases.jsonl", lines)
    first = next(_activities(path))
    activity = read_activity(first, 1, HEAD)
    # the activity's own xml:lang="RU" is the default language of its narratives
    assert list(activity.titles.items()) == [("en", "Activity E-1"), ("ja", "案件"), ("ru", "T")]
    assert [k for k, _m in activity.warnings] == ["date_from_narrative", "date_missing", "date_from_narrative"]


@pytest.mark.slow
def test_read_activity_on_bench_corpus(mode, tmp_path):
    files = generate(2000, tmp_path)
    lines = [x for path in files for x in _read_file(path)]
    assert len(lines) == 2 * 2000
    golden.check_digest("bench-corpus.sha256", lines)
