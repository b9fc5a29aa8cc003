"""Against real GLEIF records (third-party, read-only in ../shared/fixtures/gleif, CC0 data).

GLEIF publishes, beside a legal name in its own script, its ASCII transliteration. Our normaliser
must fold both to the same text, every record's LEI must pass the ISO 17442 check, and each entity
must resolve to itself from the transliterated name and from its LEI.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from cvcomply.model import Entity
from cvcomply.resolve import Resolver, normalise_name
from cvcomply.resolve.identifiers import lei_checks

GLEIF = Path(__file__).resolve().parents[2] / ".." / "shared" / "fixtures" / "gleif" / "lei-cdf"
NS = {"lei": "http://www.gleif.org/data/schema/leidata/2016"}


def _records() -> list[tuple[str, str, str, tuple[str, ...]]]:
    """(LEI, legal name, jurisdiction, transliterated names) of every LEI record in the excerpts."""
    if not GLEIF.is_dir():
        pytest.skip(f"third-party GLEIF fixtures not found at {GLEIF.resolve()}")
    seen: dict[str, tuple[str, str, str, tuple[str, ...]]] = {}
    for path in sorted(GLEIF.glob("*.xml")):
        for record in ET.parse(path).getroot().iterfind(".//lei:LEIRecord", NS):
            code = record.findtext("lei:LEI", "", NS)
            entity = record.find("lei:Entity", NS)
            if not code or entity is None:
                continue
            translit = tuple(e.text or "" for e in entity.iterfind(".//lei:TransliteratedOtherEntityName", NS))
            seen[code] = (code, entity.findtext("lei:LegalName", "", NS),
                          entity.findtext("lei:LegalJurisdiction", "", NS)[:2], translit)
    if not seen:
        pytest.skip(f"no LEI records in {GLEIF.resolve()}")
    return list(seen.values())


def test_every_real_lei_passes_the_check() -> None:
    records = _records()
    assert all(lei_checks(code) for code, *_ in records)


def test_legal_name_and_gleif_transliteration_fold_alike() -> None:
    pairs = [(name, t) for _, name, _, translits in _records() for t in translits]
    if not pairs:
        pytest.skip("no transliterated names in the GLEIF excerpts")
    for name, translit in pairs:
        assert normalise_name(name) == normalise_name(translit), (name, translit)


def test_each_record_resolves_to_itself() -> None:
    records = _records()
    resolver = Resolver(Entity(code, name, jurisdiction=cc or None, identifiers=(("lei", code),))
                        for code, name, cc, _ in records)
    for code, name, cc, translits in records:
        by_lei = resolver.resolve_name("", None, [("LEI", code.lower())])
        assert (by_lei.decision, by_lei.entity) == ("match", code)
        for query in (name.upper(), *translits):
            m = resolver.resolve_name(query, cc or None)
            assert m.entity == code or code in {c for c, _ in m.candidates}, (query, m)
