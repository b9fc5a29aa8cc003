"""What a component is under § 791.301: VCS hardware, covered software, or neither — with every reason cited.

The ``cvcomply:`` hints (DESIGN.md §4.2) decide where given; without them the classifier infers from the
name conservatively and marks the result ``unclear``, which decide() turns into ``needs_review`` only
where the answer could make the finding prohibited (DESIGN.md §3 reading 11). The name lists it infers
from are parameters (heuristics, policy not law), so counsel can tune them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from cvcomply.model import Classification, Component, Reason, Vehicle
from cvcomply.rules.params import Params, Trace

VCS = "15 CFR 791.301 'vehicle connectivity system'"
VCS_HW = "15 CFR 791.301 'VCS hardware'"
COVERED = "15 CFR 791.301 'covered software'"
READING_14 = "DESIGN.md §3 reading 14"


def _words(name: str, keywords: Iterable[str]) -> tuple[str, ...]:
    """The keywords that occur in ``name`` as whole words (case-insensitive)."""
    text = name.lower()
    return tuple(k for k in keywords if re.search(rf"(?<![a-z0-9]){re.escape(k)}(?![a-z0-9])", text))


class _NameWords:
    """The keyword test on one component's name, noting whether it was made.

    A classification that never looked for words in the name depends on the name only where it quotes
    it, which is what lets :class:`~cvcomply.rules.memo.ScreeningMemo` classify once per class of components.
    """

    __slots__ = ("name", "read")

    def __init__(self, name: str) -> None:
        self.name, self.read = name, False

    def __call__(self, keywords: Iterable[str]) -> tuple[str, ...]:
        self.read = True
        return _words(self.name, keywords)


def classify(component: Component, vehicle: Vehicle | None, params: Params, trace: Trace) -> Classification:
    """Classify one component; hardware can only be VCS hardware, software only covered software."""
    return classify_noting_name(component, vehicle, params, trace)[0]


def classify_noting_name(component: Component, vehicle: Vehicle | None, params: Params,
                         trace: Trace) -> tuple[Classification, bool]:
    """:func:`classify`, and whether it read the words of the component's name (beyond quoting it)."""
    words = _NameWords(component.name)
    if component.kind == "hardware":
        return _hardware(component, params, trace, words), words.read
    return _software(component, vehicle, params, trace, words), words.read


def _none(component: Component, trace: Trace) -> Classification:
    trace.fact(f"{component.name}: cvcomply:function=none", _src(component))
    return Classification(False, False, (Reason(f"{component.name!r} is stated to enable neither VCS nor ADS "
                                                "(cvcomply:function none)", READING_14),), excluded_by="no-function")


def _src(component: Component) -> str | None:
    return str(component.source) if component.source else None


def _hardware(c: Component, params: Params, trace: Trace, words: _NameWords) -> Classification:
    h = c.hints
    if h.function is not None and not h.function:
        return _none(c, trace)
    rf = params.get("rf_threshold_mhz")
    if h.rf_max_mhz is not None:
        trace.param(rf)
        trace.fact(f"{c.name}: highest RF {h.rf_max_mhz:g} MHz", _src(c))
        if h.rf_max_mhz <= rf.value:
            return Classification(False, False, (Reason(
                f"{c.name!r} works at {h.rf_max_mhz:g} MHz at most, not above {rf.value:g} MHz: not VCS hardware "
                "whatever its category", f"{rf.cite}; {READING_14}"),), excluded_by="not-vcs")
    above = f", at up to {h.rf_max_mhz:g} MHz (above {rf.value:g} MHz)" if h.rf_max_mhz is not None else ""
    cats, excluded = params.get("vcs_hardware_categories"), params.get("vcs_excluded_categories")
    if h.vcs_category is not None:
        trace.fact(f"{c.name}: cvcomply:vcs-category={h.vcs_category}", _src(c))
        if h.vcs_category in excluded.value:
            trace.param(excluded)
            return Classification(False, False, (Reason(
                f"{c.name!r} is a {h.vcs_category} component, not software-enabled or programmable: not VCS hardware",
                excluded.cite),), excluded_by="passive")
        trace.param(cats)
        if h.vcs_category in cats.value:
            return Classification(True, False, (Reason(
                f"{c.name!r} is a {h.vcs_category}{above}, an enumerated kind of VCS hardware", cats.cite),))
        return Classification(False, False, (Reason(
            f"{c.name!r} has an unknown VCS category {h.vcs_category!r}: cannot tell whether it is VCS hardware",
            cats.cite),), unclear=True)
    sends = h.function is not None and "vcs" in h.function
    for param, excluded_by, what in (("vcs_sensing_only_keywords", "sensing-only", "sensing"),
                                     ("vcs_access_only_keywords", "access-only", "vehicle access")):
        p = params.get(param)
        hits = words(p.value)
        if hits:
            trace.param(p)
            if sends:
                return Classification(True, False, (Reason(
                    f"{c.name!r} is a {what} item ({hits[0]}) but is stated to enable VCS (cvcomply:function vcs), "
                    "i.e. it sends data off the vehicle: VCS hardware", p.cite),))
            return Classification(False, False, (Reason(
                f"{c.name!r} is a {what} item ({hits[0]}) that is not stated to send data off the vehicle: "
                "items exclusively for sensing or vehicle access are not VCS", p.cite),), excluded_by=excluded_by)
    if sends:
        trace.fact(f"{c.name}: cvcomply:function includes vcs", _src(c))
        return Classification(True, False, (Reason(
            f"{c.name!r} is hardware stated to enable VCS functions (cvcomply:function){above}", VCS_HW),))
    if h.function is not None:
        return Classification(False, False, (Reason(
            f"{c.name!r} is stated to enable {', '.join(sorted(h.function))} only, not VCS: not VCS hardware "
            "(§ 791.302 reaches VCS hardware only)", VCS_HW),), excluded_by="not-vcs")
    if h.rf_max_mhz is not None:
        return Classification(True, False, (Reason(
            f"{c.name!r} transmits or receives radio{above}: VCS hardware", rf.cite),))
    kw = params.get("vcs_name_keywords")
    hits = words(kw.value)
    trace.param(kw)
    if hits:
        return Classification(True, False, (Reason(
            f"{c.name!r} is probably VCS hardware (its name says {hits[0]!r}); no cvcomply:vcs-category confirms "
            "it", kw.cite),), unclear=True)
    return Classification(False, False, (Reason(
        f"nothing states whether hardware {c.name!r} enables VCS (no cvcomply:vcs-category, function or RF hint)",
        VCS_HW),), unclear=True)


def _software(c: Component, vehicle: Vehicle | None, params: Params, trace: Trace,
              words: _NameWords) -> Classification:
    h = c.hints
    if h.function is not None and not h.function:
        return _none(c, trace)
    # Exclusions that hold whatever the function is.
    kind = h.software_kind
    if kind == "firmware" or (kind is None and c.type == "firmware"):
        trace.fact(f"{c.name}: " + ("cvcomply:software-kind=firmware" if kind else "type firmware"), _src(c))
        return Classification(False, False, (Reason(
            f"{c.name!r} is firmware (programmed to control, configure and communicate with its own device): "
            "excluded from covered software", f"{COVERED} (firmware exclusion)"),), excluded_by="firmware")
    reasons: list[Reason] = []
    if kind is not None and c.type == "firmware":
        reasons.append(Reason(f"{c.name!r} is typed firmware but stated to be {kind}; operating systems, middleware "
                              "and applications are not firmware", f"{COVERED} (firmware exclusion)"))
    if h.open_source in ("unmodified", "modified-redistributed"):
        trace.fact(f"{c.name}: cvcomply:open-source={h.open_source}", _src(c))
        return Classification(False, False, (Reason(
            f"{c.name!r} is open-source software ({h.open_source}), available without restriction: excluded "
            "from covered software", f"{COVERED} (open-source exclusion); DESIGN.md §3 reading 1"),),
            excluded_by="open-source")
    if h.open_source == "modified-proprietary":
        reasons.append(Reason(f"{c.name!r} is open source modified for proprietary purposes and not redistributed: "
                              "the open-source exclusion does not apply",
                              f"{COVERED} (open-source exclusion); DESIGN.md §3 reading 1"))
    # What it enables.
    inferred = h.function is None
    functions = set(h.function or ())
    if inferred:
        for name, fn in (("software_vcs_name_keywords", "vcs"), ("ads_name_keywords", "ads")):
            p = params.get(name)
            trace.param(p)
            hits = words(p.value)
            if hits:
                functions.add(fn)
                reasons.append(Reason(f"{c.name!r} probably enables {fn.upper()} (its name says {hits[0]!r}); no "
                                      "cvcomply:function confirms it", p.cite))
        if not functions:
            return Classification(False, False, (*reasons, Reason(
                f"nothing states whether software {c.name!r} enables VCS or ADS (no cvcomply:function hint)",
                COVERED)), unclear=True)
    if "ads" in functions:
        level = params.get("ads_min_sae_level")
        trace.param(level)
        have = vehicle.ads_level if vehicle is not None else None
        if have is None or have < level.value:
            functions.discard("ads")
            shown = f"SAE Level {have}" if have is not None else "no vehicle"
            reasons.append(Reason(f"the vehicle's driving automation is {shown}, below Level {level.value}: "
                                  "driver assistance is not ADS (RULE.md §12.11)", level.cite))
        else:
            reasons.append(Reason(f"{c.name!r} enables ADS of an SAE Level {have} vehicle", level.cite))
    if not functions:
        return Classification(False, False, tuple(reasons), unclear=inferred, excluded_by="not-ads")
    if "vcs" in functions:
        reasons.append(Reason(f"{c.name!r} enables VCS functions", COVERED))
    cutoff = params.get("legacy_software_cutoff")
    if h.completed_before is not None:
        trace.param(cutoff)
        trace.fact(f"{c.name}: completed before {h.completed_before}", _src(c))
        if h.completed_before < cutoff.value:
            who = (f"its maintainer {h.maintained_by!r}" if h.maintained_by
                   else "whoever maintains it (cvcomply:maintained-by not given)")
            reasons.append(Reason(
                f"{c.name!r} was completed before {h.completed_before}, before the {cutoff.value} cut-off: legacy "
                f"software, excluded only while {who} is not PRC- or Russia-linked",
                f"{cutoff.cite}; DESIGN.md §3 reading 7"))
            return Classification(False, False, tuple(reasons), unclear=inferred, excluded_by="legacy",
                                  legacy_conditional=True)
        reasons.append(Reason(f"{c.name!r} is stated complete only before {h.completed_before}, not before "
                              f"the {cutoff.value} cut-off: not legacy software",
                              cutoff.cite))
    return Classification(False, True, tuple(reasons), unclear=inferred)
