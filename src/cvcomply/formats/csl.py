"""The US Consolidated Screening List (trade.gov CSL) in, :class:`ListEntry` facts out.

Two forms are read:

* **CSV** as trade.gov exports it: 29 columns with a leading ``_id`` (current), or the 28 columns of
  older exports without it. Columns are found by header name, so their order does not matter.
* **JSON** in the CSL API v2 record shape (``source``, ``name``, ``alt_names``, ``addresses[{country}]``
  …): a bare array of records or an API answer ``{"results": [...]}``.

Each row is one entry on one list. Facts taken:

* ``list_name``: the ``source`` column as written ("Entity List (EL) - Bureau of Industry and Security");
  :func:`list_code` gives its short code (``EL``, ``MEU``, ``SDN`` …) from the brackets.
* names: ``name``, and the ``;``-separated ``alt_names`` as aliases.
* countries: the country of each address (in the CSV the last comma-separated part of each
  ``;``-separated address when it is a two-letter code; ``addresses[].country`` in JSON), then
  ``citizenships`` and ``nationalities``.
* links: every "(Linked To: NAME)" in ``remarks`` (the OFAC lists name an owner or controller so).
* ``start_date``/``end_date`` → the entry's validity (DESIGN.md §3 reading 9: lists are read at ``as_of``).

Places are CSV rows counted as a spreadsheet does (the header is row 1, so the first entry is row 2;
a quoted field spanning lines is still one row) and JSON pointers for the JSON form.

Stray control characters (older exports carry a C1 ``U+0092`` for an apostrophe) are removed from
names. Text is UTF-8 (with or without a byte-order mark) or UTF-16 with a byte-order mark; anything
else is read as Windows-1252 with a warning, because that is what the older exports were.

No decisions are made here: whether an entry flags a party or is direction evidence is for
``screen.load_knowledge`` and ``ownership/seeds.py``.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from typing import Any

from cvcomply.formats.errors import InputError, Issue
from cvcomply.formats.jsonutil import (
    capped_warnings,
    country_code,
    issue_warnings,
    parse_json,
    pointer,
    read_bytes,
    sha256,
    text,
)
from cvcomply.model import ListEntry, OwnershipFacts, SourceRef

__all__ = [
    "COLUMNS",
    "DEFAULT_MAX_BYTES",
    "FORMAT_CSV",
    "FORMAT_JSON",
    "list_code",
    "looks_like_csl_csv",
    "looks_like_csl_json",
    "read_csl",
    "validate_csl",
]

FORMAT_CSV = "csl-csv"
FORMAT_JSON = "csl-json"
DEFAULT_MAX_BYTES = 512 * 1024 * 1024
"""The whole current CSL is a few tens of MB; a file far above that is not a screening list."""

COLUMNS = (
    "source", "entity_number", "type", "programs", "name", "title", "addresses", "federal_register_notice",
    "start_date", "end_date", "standard_order", "license_requirement", "license_policy", "call_sign",
    "vessel_type", "gross_tonnage", "gross_registered_tonnage", "vessel_flag", "vessel_owner", "remarks",
    "source_list_url", "alt_names", "citizenships", "dates_of_birth", "nationalities", "places_of_birth",
    "source_information_url", "ids",
)
"""The 28 columns of a CSL CSV export; current exports put ``_id`` in front (29)."""

_REQUIRED = ("source", "name")
_CODE = re.compile(r"\(([A-Z][A-Z0-9 ]*[A-Z0-9])\)")
_LINKED = re.compile(r"\(Linked To:\s*([^)]*)\)", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SPACE = re.compile(r"\s+")


def list_code(list_name: str) -> str | None:
    """The short code of a CSL source list: ``"Entity List (EL) - Bureau …"`` → ``"EL"``, else None."""
    m = _CODE.search(list_name)
    return m.group(1) if m else None


def looks_like_csl_csv(head: bytes) -> bool:
    """True when the first line is a CSL CSV header (format detection on a file's first bytes)."""
    first = _decode(head[:4096])[0].lstrip("\ufeff").split("\n", 1)[0].lower()
    cells = {c.strip().strip('"') for c in first.split(",")}
    return {"source", "name", "alt_names", "addresses"} <= cells


def looks_like_csl_json(doc: Any) -> bool:
    """True when parsed JSON is a CSL API v2 answer or an array of its records."""
    if isinstance(doc, dict) and isinstance(doc.get("results"), list):
        doc = doc["results"]
    first = doc[0] if isinstance(doc, list) and doc else None
    return isinstance(first, dict) and "source" in first and "name" in first and (
        "alt_names" in first or "addresses" in first or "source_list_url" in first)


def read_csl(path: str, data: bytes | None = None, *, max_bytes: int = DEFAULT_MAX_BYTES) -> OwnershipFacts:
    """Read a CSL CSV or API v2 JSON file leniently: bad rows become warnings, never a crash.

    Every problem :func:`validate_csl` reports about a file the reader understands is a warning with the same place
    and message (DESIGN.md §4.4), at most :data:`~cvcomply.formats.jsonutil.MAX_WARNINGS`.
    """
    raw = _limited(path, read_bytes(path, data), max_bytes)
    reader = _Reader(path)
    fmt = reader.read(raw)
    if not reader.entries and reader.skipped:  # every record unreadable; a header-only list is read as empty
        first = reader.skipped[0]
        raise InputError(path, first.location, f"no readable screening-list entry: {first.message}",
                         fix=first.fix, issues=tuple(reader.issues))
    return OwnershipFacts(
        source=path, format=fmt, list_entries=tuple(reader.entries), sha256=sha256(raw),
        warnings=capped_warnings(path, issue_warnings(path, reader.issues)),
    )


def validate_csl(path: str, data: bytes | None = None, *, max_bytes: int = DEFAULT_MAX_BYTES) -> list[Issue]:
    """Every structural problem with its row (CSV) or JSON pointer; empty when the file is clean.

    No official schema of the CSL exists offline, so the checks are structural: the header has the
    export's columns, every row has as many cells as the header, ``source`` and ``name`` are given,
    dates are ISO dates and address countries are countries. The lenient read runs the same checks.
    """
    try:
        raw = _limited(path, read_bytes(path, data), max_bytes)
        reader = _Reader(path)
        reader.read(raw)
    except InputError as e:
        return list(e.issues)
    return reader.issues


# --------------------------------------------------------------------------------------------------


def _limited(path: str, raw: bytes, max_bytes: int) -> bytes:
    if len(raw) > max_bytes:
        raise InputError(path, "", f"file is {len(raw):,} bytes, above the limit of {max_bytes:,} for a screening list",
                         fix="pass the real CSL export, or raise max_bytes if this file is genuine")
    return raw


def _decode(raw: bytes) -> tuple[str, str | None]:
    """(text, warning or None): UTF-8 (BOM optional), UTF-16 with a BOM, else Windows-1252."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16", errors="replace"), None
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as e:
        return (raw.decode("cp1252", errors="replace"),
                f"not UTF-8 (byte {e.start}); read as Windows-1252 — check names with accents")


def _clean(value: Any) -> str | None:
    """A string without control characters and with single spaces, or None when nothing is left."""
    if not isinstance(value, str):
        return None
    return text(_SPACE.sub(" ", _CONTROL.sub("", value)))


def _split(value: str | None) -> list[str]:
    return [p for p in (_clean(x) for x in (value or "").split(";")) if p]


def _date(value: str | None) -> tuple[dt.date | None, bool]:
    """(date, ok): an empty value is fine; an ISO date (or date-time) is read; anything else is not ok."""
    if not value:
        return None, True
    try:
        return dt.date.fromisoformat(value[:10]), True
    except ValueError:
        return None, False


@dataclass(slots=True)
class _Reader:
    path: str
    entries: list[ListEntry] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    skipped: list[Issue] = field(default_factory=list)  # the issue of each record that could not be read

    def issue(self, where: str, message: str, fix: str = "") -> None:
        self.issues.append(Issue(self.path, where, message, fix))

    def skip(self, where: str, message: str, fix: str = "") -> None:
        self.issue(where, message, fix)
        self.skipped.append(self.issues[-1])

    def read(self, raw: bytes) -> str:
        body, note = _decode(raw)
        if note:
            self.issue("", note, "save the file as UTF-8")
        if body.lstrip().startswith(("[", "{")):
            self._json(raw)
            return FORMAT_JSON
        self._csv(body)
        return FORMAT_CSV

    # -- CSV ---------------------------------------------------------------------------------------

    def _csv(self, body: str) -> None:
        rows = csv.reader(io.StringIO(body, newline=""), strict=False)
        try:
            header = [h.strip().lstrip("\ufeff").lower() for h in next(rows)]
        except StopIteration:
            raise InputError(self.path, "row 1", "empty file: no CSL header",
                             fix="a CSL CSV starts with the header line source,entity_number,…") from None
        except csv.Error as e:
            raise InputError(self.path, "row 1", f"not CSV ({e})", fix="export the list as CSV") from None
        missing = [c for c in _REQUIRED if c not in header]
        if missing:
            raise InputError(self.path, "row 1", f"not a CSL header: no column {', '.join(missing)}",
                             fix="a CSL CSV has the columns source, name, alt_names, addresses …")
        unknown = [h for h in header if h not in COLUMNS and h != "_id"]
        absent = [c for c in COLUMNS if c not in header]
        if unknown:
            self.issue("row 1", f"unknown column(s) {', '.join(unknown)}", "use the CSL export's header")
        if absent:
            self.issue("row 1", f"missing column(s) {', '.join(absent)}", "use the CSL export's header")
        col = {h: i for i, h in enumerate(header)}
        row_no = 1
        while True:
            try:
                cells = next(rows)
            except StopIteration:
                break
            except csv.Error as e:
                row_no += 1
                self.skip(f"row {row_no}", f"not CSV ({e})", "fix the quoting of this row")
                continue
            row_no += 1
            if not cells or not any(c.strip() for c in cells):
                continue  # blank line
            if len(cells) != len(header):
                self.issue(f"row {row_no}", f"{len(cells)} columns where the header has {len(header)}",
                           "the row is truncated or has an unquoted comma; re-export the list")
                if len(cells) <= max(col[c] for c in _REQUIRED):
                    self.skipped.append(self.issues[-1])
                    continue
            def get(name: str, cells: list[str] = cells) -> str | None:
                i = col.get(name)
                return _clean(cells[i]) if i is not None and i < len(cells) else None

            # each address ends with its ISO alpha-2 country when the list knows it ("…, Xian, China, CN");
            # an address ending otherwise (a postcode) states no country
            addresses = [t for t in (a.rsplit(",", 1)[-1].strip() for a in _split(get("addresses")))
                         if len(t) == 2 and t.isalpha()]
            self._entry(f"row {row_no}", get("_id") or get("entity_number"), get("source"), get("name"),
                        _split(get("alt_names")), addresses,
                        _split(get("citizenships")) + _split(get("nationalities")),
                        get("remarks"), get("start_date"), get("end_date"))

    # -- JSON --------------------------------------------------------------------------------------

    def _json(self, raw: bytes) -> None:
        doc = parse_json(self.path, raw, what="Consolidated Screening List")
        base: tuple[str | int, ...] = ()
        if isinstance(doc, dict) and isinstance(doc.get("results"), list):
            doc, base = doc["results"], ("results",)
        if not isinstance(doc, list):
            raise InputError(self.path, "", "CSL JSON must be an array of records or {\"results\": [...]}",
                             fix="pass the CSL API's answer or its results array")
        for i, rec in enumerate(doc):
            where = pointer(*base, i)
            if not isinstance(rec, dict):
                self.skip(where, "record is not an object; skipped")
                continue
            addresses = rec.get("addresses")
            addresses = addresses if isinstance(addresses, list) else []
            countries = [a.get("country") for a in addresses if isinstance(a, dict)]
            people = [c for k in ("citizenships", "nationalities") for c in _strings(rec.get(k))]
            ident = rec.get("id") or rec.get("entity_number")
            self._entry(where, str(ident) if isinstance(ident, str | int) else None, _clean(rec.get("source")),
                        _clean(rec.get("name")), [a for a in map(_clean, _strings(rec.get("alt_names"))) if a],
                        [c for c in countries if isinstance(c, str)], people,
                        _clean(rec.get("remarks")), _clean(rec.get("start_date")), _clean(rec.get("end_date")))

    # -- shared ------------------------------------------------------------------------------------

    def _entry(self, where: str, ident: str | None, source: str | None, name: str | None, aliases: list[str],
               address_countries: list[str], person_countries: list[str], remarks: str | None,
               start: str | None, end: str | None) -> None:
        if source is None or name is None:
            what = "source (the list)" if source is None else "name"
            self.skip(where, f"no {what}; row skipped", "every CSL row names its list and the listed party")
            return
        countries: list[str] = []
        for raw in [*address_countries, *person_countries]:
            value = _clean(raw)
            if value is None:
                continue
            code = country_code(value)
            if code is None:
                self.issue(where, f"country {value!r} is not one we recognise", "give an ISO 3166 code")
            else:
                countries.append(code)
        start_day, ok_start = _date(start)
        end_day, ok_end = _date(end)
        for label, ok, value in (("start_date", ok_start, start), ("end_date", ok_end, end)):
            if not ok:
                self.issue(where, f"{label} {value!r} is not a date; ignored", "write it as YYYY-MM-DD")
        linked = [n for m in _LINKED.findall(remarks or "") for n in _split(m)]
        self.entries.append(ListEntry(
            list_name=source, name=name, countries=tuple(dict.fromkeys(countries)), start=start_day, end=end_day,
            source=SourceRef(self.path, where, ident), aliases=tuple(dict.fromkeys(a for a in aliases if a != name)),
            linked_to=tuple(dict.fromkeys(linked)),
        ))


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return _split(value)
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []

