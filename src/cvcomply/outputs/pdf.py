"""PDF renderings (reportlab): the compliance report and the Declaration of Conformity.

Why reportlab's platypus: flowing text with tables and embedded images, pure Python, and an ``invariant``
mode that fixes the creation date and document id, so the same screening gives the same bytes (a record
kept ten years, § 791.312, must be reproducible). Text uses DejaVu Sans, shipped with matplotlib, embedded
as a subset: the built-in PDF fonts cannot show many names a registry holds (Cyrillic, Greek, "→").

Charts are embedded as PNG rendered by matplotlib (outputs/charts.py, outputs/diagram.py); the HTML gets
the same figures as SVG. The DoC PDF is built from the same dict as the DoC JSON (``doc_dict``), so the
three renderings cannot drift apart.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import matplotlib
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    Image,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

import cvcomply
from cvcomply.model import VERDICT_ORDER, Finding, Report
from cvcomply.outputs.charts import VERDICT_COLORS, VERDICT_LABELS, report_charts
from cvcomply.outputs.diagram import covered_parties, ownership_png
from cvcomply.outputs.doc import Declaration, doc_dict
from cvcomply.outputs.html import format_path
from cvcomply.rules.params import Params

__all__ = ["render_doc_pdf", "render_report_pdf"]

FONT, BOLD = "CVSans", "CVSans-Bold"
WIDTH = LETTER[0] - 1.5 * inch
DETAILED = ("prohibited", "needs_review", "authorized")


@lru_cache(maxsize=1)
def _styles() -> dict[str, ParagraphStyle]:
    """Registers the fonts on first use (not at import) and builds the paragraph styles."""
    ttf = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    pdfmetrics.registerFont(TTFont(FONT, str(ttf / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(ttf / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)
    base = ParagraphStyle("base", fontName=FONT, fontSize=8.5, leading=11)
    return {
        "base": base,
        "small": ParagraphStyle("small", parent=base, fontSize=7.5, leading=9.5),
        "muted": ParagraphStyle("muted", parent=base, fontSize=7.5, leading=9.5, textColor=colors.HexColor("#5b6470")),
        "title": ParagraphStyle("title", parent=base, fontName=BOLD, fontSize=16, leading=20, spaceAfter=4),
        "h2": ParagraphStyle("h2", parent=base, fontName=BOLD, fontSize=12, leading=15, spaceBefore=10, spaceAfter=4),
        "h3": ParagraphStyle("h3", parent=base, fontName=BOLD, fontSize=9.5, leading=12, spaceBefore=6, spaceAfter=2),
        "center": ParagraphStyle("center", parent=base, alignment=TA_CENTER),
    }


def _p(text: str, style: str = "base") -> Paragraph:
    return Paragraph(escape(text), _styles()[style])


def _pm(markup: str, style: str = "base") -> Paragraph:
    """A paragraph whose markup the caller built from escaped parts."""
    return Paragraph(markup, _styles()[style])


def _table(rows: Sequence[Sequence[Any]], widths: Sequence[float], *, header: bool = True,
           extra: Sequence[tuple[Any, ...]] = ()) -> Table:
    cells = [[c if isinstance(c, Flowable) else _p(str(c), "small") for c in row] for row in rows]
    t = Table(cells, colWidths=list(widths), repeatRows=1 if header else 0)
    style: list[tuple[Any, ...]] = [("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#d0d7de")),
                                    ("VALIGN", (0, 0), (-1, -1), "TOP")]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f6f8fa")))
    t.setStyle(TableStyle([*style, *extra]))
    return t


def _image(png: bytes, width: float) -> Image:
    w, h = ImageReader(io.BytesIO(png)).getSize()
    return Image(io.BytesIO(png), width=width, height=width * h / w)


def _decorate(title: str, watermark: str | None) -> Callable[[Canvas, Any], None]:
    def on_page(canvas: Canvas, doc: Any) -> None:
        canvas.saveState()
        if watermark:
            canvas.setFont(BOLD, 110)
            canvas.setFillColor(colors.Color(0.8, 0.1, 0.1, alpha=0.12))
            canvas.translate(LETTER[0] / 2, LETTER[1] / 2)
            canvas.rotate(45)
            canvas.drawCentredString(0, -35, watermark)
            canvas.rotate(-45)
            canvas.translate(-LETTER[0] / 2, -LETTER[1] / 2)
        canvas.setFont(FONT, 7)
        canvas.setFillColor(colors.HexColor("#5b6470"))
        canvas.drawString(0.75 * inch, 0.5 * inch, title)
        canvas.drawRightString(LETTER[0] - 0.75 * inch, 0.5 * inch, f"page {doc.page}")
        canvas.restoreState()
    return on_page


def _build(story: list[Flowable], title: str, subject: str, watermark: str | None = None) -> bytes:
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=LETTER, leftMargin=0.75 * inch, rightMargin=0.75 * inch,
                            topMargin=0.7 * inch, bottomMargin=0.8 * inch, title=title, subject=subject,
                            author="cvcomply", creator=f"cvcomply {cvcomply.__version__}", invariant=True)
    deco = _decorate(title, watermark)
    doc.build(story, onFirstPage=deco, onLaterPages=deco)
    return buf.getvalue()


# ---- the compliance report -------------------------------------------------------------------------------


def _when(f: Finding) -> str:
    if f.model_year is not None:
        return f"MY{f.model_year}"
    return f"import {f.import_date.isoformat()}" if f.import_date else "no model year"


def _verdict_cell(v: str) -> Paragraph:
    return _pm(f'<font color="{VERDICT_COLORS.get(v, "#000000")}"><b>{escape(VERDICT_LABELS.get(v, v))}</b></font>',
               "small")


def _reasons(f: Finding) -> str:
    return "<br/>".join(f"• {escape(r.text)}" + (f" <i>[{escape(r.cite)}]</i>" if r.cite else "") for r in f.reasons)


def _finding_block(f: Finding) -> Flowable:
    c = f.component
    parties = "; ".join(
        f"{p.party.role}: {p.party.name} → {p.entity_name or 'unresolved'} ({p.nexus.status}"
        + (f", {', '.join(p.nexus.countries)}" if p.nexus.countries else "") + ")" for p in f.parties) or "none named"
    rows: list[list[Any]] = [
        [_pm(f"<b>{escape(c.name)}</b>" + (f" {escape(c.version)}" if c.version else "") + f" — {_when(f)}", "small"),
         _verdict_cell(f.verdict)],
        [_pm(f"<b>Rule:</b> {escape(f.rule or 'none')}"
             + (f" · <b>Authorization:</b> {escape(f.authorization)}" if f.authorization else "")
             + f" · <font color='#5b6470'>{escape(c.bom_ref)}</font>", "small"), ""],
        [_pm(f"<b>Parties:</b> {escape(parties)}", "small"), ""],
        [_pm(_reasons(f) or "no reasons recorded", "small"), ""],
    ]
    return _table(rows, [WIDTH * 0.8, WIDTH * 0.2], header=False,
                  extra=[("SPAN", (0, r), (1, r)) for r in (1, 2, 3)]
                  + [("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f6f8fa"))])


def _period_rows(report: Report) -> list[list[Any]]:
    rows: list[list[Any]] = [["Period", "Verdict", "Counts", "DoC required"]]
    for p in (*report.model_years, *report.import_dates):
        label = f"MY {p.model_year}" if p.model_year is not None else (
            f"imported {p.import_date.isoformat()}" if p.import_date else "—")
        counts = ", ".join(f"{VERDICT_LABELS[v]}: {p.counts[v]}" for v in VERDICT_ORDER if p.counts.get(v))
        rows.append([label, _verdict_cell(p.verdict), counts, "yes" if p.doc_required else "no"])
    return rows


def render_report_pdf(report: Report, params: Params | None = None) -> bytes:
    """The compliance report as PDF: summary per period, charts, ownership diagrams, findings with cites."""
    program, d = report.program, report.program.declarant
    story: list[Flowable] = [
        _p(f"{program.name} — compliance screening", "title"),
        _p(f"US Connected Vehicles rule, 15 CFR part 791 subpart D, as of {report.as_of.isoformat()}", "muted"),
        Spacer(1, 6),
    ]
    who = f"{d.name}" + (f" ({d.country})" if d.country else "") + f" — {', '.join(d.roles)}"
    meta: list[list[Any]] = [["Declarant", who],
            ["Declarant nexus (§ 791.304)", report.declarant_nexus.status],
            ["Overall verdict", _verdict_cell(report.verdict)],
            ["Rule version", report.rule_version], ["Control policy", report.policy_version],
            ["Findings", str(len(report.findings))]]
    if program.vehicle:
        v = program.vehicle
        meta.insert(1, ["Vehicle", f"{v.make} {v.model}" + (f" ({', '.join(v.trims)})" if v.trims else "")
                        + f"; model years {', '.join(map(str, v.model_years))}"])
    story += [_table(meta, [WIDTH * 0.28, WIDTH * 0.72], header=False), _p("Summary per model year", "h2"),
              _table(_period_rows(report), [WIDTH * 0.2, WIDTH * 0.17, WIDTH * 0.48, WIDTH * 0.15])]
    story.append(_p("Charts", "h2"))
    for chart in report_charts(report, params, fmt="png"):
        assert isinstance(chart.data, bytes)
        story += [KeepTogether([_image(chart.data, WIDTH)]), Spacer(1, 6)]
    parties = covered_parties(report.findings)
    if parties:
        story += [PageBreak(), _p("Covered parties: the ownership path that makes each covered", "h2")]
        for party in parties:
            paths = [_p(format_path(p), "small") for p in party.nexus.paths[:3] if len(p) > 1]
            story.append(KeepTogether([
                _pm(f"<b>{escape(party.name)}</b>" + (f" ({escape(party.country)})" if party.country else "")
                    + f" — on {escape(', '.join(party.components))}", "h3"),
                _image(ownership_png(party), min(WIDTH, max(3.8 * inch, 2.6 * inch * min(3, len(party.nexus.paths))))),
                *paths,
                *[_pm(f"• {escape(r.text)}" + (f" <i>[{escape(r.cite)}]</i>" if r.cite else ""), "small")
                  for r in party.nexus.reasons[:3]],
            ]))
    story += [PageBreak(), _p("Findings that need attention", "h2")]
    order = {v: i for i, v in enumerate(VERDICT_ORDER)}
    findings = sorted(report.findings, key=lambda f: (order[f.verdict], f.component.name.casefold(),
                                                      f.model_year or 0, f.id))
    detailed = [f for f in findings if f.verdict in DETAILED]
    story += [KeepTogether([_finding_block(f), Spacer(1, 4)]) for f in detailed] or [_p("None.", "muted")]
    rest = [f for f in findings if f.verdict not in DETAILED]
    if rest:
        story.append(_p("Other findings", "h2"))
        rows: list[list[Any]] = [["Component", "Period", "Verdict", "Rule / first reason"]]
        for f in rest:
            first = f.reasons[0] if f.reasons else None
            why = (f.rule or "") + (f" — {first.text}" if first else "") + (f" [{first.cite}]" if first and
                                                                             first.cite else "")
            rows.append([f.component.name, _when(f), _verdict_cell(f.verdict), why])
        story.append(_table(rows, [WIDTH * 0.25, WIDTH * 0.13, WIDTH * 0.13, WIDTH * 0.49]))
    if report.inputs:
        story += [_p("Inputs", "h2"),
                  _table([["File", "SHA-256"], *[[f, h] for f, h in report.inputs]], [WIDTH * 0.35, WIDTH * 0.65])]
    story += [Spacer(1, 10), _p(f"Generated by cvcomply {cvcomply.__version__}. Verdicts are screening results under "
                                f"the rule as coded ({report.rule_version}) and the named control policy "
                                f"({report.policy_version}); policy readings are not law.", "muted")]
    return _build(story, f"cvcomply report — {program.name} — {report.as_of.isoformat()}", "compliance screening")


# ---- the Declaration of Conformity -------------------------------------------------------------------------


def _tag(section: Mapping[str, Any]) -> str:
    b = section["basis"]
    mark = ' <font color="#8a1116"><b>[U — counsel to confirm]</b></font>' if b["u_tagged"] else \
        f' <font color="#5b6470">[{escape(b["tag"])}]</font>'
    return mark


def _heading(title: str, section: Mapping[str, Any]) -> list[Flowable]:
    b = section["basis"]
    return [_pm(escape(title) + _tag(section), "h2"),
            _p(f"Basis: {b['cite']}" + (f" — {b['note']}" if b["note"] else ""), "muted")]


def _items(items: Sequence[Mapping[str, Any]]) -> Flowable:
    if not items:
        return _p("None.", "muted")
    rows: list[list[Any]] = [["Component", "Suppliers (country, nexus)", "Verdict"]]
    for i in items:
        sup = "; ".join(f"{s['role']}: {s['name']} ({s['country'] or 'unknown'}, {s['nexus']})" for s in i["suppliers"])
        rows.append([f"{i['name']}" + (f" {i['version']}" if i["version"] else "") + (
            f"\n{i['purl']}" if i["purl"] else ""), sup or "none named",
            _verdict_cell(i["verdict"]) if not i["authorization"] else _pm(
                f"{escape(VERDICT_LABELS.get(i['verdict'], i['verdict']))}<br/>{escape(i['authorization'])}", "small")])
    return _table(rows, [WIDTH * 0.35, WIDTH * 0.5, WIDTH * 0.15])


def render_doc_pdf(decl: Declaration, changes: Sequence[Mapping[str, Any]] | None = None) -> bytes:
    """The DoC as PDF; a draft is watermarked "DRAFT" and lists the findings that block a final one."""
    d = doc_dict(decl, changes)
    draft = d["status"] == "draft"
    dec, dd = d["declarant"], d["due_diligence"]
    story: list[Flowable] = [
        _p(f"Declaration of Conformity — {d['period']['label']}", "title"),
        _p(f"15 CFR 791.305 · {d['program']} · status: {d['status'].upper()} · document {d['doc_id']} · "
           f"as of {d['as_of']}", "muted"),
    ]
    if draft:
        story.append(_p("DRAFT — not for filing. Fields marked [U] rest on rule text cvcomply could not retrieve; "
                        "counsel must confirm them.", "h3"))
    f = d["filing"]
    story.append(_p(("A Declaration of Conformity is required for this period. " if f["doc_required"] else
                     "No Declaration of Conformity appears required for this period; this document records why. ")
                    + f"File at least {f['lead_time_days']} days before the first import or sale; {f['frequency']}.",
                    "base"))
    story += [_p(r, "small") for r in f["reasons"]]
    story += _heading("1. Declarant", dec)
    ids = ", ".join(f"{i['scheme']}: {i['id']}" for i in dec["identifiers"]) or "none given"
    story.append(_table([["Name", dec["name"]], ["Roles", ", ".join(dec["roles"])],
                         ["Country", dec["country"] or "not stated"], ["Identifiers", ids],
                         ["Own nexus (§ 791.304)", dec["nexus"]]], [WIDTH * 0.3, WIDTH * 0.7], header=False))
    if d["vehicle"]:
        v = d["vehicle"]
        story += _heading("2. Vehicle", v)
        story.append(_table([["Make", v["make"]], ["Model", v["model"]], ["Trims", ", ".join(v["trims"]) or "—"],
                             ["Model year", str(v["model_year"])]], [WIDTH * 0.3, WIDTH * 0.7], header=False))
    story += [*_heading("3. Certification", d["certification"]), _p(d["certification"]["text"])]
    story += [*_heading("4. Covered software with a foreign interest", d["covered_software"]),
              _items(d["covered_software"]["items"])]
    if "vcs-hardware-importer" in dec["roles"]:
        story += [*_heading("5. VCS hardware units", d["hardware_units"]), _items(d["hardware_units"]["items"])]
    r = d["retention"]
    story += [*_heading("6. HBOM/SBOM retention", r), _p(r["text"]),
              _table([["Retained BOM", "SHA-256"], *[[b["file"], b["sha256"]] for b in r["boms"]]],
                     [WIDTH * 0.35, WIDTH * 0.65])]
    story += _heading("7. Due diligence", dd)
    rb = dd["resolved_by"]
    diligence: list[list[Any]] = [
        ["Screened as of", dd["as_of"]], ["Rule / policy", f"{dd['rule_version']} / {dd['policy_version']}"],
        ["Parties screened", str(dd["parties"])],
        ["Resolved by identifier / name / reviewer decision", f"{rb['identifier']} / {rb['name']} / {rb['decision']}"],
        ["Unresolved parties (must be 0)", f"{dd['unresolved_count']}" + (
            f": {', '.join(dd['unresolved'])}" if dd["unresolved"] else "")],
        ["Cleared with the caveat 'no ownership data'", f"{dd['no_ownership_data_count']}" + (
            f": {', '.join(dd['no_ownership_data'])}" if dd["no_ownership_data"] else "")],
        ["Reviewer decisions relied on", "; ".join(f"{x['party']} → {x['entity']}" for x in dd["decisions"]) or "none"],
    ]
    story.append(_table(diligence, [WIDTH * 0.4, WIDTH * 0.6], header=False))
    story.append(_table([["Source", "Kind", "SHA-256", "Read as of"],
                         *[[s["file"], s["kind"], s["sha256"], s["read_as_of"]] for s in dd["sources"]]],
                        [WIDTH * 0.3, WIDTH * 0.1, WIDTH * 0.45, WIDTH * 0.15]))
    story.append(_p("8. Authorizations relied on", "h2"))
    if d["authorizations"]:
        story.append(_table([["Id", "Kind", "Valid", "Findings", "Basis"], *[
            [a["id"], a["kind"], f"{a['valid_from'] or '…'} – {a['valid_to'] or '…'}", str(len(a["findings"])),
             _pm(escape(a["basis"]["cite"]) + _tag(a), "small")] for a in d["authorizations"]]],
            [WIDTH * 0.18, WIDTH * 0.12, WIDTH * 0.25, WIDTH * 0.1, WIDTH * 0.35]))
    else:
        story.append(_p("None.", "muted"))
    a = d["assessment"]
    if a:
        eligible = {True: "eligible", False: "NOT eligible (PRC/Russia-linked)", None: "eligibility unknown"}
        story += [*_heading("9. Third-party assessment", a),
                  _p(f"{a['assessor']}" + (f", {a['date']}" if a["date"] else "") + f" — {a['scope']} — "
                     f"{eligible[a['eligible']]}")]
    s = d["signatory"]
    story += [*_heading("10. Signatory", s),
              _table([["Name", s["name"] or "[to be completed]"], ["Title", s["title"] or "[to be completed]"],
                      ["Signed", s["signed_at"] or "not signed (draft)"], ["Signature", ""]],
                     [WIDTH * 0.3, WIDTH * 0.7], header=False, extra=[("BOTTOMPADDING", (1, 3), (1, 3), 24)])]
    if d["blocking"]:
        story += [_p(f"Blocking findings ({len(d['blocking'])}): a final declaration is refused until each is "
                     "resolved", "h2"),
                  _table([["Component", "Verdict", "Rule", "Reason"], *[
                      [b["component"], _verdict_cell(b["verdict"]), b["rule"] or "—", b["reason"]]
                      for b in d["blocking"]]], [WIDTH * 0.25, WIDTH * 0.14, WIDTH * 0.18, WIDTH * 0.43])]
    if d["material_changes"] is not None:
        story.append(_p("Material changes since the previous declaration", "h2"))
        rows: list[list[Any]] = [["Change", "Subject", "Before → after", "Update by"]]
        for c in d["material_changes"]:
            due = (f"{c['deadline']} ({c['days']} days, {c['cite']} [{c['tag']}])" if c["requires_update"]
                   else "no update needed")
            rows.append([c["kind"], c["subject"], f"{c['before'] or '—'} → {c['after'] or '—'}", due])
        story.append(_table(rows, [WIDTH * 0.2, WIDTH * 0.32, WIDTH * 0.2, WIDTH * 0.28]) if len(rows) > 1
                     else _p("No change.", "muted"))
    return _build(story, f"Declaration of Conformity — {d['program']} — {d['period']['label']}",
                  "15 CFR 791.305", watermark="DRAFT" if draft else None)
