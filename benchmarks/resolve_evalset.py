"""A labelled evaluation set for entity resolution: real names, generated variants, hard negatives.

Real names come from the third-party fixtures in ``../shared/fixtures`` (GLEIF LEI-CDF, FollowTheMoney,
the Consolidated Screening List, BODS examples), read with the project's own readers and never copied.
Everything else is MADE BY THE PROJECT and labelled so (ids ``eval:…``):

* the **registry**: every real entity and list entry with a name, plus generated *decoys* — the same
  name registered in another country (``eval:twin:…``) and similar names of different firms (a
  bracketed city added, a number changed, a distinctive word added: ``eval:near:…``);
* **positive queries** (truth = the registry id): the name as written, upper/lower case, punctuation
  stripped, the legal form spelled out or abbreviated, the legal form dropped, two words swapped, one
  typo, the other script (a Latin transliteration of a non-Latin name, or an alias in another script);
  each with the entity's country stated 60 % of the time;
* **negative queries** (truth = None): a registry name with a *conflicting* stated country and no
  entity of that name there, and similar names of firms the registry does not hold.

    python -m benchmarks.resolve_evalset [--out evalset.json]    # writes the set as JSON
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from anyascii import anyascii

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cvcomply.model import Entity

FIXTURES = Path(__file__).resolve().parents[1] / ".." / "shared" / "fixtures"
SEED = 17
STATE_COUNTRY = 0.6
OTHER_COUNTRIES = ("US", "DE", "GB", "CN", "RU", "HK", "FR", "JP", "NL", "CH")
FORM_SWAPS = (("Co., Ltd.", "Company Limited"), ("Company Limited", "Co., Ltd."), ("Limited", "Ltd"),
              ("Ltd", "Limited"), ("Inc.", "Incorporated"), ("Corporation", "Corp."), ("LLC", "L.L.C."),
              ("GmbH", "Gesellschaft mit beschränkter Haftung"), ("AG", "Aktiengesellschaft"),
              ("JSC", "Joint Stock Company"), ("PLC", "Public Limited Company"), ("S.A.", "SA"),
              ("ООО", "Общество с ограниченной ответственностью"), ("有限公司", " Co., Ltd."))
LEGAL_WORDS = {"co", "co.", "ltd", "ltd.", "limited", "inc", "inc.", "llc", "gmbh", "ag", "corp", "corp.",
               "corporation", "company", "plc", "jsc", "sa", "s.a.", "ооо", "ао", "пао", "b.v.", "bv", "n.v.",
               "общество", "с", "ограниченной", "ответственностью", "акционерное", "публичное", "liability",
               "aktsionernoe", "obshchestvo", "aktiebolag", "aktiengesellschaft", "a.s.", "s.r.o.", "ltda."}
CITIES = ("Suzhou", "Shenzhen", "Nanjing", "Moscow", "Hamburg", "Ohio", "Penang")


@dataclass(frozen=True, slots=True)
class Query:
    name: str
    country: str | None
    truth: str | None  # registry id, or None when no registry entity is the right answer
    kind: str  # how the query was made (exact, case, form-swap, typo, … / neg-country, neg-similar)


@dataclass(frozen=True, slots=True)
class EvalSet:
    registry: tuple[Entity, ...]
    queries: tuple[Query, ...]
    sources: tuple[str, ...]


def real_entities(fixtures: Path = FIXTURES) -> tuple[list[Entity], list[str]]:
    """Every named entity and list entry in the fixtures, as registry entities (one per id)."""
    from cvcomply.formats.detect import read_ownership

    files = [*sorted(fixtures.glob("gleif/lei-cdf/*.xml")), *sorted(fixtures.glob("ftm/*.json")),
             *sorted(fixtures.glob("csl/csv/*.csv")), *sorted(fixtures.glob("bods/*/*/*.json"))]
    out: dict[str, Entity] = {}
    used: list[str] = []
    for f in files:
        try:
            facts = read_ownership(str(f))
        except Exception as e:  # a reader in progress elsewhere must not stop the evaluation
            print(f"skipped {f.name}: {type(e).__name__}: {e}", file=sys.stderr)
            continue
        used.append(str(f.relative_to(fixtures)))
        for e in facts.entities:
            if e.name.strip() and not e.name.startswith("(unnamed") and e.id not in out:  # BODS placeholders
                out[e.id] = e
        for x in facts.list_entries:
            key = f"list:{x.list_name}:{x.name}"
            if x.entity is None and x.name.strip() and key not in out:  # linked entries are registry entities
                countries = sorted(set(x.countries))
                out[key] = Entity(key, x.name, jurisdiction=countries[0] if len(countries) == 1 else None,
                                  aliases=x.aliases)
    return list(out.values()), used


def _is_legal(word: str) -> bool:
    return word.casefold().strip(',"«»') in LEGAL_WORDS


def _typo(rng: random.Random, name: str) -> str | None:
    words = name.split()
    long = [i for i, w in enumerate(words) if len(w) >= 6 and w.isalpha() and not _is_legal(w)]
    if not long:
        return None
    i = rng.choice(long)
    w = words[i]
    j = rng.randrange(2, len(w) - 1)
    op = rng.randrange(3)
    w = w[:j] + w[j + 1:] if op == 0 else w[:j] + rng.choice("aeioursnt") + w[j + 1:] if op == 1 else \
        w[:j - 1] + w[j] + w[j - 1] + w[j + 1:]
    return " ".join([*words[:i], w, *words[i + 1:]])


def variants(rng: random.Random, e: Entity) -> Iterable[tuple[str, str]]:
    """(kind, name) ways a BOM might write this entity's name."""
    name = e.name
    yield "exact", name
    yield "case", name.upper() if rng.random() < 0.5 else name.lower()
    stripped = "".join(c for c in name if c.isalnum() or c.isspace())
    if stripped != name:
        yield "punctuation", stripped
    for short, long in FORM_SWAPS:
        swapped = re.sub(rf"(?<!\w){re.escape(short)}(?!\w)", long, name)
        if swapped != name:
            yield "form-swap", swapped
            break
    words = name.split()
    if len(words) > 2 and _is_legal(words[-1]):
        yield "form-drop", " ".join(w for w in words if not _is_legal(w))
    core = [i for i, w in enumerate(words) if not _is_legal(w)]
    if len(core) >= 3:  # two distinctive words trade places
        i, j = core[0], core[1]
        swapped = list(words)
        swapped[i], swapped[j] = words[j], words[i]
        yield "word-order", " ".join(swapped)
    if (t := _typo(rng, name)) is not None:
        yield "typo", t
    if not name.isascii():
        yield "transliteration", anyascii(name)
    elif (other := next((a for a in e.aliases if not a.isascii()), None)) is not None:
        yield "transliteration", other


def decoys(rng: random.Random, e: Entity) -> list[Entity]:
    """Made-up entities a resolver must not confuse with ``e`` (labelled ``eval:``)."""
    out = []
    country = e.jurisdiction
    if country:
        other = rng.choice([c for c in OTHER_COUNTRIES if c != country])
        out.append(Entity(f"eval:twin:{e.id}", e.name, jurisdiction=other))
    words = e.name.split()
    core = [i for i, w in enumerate(words) if not _is_legal(w)]
    if core and rng.random() < 0.5:
        i = core[-1]
        near = " ".join([*words[: i + 1], f"({rng.choice(CITIES)})", *words[i + 1:]])
    else:
        near = " ".join([*words[:1], rng.choice(("Holdings", "Trading", "Logistics", "Capital")), *words[1:]])
    out.append(Entity(f"eval:near:{e.id}", near, jurisdiction=country))
    return out


def build(fixtures: Path = FIXTURES, seed: int = SEED) -> EvalSet:
    rng = random.Random(seed)
    real, used = real_entities(fixtures)
    real = [e for e in real if e.kind != "state"]
    registry: list[Entity] = list(real)
    for e in real:
        registry.extend(decoys(rng, e))
    by_name_country: dict[tuple[str, str | None], int] = {}
    for e in registry:
        key = (e.name.casefold(), e.jurisdiction)
        by_name_country[key] = by_name_country.get(key, 0) + 1
    queries: list[Query] = []
    for e in real:
        for kind, name in variants(rng, e):
            country = e.jurisdiction if e.jurisdiction and rng.random() < STATE_COUNTRY else None
            queries.append(Query(name, country, e.id, kind))
        if e.jurisdiction:  # the same name said to be in a country where no entity of that name is
            other = rng.choice([c for c in OTHER_COUNTRIES if c != e.jurisdiction])
            if not by_name_country.get((e.name.casefold(), other)):
                queries.append(Query(e.name, other, None, "neg-country"))
        words = e.name.split()  # a similar firm the registry does not hold
        queries.append(Query(" ".join([*words[:1], rng.choice(("Nordic", "Pacific", "Atlantic", "Alpine")),
                                       *words[1:]]), e.jurisdiction, None, "neg-similar"))
    for d in registry[len(real):]:
        if d.id.startswith("eval:near:"):
            queries.append(Query(d.name, d.jurisdiction if rng.random() < STATE_COUNTRY else None, d.id, "decoy"))
    return EvalSet(tuple(registry), tuple(queries), tuple(used))


def to_json(s: EvalSet) -> dict[str, object]:
    return {"made_by": "cvcomply benchmarks/resolve_evalset.py (variants and decoys generated; real names read "
                       "from ../shared/fixtures)",
            "sources": list(s.sources),
            "registry": [{"id": e.id, "name": e.name, "country": e.jurisdiction, "aliases": list(e.aliases),
                          "kind": e.kind} for e in s.registry],
            "queries": [asdict(q) for q in s.queries]}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="write the labelled evaluation set as JSON")
    p.add_argument("--out", type=Path, default=Path("evalset.json"))
    a = p.parse_args(argv)
    s = build()
    a.out.write_text(json.dumps(to_json(s), ensure_ascii=False, indent=1))
    print(f"{len(s.registry)} registry entities, {len(s.queries)} queries → {a.out}")
    return 0


__all__ = ["EvalSet", "Query", "build", "to_json"]

if __name__ == "__main__":
    raise SystemExit(main())
