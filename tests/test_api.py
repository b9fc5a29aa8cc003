"""The public Python surface stays small and explicit (STYLE.md item 13)."""

from __future__ import annotations

from pathlib import Path

import cvcomply

ROOT = Path(__file__).resolve().parents[1]


def test_public_names_are_exactly_these() -> None:
    assert sorted(cvcomply.__all__) == ["Finding", "InputError", "Report", "__version__", "report_dict", "screen"]
    assert all(hasattr(cvcomply, name) for name in cvcomply.__all__)


def test_screen_from_python() -> None:
    report = cvcomply.screen(str(ROOT / "examples" / "aurora" / "program.yaml"))
    assert isinstance(report, cvcomply.Report)
    data = cvcomply.report_dict(report)
    assert data["cvcomply_report"] == 1 and data["summary"]["verdict"] == report.verdict == "prohibited"
