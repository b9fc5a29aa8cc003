"""Screening runs: saved with the hash of every input, rule and policy versions, as-of date and findings.

``diff`` compares two runs finding by finding (the finding id is stable: BOM, component, period) and says
why a verdict moved, from what the runs recorded: the component's own content (BOM change), its parties'
resolution and nexus (ownership change, or a reviewer decision when the decisions changed), its list hits
(list entry), and the run parameters (rule/policy version, parameter file, as-of date).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cvcomply.model import Decision, Report
from cvcomply.store import audit
from cvcomply.store import dialect as q
from cvcomply.store.backends import Store, StoreError, Tx, utc_now
from cvcomply.store.codec import canonical, loads, sha256
from cvcomply.store.decisions import decisions_digest, record_decisions


@dataclass(frozen=True, slots=True)
class RunInput:
    """One input of a run: ``kind`` is manifest | bom | ownership | list | decisions | parameters."""

    kind: str
    path: str
    sha256: str
    content: bytes | None = None  # kept in the store (content-addressed) so a bundle can hold it years later


def new_run_id(now: dt.datetime | None = None) -> str:
    """A sortable, readable run id: ``r20261124-101500-3fa9c2``."""
    now = now or dt.datetime.now(dt.UTC)
    return f"r{now:%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"


def collect_inputs(report: Report) -> list[RunInput]:
    """Every file a run read, with its bytes: manifest, BOMs, ownership, lists, decisions, parameters."""
    p = report.program
    named: list[tuple[str, str]] = []
    if p.source:
        named.append(("manifest", p.source))
    named += [("bom", b) for b in p.boms] + [("ownership", o) for o in p.ownership] + [("list", x) for x in p.lists]
    if p.decisions:
        named.append(("decisions", p.decisions))
    if p.parameters:
        named.append(("parameters", p.parameters))
    out = []
    for kind, path in named:
        try:
            data = Path(path).read_bytes()
        except OSError:
            continue  # a file that vanished since the screening: its hash stays in the report's inputs
        out.append(RunInput(kind, str(Path(path).resolve()), sha256(data), data))
    return out


def _entities(parties: list[dict[str, Any]]) -> list[str]:
    ids: set[str] = set()
    for p in parties:
        if p.get("entity"):
            ids.add(p["entity"]["id"])
        nexus = p.get("nexus") or {}
        ids.update(step["entity"] for path in nexus.get("paths") or () for step in path if step.get("entity"))
    return sorted(ids)


def _finding_row(run_id: str, f: dict[str, Any]) -> tuple[Any, ...]:
    comp = f.get("component") or {}
    parties = f.get("parties") or []
    flags = sorted(f.get("flags") or [])
    source = str(comp.get("source") or "")
    return (run_id, f["id"], comp.get("bom_ref"), comp.get("name"), f.get("model_year"), f.get("import_date"),
            f["verdict"], f.get("rule"), sha256(canonical(comp)), sha256(canonical(parties)), sha256(canonical(flags)),
            canonical(_entities(parties)).decode(), canonical(flags).decode(), source.split("#", 1)[0])


def _abspath(path: str | None) -> str | None:
    """A manifest path that still names the file when ``rescreen`` runs from another folder."""
    return str(Path(path).resolve()) if path else None


def _put_blob(tx: Tx, digest: str, content: bytes) -> None:
    if not tx.query(q.BLOB_EXISTS, (digest,)):
        tx.execute(q.BLOB_INSERT, (digest, len(content), content))


def save_run(store: Store, report: Report, report_json: bytes, inputs: Sequence[RunInput] | None = None, *,
             actor: str = "cvcomply") -> str:
    """Persist one screening (one transaction) and return its run id (``report.run_id`` when set).

    ``report_json`` is the rendered JSON report (``render_json``), kept byte for byte; ``inputs`` default to
    the files the program names (``collect_inputs``). Decisions the program's decisions file holds are
    appended to the decisions table (once each).
    """
    run_id = report.run_id or new_run_id()
    data = loads(report_json)
    inputs = list(collect_inputs(report) if inputs is None else inputs)
    decisions: tuple[Decision, ...] = ()
    if report.program.decisions:
        from cvcomply.formats.decisions import read_decisions

        decisions = read_decisions(report.program.decisions)
    params_hash = next((i.sha256 for i in inputs if i.kind == "parameters"), None)  # None: the packaged file
    report_sha = sha256(report_json)
    with store.transaction() as tx:
        if tx.query(q.RUN_GET, (run_id,)):
            raise StoreError(f"run {run_id} is already saved")
        if decisions:
            record_decisions(tx, decisions, actor=actor)
        knowledge = tx.scalar("SELECT max(loaded_at) FROM sources")
        tx.execute(q.RUN_INSERT, (run_id, utc_now(), report.program.name, _abspath(report.program.source),
                                  report.as_of.isoformat(), report.rule_version, report.policy_version, params_hash,
                                  report.verdict, canonical(dict(sorted(report.counts.items()))).decode(), knowledge,
                                  report_sha))
        _put_blob(tx, report_sha, report_json)
        rows = [("report", "report.json", report_sha)]
        for i in inputs:
            if i.content is not None:
                _put_blob(tx, i.sha256, i.content)
            rows.append((i.kind, i.path, i.sha256))
        listed = {(k, p) for k, p, _ in rows}
        rows += [("input", f, h) for f, h in report.inputs if h and not any(p == f for _, p in listed)]
        rows.append(("decisions-table", "decisions", decisions_digest(tx)))
        for kind, path, digest in rows:
            tx.execute(q.RUN_INPUT_INSERT, (run_id, kind, path, digest))
        findings = [_finding_row(run_id, f) for f in data.get("findings") or []]
        if findings:
            cols = ("run_id", "finding_id", "bom_ref", "component", "model_year", "import_date", "verdict", "rule",
                    "component_hash", "parties_hash", "flags_hash", "entities", "flags", "bom")
            tx.bulk_insert("run_findings", {c: [r[i] for r in findings] for i, c in enumerate(cols)})
        audit.append(tx, "run.save", {"run_id": run_id, "program": report.program.name, "verdict": report.verdict,
                                      "as_of": report.as_of.isoformat(), "report_sha256": report_sha,
                                      "inputs": [{"kind": k, "path": p, "sha256": h} for k, p, h in rows]},
                     actor=actor, subject=run_id)
    return run_id


# ---- reading runs ----------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class RunInfo:
    run_id: str
    created_at: str
    program: str
    manifest: str | None
    as_of: str
    rule_version: str
    policy_version: str
    params_hash: str | None
    verdict: str
    counts: dict[str, int]
    knowledge_at: str | None
    report_sha256: str


def _info(row: tuple[Any, ...]) -> RunInfo:
    return RunInfo(run_id=row[0], created_at=row[1], program=row[2], manifest=row[3], as_of=row[4],
                   rule_version=row[5], policy_version=row[6], params_hash=row[7], verdict=row[8],
                   counts=loads(row[9]), knowledge_at=row[10], report_sha256=row[11])


def history(store: Store, program: str | None = None) -> list[RunInfo]:
    """Saved runs, oldest first (optionally only one program's)."""
    with store.transaction() as tx:
        runs = [_info(r) for r in tx.query(q.RUNS_ALL)]
    return [r for r in runs if program is None or r.program == program]


def resolve_run_id(store: Store, ref: str) -> str:
    """A run id from a unique prefix, or ``latest`` / ``latest~N`` (N runs before the latest)."""
    with store.transaction() as tx:
        if ref.startswith("latest"):
            ids = [r[0] for r in tx.query(q.RUNS_ALL)]
            back = int(ref[7:] or 0) if ref[6:7] == "~" else 0
            if len(ids) <= back:
                raise StoreError(f"there is no run {ref!r}: the store holds {len(ids)} run(s)")
            return str(ids[-1 - back])
        ids = [r[0] for r in tx.query(q.RUN_BY_PREFIX, (ref + "%",))]
    if len(ids) != 1:
        raise StoreError(f"no run {ref!r} in the store" if not ids else
                         f"{ref!r} fits {len(ids)} runs ({', '.join(ids[:5])}); give more of the id")
    return str(ids[0])


def get_run(store: Store, run_id: str) -> RunInfo:
    with store.transaction() as tx:
        rows = tx.query(q.RUN_GET, (run_id,))
    if not rows:
        raise StoreError(f"no run {run_id!r} in the store")
    return _info(rows[0])


def run_inputs(store: Store, run_id: str) -> list[tuple[str, str, str]]:
    with store.transaction() as tx:
        return [(str(k), str(p), str(h)) for k, p, h in tx.query(q.RUN_INPUTS, (run_id,))]


def run_findings(store: Store, run_id: str) -> dict[str, dict[str, Any]]:
    cols = ("finding_id", "bom_ref", "component", "model_year", "import_date", "verdict", "rule", "component_hash",
            "parties_hash", "flags_hash", "entities", "flags", "bom")
    with store.transaction() as tx:
        rows = tx.query(q.RUN_FINDINGS, (run_id,))
    out = {}
    for r in rows:
        d = dict(zip(cols, r, strict=True))
        d["entities"], d["flags"] = loads(d["entities"]), loads(d["flags"])
        out[str(d["finding_id"])] = d
    return out


def blob(store: Store, digest: str) -> bytes | None:
    with store.transaction() as tx:
        rows = tx.query(q.BLOB_GET, (digest,))
    return bytes(rows[0][0]) if rows else None


def run_report(store: Store, run_id: str) -> bytes:
    data = blob(store, get_run(store, run_id).report_sha256)
    if data is None:
        raise StoreError(f"run {run_id}: its report is missing from the store")
    return data


# ---- diff ----------------------------------------------------------------------------------------------------

BOM_CHANGE, OWNERSHIP_CHANGE, LIST_ENTRY, DECISION, PARAMETERS = (
    "BOM change", "ownership change", "list entry", "reviewer decision", "parameter change")


@dataclass(frozen=True, slots=True)
class FindingChange:
    finding_id: str
    component: str
    period: str
    before: str | None  # None: the finding is new in B
    after: str | None  # None: the finding is gone in B
    causes: tuple[str, ...]
    details: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RunDiff:
    a: RunInfo
    b: RunInfo
    parameter_changes: tuple[str, ...]
    input_changes: tuple[str, ...]
    changes: tuple[FindingChange, ...]  # verdicts that moved (or findings that came or went)
    evidence_only: int  # findings whose evidence changed while the verdict stayed


def _input_changes(a: list[tuple[str, str, str]], b: list[tuple[str, str, str]]) -> tuple[list[str], set[str]]:
    """Text lines, and the kinds of input that changed."""
    skip = {"report", "input"}
    da = {(k, p): h for k, p, h in a if k not in skip}
    db = {(k, p): h for k, p, h in b if k not in skip}
    lines, kinds = [], set()
    for key in sorted(set(da) | set(db)):
        k, p = key
        if key not in da:
            lines.append(f"{k} {p}: added"); kinds.add(k)  # noqa: E702
        elif key not in db:
            lines.append(f"{k} {p}: removed"); kinds.add(k)  # noqa: E702
        elif da[key] != db[key]:
            lines.append(f"{k} {p}: changed ({da[key][:12]} → {db[key][:12]})"); kinds.add(k)  # noqa: E702
    return lines, kinds


def diff(store: Store, a_id: str, b_id: str) -> RunDiff:
    a, b = get_run(store, a_id), get_run(store, b_id)
    params: list[str] = []
    for label, old, new in (("rule parameters", a.rule_version, b.rule_version),
                            ("control policy", a.policy_version, b.policy_version),
                            ("parameter file", a.params_hash, b.params_hash), ("as-of date", a.as_of, b.as_of)):
        if old != new:
            params.append(f"{label}: {old} → {new}")
    lines, kinds = _input_changes(run_inputs(store, a_id), run_inputs(store, b_id))
    ownership_moved = bool(kinds & {"ownership"}) or a.knowledge_at != b.knowledge_at
    decisions_moved = bool(kinds & {"decisions", "decisions-table"})
    fa, fb = run_findings(store, a_id), run_findings(store, b_id)
    changes: list[FindingChange] = []
    evidence_only = 0
    for fid in sorted(set(fa) | set(fb)):
        x, y = fa.get(fid), fb.get(fid)
        ref = y or x
        assert ref is not None
        period = f"MY{ref['model_year']}" if ref["model_year"] is not None else f"import {ref['import_date']}"
        causes: list[str] = []
        details: list[str] = []
        if x is None or y is None:
            causes.append(BOM_CHANGE)
            details.append("the component is new in the BOM" if x is None else "the component left the BOM")
        else:
            if x["component_hash"] != y["component_hash"]:
                causes.append(BOM_CHANGE)
                details.append("the component's entry in the BOM changed")
            if x["parties_hash"] != y["parties_hash"]:
                if decisions_moved:
                    causes.append(DECISION)
                if ownership_moved or not decisions_moved:
                    causes.append(OWNERSHIP_CHANGE)
                gone, added = set(x["entities"]) - set(y["entities"]), set(y["entities"]) - set(x["entities"])
                details.append("the parties' resolution or nexus changed"
                               + (f"; entities no longer involved: {', '.join(sorted(gone))}" if gone else "")
                               + (f"; entities now involved: {', '.join(sorted(added))}" if added else ""))
            if x["flags_hash"] != y["flags_hash"]:
                causes.append(LIST_ENTRY)
                details.append(f"screening-list hits {x['flags']} → {y['flags']}")
            if params:
                causes.append(PARAMETERS)
                details.extend(params)
            if not causes:  # nothing recorded per finding moved: name what moved around it
                if ownership_moved:
                    causes.append(OWNERSHIP_CHANGE)
                    details.append("the registry changed between the runs")
                if decisions_moved:
                    causes.append(DECISION)
                    details.append("reviewer decisions changed between the runs")
                if not causes:
                    causes.append("rule logic")
                    details.append("no recorded input of this finding changed: the engine itself did")
        before, after = (x or {}).get("verdict"), (y or {}).get("verdict")
        if before == after:
            evidence_only += int(x is not None and y is not None and (
                x["component_hash"], x["parties_hash"], x["flags_hash"]) != (
                y["component_hash"], y["parties_hash"], y["flags_hash"]))
            continue
        changes.append(FindingChange(fid, f"{ref['component']} ({ref['bom_ref']})", period, before, after,
                                     tuple(dict.fromkeys(causes)), tuple(details)))
    return RunDiff(a, b, tuple(params), tuple(lines), tuple(changes), evidence_only)


def delete_run(store: Store, run_id: str, *, now: dt.datetime | None = None, actor: str = "cvcomply") -> None:
    """Delete a run's records — refused while they are younger than the retention period (§ 791.312)."""
    from cvcomply.store.retention import check_deletable

    info = get_run(store, run_id)
    check_deletable(info.created_at, info.as_of, now=now)
    with store.transaction() as tx:
        for stmt in q.RUN_DELETE:
            tx.execute(stmt, (run_id,))
        audit.append(tx, "run.delete", {"run_id": run_id, "created_at": info.created_at}, actor=actor, subject=run_id)
