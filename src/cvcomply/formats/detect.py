"""Which format a file is in, told from its content, and dispatch to the right reader.

Users pass BOMs and registry files without saying what they are (``cvcomply validate FILE...``, the
manifest's ``boms:``/``ownership:`` lists), so the format is read from the bytes, never the file name.
A new format slots in by teaching :func:`detect_format` its signature and adding its functions to
``BOM_READERS`` / ``OWNERSHIP_READERS`` / ``VALIDATORS``.

Detection sniffs the first bytes for each format's tell-tale keys (cheap on a 100 MB file) and only
parses the whole JSON when the prefix is not conclusive.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import orjson

from cvcomply.formats.bods import looks_like_bods, read_bods, validate_bods
from cvcomply.formats.csl import looks_like_csl_csv, looks_like_csl_json, read_csl, validate_csl
from cvcomply.formats.cyclonedx import read_cyclonedx, validate_cyclonedx
from cvcomply.formats.cyclonedx_xml import read_cyclonedx_xml, validate_cyclonedx_xml
from cvcomply.formats.errors import InputError, Issue
from cvcomply.formats.ftm import looks_like_ftm, read_ftm, validate_ftm
from cvcomply.formats.gleif import looks_like_gleif_json, looks_like_gleif_xml, read_gleif, validate_gleif
from cvcomply.formats.jsonutil import read_bytes, sha256
from cvcomply.formats.spdx import read_spdx, validate_spdx
from cvcomply.model import Bom, OwnershipFacts, Warning

__all__ = [
    "BOM_READERS",
    "OWNERSHIP_READERS",
    "VALIDATORS",
    "detect_format",
    "read_bom",
    "read_ownership",
    "validate_file",
]

BomReader = Callable[[str, bytes], Bom]
OwnershipReader = Callable[[str, bytes], OwnershipFacts]
Validator = Callable[[str, bytes], list[Issue]]


BOM_READERS: dict[str, BomReader] = {
    "cyclonedx": lambda p, d: read_cyclonedx(p, d), "cyclonedx-xml": lambda p, d: read_cyclonedx_xml(p, d),
    "spdx": read_spdx, "spdx-tv": read_spdx, "spdx-yaml": read_spdx, "spdx-xml": read_spdx,
}
OWNERSHIP_READERS: dict[str, OwnershipReader] = {
    "bods": read_bods, "gleif-xml": lambda p, d: read_gleif(p, d), "gleif-json": lambda p, d: read_gleif(p, d),
    "ftm": lambda p, d: read_ftm(p, d), "csl-csv": lambda p, d: read_csl(p, d), "csl-json": lambda p, d: read_csl(p, d),
}
VALIDATORS: dict[str, Validator] = {
    "cyclonedx": validate_cyclonedx, "bods": validate_bods, "gleif-xml": lambda p, d: validate_gleif(p, d),
    "gleif-json": lambda p, d: validate_gleif(p, d), "ftm": lambda p, d: validate_ftm(p, d),
    "csl-csv": lambda p, d: validate_csl(p, d), "csl-json": lambda p, d: validate_csl(p, d),
    "cyclonedx-xml": validate_cyclonedx_xml, "spdx": validate_spdx, "spdx-tv": validate_spdx,
    "spdx-yaml": validate_spdx, "spdx-xml": validate_spdx,
}
# Formats read from disk as a stream, never loaded whole (a GLEIF Golden Copy is several GB): (path, name).
STREAMING_READERS: dict[str, Callable[[str, str], OwnershipFacts]] = {
    "gleif-xml": lambda p, n: read_gleif(p, name=n)}
STREAMING_VALIDATORS: dict[str, Callable[[str], list[Issue]]] = {"gleif-xml": lambda p: validate_gleif(p)}

_SNIFF = 64 * 1024
_SPDX_TV = re.compile(rb"(?m)^\s*SPDXVersion\s*:")
_SPDX_YAML = re.compile(rb"(?m)^spdxVersion\s*:")
_SIGNATURES: tuple[tuple[str, re.Pattern[bytes]], ...] = (
    ("cyclonedx", re.compile(rb'"bomFormat"\s*:\s*"CycloneDX"')),
    ("spdx", re.compile(rb'"spdxVersion"\s*:|"@context"\s*:\s*"https://spdx\.org/rdf/3')),
    ("bods", re.compile(rb'"recordType"\s*:\s*"(?:entity|person|relationship)"'
                        rb'|"statementType"\s*:\s*"(?:entity|person|ownershipOrControl)Statement"')),
)


def detect_format(path: str, data: bytes) -> str:
    """``"cyclonedx"``, ``"bods"``, ``"spdx"`` …, or InputError naming what the file seems to be instead."""
    data = read_bytes(path, data)  # drops a UTF-8 BOM; UTF-16 JSON/tag-value → UTF-8 (UTF-16 XML keeps its bytes)
    head = _utf8_head(data[:_SNIFF])
    if not data.strip():
        raise InputError(path, "", "the file is empty" if not data else "the file holds only white space",
                         fix="check that the file was written completely (an interrupted download or export leaves "
                             "it empty), then pass it again")
    stripped = head.lstrip()
    if stripped.startswith(b"<"):
        if looks_like_gleif_xml(head):
            return "gleif-xml"
        if b"cyclonedx.org/schema/bom" in head:
            return "cyclonedx-xml"
        if b"spdx" in head.lower():
            return "spdx-xml"
        raise _unknown(path, "an XML file of a kind cvcomply does not read")
    if not stripped.startswith((b"{", b"[")):
        if _SPDX_TV.search(head):
            return "spdx-tv"
        if _SPDX_YAML.search(head):
            return "spdx-yaml"
        if looks_like_csl_csv(head):
            return "csl-csv"
        raise _unknown(path, "not JSON or XML")
    hits = [name for name, pattern in _SIGNATURES if pattern.search(head)]
    if len(hits) == 1:
        return hits[0]
    return _by_structure(path, data)


def _by_structure(path: str, data: bytes) -> str:
    try:
        doc: Any = orjson.loads(data)
    except orjson.JSONDecodeError:
        first = data.lstrip().split(b"\n", 1)[0]
        try:
            doc = orjson.loads(first)  # JSON Lines: judge by the first record
        except orjson.JSONDecodeError as e:
            raise InputError(path, f"line {e.lineno}, column {e.colno}", f"not valid JSON ({e.msg})",
                             fix="fix the JSON syntax there") from e
    if isinstance(doc, dict) and "bomFormat" in doc:
        return "cyclonedx"  # even a wrong bomFormat: the CycloneDX reader explains what to fix
    if isinstance(doc, dict) and ("spdxVersion" in doc or "@context" in doc):
        return "spdx"
    if looks_like_bods(doc):
        return "bods"
    if looks_like_gleif_json(doc):
        return "gleif-json"
    if looks_like_ftm(doc):
        return "ftm"
    if looks_like_csl_json(doc):
        return "csl-json"
    raise _unknown(path, "JSON, but not a format cvcomply reads")


def _unknown(path: str, what: str) -> InputError:
    return InputError(path, "", f"cannot tell the file's format: {what}",
                      fix="pass a CycloneDX BOM, or a BODS, GLEIF, FollowTheMoney or Consolidated Screening List file")


def _dispatch(path: str, table: dict[str, Any], purpose: str) -> tuple[str, Any, bytes]:
    data = read_bytes(path)
    fmt = detect_format(path, data)
    if fmt not in table:
        supported = ", ".join(sorted(table))
        raise InputError(path, "", f"{fmt} files cannot be used as {purpose} yet",
                         fix=f"supported for {purpose}: {supported}")
    return fmt, table[fmt], data


def read_bom(path: str, name: str | None = None) -> Bom:
    """Read a BOM in whatever supported format it is (lenient, DESIGN.md §4.4).

    ``name`` is how facts and errors name the file (default: ``path``); a manifest's entries use the
    path as the manifest writes it, so reports do not depend on where the files live.
    """
    _, reader, data = _dispatch(path, BOM_READERS, "a BOM")
    bom: Bom = reader(name or path, data)
    return bom


def read_ownership(path: str, name: str | None = None) -> OwnershipFacts:
    """Read an ownership/registry file in whatever supported format it is (``name`` as in :func:`read_bom`)."""
    streamed = _streamed_format(path)
    if streamed in STREAMING_READERS:
        return STREAMING_READERS[streamed](path, name or path)
    data = read_bytes(path)
    if data.strip() in {b"[]", b"{}"}:  # an empty package says nothing, in any format: no facts, and a warning
        label = name or path
        return OwnershipFacts(source=label, format="empty", sha256=sha256(data),
                              warnings=(Warning(label, "the file holds no records"),))
    _, reader, data = _dispatch(path, OWNERSHIP_READERS, "ownership data")
    facts: OwnershipFacts = reader(name or path, data)
    return facts


def validate_file(path: str) -> tuple[str, list[Issue]]:
    """(format name, every problem found) for ``cvcomply validate``; empty list = valid."""
    streamed = _streamed_format(path)
    if streamed in STREAMING_VALIDATORS:
        return streamed, STREAMING_VALIDATORS[streamed](path)
    fmt, validator, data = _dispatch(path, VALIDATORS, "input to validate")
    issues: list[Issue] = validator(path, data)
    return fmt, issues


def _utf8_head(head: bytes) -> bytes:
    """The head of a file as UTF-8 for sniffing: UTF-16 XML (with its byte-order mark) is told apart by its text."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", errors="ignore").encode()
    return head


def _streamed_format(path: str) -> str | None:
    """The format of a file that is read from disk as a stream (see STREAMING_READERS), told from its head."""
    try:
        with open(path, "rb") as f:
            head = f.read(_SNIFF)
    except OSError:
        return None  # _dispatch reports a missing or unreadable file
    head = _utf8_head(head).removeprefix(b"\xef\xbb\xbf").lstrip()
    return "gleif-xml" if head.startswith(b"<") and looks_like_gleif_xml(head) else None
