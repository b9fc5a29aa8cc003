"""Shared edge helpers of the JSON readers: bytes in, parsed JSON or a located :class:`InputError` out.

Every JSON reader (CycloneDX, BODS, later SPDX 2/3 JSON, GLEIF, FtM …) starts the same way: read the
bytes (or take them from the caller), drop a UTF-8 byte-order mark, parse, and on failure say where
(line and column) and what to do. Country normalisation lives here too because every reader that
states a country (a BOM's ``address.country``, a register's jurisdiction) must hand ISO 3166-1
alpha-2 upper case to the model (``Party.country``, ``Entity.jurisdiction``). And every lenient reader
turns the problems it read past into the report's warnings the same way (:func:`issue_warnings`,
:func:`capped_warnings`, DESIGN.md §4.4).
"""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import orjson
import pycountry

from cvcomply.formats.errors import InputError, Issue
from cvcomply.model import Warning

UTF8_BOM = b"\xef\xbb\xbf"
MAX_WARNINGS = 200
"""A lenient read keeps this many warnings per file, then one counting the rest (:func:`capped_warnings`)."""


def read_bytes(path: str, data: bytes | None = None) -> bytes:
    """The file's bytes (``data`` when the caller already has them), without a UTF-8 BOM; UTF-16 → UTF-8."""
    if data is None:
        p = Path(path)
        if p.is_dir():
            raise InputError(path, "", "is a folder, not a file", fix="name the file itself")
        if not p.is_file():
            raise InputError(path, "", "file not found",
                             fix="check the path (paths in a manifest are relative to its folder)")
        try:
            data = p.read_bytes()
        except OSError as e:
            raise InputError(path, "", f"cannot read file: {e.strerror}", fix="check its permissions") from e
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) and not _is_xml(data):
        return _from_utf16(path, data)
    return data[len(UTF8_BOM):] if data.startswith(UTF8_BOM) else data


def _is_xml(data: bytes) -> bool:
    """UTF-16 XML keeps its bytes: it declares its encoding and libxml2 decodes it itself."""
    return data[2:12].replace(b"\x00", b"").lstrip().startswith(b"<")


def _from_utf16(path: str, data: bytes) -> bytes:
    """JSON and tag-value files saved as UTF-16 with a byte-order mark (Windows tools do), as UTF-8."""
    try:
        return data.decode("utf-16").encode("utf-8")
    except UnicodeDecodeError as e:
        raise InputError(path, f"byte {e.start}", "not valid UTF-16 although it starts with a UTF-16 byte-order mark",
                         fix="save the file as UTF-8") from e


def sha256(data: bytes) -> str:
    """Content hash of the bytes as read (provenance: DESIGN.md §5)."""
    return hashlib.sha256(data).hexdigest()


def parse_json(path: str, data: bytes, *, what: str = "JSON") -> Any:
    """Parse JSON bytes; a syntax error becomes an InputError naming line and column."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as e:
        where = f"line {e.lineno}, column {e.colno}"
        raise InputError(path, where, f"not valid JSON ({e.msg})",
                         fix=f"fix the JSON syntax there; a {what} file must be JSON") from e


def parse_json_lines(path: str, data: bytes) -> list[tuple[int, Any]]:
    """Parse JSON Lines: one value per non-blank line, returned with its 1-based line number."""
    out: list[tuple[int, Any]] = []
    for n, line in enumerate(data.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            out.append((n, orjson.loads(line)))
        except orjson.JSONDecodeError as e:
            raise InputError(path, f"line {n}, column {e.colno}", f"not valid JSON Lines ({e.msg})",
                             fix="each line must hold one complete JSON value") from e
    return out


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while a reader builds many small objects.

    The objects a reader makes hold no reference cycles, but each allocation burst triggers a
    collection that walks the whole parsed document again: on a 50k-component BOM that doubles
    the read time. Reference counting still frees everything; the collector's state is restored.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if not gc.get_freeze_count():
                # What the pause made is young in the collector's eyes: left in generation 0, the first
                # allocation after re-enabling would walk all of it at once. It is long-lived (the model
                # objects, a report), so it goes straight to the oldest generation, where the collector
                # would put it after two collections; a full collection still examines it. Not when the
                # program froze objects itself (gc.freeze before fork): unfreezing would undo that.
                gc.freeze()
                gc.unfreeze()
            gc.enable()


def pointer(*parts: str | int) -> str:
    """A JSON pointer (RFC 6901) from path parts: ``pointer("components", 3)`` = ``/components/3``."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def text(value: Any) -> str | None:
    """A non-blank string stripped of surrounding space, else None (JSON is loosely typed at the edge)."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return None


# Names people write that ISO 3166 (and so pycountry's lookup) spells otherwise.
_COUNTRY_ALIASES = {
    "russia": "RU",
    "macau": "MO",
    "uk": "GB",
    "great britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "hongkong": "HK",
    "hong kong sar": "HK",
    "hong kong, china": "HK",
    "macao sar": "MO",
    "prc": "CN",
    "people's republic of china": "CN",
    "mainland china": "CN",
    "south korea": "KR",
    "north korea": "KP",
    "usa": "US",
    "u.s.": "US",
    "u.s.a.": "US",
    "united states of america": "US",
    "iran": "IR",
    "venezuela": "VE",
    "cuba": "CU",
    "vietnam": "VN",
    "taiwan": "TW",
    "republic of ireland": "IE",
    "uae": "AE",
    "the netherlands": "NL",
    "holland": "NL",
    "czech republic": "CZ",
    "turkey": "TR",
}


@cache
def country_code(value: str) -> str | None:
    """ISO 3166-1 alpha-2 (upper case) for a code or a name, or None when it names no country.

    Accepts alpha-2 and alpha-3 codes in any case, ISO names and common names ("China",
    "Hong Kong", "Russian Federation", "Russia"), and ISO 3166-2 subdivision codes, whose country
    is the part before the hyphen (``US-DE`` → ``US``: BODS jurisdictions use them).
    """
    v = value.strip()
    if not v:
        return None
    alias = _COUNTRY_ALIASES.get(v.lower())
    if alias:
        return alias
    if len(v) >= 4 and v[2] == "-" and v[:2].isalpha():  # ISO 3166-2 subdivision: CC-XXX
        v = v[:2]
    try:
        return str(pycountry.countries.lookup(v).alpha_2)
    except LookupError:
        return None


# -- warnings of a lenient read (DESIGN.md §4.4) -----------------------------------------------------


def issue_warnings(label: str, issues: Iterable[Issue], prefix: str = "") -> list[Warning]:
    """``validate``'s issues as a lenient read's warnings: same place (``label#location``) and message.

    ``prefix`` says which checker found them where a reader also warns of its own accord (``"schema: "`` for a
    schema violation); ``label`` is how the report names the file.
    """
    return [Warning(f"{label}#{i.location}" if i.location else label, prefix + i.message) for i in issues]


def capped_warnings(label: str, warnings: Sequence[Warning], *, more: int = 0, at_least: bool = False,
                    cap: int = MAX_WARNINGS) -> tuple[Warning, ...]:
    """The first ``cap`` warnings, then one counting the rest: a broken million-record file stays a short report.

    ``more`` counts problems beyond ``warnings`` that the caller did not make into warnings; ``at_least`` says
    that count is a floor (records known to be broken, each with one problem or more, not spelled out).
    """
    if len(warnings) <= cap and not more:
        return tuple(warnings)
    rest = len(warnings) - min(cap, len(warnings)) + more
    some = "at least " if at_least else ""
    return (*warnings[:cap], Warning(label, f"… and {some}{rest:,} more problems; run cvcomply validate to list "
                                            "them all"))
