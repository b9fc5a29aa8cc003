"""CycloneDX JSON (spec 1.2–1.7) in, a :class:`Bom` out; and strict validation against the official schemas.

Two entry points with different tempers (DESIGN.md §4.4):

* :func:`read_cyclonedx` reads **leniently** for ``screen``. What does not stop us understanding the
  file (a schema violation, an unknown country, an empty supplier name, a misspelt ``cvcomply:``
  property name) becomes a :class:`Warning` in ``Bom.warnings``. Only what would make the screening
  wrong or impossible raises :class:`InputError`: not JSON, not CycloneDX, a ``cvcomply:`` hint with a
  value we cannot read (a guess would change a verdict), or a dependency naming a ``bom-ref`` that is
  not in the file (issue "BOM references that point nowhere: exit 2").
* :func:`validate_cyclonedx` is **strict** for ``validate``: every violation of the official JSON
  schema of the file's ``specVersion`` plus our own checks, all collected, each an :class:`Issue`.

Speed: the lenient read is one pass over parsed JSON (orjson), linear in the number of components. The
schema check that turns violations into warnings (DESIGN.md §4.4) first runs a yes/no validator
(:mod:`cvcomply.formats.fastschema`: jsonschema-rs, hundreds of times faster than jsonschema); only
when that says "invalid" does jsonschema run to list every violation with its JSON pointer. The clean case
- by far the common one - so costs one fast pass. ``read_cyclonedx(..., schema_warnings=False)`` skips it.

What we read (DESIGN.md §4.2):

* every component at any depth, flattened (``Component.parent`` = the enclosing ``bom-ref``), and
  ``metadata.component`` (the BOM's subject) with its nested components. The subject describes the
  document (Dependency-Track's "project"): it is marked ``Component.subject`` and not screened, unless it
  carries ``cvcomply:`` properties — then the BOM's author states it is a part to judge. A component without a
  ``bom-ref`` gets a stable synthetic one, ``#`` + its JSON pointer (``#/components/3``).
* kind: CycloneDX type ``device`` or ``platform`` is hardware, every other type software; a
  ``cvcomply:software-kind`` hint makes it software, and a ``cvcomply:vcs-category`` hint on a
  non-device type without a software-kind makes it hardware.
* parties: ``supplier`` → supplier (with ``address.country``), ``manufacturer`` → manufacturer,
  ``authors[].name`` / ``author`` / ``publisher`` → developer, and the hints ``cvcomply:designer``,
  ``cvcomply:developer``, ``cvcomply:maintained-by``. For the BOM's subject, ``metadata.supplier``,
  ``metadata.manufacturer`` (1.6+) and the deprecated ``metadata.manufacture`` count too (they
  describe "the component that the BOM describes"); ``metadata.authors`` are the BOM's own authors
  and are not read as parties.
* ``licenses[].license.licensing.licensor`` (1.5+; ``organization`` or ``individual``) → supplier: who
  grants the licence to use the component supplies it.
* ``pedigree.ancestors[]`` (the upstream components this one was derived from): their ``supplier``,
  ``manufacturer`` and authors → developer of this component (it was developed from their work); each
  fact points at the ancestor, so the report shows it is inherited. Ancestors are not components of
  the BOM themselves (they are not in the vehicle).
* ``cdx:device:*`` properties (the CycloneDX property taxonomy for HBOMs) mark a component as
  hardware whatever its type, unless a ``cvcomply:software-kind`` hint says otherwise. Types ``device``
  and ``platform`` are hardware; ``firmware`` and ``device-driver`` are software (the rules read type
  ``firmware`` for the firmware exclusion).

CycloneDX XML (:mod:`cvcomply.formats.cyclonedx_xml`) is converted to the same JSON shape and read by
the same walk; a ``locate`` function then turns each JSON pointer into an XML ``line N``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import orjson
from jsonschema import Draft7Validator
from jsonschema.exceptions import ValidationError, best_match
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from cvcomply.formats.errors import InputError, Issue
from cvcomply.formats.fastschema import schema_check
from cvcomply.formats.jsonutil import (
    capped_warnings,
    country_code,
    issue_warnings,
    parse_json,
    paused_gc,
    pointer,
    read_bytes,
    sha256,
    text,
)
from cvcomply.model import Bom, Component, Hints, Party, Warning
from cvcomply.model.bom import ComponentKind, PartyRole
from cvcomply.model.common import SourceRef

__all__ = [
    "HINT_NAMES", "LOC", "SCHEMA_VERSIONS", "read_cyclonedx", "read_shaped", "shaped_issues", "validate_cyclonedx",
]

FORMAT = "cyclonedx"
HARDWARE_TYPES = frozenset({"device", "platform"})
SCHEMA_VERSIONS = ("1.2", "1.3", "1.4", "1.5", "1.6", "1.7")
"""Spec versions with an official JSON schema (1.0 and 1.1 were XML only)."""

_VCS_CATEGORIES = (
    "cellular-module", "telematics-unit", "wifi-module", "bluetooth-module", "gnss-receiver", "satcom-module",
    "v2x-module", "soc", "mcu", "antenna", "other-wireless", "passive",
)
_SOFTWARE_KINDS = ("firmware", "os", "middleware", "application")
_OPEN_SOURCE = ("unmodified", "modified-proprietary", "modified-redistributed")
_FUNCTIONS = ("vcs", "ads", "vcs,ads", "none")
_PARTY_HINTS: dict[str, PartyRole] = {
    "cvcomply:designer": "designer",
    "cvcomply:developer": "developer",
    "cvcomply:maintained-by": "maintainer",
}
HINT_NAMES = (
    "cvcomply:function", "cvcomply:vcs-category", "cvcomply:rf-max-mhz", "cvcomply:software-kind",
    "cvcomply:open-source", "cvcomply:completed-before", "cvcomply:maintained-by", "cvcomply:designer",
    "cvcomply:developer", "cvcomply:model-year",
)
"""The ``cvcomply:`` properties of DESIGN.md §4.2."""


# --------------------------------------------------------------------------------------------------
# public API


def read_cyclonedx(path: str, data: bytes | None = None, *, schema_warnings: bool = True) -> Bom:
    """Read a CycloneDX JSON BOM leniently (module docstring); raise InputError only for unusable input."""
    raw = read_bytes(path, data)
    reader = _Reader(path)
    with paused_gc():  # the schema check too: its small allocations would make the collector walk the document
        doc = _load(path, raw)
        components = reader.read(doc)
        if reader.fatal:
            first = reader.fatal[0]
            raise InputError(path, first.location, first.message, first.fix, issues=tuple(reader.fatal))
        warnings = list(reader.warnings)
        if schema_warnings:
            warnings += issue_warnings(path, _schema_issues(path, doc), "schema: ")
        version = _spec_version(doc) or ""
        del doc  # freed while paused: the collector's first pass after it walks the Bom, not the document too
    return Bom(
        source=path,
        format=FORMAT,
        spec_version=version,
        components=tuple(components),
        sha256=sha256(raw),
        warnings=capped_warnings(path, warnings),
    )


def validate_cyclonedx(path: str, data: bytes | None = None) -> list[Issue]:
    """Every problem of a CycloneDX JSON file: official-schema violations, then our own checks.

    A file that is missing, not JSON or not CycloneDX gives that one Issue.
    """
    try:
        doc = _load(path, read_bytes(path, data))
    except InputError as e:
        return list(e.issues)
    issues = _schema_issues(path, doc)
    reader = _Reader(path)
    reader.read(doc)
    issues += reader.fatal
    seen = {i.location for i in issues}  # the schema already said it: don't say it twice
    for w in reader.warnings:
        location = w.source.partition("#")[2]
        if location not in seen:
            issues.append(Issue(path, location, w.text, ""))
    return issues


LOC = "\x00loc"
"""Key a converted document puts in a dict to say where that object is in the original file."""


def read_shaped(path: str, raw: bytes, doc: dict[str, Any], *, fmt: str, spec_version: str,
                warnings: tuple[Warning, ...] = ()) -> Bom:
    """Read a document another reader converted to CycloneDX JSON shape (XML, SPDX): the one mapping.

    Dicts of ``doc`` may carry :data:`LOC` with their place in the original file (``line 12``,
    ``/packages/3``); every fact and warning is located by the nearest such place.
    """
    reader = _Reader(path, locate=_locator(doc), check_version=False)
    with paused_gc():
        components = reader.read(doc)
    if reader.fatal:
        first = reader.fatal[0]
        raise InputError(path, first.location, first.message, first.fix, issues=tuple(reader.fatal))
    return Bom(source=path, format=fmt, spec_version=spec_version, components=tuple(components),
               sha256=sha256(raw), warnings=(*warnings, *reader.warnings))


def shaped_issues(path: str, doc: dict[str, Any]) -> list[Issue]:
    """What :func:`read_shaped` would refuse or warn about, as Issues (for ``validate``)."""
    reader = _Reader(path, locate=_locator(doc), check_version=False)
    reader.read(doc)
    return reader.fatal + [Issue(path, w.source.partition("#")[2], w.text) for w in reader.warnings]


def _locator(doc: dict[str, Any]) -> Callable[[str], str]:
    def locate(ptr: str) -> str:
        node: Any = doc
        best = doc.get(LOC, "")
        for part in ptr.split("/")[1:]:
            if isinstance(node, dict):
                node = node.get(part)
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                break
            if isinstance(node, dict) and LOC in node:
                best = node[LOC]
        return str(best)

    return locate


# --------------------------------------------------------------------------------------------------
# loading and schema


def _load(path: str, raw: bytes) -> dict[str, Any]:
    doc = parse_json(path, raw, what="CycloneDX JSON")
    if not isinstance(doc, dict):
        raise InputError(path, "", f"not a CycloneDX BOM: the JSON is a {type(doc).__name__}, not an object",
                         fix='a CycloneDX JSON BOM is an object starting {"bomFormat": "CycloneDX", ...}')
    fmt = doc.get("bomFormat")
    if fmt != "CycloneDX":
        hint = " (it looks like SPDX)" if "spdxVersion" in doc or "@context" in doc else ""
        said = "no 'bomFormat'" if fmt is None else f"'bomFormat' is {fmt!r}"
        raise InputError(path, "/bomFormat", f"not a CycloneDX BOM: {said}{hint}",
                         fix='CycloneDX JSON must have "bomFormat": "CycloneDX" and a "specVersion"; '
                             "convert other formats or check you passed the right file")
    return doc


def _spec_version(doc: dict[str, Any]) -> str | None:
    v = doc.get("specVersion")
    return v if isinstance(v, str) else None


def _schema_issues(path: str, doc: dict[str, Any]) -> list[Issue]:
    version = _spec_version(doc)
    if version not in SCHEMA_VERSIONS:
        said = "no 'specVersion'" if version is None else f"specVersion {version!r} has no JSON schema"
        return [Issue(path, "/specVersion", f"cannot check against the CycloneDX schema: {said}",
                      f"set specVersion to one of {', '.join(SCHEMA_VERSIONS)}")]
    if _fast_check(version)(doc):
        return []
    validator = _validator(version)
    errors = sorted(validator.iter_errors(doc), key=lambda e: [str(p) for p in e.absolute_path])
    return [Issue(path, pointer(*e.absolute_path), _describe(e), _fix(e)) for e in errors]


_SCHEMA_DIR = ("schemas", "cyclonedx")
_BASE = "http://cyclonedx.org/schema/"


@cache
def _registry() -> Registry[Any]:
    """All vendored schemas, reachable by file name and by ``$id``: $refs resolve offline."""
    pairs = [(uri, Resource.from_contents(c, default_specification=DRAFT7)) for uri, c in _schema_store().items()]
    return Registry().with_resources(pairs)


@cache
def _validator(version: str) -> Draft7Validator:
    name = f"bom-{version}.SNAPSHOT.schema.json"
    schema = _registry().contents(_BASE + name)
    return Draft7Validator(schema, registry=_registry(), format_checker=Draft7Validator.FORMAT_CHECKER)


def _fast_check(version: str) -> Callable[[Any], bool]:
    name = f"bom-{version}.SNAPSHOT.schema.json"
    return schema_check(("cyclonedx", version), _schema_store()[_BASE + name], _schema_store())


@cache
def _schema_store() -> dict[str, Any]:
    """Every vendored schema by its URL and ``$id``, for the compiled validator's remote ``$ref``s."""
    folder = resources.files("cvcomply.formats").joinpath(*_SCHEMA_DIR)
    store: dict[str, Any] = {}
    for entry in folder.iterdir():
        if entry.name.endswith(".schema.json"):
            contents = orjson.loads(entry.read_bytes())
            store[_BASE + entry.name] = contents
            if isinstance(contents.get("$id"), str):
                store[contents["$id"]] = contents
    return store


def _short(value: Any, limit: int = 60) -> str:
    r = repr(value)
    return r if len(r) <= limit else r[: limit - 1] + "…"


def _describe(err: ValidationError) -> str:
    """A sentence a person can act on, not jsonschema's dump of a 600-value enum or whole objects."""
    v, inst = err.validator, err.instance
    if v == "enum":
        allowed = list(err.validator_value)
        if len(allowed) > 12:
            some = ", ".join(map(str, allowed[:5]))
            return f"{_short(inst)} is not an allowed value here ({len(allowed)} allowed, e.g. {some})"
        return f"{_short(inst)} is not one of: {', '.join(map(str, allowed))}"
    if v == "additionalProperties":
        known = err.schema.get("properties", {})
        extra = sorted(k for k in inst if k not in known) if isinstance(inst, dict) else []
        return f"unknown key(s) {', '.join(map(repr, extra))}"
    if v in ("oneOf", "anyOf") and err.context:
        deepest = _deepest(err)
        where = "/".join(str(p) for p in deepest.relative_path)
        detail = _describe(deepest)
        return f"matches none of the allowed shapes here; closest: {where + ': ' if where else ''}{detail}"
    if v == "uniqueItems":
        return "contains duplicate items (every entry must be unique)"
    if v == "not":
        req = err.validator_value.get("required") if isinstance(err.validator_value, dict) else None
        if req:
            return f"must not have all of {', '.join(map(repr, req))} together"
        return "has a combination of fields the schema forbids here"
    if v == "format":
        return f"{_short(inst)} is not a valid {err.validator_value}"
    if v == "pattern":
        return f"{_short(inst)} does not match the pattern {err.validator_value}"
    if v == "required":
        return str(err.message)
    if v == "type":
        return f"{_short(inst)} is not of type {err.validator_value}"
    if v == "minLength" and inst == "":
        return "must not be empty"
    if isinstance(inst, dict | list):  # jsonschema would print the whole object
        return f"fails the schema's {v!r} rule ({_short(err.validator_value)})"
    message = str(err.message)
    return message if len(message) <= 200 else message[:199] + "…"


def _deepest(err: ValidationError) -> ValidationError:
    """The alternative that got furthest into the document: usually the one the author meant.

    jsonschema's ``best_match`` prefers shallow errors, which for CycloneDX's license ``oneOf`` points
    at "unknown key 'license'" instead of the real fault (an unknown SPDX id one level down).
    """
    leaves: list[ValidationError] = []
    stack = list(err.context or [])
    while stack:
        e = stack.pop()
        if e.validator in ("oneOf", "anyOf") and e.context:
            stack.extend(e.context)
        else:
            leaves.append(e)
    if not leaves:
        return best_match([err])
    weak = ("additionalProperties", "required", "type")
    return max(leaves, key=lambda e: (len(e.absolute_path), e.validator not in weak))


def _fix(err: ValidationError) -> str:
    return {
        "enum": "use one of the values the CycloneDX schema allows here",
        "additionalProperties": "remove or rename the key (CycloneDX does not define it at this place)",
        "required": "add the missing field",
        "format": "write the value in the format the schema names (date-time: 2024-01-31T12:00:00Z)",
        "type": "change the value to the type the schema wants",
    }.get(str(err.validator), "see the CycloneDX specification for this field")


# --------------------------------------------------------------------------------------------------
# the lenient walk


@dataclass(slots=True)
class _Node:
    obj: dict[str, Any]
    ptr: str
    parent: str | None
    subject: bool = False  # metadata.component: the BOM's subject


@dataclass(slots=True)
class _Reader:
    path: str
    locate: Callable[[str], str] | None = None  # JSON pointer of the shaped document -> place in the file
    check_version: bool = True
    warnings: list[Warning] = field(default_factory=list)
    fatal: list[Issue] = field(default_factory=list)
    refs: set[str] = field(default_factory=set)
    hint_cache: dict[tuple[tuple[str, Any], ...], Hints] = field(default_factory=dict)  # BOMs repeat hint sets
    hint_values: dict[tuple[str, str], Any] = field(default_factory=dict)  # (name, value) -> parsed, when readable
    props_cache: dict[tuple[tuple[str, str | None], ...], tuple[Hints, bool, bool]] = field(default_factory=dict)

    def where(self, ptr: str, obj: Any = None) -> str:
        """The place of ``ptr`` in the file. ``obj``, the dict at ``ptr`` when the caller has it, answers
        at once if it carries its :data:`LOC` (it is then the deepest place on the path: what ``locate``
        would find by walking from the root)."""
        if self.locate is None:
            return ptr
        if isinstance(obj, dict) and LOC in obj:
            return str(obj[LOC])
        return self.locate(ptr)

    def warn(self, ptr: str, message: str) -> None:
        self.warnings.append(Warning(f"{self.path}#{self.where(ptr)}", message))

    def fail(self, ptr: str, message: str, fix: str) -> None:
        self.fatal.append(Issue(self.path, self.where(ptr), message, fix))

    def read(self, doc: dict[str, Any]) -> list[Component]:
        version = _spec_version(doc)
        if not self.check_version:
            pass
        elif version is None:
            self.warn("/specVersion", "no specVersion; read as the latest CycloneDX")
        elif version not in SCHEMA_VERSIONS:
            self.warn("/specVersion", f"specVersion {version!r} is not a JSON CycloneDX version we know")
        metadata = doc.get("metadata")
        metadata = metadata if isinstance(metadata, dict) else {}
        out: list[Component] = []
        for node in self._walk(doc, metadata):
            out.append(self._component(node, metadata))
        self.refs.update(c.bom_ref for c in out)
        self.refs.update(self._service_refs(doc))
        self._dependencies(doc)
        return out

    # -- structure ---------------------------------------------------------------------------------

    def _walk(self, doc: dict[str, Any], metadata: dict[str, Any]) -> Iterator[_Node]:
        """Depth-first, document order, without recursion (nesting depth is the file's to choose)."""
        stack: list[_Node] = []
        top = doc.get("components")
        if top is not None:
            stack += reversed(self._children(top, "/components", None))
        subject = metadata.get("component")
        if isinstance(subject, dict):
            stack.append(_Node(subject, "/metadata/component", None, subject=True))
        elif subject is not None:
            self.warn("/metadata/component", "metadata.component is not an object; ignored")
        while stack:
            node = stack.pop()
            yield node
            kids = node.obj.get("components")
            if kids is not None:
                ref = self._ref_of(node)
                stack += reversed(self._children(kids, node.ptr + "/components", ref))

    def _children(self, value: Any, ptr: str, parent: str | None) -> list[_Node]:
        if not isinstance(value, list):
            self.warn(ptr, "'components' is not a list; ignored")
            return []
        nodes = []
        for i, c in enumerate(value):
            if isinstance(c, dict):
                nodes.append(_Node(c, f"{ptr}/{i}", parent))
            else:
                self.warn(f"{ptr}/{i}", "component is not an object; skipped")
        return nodes

    def _ref_of(self, node: _Node) -> str:
        ref = node.obj.get("bom-ref")
        return ref if isinstance(ref, str) and ref else "#" + node.ptr

    def _service_refs(self, doc: dict[str, Any]) -> set[str]:
        refs: set[str] = set()
        stack = [doc.get("services")]
        while stack:
            items = stack.pop()
            if not isinstance(items, list):
                continue
            for s in items:
                if isinstance(s, dict):
                    if isinstance(s.get("bom-ref"), str):
                        refs.add(s["bom-ref"])
                    stack.append(s.get("services"))
        return refs

    def _dependencies(self, doc: dict[str, Any]) -> None:
        deps = doc.get("dependencies")
        if deps is None:
            return
        if not isinstance(deps, list):
            self.warn("/dependencies", "'dependencies' is not a list; ignored")
            return
        fix = "make it name the bom-ref of a component or service in this BOM, or remove it"
        for i, dep in enumerate(deps):
            if not isinstance(dep, dict):
                self.warn(f"/dependencies/{i}", "dependency is not an object; ignored")
                continue
            ref = dep.get("ref")
            if not isinstance(ref, str) or ref not in self.refs:
                self.fail(f"/dependencies/{i}/ref", f"dependency ref {_short(ref)} names no bom-ref in this BOM", fix)
            for key in ("dependsOn", "provides"):
                targets = dep.get(key)
                if targets is None:
                    continue
                if not isinstance(targets, list):
                    self.warn(f"/dependencies/{i}/{key}", f"'{key}' is not a list; ignored")
                    continue
                for j, t in enumerate(targets):
                    if not isinstance(t, str) or t not in self.refs:
                        self.fail(f"/dependencies/{i}/{key}/{j}", f"{key} {_short(t)} names no bom-ref in this BOM",
                                  fix)

    # -- one component -----------------------------------------------------------------------------

    def _component(self, node: _Node, metadata: dict[str, Any]) -> Component:
        obj, ptr = node.obj, node.ptr
        declared = obj.get("bom-ref")
        if isinstance(declared, str) and declared:
            ref = declared
            if ref in self.refs:
                self.warn(ptr + "/bom-ref", f"bom-ref {ref!r} is used by an earlier component; this one is "
                                            f"read as {'#' + ptr!r}")
                ref, declared = "#" + ptr, None
            self.refs.add(ref)
        else:
            ref, declared = "#" + ptr, None
            if obj.get("bom-ref") is not None:
                self.warn(ptr + "/bom-ref", f"bom-ref is not a non-empty string; read as {ref!r}")
        name = text(obj.get("name"))
        if name is None:
            self.warn(ptr + "/name", f"component has no name; shown by its bom-ref {ref!r}")
            name = ref
        ctype = obj.get("type")
        if not isinstance(ctype, str):
            self.warn(ptr + "/type", "component has no type; read as software unless its hints say otherwise")
            ctype = ""
        hints, hint_parties, device, hinted = self._hints(obj, ptr, ref)
        parties = self._parties(obj, ptr, ref)
        if node.subject:
            parties += self._subject_parties(metadata, ref)
        parties += hint_parties
        return Component(
            bom_ref=ref,
            name=name,
            kind=_kind(ctype, hints, device),
            type=ctype,
            version=text(obj.get("version")),
            purl=text(obj.get("purl")),
            parties=tuple(parties),
            hints=hints,
            parent=node.parent,
            source=SourceRef(self.path, self.where(ptr, obj), declared),
            subject=node.subject and not hinted,
        )

    def _parties(self, obj: dict[str, Any], ptr: str, ref: str) -> list[Party]:
        out: list[Party] = []
        get = obj.get  # absent keys are the common case: test them without a call each
        if get("supplier") is not None:
            self._org(obj["supplier"], ptr + "/supplier", "supplier", ref, out)
        if get("manufacturer") is not None:
            self._org(obj["manufacturer"], ptr + "/manufacturer", "manufacturer", ref, out)
        authors = get("authors")
        if isinstance(authors, list):
            for i, a in enumerate(authors):
                name = a.get("name") if isinstance(a, dict) else None
                self._named("developer", name, f"{ptr}/authors/{i}", ref, out, obj=a)
        for key in ("author", "publisher"):
            if get(key) is not None:
                self._named("developer", obj[key], f"{ptr}/{key}", ref, out)
        licenses = get("licenses")
        if isinstance(licenses, list):
            for i, choice in enumerate(licenses):
                if _may_license(choice):
                    self._licensor(choice, f"{ptr}/licenses/{i}", ref, out)
        pedigree = get("pedigree")
        ancestors = pedigree.get("ancestors") if isinstance(pedigree, dict) else None
        if isinstance(ancestors, list):
            for i, anc in enumerate(ancestors):
                if isinstance(anc, dict):
                    for p in self._parties(anc, f"{ptr}/pedigree/ancestors/{i}", ref):
                        out.append(p if p.role == "developer" else Party(
                            role="developer", name=p.name, country=p.country, source=p.source))
        return out

    def _licensor(self, choice: Any, ptr: str, ref: str, out: list[Party]) -> None:
        """``license.licensing.licensor`` (1.5+): who grants the licence supplies the component."""
        lic = choice.get("license") if isinstance(choice, dict) else None
        licensing = lic.get("licensing") if isinstance(lic, dict) else None
        if not isinstance(licensing, dict):
            licensing = choice.get("licensing") if isinstance(choice, dict) else None  # expression choices
            ptr += "/licensing/licensor"
        else:
            ptr += "/license/licensing/licensor"
        licensor = licensing.get("licensor") if isinstance(licensing, dict) else None
        if not isinstance(licensor, dict):
            return
        if licensor.get("organization") is not None:
            self._org(licensor["organization"], ptr + "/organization", "supplier", ref, out)
        individual = licensor.get("individual")
        if isinstance(individual, dict):
            self._named("supplier", individual.get("name"), ptr + "/individual", ref, out, obj=individual)

    def _subject_parties(self, metadata: dict[str, Any], ref: str) -> list[Party]:
        out: list[Party] = []
        self._org(metadata.get("supplier"), "/metadata/supplier", "supplier", ref, out)
        self._org(metadata.get("manufacturer"), "/metadata/manufacturer", "manufacturer", ref, out)
        self._org(metadata.get("manufacture"), "/metadata/manufacture", "manufacturer", ref, out)
        return out

    def _org(self, org: Any, ptr: str, role: PartyRole, ref: str, out: list[Party]) -> None:
        if org is None:
            return
        if not isinstance(org, dict):
            self.warn(ptr, f"{role} is not an object (OrganizationalEntity); ignored")
            return
        country = None
        address = org.get("address")
        if isinstance(address, dict) and address.get("country") is not None:
            stated = address.get("country")
            country = country_code(stated) if isinstance(stated, str) else None
            if country is None:
                self.warn(ptr + "/address/country", f"country {_short(stated)} is not a country we recognise; "
                                                    "read as unknown (use an ISO 3166-1 code such as CN or DE)")
        self._named(role, org.get("name"), ptr, ref, out, country, obj=org)

    def _named(self, role: PartyRole, name: Any, ptr: str, ref: str, out: list[Party],
               country: str | None = None, obj: Any = None) -> None:
        """A party named ``name`` at ``ptr`` (``obj``: the dict there, when there is one; see :meth:`where`)."""
        clean = text(name)
        if clean is None:
            self.warn(ptr, f"{role} has an empty name; skipped")
            return
        out.append(Party(role=role, name=clean, country=country,
                         source=SourceRef(self.path, self.where(ptr, obj), ref)))

    # -- hints -------------------------------------------------------------------------------------

    def _hints(self, obj: dict[str, Any], ptr: str, ref: str) -> tuple[Hints, list[Party], bool, bool]:
        """Hints, hint parties, and whether there are ``cdx:device:*`` / any ``cvcomply:`` properties.

        BOMs repeat the same property lists on thousands of components: a list of string names and
        values that gave no party, warning or error is read once and its result reused.
        """
        props = obj.get("properties")
        if not isinstance(props, list):
            return _NO_HINTS, [], False, False
        key = _props_key(props)
        if key is not None:
            hit = self.props_cache.get(key)
            if hit is not None:
                return hit[0], [], hit[1], hit[2]
        said = len(self.warnings) + len(self.fatal)
        hints, parties, device, hinted = self._read_hints(props, ptr, ref)
        if key is not None and not parties and len(self.warnings) + len(self.fatal) == said:
            self.props_cache[key] = (hints, device, hinted)
        return hints, parties, device, hinted

    def _read_hints(self, props: list[Any], ptr: str, ref: str) -> tuple[Hints, list[Party], bool, bool]:
        """One pass over the properties gives all four results of :meth:`_hints`."""
        values: dict[str, Any] = {}
        parties: list[Party] = []
        device = hinted = False
        for i, prop in enumerate(props):
            if not isinstance(prop, dict):
                continue
            name = prop.get("name")
            if not isinstance(name, str):
                continue
            if not name.startswith("cvcomply:"):
                device = device or name.startswith("cdx:device:")
                continue
            hinted = True
            pptr = f"{ptr}/properties/{i}"
            if name not in _HINT_SET:
                close = difflib.get_close_matches(name, HINT_NAMES, n=1)
                guess = f"; did you mean {close[0]!r}?" if close else f"; known: {', '.join(HINT_NAMES)}"
                self.warn(pptr + "/name", f"unknown property {name!r} ignored{guess}")
                continue
            raw = prop.get("value")
            if isinstance(raw, int | float) and not isinstance(raw, bool):
                raw = str(raw)
            if not isinstance(raw, str):
                self.fail(pptr + "/value", f"{name} has no value", "give the property a value (DESIGN.md §4.2)")
                continue
            if name in _PARTY_HINTS:
                role = _PARTY_HINTS[name]
                before = len(parties)
                self._named(role, raw, pptr, ref, parties, obj=prop)
                if len(parties) > before:
                    values[name] = parties[-1].name
                continue
            value = raw.strip()
            parsed = self.hint_values.get((name, value))
            if parsed is None:
                parsed = self._hint_value(name, value, pptr)
                if parsed is not None:
                    self.hint_values[(name, value)] = parsed
            if parsed is not None:
                if name in values:
                    self.warn(pptr, f"{name} is given more than once; the last one counts")
                values[name] = parsed
        if not values:
            return _NO_HINTS, parties, device, hinted
        key = tuple(sorted(values.items()))
        cached = self.hint_cache.get(key)
        if cached is not None:
            return cached, parties, device, hinted
        hints = self.hint_cache[key] = Hints(
            function=values.get("cvcomply:function"),
            vcs_category=values.get("cvcomply:vcs-category"),
            rf_max_mhz=values.get("cvcomply:rf-max-mhz"),
            software_kind=values.get("cvcomply:software-kind"),
            open_source=values.get("cvcomply:open-source"),
            completed_before=values.get("cvcomply:completed-before"),
            maintained_by=values.get("cvcomply:maintained-by"),
            designer=values.get("cvcomply:designer"),
            developer=values.get("cvcomply:developer"),
            model_year=values.get("cvcomply:model-year"),
        )
        return hints, parties, device, hinted

    def _hint_value(self, name: str, value: str, ptr: str) -> Any:
        """The parsed value, or None after recording a fatal issue (a guess could change a verdict)."""
        vptr = ptr + "/value"

        def bad(allowed: str) -> Any:
            self.fail(vptr, f"unknown value {value!r} for {name}", f"use {allowed}")
            return None

        if name == "cvcomply:function":
            tokens = {t.strip().lower() for t in value.split(",")}
            if tokens == {"none"}:
                return frozenset()
            if tokens and tokens <= {"vcs", "ads"}:
                return frozenset(tokens)
            return bad("one of: " + ", ".join(_FUNCTIONS))
        allowed = _ENUM_HINTS.get(name)
        if allowed is not None:
            v = value.lower()
            return v if v in allowed else bad("one of: " + ", ".join(allowed))
        if name == "cvcomply:rf-max-mhz":
            try:
                mhz = float(value)
            except ValueError:
                mhz = math.nan
            return mhz if math.isfinite(mhz) and mhz >= 0 else bad("a number of MHz, e.g. 5900")
        if name == "cvcomply:completed-before":
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                return bad("a date written YYYY-MM-DD")
        if name == "cvcomply:model-year":
            if value.isascii() and value.isdigit() and 1900 <= int(value) <= 2200:
                return int(value)
            return bad("a four-digit model year, e.g. 2027")
        raise AssertionError(f"unhandled hint {name}")  # pragma: no cover - HINT_NAMES and this code agree


_NO_HINTS = Hints()


def _may_license(choice: Any) -> bool:
    """Whether a licence choice can name a licensor (``licensing`` on it or on its ``license``)."""
    if not isinstance(choice, dict):
        return False
    lic = choice.get("license")
    return "licensing" in choice or (isinstance(lic, dict) and "licensing" in lic)
_HINT_SET = frozenset(HINT_NAMES)


def _props_key(props: list[Any]) -> tuple[tuple[str, str | None], ...] | None:
    """The (name, value) pairs of a property list, or None when one is not plain strings (read it afresh)."""
    key = []
    for p in props:
        if type(p) is not dict:
            return None
        name, value = p.get("name"), p.get("value")
        if type(name) is not str or (value is not None and type(value) is not str):
            return None
        key.append((name, value))
    return tuple(key)
_ENUM_HINTS = {
    "cvcomply:vcs-category": _VCS_CATEGORIES,
    "cvcomply:software-kind": _SOFTWARE_KINDS,
    "cvcomply:open-source": _OPEN_SOURCE,
}


def _kind(ctype: str, hints: Hints, device: bool) -> ComponentKind:
    """``device``: the component carries ``cdx:device:*`` properties (CycloneDX taxonomy for hardware)."""
    if hints.software_kind is not None:
        return "software"
    if ctype in HARDWARE_TYPES or hints.vcs_category is not None or device:
        return "hardware"
    return "software"
