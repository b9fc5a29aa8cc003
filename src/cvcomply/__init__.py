"""cvcomply: screen vehicle programs against the US Connected Vehicles rule (15 CFR 791 subpart D).

The Python API (DESIGN.md §7) is small on purpose::

    import cvcomply
    report = cvcomply.screen("program.yaml")          # -> cvcomply.Report
    data = cvcomply.report_dict(report)               # the JSON report (cvcomply_report: 1) as plain data

Everything else is reached through its stage's module (``cvcomply.formats``, ``cvcomply.ownership`` …).
"""

from cvcomply.formats.errors import InputError
from cvcomply.model import Finding, Report
from cvcomply.outputs.json_report import report_dict
from cvcomply.screen import screen

__version__ = "0.1.0"

__all__ = ["Finding", "InputError", "Report", "__version__", "report_dict", "screen"]
