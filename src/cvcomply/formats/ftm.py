"""FollowTheMoney (FtM) entities in, :class:`OwnershipFacts` out.

FtM is the entity format of Aleph and OpenSanctions: one entity per JSON object
(``{"id", "schema", "properties": {name: [strings]}}``), in JSON Lines (the usual export), a JSON
array or a single object; OpenSanctions delta files wrap each in ``{"op": "ADD|MOD|DEL", "entity"}``
(a ``DEL`` removes the entity, a later ``MOD`` replaces it).

Schemata read (others, such as Address used only for its country, Family, Passport, Sanction's
documents, are stepped over without a warning: they carry no ownership facts):

=============================== ===================================================================
FtM                             cvcomply
=============================== ===================================================================
Person                          Entity kind ``person``: ``nationality``/``citizenship`` →
                                nationalities (``us_person`` when US is one), ``country`` →
                                residences
Company, Organization,          Entity kind ``organization``: ``jurisdiction`` → jurisdiction;
LegalEntity                     ``mainCountry``, ``country`` and the countries of its
                                ``addressEntity`` → headquarters
PublicBody                      Entity kind ``state`` (a ministry or state agency of its country)
Ownership                       Holding ``owner`` → ``asset``, ``shareholding``; ``percentage`` read
                                from free text (see :func:`parse_percentage`); a ``role`` naming
                                votes makes it ``voting-rights``
Directorship                    Holding ``director`` → ``organization``: ``board-chair`` when the
                                role names a chair, else ``board-member`` (a board seat)
Sanction                        ListEntry on ``authority`` (or ``program``) naming ``entity``,
                                already linked to that entity; ``startDate``/``listingDate`` and
                                ``endDate`` bound it
=============================== ===================================================================

Names: ``name`` (first is the name, the rest aliases), ``alias`` and ``previousName`` are aliases;
``weakAlias`` is not (FtM marks it too weak to match on). Identifiers: ``leiCode`` → ``("lei", …)``,
``innCode`` → ``RU-INN``, ``ogrnCode`` → ``RU-OGRN``, ``swiftBic`` → ``bic``, ``permId`` → ``permid``.
``topics`` (``sanction``, ``role.pep`` …) and ``status`` are kept as :attr:`Entity.facts`.

Country codes: FtM writes ISO 3166-1 alpha-2 in lower case (``hk``, ``mo``, ``ru``) plus a few codes of
its own, mapped here (:data:`FTM_COUNTRIES`):

* ``suhh`` (Soviet Union) → ``RU``: Russia is the USSR's continuator state (it took its UN seat and
  treaty obligations), so a Soviet organ or registration is read as Russian. Every use is warned about,
  because for a person a Soviet nationality says nothing certain about today's citizenship.
* ``ddde`` (East Germany) → ``DE``; ``xk`` (Kosovo) → ``XK`` (user-assigned code, as FtM and the EU use it).
* ``csxx``/``cshh`` (Czechoslovakia), ``yucs`` (Yugoslavia), ``zz`` (global), ``eu``, ``un`` → no country
  (they name no single state today), with a warning.
* region codes (``ua-cri`` Crimea, ``ge-ab`` Abkhazia, ``cy-trnc`` …) → the country before the hyphen.
  Crimea and the occupied regions of Ukraine stay ``UA``: cvcomply reads the de jure state and leaves
  occupation by Russia to a reviewer.

Dates may be partial (``2019``, ``2019-05``): they are read as the first day of that year or month.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

import orjson

from cvcomply.formats.errors import InputError, Issue
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
from cvcomply.model import Entity, Holding, Interest, ListEntry, OwnershipFacts, SourceRef
from cvcomply.model.entity import EntityKind

__all__ = [
    "DEFAULT_MAX_BYTES",
    "FORMAT",
    "FTM_COUNTRIES",
    "ftm_country",
    "looks_like_ftm",
    "parse_percentage",
    "read_ftm",
    "validate_ftm",
]

FORMAT = "ftm"
DEFAULT_MAX_BYTES = 4 * 1024 * 1024 * 1024
"""FtM files are read whole (entities reference each other across the file); 4 GiB by default."""

FTM_COUNTRIES: dict[str, str | None] = {
    "suhh": "RU",
    "ddde": "DE",
    "xk": "XK",
    "csxx": None,
    "cshh": None,
    "yucs": None,
    "zz": None,
    "eu": None,
    "un": None,
}
"""FtM's own country codes → ISO alpha-2 (None: names no single state); see the module docstring."""

_WARN_COUNTRY = {"suhh": "'suhh' (Soviet Union) read as RU, the USSR's continuator state"}

_ORG_SCHEMATA = frozenset({"Company", "Organization", "LegalEntity"})
_ENTITY_SCHEMATA = _ORG_SCHEMATA | {"Person", "PublicBody"}
_LINK_SCHEMATA = frozenset({"Ownership", "Directorship", "Sanction"})
_KNOWN = _ENTITY_SCHEMATA | _LINK_SCHEMATA | {"Address"}
_IDENTIFIERS = {"leiCode": "lei", "innCode": "RU-INN", "ogrnCode": "RU-OGRN", "swiftBic": "bic", "permId": "permid"}
_CHAIR = re.compile(r"\bchair", re.IGNORECASE)
_VOTES = re.compile(r"\bvot", re.IGNORECASE)


def ftm_country(value: str) -> tuple[str | None, str | None]:
    """(ISO alpha-2 or None, warning or None) for an FtM country code or name."""
    v = value.strip().lower()
    if v in FTM_COUNTRIES:
        code = FTM_COUNTRIES[v]
        note = _WARN_COUNTRY.get(v) or (None if code else f"{value!r} names no single country today; ignored")
        return code, note
    code = country_code(value)
    return code, None if code else f"country {value!r} is not one we recognise"


_NUM = r"(\d+(?:[.,]\d+)?)"
_RANGE = re.compile(rf"^{_NUM}\s*%?\s*(?:-|–|to)\s*{_NUM}\s*%?$")
_ABOVE = re.compile(rf"^(?:more than|over|above|greater than|at least|min(?:imum)?|>=?|≥)\s*{_NUM}\s*%?$")
_BELOW = re.compile(rf"^(?:less than|under|below|up to|at most|max(?:imum)?|<=?|≤)\s*{_NUM}\s*%?$")
_EXACT = re.compile(rf"^(?:approx(?:imately)?\.?\s*|~\s*)?{_NUM}\s*%?$")
_PLUS = re.compile(rf"^{_NUM}\s*%?\s*\+$")


def parse_percentage(value: str) -> tuple[float | None, float | None, float | None] | None:
    """``(exact, minimum, maximum)`` of a free-text FtM percentage, or None when it says no number.

    ``"51%"``, ``"51.0"``, ``"51,5 %"`` → exact; ``"more than 50%"``, ``"> 50"``, ``"at least 25%"``,
    ``"25%+"`` → minimum (an exclusive "more than" is read as inclusive, as the BODS reader does:
    the model has no flag for it); ``"less than 25%"``, ``"up to 10%"`` → maximum; ``"25-50%"`` → both.
    A number above 100 is not a percentage (None).
    """
    v = " ".join(value.strip().lower().split())

    def num(s: str) -> float:
        return float(s.replace(",", "."))

    exact = lo = hi = None
    if m := _EXACT.match(v):
        exact = num(m.group(1))
    elif m := (_PLUS.match(v) or _ABOVE.match(v)):
        lo = num(m.group(1))
    elif m := _BELOW.match(v):
        hi = num(m.group(1))
    elif m := _RANGE.match(v):
        lo, hi = sorted((num(m.group(1)), num(m.group(2))))
    else:
        return None
    if any(x is not None and not 0 <= x <= 100 for x in (exact, lo, hi)):
        return None
    return exact, lo, hi


def looks_like_ftm(value: Any) -> bool:
    """True when parsed JSON is an FtM entity, a delta line or a list starting with one (format detection)."""
    first = value[0] if isinstance(value, list) and value else value
    if isinstance(first, dict) and isinstance(first.get("entity"), dict) and "op" in first:
        first = first["entity"]
    return isinstance(first, dict) and isinstance(first.get("schema"), str) and isinstance(
        first.get("properties"), dict)


def read_ftm(path: str, data: bytes | None = None, *, max_bytes: int = DEFAULT_MAX_BYTES) -> OwnershipFacts:
    """Read an FtM JSON / JSON Lines / delta file leniently into ownership facts and list entries.

    Every problem :func:`validate_ftm` reports about a file the reader understands is a warning with the same place
    and message (DESIGN.md §4.4), at most :data:`~cvcomply.formats.jsonutil.MAX_WARNINGS`.
    """
    raw = read_bytes(path, data)
    if len(raw) > max_bytes:
        raise InputError(path, "", f"file is {len(raw):,} bytes, above the limit of {max_bytes:,}",
                         fix="split the export, or raise max_bytes if you trust it")
    reader = _Reader(path)
    with paused_gc():
        for where, obj in _objects(path, raw):
            reader.add(where, obj)
        if not reader.seen:
            raise InputError(path, "", "not FollowTheMoney: no entity with schema and properties found",
                             fix="FtM entities are objects {\"id\", \"schema\", \"properties\"}, one per line")
        reader.finish()
    return OwnershipFacts(
        source=path, format=FORMAT, entities=tuple(reader.entities.values()), holdings=tuple(reader.holdings),
        list_entries=tuple(reader.entries), sha256=sha256(raw),
        warnings=capped_warnings(path, issue_warnings(path, reader.issues)),
    )


def validate_ftm(path: str, data: bytes | None = None) -> list[Issue]:
    """Structural checks, every problem located (``line N`` or a JSON pointer).

    The FtM schema model ships only inside the FtM libraries, so the checks are the model's own rules
    that matter here: each entity has an ``id``, a known ``schema`` and ``properties`` whose values are
    lists of strings; references (owner, asset, entity …) name entities of the file; percentages and
    dates can be read; countries are countries. The lenient read runs the same checks.
    """
    try:
        raw = read_bytes(path, data)
        reader = _Reader(path)
        for where, obj in _objects(path, raw):
            reader.add(where, obj)
        reader.finish()
    except InputError as e:
        return list(e.issues)
    if not reader.seen:
        reader.issue("", "no FtM entity found", "FtM entities are {\"id\", \"schema\", \"properties\"}")
    return reader.issues


# --------------------------------------------------------------------------------------------------


def _objects(path: str, raw: bytes) -> Iterator[tuple[str, Any]]:
    """(place, object) for a JSON array/object, or for each line of JSON Lines."""
    head = raw.lstrip()[:1]
    if head == b"[":
        doc = parse_json(path, raw, what="FollowTheMoney")
        if isinstance(doc, list):
            for i, obj in enumerate(doc):
                yield pointer(i), obj
            return
    lines = raw.splitlines()
    if len([ln for ln in lines[:3] if ln.strip()]) <= 1 and head == b"{":
        yield "", parse_json(path, raw, what="FollowTheMoney")
        return
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            yield f"line {n}", orjson.loads(line)
        except orjson.JSONDecodeError as e:
            raise InputError(path, f"line {n}, column {e.colno}", f"not valid JSON Lines ({e.msg})",
                             fix="each line must hold one complete FtM entity") from e


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    v = value.strip()
    for size, pad in ((10, ""), (7, "-01"), (4, "-01-01")):
        if len(v) >= size:
            try:
                return dt.date.fromisoformat(v[:size] + pad)
            except ValueError:
                continue
    return None


@dataclass(slots=True)
class _Record:
    where: str
    id: str
    schema: str
    props: dict[str, list[str]]


@dataclass(slots=True)
class _Reader:
    path: str
    records: dict[str, _Record] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    seen: int = 0  # objects that look like FtM entities or delta operations
    entities: dict[str, Entity] = field(default_factory=dict)
    holdings: list[Holding] = field(default_factory=list)
    entries: list[ListEntry] = field(default_factory=list)

    def issue(self, where: str, message: str, fix: str = "") -> None:
        self.issues.append(Issue(self.path, where, message, fix))

    def add(self, where: str, obj: Any) -> None:
        if looks_like_ftm(obj):
            self.seen += 1
        if isinstance(obj, dict) and isinstance(obj.get("entity"), dict) and "op" in obj:  # delta line
            op, obj = obj.get("op"), obj["entity"]
            if op == "DEL":
                eid = obj.get("id")
                if isinstance(eid, str):
                    self.records.pop(eid, None)
                return
            where = f"{where}/entity" if where.startswith("/") else where
        if not isinstance(obj, dict):
            self.issue(where, "not an FtM entity (not an object); skipped")
            return
        eid, schema, props = obj.get("id"), obj.get("schema"), obj.get("properties")
        if not isinstance(eid, str) or not eid:
            self.issue(where + ("/id" if where.startswith("/") else ""), "entity has no id; skipped",
                       "every FtM entity has a string id")
            return
        if not isinstance(schema, str) or not isinstance(props, dict):
            self.issue(where, f"entity {eid!r} has no schema or properties; skipped",
                       "FtM entities are {\"id\", \"schema\", \"properties\"}")
            return
        if schema not in _KNOWN:
            return  # Family, Passport, Note …: no ownership facts; FtM has ~70 schemata
        clean: dict[str, list[str]] = {}
        for key, values in props.items():
            vals = values if isinstance(values, list) else [values]
            good = [v for v in (text(x) for x in vals) if v]
            if len(good) != len(vals):
                self.issue(_at(where, "properties", key), "property values must be a list of strings")
            if good:
                clean[key] = good
        self.records[eid] = _Record(where, eid, schema, clean)

    def finish(self) -> None:
        addresses = {r.id: r for r in self.records.values() if r.schema == "Address"}
        for r in self.records.values():
            if r.schema in _ENTITY_SCHEMATA:
                self.entities[r.id] = self._entity(r, addresses)
        for r in self.records.values():
            if r.schema == "Ownership":
                self._link(r, "owner", "asset")
            elif r.schema == "Directorship":
                self._link(r, "director", "organization")
            elif r.schema == "Sanction":
                self._sanction(r)

    def _countries(self, r: _Record, key: str) -> list[str]:
        out = []
        for v in r.props.get(key, ()):
            code, note = ftm_country(v)
            if note:
                self.issue(_at(r.where, "properties", key), note)
            if code:
                out.append(code)
        return out

    def _entity(self, r: _Record, addresses: dict[str, _Record]) -> Entity:
        p = r.props
        names = [*p.get("name", ())]
        name = names[0] if names else f"(unnamed {r.schema} {r.id})"
        aliases = [n for n in (*names[1:], *p.get("alias", ()), *p.get("previousName", ())) if n != name]
        idents = [(scheme, v) for key, scheme in _IDENTIFIERS.items() for v in p.get(key, ())]
        facts = [("ftm:schema", r.schema), *(("ftm:topic", t) for t in p.get("topics", ())),
                 *(("ftm:status", s) for s in p.get("status", ()))]
        base = Entity(id=r.id, name=name, aliases=tuple(dict.fromkeys(aliases)),
                      identifiers=tuple(dict.fromkeys(idents)), sources=(SourceRef(self.path, r.where, r.id),),
                      facts=tuple(facts))
        if r.schema == "Person":
            nats = self._countries(r, "nationality") + self._countries(r, "citizenship")
            return replace(base, kind="person", nationalities=tuple(dict.fromkeys(nats)),
                           residences=tuple(dict.fromkeys(self._countries(r, "country"))), us_person="US" in nats)
        jurisdictions = self._countries(r, "jurisdiction")
        hq = self._countries(r, "mainCountry") + self._countries(r, "country")
        for ref in p.get("addressEntity", ()):
            if ref in addresses:
                hq += self._countries(addresses[ref], "country")
        kind: EntityKind = "state" if r.schema == "PublicBody" else "organization"
        nationalities = tuple(dict.fromkeys(jurisdictions + hq)) if kind == "state" else ()
        return replace(base, kind=kind, jurisdiction=jurisdictions[0] if jurisdictions else None,
                       headquarters=tuple(dict.fromkeys(hq)), nationalities=nationalities)

    def _ref(self, r: _Record, key: str) -> str | None:
        refs = r.props.get(key, ())
        if not refs:
            self.issue(_at(r.where, "properties", key), f"{r.schema} {r.id!r} has no {key}; skipped")
            return None
        if refs[0] not in self.entities:
            self.issue(_at(r.where, "properties", key),
                       f"{key} {refs[0]!r} is not a person or organisation in this file")
        return refs[0]

    def _period(self, r: _Record, *start_keys: str) -> tuple[dt.date | None, dt.date | None]:
        out: list[dt.date | None] = []
        for keys in (start_keys, ("endDate",)):
            raw = next((r.props[k][0] for k in keys if k in r.props), None)
            day = _date(raw)
            if raw and day is None:
                self.issue(_at(r.where, "properties", keys[0]), f"date {raw!r} cannot be read; ignored",
                           "write it as YYYY-MM-DD (or YYYY, YYYY-MM)")
            out.append(day)
        return out[0], out[1]

    def _link(self, r: _Record, holder_key: str, subject_key: str) -> None:
        holder, subject = self._ref(r, holder_key), self._ref(r, subject_key)
        if holder is None or subject is None:
            return
        start, end = self._period(r, "startDate")
        role = " ".join(r.props.get("role", ()))
        src = SourceRef(self.path, r.where, r.id)
        if r.schema == "Directorship":
            interest: Interest = "board-chair" if _CHAIR.search(role) else "board-member"
            self.holdings.append(Holding(holder, subject, interest, start=start, end=end, source=src))
            return
        interest = "voting-rights" if _VOTES.search(role) else "shareholding"
        exact = lo = hi = None
        for raw in r.props.get("percentage", ())[:1]:
            parsed = parse_percentage(raw)
            if parsed is None:
                self.issue(_at(r.where, "properties", "percentage"),
                           f"percentage {raw!r} cannot be read as a share; the stake is kept without one",
                           "write a number 0–100, e.g. 51%, more than 50%, 25-50%")
            else:
                exact, lo, hi = parsed
        self.holdings.append(Holding(holder, subject, interest, share=exact, share_min=lo, share_max=hi,
                                     start=start, end=end, source=src))

    def _sanction(self, r: _Record) -> None:
        target = self._ref(r, "entity")
        if target is None:
            return
        entity = self.entities.get(target)
        list_name = next(iter(r.props.get("authority", ()) or r.props.get("program", ())), None)
        if list_name is None:
            self.issue(_at(r.where, "properties", "authority"), f"sanction {r.id!r} names no authority or program")
            list_name = "sanction (authority not stated)"
        start, end = self._period(r, "startDate", "listingDate")
        program = ", ".join(r.props.get("program", ()))
        countries = [*entity.nationalities, *entity.residences] if entity and entity.kind == "person" else (
            [c for c in (entity.jurisdiction, *entity.headquarters) if c] if entity else [])
        self.entries.append(ListEntry(
            list_name=f"{list_name} ({program})" if program and program != list_name else list_name,
            name=entity.name if entity else target, countries=tuple(dict.fromkeys(countries)), entity=target,
            start=start, end=end, source=SourceRef(self.path, r.where, r.id),
        ))


def _at(where: str, *parts: str) -> str:
    """A place inside an entity: a JSON pointer below it, or ``line N /properties/x`` for JSON Lines."""
    return where + pointer(*parts) if (not where or where.startswith("/")) else f"{where} {pointer(*parts)}"
