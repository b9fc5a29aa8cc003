"""The rule as code (DESIGN.md §2): dated, cited parameters and pure functions over the model types.

No I/O here except :meth:`Params.load`, which reads the parameter file once at the edge.
"""

from cvcomply.rules.assessor import assessor_eligible
from cvcomply.rules.classify import classify
from cvcomply.rules.decide import Case, Outcome, decide, foreign_interest
from cvcomply.rules.doc import doc_required
from cvcomply.rules.params import GeneralAuthorizationDef, Param, Params, Trace
from cvcomply.rules.periods import Period, periods
from cvcomply.rules.scope import vehicle_scope

__all__ = [
    "Case",
    "GeneralAuthorizationDef",
    "Outcome",
    "Param",
    "Params",
    "Period",
    "Trace",
    "assessor_eligible",
    "classify",
    "decide",
    "doc_required",
    "foreign_interest",
    "periods",
    "vehicle_scope",
]
