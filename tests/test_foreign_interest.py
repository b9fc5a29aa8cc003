"""The DoC trigger through non-U.S. holders, end to end (RULE.md §2 "foreign interest", §5, §12.15).

"Foreign interest: any direct or indirect interest of a non-U.S. person" — so a US supplier held by a
Japanese parent is one, and only purely U.S. covered software avoids the DoC. Each case writes a small
program (tests/programs.py: manifest + CycloneDX BOM + BODS file, all invented by the project), screens it,
and checks the finding's flag, its reason, the model year's DoC flag and the party's nexus in the report.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from cvcomply.model import Finding, Report
from cvcomply.outputs.json_report import render_json
from cvcomply.rules import Params, Trace, foreign_interest
from cvcomply.screen import screen
from tests.programs import VCS_APP, Org, Part, Stake, write_program

US = Org("us", "Plainfield Software Inc", "US")
US_PARENT = Org("us-parent", "Plainfield Holdings Inc", "US")
US_TOP = Org("us-top", "Plainfield Group Inc", "US")
JP = Org("jp", "Sakura Denki K.K.", "JP")
DE = Org("de", "Rheinwerk Beteiligungen GmbH", "DE")
CU = Org("cu", "Habana Inversiones S.A.", "CU")
CN = Org("cn", "Shenzhen Testing Technology Co., Ltd.", "CN")
ORGS = [US, US_PARENT, US_TOP, JP, DE, CU, CN]
APP = Part("app", "nav-app", US.name, "US", props=VCS_APP)


def run(tmp_path: Path, stakes: list[Stake], parts: list[Part] | None = None) -> Report:
    return screen(str(write_program(tmp_path, parts or [APP], ORGS, stakes, model_years=(2026, 2027))))


def one(report: Report, ref: str, year: int) -> Finding:
    (hit,) = [f for f in report.findings if f.component.bom_ref == ref and f.model_year == year]
    return hit


def doc_required(report: Report, year: int) -> bool:
    (summary,) = [y for y in report.model_years if y.model_year == year]
    return summary.doc_required


def party_json(report: Report, ref: str, year: int) -> dict[str, Any]:
    data = orjson.loads(render_json(report))
    (finding,) = [f for f in data["findings"] if f["component"]["bom_ref"] == ref and f["model_year"] == year]
    party: dict[str, Any] = finding["parties"][0]
    return party


def test_us_supplier_with_a_japanese_parent_is_a_foreign_interest_and_needs_a_doc(tmp_path: Path) -> None:
    r = run(tmp_path, [Stake("jp", "us", 60)])
    f = one(r, "app", 2027)
    assert f.verdict == "permitted"  # no adversary link: nothing is prohibited
    assert f.foreign_interest is True
    assert doc_required(r, 2027) is True  # RULE.md §12.15
    assert doc_required(r, 2026) is False  # § 791.308(b): exempt transactions need no DoC
    assert f.parties[0].nexus.status == "clear" and f.parties[0].nexus.foreign_holders == ("JP",)
    assert party_json(r, "app", 2027)["nexus"]["foreign_holders"] == ["JP"]
    (summary,) = [y for y in r.model_years if y.model_year == 2027]
    assert any("covered software 'nav-app' has a foreign interest" in why for why in summary.doc_reasons)


def reasons(f: Finding) -> list[str]:
    """The foreign-interest reasons of a finding's parties (a finding states only those standing for an unknown)."""
    flag, why = foreign_interest(f.parties, Params.load(), Trace())
    assert flag is f.foreign_interest
    return [f"{x.text} [{x.cite}]" for x in why]


def test_the_reason_names_the_holders_country(tmp_path: Path) -> None:
    r = run(tmp_path, [Stake("jp", "us", 60)])
    assert reasons(one(r, "app", 2027)) == [
        "supplier 'Plainfield Software Inc' is held directly or indirectly by non-U.S. persons (JP): an indirect "
        "foreign interest [15 CFR 791.301 'U.S. person' / 'foreign interest'; 15 CFR 791.305]"]


def test_a_foreign_holder_three_levels_up_counts(tmp_path: Path) -> None:
    r = run(tmp_path, [Stake("de", "us-top", 5, "voting-rights"), Stake("us-top", "us-parent", 100),
                       Stake("us-parent", "us", 100)])
    f = one(r, "app", 2027)
    assert (f.verdict, f.foreign_interest, doc_required(r, 2027)) == ("permitted", True, True)
    assert f.parties[0].nexus.foreign_holders == ("DE",)
    assert any("non-U.S. persons (DE)" in x for x in reasons(f))


def test_a_non_adversary_foreign_adversary_of_other_part_791_procedures_is_still_a_foreign_interest(
        tmp_path: Path) -> None:
    # Cuba is a § 791.4 foreign adversary but no target of subpart D (RULE.md §3): no prohibition, but a DoC.
    r = run(tmp_path, [Stake("cu", "us", 60)])
    f = one(r, "app", 2027)
    assert (f.verdict, f.foreign_interest, doc_required(r, 2027)) == ("permitted", True, True)
    assert f.parties[0].nexus.countries == () and f.parties[0].nexus.foreign_holders == ("CU",)


def test_a_us_only_chain_is_no_foreign_interest_and_needs_no_doc(tmp_path: Path) -> None:
    r = run(tmp_path, [Stake("us-top", "us-parent", 100), Stake("us-parent", "us", 60)])
    f = one(r, "app", 2027)
    assert (f.verdict, f.foreign_interest, doc_required(r, 2027)) == ("permitted", False, False)
    assert f.parties[0].nexus.foreign_holders == ()
    assert party_json(r, "app", 2027)["nexus"]["foreign_holders"] == []
    assert reasons(f) == []


def test_an_ended_foreign_interest_is_history_not_a_foreign_interest(tmp_path: Path) -> None:
    r = run(tmp_path, [Stake("jp", "us", 60, end="2025-06-30")])  # the manifest's as_of is 2026-11-24
    f = one(r, "app", 2027)
    assert (f.foreign_interest, doc_required(r, 2027)) == (False, False)
    assert f.parties[0].nexus.history  # shown as history (DESIGN.md §3 reading 9)


def test_an_adversary_held_supplier_keeps_its_reason_and_lists_its_holders(tmp_path: Path) -> None:
    r = run(tmp_path, [Stake("cn", "us", 60)])
    f = one(r, "app", 2027)
    assert f.verdict == "prohibited" and f.foreign_interest
    assert f.parties[0].nexus.foreign_holders == ("CN",)
    assert [x.split(" [")[0] for x in reasons(f)] == [
        "supplier 'Plainfield Software Inc' is held from CN: an indirect foreign interest"]


def test_two_us_suppliers_of_one_kind_of_component_are_told_apart_by_their_holders(tmp_path: Path) -> None:
    # The screening memo decides a class of components once: the holders' countries must be part of the class.
    parts = [APP, Part("app2", "maps-app", US_PARENT.name, "US", props=VCS_APP),
             Part("app3", "voice-app", US.name, "US", props=VCS_APP)]
    r = run(tmp_path, [Stake("jp", "us", 60)], parts)
    assert [one(r, ref, 2027).foreign_interest for ref in ("app", "app2", "app3")] == [True, False, True]
