"""GLEIF data in, :class:`OwnershipFacts` out — streamed, so a whole Golden Copy fits in bounded memory.

Three record kinds, each in the XML of the Golden Copy and in two JSON forms:

* **LEI-CDF 3.1** ``lei:LEIRecord`` → an :class:`Entity` whose id is the LEI, with ``("lei", LEI)`` as
  identifier; ``OtherEntityNames`` and ``TransliteratedOtherEntityNames`` → aliases;
  ``LegalJurisdiction`` → jurisdiction (a subdivision such as ``US-DE`` → its country); the countries of
  ``LegalAddress`` and ``HeadquartersAddress`` → headquarters; ``EntityStatus``, ``RegistrationStatus``
  and ``EntityCategory`` → :attr:`Entity.facts`. Records whose registration is ``ANNULLED`` or
  ``DUPLICATE`` were issued in error and are skipped.
* **RR-CDF 2.1** ``rr:RelationshipRecord`` → a :class:`Holding`. ``StartNode`` is the **child** and
  ``EndNode`` the **parent**, so ``holder = EndNode`` and ``subject = StartNode``:

  ============================== ===================================================================
  RelationshipType               Holding
  ============================== ===================================================================
  IS_DIRECTLY_CONSOLIDATED_BY    ``consolidation``, direct: accounting consolidation, which the control
                                 policy treats as control (``consolidation_is_control``)
  IS_ULTIMATELY_CONSOLIDATED_BY  ``consolidation``, indirect (the ultimate parent, over the chain)
  IS_INTERNATIONAL_BRANCH_OF     ``consolidation``: a branch is part of its head office's legal person
  IS_FUND-MANAGED_BY             ``control-by-contract``: the manager decides for the fund by contract
  IS_SUBFUND_OF                  ``other`` (a compartment of an umbrella fund)
  IS_FEEDER_TO                   not read: the feeder invests in the master, it is not held by it
  ============================== ===================================================================

  The ``RELATIONSHIP_PERIOD`` start and end dates bound the holding; an ``INACTIVE`` relationship
  without an end date ends at the record's last update (the latest day GLEIF could say it held). An
  ``ACCOUNTING_CONSOLIDATION`` percentage quantifier becomes the share. Relationships whose
  registration is ``ANNULLED`` or ``DUPLICATE`` are skipped; ``RETIRED`` ones end at the last update.
* **Reporting exceptions** ``repex:Exception``: a parent that is not reported. ``NON_PUBLIC``,
  ``LEGAL_OBSTACLES``, ``BINDING_LEGAL_COMMITMENTS``, ``DISCLOSURE_DETRIMENTAL``,
  ``DETRIMENT_NOT_EXCLUDED``, ``CONSENT_NOT_OBTAINED`` and ``NO_LEI`` (a parent without an LEI) withhold
  the parent: a gap, so the entity's
  :attr:`Entity.ownership_withheld` is set (DESIGN.md §3 reading 6: a withheld parent is
  ``needs_review``). ``NO_KNOWN_PERSON``, ``NATURAL_PERSONS`` and ``NON_CONSOLIDATING`` say no legal
  entity consolidates it: not a gap, nothing is recorded. Because exceptions come in their own file, the
  reader emits an entity carrying only the LEI (its name is the LEI) that the registry merges into the
  LEI record's entity by the shared identifier — list LEI files before exception files so the legal
  name stays the name. An exception an update file marks deleted (``gleif:Deletion``) is not read.

Forms: the Golden Copy **XML** (namespaces ``…/schema/leidata/2016``, ``…/rr/2016``, ``…/repex/2016``),
streamed with :func:`cvcomply.formats.xmlutil.iterparse` and each record cleared once read; the
**parsed JSON** of Open Ownership's pipeline (objects keyed by the CDF element names, an array or JSON
Lines); and the **GLEIF API** JSON:API answers (``{"data": {"type": "lei-records" | "relationship-records"
| "reporting-exceptions", "attributes": …}}``, one record or a list). JSON is read whole (:data:`MAX_JSON_BYTES`).

:func:`iter_gleif` yields the facts one at a time (memory independent of the file's size: how a store
loads a Golden Copy); :func:`read_gleif` collects them into :class:`OwnershipFacts`.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

import orjson

from cvcomply.formats import xmlutil
from cvcomply.formats.errors import InputError, Issue
from cvcomply.formats.jsonutil import (
    MAX_WARNINGS,
    capped_warnings,
    country_code,
    issue_warnings,
    parse_json,
    pointer,
    read_bytes,
    sha256,
    text,
)
from cvcomply.model import Entity, Holding, Interest, OwnershipFacts, SourceRef
from cvcomply.resolve.identifiers import lei_checks

__all__ = [
    "FORMAT_JSON",
    "FORMAT_XML",
    "MAX_JSON_BYTES",
    "MAX_WARNINGS",
    "WITHHOLDING_REASONS",
    "iter_gleif",
    "looks_like_gleif_json",
    "looks_like_gleif_xml",
    "read_gleif",
    "validate_gleif",
]

FORMAT_XML = "gleif-xml"
FORMAT_JSON = "gleif-json"
MAX_JSON_BYTES = 1 << 30
"""JSON forms are parsed whole: above 1 GiB use the XML Golden Copy (streamed) or raise ``max_bytes``."""

NS_LEI = "http://www.gleif.org/data/schema/leidata/2016"
NS_RR = "http://www.gleif.org/data/schema/rr/2016"
NS_REPEX = "http://www.gleif.org/data/schema/repex/2016"

WITHHOLDING_REASONS = frozenset({
    "NON_PUBLIC", "LEGAL_OBSTACLES", "BINDING_LEGAL_COMMITMENTS", "DISCLOSURE_DETRIMENTAL",
    "DETRIMENT_NOT_EXCLUDED", "CONSENT_NOT_OBTAINED", "NO_LEI",
})
"""Exception reasons that hide an existing parent: a gap (``ownership_withheld``). ``NO_LEI``: the parent
exists but has no LEI, so GLEIF cannot say who it is."""
NOT_A_GAP = frozenset({"NO_KNOWN_PERSON", "NATURAL_PERSONS", "NON_CONSOLIDATING"})
"""Exception reasons saying no legal entity consolidates the entity: nothing is withheld."""
EXCEPTION_CATEGORIES = frozenset({"DIRECT_ACCOUNTING_CONSOLIDATION_PARENT", "ULTIMATE_ACCOUNTING_CONSOLIDATION_PARENT"})

RELATIONSHIPS: dict[str, tuple[Interest, bool] | None] = {
    "IS_DIRECTLY_CONSOLIDATED_BY": ("consolidation", True),
    "IS_ULTIMATELY_CONSOLIDATED_BY": ("consolidation", False),
    "IS_INTERNATIONAL_BRANCH_OF": ("consolidation", True),
    "IS_FUND-MANAGED_BY": ("control-by-contract", True),
    "IS_SUBFUND_OF": ("other", True),
    "IS_FEEDER_TO": None,
}
"""RR-CDF relationship type → (interest, direct), None = not an interest of the parent (table above)."""

_SKIP_REGISTRATION = frozenset({"ANNULLED", "DUPLICATE"})
_LEI_REG_STATUS = frozenset({"PENDING_VALIDATION", "ISSUED", "DUPLICATE", "LAPSED", "MERGED", "RETIRED", "ANNULLED",
                             "CANCELLED", "TRANSFERRED", "PENDING_TRANSFER", "PENDING_ARCHIVAL"})
_RR_REG_STATUS = frozenset({"PENDING", "PUBLISHED", "DUPLICATE", "LAPSED", "RETIRED", "ANNULLED", "TRANSFERRED",
                            "PENDING_TRANSFER", "PENDING_ARCHIVAL"})
_ENTITY_STATUS = frozenset({"ACTIVE", "INACTIVE", "NULL"})


def looks_like_gleif_xml(head: bytes) -> bool:
    """True when an XML file's first bytes name a GLEIF CDF namespace (format detection)."""
    return any(ns.encode() in head for ns in (NS_LEI, NS_RR, NS_REPEX))


def looks_like_gleif_json(doc: Any) -> bool:
    """True when parsed JSON is a GLEIF API answer or parsed-CDF records (format detection)."""
    if isinstance(doc, dict) and "data" in doc:
        data = doc["data"]
        first = data[0] if isinstance(data, list) and data else data
        return isinstance(first, dict) and first.get("type") in (
            "lei-records", "relationship-records", "reporting-exceptions")
    first = doc[0] if isinstance(doc, list) and doc else doc
    return isinstance(first, dict) and (
        ("LEI" in first and ("Entity" in first or "ExceptionCategory" in first)) or "Relationship" in first)


# -- records, whatever the form ----------------------------------------------------------------------


@dataclass(slots=True)
class _Lei:
    lei: str | None = None
    name: str | None = None
    other_names: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)  # legal and headquarters address countries
    jurisdiction: str | None = None
    entity_status: str | None = None
    registration_status: str | None = None
    category: str | None = None


@dataclass(slots=True)
class _Rel:
    start: str | None = None
    end: str | None = None
    start_type: str | None = None
    end_type: str | None = None
    rtype: str | None = None
    status: str | None = None
    registration_status: str | None = None
    last_update: str | None = None
    periods: list[tuple[str | None, str | None, str | None]] = field(default_factory=list)  # (type, start, end)
    quantifiers: list[tuple[str | None, str | None, str | None]] = field(default_factory=list)  # method, amount, unit


@dataclass(slots=True)
class _Repex:
    lei: str | None = None
    category: str | None = None
    reasons: list[str] = field(default_factory=list)
    deleted: bool = False


_Record = _Lei | _Rel | _Repex


# -- public API ---------------------------------------------------------------------------------------


def iter_gleif(path: str, data: bytes | None = None, *, name: str | None = None,
               issues: list[Issue] | None = None, max_bytes: int = MAX_JSON_BYTES) -> Iterator[Entity | Holding]:
    """Yield each entity and holding of a GLEIF file as it is read (XML streams from ``path``).

    Memory does not grow with an XML file's size: each record is cleared once converted. ``name`` is how
    sources name the file (default ``path``); problems the reader steps over are appended to ``issues``.
    """
    conv = _Converter(name or path, issues if issues is not None else [])
    for where, rec in _records(path, data, conv.name, max_bytes):
        fact = conv.convert(where, rec)
        if fact is not None:
            yield fact
    if conv.records == 0:
        conv.issue("", "no LEI, relationship or reporting-exception record found",
                   "a GLEIF file holds lei:LEIRecord, rr:RelationshipRecord or repex:Exception records")


def read_gleif(path: str, data: bytes | None = None, *, name: str | None = None,
               max_bytes: int = MAX_JSON_BYTES) -> OwnershipFacts:
    """Read a GLEIF file (LEI-CDF, RR-CDF or reporting exceptions; XML or JSON) into ownership facts.

    Lenient (DESIGN.md §4.4): a record that cannot be understood is skipped with a warning, and every other
    problem :func:`validate_gleif` reports becomes a warning with the same place and message (at most
    :data:`MAX_WARNINGS`, then one counting the rest). A reporting exception for an LEI described in the same
    file is folded into that entity.
    """
    label = name or path
    issues: list[Issue] = []
    entities: dict[str, Entity] = {}
    holdings: list[Holding] = []
    for fact in iter_gleif(path, data, name=label, issues=issues, max_bytes=max_bytes):
        if isinstance(fact, Holding):
            holdings.append(fact)
            continue
        known = entities.get(fact.id)
        if known is None:
            entities[fact.id] = fact
        elif fact.ownership_withheld and not known.ownership_withheld:
            entities[fact.id] = replace(known, ownership_withheld=fact.ownership_withheld)
        elif known.ownership_withheld and known.name == known.id:  # exception came first: keep its reason
            entities[fact.id] = replace(fact, ownership_withheld=known.ownership_withheld)
    fmt = FORMAT_XML if _is_xml(path, data) else FORMAT_JSON
    warnings = capped_warnings(label, issue_warnings(label, issues))
    return OwnershipFacts(source=label, format=fmt, entities=tuple(entities.values()), holdings=tuple(holdings),
                          sha256=_file_sha256(path, data), warnings=warnings)


def validate_gleif(path: str, data: bytes | None = None, *, name: str | None = None) -> list[Issue]:
    """Every structural problem, located (``line N`` in XML, a JSON pointer in JSON); streamed for XML.

    No GLEIF XSD ships with cvcomply (none is packaged on PyPI), so the checks are those of the CDF
    schemas that matter to screening: an LEI of 20 characters with valid ISO 17442 check digits, a legal
    name, a jurisdiction and address countries that are countries, known status and type codes, both
    nodes of a relationship, readable dates and percentages. The lenient read runs the same checks.
    """
    issues: list[Issue] = []
    try:
        for _ in iter_gleif(path, data, name=name, issues=issues):
            pass
    except InputError as e:
        return issues + list(e.issues)
    return issues


# -- reading each form ---------------------------------------------------------------------------------


def _is_xml(path: str, data: bytes | None) -> bool:
    head = data[:256] if data is not None else _head(path, 256)
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


def _head(path: str, n: int) -> bytes:
    try:
        with open(path, "rb") as f:
            return f.read(n)
    except OSError as e:
        raise InputError(path, "", f"cannot read file: {e.strerror}", fix="check the path and its permissions") from e


def _file_sha256(path: str, data: bytes | None) -> str:
    if data is not None:
        return sha256(data)
    import hashlib

    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _records(path: str, data: bytes | None, name: str, max_bytes: int) -> Iterator[tuple[str, _Record]]:
    if _is_xml(path, data):
        yield from _xml_records(path, data, name)
        return
    raw = read_bytes(path, data)
    if len(raw) > max_bytes:
        raise InputError(name, "", f"JSON file is {len(raw):,} bytes, above the limit of {max_bytes:,}",
                         fix="use the XML Golden Copy (streamed), or raise max_bytes if you trust the file")
    yield from _json_records(name, raw)


_T = {k: f"{{{NS_LEI}}}{k}" for k in (
    "LEIRecord", "LEI", "Entity", "Registration", "LegalName", "OtherEntityNames", "OtherEntityName",
    "TransliteratedOtherEntityNames", "TransliteratedOtherEntityName", "LegalAddress", "HeadquartersAddress",
    "Country", "LegalJurisdiction", "EntityStatus", "RegistrationStatus", "EntityCategory")}
_R = {k: f"{{{NS_RR}}}{k}" for k in (
    "RelationshipRecord", "Relationship", "Registration", "StartNode", "EndNode", "NodeID", "NodeIDType",
    "RelationshipType", "RelationshipPeriods", "RelationshipPeriod", "StartDate", "EndDate", "PeriodType",
    "RelationshipStatus", "RelationshipQuantifiers", "RelationshipQuantifier", "MeasurementMethod",
    "QuantifierAmount", "QuantifierUnits", "RegistrationStatus", "LastUpdateDate")}
_X = {k: f"{{{NS_REPEX}}}{k}" for k in ("Exception", "LEI", "ExceptionCategory", "ExceptionReason")}
_DELETION = "{http://www.gleif.org/data/schema/golden-copy/extensions/1.0}Deletion"


def _xml_records(path: str, data: bytes | None, name: str) -> Iterator[tuple[str, _Record]]:
    source: Any = io.BytesIO(data) if data is not None else path
    tags = (_T["LEIRecord"], _R["RelationshipRecord"], _X["Exception"])
    for _, elem in xmlutil.iterparse(source, name, tag=tags, what="GLEIF"):
        tag = elem.tag
        where = xmlutil.line(elem)
        rec: _Record
        if tag == tags[0]:
            rec = _xml_lei(elem)
        elif tag == tags[1]:
            rec = _xml_rel(elem)
        else:
            rec = _Repex(lei=_t(elem.findtext(_X["LEI"])), category=_t(elem.findtext(_X["ExceptionCategory"])),
                         reasons=[r for r in (_t(x.text) for x in elem.iterfind(_X["ExceptionReason"])) if r],
                         deleted=next(elem.iter(_DELETION), None) is not None)
        # free what is read: the record and the already-read siblings before it
        elem.clear(keep_tail=False)
        parent = elem.getparent()
        if parent is not None:
            while elem.getprevious() is not None:
                del parent[0]
        yield where, rec


def _t(value: Any) -> str | None:
    """Stripped text or None: lxml gives ``str | None``, JSON anything (this runs millions of times)."""
    if value.__class__ is str:
        return value.strip() or None
    return None if value is None else text(value)


# Tags of the hot loop as plain locals-friendly constants: comparing interned strings beats findtext().
_L_LEI, _L_ENTITY, _L_REG = _T["LEI"], _T["Entity"], _T["Registration"]
_L_NAME, _L_JUR, _L_STATUS, _L_CAT = _T["LegalName"], _T["LegalJurisdiction"], _T["EntityStatus"], _T["EntityCategory"]
_L_NAMES = frozenset({_T["OtherEntityNames"], _T["TransliteratedOtherEntityNames"]})
_L_ADDRESSES = frozenset({_T["LegalAddress"], _T["HeadquartersAddress"]})
_L_COUNTRY, _L_REG_STATUS = _T["Country"], _T["RegistrationStatus"]
_R_REL, _R_REG, _R_START, _R_END = _R["Relationship"], _R["Registration"], _R["StartNode"], _R["EndNode"]
_R_ID, _R_IDTYPE, _R_TYPE = _R["NodeID"], _R["NodeIDType"], _R["RelationshipType"]
_R_PERIODS = _R["RelationshipPeriods"]
_R_STATUS, _R_QUANTS, _R_REG_STATUS, _R_UPDATE = (_R["RelationshipStatus"], _R["RelationshipQuantifiers"],
                                                  _R["RegistrationStatus"], _R["LastUpdateDate"])
_R_PTYPE, _R_SDATE, _R_EDATE = _R["PeriodType"], _R["StartDate"], _R["EndDate"]
_R_METHOD, _R_AMOUNT, _R_UNITS = _R["MeasurementMethod"], _R["QuantifierAmount"], _R["QuantifierUnits"]


def _xml_lei(elem: Any) -> _Lei:
    rec = _Lei()
    for child in elem:
        tag = child.tag
        if tag == _L_LEI:
            rec.lei = _t(child.text)
        elif tag == _L_ENTITY:
            for c in child:
                ctag = c.tag
                if ctag == _L_NAME:
                    rec.name = _t(c.text)
                elif ctag in _L_NAMES:
                    rec.other_names.extend(n for n in (_t(x.text) for x in c) if n)
                elif ctag in _L_ADDRESSES:
                    for part in c:
                        if part.tag == _L_COUNTRY:
                            country = _t(part.text)
                            if country:
                                rec.countries.append(country)
                elif ctag == _L_JUR:
                    rec.jurisdiction = _t(c.text)
                elif ctag == _L_STATUS:
                    rec.entity_status = _t(c.text)
                elif ctag == _L_CAT:
                    rec.category = _t(c.text)
        elif tag == _L_REG:
            for c in child:
                if c.tag == _L_REG_STATUS:
                    rec.registration_status = _t(c.text)
    return rec


def _fields(elem: Any, *tags: str) -> list[str | None]:
    """The text of the children with these tags, in that order (None where absent)."""
    found = {c.tag: c.text for c in elem}
    return [_t(found.get(t)) for t in tags]


def _xml_rel(elem: Any) -> _Rel:
    rec = _Rel()
    for part in elem:
        ptag = part.tag
        if ptag == _R_REL:
            for c in part:
                ctag = c.tag
                if ctag == _R_START:
                    rec.start, rec.start_type = _fields(c, _R_ID, _R_IDTYPE)
                elif ctag == _R_END:
                    rec.end, rec.end_type = _fields(c, _R_ID, _R_IDTYPE)
                elif ctag == _R_TYPE:
                    rec.rtype = _t(c.text)
                elif ctag == _R_PERIODS:
                    rec.periods = [(f[0], f[1], f[2]) for f in (_fields(p, _R_PTYPE, _R_SDATE, _R_EDATE) for p in c)]
                elif ctag == _R_STATUS:
                    rec.status = _t(c.text)
                elif ctag == _R_QUANTS:
                    rec.quantifiers = [(f[0], f[1], f[2])
                                       for f in (_fields(q, _R_METHOD, _R_AMOUNT, _R_UNITS) for q in c)]
        elif ptag == _R_REG:
            rec.registration_status, rec.last_update = _fields(part, _R_REG_STATUS, _R_UPDATE)
    return rec


def _json_records(name: str, raw: bytes) -> Iterator[tuple[str, _Record]]:
    try:
        doc = parse_json(name, raw, what="GLEIF")
        items: list[tuple[str, Any]]
        if isinstance(doc, dict) and "data" in doc:
            data = doc["data"]
            items = [(pointer("data", i), d) for i, d in enumerate(data)] if isinstance(data, list) else [
                ("/data", data)]
        elif isinstance(doc, list):
            items = [(pointer(i), d) for i, d in enumerate(doc)]
        else:
            items = [("", doc)]
    except InputError:
        items = []
        for n, line in enumerate(raw.splitlines(), start=1):
            if line.strip():
                try:
                    items.append((f"line {n}", orjson.loads(line)))
                except orjson.JSONDecodeError as e:
                    raise InputError(name, f"line {n}, column {e.colno}", f"not valid JSON ({e.msg})",
                                     fix="a GLEIF JSON file is one JSON document or one record per line") from e
    for where, obj in items:
        rec = _json_record(obj)
        if rec is None:
            yield where, _Repex()  # an unrecognised object: the converter reports it
        else:
            yield where, rec


def _g(obj: Any, *keys: str) -> Any:
    for k in keys:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(k)
    return obj


def _names(value: Any, key: str) -> list[str]:
    items = value if isinstance(value, list) else [value] if isinstance(value, dict | str) else []
    out = []
    for it in items:
        n = _t(it.get(key)) if isinstance(it, dict) else _t(it)
        if n:
            out.append(n)
    return out


def _json_record(obj: Any) -> _Record | None:
    if not isinstance(obj, dict):
        return None
    if obj.get("type") in ("lei-records", "relationship-records", "reporting-exceptions") and "attributes" in obj:
        return _api_record(obj["type"], obj.get("attributes"), obj.get("id"))
    if "Relationship" in obj:
        rel = obj["Relationship"]
        periods = rel.get("RelationshipPeriods") if isinstance(rel, dict) else None
        periods = periods if isinstance(periods, list) else [periods] if isinstance(periods, dict) else []
        quants = rel.get("RelationshipQuantifiers") if isinstance(rel, dict) else None
        quants = quants if isinstance(quants, list) else [quants] if isinstance(quants, dict) else []
        return _Rel(
            start=_t(_g(rel, "StartNode", "NodeID")), start_type=_t(_g(rel, "StartNode", "NodeIDType")),
            end=_t(_g(rel, "EndNode", "NodeID")), end_type=_t(_g(rel, "EndNode", "NodeIDType")),
            rtype=_t(_g(rel, "RelationshipType")), status=_t(_g(rel, "RelationshipStatus")),
            registration_status=_t(_g(obj, "Registration", "RegistrationStatus")),
            last_update=_t(_g(obj, "Registration", "LastUpdateDate")),
            periods=[(_t(_g(p, "PeriodType")), _t(_g(p, "StartDate")), _t(_g(p, "EndDate"))) for p in periods],
            quantifiers=[(_t(_g(q, "MeasurementMethod")), _str(_g(q, "QuantifierAmount")),
                          _t(_g(q, "QuantifierUnits"))) for q in quants],
        )
    if "ExceptionCategory" in obj or "ExceptionReason" in obj:
        return _Repex(lei=_t(obj.get("LEI")), category=_t(obj.get("ExceptionCategory")),
                      reasons=_names(obj.get("ExceptionReason"), "ExceptionReason"))
    if "LEI" in obj or "Entity" in obj:
        ent = obj.get("Entity")
        return _Lei(
            lei=_t(obj.get("LEI")), name=_t(_g(ent, "LegalName")),
            other_names=_names(_g(ent, "OtherEntityNames"), "OtherEntityName")
            + _names(_g(ent, "TransliteratedOtherEntityNames"), "TransliteratedOtherEntityName"),
            countries=[c for c in (_t(_g(ent, k, "Country")) for k in ("LegalAddress", "HeadquartersAddress")) if c],
            jurisdiction=_t(_g(ent, "LegalJurisdiction")), entity_status=_t(_g(ent, "EntityStatus")),
            registration_status=_t(_g(obj, "Registration", "RegistrationStatus")),
            category=_t(_g(ent, "EntityCategory")),
        )
    return None


def _str(value: Any) -> str | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return _t(value)


def _api_record(kind: str, a: Any, rid: Any) -> _Record:
    if kind == "lei-records":
        ent = _g(a, "entity")
        return _Lei(
            lei=_t(_g(a, "lei")) or _t(rid), name=_t(_g(ent, "legalName", "name")),
            other_names=_names(_g(ent, "otherNames"), "name") + _names(_g(ent, "transliteratedOtherNames"), "name"),
            countries=[c for c in (_t(_g(ent, k, "country")) for k in ("legalAddress", "headquartersAddress")) if c],
            jurisdiction=_t(_g(ent, "jurisdiction")), entity_status=_t(_g(ent, "status")),
            registration_status=_t(_g(a, "registration", "status")), category=_t(_g(ent, "category")),
        )
    if kind == "relationship-records":
        rel = _g(a, "relationship")
        periods = _g(rel, "periods")
        quants = _g(rel, "quantifiers")
        return _Rel(
            start=_t(_g(rel, "startNode", "id")), start_type=_t(_g(rel, "startNode", "type")),
            end=_t(_g(rel, "endNode", "id")), end_type=_t(_g(rel, "endNode", "type")),
            rtype=_t(_g(rel, "type")), status=_t(_g(rel, "status")),
            registration_status=_t(_g(a, "registration", "status")),
            last_update=_t(_g(a, "registration", "lastUpdateDate")),
            periods=[(_t(_g(p, "type")), _t(_g(p, "startDate")), _t(_g(p, "endDate")))
                     for p in (periods if isinstance(periods, list) else [])],
            quantifiers=[(_t(_g(q, "measurementMethod")), _str(_g(q, "quantifierAmount")), _t(_g(q, "quantifierUnits")))
                         for q in (quants if isinstance(quants, list) else [])],
        )
    reason = _g(a, "reason")
    return _Repex(lei=_t(_g(a, "lei")) or _t(rid), category=_t(_g(a, "category")),
                  reasons=[r for r in (_t(x) for x in (reason if isinstance(reason, list) else [reason])) if r])


# -- records → model -----------------------------------------------------------------------------------


def _date(value: str | None) -> dt.date | None:
    if not value or len(value) < 10:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


@dataclass(slots=True)
class _Converter:
    name: str
    issues: list[Issue]
    records: int = 0
    _facts: dict[tuple[str | None, str | None, str | None], tuple[tuple[str, str], ...]] = field(
        default_factory=dict)
    _countries: dict[str, str | None] = field(default_factory=dict)

    def issue(self, where: str, message: str, fix: str = "") -> None:
        self.issues.append(Issue(self.name, where, message, fix))

    def convert(self, where: str, rec: _Record) -> Entity | Holding | None:
        self.records += 1
        if isinstance(rec, _Lei):
            return self._entity(where, rec)
        if isinstance(rec, _Rel):
            return self._holding(where, rec)
        return self._exception(where, rec)

    def _country(self, value: str) -> str | None:
        if value not in self._countries:  # a Golden Copy repeats a few hundred codes millions of times
            self._countries[value] = country_code(value)
        return self._countries[value]

    def _lei(self, where: str, value: str | None, what: str) -> str | None:
        if value is None:
            self.issue(where, f"no {what}; record skipped", "every GLEIF record names its LEI")
            return None
        if not (len(value) == 20 and lei_checks(value)):
            self.issue(where, f"{what} {value!r} is not a valid LEI (20 characters, ISO 17442 check digits)",
                       "check the LEI")
        return value

    def _entity(self, where: str, r: _Lei) -> Entity | None:
        lei = self._lei(where, r.lei, "LEI")
        if lei is None:
            return None
        if r.name is None:
            self.issue(where, f"LEI record {lei} has no LegalName", "LEI-CDF requires Entity/LegalName")
        if r.entity_status is not None and r.entity_status not in _ENTITY_STATUS:
            self.issue(where, f"unknown EntityStatus {r.entity_status!r}", "ACTIVE, INACTIVE or NULL")
        if r.registration_status is not None and r.registration_status not in _LEI_REG_STATUS:
            self.issue(where, f"unknown RegistrationStatus {r.registration_status!r}", "see LEI-CDF 3.1")
        if r.registration_status in _SKIP_REGISTRATION:
            return None
        jurisdiction = None
        if r.jurisdiction:
            jurisdiction = self._country(r.jurisdiction)
            if jurisdiction is None:
                self.issue(where, f"LegalJurisdiction {r.jurisdiction!r} names no country we recognise",
                           "give an ISO 3166-1 or 3166-2 code")
        hq = []
        for c in r.countries:
            code = self._country(c)
            if code is None:
                self.issue(where, f"address country {c!r} is not one we recognise", "give an ISO 3166-1 code")
            elif code not in hq:
                hq.append(code)
        key = (r.entity_status, r.registration_status, r.category)
        facts = self._facts.get(key)
        if facts is None:  # shared by every record with the same statuses
            facts = tuple((k, v) for k, v in (("gleif:entity-status", r.entity_status),
                                               ("gleif:registration-status", r.registration_status),
                                               ("gleif:category", r.category)) if v)
            self._facts[key] = facts
        name = r.name or lei
        aliases = tuple(dict.fromkeys(n for n in r.other_names if n != name))
        return Entity(id=lei, name=name, jurisdiction=jurisdiction, headquarters=tuple(hq), aliases=aliases,
                      identifiers=(("lei", lei),), sources=(SourceRef(self.name, where, lei),), facts=facts)

    def _holding(self, where: str, r: _Rel) -> Holding | None:
        child = self._lei(where, r.start, "StartNode (the child)")
        parent = self._lei(where, r.end, "EndNode (the parent)")
        if child is None or parent is None:
            return None
        if r.rtype not in RELATIONSHIPS:
            self.issue(where, f"unknown RelationshipType {r.rtype!r}; record skipped",
                       "one of " + ", ".join(RELATIONSHIPS))
            return None
        for label, t in (("StartNode", r.start_type), ("EndNode", r.end_type)):
            if t not in (None, "LEI"):
                self.issue(where, f"{label} NodeIDType {t!r} is not LEI", "RR-CDF 2.1 nodes are LEIs")
        if r.registration_status is not None and r.registration_status not in _RR_REG_STATUS:
            self.issue(where, f"unknown RegistrationStatus {r.registration_status!r}", "see RR-CDF 2.1")
        if r.status not in (None, "ACTIVE", "INACTIVE", "NULL"):
            self.issue(where, f"unknown RelationshipStatus {r.status!r}", "ACTIVE or INACTIVE")
        mapped = RELATIONSHIPS[r.rtype or ""]
        if mapped is None or r.registration_status in _SKIP_REGISTRATION:
            return None
        interest, direct = mapped
        start = end = None
        for ptype, s, e in r.periods:
            if ptype in (None, "RELATIONSHIP_PERIOD"):
                start, end = _date(s), _date(e)
                for label, raw, day in (("StartDate", s, start), ("EndDate", e, end)):
                    if raw and day is None:
                        self.issue(where, f"{label} {raw!r} is not a date; ignored", "write an ISO 8601 date")
        if end is None and (r.status == "INACTIVE" or r.registration_status == "RETIRED"):
            end = _date(r.last_update)
        share = None
        for method, amount, unit in r.quantifiers:
            if method == "ACCOUNTING_CONSOLIDATION" and unit in (None, "PERCENTAGE") and amount:
                try:
                    value = float(amount)
                except ValueError:
                    value = -1.0
                if 0 <= value <= 100:
                    share = value
                else:
                    self.issue(where, f"QuantifierAmount {amount!r} is not a percentage; ignored",
                               "give a number from 0 to 100")
        return Holding(holder=parent, subject=child, interest=interest, share=share, direct=direct, start=start,
                       end=end, source=SourceRef(self.name, where, f"{child} {r.rtype} {parent}"))

    def _exception(self, where: str, r: _Repex) -> Entity | None:
        if r.lei is None and r.category is None and not r.reasons:
            self.issue(where, "not a GLEIF LEI, relationship or reporting-exception record; skipped",
                       "GLEIF JSON records have LEI/Entity, Relationship or ExceptionCategory")
            return None
        lei = self._lei(where, r.lei, "LEI")
        if lei is None:
            return None
        if r.category not in EXCEPTION_CATEGORIES:
            self.issue(where, f"unknown ExceptionCategory {r.category!r}", "; ".join(sorted(EXCEPTION_CATEGORIES)))
        for reason in r.reasons or ["(none)"]:
            if reason not in WITHHOLDING_REASONS | NOT_A_GAP:
                self.issue(where, f"unknown ExceptionReason {reason!r}", "see the reporting-exceptions CDF")
        withheld = [x for x in r.reasons if x in WITHHOLDING_REASONS]
        if not withheld or r.deleted:
            return None
        which = "direct" if r.category == "DIRECT_ACCOUNTING_CONSOLIDATION_PARENT" else "ultimate"
        reason = f"GLEIF reporting exception: {which} parent not reported ({', '.join(withheld)})"
        return Entity(id=lei, name=lei, identifiers=(("lei", lei),), ownership_withheld=reason,
                      sources=(SourceRef(self.name, where, lei),))
