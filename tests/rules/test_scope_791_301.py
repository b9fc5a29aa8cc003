"""§ 791.301 definitions: connected vehicle scope (GVWR, connectivity, completion) and VCS hardware."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cvcomply.model import Vehicle
from cvcomply.rules import Params, Trace, classify, vehicle_scope
from tests.rules.helpers import CN, hw, judge, params, program, vehicle


@pytest.mark.parametrize(("veh", "in_scope", "says"), [
    pytest.param(vehicle(gvwr_lbs=10000.0), True, "at most 10,000 lb", id="12.14 10,000.0 lb in"),
    pytest.param(vehicle(gvwr_lbs=10001), False, "more than 10,000 lb", id="12.14 10,001 lb out"),
    pytest.param(vehicle(gvwr_lbs=9999.9), True, "at most", id="just below"),
    pytest.param(vehicle(gvwr_lbs=None), True, "not stated: assumed", id="GVWR unknown assumed in"),
    pytest.param(vehicle(connected=False), False, "not a connected vehicle", id="no connectivity"),
    pytest.param(vehicle(completed=False), False, "not a completed connected vehicle", id="not completed"),
    pytest.param(None, True, "no vehicle", id="loose hardware importer"),
])
def test_vehicle_scope(veh: Vehicle | None, in_scope: bool, says: str) -> None:
    ok, reasons = vehicle_scope(veh, params(), Trace())
    assert ok is in_scope
    assert says in reasons[0].text and reasons[0].cite


def test_heavy_vehicle_flag_brings_10001_lb_into_scope(tmp_path: Path) -> None:
    f = tmp_path / "heavy.yaml"
    f.write_text("cvcomply_params: 1\nid: heavy\nedition: '1'\nextends: cfr791d\nparameters:\n"
                 "  heavy_vehicles_in_scope:\n    values:\n      - {value: true, cite: 'hypothetical rule', tag: U}\n")
    ok, reasons = vehicle_scope(vehicle(gvwr_lbs=10001), Params.load(f), Trace())
    assert ok and "heavy vehicles into scope" in reasons[0].text


def test_out_of_scope_vehicle_gives_out_of_scope_even_for_prc_tcu() -> None:
    out = judge(hw(vcs_category="telematics-unit"), program(veh=vehicle(gvwr_lbs=12000)), parties=(CN,))
    assert out.verdict == "out_of_scope" and out.rule == "15 CFR 791.301 'connected vehicle'"


def test_scope_trace_records_the_ceiling() -> None:
    t = Trace()
    vehicle_scope(vehicle(gvwr_lbs=10001), params(), t)
    assert any(line.startswith("param gvwr_max_lbs=10000") for line in t.lines)
    assert any(line.startswith("clause 15 CFR 791.301") for line in t.lines)


HW = [
    # (name, hints, vcs_hardware, unclear, excluded_by)
    ("TCU", {"vcs_category": "telematics-unit"}, True, False, None),
    ("GNSS receiver", {"vcs_category": "gnss-receiver", "rf_max_mhz": 1575.42}, True, False, None),
    ("RF front end", {"rf_max_mhz": 450.0}, False, False, "not-vcs"),  # 450 is not above 450
    ("RF front end", {"rf_max_mhz": 450.01}, True, False, None),
    ("Key fob", {"rf_max_mhz": 433.92, "vcs_category": "other-wireless"}, False, False, "not-vcs"),  # reading 14
    ("Cellular module", {"vcs_category": "cellular-module", "function": frozenset()}, False, False, "no-function"),
    ("Capacitor bank", {"vcs_category": "passive"}, False, False, "passive"),
    ("Front radar", {}, False, False, "sensing-only"),
    ("Surround camera", {"function": frozenset({"vcs"})}, True, False, None),  # sends data off-vehicle
    ("BLE digital key module", {}, False, False, "access-only"),
    ("Lidar unit", {}, False, False, "sensing-only"),
    ("Bluetooth module", {}, True, True, None),  # inferred from the name: unclear
    ("Seat motor", {}, False, True, None),  # nothing to go on
    ("Mystery box", {"vcs_category": "hyperdrive"}, False, True, None),
    ("ADS compute", {"function": frozenset({"ads"})}, False, False, "not-vcs"),
    ("Gateway", {"function": frozenset({"vcs"})}, True, False, None),
]


@pytest.mark.parametrize(("name", "hints", "vcs", "unclear", "excluded_by"), HW,
                         ids=[f"{h[0]}-{i}" for i, h in enumerate(HW)])
def test_vcs_hardware_classification(name: str, hints: dict[str, Any], vcs: bool, unclear: bool,
                                     excluded_by: str | None) -> None:
    cls = classify(hw(name, **hints), vehicle(), params(), Trace())
    assert (cls.vcs_hardware, cls.covered_software, cls.unclear, cls.excluded_by) == (vcs, False, unclear, excluded_by)
    assert cls.reasons and all(r.cite for r in cls.reasons)


def test_rf_reason_cites_the_threshold_and_reading_14() -> None:
    cls = classify(hw("Key fob", rf_max_mhz=315.0), vehicle(), params(), Trace())
    assert cls.reasons[0].cite == "15 CFR 791.301 'vehicle connectivity system'; DESIGN.md §3 reading 14"
