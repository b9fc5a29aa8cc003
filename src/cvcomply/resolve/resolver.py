"""BOM party → registry entity: identifiers, reviewer decisions, then names, each outcome with reasons.

The order of evidence, strongest first (DESIGN.md §3 reading 8; RULE.md §12.18 — a missing or
unresolved party must never default to a pass, so every doubt here becomes ``review`` or ``none``,
which the rules turn into ``needs_review`` or a judgement on the BOM's own facts, reading 10):

1. A reviewer's **confirmation** for this party name (and country): a human looked; it wins.
   A reviewer's **rejection** removes that entity from every later step for this party.
2. **Identifiers** (LEI and other schemes): equal identifiers are a match, score 1.0. A stated
   country that conflicts with the entity makes it a review instead. An LEI that *differs* from the
   entity's LEI keeps that entity out of the name steps (one legal entity has one LEI).
3. **Exact normalised name** (or alias): one entity → match, even without a stated country;
   several → review.
4. **Fuzzy score** (rapidfuzz, with a penalty for differing bracket words): a match only at or above
   ``thresholds.match`` *and* with a stated country the entity agrees with *and* no second candidate
   that high; review at or above ``thresholds.review``; else none.

A candidate whose country conflicts with the stated one is never counted, at any name step.
No ownership logic here (that is ``ownership/``), no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from cvcomply.model import Decision, Entity, MatchResult, Party
from cvcomply.resolve.countries import conflict_note, entity_countries, stated_country
from cvcomply.resolve.decisions import DecisionBook, Ruling, describe
from cvcomply.resolve.identifiers import identifier_key, lei_checks
from cvcomply.resolve.index import BlockingIndex
from cvcomply.resolve.names import NormalName

MAX_NAME_CHARS = 1_000
"""Longer "names" are not party names (a pasted document, a corrupt field): answered ``none``."""
MAX_CANDIDATES = 10
BRACKET_PENALTY_BOTH = 0.30  # both names bracket a word, and the words differ: two places, two firms
BRACKET_PENALTY_ONE = 0.15  # only one name brackets a word the other lacks: a branch vs its parent
NUMBER_PENALTY_BOTH = 0.20  # "Fund 18" vs "Fund 19", "Zeta17" vs "Zeta170": numbers name different firms
NUMBER_PENALTY_ONE = 0.10  # "Acme 2000 Ltd" vs "Acme Ltd"
_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Score cut-offs in [0, 1]: at or above ``match`` a fuzzy name may match, at or above ``review``
    it goes to a reviewer, below it is no match."""

    match: float = 0.92
    review: float = 0.75

    def __post_init__(self) -> None:
        if not 0.0 <= self.review <= self.match <= 1.0:
            raise ValueError(f"thresholds must satisfy 0 <= review <= match <= 1, got review={self.review}, "
                             f"match={self.match}")


DEFAULT_THRESHOLDS = Thresholds()


@dataclass(frozen=True, slots=True)
class _Name:
    entity: int  # position in Resolver._entities
    name: NormalName
    alias: bool


@dataclass(frozen=True, slots=True)
class _Scored:
    entity: int
    score: float
    reasons: tuple[str, ...]


def similarity(query: NormalName, other: NormalName) -> tuple[float, tuple[str, ...]]:
    """How alike two normalised names are, in [0, 1], and the sentences that say why.

    The larger of rapidfuzz's token-sort ratio (word order does not matter) and the plain ratio of
    the names with spaces squashed out (``heng dian`` = ``hengdian``), less a penalty when bracket
    words or numbers differ. Token-*set* ratio is not used: it scores "Acme Co Ltd" 1.0 against
    "Acme (Shenzhen) Co Ltd", a different firm.
    """
    token_sort = fuzz.token_sort_ratio(query.text, other.text) / 100.0
    squashed = fuzz.ratio(query.squashed, other.squashed) / 100.0
    base = max(token_sort, squashed)
    reasons = [f"normalised name {query.text!r} scores {base:.2f} against {other.text!r}"]
    differ = (query.brackets - set(other.tokens)) | (other.brackets - set(query.tokens))
    penalty = 0.0
    if differ:
        penalty = BRACKET_PENALTY_BOTH if query.brackets and other.brackets else BRACKET_PENALTY_ONE
        reasons.append(f"bracket words differ ({', '.join(sorted(differ))}): score lowered by {penalty:.2f}")
    numbers, theirs = _numbers(query.text), _numbers(other.text)
    if numbers != theirs:
        cut = NUMBER_PENALTY_BOTH if numbers and theirs else NUMBER_PENALTY_ONE
        shown = " vs ".join(" ".join(n) or "none" for n in (numbers, theirs))
        reasons.append(f"numbers differ ({shown}): score lowered by {cut:.2f}")
        penalty += cut
    return max(0.0, round(base - penalty, 4)), tuple(reasons)


def _numbers(text: str) -> tuple[str, ...]:
    return tuple(sorted(_DIGITS.findall(text)))


class Resolver:
    """Resolves BOM parties against a fixed set of registry entities and reviewer decisions.

    Build it once per screening (it indexes every entity name and identifier), then call
    :meth:`resolve` per party. Never raises on a party's contents: bad names answer ``none``.
    """

    def __init__(self, entities: Iterable[Entity], decisions: Sequence[Decision] = (),
                 thresholds: Thresholds = DEFAULT_THRESHOLDS) -> None:
        self.thresholds = thresholds
        self._entities: list[Entity] = []
        self._by_id: dict[str, int] = {}
        self._countries: list[frozenset[str]] = []
        self._leis: list[frozenset[str]] = []
        self._names: list[_Name] = []
        self._index = BlockingIndex()
        self._ids: dict[tuple[str, str], list[int]] = {}
        for entity in entities:
            if entity.id in self._by_id:  # registry/ merges duplicates; the first seen stands here
                continue
            self._add(entity)
        self._decisions = DecisionBook(decisions)

    def _add(self, entity: Entity) -> None:
        i = len(self._entities)
        self._entities.append(entity)
        self._by_id[entity.id] = i
        self._countries.append(entity_countries(entity))
        keys = {k for s, v in entity.identifiers if (k := identifier_key(s, v)) is not None}
        for key in keys:
            self._ids.setdefault(key, []).append(i)
        self._leis.append(frozenset(v for s, v in keys if s == "lei"))
        seen: set[str] = set()
        for raw, alias in ((entity.name, False), *((a, True) for a in entity.aliases)):
            if len(raw) > MAX_NAME_CHARS:
                continue
            name = NormalName.of(raw)
            if not name.text or name.text in seen:
                continue
            seen.add(name.text)
            self._index.add(len(self._names), name)
            self._names.append(_Name(i, name, alias))

    def __len__(self) -> int:
        return len(self._entities)

    # -- public -----------------------------------------------------------------------------------

    def resolve(self, party: Party) -> MatchResult:
        """Resolve a BOM party by its name, stated country and identifiers."""
        return self.resolve_name(party.name, party.country, party.identifiers)

    def resolve_name(self, name: str, country: str | None = None,
                     identifiers: Sequence[tuple[str, str]] = ()) -> MatchResult:
        """Resolve a name (with an optional stated country and identifiers) to one entity, a review, or none."""
        notes: list[str] = []
        stated, note = stated_country(country)
        if note:
            notes.append(note)
        query = NormalName.of(name) if len(name) <= MAX_NAME_CHARS else None
        ruling = self._decisions.ruling(query.text, stated) if query is not None and query.text else Ruling()

        result = self._by_decision(name, ruling, notes)
        if result is not None:
            return result
        rejected = self._rejected(ruling, notes)
        stated_leis = frozenset(v for s, v in (identifier_key(s, v) or ("", "") for s, v in identifiers)
                                if s == "lei")
        result = self._by_identifier(identifiers, stated, rejected, notes)
        if result is not None:
            return result
        if query is None:
            return _none(f"name is {len(name)} characters long; names over {MAX_NAME_CHARS} characters are "
                         "not party names and are not resolved", notes)
        if not query.text:
            return _none(f"name {name!r} has no letters or digits to compare", notes)
        def excluded(i: int) -> str | None:
            return self._exclusion(i, stated, rejected, stated_leis)

        result = self._by_exact(query, stated, excluded, notes)
        if result is not None:
            return result
        return self._by_score(query, stated, excluded, notes)

    # -- steps --------------------------------------------------------------------------------------

    def _label(self, i: int) -> str:
        e = self._entities[i]
        return f"{e.name} ({e.id})"

    def _by_decision(self, name: str, ruling: Ruling, notes: list[str]) -> MatchResult | None:
        known = []
        for d in ruling.confirmed:
            assert d.entity is not None
            if d.entity in self._by_id:
                known.append(d)
            else:
                notes.append(f"{describe(d)}; it names entity {d.entity!r}, which is not in the registry: ignored")
        if len(known) == 1:
            d = known[0]
            assert d.entity is not None
            i = self._by_id[d.entity]
            return MatchResult("match", "decision", d.entity, 1.0,
                               (f"{describe(d)} — {name!r} is {self._label(i)}", *notes))
        if len(known) > 1:
            assert all(d.entity for d in known)
            reasons = [f"reviewers confirmed {len(known)} different entities for {name!r}; a reviewer must settle it",
                       *(describe(d) for d in known), *notes]
            return MatchResult("review", "decision", None, 1.0, tuple(reasons),
                               tuple((d.entity or "", 1.0) for d in known[:MAX_CANDIDATES]))
        return None

    def _rejected(self, ruling: Ruling, notes: list[str]) -> frozenset[int]:
        out = set()
        for d in ruling.rejected:
            assert d.entity is not None
            if d.entity in self._by_id:
                out.add(self._by_id[d.entity])
                notes.append(f"{describe(d)} — {self._label(self._by_id[d.entity])} is never the match")
        return frozenset(out)

    def _country_words(self, i: int, stated: str | None) -> str:
        if stated is None:
            return "no country stated"
        if stated in self._countries[i]:
            return f"country {stated} agrees"
        return f"the registry records no country for {self._label(i)}; stated {stated} cannot be compared"

    def _conflict(self, i: int, stated: str | None) -> str | None:
        countries = self._countries[i]
        if stated is None or not countries or stated in countries:
            return None
        return f"{self._label(i)} not counted: {conflict_note(stated, countries)}"

    def _by_identifier(self, identifiers: Sequence[tuple[str, str]], stated: str | None,
                       rejected: frozenset[int], notes: list[str]) -> MatchResult | None:
        hits: dict[int, list[str]] = {}
        for scheme, value in identifiers:
            key = identifier_key(scheme, value)
            if key is None:
                notes.append(f"identifier ({scheme!r}, {value!r}) is empty after folding: ignored")
                continue
            found = self._ids.get(key, [])
            if not found:
                notes.append(f"identifier {key[0]} {key[1]} matches no registry entity")
            for i in found:
                check = "" if key[0] != "lei" or lei_checks(key[1]) else " (its ISO 17442 check digits do not verify)"
                hits.setdefault(i, []).append(f"identifier {key[0]} {key[1]} equals that of {self._label(i)}{check}")
        for i in sorted(rejected & hits.keys()):
            notes.append(f"identifier match with {self._label(i)} set aside by a reviewer's rejection")
            del hits[i]
        if not hits:
            return None
        ranked = sorted(hits, key=lambda i: self._entities[i].id)
        reasons = [r for i in ranked for r in hits[i]]
        if len(ranked) > 1:
            return MatchResult("review", "identifier", None, 1.0,
                               (f"identifiers point to {len(ranked)} different entities", *reasons, *notes),
                               tuple((self._entities[i].id, 1.0) for i in ranked[:MAX_CANDIDATES]))
        i = ranked[0]
        conflict = self._conflict(i, stated)
        if conflict is not None:
            return MatchResult("review", "identifier", None, 1.0,
                               (*reasons, conflict.replace(" not counted:", ":"),
                                "identifier and stated country disagree: a reviewer must settle it", *notes),
                               ((self._entities[i].id, 1.0),))
        return MatchResult("match", "identifier", self._entities[i].id, 1.0,
                           (*reasons, self._country_words(i, stated), *notes))

    def _exclusion(self, i: int, stated: str | None, rejected: frozenset[int], stated_leis: frozenset[str]
                   ) -> str | None:
        """Why entity ``i`` is never counted for this query (rejected, country conflict, other LEI), else None."""
        if i in rejected:
            return f"{self._label(i)} not counted: a reviewer rejected it for this party"
        conflict = self._conflict(i, stated)
        if conflict is not None:
            return conflict
        theirs = self._leis[i]
        if stated_leis and theirs and not (stated_leis & theirs):
            return (f"{self._label(i)} not counted: its LEI {', '.join(sorted(theirs))} differs from the stated "
                    f"{', '.join(sorted(stated_leis))}")
        return None

    def _by_exact(self, query: NormalName, stated: str | None, excluded: Callable[[int], str | None],
                  notes: list[str]) -> MatchResult | None:
        found: dict[int, _Name] = {}
        for pos in self._index.exact(query.text):
            entry = self._names[pos]
            if entry.entity not in found or found[entry.entity].alias:
                found[entry.entity] = entry
        kept = {}
        for i, entry in sorted(found.items()):
            why = excluded(i)
            if why is not None:
                _note(notes, why)
            else:
                kept[i] = entry
        if not kept:
            return None
        said = [f"normalised name {query.text!r} equals "
                + (f"alias {e.name.original!r} of " if e.alias else "the name of ") + self._label(i)
                for i, e in kept.items()]
        if len(kept) == 1:
            (i,) = kept
            tail = "" if stated else "; a unique exact match of the normalised name is a match (DESIGN.md §3 reading 8)"
            return MatchResult("match", "name", self._entities[i].id, 1.0,
                               (*said, self._country_words(i, stated) + tail, *notes))
        ids = sorted(self._entities[i].id for i in kept)
        return MatchResult("review", "name", None, 1.0,
                           (f"normalised name {query.text!r} equals the names of {len(kept)} entities", *said, *notes),
                           tuple((eid, 1.0) for eid in ids[:MAX_CANDIDATES]))

    def _by_score(self, query: NormalName, stated: str | None, excluded: Callable[[int], str | None],
                  notes: list[str]) -> MatchResult:
        t = self.thresholds
        best: dict[int, _Scored] = {}
        for pos in self._index.candidates(query):
            entry = self._names[pos]
            score, reasons = similarity(query, entry.name)
            if entry.alias:
                reasons = (reasons[0] + f" (alias {entry.name.original!r})", *reasons[1:])
            if entry.entity not in best or best[entry.entity].score < score:
                best[entry.entity] = _Scored(entry.entity, score, reasons)
        ranked: list[_Scored] = []
        for s in best.values():
            why = excluded(s.entity)
            if why is None:
                ranked.append(s)
            elif s.score >= t.review:
                _note(notes, why)
        ranked.sort(key=lambda s: (-s.score, self._entities[s.entity].id))
        if not ranked:
            return _none(f"no registry name shares a distinctive word with {query.text!r}", notes)
        top = ranked[0]
        label = self._label(top.entity)
        reviewable = [s for s in ranked if s.score >= t.review][:MAX_CANDIDATES]
        candidates = tuple((self._entities[s.entity].id, s.score) for s in reviewable)
        if top.score >= t.match:
            second_high = len(ranked) > 1 and ranked[1].score >= t.match
            if stated is not None and stated in self._countries[top.entity] and not second_high:
                return MatchResult("match", "name", self._entities[top.entity].id, top.score,
                                   (*top.reasons, f"{label} scores {top.score:.2f}, at or above the match threshold "
                                    f"{t.match:.2f}", f"country {stated} agrees", *notes))
            if second_high:
                why = f"{len([s for s in ranked if s.score >= t.match])} candidates score at or above {t.match:.2f}"
            elif stated is None:
                why = "no country stated: a similar name alone is never an automatic match"
            else:
                why = f"the registry records no country for {label}; stated {stated} cannot be confirmed"
            return MatchResult("review", "name", None, top.score,
                               (*top.reasons, f"{label} scores {top.score:.2f}; {why}", *notes), candidates)
        if top.score >= t.review:
            return MatchResult("review", "name", None, top.score,
                               (*top.reasons, f"{label} scores {top.score:.2f}, between the review threshold "
                                f"{t.review:.2f} and the match threshold {t.match:.2f}", *notes), candidates)
        return MatchResult("none", "none", None, top.score,
                           (f"best candidate {label} scores {top.score:.2f}, below the review threshold "
                            f"{t.review:.2f}", *top.reasons, *notes))


def _note(notes: list[str], text: str) -> None:
    if text not in notes:
        notes.append(text)


def _none(reason: str, notes: Sequence[str]) -> MatchResult:
    return MatchResult("none", "none", None, 0.0, (reason, *notes))
