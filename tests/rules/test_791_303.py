"""§ 791.303: importing (a) or selling (b) completed connected vehicles with PRC/Russia-linked covered software."""

from __future__ import annotations

import pytest

from cvcomply.model.program import Purpose
from tests.rules.helpers import CN, JP, UNRESOLVED, US, judge, party, program, sw, vehicle

STACK = sw("TCU OS", function=frozenset({"vcs"}), software_kind="os")


@pytest.mark.parametrize(("imported", "purpose", "verdict", "rule"), [
    (False, "sale", "prohibited", "15 CFR 791.303(b)"),
    (True, "sale", "prohibited", "15 CFR 791.303(a), (b)"),  # reading 3: ascending order
    (True, "testing", "prohibited", "15 CFR 791.303(a)"),
    (False, "testing", "permitted", None),  # neither imported nor sold
])
def test_import_and_sale_prongs(imported: bool, purpose: Purpose, verdict: str, rule: str | None) -> None:
    out = judge(STACK, program(veh=vehicle(imported=imported), purpose=purpose), parties=(CN,), my=2027)
    assert (out.verdict, out.rule) == (verdict, rule)


@pytest.mark.parametrize(("my", "parties", "verdict"), [
    pytest.param(2026, (CN,), "exempt", id="12.12 MY2026 sold in 2027: exempt"),
    pytest.param(2027, (CN,), "prohibited", id="12.12 MY2027 (even if built in 2026)"),
    pytest.param(2027, (US, JP), "permitted", id="reading 1: no nexus, permitted"),
    pytest.param(2027, (US, UNRESOLVED), "needs_review", id="one unresolved party"),
    pytest.param(2027, (US, CN), "prohibited", id="any covered party"),
    pytest.param(2026, (US,), "permitted", id="MY2026 clear: permitted not exempt (reading 11)"),
    pytest.param(2026, (UNRESOLVED,), "exempt", id="MY2026 unresolved: exempt (reading 11)"),
])
def test_software_by_model_year_and_nexus(my: int, parties: tuple[object, ...], verdict: str) -> None:
    assert judge(STACK, parties=parties, my=my).verdict == verdict  # type: ignore[arg-type]


def test_software_alone_without_a_vehicle_is_out_of_scope() -> None:
    out = judge(STACK, program(no_vehicle=True), parties=(CN,), my=None)
    assert out.verdict == "out_of_scope" and out.rule == "15 CFR 791.303"


def test_developer_party_counts_like_a_supplier() -> None:
    dev = party("Example Soft (Beijing)", "covered", "CN", role="developer")
    assert judge(STACK, parties=(US, dev)).verdict == "prohibited"


def test_unscreened_developer_hint_is_an_unknown_link() -> None:
    out = judge(sw("TCU OS", function=frozenset({"vcs"}), developer="Someone Else Ltd"), parties=(US,))
    assert out.verdict == "needs_review"
    assert any("cvcomply:developer" in r.text for r in out.reasons)
