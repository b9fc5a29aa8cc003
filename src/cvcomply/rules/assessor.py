"""May a third-party assessor be relied on? (§ 791.315, RULE.md §5 and §12.17.)"""

from __future__ import annotations

from cvcomply.model import Nexus, Reason
from cvcomply.rules.params import Params, Trace


def assessor_eligible(nexus: Nexus, params: Params, trace: Trace) -> tuple[bool | None, tuple[Reason, ...]]:
    """(eligible?, reasons): a PRC/Russia-linked assessor is not permitted (§ 791.315(b)(1)); None = unknown.

    Financial ties to the filer are weighed by BIS case by case (§ 791.315(b)(2)) and are not decided here;
    the reasons say so.
    """
    rule = params.get("assessor_adversary_link_disqualifies")
    trace.param(rule)
    ties = Reason("BIS also weighs the assessor's independence, including financial ties to the filer; "
                  "cvcomply does not decide that", "15 CFR 791.315(b)(2)")
    if nexus.status == "covered" and rule.value:
        return False, (Reason("the assessor is PRC- or Russia-linked and may not be relied on", rule.cite),
                       *nexus.reasons, ties)
    if nexus.status == "needs_review":
        return None, (Reason("the assessor's link to a foreign adversary could not be cleared", rule.cite),
                      *nexus.reasons, ties)
    return True, (Reason("the assessor is not PRC- or Russia-linked", rule.cite), ties)
