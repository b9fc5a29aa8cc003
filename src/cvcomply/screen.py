"""Orchestration: program → components → parties → entities → nexus → rules → findings.

This module holds no logic of the stages: it reads the inputs at the edge (``screen``), then hands
our own types from stage to stage (``screen_program``, pure) and gathers the findings into a Report.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import NamedTuple

from cvcomply.formats.decisions import read_decisions
from cvcomply.formats.detect import read_bom, read_ownership
from cvcomply.formats.jsonutil import paused_gc
from cvcomply.formats.manifest import read_manifest
from cvcomply.model import (
    Bom,
    Component,
    Decision,
    Finding,
    ListEntry,
    MatchResult,
    Nexus,
    OwnershipFacts,
    Party,
    PartyResult,
    PeriodSummary,
    Program,
    Reason,
    Report,
    Warning,
    worst,
)
from cvcomply.ownership import NexusTable, compute_nexus
from cvcomply.ownership.foreign import ForeignHolders
from cvcomply.ownership.seeds import list_direction_decisions
from cvcomply.ownership.unregistered import stated_nexus
from cvcomply.registry import Registry
from cvcomply.resolve import Resolver
from cvcomply.rules.doc import doc_required
from cvcomply.rules.memo import ScreeningMemo
from cvcomply.rules.params import Params, Trace
from cvcomply.rules.periods import Period, periods
from cvcomply.rules.scope import vehicle_scope

Progress = Callable[[str, int, int], None]
"""Called as ``progress(stage, done, total)`` during long work (the CLI draws bars on stderr)."""


def screen(manifest: str, *, as_of: dt.date | None = None, parameters: str | None = None,
           progress: Progress | None = None) -> Report:
    """Read a manifest and everything it names, then screen the program (the Python API)."""
    program = read_manifest(manifest)
    params = Params.load(parameters or program.parameters)
    base = os.path.dirname(manifest)
    boms = [read_bom(p, os.path.relpath(p, base)) for p in program.boms]
    facts = [read_ownership(p, os.path.relpath(p, base)) for p in (*program.ownership, *program.lists)]
    decisions = read_decisions(program.decisions) if program.decisions else ()
    day = as_of or program.as_of or dt.date.today()
    return screen_program(program, boms, load_knowledge(facts, decisions, params, day), params, progress=progress)


class _Judged(NamedTuple):
    match: MatchResult
    nexus: Nexus
    name: str | None
    country: str | None


class _PartyJudge:
    """Resolves each distinct party once and attaches its nexus (a party recurs across components), with the
    countries of the entity's non-U.S. holders (the foreign interest behind the DoC trigger, RULE.md §2, §5)."""

    def __init__(self, registry: Registry, table: NexusTable, resolver: Resolver, adversaries: frozenset[str],
                 foreign: ForeignHolders) -> None:
        self.registry, self.table, self.resolver, self.adversaries = registry, table, resolver, adversaries
        self.foreign = foreign
        self._cache: dict[tuple[str, str | None, tuple[tuple[str, str], ...]], _Judged] = {}
        self._nexus: dict[str, Nexus] = {}  # by entity id: parties resolved to one entity share one Nexus

    def judge(self, party: Party) -> PartyResult:
        return self.judge_all((party,))[0]

    def judge_all(self, parties: tuple[Party, ...]) -> tuple[PartyResult, ...]:
        """Each party resolved and judged (a party seen before — same name, country, identifiers — from the cache)."""
        cache = self._cache
        out = []
        for party in parties:
            key = (party.name, party.country, party.identifiers)
            j = cache.get(key)
            if j is None:
                j = cache[key] = self._judge(party)
            out.append(PartyResult(party, *j))
        return tuple(out)

    def _judge(self, party: Party) -> _Judged:
        match = self.resolver.resolve(party)
        entity = self.registry.get(match.entity) if match.decision == "match" and match.entity else None
        if entity is not None:
            country = entity.jurisdiction or (entity.headquarters[0] if entity.headquarters else party.country)
            return _Judged(match, self._entity_nexus(entity.id), entity.name, country)
        why = ("several registry entities fit; see the candidates" if match.decision == "review"
               else "no registry entity fits")
        nexus = stated_nexus(f"party:{party.name}", party.name, party.country, self.adversaries,
                             why_unresolved=why, source=str(party.source) if party.source else None)
        return _Judged(match, nexus, None, party.country)

    def _entity_nexus(self, entity_id: str) -> Nexus:
        """The table's nexus of the entity, with the countries of its non-U.S. holders where it has any."""
        nexus = self._nexus.get(entity_id)
        if nexus is None:
            nexus = self._nexus[entity_id] = self.foreign.attach(self.table.get(entity_id))
        return nexus


def _declarant_nexus(program: Program, judge: _PartyJudge) -> Nexus:
    d = program.declarant
    result = judge.judge(Party(role="manufacturer", name=d.name, country=d.country, identifiers=d.identifiers))
    if result.match.decision == "match" or result.nexus.status == "covered":
        return result.nexus
    # A declarant missing from the ownership data is judged on its own stated country: unlike a BOM party it is
    # the filer itself, so its country is a fact it attests (a gap in DESIGN.md; see the README).
    return Nexus(entity=f"party:{d.name}", status="clear", countries=(),
                 reasons=(Reason(f"the declarant {d.name!r} is not in the ownership data; it states country "
                                 f"{d.country or 'none'}, not a foreign adversary", "RULE.md §4 (§ 791.304)"),),
                 caveats=("declarant not in the ownership data: add its ownership to screen it for § 791.304",))


def _finding_ids(source: str, period: Period) -> Callable[[Component], str]:
    """The ids of the findings of one BOM's components in one period: stable across runs for the same BOM
    file, component and period (the fixed parts are joined once: a BOM can have 50k components)."""
    head, tail = f"{source}|", f"|{period.model_year}|{period.import_date}"
    sha256 = hashlib.sha256
    return lambda component: sha256(f"{head}{component.bom_ref}{tail}".encode()).hexdigest()[:16]


def _summaries(program: Program, findings: Sequence[Finding], params: Params,
               by: Callable[[Finding], object]) -> list[tuple[object, PeriodSummary]]:
    groups: dict[object, list[Finding]] = {}
    for f in findings:
        groups.setdefault(by(f), []).append(f)
    out = []
    for key in sorted(groups, key=str):
        group = groups[key]
        required, why = doc_required(program, group, params)
        counts: dict[str, int] = dict(Counter(f.verdict for f in group))
        first = group[0]
        out.append((key, PeriodSummary(verdict=worst(f.verdict for f in group), counts=counts,
                                       model_year=first.model_year if first.import_date is None else None,
                                       import_date=first.import_date, doc_required=required, doc_reasons=why)))
    return out


@dataclass(frozen=True, slots=True)
class Knowledge:
    """The registry loaded: the merged graph, every entity's nexus as of a date, the resolver's index, and every
    entity's non-U.S. holders as of that date."""

    registry: Registry
    table: NexusTable
    resolver: Resolver
    as_of: dt.date
    adversaries: frozenset[str]
    foreign: ForeignHolders


def load_knowledge(facts: Iterable[OwnershipFacts], decisions: Sequence[Decision], params: Params,
                   as_of: dt.date) -> Knowledge:
    registry = Registry.build(facts)
    adversaries = params.adversaries(as_of)
    policy = params.policy()
    resolver = Resolver(registry.entities.values(), decisions)
    registry = replace(registry, list_entries=link_list_entries(registry.list_entries, resolver))
    listed = list_direction_decisions(registry.list_entries, adversaries, as_of, policy)
    table = compute_nexus(list(registry.entities.values()), registry.holdings, as_of=as_of,
                          policy=policy, adversaries=adversaries, decisions=(*decisions, *listed)).prepare()
    foreign = ForeignHolders(table.graph, params.get("domestic_countries", as_of).value).prepare()
    return Knowledge(registry, table, resolver, as_of, adversaries, foreign)


def link_list_entries(entries: Iterable[ListEntry], resolver: Resolver) -> tuple[ListEntry, ...]:
    """Each screening-list entry tied to the registry entity it names, where the resolver is sure.

    Only a ``match`` links (never a ``review``): a wrong link would flag, or seed as directed, an
    innocent supplier. The entry's name and then its aliases are tried, each with every country the
    entry states (a conflicting country is never counted), then with none: a list's addresses are where a
    party operates, not always where it is registered, and without a country only a unique exact name
    (or alias) matches (DESIGN.md §3 reading 8), never a fuzzy one. An entry
    that links to nothing is kept under the name ``party:NAME`` for its name and each alias — the id an
    unresolved BOM party of exactly that name gets — so a BOM party not in the registry whose name is
    exactly a listed name is still flagged (a red flag to review, never a seed). Entries a reader already
    linked (an FtM Sanction names its entity) are kept as they are.
    """
    out: list[ListEntry] = []
    for x in entries:
        if x.entity is not None:
            out.append(x)
            continue
        entity = None
        for name in (x.name, *x.aliases):
            for country in (*x.countries, None):
                m = resolver.resolve(Party(role="supplier", name=name, country=country))
                if m.decision == "match" and m.entity:
                    entity = m.entity
                    break
            if entity:
                break
        if entity:
            out.append(replace(x, entity=entity))
        else:
            out.extend(replace(x, entity=f"party:{n}") for n in dict.fromkeys((x.name, *x.aliases)))
    return tuple(out)


def screen_program(program: Program, boms: Sequence[Bom], knowledge: Knowledge, params: Params, *,
                   progress: Progress | None = None) -> Report:
    """Screen a program on already-read inputs and loaded knowledge: no I/O here.

    The collector is paused throughout: screening builds ~10 small objects per finding while the
    registry and the BOMs hold millions, and every automatic full collection would rescan all of them
    (on a 50k-component program that was half the time). Nothing made here forms a reference cycle.
    """
    with paused_gc():
        return _screen_program(program, boms, knowledge, params, progress)


def _screen_program(program: Program, boms: Sequence[Bom], knowledge: Knowledge, params: Params,
                    progress: Progress | None) -> Report:
    registry, as_of = knowledge.registry, knowledge.as_of
    judge = _PartyJudge(registry, knowledge.table, knowledge.resolver, knowledge.adversaries, knowledge.foreign)
    declarant = _declarant_nexus(program, judge)

    scope_trace = Trace()
    in_scope, scope_reasons = vehicle_scope(program.vehicle, params, scope_trace)
    listed: dict[str, list[str]] = {}
    for x in registry.list_entries:
        if x.entity and x.active(as_of):
            listed.setdefault(x.entity, []).append(f"{x.list_name}: {x.name}")
    memo = ScreeningMemo(program, declarant, as_of, params, vehicle_in_scope=in_scope, scope_reasons=scope_reasons,
                         scope_lines=tuple(scope_trace.lines))
    findings: list[Finding] = []
    total = sum(1 for b in boms for c in b.components if not c.subject)
    done = 0
    # A component's periods depend on its kind and model-year hint only (rules/periods.py): one tuple each.
    spans_of: dict[tuple[str, int | None], tuple[Period, ...]] = {}
    judge_all, screen_one, add = judge.judge_all, memo.screen, findings.append  # looked up once: 50k components
    for bom in boms:
        makers_of: dict[int, list[Callable[[Component], str]]] = {}  # by id: each tuple of spans_of lives on
        for comp in bom.components:
            if comp.subject:
                continue
            results = judge_all(comp.parties)
            flags = tuple(sorted({hit for r in results for hit in listed.get(r.nexus.entity, ())})) if listed else ()
            kind_key = (comp.kind, comp.hints.model_year)
            spans = spans_of.get(kind_key) or spans_of.setdefault(kind_key, periods(program, comp))
            classification, decided = screen_one(comp, results, spans)
            makers = makers_of.get(id(spans)) or makers_of.setdefault(id(spans), [_finding_ids(bom.source, p)
                                                                                  for p in spans])
            for period, finding_id, (o, reasons, trace) in zip(spans, makers, decided, strict=True):
                # Positional: Finding(id, component, model_year, classification, parties, verdict, rule, reasons,
                # trace, import_date, foreign_interest, authorization, flags) — built 50k times on a large BOM.
                add(Finding(finding_id(comp), comp, period.model_year, classification, results, o.verdict, o.rule,
                            reasons, trace, period.import_date, o.foreign_interest, o.authorization, flags))
            done += 1
            if progress and (done % 500 == 0 or done == total):
                progress("screening components", done, total)

    findings.sort(key=lambda f: (f.model_year or 0, f.import_date is not None, f.import_date or dt.date.min,
                                 f.component.bom_ref, f.id))
    years = _summaries(program, [f for f in findings if f.import_date is None], params, lambda f: f.model_year)
    dates = _summaries(program, [f for f in findings if f.import_date is not None], params, lambda f: f.import_date)
    warnings: list[Warning] = [w for b in boms for w in b.warnings] + list(registry.warnings)
    inputs = tuple((b.source, b.sha256) for b in boms) + tuple((src, sha) for src, _, sha in registry.sources)
    return Report(
        program=program, declarant_nexus=declarant, as_of=as_of, rule_version=params.version,
        policy_version=params.policy_version, model_years=tuple(s for _, s in years),
        import_dates=tuple(s for _, s in dates), findings=tuple(findings),
        verdict=worst((f.verdict for f in findings), default="out_of_scope"),
        counts=dict(Counter[str](f.verdict for f in findings)), warnings=tuple(warnings), inputs=inputs,
    )
