"""The verdict for one component in one period: prohibitions §§ 791.302–.304, exemptions § 791.308,
authorizations §§ 791.306–.307, in the order of DESIGN.md §3 reading 11 (scope → dates → nexus).

How it is built: each prohibition that could reach the component is one *leg* (the party-based
§ 791.302 or § 791.303, and the manufacturer-based § 791.304). A leg is judged on three facts — is the
item really VCS hardware / covered software, is the link to a foreign adversary known, does a § 791.308
date exempt it — each of which may be unknown. A leg is ``prohibited`` only when all three are known
against the declarant, ``needs_review`` when an unknown could still make it prohibited, ``exempt`` when
§ 791.308 exempts it whatever the unknowns are and a link is known or possible, and ``permitted`` when
no link is possible. An authorization that covers the item turns a would-be (or could-be) prohibition
into ``authorized``. The finding's verdict is the worst leg's (DESIGN.md §3).

Citizenship carve-out (§§ 791.302(b), 791.303(c)): hardware or software is not tainted *solely* by the
citizenship of the people a supplier employs. That reaches decide() through the nexus: ownership/ assigns
the citizenship prong (RULE.md §2 prong 2) only to natural persons, never to an organisation for its
staff, so an organisation's Nexus is ``clear`` on that basis and the leg is ``permitted``. A Nexus whose
only prong is ``citizenship`` therefore belongs to a party that IS a natural person (an individual
developer), who is covered in their own right.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from cvcomply.model import Classification, Component, Nexus, PartyResult, Program, Reason, Verdict, worst
from cvcomply.model.common import fast_init
from cvcomply.model.program import Authorization
from cvcomply.rules.params import GeneralAuthorizationDef, Params, Trace
from cvcomply.rules.periods import Period

DDMS = "15 CFR 791.1(a)(1)"
READING_2 = "DESIGN.md §3 reading 2"
READING_10 = "DESIGN.md §3 reading 10"
READING_11 = "DESIGN.md §3 reading 11"
SA_CITE = "15 CFR 791.307"
MANUFACTURER = "connected-vehicle-manufacturer"
IMPORTER = "vcs-hardware-importer"

Known = Literal["yes", "maybe", "no"]


@dataclass(frozen=True, slots=True)
class Case:
    """Everything decide() needs for one component in one period, already resolved and screened."""

    program: Program
    component: Component
    classification: Classification
    period: Period
    parties: tuple[PartyResult, ...]  # every DDMS party of the component, resolved, with its Nexus
    declarant_nexus: Nexus  # the declarant screened for § 791.304
    as_of: dt.date
    vehicle_in_scope: bool
    scope_reasons: tuple[Reason, ...]


@fast_init
@dataclass(frozen=True, slots=True)
class Outcome:
    verdict: Verdict
    rule: str | None
    reasons: tuple[Reason, ...]
    authorization: str | None
    foreign_interest: bool


@dataclass(frozen=True, slots=True)
class _Leg:
    """One prohibition's result for the component."""

    verdict: Verdict
    rule: str | None
    reasons: tuple[Reason, ...]
    authorization: str | None = None


def decide(case: Case, params: Params, trace: Trace) -> Outcome:
    """The verdict, deciding clause, reasons, authorization used and foreign-interest flag of ``case``."""
    foreign, _, foreign_unknowns = _foreign_interest(case.parties, params, trace)
    for p in case.parties:  # DESIGN.md §3 reading 9: interests not in force at as_of are shown, not counted
        for line in p.nexus.history:
            trace.fact(f"history of {p.party.role} {p.party.name!r}: {line}")
    c = case.component
    if not case.vehicle_in_scope:
        return Outcome("out_of_scope", _first_cite(case.scope_reasons), case.scope_reasons, None, foreign)
    cls = case.classification
    is_item, item_reasons = _item(case, trace)
    reasons = list(cls.reasons) + item_reasons
    if is_item == "no":
        return Outcome("out_of_scope", _first_cite(reasons), tuple(reasons), None, foreign)
    vehicle = case.program.vehicle
    if c.kind == "software" and vehicle is None:
        why = Reason(f"no vehicle in the program: § 791.303 and § 791.304 reach covered software only in completed "
                     f"connected vehicles, so {c.name!r} alone is not a prohibited transaction", "15 CFR 791.303")
        trace.clause("15 CFR 791.303", "software without a vehicle")
        return Outcome("out_of_scope", why.cite, (*reasons, why), None, foreign)

    legs = [leg for leg in (_party_leg(case, is_item, params, trace), _manufacturer_leg(case, is_item, params, trace))
            if leg is not None]
    if not legs:
        why = Reason(f"no prohibition of §§ 791.302–.304 reaches {c.name!r} in this program", READING_11)
        return Outcome("permitted", None, (*reasons, why), None, foreign)
    verdict = worst(leg.verdict for leg in legs)
    deciding = [leg for leg in legs if leg.verdict == verdict]
    rule = "; ".join(dict.fromkeys(leg.rule for leg in deciding if leg.rule)) or None
    reasons += [r for leg in deciding for r in leg.reasons]
    reasons += [r for leg in legs if leg.verdict != verdict for r in leg.reasons]
    if verdict != "out_of_scope":
        reasons += foreign_unknowns
    auth = next((leg.authorization for leg in deciding if leg.authorization), None)
    trace.clause(rule or READING_11, f"{c.name}: {verdict}")
    return Outcome(verdict, rule, tuple(dict.fromkeys(reasons)), auth, foreign)


def _first_cite(reasons: list[Reason] | tuple[Reason, ...]) -> str | None:
    return next((r.cite for r in reasons if r.cite), None)


def _names(parties: list[PartyResult]) -> str:
    return ", ".join(f"{p.party.role} {p.party.name!r}" for p in parties)


# ---- is it VCS hardware / covered software? ---------------------------------------------------------------

def _item(case: Case, trace: Trace) -> tuple[Known, list[Reason]]:
    """``yes``/``maybe``/``no``: whether the component is VCS hardware or covered software.

    Legacy software (reading 7) is settled here from its maintainer's nexus: a known, clear maintainer
    keeps the exclusion; an adversary-linked one removes it (maintaining is supplying, § 791.1(a)(1));
    an unknown maintainer makes the item ``maybe``, decided by the nexus stage.
    """
    cls = case.classification
    if cls.vcs_hardware or cls.covered_software:
        return ("maybe" if cls.unclear else "yes"), []
    if cls.legacy_conditional:
        return _legacy(case, trace)
    return ("maybe" if cls.unclear else "no"), []


def _legacy(case: Case, trace: Trace) -> tuple[Known, list[Reason]]:
    c = case.component
    cite = f"{DDMS}; DESIGN.md §3 reading 7"
    unclear: Known = "maybe" if case.classification.unclear else "yes"
    named = c.hints.maintained_by
    if named:
        key = named.casefold()
        maintainers = [p for p in case.parties if p.party.role == "maintainer" or p.party.name.casefold() == key]
        trace.fact(f"{c.name}: cvcomply:maintained-by={named}", str(c.source) if c.source else None)
        if not maintainers:
            return "maybe", [Reason(f"the maintainer {named!r} of legacy software {c.name!r} was not screened: "
                                    "whether the legacy exclusion holds is unknown", cite)]
        covered = [p for p in maintainers if p.nexus.status == "covered"]
        if covered:
            trace.clause(DDMS, f"{c.name}: maintained by an adversary-linked person; legacy exclusion lost")
            return unclear, [Reason(f"legacy software {c.name!r} is maintained by adversary-linked {_names(covered)}; "
                                    "maintaining or updating counts as supplying, so the legacy exclusion does not "
                                    "hold", cite)]
        if any(p.nexus.status != "clear" for p in maintainers):
            return "maybe", [Reason(f"the maintainer of legacy software {c.name!r} could not be cleared: whether "
                                    "the legacy exclusion holds is unknown", cite)]
        return "no", [Reason(f"legacy software {c.name!r} is maintained by {_names(maintainers)}, not PRC- or "
                             "Russia-linked: the legacy exclusion holds", cite)]
    if case.parties and all(p.nexus.status == "clear" for p in case.parties):
        return "no", [Reason(f"legacy software {c.name!r}: no maintainer is named, and every party that designed, "
                             "developed or supplied it is clear: the legacy exclusion holds", cite)]
    return "maybe", [Reason(f"legacy software {c.name!r}: no maintainer is named (cvcomply:maintained-by) and its "
                            "suppliers are not all clear: maintenance after the cut-off unknown", cite)]


# ---- the party-based prohibitions: § 791.302 (hardware) and § 791.303 (software) ---------------------------

def _party_leg(case: Case, is_item: Known, params: Params, trace: Trace) -> _Leg | None:
    c, program = case.component, case.program
    vehicle = program.vehicle
    if c.kind == "hardware":
        rule = "15 CFR 791.302(a)"
        binds = IMPORTER in program.declarant.roles
        exempt, exempt_cite, date_reasons = _hardware_dates(case, params, trace)
    else:
        subs = []
        if vehicle is not None and vehicle.imported:
            subs.append("(a)")
        if program.purpose == "sale":
            subs.append("(b)")
        if not subs:
            trace.clause("15 CFR 791.303", "neither imported nor sold")
            return _Leg("permitted", None, (Reason(
                f"the vehicle is neither imported nor sold (purpose {program.purpose}): § 791.303 prohibits importing "
                "or selling vehicles with such software, so it does not reach this program", "15 CFR 791.303"),))
        rule = "15 CFR 791.303" + ", ".join(subs)
        binds = True
        exempt, exempt_cite, date_reasons = _software_dates(case, params, trace)

    covered = [p for p in case.parties if p.nexus.status == "covered"]
    unknown = [p for p in case.parties if p.nexus.status not in ("covered", "clear")]
    unscreened = _unscreened(case)
    if not covered and not unknown and not unscreened and case.parties:
        trace.clause(rule, f"{c.name}: every party resolved and clear")
        return _Leg("permitted", None, (Reason(
            f"every party of {c.name!r} ({_names(list(case.parties))}) is resolved and not PRC- or Russia-linked",
            rule),))
    link: list[Reason] = []
    for p in covered:
        link.append(Reason(f"{p.party.role} {p.party.name!r} is PRC- or Russia-linked"
                           + (f" ({', '.join(p.nexus.prongs)}: {', '.join(p.nexus.countries)})" if p.nexus.prongs
                              else ""), f"{rule}; {DDMS}"))
        link += [r for r in p.nexus.reasons]
    for p in unknown:
        link.append(Reason(f"{p.party.role} {p.party.name!r} could not be cleared: its link to a foreign adversary "
                           "is unknown", READING_10))
        link += [r for r in p.nexus.reasons]
    for hint, name in unscreened:
        link.append(Reason(f"{name!r}, named by cvcomply:{hint}, was not screened: its link to a foreign adversary "
                           "is unknown", f"{DDMS}; {READING_10}"))
    if not case.parties:
        link.append(Reason(f"no party is named for {c.name!r}: who designed, developed, manufactured or supplied it "
                           "is unknown", READING_10))
    if exempt is True:
        trace.clause(exempt_cite, f"{c.name}: exempt")
        return _Leg("exempt", exempt_cite, (*date_reasons, *link))

    certain = bool(covered) and is_item == "yes" and exempt is False and binds
    unknowns: list[Reason] = []
    if not covered:
        unknowns.append(Reason("a link to a foreign adversary is possible but not established", READING_11))
    if is_item == "maybe":
        unknowns.append(Reason(f"whether {c.name!r} is {'VCS hardware' if c.kind == 'hardware' else 'covered software'}"
                               " is not settled", READING_11))
    if not binds:
        unknowns.append(Reason("§ 791.302 binds VCS hardware importers and the declarant does not list that role: "
                               "confirm the importer of record", READING_2))
    reasons = (*date_reasons, *link, *unknowns)
    auth = _authorize(case, params, trace, general_ok=True)
    if auth is not None:
        auth_id, auth_reasons = auth
        return _Leg("authorized", auth_reasons[0].cite, (*reasons, *auth_reasons), auth_id)
    reasons = (*reasons, *_ga_refusals(case, params))
    if certain:
        trace.clause(rule, f"{c.name}: prohibited")
        return _Leg("prohibited", rule, reasons)
    trace.clause(rule, f"{c.name}: could be prohibited; needs review")
    return _Leg("needs_review", rule, reasons)


def _unscreened(case: Case) -> list[tuple[str, str]]:
    """(hint, name) of DDMS parties the hints name but ``case.parties`` lacks (never silently clear)."""
    h = case.component.hints
    named = [(hint, name) for hint, name in (("maintained-by", h.maintained_by), ("designer", h.designer),
                                             ("developer", h.developer)) if name]
    if not named:
        return []
    have = {p.party.name.casefold() for p in case.parties}
    return [(hint, name) for hint, name in named if name.casefold() not in have]


def _hardware_dates(case: Case, params: Params, trace: Trace) -> tuple[bool | None, str, tuple[Reason, ...]]:
    """(exempt? — None when unknown, cite, reasons) under § 791.308(a)."""
    period, purpose = case.period, case.program.purpose
    if period.model_year is not None:
        start = params.get("hardware_prohibition_start_my", case.as_of)
        trace.param(start)
        if period.model_year < start.value:
            reasons = [Reason(f"model year {period.model_year} is before {start.value}: § 791.308(a) exempts VCS "
                              "hardware associated with, or imported in a vehicle of, that model year", start.cite)]
            repair = params.get("repair_warranty_purposes", case.as_of)
            if purpose in repair.value:
                trace.param(repair)
                reasons.append(Reason(f"imported for {purpose} of a vehicle of model year {period.model_year}",
                                      repair.cite))
            return True, start.cite, tuple(reasons)
        return False, start.cite, (Reason(f"model year {period.model_year} is {start.value} or later: the § 791.302 "
                                          "hardware prohibition applies", start.cite),)
    cutoff = params.get("hardware_no_my_import_start", case.as_of)
    trace.param(cutoff)
    if period.import_date is None:
        return None, cutoff.cite, (Reason(f"hardware with no model year and no stated import date: § 791.308(a) "
                                          f"exempts it if imported before {cutoff.value}", cutoff.cite),)
    trace.fact(f"import date {period.import_date}")
    if period.import_date < cutoff.value:
        return True, cutoff.cite, (Reason(f"hardware with no model year imported on {period.import_date}, before "
                                          f"{cutoff.value}: exempt", cutoff.cite),)
    return False, cutoff.cite, (Reason(f"hardware with no model year imported on {period.import_date}, on or after "
                                       f"{cutoff.value}: the § 791.302 prohibition applies", cutoff.cite),)


def _software_dates(case: Case, params: Params, trace: Trace) -> tuple[bool | None, str, tuple[Reason, ...]]:
    """(exempt?, cite, reasons) under § 791.308(b): software in vehicles before model year 2027."""
    start = params.get("software_prohibition_start_my", case.as_of)
    trace.param(start)
    my = case.period.model_year
    if my is None:
        return None, start.cite, (Reason("model year unknown: § 791.308(b) exempts covered software in vehicles "
                                         f"before model year {start.value}", start.cite),)
    if my < start.value:
        return True, start.cite, (Reason(f"model year {my} is before {start.value}: § 791.308(b) exempts covered "
                                         "software in vehicles manufactured before it", start.cite),)
    return False, start.cite, (Reason(f"model year {my} is {start.value} or later: the § 791.303 software "
                                      "prohibitions apply", start.cite),)


# ---- § 791.304: the manufacturer itself is PRC- or Russia-linked -------------------------------------------

def _manufacturer_leg(case: Case, is_item: Known, params: Params, trace: Trace) -> _Leg | None:
    """§ 791.304 bars a PRC/Russia-linked manufacturer's U.S. sales of its vehicles with ANY VCS hardware or
    covered software, wherever it came from (DESIGN.md §3 reading 4); from model year 2027 (§ 791.308(c))."""
    program, d = case.program, case.declarant_nexus
    rule = "15 CFR 791.304"
    if program.vehicle is None or MANUFACTURER not in program.declarant.roles or program.purpose != "sale":
        return None
    if d.status == "clear":
        trace.clause(rule, f"declarant {program.declarant.name} is not PRC- or Russia-linked")
        return None
    start = params.get("manufacturer_prohibition_start_my", case.as_of)
    trace.param(start)
    who = f"the declarant {program.declarant.name!r}"
    link = (Reason(f"{who} is PRC- or Russia-owned, controlled or directed" if d.status == "covered"
                   else f"{who} could not be cleared of PRC or Russian ownership, control or direction", rule),
            *d.reasons)
    my = case.period.model_year
    if my is not None and my < start.value:
        trace.clause(start.cite, f"model year {my}: § 791.304 exempt")
        return _Leg("exempt", start.cite, (Reason(f"model year {my} is before {start.value}: § 791.308(c) exempts "
                                                  "§ 791.304 sales", start.cite), *link))
    item = "VCS hardware" if case.component.kind == "hardware" else "covered software"
    reasons = (*link, Reason(f"§ 791.304 reaches every vehicle of {who} with {item}, whatever its supplier",
                             f"{rule}; DESIGN.md §3 reading 4"))
    if is_item == "maybe":
        reasons = (*reasons, Reason(f"whether {case.component.name!r} is {item} is not settled", READING_11))
    auth = _authorize(case, params, trace, general_ok=False)
    if auth is not None:
        return _Leg("authorized", auth[1][0].cite, (*reasons, *auth[1]), auth[0])
    reasons = (*reasons, *_ga_refusals(case, params))
    if d.status == "covered" and is_item == "yes" and my is not None:
        trace.clause(rule, f"{case.component.name}: prohibited")
        return _Leg("prohibited", rule, reasons)
    return _Leg("needs_review", rule, reasons)


# ---- authorizations ------------------------------------------------------------------------------------

def _in_window(a: Authorization, at: dt.date) -> bool:
    return (a.valid_from is None or a.valid_from <= at) and (a.valid_to is None or at <= a.valid_to)


def _filters(case: Case, a: Authorization) -> bool:
    c, my = case.component, case.period.model_year
    comp_ok = not a.components or any(x in a.components for x in (c.purl, c.bom_ref) if x)
    my_ok = not a.model_years or (my is not None and my in a.model_years)
    return comp_ok and my_ok


def _authorize(case: Case, params: Params, trace: Trace, *, general_ok: bool) -> tuple[str, tuple[Reason, ...]] | None:
    """The first authorization that covers this component in this period, with its reasons.

    Specific (§ 791.307): in its validity window at ``as_of``, its components/model years include the
    finding; available to a covered declarant too (RULE.md §12.5). General (§ 791.306, reading 12): the
    GA is in the parameter file and in force, covers the program's purpose and the declarant's role, its
    filters include the finding, and the declarant is clear; conditions the engine cannot check are
    recorded in the trace as the declarant's attestation.
    """
    auths = case.program.authorizations
    if not auths:  # most programs list none: skip the sort, once per finding
        return None
    for a in sorted(auths, key=lambda a: a.kind != "specific"):
        if a.kind == "specific":
            if _in_window(a, case.as_of) and _filters(case, a):
                trace.clause(SA_CITE, f"specific authorization {a.id} covers {case.component.name}")
                window = f"{a.valid_from or '…'} to {a.valid_to or '…'}"
                return a.id, (Reason(f"specific authorization {a.id} (valid {window}) covers {case.component.name!r}"
                                     + (f" for model year {case.period.model_year}" if case.period.model_year else ""),
                                     SA_CITE),)
            continue
        if not general_ok:
            continue
        ga = params.general_authorization(a.id)
        if ga is None or _ga_obstacle(case, a, ga, params) is not None:
            continue
        purpose = case.program.purpose
        trace.clause(ga.cite, f"{ga.id} covers {case.component.name} ({purpose})")
        for cond in ga.conditions:
            trace.fact(f"attested by the declarant for {ga.id}: {cond}")
        return a.id, (Reason(f"general authorization {ga.id} ({ga.title}) covers {purpose} by a "
                             f"{'/'.join(sorted(ga.users & set(case.program.declarant.roles)))}; its conditions are "
                             "taken as the declarant's attestation", f"{ga.cite}; DESIGN.md §3 reading 12"),)
    return None


def _ga_obstacle(case: Case, a: Authorization, ga: GeneralAuthorizationDef | None, params: Params) -> str | None:
    """Why the general authorization ``a`` (listed in the manifest, ``ga`` in the parameter file) does not cover
    this finding, or None when it does (RULE.md §6, DESIGN.md §3 reading 12) — the one test, for deciding and
    for saying why not."""
    status = case.declarant_nexus.status
    if status == "covered":
        return "the declarant is PRC- or Russia-owned, controlled or directed, so it is not eligible"
    if status != "clear":
        return "the declarant could not be cleared of PRC or Russian control, so its eligibility is unconfirmed"
    if ga is None:
        known = ", ".join(g.id for g in params.general_authorizations())
        return f"the parameter file defines no general authorization of that id (it defines {known}); check the id"
    at = case.as_of
    if not ga.in_force(at):
        return f"it is not in force on {at} ({ga.effective_from or '…'} to {ga.effective_to or '…'})"
    if not _in_window(a, at):
        return f"the manifest gives it validity {a.valid_from or '…'} to {a.valid_to or '…'}, which excludes {at}"
    if not _filters(case, a):
        return "its components or model years in the manifest do not include this finding"
    purpose = case.program.purpose
    if a.purpose is not None and a.purpose != purpose:
        return f"the manifest lists it for {a.purpose}, and the program's purpose is {purpose}"
    if purpose not in ga.purposes:
        return f"it covers {', '.join(sorted(ga.purposes))}, not {purpose}"
    if not ga.users & set(case.program.declarant.roles):
        return f"it is for a {' or '.join(sorted(ga.users))}, which the declarant does not list among its roles"
    return None


def _ga_refusals(case: Case, params: Params) -> tuple[Reason, ...]:
    """Why each general authorization listed in the manifest does not help a finding it would otherwise cover."""
    out = []
    for a in case.program.authorizations:
        if a.kind != "general":
            continue
        ga = params.general_authorization(a.id)
        why = _ga_obstacle(case, a, ga, params)
        if why is not None:
            out.append(Reason(f"general authorization {a.id} does not apply: {why} (RULE.md §6, §12.16)",
                              ga.cite if ga else "15 CFR 791.306"))
    return tuple(out)


# ---- foreign interest (DoC trigger, RULE.md §5) ------------------------------------------------------------

def foreign_interest(parties: tuple[PartyResult, ...], params: Params, trace: Trace) -> tuple[bool, tuple[Reason, ...]]:
    """Any party outside the United States, or held directly or indirectly by a non-U.S. person (RULE.md §2
    "foreign interest": an adversary-linked holder or any other); a party of unknown country counts as foreign."""
    foreign, reasons, _ = _foreign_interest(parties, params, trace)
    return foreign, reasons


def _foreign_interest(parties: tuple[PartyResult, ...], params: Params, trace: Trace
                      ) -> tuple[bool, tuple[Reason, ...], tuple[Reason, ...]]:
    """:func:`foreign_interest`, and apart the reasons that stand for something unknown (a finding states
    those; which they are is decided here, never read back from their wording, which holds party names)."""
    domestic = params.get("domestic_countries")
    trace.param(domestic)
    cite = f"{domestic.cite}; 15 CFR 791.305"
    if not parties:
        unknown = Reason("no party is named: whether there is a foreign interest is unknown, so it is counted as one",
                         cite)
        return True, (unknown,), (unknown,)
    reasons, unknowns = [], []
    for p in parties:
        country = p.entity_country or p.party.country
        if country is None:
            unknowns.append(Reason(f"{p.party.role} {p.party.name!r}: country unknown, counted as a foreign interest",
                                   cite))
            reasons.append(unknowns[-1])
        elif country not in domestic.value:
            reasons.append(Reason(f"{p.party.role} {p.party.name!r} is a {country} party: a foreign interest", cite))
        elif any(x not in domestic.value for x in p.nexus.countries):
            reasons.append(Reason(f"{p.party.role} {p.party.name!r} is held from "
                                  f"{', '.join(p.nexus.countries)}: an indirect foreign interest", cite))
        elif held := [x for x in p.nexus.foreign_holders if x not in domestic.value]:
            reasons.append(Reason(f"{p.party.role} {p.party.name!r} is held directly or indirectly by non-U.S. "
                                  f"persons ({', '.join(held)}): an indirect foreign interest", cite))
    return bool(reasons), tuple(reasons), tuple(unknowns)
