"""Is the vehicle within the rule at all? (§ 791.301 'connected vehicle', RULE.md §2, §12.14)."""

from __future__ import annotations

from cvcomply.model import Reason, Vehicle
from cvcomply.rules.params import Params, Trace

CV = "15 CFR 791.301 'connected vehicle'"
CCV = "15 CFR 791.301 'completed connected vehicle'"


def vehicle_scope(vehicle: Vehicle | None, params: Params, trace: Trace) -> tuple[bool, tuple[Reason, ...]]:
    """(in scope, why). No vehicle: an importer of loose hardware, whose hardware § 791.302 reaches itself.

    A vehicle is out when it has no wireless connectivity, is not a completed vehicle (§§ 791.303–.304
    reach completed connected vehicles only), or weighs more than ``gvwr_max_lbs`` GVWR unless
    ``heavy_vehicles_in_scope``. A GVWR nobody stated is assumed in scope, and the reason says so.
    """
    if vehicle is None:
        trace.clause("15 CFR 791.302(a)", "no vehicle: the declarant imports VCS hardware as such")
        return True, (Reason("no vehicle in the program: VCS hardware imported as such is judged under § 791.302",
                             "15 CFR 791.302(a)"),)
    name = f"{vehicle.make} {vehicle.model}"
    if not vehicle.connected:
        trace.clause(CV, f"{name} has no wireless connectivity")
        return False, (Reason(f"{name} does not communicate over any wireless network, so it is not a connected "
                              "vehicle", CV),)
    if not vehicle.completed:
        trace.clause(CCV, f"{name} is not a completed vehicle")
        return False, (Reason(f"{name} is not a completed connected vehicle; §§ 791.303–.304 reach completed "
                              "vehicles only", CCV),)
    ceiling = params.get("gvwr_max_lbs")
    heavy = params.get("heavy_vehicles_in_scope")
    trace.param(ceiling)
    if vehicle.gvwr_lbs is None:
        trace.fact(f"{name}: GVWR not stated")
        return True, (Reason(f"GVWR of {name} not stated: assumed at most {ceiling.value:,.0f} lb, so in scope "
                             "(state gvwr_lbs to confirm)", ceiling.cite),)
    trace.fact(f"{name}: GVWR {vehicle.gvwr_lbs:,g} lb")
    if vehicle.gvwr_lbs <= ceiling.value:
        return True, (Reason(f"{name} is a connected vehicle of {vehicle.gvwr_lbs:,g} lb GVWR, at most "
                             f"{ceiling.value:,.0f} lb", ceiling.cite),)
    trace.param(heavy)
    if heavy.value:
        return True, (Reason(f"{name} weighs {vehicle.gvwr_lbs:,g} lb GVWR, above {ceiling.value:,.0f} lb, but the "
                             "parameter file brings heavy vehicles into scope", heavy.cite),)
    trace.clause(ceiling.cite, f"GVWR {vehicle.gvwr_lbs:,g} lb > {ceiling.value:,.0f} lb: excluded")
    return False, (Reason(f"{name} weighs {vehicle.gvwr_lbs:,g} lb GVWR, more than {ceiling.value:,.0f} lb: "
                          "excluded from 'connected vehicle' pending the commercial-vehicle rule", ceiling.cite),)
