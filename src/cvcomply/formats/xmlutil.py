"""Safe XML at the edge: one parser configuration for every XML reader (CycloneDX XML, GLEIF, SPDX XML …).

Files come from suppliers and registries we do not control, so XML is parsed with libxml2 (lxml) set up
the way defusedxml recommends, without giving up lxml's speed or its line numbers:

* no entity expansion (``resolve_entities=False``) and no DTD loading: no billion-laughs, no XXE;
* a document that declares a DTD is refused outright: no format cvcomply reads uses one, and refusing is
  simpler to trust than any partial handling (defusedxml's ``forbid_dtd``);
* no network (``no_network=True``): a schemaLocation or an external entity never causes a request;
* ``huge_tree=False``: libxml2's own limits on depth and text-node size stay on;
* a size limit on whole-document parsing (:data:`MAX_XML_BYTES`, overridable per call) with a clear error.
  Streaming readers (:func:`iterparse`) have no total-size limit: their memory does not grow with the file.

Syntax errors become an :class:`InputError` naming the line and column. Locations of XML facts are written
``line N`` (:func:`line`), the form :class:`~cvcomply.model.common.SourceRef` documents.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

from lxml import etree

from cvcomply.formats.errors import InputError

__all__ = ["MAX_XML_BYTES", "iterparse", "line", "local", "namespace", "parse_xml", "safe_parser"]

MAX_XML_BYTES = 1 << 30
"""Largest XML document parsed whole (1 GiB): beyond it use a streaming reader or raise ``max_bytes``."""

_OPTIONS: dict[str, Any] = {
    "resolve_entities": False,
    "no_network": True,
    "huge_tree": False,
    "load_dtd": False,
    "dtd_validation": False,
}


def safe_parser(**extra: Any) -> etree.XMLParser:
    """A new lxml parser with the safe options above (``extra`` may add e.g. ``remove_blank_text``)."""
    return etree.XMLParser(**_OPTIONS, **extra)


def parse_xml(path: str, data: bytes, *, what: str = "XML", max_bytes: int = MAX_XML_BYTES) -> Any:
    """Parse a whole XML document safely and return its root element (an ``lxml.etree._Element``)."""
    if len(data) > max_bytes:
        raise InputError(path, "", f"XML file is {len(data):,} bytes, over the limit of {max_bytes:,}",
                         fix="split the file, or raise the limit if you trust its source")
    try:
        root = etree.fromstring(data, parser=safe_parser())
    except etree.XMLSyntaxError as e:
        raise _syntax_error(path, e, what) from e
    except ValueError as e:  # e.g. a str with an encoding declaration; bytes never do this, but be safe
        raise InputError(path, "", f"not readable as XML ({e})", fix=f"{what} files must be XML") from e
    if root is None:
        raise InputError(path, "", "empty XML document", fix=f"{what} files must have a root element")
    _refuse_dtd(path, root.getroottree())
    return root


def iterparse(source: str | IO[bytes], path: str, *, events: tuple[str, ...] = ("end",),
              tag: str | tuple[str, ...] | None = None, what: str = "XML") -> Iterator[tuple[str, Any]]:
    """Stream ``(event, element)`` pairs with the safe options; syntax errors become located InputErrors.

    The caller clears elements it has finished with (``elem.clear()``) so memory stays bounded.
    """
    it = etree.iterparse(source, events=events, tag=tag, **_OPTIONS)
    checked = False
    try:
        for event, elem in it:
            if not checked:
                _refuse_dtd(path, elem.getroottree())
                checked = True
            yield event, elem
    except etree.XMLSyntaxError as e:
        raise _syntax_error(path, e, what) from e


def local(tag: Any) -> str:
    """The local name of an element's tag (``{ns}component`` → ``component``); '' for comments/PIs."""
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]


def namespace(tag: Any) -> str:
    """The namespace URI of an element's tag, '' when it has none."""
    if isinstance(tag, str) and tag.startswith("{"):
        return tag[1:].partition("}")[0]
    return ""


def line(elem: Any) -> str:
    """Where an element starts, as a location: ``line 12``."""
    n = getattr(elem, "sourceline", None)
    return f"line {n}" if n else ""


def _refuse_dtd(path: str, tree: Any) -> None:
    info = tree.docinfo
    if info.doctype or info.internalDTD is not None:
        raise InputError(path, "line 1", "the XML declares a DTD (<!DOCTYPE …>), which cvcomply refuses "
                                         "(entity expansion and external entities are unsafe)",
                         fix="remove the <!DOCTYPE …> declaration; the formats cvcomply reads need none")


def _syntax_error(path: str, e: etree.XMLSyntaxError, what: str) -> InputError:
    lineno, col = e.position if e.position else (0, 0)
    msg = str(e.msg or e).split(", line ")[0]
    return InputError(path, f"line {lineno}, column {col}", f"not well-formed XML ({msg})",
                      fix=f"fix the XML there ({what} files must be well-formed XML)")
