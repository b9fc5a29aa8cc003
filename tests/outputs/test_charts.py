"""Charts and ownership diagrams: valid, self-contained, byte-stable SVG that shows what the report holds."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from tests.outputs.aurora import aurora_report
from tests.outputs.test_html import make_report

from cvcomply.outputs.charts import report_charts
from cvcomply.outputs.diagram import covered_parties, ownership_svg
from cvcomply.outputs.html import render_html

SVG = "{http://www.w3.org/2000/svg}"


def _texts(svg: str) -> str:
    return " ".join("".join(e.itertext()) for e in ET.fromstring(svg).iter(f"{SVG}text"))


def test_charts_are_stable_svg_with_the_periods() -> None:
    report = make_report()
    charts = report_charts(report)
    assert [c.name for c in charts] == ["verdicts", "countries", "timeline"]
    assert charts == report_charts(report)
    for c in charts:
        assert isinstance(c.data, str) and c.data.startswith("<svg")
        assert "<metadata" not in c.data and "Date" not in c.data
    assert "MY2027" in _texts(str(charts[0].data)) and "import 2029-01-01" in _texts(str(charts[0].data))
    countries = _texts(str(charts[1].data))
    assert "DE" in countries and "JP" in countries
    timeline = _texts(str(charts[2].data))
    assert "Telematics middleware" in timeline and "Navigation app" not in timeline  # only adversary-linked rows


def test_timeline_marks_both_deadlines_for_aurora() -> None:
    timeline = _texts(str(report_charts(aurora_report())[2].data))
    assert "software MY2027" in timeline and "hardware MY2030" in timeline
    assert "NT-TCU5" in timeline or "telematics" in timeline.casefold()


def test_ownership_diagram_draws_the_covering_path() -> None:
    (party,) = covered_parties(make_report().findings)
    assert party.name == "Supplier GmbH" and party.components == ("Telematics middleware",)
    svg = ownership_svg(party)
    words = _texts(svg)
    for fact in ("Seed Electronics Co., Ltd.", "(CN)", "Holdco Ltd.", "(KY)", "60% shareholding", "Supplier GmbH"):
        assert fact in words, fact
    assert svg == ownership_svg(party)


def test_every_covered_aurora_party_gets_a_diagram_in_the_html() -> None:
    report = aurora_report()
    parties = covered_parties(report.findings)
    names = {p.name for p in parties}
    assert {"Nordlicht Telematik GmbH", "Pearl River Wireless Limited"} <= names
    page = render_html(report)
    assert page.count('class="diagram"') == len(parties)
    assert page.count("<svg") == len(parties) + 3
    assert "Shenzhen Tianlan" in page  # the seed of Nordlicht's chain
