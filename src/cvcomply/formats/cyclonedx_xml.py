"""CycloneDX XML (spec 1.0–1.7) in, a :class:`Bom` out; strict validation against the official XSDs.

The spec version is the namespace's (``http://cyclonedx.org/schema/bom/1.6``); ``<bom version="…">`` is
the BOM's revision, not the spec. The reader converts the parts cvcomply reads into the CycloneDX JSON
shape and hands them to :func:`cvcomply.formats.cyclonedx.read_shaped`, so XML and JSON share one
mapping of parties, hints and kinds; every converted object remembers its XML line, which becomes the
location of facts and warnings (``line 42``).

* :func:`read_cyclonedx_xml` is lenient: XSD violations become warnings (libxml2 validates in C, so
  this is cheap), unreadable XML or a non-CycloneDX root is an :class:`InputError`.
* :func:`validate_cyclonedx_xml` is strict: every XSD violation with its line, then our own checks.

XML is parsed with :mod:`cvcomply.formats.xmlutil` (no DTD, no entities, no network).
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

from lxml import etree

from cvcomply.formats.cyclonedx import LOC, read_shaped, shaped_issues
from cvcomply.formats.errors import InputError, Issue
from cvcomply.formats.jsonutil import issue_warnings, read_bytes
from cvcomply.formats.xmlutil import local, namespace, parse_xml
from cvcomply.model import Bom, Warning

__all__ = ["XML_VERSIONS", "read_cyclonedx_xml", "validate_cyclonedx_xml"]

_NS_PREFIX = "http://cyclonedx.org/schema/bom/"
XML_VERSIONS = ("1.0", "1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7")
"""Spec versions with an official XSD shipped in the package."""


def read_cyclonedx_xml(path: str, data: bytes | None = None, *, schema_warnings: bool = True) -> Bom:
    """Read a CycloneDX XML BOM leniently (module docstring)."""
    raw = read_bytes(path, data)
    root, version = _load(path, raw)
    warnings: list[Warning] = []
    if version not in XML_VERSIONS:
        warnings.append(Warning(f"{path}#line {root.sourceline}", f"CycloneDX XML namespace version {version!r} "
                                                                   "is not one we know; read as the latest"))
    elif schema_warnings:
        warnings += issue_warnings(path, _xsd_issues(path, root, version), "schema: ")
    doc = _bom(root, version)
    return read_shaped(path, raw, doc, fmt="cyclonedx", spec_version=version, warnings=tuple(warnings))


def validate_cyclonedx_xml(path: str, data: bytes | None = None) -> list[Issue]:
    """Every problem of a CycloneDX XML file: XSD violations (each with its line), then our own checks."""
    try:
        root, version = _load(path, read_bytes(path, data))  # read_bytes too: a broken UTF-16 file is an issue
    except InputError as e:
        return list(e.issues)
    if version not in XML_VERSIONS:
        return [Issue(path, f"line {root.sourceline}", f"unknown CycloneDX XML namespace version {version!r}",
                      f"use the namespace {_NS_PREFIX}<version> with one of {', '.join(XML_VERSIONS)}")]
    issues = _xsd_issues(path, root, version) + _rule_issues(path, root)
    seen = {i.location for i in issues}
    issues += [i for i in shaped_issues(path, _bom(root, version)) if i.location not in seen or i.fix]
    return issues


# --------------------------------------------------------------------------------------------------


def _load(path: str, raw: bytes) -> tuple[Any, str]:
    root = parse_xml(path, raw, what="CycloneDX XML")
    ns = namespace(root.tag)
    if local(root.tag) != "bom" or not ns.startswith(_NS_PREFIX):
        said = f"root element <{local(root.tag)}> in namespace {ns or '(none)'!r}"
        raise InputError(path, f"line {root.sourceline}", f"not a CycloneDX XML BOM: {said}",
                         fix=f'the root must be <bom xmlns="{_NS_PREFIX}1.6" …> (any version 1.0–1.7)')
    return root, ns[len(_NS_PREFIX):]


@cache
def _schema(version: str) -> Any:
    """The official XSD of a spec version (its import of spdx.SNAPSHOT.xsd resolves beside it, offline)."""
    folder = resources.files("cvcomply.formats").joinpath("schemas", "cyclonedx")
    with resources.as_file(folder.joinpath(f"bom-{version}.SNAPSHOT.xsd")) as xsd:
        parser = etree.XMLParser(resolve_entities=False, no_network=True)
        return etree.XMLSchema(etree.parse(str(xsd), parser))


def _xsd_issues(path: str, root: Any, version: str) -> list[Issue]:
    schema = _schema(version)
    if schema.validate(root.getroottree()):
        return []
    return [Issue(path, f"line {e.line}", e.message.replace(f"{{{_NS_PREFIX}{version}}}", ""),
                  "see the CycloneDX XML schema for this element")
            for e in schema.error_log]


def _rule_issues(path: str, root: Any) -> list[Issue]:
    """Rules the XSD cannot say but the JSON schema does (1.7): ``versionRange`` only on external components."""
    out = []
    for comp in root.iter(f"{{{namespace(root.tag)}}}component"):
        vr = _child(comp, "versionRange")
        if vr is not None and (comp.get("isExternal") or "").strip() not in ("true", "1"):
            out.append(Issue(path, f"line {vr.sourceline}", "versionRange is only allowed on a component with "
                                                            "isExternal true", "set isExternal to true or use version"))
    return out


# -- conversion to the JSON shape (only what the shared reader reads) ----------------------------------


def _kids(elem: Any) -> list[Any]:
    return [c for c in elem if isinstance(c.tag, str)]


def _child(elem: Any, name: str) -> Any:
    for c in elem:
        if isinstance(c.tag, str) and local(c.tag) == name:
            return c
    return None


def _text(elem: Any) -> str | None:
    return None if elem is None else (elem.text or "")


def _at(elem: Any) -> dict[str, Any]:
    return {LOC: f"line {elem.sourceline}"}


def _bom(root: Any, version: str) -> dict[str, Any]:
    doc: dict[str, Any] = {**_at(root), "bomFormat": "CycloneDX", "specVersion": version}
    for c in _kids(root):
        name = local(c.tag)
        if name == "components":
            doc["components"] = [_component(x) for x in _kids(c) if local(x.tag) == "component"]
        elif name == "metadata":
            doc["metadata"] = _metadata(c)
        elif name == "services":
            doc["services"] = [_service(x) for x in _kids(c) if local(x.tag) == "service"]
        elif name == "dependencies":
            doc["dependencies"] = [_dependency(x) for x in _kids(c) if local(x.tag) == "dependency"]
    return doc


def _metadata(elem: Any) -> dict[str, Any]:
    out = _at(elem)
    for c in _kids(elem):
        name = local(c.tag)
        if name == "component":
            out["component"] = _component(c)
        elif name in ("supplier", "manufacturer", "manufacture"):
            out[name] = _org(c)
    return out


def _component(elem: Any) -> dict[str, Any]:
    out = _at(elem)
    for attr in ("type", "bom-ref"):
        if elem.get(attr) is not None:
            out[attr] = elem.get(attr)
    for c in _kids(elem):
        name = local(c.tag)
        if name in ("name", "version", "purl", "author", "publisher"):
            out[name] = _text(c)
        elif name in ("supplier", "manufacturer"):
            out[name] = _org(c)
        elif name == "authors":
            out["authors"] = [{**_at(a), "name": _text(_child(a, "name"))} for a in _kids(c)]
        elif name == "properties":
            out["properties"] = [{**_at(p), "name": p.get("name"), "value": p.text} for p in _kids(c)]
        elif name == "components":
            out["components"] = [_component(x) for x in _kids(c) if local(x.tag) == "component"]
        elif name == "licenses":
            out["licenses"] = [_license_choice(x) for x in _kids(c)]
        elif name == "pedigree":
            anc = _child(c, "ancestors")
            if anc is not None:
                out["pedigree"] = {**_at(c), "ancestors": [_component(x) for x in _kids(anc)]}
    return out


def _org(elem: Any) -> dict[str, Any]:
    out = _at(elem)
    name = _child(elem, "name")
    if name is not None:
        out["name"] = _text(name)
    address = _child(elem, "address")
    if address is not None:
        country = _child(address, "country")
        out["address"] = {**_at(address), **({"country": _text(country)} if country is not None else {})}
        if country is not None:
            out["address"][LOC] = f"line {country.sourceline}"
    return out


def _license_choice(elem: Any) -> dict[str, Any]:
    """``<license>`` or ``<expression>``: both may carry ``licensing`` with a licensor (1.5+)."""
    licensing = _child(elem, "licensing")
    body: dict[str, Any] = _at(elem)
    if licensing is not None:
        licensor = _child(licensing, "licensor")
        if licensor is not None:
            who: dict[str, Any] = _at(licensor)
            for c in _kids(licensor):
                if local(c.tag) == "organization":
                    who["organization"] = _org(c)
                elif local(c.tag) == "individual":
                    who["individual"] = {**_at(c), "name": _text(_child(c, "name"))}
            body["licensing"] = {**_at(licensing), "licensor": who}
    return {**_at(elem), "license": body}


def _service(elem: Any) -> dict[str, Any]:
    out = _at(elem)
    if elem.get("bom-ref") is not None:
        out["bom-ref"] = elem.get("bom-ref")
    nested = _child(elem, "services")
    if nested is not None:
        out["services"] = [_service(x) for x in _kids(nested) if local(x.tag) == "service"]
    return out


def _dependency(elem: Any) -> dict[str, Any]:
    out = _at(elem)
    out["ref"] = elem.get("ref")
    depends = [x.get("ref") for x in _kids(elem) if local(x.tag) == "dependency"]
    provides = [x.get("ref") for x in _kids(elem) if local(x.tag) == "provides"]
    if depends:
        out["dependsOn"] = depends
    if provides:
        out["provides"] = provides
    return out
