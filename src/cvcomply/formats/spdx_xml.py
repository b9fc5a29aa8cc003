"""SPDX 2.3 XML to the SPDX 2 JSON shape, with the line of every value.

The XML serialisation (the spec's ``SPDXXMLExample-v2.3.spdx.xml``, spdx-tools' and the Java tools' output)
mirrors the JSON one: the root is ``<Document>``, every JSON key is an element of the same name, an object is
an element with child elements, and an array is written as the same element repeated (``<creators>`` once per
creator). XML cannot say which elements are arrays, so :data:`ARRAY_FIELDS` lists them; a one-element array
comes out as a list all the same. Values the schema types as booleans or integers (``filesAnalyzed``, a snippet
range's ``offset`` …) are converted; text is stripped of surrounding white space, as spdx-tools' reader does.

:func:`spdx2_from_xml` returns the document, a ``where`` map (JSON pointer → ``line N``, one entry per element)
and the problems only XML can have (a field given twice, a boolean that is not ``true``/``false`` …). The caller
(:mod:`cvcomply.formats.spdx`) reads the document exactly as SPDX JSON, so every rule is one piece of code for
all SPDX 2 serialisations. XML is parsed only through :mod:`cvcomply.formats.xmlutil` (no DTD, no entities, no
network, size limit).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from cvcomply.formats.errors import InputError, Issue
from cvcomply.formats.xmlutil import local, parse_xml

__all__ = ["ARRAY_FIELDS", "SpdxXml", "spdx2_from_xml"]

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
_BOOLEANS = {"true": True, "false": False, "1": True, "0": False}  # xsd:boolean's lexical forms

_FIX_ROOT = ("an SPDX 2 XML document is <Document> holding <spdxVersion>SPDX-2.3</spdxVersion>, <packages> … (see "
             "the spec's SPDXXMLExample-v2.3.spdx.xml); SPDX RDF/XML is not read: convert it to SPDX JSON")


class SpdxXml(NamedTuple):
    doc: dict[str, Any]  # the SPDX 2 JSON shape
    where: dict[str, str]  # JSON pointer -> "line N", for every element
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
    doc = conv.value(root, "")
    if not isinstance(doc, dict):  # <Document>text</Document> or an empty <Document/>
        raise InputError(path, f"line {root.sourceline}", "not an SPDX 2 XML document: <Document> holds no fields",
                         fix=_FIX_ROOT)
    return SpdxXml(doc, conv.where, conv.issues)


class _Converter:
    """One pass over the tree: elements to dicts, lists and strings; every element's line into ``where``."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.where: dict[str, str] = {}
        self.issues: list[Issue] = []

    def value(self, elem: Any, ptr: str) -> Any:
        """An element's value: an object when it has child elements, else its text (typed by its name)."""
        line = f"line {elem.sourceline}"
        self.where[ptr] = line
        if len(elem) and any(isinstance(c.tag, str) for c in elem):
            if elem.text and elem.text.strip():
                self._issue(line, f"<{local(elem.tag)}> holds both text and elements; the text is ignored",
                            "give the field either a value or child fields")
            return self._object(elem, ptr)
        text = elem.text or ""
        if len(elem):  # only comments or processing instructions inside: the text around them
            text += "".join(c.tail or "" for c in elem)
        text = text.strip()
        name = local(elem.tag)
        if name in BOOLEAN_FIELDS:
            flag = _BOOLEANS.get(text.lower())
            if flag is None:
                self._issue(line, f"{name} is {text!r}, not a boolean", "write true or false")
                return text
            return flag
        if name in INTEGER_FIELDS:
            try:
                return int(text)
            except ValueError:
                self._issue(line, f"{name} is {text!r}, not an integer", "write a whole number")
        return text

    def _object(self, elem: Any, ptr: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for child in elem:
            if not isinstance(child.tag, str):
                continue  # comment or processing instruction
            name = local(child.tag)
            key = f"{ptr}/{name}"
            if name in ARRAY_FIELDS:
                items = out.get(name)
                if items is None:
                    items = out[name] = []
                    self.where[key] = f"line {child.sourceline}"
                if len(child) == 0 and not (child.text and child.text.strip()):
                    continue  # an empty element is an empty list, as spdx-tools reads it
                items.append(self.value(child, f"{key}/{len(items)}"))
            elif name in out:
                self._issue(f"line {child.sourceline}", f"<{name}> is given twice in <{local(elem.tag)}>; "
                                                        "the first is read", f"give {name} once")
            else:
                out[name] = self.value(child, key)
        return out

    def _issue(self, line: str, message: str, fix: str) -> None:
        self.issues.append(Issue(self.path, line, message, fix))
