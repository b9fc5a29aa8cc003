"""SPDX in, a :class:`Bom` out: SPDX 2.2/2.3 as JSON, YAML, tag-value or XML, and SPDX 3.0 JSON-LD.

Every serialisation is turned into the CycloneDX JSON shape and read by
:func:`cvcomply.formats.cyclonedx.read_shaped`, so party, hint and kind rules are one piece of code for
all BOM formats. Tag-value and XML are first turned into the SPDX 2 JSON shape (XML by
:mod:`cvcomply.formats.spdx_xml`), so the SPDX 2 rules are one piece of code too. Each converted object keeps
its place in the original file (a JSON pointer into the SPDX JSON/YAML, ``line N`` in tag-value and XML),
which becomes the source of its facts.

Mapping (DESIGN.md §4.2):

* every package is a component (SPDX 3: ``software_Package`` and its AI/dataset kinds), ``SPDXID`` /
  ``spdxId`` its bom-ref. No package is treated as the document's unscreened subject: in the SPDX files
  suppliers send, the described package is usually the product itself (an ECU), which must be screened.
* ``supplier`` → supplier and ``originator`` → developer (SPDX 3 ``suppliedBy`` / ``originatedBy``,
  resolved through ``@graph`` to the Agent's ``name``). ``Organization: Name (email)`` and ``Person: Name``
  give the name; the trailing ``(email)`` (or an empty ``()``) is dropped, other brackets are kept (they
  often name a place); ``NOASSERTION`` / ``NONE`` name no party. SPDX has no country field: parties carry
  none (fixed reading 10 then applies to a party found in no registry).
* ``primaryPackagePurpose`` (``OPERATING-SYSTEM`` and ``OPERATING_SYSTEM`` both accepted) / SPDX 3
  ``software_primaryPurpose`` becomes the component type in CycloneDX spelling: FIRMWARE → ``firmware``
  (software; the rules' firmware exclusion), DEVICE → ``device`` (hardware). A package with no purpose
  has type ``package``.
* hints: an annotation whose comment (SPDX 2) or statement (SPDX 3 ``Annotation`` with ``subject`` = the
  package) is ``cvcomply:<name>=<value>`` is read exactly as the CycloneDX property of that name.
* the purl is the ``externalRefs`` entry of type ``purl`` (SPDX 3 ``software_packageUrl``).

Validation (:func:`validate_spdx`): no official SPDX JSON schema ships in a PyPI package (spdx-tools
validates its own object model and has none; see ``schemas/spdx/README.md``), so ``validate`` checks the
spec's structural rules itself: required document and package fields, the ``SPDXRef-`` id syntax, unique
ids, relationships naming known elements, known purposes — each issue with its JSON pointer or line. A lenient
read (:func:`read_spdx`) reports the same issues as warnings, the rules prefixed ``SPDX rule: `` (DESIGN.md §4.4).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import yaml

from cvcomply.formats.cyclonedx import LOC, read_shaped, shaped_issues
from cvcomply.formats.errors import InputError, Issue
from cvcomply.formats.jsonutil import (
    MAX_WARNINGS,
    capped_warnings,
    issue_warnings,
    parse_json,
    paused_gc,
    read_bytes,
    text,
)
from cvcomply.formats.spdx_xml import spdx2_from_xml
from cvcomply.model import Bom

__all__ = ["PURPOSES", "PURPOSES_3", "party_name", "read_spdx", "validate_spdx"]

FORMAT = "spdx"
PURPOSES = ("APPLICATION", "FRAMEWORK", "LIBRARY", "CONTAINER", "OPERATING-SYSTEM", "DEVICE", "FIRMWARE", "SOURCE",
            "ARCHIVE", "FILE", "INSTALL", "OTHER")
"""SPDX 2.3 package purposes as the spec text spells them (the JSON schema writes ``_`` for ``-``)."""
PURPOSES_3 = ("application", "archive", "bom", "configuration", "container", "data", "device", "deviceDriver",
              "diskImage", "documentation", "evidence", "executable", "file", "filesystemImage", "firmware",
              "framework", "install", "library", "manifest", "model", "module", "operatingSystem", "other", "patch",
              "platform", "requirement", "source", "specification", "test")
"""SPDX 3.0 ``software_SoftwarePurpose`` values (camelCase; read as CycloneDX-style kebab-case types)."""

_SPELT = {spelling: p.lower() for p in PURPOSES for spelling in (p, p.replace("-", "_"))}
"""Purposes as files write them -> CycloneDX type: the common case skips the normalising below."""
_HINT = re.compile(r"^\s*(cvcomply:[A-Za-z0-9_.-]+)\s*=\s*(.*?)\s*$", re.S)
_EMAIL_TAIL = re.compile(r"\s*\(([^()]*)\)\s*$")
_SPDX_ID = re.compile(r"^SPDXRef-[A-Za-z0-9.\-]+$")


def read_spdx(path: str, data: bytes | None = None) -> Bom:
    """Read any SPDX serialisation leniently; InputError only for what cannot be read at all.

    What :func:`validate_spdx` reports about a file the reader understands becomes a warning with the same place
    and message (DESIGN.md §4.4): the structural rules prefixed ``SPDX rule: ``, then what the reader stepped over;
    at most :data:`~cvcomply.formats.jsonutil.MAX_WARNINGS`.
    """
    raw = read_bytes(path, data)
    with paused_gc():  # converting builds many small dicts: don't let the collector walk the document each time
        parsed = _parse(path, raw)
        warnings = (*issue_warnings(path, parsed.rules, "SPDX rule: "), *issue_warnings(path, parsed.warnings))
        bom = read_shaped(path, raw, parsed.shaped, fmt=FORMAT, spec_version=parsed.version, warnings=warnings)
        del parsed  # freed while paused: the collector's first pass after it walks the Bom, not the document too
    if len(bom.warnings) > MAX_WARNINGS:
        bom = dataclasses.replace(bom, warnings=capped_warnings(path, bom.warnings))
    return bom


def validate_spdx(path: str, data: bytes | None = None) -> list[Issue]:
    """Every structural problem of an SPDX file (module docstring), each with its place."""
    with paused_gc():  # as in read_spdx
        try:
            parsed = _parse(path, read_bytes(path, data))  # read_bytes too: a broken UTF-16 file is an issue
        except InputError as e:
            return list(e.issues)
        return parsed.rules + parsed.warnings + shaped_issues(path, parsed.shaped)


def party_name(value: Any) -> str | None:
    """The party an SPDX 2 ``supplier``/``originator`` string names, or None (``NOASSERTION``, empty).

    >>> party_name("Organization: ACME (Shanghai) Co., Ltd. (sales@acme.example)")
    'ACME (Shanghai) Co., Ltd.'
    """
    return _party_name(value) if isinstance(value, str) else None


@lru_cache(maxsize=8192)  # big SBOMs name the same few suppliers on thousands of packages
def _party_name(value: str) -> str | None:
    s = text(value)
    if s is None or s.upper() in ("NOASSERTION", "NONE"):
        return None
    for prefix in ("Organization:", "Person:", "Tool:"):
        if s.startswith(prefix):
            s = s[len(prefix):]
            break
    m = _EMAIL_TAIL.search(s)
    if m and ("@" in m.group(1) or not m.group(1).strip()):
        s = s[: m.start()]
    return text(s)


# --------------------------------------------------------------------------------------------------


@dataclass
class _Parsed:
    version: str
    shaped: dict[str, Any]
    warnings: list[Issue] = field(default_factory=list)  # readable, but worth saying
    rules: list[Issue] = field(default_factory=list)  # structural rule violations (validate: errors; read: warnings)


def _parse(path: str, raw: bytes) -> _Parsed:
    """The document in CycloneDX shape, with the structural rules it breaks and what else is worth saying."""
    head = raw[:4096].lstrip()
    if head.startswith((b"{", b"[")):
        doc = parse_json(path, raw, what="SPDX JSON")
        if isinstance(doc, dict) and ("@graph" in doc or "@context" in doc):
            return _spdx3(path, doc)
        return _spdx2(path, doc, {})
    if head.startswith((b"<", b"\xff\xfe", b"\xfe\xff")):  # XML (read_bytes leaves UTF-16 XML's byte-order mark)
        xml = spdx2_from_xml(path, raw)
        parsed = _spdx2(path, xml.doc, xml.where)
        parsed.rules[:0] = xml.issues
        return parsed
    if re.search(rb"(?m)^\s*SPDXVersion\s*:", raw[:65536]):
        doc, where = _tag_value(path, raw)
        return _spdx2(path, doc, where)
    try:
        doc = yaml.load(raw, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        place = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise InputError(path, place, f"not SPDX JSON, tag-value, XML or valid YAML ({getattr(e, 'problem', e)})",
                         fix="pass an SPDX 2.2/2.3 JSON, YAML, tag-value or XML file, or SPDX 3 JSON-LD") from e
    return _spdx2(path, doc, {})


def _not_spdx(path: str, what: str, location: str = "") -> InputError:
    return InputError(path, location, f"not an SPDX document: {what}",
                      fix="an SPDX 2 document has spdxVersion (SPDXVersion: in tag-value, <spdxVersion> in XML); "
                          "SPDX 3 JSON-LD has @context and @graph")


# -- SPDX 2 (JSON / YAML / tag-value / XML, all in the JSON shape) -----------------------------------


def _spdx2(path: str, doc: Any, where: Mapping[str, str]) -> _Parsed:
    """SPDX 2 in JSON shape -> CycloneDX shape, and the structural rules it breaks (``validate`` reports them as
    errors, a lenient read as warnings; a few dict look-ups per package, so always collected)."""
    if not isinstance(doc, dict) or not isinstance(doc.get("spdxVersion"), str):
        raise _not_spdx(path, "no spdxVersion", where.get("", ""))
    version = doc["spdxVersion"].removeprefix("SPDX-")
    out = _Parsed(version, {})

    def at(ptr: str) -> str:
        return where.get(ptr, ptr)

    def rule(ptr: str, message: str, fix: str) -> None:
        out.rules.append(Issue(path, at(ptr), message, fix))

    if version not in ("2.2", "2.3"):
        out.warnings.append(Issue(path, at("/spdxVersion"), f"spdxVersion {doc['spdxVersion']!r} is not SPDX-2.2 "
                                                             "or SPDX-2.3; read as 2.3"))
    for key in ("SPDXID", "name", "documentNamespace", "dataLicense", "creationInfo"):
        if doc.get(key) is None:
            rule("", f"the document has no {key!r}", f"add {key} (required by SPDX {version})")
    if doc.get("dataLicense") not in (None, "CC0-1.0"):
        rule("/dataLicense", f"dataLicense is {doc['dataLicense']!r}", "SPDX documents must use CC0-1.0")
    creation = doc.get("creationInfo")
    if isinstance(creation, dict):
        for key in ("created", "creators"):
            if creation.get(key) is None:
                rule("/creationInfo", f"creationInfo has no {key!r}", f"add creationInfo.{key}")
        created = creation.get("created")
        if isinstance(created, str) and not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", created):
            rule("/creationInfo/created", f"created {created!r} is not a UTC time YYYY-MM-DDThh:mm:ssZ",
                 "write the UTC time without fractions, e.g. 2024-01-31T12:00:00Z")

    packages = doc.get("packages")
    if packages is not None and not isinstance(packages, list):
        out.warnings.append(Issue(path, at("/packages"), "'packages' is not a list; ignored"))
        packages = []
    ids: set[str] = {doc["SPDXID"]} if isinstance(doc.get("SPDXID"), str) else set()
    components = []
    for i, pkg in enumerate(packages or []):
        ptr = f"/packages/{i}"
        if not isinstance(pkg, dict):
            out.warnings.append(Issue(path, at(ptr), "package is not an object; skipped"))
            continue
        _package_rules(pkg, ptr, ids, rule)
        components.append(_package2(path, pkg, ptr, at, out))
    _element_rules(doc, ids, rule)
    out.shaped = {LOC: at(""), "bomFormat": "CycloneDX", "components": components}
    return out


def _package_rules(pkg: dict[str, Any], ptr: str, ids: set[str], rule: Any) -> None:
    """Required package fields and SPDXID syntax and uniqueness (``ids``: the ids seen so far)."""
    for key in ("SPDXID", "name", "downloadLocation"):
        if pkg.get(key) is None:
            rule(ptr, f"package has no {key!r}", f"add {key} (required for every package)")
    sid = pkg.get("SPDXID")
    if isinstance(sid, str):
        if not _SPDX_ID.match(sid):
            rule(ptr + "/SPDXID", f"SPDXID {sid!r} is not SPDXRef- followed by letters, digits, '.' or '-'",
                 "fix the identifier")
        if sid in ids:
            rule(ptr + "/SPDXID", f"SPDXID {sid!r} is used twice", "make every SPDXID unique")
        ids.add(sid)


def _element_rules(doc: dict[str, Any], ids: set[str], rule: Any) -> None:
    """Relationships name elements of the document (packages' ids are in ``ids`` already)."""
    for key in ("files", "snippets"):
        for el in doc.get(key) or []:
            if isinstance(el, dict) and isinstance(el.get("SPDXID"), str):
                ids.add(el["SPDXID"])
    for j, rel in enumerate(doc.get("relationships") or []):
        if not isinstance(rel, dict):
            continue
        for key in ("spdxElementId", "relatedSpdxElement"):
            ref = rel.get(key)
            if isinstance(ref, str) and ref not in ids and ref not in ("NONE", "NOASSERTION") \
                    and not ref.startswith("DocumentRef-"):
                rule(f"/relationships/{j}/{key}", f"{key} {ref!r} names no element of this document",
                     "name an SPDXID defined in the document (or a DocumentRef- to another one)")


def _package2(path: str, pkg: dict[str, Any], ptr: str, at: Any, out: _Parsed) -> dict[str, Any]:
    comp: dict[str, Any] = {LOC: at(ptr), "name": pkg.get("name"), "version": pkg.get("versionInfo")}
    if isinstance(pkg.get("SPDXID"), str):
        comp["bom-ref"] = pkg["SPDXID"]
    purpose = pkg.get("primaryPackagePurpose")
    comp["type"] = "package" if purpose is None else _purpose(path, purpose, ptr + "/primaryPackagePurpose", at, out)
    purl = _purl(pkg.get("externalRefs"))
    if purl:
        comp["purl"] = purl
    supplier = party_name(pkg.get("supplier"))
    if supplier:
        comp["supplier"] = {LOC: at(ptr + "/supplier"), "name": supplier}
    originator = party_name(pkg.get("originator"))
    if originator:
        comp["authors"] = [{LOC: at(ptr + "/originator"), "name": originator}]
    props = []
    for k, ann in enumerate(pkg.get("annotations") or []):
        comment = ann.get("comment") if isinstance(ann, dict) else None
        hint = _hint_of(comment) if isinstance(comment, str) else None
        if hint:
            props.append({LOC: at(f"{ptr}/annotations/{k}/comment"), "name": hint[0], "value": hint[1]})
    if props:
        comp["properties"] = props
    return comp


@lru_cache(maxsize=4096)  # SBOMs repeat the same hint comments on thousands of packages
def _hint_of(comment: str) -> tuple[str, str] | None:
    """``(name, value)`` of a ``cvcomply:<name>=<value>`` annotation comment, else None."""
    m = _HINT.match(comment)
    return (m.group(1), m.group(2)) if m else None


def _purpose(path: str, value: Any, ptr: str, at: Any, out: _Parsed) -> str:
    """CycloneDX spelling of an SPDX purpose (``OPERATING_SYSTEM`` → ``operating-system``)."""
    known = _SPELT.get(value) if isinstance(value, str) else None
    if known is not None:
        return known
    v = str(value).strip().upper().replace("_", "-")
    if v not in PURPOSES:
        out.warnings.append(Issue(path, at(ptr), f"unknown primaryPackagePurpose {value!r}; read as 'other'",
                                  f"use one of {', '.join(PURPOSES)}"))
        v = "OTHER"
    return v.lower()


def _purl(refs: Any) -> str | None:
    if not isinstance(refs, list):
        return None
    for r in refs:
        if isinstance(r, dict) and r.get("referenceType") == "purl" and isinstance(r.get("referenceLocator"), str):
            return str(r["referenceLocator"])
    return None


# -- tag-value ---------------------------------------------------------------------------------------

_TV_PACKAGE = {"SPDXID": "SPDXID", "PackageVersion": "versionInfo", "PackageSupplier": "supplier",
               "PackageOriginator": "originator", "PackageDownloadLocation": "downloadLocation",
               "PrimaryPackagePurpose": "primaryPackagePurpose"}
_TV_DOC = {"SPDXVersion": "spdxVersion", "DataLicense": "dataLicense", "DocumentName": "name",
           "DocumentNamespace": "documentNamespace", "SPDXID": "SPDXID"}


def _tag_value(path: str, raw: bytes) -> tuple[dict[str, Any], dict[str, str]]:
    """Tag-value to the SPDX 2 JSON shape, with the line of each value (``where``: JSON pointer → line)."""
    try:
        content = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise InputError(path, f"line {line}", "not UTF-8 text", fix="save the tag-value file as UTF-8") from e
    doc: dict[str, Any] = {"packages": [], "relationships": []}
    where: dict[str, str] = {}
    section = "doc"
    pkg: dict[str, Any] | None = None
    annotation: dict[str, Any] | None = None
    creation: dict[str, Any] = {}
    rows = content.splitlines()
    n = 0
    while n < len(rows):
        lineno, row = n + 1, rows[n]
        n += 1
        if not row.strip() or row.lstrip().startswith("#"):
            continue
        tag, sep, value = row.partition(":")
        if not sep:
            continue  # stray text: tag-value readers skip it
        tag, value = tag.strip(), value.strip()
        if value.startswith("<text>"):
            value = value[len("<text>"):]
            while "</text>" not in value and n < len(rows):
                value += "\n" + rows[n]
                n += 1
            value = value.split("</text>", 1)[0]
        loc = f"line {lineno}"
        if tag == "PackageName":
            pkg = {"name": value}
            doc["packages"].append(pkg)
            section = "package"
            where[f"/packages/{len(doc['packages']) - 1}"] = loc
        elif tag in ("FileName", "SnippetSPDXID", "LicenseID"):
            section, pkg = "other", None
            if tag == "SnippetSPDXID":
                doc.setdefault("snippets", []).append({"SPDXID": value})
        elif section == "other" and tag == "SPDXID":
            doc.setdefault("files", []).append({"SPDXID": value})
        elif tag == "Annotator":
            annotation = {"annotator": value, "line": loc}
        elif tag == "SPDXREF" and annotation is not None:
            annotation["ref"] = value
        elif tag == "AnnotationComment" and annotation is not None:
            annotation["comment"] = value
            _attach(doc, where, annotation, loc)
            annotation = None
        elif tag == "Relationship":
            parts = value.split()
            if len(parts) >= 3:
                doc["relationships"].append({"spdxElementId": parts[0], "relationshipType": parts[1],
                                             "relatedSpdxElement": parts[2]})
                where[f"/relationships/{len(doc['relationships']) - 1}/spdxElementId"] = loc
                where[f"/relationships/{len(doc['relationships']) - 1}/relatedSpdxElement"] = loc
        elif tag in ("Creator", "Created"):
            key = "creators" if tag == "Creator" else "created"
            if key == "creators":
                creation.setdefault("creators", []).append(value)
            else:
                creation["created"] = value
                where["/creationInfo/created"] = loc
            where.setdefault("/creationInfo", loc)
        elif section == "package" and pkg is not None and tag in _TV_PACKAGE:
            pkg[_TV_PACKAGE[tag]] = value
            where[f"/packages/{len(doc['packages']) - 1}/{_TV_PACKAGE[tag]}"] = loc
        elif section == "package" and pkg is not None and tag == "ExternalRef":
            parts = value.split()
            if len(parts) >= 3:
                pkg.setdefault("externalRefs", []).append({"referenceCategory": parts[0], "referenceType": parts[1],
                                                           "referenceLocator": parts[2]})
        elif section == "doc" and tag in _TV_DOC:
            doc[_TV_DOC[tag]] = value
            where["/" + _TV_DOC[tag]] = loc
    if creation:
        doc["creationInfo"] = creation
    if doc.get("SPDXID") is None and doc["packages"]:
        where[""] = "line 1"
    where.setdefault("", "line 1")
    return doc, where


def _attach(doc: dict[str, Any], where: dict[str, str], annotation: dict[str, Any], loc: str) -> None:
    """A tag-value annotation belongs to the package its SPDXREF names."""
    for i, pkg in enumerate(doc["packages"]):
        if pkg.get("SPDXID") == annotation.get("ref"):
            anns = pkg.setdefault("annotations", [])
            anns.append({"comment": annotation.get("comment")})
            where[f"/packages/{i}/annotations/{len(anns) - 1}/comment"] = loc
            return


# -- SPDX 3 JSON-LD ----------------------------------------------------------------------------------

_PACKAGE_TYPES = ("software_Package", "ai_AIPackage", "dataset_DatasetPackage", "Package", "software:Package")


def _spdx3(path: str, doc: dict[str, Any]) -> _Parsed:
    graph = doc.get("@graph")
    if graph is None:
        elements: list[Any] = [doc]  # a single element with its own @context
        base = ""
    elif isinstance(graph, list):
        elements, base = graph, "/@graph"
    else:
        raise _not_spdx(path, "'@graph' is not a list")
    context = str(doc.get("@context", ""))
    version = "3.0.1" if "3.0.1" in context else "3.0"
    out = _Parsed(version, {})
    by_id: dict[str, tuple[int, dict[str, Any]]] = {}
    for i, el in enumerate(elements):
        if isinstance(el, dict):
            ident = el.get("spdxId") or el.get("@id")
            if isinstance(ident, str):
                if ident in by_id:
                    out.rules.append(Issue(path, f"{base}/{i}/spdxId", f"spdxId {ident!r} is used twice",
                                           "make every spdxId unique"))
                by_id[ident] = (i, el)
            if el.get("type") is None and el.get("@type") is None:
                out.rules.append(Issue(path, f"{base}/{i}", "element has no 'type'", "add the element's type"))
    hints: dict[str, list[dict[str, Any]]] = {}
    for i, el in enumerate(elements):
        if isinstance(el, dict) and _type(el) == "Annotation":
            m = _HINT.match(el.get("statement") or "") if isinstance(el.get("statement"), str) else None
            subject = el.get("subject")
            if m and isinstance(subject, str):
                hints.setdefault(subject, []).append(
                    {LOC: f"{base}/{i}/statement", "name": m.group(1), "value": m.group(2)})
    components = []
    for i, el in enumerate(elements):
        if not isinstance(el, dict) or _type(el) not in _PACKAGE_TYPES:
            continue
        ptr = f"{base}/{i}"
        if el.get("name") is None:
            out.rules.append(Issue(path, ptr, "package has no 'name'", "add name"))
        comp: dict[str, Any] = {LOC: ptr, "name": el.get("name"),
                                "version": _first(el, "software_packageVersion", "packageVersion")}
        ident = el.get("spdxId") or el.get("@id")
        if isinstance(ident, str):
            comp["bom-ref"] = ident
        purpose = _first(el, "software_primaryPurpose", "primaryPurpose")
        if purpose is None:
            comp["type"] = "package"
        else:
            comp["type"] = re.sub(r"(?<!^)([A-Z])", r"-\1", str(purpose)).lower()
            if purpose not in PURPOSES_3:
                out.warnings.append(Issue(path, ptr + "/software_primaryPurpose", f"unknown primaryPurpose {purpose!r}",
                                          f"use one of {', '.join(PURPOSES_3)}"))
        purl = _first(el, "software_packageUrl", "packageUrl")
        if isinstance(purl, str):
            comp["purl"] = purl
        supplier = _agents(path, el.get("suppliedBy"), f"{ptr}/suppliedBy", by_id, base, out)
        if supplier:
            comp["supplier"] = supplier[0]
        authors = _agents(path, el.get("originatedBy"), f"{ptr}/originatedBy", by_id, base, out)
        if authors:
            comp["authors"] = authors
        if isinstance(ident, str) and ident in hints:
            comp["properties"] = hints[ident]
        components.append(comp)
    out.shaped = {LOC: base or "", "bomFormat": "CycloneDX", "components": components}
    return out


def _agents(path: str, refs: Any, ptr: str, by_id: dict[str, tuple[int, dict[str, Any]]], base: str,
               out: _Parsed) -> list[dict[str, Any]]:
    """Agents named by ``suppliedBy`` / ``originatedBy`` (one id or a list), resolved through ``@graph``."""
    items = refs if isinstance(refs, list) else [] if refs is None else [refs]
    found = []
    for k, ref in enumerate(items):
        rptr = f"{ptr}/{k}" if isinstance(refs, list) else ptr
        if isinstance(ref, dict):  # an inline Agent
            agent: dict[str, Any] | None = ref
            aptr = rptr
        elif isinstance(ref, str) and ref in by_id:
            idx, agent = by_id[ref]
            aptr = f"{base}/{idx}"
        else:
            out.warnings.append(Issue(path, rptr, f"{ptr.rsplit('/', 1)[1]} {ref!r} names no Agent in this "
                                                  "document; that party is unknown",
                                      "include the Organization/Person element in @graph"))
            continue
        if agent is not None:
            found.append({LOC: aptr, "name": agent.get("name")})
    return found


def _type(el: dict[str, Any]) -> str:
    t = el.get("type") or el.get("@type")
    return t if isinstance(t, str) else ""


def _first(el: dict[str, Any], *keys: str) -> Any:
    for k in keys:
        if el.get(k) is not None:
            return el[k]
    return None

