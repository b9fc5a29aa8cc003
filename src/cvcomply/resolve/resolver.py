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
4. **Fuzzy score** (:mod:`cvcomply.resolve.scorer`: features with contributions, over the names a
   blocking index returns — never the whole registry): a match only at or above
   ``thresholds.match`` *and* with a stated country the entity agrees with *and* no second candidate
   that high; review at or above ``thresholds.review``; else none.

A candidate whose country conflicts with the stated one is never counted, at any name step.
No ownership logic here (that is ``ownership/``), no I/O.
"""

from __future__ import annotations

import heapq
from array import array
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from cvcomply.model import Decision, Entity, MatchResult, Party
from cvcomply.model.common import fast_init
from cvcomply.resolve.countries import conflict_note, entity_countries, stated_country
from cvcomply.resolve.decisions import NO_RULING, DecisionBook, Ruling, describe
from cvcomply.resolve.identifiers import identifier_key, lei_checks
from cvcomply.resolve.index import CORE_NOT_PREFIX, BlockingIndex, core_end, core_tokens
from cvcomply.resolve.legal_forms import legal_form_tokens
from cvcomply.resolve.names import NormalName, normalise_name
from cvcomply.resolve.scorer import Feature, pre_scores, similarity

MAX_NAME_CHARS = 1_000
"""Longer "names" are not party names (a pasted document, a corrupt field): answered ``none``."""
MAX_CANDIDATES = 10
_ROUNDING = 1e-4  # scores are rounded to 4 places, so a final may exceed its pre-score by half of that
BLOCK_LIMIT = 200
"""At most this many names sharing block keys are pre-scored per query (DESIGN.md: never scan the registry)."""


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


@fast_init
@dataclass(frozen=True, slots=True)
class _Scored:
    entity: int
    score: float
    features: tuple[Feature, ...]


def _texts(features: Iterable[Feature]) -> tuple[str, ...]:
    return tuple([f.text() for f in features])


def _triples(features: Iterable[Feature]) -> tuple[tuple[str, str, float], ...]:
    return tuple([(f.name, f.compared, f.contribution) for f in features])


_normalise_uncached = normalise_name.__wrapped__
"""Registry names are distinct: caching them would only evict the BOM names the cache is for."""


class Resolver:
    """Resolves BOM parties against a fixed set of registry entities and reviewer decisions.

    Build it once per screening (it indexes every entity name and identifier), then call
    :meth:`resolve` per party. Never raises on a party's contents: bad names answer ``none``.

    Memory is what limits a registry of millions: per name the resolver keeps its normalised text, two
    small ints (entity, which of its names) and where its core ends (two bytes, see ``core_end``), per
    entity its interned country set; everything a reviewer reads (bracket words, features) is recomputed
    for the few candidates a query scores.
    """

    def __init__(self, entities: Iterable[Entity], decisions: Sequence[Decision] = (),
                 thresholds: Thresholds = DEFAULT_THRESHOLDS) -> None:
        self.thresholds = thresholds
        self._entities: list[Entity] = []
        self._by_id: dict[str, int] = {}
        self._countries: list[frozenset[str]] = []
        self._country_sets: dict[tuple[object, ...], frozenset[str]] = {}  # one object per distinct set
        self._country_texts: dict[frozenset[str], str] = {}  # a set as the country feature shows it
        self._leis: dict[int, frozenset[str]] = {}
        self._ids: dict[tuple[str, str], list[int]] = {}
        self._name_entity = array("l")
        self._name_slot = array("l")  # 0: the legal name; k: alias k
        self._core_end = array("H")  # see core_end: the name's core is text[:end], the common case
        self._name_text: list[str] = []
        self._index = BlockingIndex()
        for entity in entities:
            if entity.id in self._by_id:  # registry/ merges duplicates; the first seen stands here
                continue
            self._add(entity)
        self._decisions = DecisionBook(decisions)

    def _add(self, entity: Entity) -> None:
        i = len(self._entities)
        self._entities.append(entity)
        self._by_id[entity.id] = i
        where = (entity.jurisdiction, entity.headquarters, entity.nationalities, entity.residences)
        countries = self._country_sets.get(where)
        if countries is None:  # a registry has few distinct country combinations: compute each once
            countries = self._country_sets[where] = entity_countries(entity)
        self._countries.append(countries)
        if entity.identifiers:
            keys = {k for s, v in entity.identifiers if (k := identifier_key(s, v)) is not None}
            for key in keys:
                self._ids.setdefault(key, []).append(i)
            leis = frozenset(v for s, v in keys if s == "lei")
            if leis:
                self._leis[i] = leis
        seen: set[str] = set()
        for slot, raw in enumerate((entity.name, *entity.aliases) if entity.aliases else (entity.name,)):
            if len(raw) > MAX_NAME_CHARS:
                continue
            text = _normalise_uncached(raw)
            if not text or text in seen:
                continue
            seen.add(text)
            self._index.add(len(self._name_text), text)
            self._name_text.append(text)
            self._name_entity.append(i)
            self._name_slot.append(slot)
            self._core_end.append(core_end(text))

    def __len__(self) -> int:
        return len(self._entities)

    @property
    def names(self) -> int:
        """How many distinct normalised names (legal names and aliases) are indexed."""
        return len(self._name_text)

    def _raw_name(self, pos: int) -> str:
        e = self._entities[self._name_entity[pos]]
        slot = self._name_slot[pos]
        return e.name if slot == 0 else e.aliases[slot - 1]

    def _normal(self, pos: int) -> NormalName:
        """The name at ``pos`` in every compared form, from the text normalised when it was indexed (the same
        as ``NormalName.of`` of its raw name: normalising is the costly part, and it was done once already)."""
        return NormalName.normalised(self._raw_name(pos), self._name_text[pos])

    def _cores(self, positions: Sequence[int]) -> list[str]:
        """The core text (legal forms left out) of each name position: what :func:`pre_scores` compares."""
        texts, ends = self._name_text, self._core_end
        return [texts[p][:end] if (end := ends[p]) != CORE_NOT_PREFIX else " ".join(core_tokens(texts[p]))
                for p in positions]

    def _alias(self, pos: int) -> str | None:
        """The alias a name position is, or None when it is the entity's legal name."""
        return self._raw_name(pos) if self._name_slot[pos] else None

    # -- public -----------------------------------------------------------------------------------

    def resolve(self, party: Party) -> MatchResult:
        """Resolve a BOM party by its name, stated country and identifiers."""
        return self.resolve_name(party.name, party.country, party.identifiers)

    def resolve_name(self, name: str, country: str | None = None,
                     identifiers: Sequence[tuple[str, str]] = ()) -> MatchResult:
        """Resolve a name (with an optional stated country and identifiers) to one entity, a review, or none."""
        notes: list[str] = []
        stated, note = stated_country(country) if country is not None else (None, None)
        if note:
            notes.append(note)
        text = normalise_name(name) if len(name) <= MAX_NAME_CHARS else None
        ruling = self._decisions.ruling(text, stated) if text else NO_RULING

        if ruling.confirmed:
            result = self._by_decision(name, ruling, notes)
            if result is not None:
                return result
        rejected = self._rejected(ruling, notes) if ruling.rejected else frozenset()
        if identifiers:
            stated_leis = self._stated_leis(identifiers, notes)
            result = self._by_identifier(identifiers, stated, rejected, notes)
            if result is not None:
                return result
        else:  # nothing to check or to rule out by identifier
            stated_leis = frozenset()
        if text is None:
            return _none(f"name is {len(name)} characters long; names over {MAX_NAME_CHARS} characters are "
                         "not party names and are not resolved", notes)
        if not text:
            return _none(f"name {name!r} has no letters or digits to compare", notes)
        excluded: Callable[[int], str | None]
        if rejected or stated is not None or stated_leis:
            def excluded(i: int) -> str | None:
                return self._exclusion(i, stated, rejected, stated_leis)
        else:  # no rejection, no country, no LEI: nothing can rule an entity out
            excluded = _never_excluded

        result = self._by_exact(text, stated, excluded, notes)
        if result is not None:
            return result
        return self._by_score(NormalName.normalised(name, text), stated, excluded, notes)

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
            feature = Feature("decision", f"{name!r} confirmed as {self._label(i)} by {d.by}", 1.0)
            return MatchResult("match", "decision", d.entity, 1.0,
                               (f"{describe(d)} — {name!r} is {self._label(i)}", *notes), features=_triples([feature]))
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

    @staticmethod
    def _stated_leis(identifiers: Sequence[tuple[str, str]], notes: list[str]) -> frozenset[str]:
        """The stated LEIs that pass the ISO 17442 check: only those may keep an entity with another LEI out
        (a mistyped LEI must not hide the right entity; it is noted instead)."""
        out = set()
        for s, v in identifiers:
            key = identifier_key(s, v)
            if key is None or key[0] != "lei":
                continue
            if lei_checks(key[1]):
                out.add(key[1])
            else:
                _note(notes, f"stated LEI {key[1]} fails the ISO 17442 check (20 characters, mod 97 = 1): probably "
                             "mistyped; not used to rule entities out")
        return frozenset(out)

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
        features = _triples(Feature("identifier", r, 1.0) for r in reasons)
        if len(ranked) > 1:
            return MatchResult("review", "identifier", None, 1.0,
                               (f"identifiers point to {len(ranked)} different entities", *reasons, *notes),
                               tuple((self._entities[i].id, 1.0) for i in ranked[:MAX_CANDIDATES]), features)
        i = ranked[0]
        conflict = self._conflict(i, stated)
        if conflict is not None:
            return MatchResult("review", "identifier", None, 1.0,
                               (*reasons, conflict.replace(" not counted:", ":"),
                                "identifier and stated country disagree: a reviewer must settle it", *notes),
                               ((self._entities[i].id, 1.0),), features)
        return MatchResult("match", "identifier", self._entities[i].id, 1.0,
                           (*reasons, self._country_words(i, stated), *notes),
                           features=(*features, *_triples([self._country_feature(i, stated)])))

    def _exclusion(self, i: int, stated: str | None, rejected: frozenset[int], stated_leis: frozenset[str]
                   ) -> str | None:
        """Why entity ``i`` is never counted for this query (rejected, country conflict, other LEI), else None."""
        if i in rejected:
            return f"{self._label(i)} not counted: a reviewer rejected it for this party"
        conflict = self._conflict(i, stated)
        if conflict is not None:
            return conflict
        theirs = self._leis.get(i)
        if stated_leis and theirs and not (stated_leis & theirs):
            return (f"{self._label(i)} not counted: its LEI {', '.join(sorted(theirs))} differs from the stated "
                    f"{', '.join(sorted(stated_leis))}")
        return None

    def _by_exact(self, text: str, stated: str | None, excluded: Callable[[int], str | None],
                  notes: list[str]) -> MatchResult | None:
        positions = self._index.exact(text)
        if not positions:
            return None
        if len(positions) == 1:  # the common case: one name, one entity
            pos = positions[0]
            i = self._name_entity[pos]
            why = excluded(i)
            if why is not None:
                _note(notes, why)
                return None
            return self._exact_match(text, i, pos, stated, notes)
        found: dict[int, int] = {}  # entity → the name position that equals (its legal name preferred)
        for pos in positions:
            i = self._name_entity[pos]
            if i not in found or self._name_slot[found[i]]:
                found[i] = pos
        kept = {}
        for i, pos in sorted(found.items()):
            why = excluded(i)
            if why is not None:
                _note(notes, why)
            else:
                kept[i] = pos
        if not kept:
            return None
        if len(kept) == 1:
            ((i, pos),) = kept.items()
            return self._exact_match(text, i, pos, stated, notes)
        said = [self._exact_feature(text, i, pos) for i, pos in kept.items()]
        ids = sorted((self._entities[i].id, i) for i in kept)
        return MatchResult("review", "name", None, 1.0,
                           (f"normalised name {text!r} equals the names of {len(kept)} entities",
                            *_texts(said), *notes),
                           tuple((eid, 1.0) for eid, _ in ids[:MAX_CANDIDATES]),
                           features=_triples(said))

    def _exact_feature(self, text: str, i: int, pos: int) -> Feature:
        alias = self._alias(pos)
        return Feature("exact_name", f"{text!r} equals " + (f"alias {alias!r} of " if alias else "the name of ")
                       + self._label(i), 1.0)

    def _exact_match(self, text: str, i: int, pos: int, stated: str | None, notes: list[str]) -> MatchResult:
        """The one entity whose name (at ``pos``) equals the normalised query ``text``: a match."""
        said = self._exact_feature(text, i, pos)
        tail = "" if stated else "; a unique exact match of the normalised name is a match (DESIGN.md §3 reading 8)"
        country = self._country_feature(i, stated)
        return MatchResult("match", "name", self._entities[i].id, 1.0,
                           (said.text(), self._country_words(i, stated) + tail, *notes),
                           features=((said.name, said.compared, said.contribution),
                                     (country.name, country.compared, country.contribution)))

    def _by_score(self, query: NormalName, stated: str | None, excluded: Callable[[int], str | None],
                  notes: list[str]) -> MatchResult:
        t = self.thresholds
        ranked = self._ranked(query, excluded, notes)
        if not ranked:
            return _none(f"no registry name shares a distinctive word with {query.text!r} closely enough "
                         f"to reach the review threshold {t.review:.2f}", notes)
        top = ranked[0]
        label = self._label(top.entity)
        said = _texts(top.features)
        if top.score < t.review:
            return MatchResult("none", "name", None, top.score,
                               (f"best candidate {label} scores {top.score:.2f}, below the review threshold "
                                f"{t.review:.2f}", *said, *notes), features=_triples(top.features))
        reviewable = [s for s in ranked if s.score >= t.review][:MAX_CANDIDATES]
        candidates = tuple((self._entities[s.entity].id, s.score) for s in reviewable)
        if top.score >= t.match:
            second_high = len(ranked) > 1 and ranked[1].score >= t.match
            country = self._country_feature(top.entity, stated)
            features = _triples((*top.features, country))
            if stated is not None and stated in self._countries[top.entity] and not second_high:
                return MatchResult("match", "name", self._entities[top.entity].id, top.score,
                                   (*said, f"{label} scores {top.score:.2f}, at or above the match threshold "
                                    f"{t.match:.2f}", f"country {stated} agrees", *notes), features=features)
            if second_high:
                why = f"{len([s for s in ranked if s.score >= t.match])} candidates score at or above {t.match:.2f}"
            elif stated is None:
                why = "no country stated: a similar name alone is never an automatic match"
            else:
                why = f"the registry records no country for {label}; stated {stated} cannot be confirmed"
            return MatchResult("review", "name", None, top.score,
                               (*said, f"{label} scores {top.score:.2f}; {why}", *notes), candidates,
                               features=features)
        return MatchResult("review", "name", None, top.score,
                           (*said, f"{label} scores {top.score:.2f}, between the review threshold "
                            f"{t.review:.2f} and the match threshold {t.match:.2f}", *notes), candidates,
                           features=_triples(top.features))

    def _ranked(self, query: NormalName, excluded: Callable[[int], str | None], notes: list[str]) -> list[_Scored]:
        """The best-scoring entities of the query's block, best first, each with its full features.

        Pre-scores every blocked name in C; full features (bracket words, numbers, legal forms) are
        computed in pre-score order only while a name could still enter the top
        ``MAX_CANDIDATES + 1`` — penalties only lower a score, so the pre-score bounds it. When no
        pre-score reaches the review floor (a name the registry does not hold, the common miss), only
        the best pre-scored name is worked out, for the reviewer to see why there was no match.
        """
        forms = legal_form_tokens()
        core = " ".join([t for t in query.tokens if t not in forms])  # split_forms' first part, alone
        if not core:
            return []
        positions = self._index.candidates(query.text, BLOCK_LIMIT)
        if not positions:
            return []
        pres = pre_scores(core, self._cores(positions))
        floor = self.thresholds.review if self.thresholds.review > 0 else -1.0
        top = max(pres)
        if top < floor:  # no name can reach the review floor: only the best pre-scored one is reported
            pos = positions[pres.index(top)]  # the first of the best, as the stable sort below would put it
            score, features = similarity(query, self._normal(pos))
            i = self._name_entity[pos]
            why = excluded(i)
            if why is None:
                return [_Scored(i, score, features)]
            if score >= self.thresholds.review:
                _note(notes, why)
            return []
        best: dict[int, _Scored] = {}
        order = sorted(range(len(positions)), key=lambda k: -pres[k])
        keep = MAX_CANDIDATES + 1
        bar = -1.0  # the keep-th best final score so far, once there are that many
        for k in order:
            pre = pres[k]
            if pre < floor or pre + _ROUNDING <= bar:
                break
            pos = positions[k]
            i = self._name_entity[pos]
            if i in best and best[i].score >= pre + _ROUNDING:
                continue
            score, features = similarity(query, self._normal(pos))
            if (alias := self._alias(pos)) is not None:
                features = (*features, Feature("alias", f"scored against alias {alias!r} of {self._label(i)}", 0.0))
            if i not in best or best[i].score < score:
                best[i] = _Scored(i, score, features)
                if len(best) >= keep:
                    bar = heapq.nlargest(keep, (s.score for s in best.values()))[-1]
        return self._kept(best, excluded, notes)

    def _kept(self, best: dict[int, _Scored], excluded: Callable[[int], str | None], notes: list[str]
              ) -> list[_Scored]:
        """The scored entities not excluded for this query, best first (an exclusion that mattered is noted)."""
        ranked: list[_Scored] = []
        for s in best.values():
            why = excluded(s.entity)
            if why is None:
                ranked.append(s)
            elif s.score >= self.thresholds.review:
                _note(notes, why)
        ranked.sort(key=lambda s: (-s.score, self._entities[s.entity].id))
        return ranked

    def _country_feature(self, i: int, stated: str | None) -> Feature:
        """Country as evidence: agreement is required for a fuzzy match (a conflict excludes the entity)."""
        countries = self._countries[i]
        theirs = self._country_texts.get(countries)
        if theirs is None:  # a registry has few distinct country sets: each is written once
            theirs = self._country_texts[countries] = ", ".join(sorted(countries)) or "none recorded"
        if stated is None:
            return Feature("country", f"none stated vs {theirs}", 0.0)
        verdict = "agrees" if stated in self._countries[i] else "cannot be compared"
        return Feature("country", f"stated {stated} vs {theirs}: {verdict}", 0.0)


def _never_excluded(i: int) -> str | None:
    """:meth:`Resolver._exclusion` when the query gives nothing to exclude by."""
    return None


def _note(notes: list[str], text: str) -> None:
    if text not in notes:
        notes.append(text)


def _none(reason: str, notes: Sequence[str]) -> MatchResult:
    """Nothing found: the name stage was the last tried, so it is the method (DESIGN.md §4.3 lists identifier,
    name and decision)."""
    return MatchResult("none", "name", None, 0.0, (reason, *notes))
