"""Beneficial Ownership Data Standard (BODS) in, :class:`OwnershipFacts` out.

Both generations are read, from a JSON array, a single JSON object or JSON Lines:

* **0.4, record-based**: ``recordType`` entity/person/relationship, ``recordDetails``, ``recordId``,
  ``recordStatus`` new/updated/closed. Entities keep the ``recordId`` verbatim as id. Where one
  record has several statements, the latest ``statementDate`` wins (file order breaks ties); a
  relationship whose latest statement is ``closed`` ends at that statement's date.
* **0.2/0.3, statement-based**: entityStatement/personStatement/ownershipOrControlStatement, linked by
  ``statementID`` (``describedByEntityStatement`` …). A statement listing ``replacesStatements``
  replaces those statements, and references to a replaced statement follow to its replacement.

Facts taken (DESIGN.md §1: no decisions here, only facts with their source):

* jurisdiction from ``jurisdiction`` or the 0.2-era ``incorporatedInJurisdiction`` (GLEIF-derived 0.4
  data still uses it); subdivision codes map to their country (``US-DE`` → ``US``).
* addresses of type registered/business/headquarters → ``Entity.headquarters``; a person's
  ``nationalities`` → nationalities (``us_person`` when US is one of them), residence addresses and
  ``taxResidencies`` → residences; entity type ``state``/``stateBody`` → kind ``state``.
* identifiers: scheme ``XI-LEI`` → ``("lei", id)``; others kept as (scheme or schemeName, id).
* an interested party that is unspecified (0.4 ``{"reason": …}``; 0.2/0.3 ``unspecified``, or an
  unknown/anonymous person or entity statement carrying ``unspecified*Details``) sets the subject's
  ``ownership_withheld`` to the reason: a gap the ownership stage turns into ``needs_review``. GLEIF's
  ``NO_KNOWN_PERSON`` exception says no person controls the entity; it is not a gap and is not marked.

Interest types (BODS codelist ``interestType``; 0.2 kebab-case is folded to camelCase first):

============================================== ==========================
BODS                                           cvcomply ``Interest``
============================================== ==========================
shareholding                                   shareholding
votingRights                                   voting-rights
appointmentOfBoard                             appointment-of-board
boardMember                                    board-member
boardChair                                     board-chair
controlViaCompanyRulesOrArticles,              control-by-contract
controlByLegalFramework, nominee, nominator,
rightsGrantedByContract
otherInfluenceOrControl whose details name     consolidation
GLEIF accounting consolidation
otherInfluenceOrControl, seniorManagingOfficial other
settlor, trustee, protector,
beneficiaryOfLegalArrangement,
rightsToSurplusAssetsOnDissolution,
rightsToProfitOrIncome, enjoymentAndUseOfAssets,
rightToProfitOrIncomeFromAssets,
conditionalRightsGrantedByContract,
unknownInterest, unpublishedInterest
============================================== ==========================

``majority`` is set when the details say "majority", or for appointmentOfBoard when the share's
lower bound exceeds 50. An unknown interest type or a reference to a record not in the file is a
warning, never a crash. Exclusive share bounds are read as inclusive (the model has no flag for it).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import orjson
from jsonschema import Draft4Validator, Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from cvcomply.formats.errors import InputError, Issue
from cvcomply.formats.fastschema import schema_check
from cvcomply.formats.jsonutil import (
    MAX_WARNINGS,
    capped_warnings,
    country_code,
    issue_warnings,
    parse_json,
    parse_json_lines,
    paused_gc,
    pointer,
    read_bytes,
    sha256,
    text,
)
from cvcomply.model import Entity, Holding, Interest, OwnershipFacts, SourceRef, Warning
from cvcomply.model.entity import EntityKind

__all__ = ["INTEREST_MAP", "read_bods"]

FORMAT = "bods"

INTEREST_MAP: dict[str, Interest] = {
    "shareholding": "shareholding",
    "votingRights": "voting-rights",
    "appointmentOfBoard": "appointment-of-board",
    "boardMember": "board-member",
    "boardChair": "board-chair",
    "controlViaCompanyRulesOrArticles": "control-by-contract",
    "controlByLegalFramework": "control-by-contract",
    "nominee": "control-by-contract",
    "nominator": "control-by-contract",
    "rightsGrantedByContract": "control-by-contract",
    "otherInfluenceOrControl": "other",
    "seniorManagingOfficial": "other",
    "settlor": "other",
    "trustee": "other",
    "protector": "other",
    "beneficiaryOfLegalArrangement": "other",
    "rightsToSurplusAssetsOnDissolution": "other",
    "rightsToProfitOrIncome": "other",
    "enjoymentAndUseOfAssets": "other",
    "rightToProfitOrIncomeFromAssets": "other",
    "conditionalRightsGrantedByContract": "other",
    "unknownInterest": "other",
    "unpublishedInterest": "other",
}
"""BODS interest type (camelCase) → our :data:`Interest` (table in the module docstring)."""

_HQ_TYPES = frozenset({"registered", "business", "headquarters"})
_STATE_TYPES = frozenset({"state", "stateBody"})
_STATEMENT_TYPES = frozenset({"entityStatement", "personStatement", "ownershipOrControlStatement"})
_RECORD_TYPES = frozenset({"entity", "person", "relationship"})
_CONSOLIDATION = re.compile(r"CONSOLIDAT", re.IGNORECASE)
_NOT_A_GAP = re.compile(r"NO_KNOWN_PERSON|noBeneficialOwners|no-beneficial-owners", re.IGNORECASE)


def read_bods(path: str, data: bytes | None = None) -> OwnershipFacts:
    """Read a BODS 0.2/0.3/0.4 file (JSON array, object or JSON Lines) into ownership facts.

    Lenient (DESIGN.md §4.4): what :func:`validate_bods` reports about a file the reader understands becomes a
    warning with the same place and message, prefixed ``schema: `` (the official schema) or ``BODS rule: ``
    (0.2/0.3 references), after the reader's own; at most :data:`~cvcomply.formats.jsonutil.MAX_WARNINGS`.
    """
    raw = read_bytes(path, data)
    with paused_gc():
        statements = _statements(path, raw)
        reader = _Reader(path)
        reader.read(statements)
        found = _problems(path, statements, limit=MAX_WARNINGS)
        entities = reader.entities()
        del statements
    warnings = [*reader.warnings, *issue_warnings(path, found.schema, "schema: "),
                *issue_warnings(path, found.rules, "BODS rule: ")]
    return OwnershipFacts(
        source=path,
        format=FORMAT,
        entities=tuple(entities),
        holdings=tuple(reader.holdings),
        sha256=sha256(raw),
        warnings=capped_warnings(path, warnings, more=found.unlisted, at_least=True),
        closed_records=tuple(sorted({*reader.closed, *reader._replaced})),
    )


def looks_like_bods(value: Any) -> bool:
    """True when a parsed JSON value is a BODS statement or a list starting with one (format detection)."""
    first = value[0] if isinstance(value, list) and value else value
    return isinstance(first, dict) and (
        _is(first.get("recordType"), _RECORD_TYPES) or _is(first.get("statementType"), _STATEMENT_TYPES)
    )


# --------------------------------------------------------------------------------------------------


def _statements(path: str, raw: bytes) -> list[tuple[str, Any]]:
    """(pointer, statement) pairs: ``/3`` in an array, ``line 4`` in JSON Lines, ``""`` for one object."""
    try:
        doc = parse_json(path, raw, what="BODS")
        items = [(pointer(i), s) for i, s in enumerate(doc)] if isinstance(doc, list) else [("", doc)]
    except InputError as first_error:
        try:
            lines = parse_json_lines(path, raw)
        except InputError:
            raise first_error from None
        if len(lines) < 2:
            raise
        items = [(f"line {n}", s) for n, s in lines]
    if not any(looks_like_bods(s) for _, s in items):
        raise InputError(path, "", "not BODS: no entity, person or relationship statement found",
                         fix="BODS 0.4 statements have recordType/recordDetails; 0.2/0.3 have statementType")
    return items


def _date(value: Any) -> dt.date | None:
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _camel(code: str) -> str:
    """0.2's kebab-case codes (``voting-rights``) in 0.3/0.4 camelCase (``votingRights``)."""
    head, *rest = code.split("-")
    return head + "".join(w[:1].upper() + w[1:] for w in rest)


def _code(value: Any) -> str | None:
    """A country from BODS' ``{"name", "code"}`` objects or 0.2's bare code strings."""
    if isinstance(value, dict):
        return country_code(text(value.get("code")) or "") or country_code(text(value.get("name")) or "")
    if isinstance(value, str):
        return country_code(value)
    return None


def _uniq(values: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


@dataclass(slots=True)
class _Stmt:
    ptr: str
    obj: dict[str, Any]
    sid: str | None  # statementId / statementID
    date: dt.date | None
    order: int


@dataclass(slots=True)
class _Reader:
    path: str
    warnings: list[Warning] = field(default_factory=list)
    holdings: list[Holding] = field(default_factory=list)
    _entities: dict[str, Entity] = field(default_factory=dict)
    _withheld: dict[str, str] = field(default_factory=dict)
    _gaps: dict[str, str] = field(default_factory=dict)  # unknown parties that mean "withheld" → reason
    _replaced: dict[str, str] = field(default_factory=dict)
    closed: list[str] = field(default_factory=list)  # 0.4 recordIds whose latest statement closes them

    def warn(self, ptr: str, message: str) -> None:
        self.warnings.append(Warning(f"{self.path}#{ptr}", message))

    def entities(self) -> list[Entity]:
        out = []
        for eid, e in self._entities.items():
            reason = self._withheld.get(eid)
            out.append(dataclasses.replace(e, ownership_withheld=reason) if reason else e)
        for eid in self._withheld.keys() - self._entities.keys():
            self.warn("", f"ownership of {eid!r} is withheld, but {eid!r} is not described in this file")
        return out

    def read(self, items: list[tuple[str, Any]]) -> None:
        v04: dict[str, list[_Stmt]] = {}
        v02: list[_Stmt] = []
        for order, (ptr, obj) in enumerate(items):
            if not isinstance(obj, dict):
                self.warn(ptr, "statement is not an object; skipped")
                continue
            sid = obj.get("statementId", obj.get("statementID"))
            stmt = _Stmt(ptr, obj, sid if isinstance(sid, str) else None, _date(obj.get("statementDate")), order)
            if _is(obj.get("recordType"), _RECORD_TYPES):
                rid = obj.get("recordId")
                if not isinstance(rid, str) or not rid:
                    self.warn(ptr + "/recordId", "statement has no recordId; skipped")
                    continue
                v04.setdefault(rid, []).append(stmt)
            elif _is(obj.get("statementType"), _STATEMENT_TYPES):
                if stmt.sid is None:
                    self.warn(ptr + "/statementID", "statement has no statementID; skipped")
                    continue
                v02.append(stmt)
            else:
                self.warn(ptr, "not a BODS statement (no recordType or statementType we know); skipped")
        self._read_v04(v04)
        self._read_v02(v02)

    # -- 0.4 ---------------------------------------------------------------------------------------

    def _read_v04(self, records: dict[str, list[_Stmt]]) -> None:
        rels: list[tuple[str, _Stmt, dt.date | None]] = []
        for rid, stmts in records.items():
            latest = max(stmts, key=lambda s: (s.date or dt.date.min, s.order))
            if latest.obj.get("recordStatus") == "closed":
                self.closed.append(rid)
            details = latest.obj.get("recordDetails")
            if not isinstance(details, dict):  # a closing statement may omit details: use the last that has them
                with_details = [s for s in stmts if isinstance(s.obj.get("recordDetails"), dict)]
                if not with_details:
                    self.warn(latest.ptr + "/recordDetails", f"record {rid!r} has no recordDetails; skipped")
                    continue
                details = max(with_details, key=lambda s: (s.date or dt.date.min, s.order)).obj["recordDetails"]
            closed = latest.date if latest.obj.get("recordStatus") == "closed" else None
            rtype = latest.obj["recordType"]
            src = SourceRef(self.path, latest.ptr, latest.sid or rid)
            if rtype == "relationship":
                rels.append((rid, dataclasses.replace(latest, obj={**latest.obj, "recordDetails": details}), closed))
            elif rtype == "entity":
                self._entity(rid, details, latest.ptr + "/recordDetails", src)
            else:
                self._person(rid, details, latest.ptr + "/recordDetails", src)
        for _rid, stmt, closed in rels:
            d = stmt.obj["recordDetails"]
            self._relationship(stmt, d.get("subject"), d.get("interestedParty"), d.get("interests"),
                               stmt.ptr + "/recordDetails", closed)

    # -- 0.2 / 0.3 ---------------------------------------------------------------------------------

    def _read_v02(self, stmts: list[_Stmt]) -> None:
        for s in stmts:
            for old in _list(s.obj.get("replacesStatements")):
                if isinstance(old, str):
                    self._replaced[old] = s.sid or old
        live = [s for s in stmts if s.sid not in self._replaced]
        for s in live:
            src = SourceRef(self.path, s.ptr, s.sid)
            stype = s.obj["statementType"]
            if stype == "entityStatement":
                self._entity(s.sid or "", s.obj, s.ptr, src)
            elif stype == "personStatement":
                self._person(s.sid or "", s.obj, s.ptr, src)
        for s in live:
            if s.obj["statementType"] == "ownershipOrControlStatement":
                subj = self._described(s.obj.get("subject"))
                party = s.obj.get("interestedParty")
                party_ref: Any = party
                if isinstance(party, dict) and "unspecified" in party:
                    spec = party["unspecified"]
                    party_ref = spec if isinstance(spec, dict) else {"reason": "unspecified"}
                elif isinstance(party, dict):
                    party_ref = self._described(party)
                self._relationship(s, subj, party_ref, s.obj.get("interests"), s.ptr, None)

    def _described(self, ref: Any) -> Any:
        if not isinstance(ref, dict):
            return ref
        for key in ("describedByEntityStatement", "describedByPersonStatement"):
            if isinstance(ref.get(key), str):
                sid = ref[key]
                seen = set()
                while sid in self._replaced and sid not in seen:  # follow replacements to the newest
                    seen.add(sid)
                    sid = self._replaced[sid]
                return sid
        return ref

    # -- shared ------------------------------------------------------------------------------------

    def _entity(self, eid: str, d: dict[str, Any], ptr: str, src: SourceRef) -> None:
        etype = d.get("entityType")
        etype = etype.get("type") if isinstance(etype, dict) else etype
        kind: EntityKind = "state" if _is(etype, _STATE_TYPES) else "organization"
        jur_key = "jurisdiction" if "jurisdiction" in d else "incorporatedInJurisdiction"
        jurisdiction = None
        if d.get(jur_key) is not None:
            jurisdiction = _code(d[jur_key])
            if jurisdiction is None:
                self.warn(f"{ptr}/{jur_key}", f"jurisdiction {d[jur_key]!r} names no country we recognise")
        name = text(d.get("name"))
        aliases = [a for a in (text(x) for x in _list(d.get("alternateNames"))) if a]
        self._unknown_party(eid, etype in ("unknownEntity", "anonymousEntity"), d.get("unspecifiedEntityDetails"))
        self._entities[eid] = Entity(
            id=eid,
            name=name or f"(unnamed entity {eid})",
            kind=kind,
            jurisdiction=jurisdiction,
            headquarters=self._address_countries(d, ptr, _HQ_TYPES),
            aliases=_uniq(aliases),
            identifiers=self._identifiers(d),
            sources=(src,),
        )

    def _person(self, pid: str, d: dict[str, Any], ptr: str, src: SourceRef) -> None:
        names = [n.get("fullName") for n in _list(d.get("names")) if isinstance(n, dict)]
        clean = [n for n in (text(x) for x in names) if n]
        nats = [c for c in (_code(n) for n in _list(d.get("nationalities"))) if c]
        residences = list(self._address_countries(d, ptr, frozenset({"residence"})))
        residences += [c for c in (_code(t) for t in _list(d.get("taxResidencies"))) if c]
        ptype = d.get("personType")
        self._unknown_party(pid, ptype in ("unknownPerson", "anonymousPerson"), d.get("unspecifiedPersonDetails"))
        self._entities[pid] = Entity(
            id=pid,
            name=clean[0] if clean else f"(unnamed person {pid})",
            kind="person",
            nationalities=_uniq(nats),
            residences=_uniq(residences),
            us_person="US" in nats,
            aliases=_uniq(clean[1:]),
            identifiers=self._identifiers(d),
            sources=(src,),
        )

    def _unknown_party(self, pid: str, unknown: bool, details: Any) -> None:
        if unknown and isinstance(details, dict):
            reason = " ".join(filter(None, (text(details.get("reason")), text(details.get("description")))))
            if reason and not _NOT_A_GAP.search(reason):
                self._gaps[pid] = reason  # marks the subjects of its relationships below

    def _address_countries(self, d: dict[str, Any], ptr: str, types: frozenset[str]) -> tuple[str, ...]:
        out = []
        for i, a in enumerate(_list(d.get("addresses"))):
            if isinstance(a, dict) and _is(a.get("type"), types) and a.get("country") is not None:
                c = _code(a["country"])
                if c is None:
                    self.warn(f"{ptr}/addresses/{i}/country", f"country {a['country']!r} is not one we recognise")
                else:
                    out.append(c)
        return _uniq(out)

    def _identifiers(self, d: dict[str, Any]) -> tuple[tuple[str, str], ...]:
        out = []
        for ident in _list(d.get("identifiers")):
            if not isinstance(ident, dict) or text(ident.get("id")) is None:
                continue
            scheme = text(ident.get("scheme")) or text(ident.get("schemeName"))
            if scheme is None:
                continue
            out.append(("lei" if scheme == "XI-LEI" else scheme, str(text(ident.get("id")))))
        return tuple(dict.fromkeys(out))

    def _relationship(self, s: _Stmt, subject: Any, party: Any, interests: Any, ptr: str,
                      closed: dt.date | None) -> None:
        if not isinstance(subject, str):
            self.warn(ptr + "/subject", "relationship subject is unspecified or missing; skipped")
            return
        if subject not in self._entities:
            self.warn(ptr + "/subject", f"subject {subject!r} is not described in this file")
        if isinstance(party, dict):  # unspecified interested party: the subject's ownership is withheld
            reason = " ".join(filter(None, (text(party.get("reason")),
                                            text(party.get("description")) or text(party.get("details")))))
            if not _NOT_A_GAP.search(reason):
                self._withheld.setdefault(subject, reason or "interested party unspecified")
            return
        if not isinstance(party, str):
            self.warn(ptr + "/interestedParty", "relationship has no interested party; skipped")
            return
        if party in self._gaps:
            self._withheld.setdefault(subject, self._gaps[party])
            return
        if party not in self._entities:
            self.warn(ptr + "/interestedParty", f"interested party {party!r} is not described in this file")
        src = SourceRef(self.path, ptr, s.sid)
        if not isinstance(interests, list) or not interests:
            self.holdings.append(Holding(holder=party, subject=subject, interest="other", end=closed, source=src))
            return
        for i, it in enumerate(interests):
            if isinstance(it, dict):
                self.holdings.append(self._holding(party, subject, it, f"{ptr}/interests/{i}", src, closed))

    def _holding(self, holder: str, subject: str, it: dict[str, Any], ptr: str, src: SourceRef,
                 closed: dt.date | None) -> Holding:
        raw_type = it.get("type")
        details = text(it.get("details")) or ""
        interest: Interest = "other"
        if isinstance(raw_type, str):
            code = _camel(raw_type)
            if code in INTEREST_MAP:
                interest = INTEREST_MAP[code]
                if code == "otherInfluenceOrControl" and _CONSOLIDATION.search(details):
                    interest = "consolidation"
            else:
                self.warn(ptr + "/type", f"unknown interest type {raw_type!r}; read as 'other'")
        # no type at all is allowed by BODS (e.g. an intermediate link of an indirect chain): 'other'
        share_obj = it.get("share")
        share: dict[str, Any] = share_obj if isinstance(share_obj, dict) else {}
        exact, lo, hi = (_num(share.get(k)) for k in ("exact", "minimum", "maximum"))
        lo = lo if lo is not None else _num(share.get("exclusiveMinimum"))
        hi = hi if hi is not None else _num(share.get("exclusiveMaximum"))
        if exact is not None:
            lo = hi = None
        lower = exact if exact is not None else lo
        majority = "majority" in details.lower() or (
            interest == "appointment-of-board" and lower is not None and lower > 50
        )
        level = it.get("directOrIndirect", it.get("interestLevel"))
        end = _date(it.get("endDate"))
        if closed is not None and (end is None or closed < end):
            end = closed
        return Holding(
            holder=holder,
            subject=subject,
            interest=interest,
            share=exact,
            share_min=lo,
            share_max=hi,
            majority=majority,
            direct=level != "indirect",
            start=_date(it.get("startDate")),
            end=end,
            source=dataclasses.replace(src, pointer=ptr),
        )


def _is(value: Any, codes: frozenset[str]) -> bool:
    """``value in codes`` for a value of any JSON type (a list is unhashable: no crash, just False)."""
    return isinstance(value, str) and value in codes


def _list(value: Any) -> list[Any]:
    """A JSON array, or nothing (a wrong type is the schema's business, not a crash)."""
    return value if isinstance(value, list) else []


def _num(value: Any) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None


# ---- schema and rules: strict for validate, warnings of the lenient read ------------------------------

_SCHEMA_FILES = ("statement", "components", "entity-record", "person-record", "relationship-record",
                 "codelist-schema")


@functools.cache
def _schema_docs(version: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(top schema, every schema by ``$id``) of a BODS version, shipped in the package (see schemas/bods/NOTICE).

    0.4 is the official multi-file statement schema (draft 2020-12); 0.2 and 0.3 the single-file package schema
    (draft-04). Both are array schemas: a statement is checked as ``[statement]``.
    """
    folder = resources.files("cvcomply.formats").joinpath("schemas", "bods", version)
    if version != "0.4":
        return orjson.loads(folder.joinpath("bods-package.json").read_bytes()), {}
    docs = {name: orjson.loads(folder.joinpath(f"{name}.json").read_bytes()) for name in _SCHEMA_FILES}
    return docs["statement"], {doc["$id"]: doc for doc in docs.values()}


@functools.cache
def _validator(version: str) -> Draft202012Validator | Draft4Validator:
    """jsonschema's validator of a BODS version, refs resolved offline: it names each violation and its place."""
    schema, store = _schema_docs(version)
    if version != "0.4":
        return Draft4Validator(schema, format_checker=FormatChecker())
    registry: Registry[Any] = Registry().with_resources(
        (uri, Resource.from_contents(doc, default_specification=DRAFT202012)) for uri, doc in store.items())
    return Draft202012Validator(schema, registry=registry, format_checker=FormatChecker())


def _fast_check(version: str) -> Callable[[Any], bool]:
    """The yes/no gate of :mod:`cvcomply.formats.fastschema` for a BODS version (a list of statements)."""
    schema, store = _schema_docs(version)
    return schema_check(("bods", version), schema, store)


def _version(statement: Any) -> str:
    """The schema a statement is checked against: ``0.4`` (record-based), else ``0.2``/``0.3`` by its bodsVersion."""
    return "0.4" if _is_04(statement) else _legacy_version(statement)


def _ordering_issues(path: str, statements: list[tuple[str, Any]]) -> list[Issue]:
    """BODS 0.2/0.3 secondary validation: a statement a relationship refers to must come before it in the file,
    and a package (more than one statement) must hold every statement it refers to. A lone statement may refer
    to statements published elsewhere."""
    position = {s.get("statementID"): i for i, (_, s) in enumerate(statements) if isinstance(s, dict)}
    issues = []
    for i, (where, s) in enumerate(statements):
        if not isinstance(s, dict):
            continue
        for role in ("subject", "interestedParty"):
            ref = s.get(role)
            if not isinstance(ref, dict):
                continue
            for key in ("describedByEntityStatement", "describedByPersonStatement"):
                target = ref.get(key)
                if not isinstance(target, str):
                    continue
                if target not in position and len(statements) > 1:
                    issues.append(Issue(path, f"{where}/{role}/{key}",
                                        f"missing: statement {target!r} is referred to but not in this package",
                                        "add the statement it refers to, or publish the statement on its own"))
                elif position.get(target, -1) > i:
                    issues.append(Issue(path, f"{where}/{role}/{key}",
                                        f"ordering: statement {target!r} is referenced before it is published",
                                        "put every statement before the statements that refer to it"))
    return issues


def _legacy_version(statement: Any) -> str:
    pub = statement.get("publicationDetails") if isinstance(statement, dict) else None
    version = str(pub.get("bodsVersion", "")) if isinstance(pub, dict) else ""
    return "0.2" if version.startswith("0.2") else "0.3"


def _is_04(statement: Any) -> bool:
    """A record-based (0.4) statement, rather than a 0.2/0.3 one."""
    if not isinstance(statement, dict):
        return False
    if {"recordId", "recordType", "recordDetails"} & statement.keys():
        return True
    pub = statement.get("publicationDetails")
    return isinstance(pub, dict) and str(pub.get("bodsVersion", "")).startswith("0.4")


@dataclass(slots=True)
class _Problems:
    """What ``validate`` reports about a file's statements: the official schema's violations, then the rules."""

    schema: list[Issue] = field(default_factory=list)
    rules: list[Issue] = field(default_factory=list)  # 0.2/0.3 secondary validation (references and their order)
    unlisted: int = 0  # statements past ``limit`` the fast check found invalid, not spelled out


def _problems(path: str, statements: list[tuple[str, Any]], *, limit: int | None = None) -> _Problems:
    """Every statement against the official schema of its version, and for 0.2/0.3 the secondary checks.

    Speed (DESIGN.md §4.4: the lenient read runs this too): one yes/no pass of jsonschema-rs over all statements
    of a version; only when that says "invalid" is each statement gated alone, and only the invalid ones go to
    jsonschema, which names every violation. With ``limit``, statements are spelled out until that many issues
    are listed; the invalid ones after that are only counted (``unlisted``).
    """
    out = _Problems()
    versions = [_version(s) for _, s in statements]
    groups: dict[str, list[int]] = {}
    for i, version in enumerate(versions):
        groups.setdefault(version, []).append(i)
    bad: list[int] = []
    for version, group in groups.items():
        check = _fast_check(version)
        if not check([statements[i][1] for i in group]):
            bad += [i for i in group if not check([statements[i][1]])]
    for i in sorted(bad):
        if limit is not None and len(out.schema) >= limit:
            out.unlisted += 1
            continue
        where, statement = statements[i]
        version = versions[i]
        for err in _validator(version).iter_errors([statement]):
            inner = "".join(f"/{p}" for p in list(err.absolute_path)[1:])
            location = (where + inner) if where.startswith("/") or not where else f"{where} {inner or '/'}"
            out.schema.append(Issue(path, location, f"{err.validator}: {err.message}",
                                    f"see the BODS {version} schema (standard.openownership.org) for this field"))
    if statements and statements[0][0] == "" and versions[0] == "0.4":
        out.schema.insert(0, Issue(path, "", "type: BODS 0.4 data is an array of statements, not one object",
                                   "wrap the statement in [ ]"))
    if any(v != "0.4" for v in versions):
        out.rules = _ordering_issues(path, statements)
    return out


def validate_bods(path: str, data: bytes | None = None) -> list[Issue]:
    """Every problem of a BODS file, each located by JSON pointer: every statement against the official schema of
    its version (0.4, or the 0.2/0.3 package schema by its bodsVersion), and for 0.2/0.3 the secondary check
    that referenced statements come first. A reference to a record published elsewhere is no error."""
    try:
        raw = read_bytes(path, data)
    except InputError as e:  # missing, or a broken UTF-16 file: one issue, as for any unreadable file
        return list(e.issues)
    try:
        statements = _statements(path, raw)
    except InputError as e:
        # Statements so broken the reader cannot tell them for BODS (a bad recordType …) still get the schema's word.
        doc = orjson.loads(raw) if e.message.startswith("not BODS") else None
        items = doc if isinstance(doc, list) else [doc]
        if not items or not all(isinstance(x, dict) and ("statementId" in x or "recordId" in x) for x in items):
            return list(e.issues)
        statements = [(pointer(i), x) for i, x in enumerate(items)] if isinstance(doc, list) else [("", doc)]
    with paused_gc():
        found = _problems(path, statements)
    return found.schema + found.rules
