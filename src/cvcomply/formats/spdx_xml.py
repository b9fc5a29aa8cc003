"""SPDX 2.3 XML to the SPDX 2 JSON shape, with the line of every value.

The XML serialisation (the spec's ``SPDXXMLExample-v2.3.spdx.xml``, spdx-tools' and the Java tools' output)
mirrors the JSON one: the root is ``<Document>``, every JSON key is an element of the same name, an object is
an element with child elements, and an array is written as the same element repeated (``<creators>`` once per
creator). XML cannot say which elements are arrays, so :data:`ARRAY_FIELDS` lists them; a one-element array
comes out as a list all the same. Values the schema types as booleans or integers (``filesAnalyzed``, a snippet
range's ``offset`` …) are converted; text is stripped of surrounding white space, as spdx-tools' reader does.

:func:`spdx2_from_xml` returns the document, a ``where`` map (:class:`Lines`: JSON pointer → ``line N`` of the
element that wrote the value, for every value) and the problems only XML can have (a field given twice, a boolean
that is not ``true``/``false`` …). The caller (:mod:`cvcomply.formats.spdx`) reads the document exactly as SPDX
JSON, so every rule is one piece of code for all SPDX 2 serialisations. XML is parsed only through
:mod:`cvcomply.formats.xmlutil` (no DTD, no entities, no network, size limit).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple

from lxml import etree

from cvcomply.formats.errors import InputError, Issue
from cvcomply.formats.xmlutil import local, parse_xml

__all__ = ["ARRAY_FIELDS", "Lines", "SpdxXml", "spdx2_from_xml"]

# The SPDX 2.3 JSON schema's array-typed properties, at any depth: the properties with "type": "array" in
# spdx/spdx-spec schemas/spdx-schema.json ("title": "SPDX 2.3.1", commit 03e110136bf4fc22a8503617c615a1bf73a1a88d).
# A name is an array wherever it occurs in that schema, so one flat set is exact. spdx-tools' XML parser keeps the
# same list as LIST_LIKE_FIELDS (src/spdx_tools/spdx/parser/xml/xml_parser.py), with "artifactOf"/"reviewers"
# where the schema says "artifactOfs"/"revieweds", and without "crossRefs".
ARRAY_FIELDS = frozenset({
    # document
    "annotations", "documentDescribes", "externalDocumentRefs", "files", "hasExtractedLicensingInfos", "packages",
    "relationships", "revieweds", "snippets",
    "creators",  # creationInfo
    "crossRefs", "seeAlsos",  # hasExtractedLicensingInfos items
    # packages items
    "attributionTexts", "checksums", "externalRefs", "hasFiles", "licenseInfoFromFiles",
    "packageVerificationCodeExcludedFiles",  # packageVerificationCode
    # files items
    "artifactOfs", "fileContributors", "fileDependencies", "fileTypes", "licenseInfoInFiles",
    # snippets items
    "licenseInfoInSnippets", "ranges",
})
# The schema's "type": "boolean" and "type": "integer" properties (same schema text).
BOOLEAN_FIELDS = frozenset({"filesAnalyzed", "isLive", "isValid", "isWayBackLink"})
INTEGER_FIELDS = frozenset({"offset", "lineNumber", "order"})
_TYPED = BOOLEAN_FIELDS | INTEGER_FIELDS
_BOOLEANS = {"true": True, "false": False, "1": True, "0": False}  # xsd:boolean's lexical forms
_INTEGER = re.compile(r"[+-]?[0-9]+")  # xsd:integer's (int() alone would also take "1_000" or other scripts' digits)

_FIX_ROOT = ("an SPDX 2 XML document is <Document> holding <spdxVersion>SPDX-2.3</spdxVersion>, <packages> … (see "
             "the spec's SPDXXMLExample-v2.3.spdx.xml); SPDX RDF/XML is not read: convert it to SPDX JSON")


class SpdxXml(NamedTuple):
    doc: dict[str, Any]  # the SPDX 2 JSON shape
    where: Lines  # JSON pointer -> "line N", for every value
    issues: list[Issue]  # what only the XML can get wrong (for validate)


def spdx2_from_xml(path: str, raw: bytes) -> SpdxXml:
    """Parse SPDX 2 XML safely and convert it (module docstring); InputError when it is not SPDX 2 XML at all."""
    try:
        root = parse_xml(path, raw, what="SPDX XML")
    except InputError as e:
        if "encoding" not in e.message:
            raise
        raise InputError(path, e.location, e.message.replace("not well-formed XML", "not valid text"),
                         fix="save the file as UTF-8, or declare its real encoding in <?xml … encoding=\"…\"?>") from e
    if local(root.tag) != "Document":
        raise InputError(path, f"line {root.sourceline}", f"not an SPDX 2 XML document: the root element is "
                                                          f"<{local(root.tag)}>, not <Document>", fix=_FIX_ROOT)
    conv = _Converter(path)
    doc = conv.document(root)
    if doc is None:  # <Document>text</Document> or an empty <Document/>
        raise InputError(path, f"line {root.sourceline}", "not an SPDX 2 XML document: <Document> holds no fields",
                         fix=_FIX_ROOT)
    return SpdxXml(doc, Lines(doc, root.sourceline, conv.lines), conv.issues)


class Lines(Mapping[str, str]):
    """JSON pointer → ``line N`` of the element that wrote the value there, for every value of the converted document.

    The converter keeps each object's and each array's lines beside it (numbers, keyed by the container's id);
    the pointers are only made when asked: a big SBOM has hundreds of thousands of elements and a reader asks for a
    few places per package, so making every pointer string up front would cost more than the rest of reading.
    An array field's line is its first element's. The document is read, never changed, while its Lines are used.
    """

    def __init__(self, doc: dict[str, Any], root_line: int, lines: dict[int, Any]) -> None:
        self._doc = doc
        self._root_line = root_line
        self._lines = lines  # id(dict) -> {field: line}; id(list) -> [line of item 0, item 1, …]

    def __getitem__(self, ptr: str) -> str:
        n = self._line(ptr)
        if n is None:
            raise KeyError(ptr)
        return f"line {n}"

    def get(self, ptr: str, default: Any = None) -> Any:  # Mapping.get without raising and catching KeyError
        n = self._line(ptr)
        return default if n is None else f"line {n}"

    def __iter__(self) -> Iterator[str]:
        def walk(node: Any, ptr: str) -> Iterator[str]:
            yield ptr
            if isinstance(node, dict):
                for k, v in node.items():
                    yield from walk(v, f"{ptr}/{k}")
            elif isinstance(node, list):
                for i, v in enumerate(node):
                    yield from walk(v, f"{ptr}/{i}")

        return walk(self._doc, "")

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def _line(self, ptr: str) -> int | None:
        if not ptr:
            return self._root_line
        if ptr[0] != "/":
            return None
        node: Any = self._doc
        line: int | None = None
        for part in ptr[1:].split("/"):
            if isinstance(node, dict) and part in node:
                line = self._lines[id(node)][part]
                node = node[part]
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                line = self._lines[id(node)][int(part)]
                node = node[int(part)]
            else:
                return None
        return line


class _Converter:
    """One pass over the tree: elements to dicts, lists and strings, each container's lines kept beside it.

    Most elements are leaves (``<name>glibc</name>``): they are read inside the loop over their parent's
    children, and only elements with children of their own go through :meth:`_nested` (big SBOMs have
    hundreds of thousands of elements, so the per-element work is kept small).
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self.lines: dict[int, Any] = {}  # as Lines keeps them
        self.issues: list[Issue] = []
        self._names: dict[str, str] = {}  # tag -> local name (``{ns}name`` -> ``name``; plain tags map to themselves)

    def document(self, root: Any) -> Any:
        """The root's value: an object, or None when it holds no child elements."""
        value = self._nested(root, local(root.tag)) if len(root) else None
        return value if isinstance(value, dict) else None

    def _object(self, elem: Any) -> dict[str, Any]:
        out: dict[str, Any] = {}
        lines: dict[str, int] = {}
        all_lines = self.lines
        all_lines[id(out)] = lines
        names = self._names
        for child in elem.iterchildren(etree.Element):  # elements only: no comments or processing instructions
            tag = child.tag
            name = names.get(tag) or names.setdefault(tag, local(tag))
            line = child.sourceline
            items = None
            if name in ARRAY_FIELDS:
                items = out.get(name)
                if items is None:
                    items = out[name] = []
                    all_lines[id(items)] = []
                    lines[name] = line
            elif name in out:
                self._issue(child, f"<{name}> is given twice in <{local(elem.tag)}>; the first is read",
                            f"give {name} once")
                continue
            else:
                lines[name] = line
            if len(child):
                value = self._nested(child, name)
            else:
                text = child.text
                value = text.strip() if text else ""
                if name in _TYPED and value:
                    value = self._typed(child, name, value)
            if items is None:
                out[name] = value
            elif value != "":  # an empty element is an empty list, as spdx-tools reads it
                items.append(value)
                all_lines[id(items)].append(line)
        return out

    def _nested(self, elem: Any, name: str) -> Any:
        """The value of an element with child nodes: an object when one is an element, else the text around them."""
        for c in elem:
            if isinstance(c.tag, str):  # an element, not a comment or processing instruction
                if elem.text and elem.text.strip():
                    self._issue(elem, f"<{name}> holds both text and elements; the text is ignored",
                                "give the field either a value or child fields")
                return self._object(elem)
        text = ((elem.text or "") + "".join(c.tail or "" for c in elem)).strip()  # text around comments
        return self._typed(elem, name, text) if name in _TYPED and text else text

    def _typed(self, elem: Any, name: str, text: str) -> Any:
        """The value of a field the schema types as boolean or integer; the text itself (and an issue) if it is not."""
        if name in BOOLEAN_FIELDS:
            flag = _BOOLEANS.get(text.lower())
            if flag is not None:
                return flag
            self._issue(elem, f"{name} is {text!r}, not a boolean", "write true or false")
            return text
        if _INTEGER.fullmatch(text):
            return int(text)
        self._issue(elem, f"{name} is {text!r}, not an integer", "write a whole number")
        return text

    def _issue(self, elem: Any, message: str, fix: str) -> None:
        self.issues.append(Issue(self.path, f"line {elem.sourceline}", message, fix))
