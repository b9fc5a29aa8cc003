"""Identifier comparison: the strongest evidence a BOM can give, compared before any name.

Schemes are compared case-insensitively with the LEI's spellings (``lei``, ``LEI``, ``XI-LEI`` in
org-id.guide) folded to ``lei``; values lose spaces and punctuation and are upper-cased, so
``5493 001K-JTII GC8Y1R12`` and ``5493001kjtiigc8y1r12`` are the same LEI. D-U-N-S spellings fold to
``duns`` (``15-048-3782`` = ``150483782``). National company numbers (``gb-coh``, ``ru-ogrn``,
``cn-uscc`` in org-id.guide's scheme codes) and list ids (a CSL entry id) compare the same way: equal
scheme, equal folded value.
"""

from __future__ import annotations

import re

_LEI_SCHEMES = frozenset({"lei", "xi-lei", "xi_lei", "gleif", "iso17442", "iso-17442"})
_DUNS_SCHEMES = frozenset({"duns", "d-u-n-s", "dunsnumber", "duns-number", "xi-duns", "us-duns"})
_NOT_ALNUM = re.compile(r"[^0-9A-Za-z]+")


def normalise_scheme(scheme: str) -> str:
    """``"XI-LEI"`` → ``"lei"``, ``"D-U-N-S"`` → ``"duns"``; other schemes lower-cased, with spaces and
    underscores as hyphens."""
    s = re.sub(r"[\s_]+", "-", scheme.strip().casefold())
    return "lei" if s in _LEI_SCHEMES else "duns" if s in _DUNS_SCHEMES else s


def normalise_value(value: str) -> str:
    """Spaces and punctuation removed, upper case: identifiers are written loosely in BOMs."""
    return _NOT_ALNUM.sub("", value).upper()


def identifier_key(scheme: str, value: str) -> tuple[str, str] | None:
    """The comparison key of one identifier, None when either part is empty after folding."""
    s, v = normalise_scheme(scheme), normalise_value(value)
    return (s, v) if s and v else None


_BASE36_DIGITS = str.maketrans({chr(ord("A") + i): str(10 + i) for i in range(26)})


def lei_checks(value: str) -> bool:
    """True when a (normalised) LEI has 20 characters and its ISO 17442 / ISO 7064 mod 97-10 check holds."""
    if len(value) != 20 or not value.isalnum() or not value.isascii():
        return False
    return int(value.upper().translate(_BASE36_DIGITS)) % 97 == 1  # each letter as its two-digit value (A=10 …)
