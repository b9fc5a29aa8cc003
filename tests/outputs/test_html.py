"""The HTML report: built from a small Report made by hand in this file (all names invented here).

What it must do (DESIGN.md §3, the assignment of outputs/html.py): show the evidence path as one line,
every cite, group findings worst first, escape untrusted names, and reference nothing outside itself.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from html.parser import HTMLParser

import pytest

from cvcomply.model import (
    Classification,
    Component,
    Declarant,
    Finding,
    MatchResult,
    Nexus,
    Party,
    PartyResult,
    PathStep,
    PeriodSummary,
    Program,
    Reason,
    Report,
    SourceRef,
    Vehicle,
    Warning,
)
from cvcomply.outputs.html import format_path, format_share, render_html

EVIL = '<script>alert("x")</script> Evil Widgets & Co'

SEED = PathStep("e-seed", "Seed Electronics Co., Ltd.", share=100.0, interest="shareholding", country="CN",
                source="owners.bods.json#/2")
HOLDCO = PathStep("e-holdco", "Holdco Ltd.", share=60.0, interest="shareholding", country="KY",
                  source="owners.bods.json#/5")
SUPPLIER = PathStep("e-supplier", "Supplier GmbH", country="DE")

COVERED = Nexus(
    entity="e-supplier", status="covered", countries=("CN",), prongs=("ownership",),
    paths=((SEED, HOLDCO, SUPPLIER),),
    reasons=(Reason("Holdco Ltd. holds 60% of the votes, a majority held by a covered holder",
                    "15 CFR 791.301 (prong 4); cvcomply control policy"),),
    adversary_share=60.0, exposure=60.0,
)
CLEAR = Nexus(entity="e-jp", status="clear", caveats=("no ownership data",),
              history=("Old Owner Co. (CN) held 51% until 2025-06-30",))


def _finding(fid: str, name: str, verdict: str, rule: str | None, reasons: tuple[Reason, ...],
             party: PartyResult, model_year: int = 2027, trace: tuple[str, ...] = ()) -> Finding:
    comp = Component(bom_ref=f"ref-{fid}", name=name, kind="software", type="application", version="1.0",
                     purl=f"pkg:generic/example/{fid}@1.0",
                     source=SourceRef("bom/ivi.cdx.json", f"/components/{fid}"))
    return Finding(
        id=fid, component=comp, model_year=model_year,
        classification=Classification(False, True, (Reason("Application enabling VCS functions", "15 CFR 791.301"),)),
        parties=(party,), verdict=verdict,  # type: ignore[arg-type]
        rule=rule, reasons=reasons, trace=trace,
    )


def make_report(**changes: object) -> Report:
    prohibited_party = PartyResult(
        party=Party("supplier", EVIL, country="DE"),
        match=MatchResult("match", "name", entity="e-supplier", score=0.97, reasons=("normalised name equal",)),
        nexus=COVERED, entity_name="Supplier GmbH", entity_country="DE",
    )
    permitted_party = PartyResult(
        party=Party("developer", "Clear Software K.K.", country="JP"),
        match=MatchResult("match", "identifier", entity="e-jp", score=1.0),
        nexus=CLEAR, entity_name="Clear Software K.K.", entity_country="JP",
    )
    prohibited = _finding(
        "f-bad", "Telematics middleware", "prohibited", "15 CFR 791.303(b)",
        (Reason("Covered software supplied by a person owned by a PRC company", "15 CFR 791.303(b)"),
         Reason("Model year 2027 is not exempt", "15 CFR 791.308(b)")),
        prohibited_party,
        trace=("param software_prohibition_from_my = 2027 (15 CFR 791.308(b), effective 2025-03-17)",
               "fact owners.bods.json#/5 Holdco Ltd. holds 60% shareholding in Supplier GmbH"),
    )
    permitted = _finding(
        "f-ok", "Navigation app", "permitted", None,
        (Reason("No party is linked to a foreign adversary", "RULE.md §12.15"),), permitted_party,
    )
    program = Program(
        name="Example Program", declarant=Declarant("Example Motors LLC", ("connected-vehicle-manufacturer",), "US"),
        vehicle=Vehicle("Example", "Roadster", (2027,), trims=("Base",), gvwr_lbs=5500, ads_level=2),
        purpose="sale", boms=("bom/ivi.cdx.json",),
    )
    report = Report(
        program=program,
        declarant_nexus=Nexus(entity="e-decl", status="clear"),
        as_of=date(2026, 11, 24),
        rule_version="cfr791d-2025-01-16",
        policy_version="cvcomply-default/1",
        model_years=(PeriodSummary("prohibited", {"prohibited": 1, "permitted": 1}, model_year=2027,
                                   doc_required=True, doc_reasons=("covered software with a foreign interest (JP)",)),),
        import_dates=(PeriodSummary("permitted", {"permitted": 2}, import_date=date(2029, 1, 1)),),
        findings=(permitted, prohibited),
        verdict="prohibited",
        counts={"prohibited": 1, "permitted": 1},
        warnings=(Warning("bom/ivi.cdx.json#/components/7", "unknown vcs-category 'toaster' ignored"),),
        inputs=(("bom/ivi.cdx.json", "ab" * 32),),
    )
    return dataclasses.replace(report, **changes)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def page() -> str:
    return render_html(make_report())


def _text(html: str) -> str:
    """The page's visible text with entities decoded (what a reader sees)."""

    class Collect(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.parts: list[str] = []
            self._skip = 0

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self._skip += tag in ("style", "title")

        def handle_endtag(self, tag: str) -> None:
            self._skip -= tag in ("style", "title")

        def handle_data(self, data: str) -> None:
            if not self._skip:
                self.parts.append(data)

    c = Collect()
    c.feed(html)
    return " ".join(" ".join(c.parts).split())


def test_format_path_labels_each_link_with_the_interest_held() -> None:
    assert format_path((SEED, HOLDCO, SUPPLIER)) == (
        "Seed Electronics Co., Ltd. (CN) —100% shareholding→ Holdco Ltd. (KY) —60% shareholding→ Supplier GmbH (DE)"
    )
    bare = (PathStep("a", "Seed", country="CN", share=60, interest="shareholding"),
            PathStep("b", "Holdco", country="KY"), PathStep("c", "Supplier"))
    assert format_path(bare) == "Seed (CN) —60% shareholding→ Holdco (KY) → Supplier"
    assert format_path(()) == ""
    assert format_share(99.9) == "99.9%" and format_share(60.0) == "60%" and format_share(None) == ""


def test_shows_the_evidence_path_and_every_cite(page: str) -> None:
    text = _text(page)
    assert format_path((SEED, HOLDCO, SUPPLIER)) in text
    for cite in ("15 CFR 791.303(b)", "15 CFR 791.308(b)", "15 CFR 791.301", "RULE.md §12.15",
                 "15 CFR 791.301 (prong 4); cvcomply control policy"):
        assert cite in text, cite
    assert "Covered software supplied by a person owned by a PRC company" in text


def test_escapes_untrusted_names(page: str) -> None:
    assert "<script" not in page.lower()
    assert "&lt;script&gt;alert(" in page
    assert "Evil Widgets &amp; Co" in page
    assert EVIL in _text(page)  # the reader still sees the name as it was given


def test_is_self_contained(page: str) -> None:
    assert not re.search(r"""(?:src|href|action|srcset|poster|data)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I)
    assert not re.search(r"url\(\s*['\"]?\s*(?:https?:)?//", page, re.I)
    assert "@import" not in page
    assert "<script" not in page.lower() and "<link" not in page.lower()
    assert "<style>" in page  # the CSS is inline


def test_findings_are_grouped_worst_first_with_header_and_periods(page: str) -> None:
    text = _text(page)
    assert text.index("Prohibited (1)") < text.index("Permitted (1)")
    assert page.index('id="f-f-bad"') < page.index('id="f-f-ok"')  # input order was permitted first
    for fact in ("Example Program", "Example Motors LLC", "2026-11-24", "cfr791d-2025-01-16", "cvcomply-default/1",
                 "MY 2027", "imported 2029-01-01", "covered software with a foreign interest (JP)"):
        assert fact in text, fact
    # party details: matched entity, method and score, nexus, countries, prongs
    for fact in ("Supplier GmbH (DE)", "match by name, score 0.97", "normalised name equal", "covered",
                 "countries CN", "prongs ownership", "Deciding rule: 15 CFR 791.303(b)"):
        assert fact in text, fact


def test_trace_is_collapsible_on_screen_and_printed_in_full(page: str) -> None:
    m = re.search(r'<details class="trace[^"]*">\s*<summary>Trace \(2 steps\)</summary>(.*?)</details>', page, re.S)
    assert m and "software_prohibition_from_my = 2027" in m.group(1)
    assert page.count("fact owners.bods.json#/5 Holdco Ltd.") == 2  # screen copy + print copy
    print_css = page[page.index("@media print"):page.index("</style>")]
    assert re.search(r"\.screen-only\s*{\s*display:\s*none", print_css)
    assert re.search(r"\.print-only\s*{\s*display:\s*block", print_css)


def test_caveats_history_and_warnings_are_shown(page: str) -> None:
    text = _text(page)
    assert "no ownership data" in text
    assert "Old Owner Co. (CN) held 51% until 2025-06-30" in text
    assert "unknown vcs-category 'toaster' ignored" in text and "bom/ivi.cdx.json#/components/7" in text


def test_empty_report_renders_without_findings() -> None:
    html = render_html(make_report(findings=(), model_years=(), import_dates=(), warnings=(), counts={},
                                   verdict="out_of_scope"))
    text = _text(html)
    assert "No findings." in text and "No model year or import date was screened." in text
    assert "Prohibited" not in text.replace("Out of scope", "")


def test_html_parses_with_balanced_structure(page: str) -> None:
    """Every element we open is closed (void elements aside): a broken template would not be."""
    void = {"meta", "br", "hr", "img", "input", "link"}

    class Check(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.stack: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag not in void:
                self.stack.append(tag)

        def handle_endtag(self, tag: str) -> None:
            assert self.stack and self.stack[-1] == tag, (tag, self.stack[-5:])
            self.stack.pop()

    c = Check()
    c.feed(page)
    assert c.stack == []
