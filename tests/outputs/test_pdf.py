"""PDFs: the DoC's text checked field by field (pypdf), a report page rendered to pixels (pypdfium2), determinism."""

from __future__ import annotations

import io
import re

import numpy as np
import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader
from tests.outputs.aurora import aurora_report
from tests.outputs.test_html import make_report

from cvcomply.outputs.doc import build_declaration, doc_dict
from cvcomply.outputs.pdf import render_doc_pdf, render_report_pdf


def _text(pdf: bytes) -> str:
    """The PDF's text with line breaks and runs of spaces folded, so wrapped cells still read as one."""
    raw = " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)
    return re.sub(r"\s+", " ", raw)


@pytest.fixture(scope="module")
def aurora_doc() -> tuple[dict[str, object], str, bytes]:
    decl = build_declaration(aurora_report(), model_year=2027)
    pdf = render_doc_pdf(decl)
    return doc_dict(decl), _text(pdf), pdf


def test_doc_pdf_carries_every_field(aurora_doc: tuple[dict[str, object], str, bytes]) -> None:
    d, text, _ = aurora_doc
    assert "Declaration of Conformity — model year 2027" in text
    assert "DRAFT — not for filing" in text
    dec = d["declarant"]
    assert isinstance(dec, dict)
    for fact in (dec["name"], "98450097B6B246A28249", "connected-vehicle-manufacturer", "Meridian", "Aurora",
                 "Base, Touring, Pilot", "[U — counsel to confirm]"):
        assert fact in text, fact
    for key in ("covered_software", "hardware_units"):
        section = d[key]
        assert isinstance(section, dict)
        for item in section["items"]:
            assert item["name"] in text, item["name"]
    retention = d["retention"]
    assert isinstance(retention, dict)
    for bom in retention["boms"]:
        assert bom["sha256"] in text.replace(" ", ""), bom["file"]
    dd = d["due_diligence"]
    assert isinstance(dd, dict)
    assert f"Unresolved parties (must be 0) {dd['unresolved_count']}" in text
    assert "Silverline Data Systems" in text
    blocking = d["blocking"]
    assert isinstance(blocking, list) and blocking
    for b in blocking:
        assert b["component"] in text, b["component"]
    assert "SA-2026-0117" in text
    assert "not signed (draft)" in text


def test_doc_pdf_is_deterministic(aurora_doc: tuple[dict[str, object], str, bytes]) -> None:
    _, _, pdf = aurora_doc
    assert render_doc_pdf(build_declaration(aurora_report(), model_year=2027)) == pdf


def test_report_pdf_is_deterministic_and_cites_rules() -> None:
    report = make_report()
    one, two = render_report_pdf(report), render_report_pdf(report)
    assert one == two
    text = _text(one)
    for fact in ("Example Program — compliance screening", "15 CFR 791.303(b)", "15 CFR 791.308(b)",
                 "Seed Electronics Co., Ltd. (CN)", "Supplier GmbH", "Summary per model year", "Charts"):
        assert fact in text, fact


def test_report_page_renders_with_content() -> None:
    pdf = render_report_pdf(aurora_report())
    doc = pdfium.PdfDocument(pdf)
    assert len(doc) >= 3
    rgb = np.asarray(doc[0].render(scale=1).to_pil().convert("RGB"), dtype=np.int32)
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    ink = np.count_nonzero(r + g + b < 600)
    red = np.count_nonzero((r > 150) & (g < 90) & (b < 90))  # the verdict chart's "prohibited" bars
    assert ink / r.size > 0.02
    assert red > 500
